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
#: The filler comes before what it hedges ("typ 45h", "typ inga pengar"); the service's name can
#: end a clause or be joined to another ("skillnaden på typ å kommunen", "vad är typ?"): before
#: these words, or a punctuation mark or the end, it is the name.
NOT_BEFORE = {"sv": ("och", "å", "o", "eller", "elle", "sen", "samt")}


def _pattern(language: str) -> re.Pattern[str]:
    """A filler of ``language`` as a whole word ("typ:n", "TYP-asiakas" and "typen" are other
    words), followed by a word that is not one of ``NOT_BEFORE``."""
    not_before = "|".join(map(re.escape, NOT_BEFORE.get(language, ())))
    after = r"(?!(?:" + not_before + r")\b)" if not_before else ""
    return re.compile(r"(?<![\w:-])(" + "|".join(map(re.escape, FILLERS[language])) + r")(?=[ \t]+" + after + r"\w)")


_PATTERNS = {language: _pattern(language) for language in FILLERS}


def filler_meaning(text: str, start: int, word: str, language: str | None) -> str | None:
    """What ``word``, at ``start`` in ``text``, means when it is a filler of ``language`` there
    (as written: case counts), else None."""
    meaning = FILLERS.get(language or "", {}).get(word)
    if meaning is None or _PATTERNS[language or ""].match(text, start) is None:
        return None
    return meaning


def without_fillers(text: str, language: str | None) -> str:
    """``text`` with the fillers of ``language`` replaced by what they mean."""
    pattern = _PATTERNS.get(language or "")
    if pattern is None:
        return text
    words = FILLERS[language or ""]
    return pattern.sub(lambda m: words[m.group(1)], text)
