"""The extractor's word lists: ``bot/nlu/words/<language>.yml``, loaded and checked.

Each file holds one language's words (see the comment at the top of a file for how staff
add one). :func:`load_words` reads a file and checks it completely: unknown or missing
keys, a kind or flag name that is not written in capitals, a pattern that is not a valid
regular expression, a word that is not lower case or contains a space, a wrong type. Every
problem is reported as ``WordListError("<file>: <key>: <what is wrong>")``, all of them at
once. :data:`WORDS` is loaded when this module is imported, so a broken file stops the
assistant at start-up instead of misreading residents later.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.language.tags import LANGUAGES

WORDS_DIR = Path(__file__).resolve().parent.parent / "words"

# Flags that word lists set (see bot/nlu/extract/patterns.py for the flags the engine
# adds itself). Each file must list every one of them (an empty list is fine).
WORD_FLAGS = (
    "NEG",  # negation: "en", "ei", "inte", "not"
    "NEG_DET",  # negative determiner or "without": "ilman", "ingen", "no"
    "HAVE_NOT",  # with a negation, "have no": "ei oo (töitä)", "har (inget jobb)", "don't have"
    "FP",  # the writer: "minä", "jag", "I", 1st-person verb forms
    "FP_OBJ",  # the writer as object: "minut", "mig", "me"
    "FP_VERB",  # a verb that, starting a clause with no subject, means the writer: "bor", "live"
    "POSS",  # "my": "minun", "min", "my"
    "HAVE",  # having or getting a document: "minulla", "har", "have"
    "RECEIVE",  # receiving a benefit: "saan", "får", "get"
    "CLIENT_CUE",  # being a client: "asioin", "går", "see"
    "MODAL",  # wish, need, intention: "haluan", "vill", "want"
    "HEDGE",  # uncertainty: "ehkä", "kanske", "maybe"
    "HEDGE_IF_NEG",  # uncertainty when negated: "en tiedä", "vet inte", "not sure"
    "QWORD",  # question words: "mikä", "vad", "what"
    "AUX_Q",  # an auxiliary that starts a yes/no question: "har", "do"
    "AUX_SUBJECT",  # a subject right after an AUX_Q word, a question without "?": "(får) jag", "(is) it"
    "HYPO",  # condition: "jos", "om", "if"
    "AND",  # "ja", "och", "and"
    "BUT",  # other conjunctions that start a clause: "mutta", "men", "but"
    "OTHER",  # another person: "hän", "hon", "she"
    "GENERIC",  # people in general: "ihmiset", "man", "people"
    "RESIDENCE",  # living somewhere: "asun", "bor", "live"
    "ELSEWHERE",  # a place that is not home: "töissä", "jobbar", "work"
    "BORN",  # a birthplace: "synnyin", "född", "born"
    "MOVE",  # moving house: "muutin", "flyttade", "moved"
    "ORIGIN",  # the place moved from: "från", "from" (Finnish says it with the case ending)
    "NEAR",  # a place next to home, not home: "lähellä", "nära", "near"
    "DIRECTION",  # a compass direction before DIRECTION_OF and a place: "söder (om)", "south (of)"
    "DIRECTION_OF",  # the word after a DIRECTION, before the place: "om", "of"
    "PAST",  # a past state: "olin", "var", "was"
    "FUTURE",  # unemployment to come: "jäämässä (työttömäksi)", "blir (arbetslös)", "become (unemployed)"
    "BLOCK",  # a noun between "I have" and the document: "kysymys", "fråga", "question"
    "BLOCK_AFTER",  # a word after the match that changes it: "haastattelu", "interview"
    "DURATION",  # a time span before a number: "yli", "sedan", "for"
    "AGE_PRE",  # a word before a number that makes it an age: "ikä", "ålder", "aged"
    "SCOPE_LONG",  # negating a duration, not the fact: "kauan", "länge", "long"
    "SCOPE_SINCE",  # next to a SCOPE_LONG word, "in a long time": "(pitkään) aikaan", "på (länge)", "(long) time"
    "PERFECT_AUX",  # makes the past form after it a present perfect: "have (had)", "has (had)"
    "CONTRAST_IF_NEG",  # "utan" = "but" after a negation
)

AGE_KEYS = ("copula", "copula_person", "link", "years", "years_abbreviated", "old", "strong_words", "glued_strong",
            "glued_weak", "non_age_units", "after_reject", "pre_reject", "decades", "decades_need")
# Decades that may stand for an age: their first year routes like every other year of the
# decade (the route engine's limits are 18, 63 and 65), so "kolmekymppinen" can be 30.
DECADES = (20, 30, 40, 50)
MUNICIPALITY_KEYS = ("wordlike", "demonym", "nicknames")
REPLY_KEYS = ("dont_know", "before", "after", "continues")
CLAUSE_KEYS = ("question_pattern", "not_question", "not_a_conjunction", "not_other", "behalf_pattern")
TOP_KEYS = ("language", "kinds", "cased_kinds", "flags", "other_person", "language_hints", "spouse_stems",
            "self_nouns", "yes_before_other",
            "age", "municipality", "clauses", "replies")

_NAME = re.compile(r"[A-Z][A-Z_]*")


class WordListError(ValueError):
    """A word file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Words:
    """One language's words, as read from its file."""

    language: str
    kinds: tuple[tuple[str, str], ...]  # (kind, regex for the whole word), in order
    cased_kinds: tuple[tuple[str, str], ...]
    flags: Mapping[str, tuple[str, ...]]  # flag -> words
    other_person: tuple[str, ...]
    language_hints: frozenset[str]
    spouse_stems: frozenset[str]
    self_nouns: frozenset[str]  # "man", "woman": with an age they introduce the writer
    yes_before_other: frozenset[str]  # "ja" before "han": "yes", not "I" (see the sv file)
    age: Mapping[str, frozenset[str]]
    decades: tuple[tuple[int, str], ...]  # (decade, regex for the whole word)
    wordlike_municipalities: frozenset[str]
    nicknames: tuple[tuple[str, str], ...]  # (official Finnish name, regex for the whole word)
    demonym: str  # regex, "" = none
    question_pattern: str  # regex, "" = none
    behalf_pattern: str  # regex, "" = none: "kirjoitan poikani puolesta", "asking for a friend"
    not_question: frozenset[str]
    not_a_conjunction: frozenset[tuple[str, str]]
    not_other: frozenset[tuple[str, str]]
    dont_know: tuple[tuple[str, ...], ...]  # phrases as word tuples
    reply_before: frozenset[str]
    reply_after: frozenset[str]
    reply_continues: frozenset[str]


