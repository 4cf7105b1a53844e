"""Understanding what residents write (no Rasa imports).

* :mod:`bot.nlu.extract` - the facts a message states about its writer (age, municipality,
  unemployed, ...), rule-based; its words are in ``bot/nlu/words/<language>.yml``.
* :mod:`bot.nlu.lemmas` - simplemma lemmas from a compact cached dictionary index.
* :mod:`bot.nlu.spacy_text` - spaCy tokenisation that is safe on untrusted text, shared by
  the extractor and the Rasa tokenizer (``bot/rasa_components/tokenizer.py``).

Language detection stays in :mod:`bot.language`.
"""
