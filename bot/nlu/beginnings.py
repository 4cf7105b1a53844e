"""Matching word beginnings, the way staff write word lists that need no patterns.

A list entry matches a word of the message that starts with it ("toimeentulotu" matches
"toimeentulotuen"), or, when it has a space, the same words in a row ("social assistance").
An entry ending in ``$`` matches the whole word only ("typ$": "TYP", "TYP:n", not "type").
An entry starting with ``*`` matches inside a word too, for the last part of a compound:
"*eläk" matches "työkyvyttömyyseläkkeen", "*bidrag" "handikappbidrag"; with ``$`` as well, the
word's end ("*tuki$": "työttömyystuki", not "tukihenkilö").
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


#: How :func:`beginning` marks an entry that may start inside a word.
INSIDE = "*"


def beginning(entry: str) -> str:
    """A list entry in the form :func:`first_match` compares: folded, punctuation as spaces
    ("te-toimisto" → "te toimisto"); a final ``$`` (whole word only) becomes a final space,
    a leading ``*`` (inside a word too) stays."""
    entry = entry.strip()
    whole = entry.endswith("$")
    inside = entry.startswith(INSIDE)
    folded = folded_words(entry.rstrip("$").lstrip(INSIDE)).strip()
    if not folded:
        return ""
    return (INSIDE if inside else "") + folded + (" " if whole else "")


def length(entry: str) -> int:
    """How specific a :func:`beginning` is: its letters, without the ``*`` mark."""
    return len(entry) - (1 if entry.startswith(INSIDE) else 0)


def first_match(words: str, beginnings: Iterable[str]) -> str | None:
    """The first of ``beginnings`` (made by :func:`beginning`) that starts a word, or a run
    of words, of ``words`` (made by :func:`folded_words`) - or, marked ``*``, is found inside
    a word; None if none does."""
    return next((b for b in beginnings if b and (b[1:] in words if b.startswith(INSIDE) else f" {b}" in words)),
                None)
