"""Tokenizer that uses spaCy's blank fi/sv/en pipelines and simplemma lemmas.

spaCy publishes no Finnish or Swedish pipeline on the package index, and nothing may be
downloaded at run time, so each message is tokenised with ``spacy.blank(<language>)``
(language-specific tokenizer exceptions: "esim.", "t.ex.", "I'm") chosen by the
LanguageResolver. Lemmas come from simplemma (offline dictionaries), so inflected Finnish
("lähetteen", "työttömänä", "Helsingissä") shares features with its base form when the
featurizer runs with ``use_lemma: true``. Spoken and chat forms the dictionaries do not
know ("pitäis", "kuntsarissa", "wanna") get the lemma of their written form
(``bot.nlu.spoken``, ``bot/nlu/spoken.yml``).

With ``question_focus`` the question of a longer message counts more: residents tell
their story and ask at the end ("... Sossu puhu että kuntouttava alkais ensi kuussa. Kuinka
monta tuntia päivässä se on?"). The classifier learned from short questions, and the
story's words (children, illness, a letter) pulled such messages to other topics. In a
message of at least ``QUESTION_FOCUS_WORDS`` words and two or more sentences, the tokens
of the question sentences (a "?", or a question word first) - or, when none is, of the
last sentence - are added (a short question with the sentence before it, which it refers to)
``question_focus`` more times after the message's own tokens (config.yml: 4, so the
question weighs five times its story).

The blank pipelines, the per-chunk token cache and the lemma cache are the ones the
profile extractor uses (``bot.nlu.spacy_text``, ``bot.nlu.lemmas.lemma``): one copy per
process.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import spacy_text
from bot.nlu.fillers import filler_meaning
from bot.nlu.spoken import load as load_spoken_forms
from bot.nlu.spoken import spoken_lemma
from bot.rasa_components.fingerprint import CodeFingerprint

SUPPORTED = spacy_text.SUPPORTED
#: A message needs at least this many words before its question is weighed more.
QUESTION_FOCUS_WORDS = 15
#: A question sentence shorter than this brings the sentence before it into the focus; so does
#: one shorter than REFERRING_QUESTION_WORDS that refers back with a pronoun.
SHORT_QUESTION_WORDS = 6
REFERRING_QUESTION_WORDS = 12
_PRONOUN = re.compile(r"\b(se|sen|sitä|sita|siitä|siita|siihen|ne|niitä|niita|niistä|niista|det|den|dem|it|they|"
                      r"them)\b",
                      re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
# A sentence that begins with a question word is a question without its "?" too (residents
# often leave it out: "... voinko ottaa kaverin mukaan", "hur gör man då"). Finnish yes/no
# questions begin with a verb ending in -ko/-kö (-ks in speech: "onks", "voiks").
_QUESTION_START = re.compile(
    r"\s*(?:(?:mitä|mita|mikä|mika|miksi|miten|mihin|missä|missa|mistä|mista|milloin|kuka|kenen|kenelle|keneltä|"
    r"kuinka|paljonko|montako|kauanko|vad|hur|vem|vilken|vilka|var|vart|när|nar|varför|varfor|kan|får|far|"
    r"måste|maste|ska|skall|borde|är|finns|what|how|who|whom|where|when|why|which|can|could|do|does|did|"
    r"is|are|should|will|would|may|must|am)\b|\w+(?:ko|kö|kos|kös|ks)\b)",
    re.IGNORECASE)


def _is_question(sentence: str) -> bool:
    return "?" in sentence or bool(_QUESTION_START.match(sentence))


def question_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the question sentences of a longer message (see the module
    docstring); empty for a short or single-sentence message."""
    if len(text.split()) < QUESTION_FOCUS_WORDS:
        return []
    sentences = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip(" .!?\n")]
    if len(sentences) < 2:
        return []
    chosen = [k for k, (a, b) in enumerate(sentences) if _is_question(text[a:b])]
    if len(chosen) == len(sentences):
        return []
    chosen = chosen or [len(sentences) - 1]
    # A short question leans on the sentence before it ("... get a B statement from a doctor.
    # What is it for?"): that sentence counts with it, or "it" would be all the focus has.
    with_context = {k - 1 for k in chosen if k > 0 and _refers_back(text[sentences[k][0]:sentences[k][1]])}
    return [sentences[k] for k in sorted(set(chosen) | with_context)]


def _refers_back(sentence: str) -> bool:
    """A short question, or a not very long one that names its subject with a pronoun only
    ("Vad betyder det och vem kan få det?" after "Min kurator nämnde TYP.")."""
    words = sentence.split()
    return len(words) < SHORT_QUESTION_WORDS or (
        len(words) < REFERRING_QUESTION_WORDS and bool(_PRONOUN.search(sentence)))


def message_language(message: Message) -> Optional[str]:
    info = message.get("language")
    return info.get("code") if isinstance(info, dict) else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualSpacyTokenizer(CodeFingerprint, Tokenizer):
    """Per-message spaCy tokenisation in the message's language (see module docstring)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # extra copies of a longer message's question (module docstring); 0: none
            "question_focus": 0,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualSpacyTokenizer:
        for language in SUPPORTED:  # build the three tokenizers once, not per message
            spacy_text.pipeline(language)
        load_spoken_forms()  # a broken spoken.yml stops the model from loading, not a message
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        language = message_language(message)
        tokens = [
            # the token's own characters (any lone surrogate as typed), lemma of the safe form
            # a filler that looks like a service's name (Swedish "typ") counts as what it means
            Token(text[start:start + len(token)], start,
                  lemma=filler_meaning(text, start, token, language) or spoken_lemma(token, language))
            for token, start in spacy_text.tokens(text, language or "xx")
            if token.strip()
        ]
        copies = int(self._config.get("question_focus") or 0)
        if copies and attribute == "text":
            spans = question_spans(text)
            tokens += [Token(t.text, t.start, lemma=t.lemma) for t in tokens
                       if any(a <= t.start < b for a, b in spans)] * copies
        return self._apply_token_pattern(tokens)