class _WordLoader(yaml.SafeLoader):
    """Keeps words as strings: YAML 1.1 would read "no", "on" and "yes" as booleans."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Checker:
    """Collects every problem of one file, each with its key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def mapping(self, value: Any, key: str, expected: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(key, f"expected a mapping with keys {', '.join(expected)}")
            return {}
        for name in value:
            if name not in expected:
                self.fail(f"{key}.{name}" if key else str(name),
                          f"unknown key (expected one of: {', '.join(expected)})")
        for name in expected:
            if name not in value:
                self.fail(f"{key}.{name}" if key else name, "missing")
        return value

    def word_list(self, value: Any, key: str, lower: bool = True, phrases: bool = False) -> tuple[str, ...]:
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(key, "expected a list of words, e.g. [sana, toinen]")
            return ()
        words = []
        for i, word in enumerate(value):
            if not isinstance(word, str) or not word.strip():
                self.fail(f"{key}[{i}]", f"expected a word, got {word!r}")
                continue
            if word != word.strip() or (not phrases and any(ch.isspace() for ch in word)):
                self.fail(f"{key}[{i}]", f"{word!r}: a word may not contain spaces")
                continue
            if lower and word != word.lower():
                self.fail(f"{key}[{i}]", f"{word!r}: write words in lower case")
                continue
            words.append(word)
        return tuple(words)

    def regex(self, value: Any, key: str) -> str | None:
        if value is None or value == "":
            return ""
        if not isinstance(value, str):
            self.fail(key, f"expected a regular expression, got {value!r}")
            return None
        try:
            re.compile(value)
        except re.error as error:
            self.fail(key, f"invalid pattern {value!r}: {error}")
            return None
        return value

    def pattern_map(self, value: Any, key: str, allowed=None) -> tuple[tuple[Any, str], ...]:
        """{name: [pattern, ...]} -> ((name, "p1|p2"), ...), patterns in lower case."""
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.fail(key, "expected a mapping like {name: [pattern, ...]}")
            return ()
        out = []
        for name, patterns in value.items():
            where = f"{key}.{name}"
            if allowed is not None and name not in allowed:
                self.fail(where, f"not allowed here (allowed: {', '.join(map(str, allowed))})")
                continue
            if not isinstance(patterns, list) or not patterns:
                self.fail(where, "expected a list of patterns")
                continue
            parts = []
            for j, pattern in enumerate(patterns):
                checked = self.regex(pattern, f"{where}[{j}]")
                if checked and checked == checked.lower():
                    parts.append(checked)
                elif checked is not None:
                    self.fail(f"{where}[{j}]", f"{pattern!r}: write a non-empty pattern in lower case")
            if len(parts) == len(patterns):
                out.append((name, "|".join(parts)))
        return tuple(out)

    def kinds(self, value: Any, key: str, lower: bool) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(key, "expected a list of '- KIND: [pattern, ...]' entries")
            return ()
        rows = []
        for i, row in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(row, dict) or len(row) != 1:
                self.fail(where, "expected one entry '- KIND: [pattern, ...]'")
                continue
            (name, patterns), = row.items()
            where = f"{key}[{i}] ({name})"
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                self.fail(where, "a kind name is written in capitals, e.g. UNEMP")
                continue
            if isinstance(patterns, str):
                patterns = [patterns]
            if not isinstance(patterns, list) or not patterns:
                self.fail(where, "expected a list of patterns")
                continue
            parts = []
            for j, pattern in enumerate(patterns):
                checked = self.regex(pattern, f"{where}[{j}]")
                if checked == "":
                    self.fail(f"{where}[{j}]", "empty pattern")
                elif checked is not None:
                    if lower and checked != checked.lower():
                        self.fail(f"{where}[{j}]", f"{checked!r}: write patterns in lower case "
                                                    f"(cased_kinds is for case-sensitive ones)")
                        continue
                    parts.append(checked)
            if len(parts) == len(patterns):
                rows.append((name, "|".join(parts)))
        return tuple(rows)


def load_words(path: Path) -> Words:
    """Read and check one word file; raises :class:`WordListError` listing every problem."""
    check = _Checker(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)
    except OSError as error:
        raise WordListError(f"{path}: cannot be read ({error})") from error
    except yaml.YAMLError as error:
        raise WordListError(f"{path}: not valid YAML: {error}") from error
    data = check.mapping(data, "", TOP_KEYS)
    language = data.get("language")
    if language != path.stem:
        check.fail("language", f"{language!r} does not match the file name ({path.stem!r})")

    flags_in = check.mapping(data.get("flags"), "flags", WORD_FLAGS)
    flags = {name: check.word_list(flags_in.get(name), f"flags.{name}") for name in WORD_FLAGS}
    age_in = check.mapping(data.get("age"), "age", AGE_KEYS)
    age = {name: frozenset(check.word_list(age_in.get(name), f"age.{name}"))
           for name in AGE_KEYS if name != "decades"}
    replies_in = check.mapping(data.get("replies"), "replies", REPLY_KEYS)
    phrases = check.word_list(replies_in.get("dont_know"), "replies.dont_know", phrases=True)
    mun_in = check.mapping(data.get("municipality"), "municipality", MUNICIPALITY_KEYS)
    clauses_in = check.mapping(data.get("clauses"), "clauses", CLAUSE_KEYS)

    def pairs(key: str) -> frozenset[tuple[str, str]]:
        out = set()
        for i, phrase in enumerate(check.word_list(clauses_in.get(key), f"clauses.{key}", phrases=True)):
            words = phrase.split()
            if len(words) != 2:
                check.fail(f"clauses.{key}[{i}]", f"{phrase!r}: expected two words")
            else:
                out.add((words[0], words[1]))
        return frozenset(out)

    wordlike = check.word_list(mun_in.get("wordlike"), "municipality.wordlike", lower=False)
    words = Words(
        language=str(language),
        kinds=check.kinds(data.get("kinds"), "kinds", lower=True),
        cased_kinds=check.kinds(data.get("cased_kinds"), "cased_kinds", lower=False),
        flags=flags,
        other_person=check.word_list(data.get("other_person"), "other_person"),
        language_hints=frozenset(check.word_list(data.get("language_hints"), "language_hints")),
        spouse_stems=frozenset(check.word_list(data.get("spouse_stems"), "spouse_stems")),
        self_nouns=frozenset(check.word_list(data.get("self_nouns"), "self_nouns")),
        yes_before_other=frozenset(check.word_list(data.get("yes_before_other"), "yes_before_other")),
        age=age,
        decades=check.pattern_map(age_in.get("decades"), "age.decades", allowed=DECADES),
        wordlike_municipalities=frozenset(wordlike),
        nicknames=check.pattern_map(mun_in.get("nicknames"), "municipality.nicknames"),
        demonym=check.regex(mun_in.get("demonym"), "municipality.demonym") or "",
        question_pattern=check.regex(clauses_in.get("question_pattern"), "clauses.question_pattern") or "",
        behalf_pattern=check.regex(clauses_in.get("behalf_pattern"), "clauses.behalf_pattern") or "",
        not_question=frozenset(check.word_list(clauses_in.get("not_question"), "clauses.not_question")),
        not_a_conjunction=pairs("not_a_conjunction"),
        not_other=pairs("not_other"),
        dont_know=tuple(tuple(phrase.split()) for phrase in phrases),
        reply_before=frozenset(check.word_list(replies_in.get("before"), "replies.before")),
        reply_after=frozenset(check.word_list(replies_in.get("after"), "replies.after")),
        reply_continues=frozenset(check.word_list(replies_in.get("continues"), "replies.continues")),
    )
    if not words.kinds:
        check.fail("kinds", "no kinds: the extractor would understand nothing")
    if check.problems:
        raise WordListError("\n".join(check.problems))
    return words


def load_all(directory: Path = WORDS_DIR) -> dict[str, Words]:
    """Every language's words; raises :class:`WordListError` naming each broken file."""
    loaded: dict[str, Words] = {}
    problems = []
    for lang in LANGUAGES:
        try:
            loaded[lang] = load_words(directory / f"{lang}.yml")
        except WordListError as error:
            problems.append(str(error))
    if problems:
        raise WordListError("\n".join(problems))
    return loaded


WORDS: dict[str, Words] = load_all()
