"""Written forms of spoken and chat words, for the classifier's word features.

``spoken_lemma(word, language)`` is the lemma the tokenizer gives a word: the dictionary's
(``bot.nlu.lemmas.lemma``) for a word the dictionary knows, otherwise the lemma of its
written form from ``spoken.yml`` next to this module ("pitäis" -> "pitäisi" -> "pitää",
"kuntsarissa" -> "kuntouttavassa" -> "kuntouttaa", "wanna" -> "want"). See that file for how the
forms and the rewrite rules are written.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.language.tags import LANGUAGES
from bot.nlu.lemmas import is_known, lemma

SPOKEN_FILE = Path(__file__).with_name("spoken.yml")


class SpokenFormsError(ValueError):
    """spoken.yml cannot be used; the message names the language and the entry."""


@dataclass(frozen=True)
class SpokenForms:
    words: Mapping[str, str]
    rewrites: tuple[tuple[re.Pattern[str], str], ...]


def parse(data: Any, name: str = "spoken.yml") -> dict[str, SpokenForms]:
    """Each language's forms, or ``SpokenFormsError`` naming every problem."""
    if not isinstance(data, Mapping) or set(data) != set(LANGUAGES):
        raise SpokenFormsError(f"{name}: expected exactly the languages {', '.join(LANGUAGES)}")
    problems: list[str] = []
    out: dict[str, SpokenForms] = {}
    for language in LANGUAGES:
        section = data[language]
        if not isinstance(section, Mapping) or set(section) != {"words", "rewrites"}:
            problems.append(f"{name}: {language}: expected `words` and `rewrites`")
            continue
        words = section["words"] or {}
        if not isinstance(words, Mapping):
            problems.append(f"{name}: {language}: words: expected spoken form: written form")
            words = {}
        for spoken, written in words.items():
            if not (isinstance(spoken, str) and isinstance(written, str) and spoken.strip() and written.strip()):
                problems.append(f"{name}: {language}: words: {spoken!r}: {written!r} is not a pair of words")
            elif spoken != spoken.lower() or " " in spoken:
                problems.append(f"{name}: {language}: words: {spoken!r}: write one word in lower case")
        rewrites = []
        for entry in section["rewrites"] or []:
            if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry)):
                problems.append(f"{name}: {language}: rewrites: {entry!r}: expected [pattern, replacement]")
                continue
            try:
                rewrites.append((re.compile(entry[0]), entry[1]))
            except re.error as error:
                problems.append(f"{name}: {language}: rewrites: {entry[0]!r}: {error}")
        out[language] = SpokenForms({str(k): str(v) for k, v in words.items()}, tuple(rewrites))
    if problems:
        raise SpokenFormsError("; ".join(problems))
    return out


@lru_cache(maxsize=4)
def load(path: Path = SPOKEN_FILE) -> dict[str, SpokenForms]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


@lru_cache(maxsize=65536)
def written_form(word: str, language: str | None) -> str | None:
    """The written form of a spoken ``word`` (listed, or one the dictionary does not know
    that a rewrite turns into one it knows), or None."""
    if language is None or language not in load():
        return None
    forms = load()[language]
    low = word.lower()
    if low in forms.words:
        return forms.words[low]
    if not low.isalpha() or is_known(low, language):
        return None
    for pattern, replacement in forms.rewrites:
        match = pattern.fullmatch(low)
        if match is None:
            continue
        candidate = match.expand(replacement)
        if candidate != low and is_known(candidate, language):
            return candidate
    return None


def spoken_lemma(word: str, language: str | None) -> str:
    """The lemma of ``word``, through its written form when it is a spoken one."""
    written = written_form(word, language)
    return lemma(written if written is not None else word, language)
