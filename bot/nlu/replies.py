"""Interview answers that are not facts: "I don't know".

``is_dont_know("en tiiä", "fi")`` is True. The phrases are in the word files
(``replies:`` in bot/nlu/words/<lang>.yml). A message counts when, after optional fillers
("hmm", "no", "well"), it starts with a phrase and then ends, goes on with an adverb
("en tiedä vielä", "not sure yet") or with "if/whether" about the writer's own situation
("en tiedä onko mulla suunnitelmaa", "not sure if I have a plan"). "I don't know what
TYP is" goes on with a question word: that is a question, not an answer. Long messages
(more than ``MAX_WORDS`` words) are never a plain "don't know".

The interview (actions/interview.py) takes such an answer as "unknown" for the question
asked, whatever the intent classifier made of it ("en tiedä" starts like a "no").
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.nlu.extract.patterns import fold, tolerant
from bot.nlu.extract.words import LANGUAGES, WORDS

MAX_WORDS = 12
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\W_]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'"})
_QUESTION_WORD = {lang: re.compile(tolerant(WORDS[lang].question_pattern)) if WORDS[lang].question_pattern else None
                  for lang in LANGUAGES}


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _WORD.findall(text.translate(_APOSTROPHES).lower()))


@cache
def _table(lang: str) -> tuple[tuple[tuple[str, ...], ...], frozenset, frozenset, frozenset]:
    words = WORDS[lang]
    phrases = sorted({tuple(fold(w) for w in p) for p in words.dont_know}, key=len, reverse=True)

    def fold_all(items: Iterable[str]) -> frozenset[str]:
        return frozenset(fold(w) for w in items)

    return tuple(phrases), fold_all(words.reply_before), fold_all(words.reply_after), fold_all(words.reply_continues)


def _matches(words: tuple[str, ...], lang: str) -> bool:
    phrases, before, after, continues = _table(lang)
    fillers = 0
    while fillers < len(words) and words[fillers] in before:
        fillers += 1
    # a filler may also begin a phrase: "ei hajuakaan", "no idea"
    for i in range(fillers + 1):
        for phrase in phrases:
            if words[i:i + len(phrase)] != phrase:
                continue
            rest = words[i + len(phrase):]
            while rest and rest[0] in after:
                rest = rest[1:]
            if not rest or rest[0] in continues:
                return True
            question = _QUESTION_WORD[lang]
            # Finnish "en tiedä onko mulla...": an -ko/-kö word asks whether, like "if"
            return bool(question is not None and question.fullmatch(rest[0]))
    return False


def is_dont_know(text: str, language: str | None = None) -> bool:
    """True when the message says "I don't know" (in any of fi/sv/en: residents mix them)."""
    if not isinstance(text, str):
        return False
    words = _words(text)
    if not words or len(words) > MAX_WORDS:
        return False
    order = [language] if language in LANGUAGES else []
    order += [lang for lang in LANGUAGES if lang not in order]
    return any(_matches(words, lang) for lang in order)
