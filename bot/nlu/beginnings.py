"""Matching word beginnings, the way staff write word lists that need no patterns.

A list entry matches a word of the message that starts with it ("toimeentulotu" matches
"toimeentulotuen"), or, when it has a space, the same words in a row ("social assistance").
An entry ending in ``$`` matches the whole word only ("typ$": "TYP", "TYP:n", not "type").
Case, and ä/ö/å against a/o, do not matter: residents often type without them.
Used by ``bot/nlu/scope.py`` and ``bot/guidance/asking.py``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, NFKC, å/ä → a and ö → o."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("å", "a").replace("ä", "a").replace("ö", "o")


def folded_words(text: str) -> str:
    """The message's words, folded, separated and surrounded by single spaces."""
    return " " + " ".join(fold(w) for w in _WORD.findall(text or "")) + " "


def beginning(entry: str) -> str:
    """A list entry in the form :func:`first_match` compares: folded, punctuation as spaces
    ("te-toimisto" → "te toimisto"); a final ``$`` (whole word only) becomes a final space."""
    whole = entry.rstrip().endswith("$")
    folded = folded_words(entry.rstrip().rstrip("$")).strip()
    return folded + " " if whole and folded else folded


def first_match(words: str, beginnings: Iterable[str]) -> str | None:
    """The first of ``beginnings`` (made by :func:`beginning`) that starts a word, or a run
    of words, of ``words`` (made by :func:`folded_words`); None if none does."""
    return next((b for b in beginnings if b and f" {b}" in words), None)
