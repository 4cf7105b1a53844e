"""Everyday words that look like the name of one of the assistant's services.

Finland-Swedish "typ" (like, about: "vi jobbar typ 45h i veckan", "ja har typ inga pengar") is
a filler, not TYP, the multisectoral joint service; Swedish writers name the service in capitals
("TYP", "TYP:s"). In a Swedish message the filler written in lower case is read as what it
means ("ungefär"): by the classifier's word features (bot/rasa_components/tokenizer.py) and by
the scope words (bot/rasa_components/scope_gate.py, actions/answers.py), so that it makes a
question neither about TYP nor about the assistant's subject. named_services.yml already names
TYP in Swedish in capitals only. Finnish has no such filler: a Finnish "typ" is the service.
"""
from __future__ import annotations

import re

#: language -> {filler as written (lower case, whole word): the word it means}
FILLERS: dict[str, dict[str, str]] = {"sv": {"typ": "ungefär"}}

# whole words only: "typ:n", "TYP-asiakas" and "typen" are other words
_PATTERNS = {language: re.compile(r"(?<![\w:-])(" + "|".join(map(re.escape, words)) + r")(?![\w:-])")
             for language, words in FILLERS.items()}


def filler_meaning(word: str, language: str | None) -> str | None:
    """What ``word`` means when it is a filler of ``language`` as written (case counts), else None."""
    return FILLERS.get(language or "", {}).get(word)


def without_fillers(text: str, language: str | None) -> str:
    """``text`` with the fillers of ``language`` replaced by what they mean."""
    pattern = _PATTERNS.get(language or "")
    if pattern is None:
        return text
    words = FILLERS[language or ""]
    return pattern.sub(lambda m: words[m.group(1)], text)
