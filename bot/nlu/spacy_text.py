"""Tokenising untrusted text with spaCy's blank pipelines, safely and in linear time.

Two problems of spaCy's tokenizer with what residents (or channel webhooks) can send:

* It is quadratic in a run of punctuation or symbols without a space (it peels one prefix
  or suffix character at a time and re-scans the rest): 2000 of "€", "(" or emoji cost
  2-5 s of CPU, during which Rasa answers nobody. Chunks like that are split here into
  word runs and single symbols, which is what spaCy would produce for them anyway.
* A lone UTF-16 surrogate (JSON "\\ud800" decoded by a channel) makes it raise
  UnicodeEncodeError. It is replaced by U+FFFD for spaCy; one character for one keeps
  every offset valid, and callers take token text from the original string.

:func:`pipeline` and :func:`split_chunk_cached` are the one place where the blank
pipelines are built and chunk tokens cached, for the profile extractor and the Rasa
tokenizer alike.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from bot.language.tags import LANGUAGES

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CHUNK = re.compile(r"\S+")
_WORD_OR_SYMBOL = re.compile(r"\w+|[^\w\s]")
# Below this length spaCy's quadratic cost is negligible (microseconds).
LONG_CHUNK = 50
# Modifiers inside emoji sequences (variation selectors, zero-width joiner; skin tones are
# Sk and count) neither start nor end a run.
_NEUTRAL = {"Mn", "Me", "Cf"}
SUPPORTED = LANGUAGES


def without_lone_surrogates(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def longest_symbol_run(value: str) -> int:
    """The longest run of punctuation and symbol characters (categories P* and S*)."""
    longest = current = 0
    for ch in value:
        category = unicodedata.category(ch)
        if category[0] in "PS":
            current += 1
            if current > longest:
                longest = current
        elif category not in _NEUTRAL:
            current = 0
    return longest


def split_chunk(nlp, chunk: str) -> tuple[tuple[str, int], ...]:
    """(token, offset) of one whitespace-free chunk: spaCy's tokens, or word runs and
    single symbols for a long chunk with a long symbol run."""
    if len(chunk) > LONG_CHUNK and longest_symbol_run(chunk) > LONG_CHUNK // 2:
        return tuple((m.group(), m.start()) for m in _WORD_OR_SYMBOL.finditer(chunk))
    return tuple((t.text, t.idx) for t in nlp.make_doc(without_lone_surrogates(chunk)))


@cache
def pipeline(language: str):
    """spaCy's blank pipeline (tokenizer only) for fi/sv/en, else the multi-language one;
    built once per language. spaCy is imported here, not at module import: the gateway
    uses this module's checks without tokenising."""
    import spacy

    return spacy.blank(language if language in SUPPORTED else "xx")


@lru_cache(maxsize=50_000)
def split_chunk_cached(chunk: str, language: str) -> tuple[tuple[str, int], ...]:
    """:func:`split_chunk` with ``pipeline(language)``, cached per chunk.

    spaCy's tokenizer first splits on whitespace and none of the blank fi/sv/en exceptions
    contains a space, so tokenising chunk by chunk gives the same tokens as the whole text.
    Caching per chunk matters because spaCy skips its own cache for the rest of a text
    after an exception such as "I'm", which makes English messages several times slower.
    """
    return split_chunk(pipeline(language), chunk)


def tokens(text: str, language: str) -> Iterator[tuple[str, int]]:
    """(token, offset) for a whole text in ``language`` (any other code: spaCy's
    multi-language tokenizer), chunk by chunk with the per-chunk cache: the same tokens as
    ``pipeline(language).make_doc(text)``."""
    for chunk in _CHUNK.finditer(text):
        for token, offset in split_chunk_cached(chunk.group(), language):
            yield token, chunk.start() + offset
