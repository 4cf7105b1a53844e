"""From words to what the engine matches: kind characters, flag bits, rule patterns.

* Every kind (a concept such as ``REF`` or ``UNEMP``, defined per language in the word
  files) gets one character; a clause is then a string with one character per token
  ("." for a token without a kind), and rule patterns over kinds compile into ordinary
  regular expressions over that string (:func:`compile_pattern`).
* Every flag gets one bit; a token's flags are an int.
* Patterns and word lists are written with diacritics and also accept the letters
  without them ("tyoton", "lahete", "arbetslos").
"""
from __future__ import annotations

import re

from bot.nlu.extract.words import LANGUAGES, WORD_FLAGS, WORDS

# Flags the engine sets itself (bot/nlu/extract/analysis.py), after those of the word lists.
ENGINE_FLAGS = ("SENTENCE_END", "CLAUSE_PUNCT", "FI_QUESTION", "NEG_AND", "SELF", "PREDICATE", "PERSON")
FLAG_NAMES = WORD_FLAGS + ENGINE_FLAGS
BIT = {name: 1 << i for i, name in enumerate(FLAG_NAMES)}

_TOLERANT = {"ä": "[äa]", "ö": "[öo]", "å": "[åa]", "é": "[ée]"}
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})


def tolerant(pattern: str) -> str:
    """Let a pattern written with diacritics also match text typed without them."""
    return "".join(_TOLERANT.get(ch, ch) for ch in pattern)


def fold(word: str) -> str:
    return word.translate(_FOLD)


# One character per kind; "." for a token without a kind (so "_" in patterns = any token).
_KIND_NAMES = sorted({name for words in WORDS.values() for name, _ in words.kinds + words.cased_kinds}
                     | {"NONE"})
_CHAR_POOL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"
_NAMED_KINDS = [n for n in _KIND_NAMES if n != "NONE"]
if len(_NAMED_KINDS) > len(_CHAR_POOL):
    raise ValueError(f"too many kinds ({len(_NAMED_KINDS)}) in bot/nlu/words/*.yml: at most {len(_CHAR_POOL)}")
KIND_CHAR = dict(zip(_NAMED_KINDS, _CHAR_POOL))
KIND_CHAR["NONE"] = "."


def kind_char(name: str) -> str:
    try:
        return KIND_CHAR[name]
    except KeyError:
        raise ValueError(f"kind {name!r} is used by a rule but defined in no bot/nlu/words/*.yml") from None


def _kind_regex(rows: tuple[tuple[str, str], ...], tolerant_: bool) -> re.Pattern:
    parts = [f"(?P<k{i}_{name}>{tolerant(p) if tolerant_ else p})" for i, (name, p) in enumerate(rows)]
    return re.compile("|".join(parts))


# Per language: the kinds as one regex (group name "k<row>_<KIND>"), lower-case and cased.
# Every word file has kinds (words.py checks); cased kinds are optional.
KIND_RE = {lang: _kind_regex(WORDS[lang].kinds, True) for lang in LANGUAGES}
CASED_RE = {lang: _kind_regex(WORDS[lang].cased_kinds, False) if WORDS[lang].cased_kinds else None
            for lang in LANGUAGES}


def kind_group(match: re.Match) -> str:
    """The name of the group a KIND_RE/CASED_RE match matched ("k<row>_<KIND>")."""
    assert match.lastgroup is not None  # every alternative is a named group
    return match.lastgroup


def kind_of(match: re.Match) -> str:
    """The kind name of a KIND_RE/CASED_RE match."""
    return kind_group(match).split("_", 1)[1]


def _flag_tables(lang: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(word -> bits, word without diacritics -> bits, other-person lemma -> bits)."""
    exact: dict[str, int] = {}
    for name, words in WORDS[lang].flags.items():
        for word in words:
            exact[word] = exact.get(word, 0) | BIT[name]
    folded: dict[str, int] = {}
    for word, bits in exact.items():
        folded[fold(word)] = folded.get(fold(word), 0) | bits
    # a close person by a noun ("poika", "son", "partner"): PERSON, besides OTHER, which the
    # pronouns ("hän", "she") and the addressee ("sinä", "you") have too
    lemmas = {word: BIT["OTHER"] | BIT["PERSON"] for word in WORDS[lang].other_person}
    return exact, folded, lemmas


FLAG_TABLES = {lang: _flag_tables(lang) for lang in LANGUAGES}

_PATTERN_TOKEN = re.compile(r"\(\?!|\[|\]|[A-Z][A-Z_]+|_|\{\d+(?:,\d+)?\}|[()|?*+]|\s+")


def compile_pattern(pattern: str) -> re.Pattern:
    """'[ACTIVATION DASH? PLAN]' -> regex over one character per token.

    Kind names become their character, "_" any token, "[...]" the span of the fact
    (named group "head"); ( | ) ? * + {m,n} and (?! ) keep their regex meaning.
    """
    out = []
    pos = 0
    for match in _PATTERN_TOKEN.finditer(pattern):
        if match.start() != pos:
            raise ValueError(f"bad pattern {pattern!r} at {pos}")
        pos = match.end()
        piece = match.group()
        if piece.isspace():
            continue
        if piece == "[":
            out.append("(?P<head>")
        elif piece == "]":
            out.append(")")
        elif piece == "_":
            out.append(".")
        elif piece[0].isupper():
            out.append(re.escape(kind_char(piece)))
        else:
            out.append(piece)
    if pos != len(pattern):
        raise ValueError(f"bad pattern {pattern!r}")
    regex = re.compile("".join(out))
    if "head" not in regex.groupindex:
        regex = re.compile(f"(?P<head>{regex.pattern})")
    return regex


def anchors(pattern: str) -> frozenset:
    """Kinds inside the head that are not optional: a clause without any of them cannot match."""
    head = pattern[pattern.index("[") + 1:pattern.rindex("]")] if "[" in pattern else pattern
    return frozenset(kind_char(name) for name, optional in re.findall(r"([A-Z][A-Z_]+)(\??)", head)
                     if not optional)
