"""Short answers to the interview's questions, read as answers to the question asked.

``answer_to("client_of", "sossu", "fi")`` is ``"social_services"``; ``answer_to("plan",
"Monialainen työllistymissuunnitelma", "fi")`` is ``"multisectoral_plan"`` (a button's title
typed); ``answer_to("age", "nelkytviis", "fi")`` is 45; ``answer_to("unemployed", "no joo,
puoltoist vuotta", "fi")`` is True; ``answer_to("client_of", "mikä on TYP?", "fi")`` is None (a
question, not an answer).

Only the interview reads this (actions/interview.py), and only for the question it asked: the
same words in a first message mean something else ("TYP" asks about TYP, "no" starts many
Finnish sentences). The words are data (``question_answers.yml`` next to this module): the
choices' word beginnings (read as in :mod:`bot.nlu.beginnings`), the yes/no words and the number
words per language; the buttons' titles come from ``bot/knowledge/messages.yml`` through
:data:`bot.guidance.interview.BUTTONS`. Kept free of Rasa.

A message is read when it is short (at most :data:`MAX_WORDS` words) and asks nothing (no "?",
no question word). A choice answer names exactly one value; "none" answers ("ei mikään", "no
plan") are read first. With a negation, only the clauses without one choose ("työkkärin kans oon
tekemisissä, sossussa en oo käyny"); a "no" that then denies every choice it names is "none"
("ei oo viel, eikä omaa sossua"); "en ole TE:n asiakas" alone is not read here. A yes/no answer
is read from its first word after fillers; to the health question, a part of the body or an
illness named is a yes ("selkä vähän reistailee"); an age from the first number written in words
(10-110) that no unit makes something else ("neljä vuotta" is no age), or from a year of birth
("synnyin 1985").
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot import clock
from bot.guidance.interview import BUTTONS
from bot.language.tags import LANGUAGES
from bot.nlu.beginnings import beginning, first_match, fold, folded_words
from bot.nlu.extract.analysis import Analysis
from bot.nlu.extract.patterns import KIND_CHAR
from bot.nlu.extract.words import WORDS
from bot.profile import BOOLEAN_FIELDS, ENUM_FIELDS

ANSWERS_FILE = Path(__file__).with_name("question_answers.yml")
#: Longer messages are told to the extractor's rules, which judge negation, tense and person.
MAX_WORDS = 8
#: A yes/no answer may go on ("yes, about five years. my back is why i can't..."): its first
#: word decides, so it is read up to this length.
MAX_YES_NO_WORDS = 25
NONE = "none"
#: What a plain "yes" to a choice question means (as the slot mappings of config/domain/core.yml):
#: either referral leads to the same route, either plan satisfies the requirement.
YES_MEANS = {"referral": "social_welfare", "plan": "activation_plan"}
AGES = range(10, 111)
#: Word beginnings (folded) for being born, with a year of birth: "synnyin", "syntynyt",
#: "född", "born", "birth".
BIRTH_WORDS = ("synn", "synty", "fodd", "fode", "born", "birth")
#: To "Does your health affect how you can work?", a part of the body or an illness named and
#: not denied is a yes ("selkä vähän reistailee", "lite, ryggen", "anxiety mostly"): the
#: extractor's word classes (bot/nlu/words/*.yml); one that is fine ("selkä on kunnossa") is not.
CONDITION_FIELD = "health_affects_work_ability"
CONDITION_KINDS = ("BODY", "CONDITION", "GENERAL_CONDITION", "MENTAL", "DISABILITY", "ACHE", "ILL", "TIRED")
WELL_KINDS = ("GOOD", "HEALTHY")
_CONDITION_CHARS = frozenset(KIND_CHAR[k] for k in CONDITION_KINDS if k in KIND_CHAR)
_WELL_CHARS = frozenset(KIND_CHAR[k] for k in WELL_KINDS if k in KIND_CHAR)
_INFORM = re.compile(r"^/inform(\{.*\})$")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+", re.UNICODE)
_YEAR = re.compile(r"(?<![\d.,/-])(19\d\d|20\d\d)(?![\d.,/])")
_NUMBER = re.compile(r"\d+")


class QuestionAnswersError(ValueError):
    """question_answers.yml cannot be used; the message names every problem."""


class _Loader(yaml.SafeLoader):
    """Keeps words as strings: YAML 1.1 would read "no", "on" and "yes" as booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YesNo:
    fillers: frozenset[tuple[str, ...]]
    yes: tuple[tuple[str, ...], ...]  # phrases as folded word tuples, the longest first
    no: tuple[tuple[str, ...], ...]
    not_after_no: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Answers:
    choices: Mapping[str, Mapping[str, tuple[str, ...]]]  # field -> value -> beginnings, "none" first
    yes_no: Mapping[str, YesNo]  # language -> words
    numbers: Mapping[str, Mapping[str, int]]  # language -> folded word -> value (compounds included)
    tens: Mapping[str, Mapping[str, int]]  # language -> folded tens word -> value (20, 30, ...)
    units: Mapping[str, Mapping[str, int]]  # language -> folded units word -> value (1-9)
    denied_in_passing: Mapping[str, tuple[str, ...]]  # field -> beginnings (all languages)
    echo_rest: Mapping[str, frozenset[str]]  # language -> words that may follow a "yes" echo
    echoes: Mapping[str, Mapping[bool, Mapping[str, tuple[tuple[str, ...], ...]]]]  # field -> yes/no -> language
    why_asked: tuple[str, ...]  # beginnings (all languages)


def _phrases(words: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(fold(w) for w in _WORD.findall(p.lower())) for p in words}, key=len, reverse=True))


def parse(data: Any, path: Path = ANSWERS_FILE) -> Answers:
    """The file's answers; raise :class:`QuestionAnswersError` naming every problem."""
    problems: list[str] = []

    def fail(key: str, message: str) -> None:
        problems.append(f"{path}: {key}: {message}")

    def word_list(value: Any, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            fail(key, "expected a list of words")
            return []
        return value

    sections = {"choices", "yes_no", "echo_rest", "echoes", "numbers", "denied_in_passing", "why_asked"}
    if not isinstance(data, dict) or set(data) != sections:
        raise QuestionAnswersError(f"{path}: expected the sections {', '.join(sorted(sections))}")
    choices: dict[str, dict[str, tuple[str, ...]]] = {}
    for field, values in (data["choices"] or {}).items():
        if field not in ENUM_FIELDS or not isinstance(values, dict):
            fail(f"choices.{field}", f"expected a mapping of values for one of {', '.join(ENUM_FIELDS)}")
            continue
        table: dict[str, tuple[str, ...]] = {}
        for value, by_language in values.items():
            if value not in ENUM_FIELDS[field]:
                fail(f"choices.{field}.{value}", f"unknown value (expected one of {', '.join(ENUM_FIELDS[field])})")
                continue
            if not isinstance(by_language, dict) or set(by_language) - set(LANGUAGES):
                fail(f"choices.{field}.{value}", f"expected lists under {', '.join(LANGUAGES)}")
                continue
            entries = [beginning(w) for language, words in by_language.items()
                       for w in word_list(words, f"choices.{field}.{value}.{language}")]
            # the longest beginnings first: "ei mitään suunnitelm" before "ei mitään"
            table[value] = tuple(sorted({e for e in entries if e}, key=len, reverse=True))
        choices[field] = {NONE: table[NONE]} if NONE in table else {}
        choices[field].update({v: b for v, b in table.items() if v != NONE})

    yes_no: dict[str, YesNo] = {}
    numbers: dict[str, dict[str, int]] = {}
    tens: dict[str, dict[str, int]] = {}
    units: dict[str, dict[str, int]] = {}
    for language in LANGUAGES:
        words = (data["yes_no"] or {}).get(language)
        keys = ("fillers", "yes", "no", "not_after_no")
        if not isinstance(words, dict) or set(words) != set(keys):
            fail(f"yes_no.{language}", f"expected the lists {', '.join(keys)}")
        else:
            lists = {k: _phrases(word_list(words[k], f"yes_no.{language}.{k}")) for k in keys}
            yes_no[language] = YesNo(frozenset(lists["fillers"]), lists["yes"], lists["no"], lists["not_after_no"])
        spelled = (data["numbers"] or {}).get(language)
        if not isinstance(spelled, dict) or set(spelled) != {"units", "teens", "tens"}:
            fail(f"numbers.{language}", "expected units, teens and tens")
            continue
        table_of: dict[str, dict[str, int]] = {}
        for kind, low, high, scale in (("units", 1, 9, 1), ("teens", 10, 19, 1), ("tens", 2, 9, 10)):
            table_of[kind] = {}
            for number, entries in (spelled[kind] or {}).items():
                if not isinstance(number, int) or not low <= number <= high:
                    fail(f"numbers.{language}.{kind}.{number}", f"expected a number {low}-{high}")
                    continue
                for w in word_list(entries, f"numbers.{language}.{kind}.{number}"):
                    table_of[kind][fold(w.lower())] = number * scale
        tens[language], units[language] = table_of["tens"], table_of["units"]
        numbers[language] = {**table_of["units"], **table_of["teens"], **table_of["tens"]}
        # written together: "nelkytviis", "fyrtiosju", "twentyseven"
        numbers[language].update({t + u: tv + uv for t, tv in tens[language].items()
                                  for u, uv in units[language].items()})
    denied: dict[str, tuple[str, ...]] = {}
    for field, by_language in (data["denied_in_passing"] or {}).items():
        if field not in BOOLEAN_FIELDS or not isinstance(by_language, dict) or set(by_language) - set(LANGUAGES):
            fail(f"denied_in_passing.{field}", f"expected lists under {', '.join(LANGUAGES)} for one of "
                 f"{', '.join(BOOLEAN_FIELDS)}")
            continue
        denied[field] = tuple(beginning(w) for language, words in by_language.items()
                              for w in word_list(words, f"denied_in_passing.{field}.{language}") if beginning(w))
    echo_rest = {language: frozenset(w for p in _phrases(word_list((data["echo_rest"] or {}).get(language),
                                                                     f"echo_rest.{language}")) for w in p)
                 for language in LANGUAGES}
    echoes: dict[str, dict[bool, dict[str, tuple[tuple[str, ...], ...]]]] = {}
    for field, by_answer in (data["echoes"] or {}).items():
        if field not in (*BOOLEAN_FIELDS, *ENUM_FIELDS) or not isinstance(by_answer, dict) \
                or set(by_answer) != {"yes", "no"}:
            fail(f"echoes.{field}", "expected yes and no for a question's field")
            continue
        for answer, by_language in by_answer.items():
            if not isinstance(by_language, dict) or set(by_language) != set(LANGUAGES):
                fail(f"echoes.{field}.{answer}", f"expected lists under {', '.join(LANGUAGES)}")
                continue
            echoes.setdefault(field, {})[answer == "yes"] = {
                language: _phrases(word_list(words, f"echoes.{field}.{answer}.{language}"))
                for language, words in by_language.items()}
    why_in = data["why_asked"] or {}
    if not isinstance(why_in, dict) or set(why_in) != set(LANGUAGES):
        fail("why_asked", f"expected lists under {', '.join(LANGUAGES)}")
    why = tuple(beginning(w) for language in LANGUAGES if isinstance(why_in, dict)
                for w in word_list(why_in.get(language), f"why_asked.{language}") if beginning(w))
    if problems:
        raise QuestionAnswersError("\n".join(problems))
    return Answers(choices, yes_no, numbers, tens, units, denied, echo_rest, echoes, why)


@cache
def load(path: Path = ANSWERS_FILE) -> Answers:
    return parse(yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}, path)  # noqa: S506 (safe loader)


@cache
def _titles() -> dict[str, dict[str, str]]:
    """field -> {folded words of a button title in any language: the value its payload sets}."""
    from bot.knowledge import get_knowledge

    kb = get_knowledge()
    out: dict[str, dict[str, str]] = {}
    for field, buttons in BUTTONS.items():
        for title_id, payload in buttons:
            match = _INFORM.match(payload)
            message = kb.messages.get(title_id)
            if match is None or message is None:
                continue
            value = str(json.loads(match.group(1))[field])
            for language in LANGUAGES:
                if message.text.get(language):
                    out.setdefault(field, {})[folded_words(message.text.get(language)).strip()] = value
    return out


@cache
def _flag_words(flag: str) -> frozenset[str]:
    return frozenset(fold(w) for language in LANGUAGES for w in dict(WORDS[language].flags).get(flag, ()))


@cache
def _english_auxiliaries() -> frozenset[str]:
    return frozenset(fold(w) for w in dict(WORDS["en"].flags).get("AUX_Q", ()))


@cache
def _question_word_pattern() -> re.Pattern[str] | None:
    patterns = [WORDS[language].question_pattern for language in LANGUAGES if WORDS[language].question_pattern]
    return re.compile("|".join(f"(?:{fold(p)})" for p in patterns)) if patterns else None


def asks(text: str) -> bool:
    """Is the message a question ("what happens if I can't make it some days?") rather than an
    answer? A "?", or a question word first."""
    return isinstance(text, str) and _asks(text, _words(text))


def _asks(text: str, words: list[str]) -> bool:
    """A question: a "?", or a question word first ("mikä on TYP", "onks se pakko", "is TYP...").
    Only the first word: later ones are often something else (Swedish "det var" = it was). An
    auxiliary first asks only in English: Swedish "har ingen", "är inte" are answers."""
    if "?" in text:
        return True
    if not words:
        return False
    pattern = _question_word_pattern()
    return (words[0] in _flag_words("QWORD") or words[0] in _english_auxiliaries()
            or (pattern is not None and bool(pattern.fullmatch(words[0]))))


def _words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text.replace("’", "'").lower())]


def _starts(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> tuple[str, ...] | None:
    return next((p for p in phrases if tuple(words[:len(p)]) == p), None)


def yes_or_no(text: str, language: str, field: str | None = None) -> bool | None:
    """True/False from the first word of a yes/no answer after fillers, or from the question's
    own verb echoed (``echoes`` of ``field``); None if it has neither."""
    table = load().yes_no.get(language)
    words = _words(text)
    if table is None or not words or len(words) > MAX_YES_NO_WORDS or _asks(text, words):
        return None
    said = _first_word_answer(words, table)
    if said is not None or field is None:
        return said
    # the question's own verb at the start, else after a "but" ("han har diabetes men det
    # påverkar inte", "mulla on diabetes mut ei se vaikuta"); a plain "no" there may deny
    # something else ("teen keikkaa mutta en oo vakituisesti töissä")
    buts = _flag_words("BUT") | {"mut", "men", "but"}
    for start in [0] + [i + 1 for i, w in enumerate(words) if w in buts]:
        said = _echo(words[start:], table, language, field)
        if said is not None:
            return said
    return None


def _echo(words: list[str], table: YesNo, language: str, field: str) -> bool | None:
    answers = load()
    echoes = answers.echoes.get(field)
    if not echoes:
        return None
    rest = words
    while True:
        no = _starts(rest, echoes.get(False, {}).get(language, ()))
        if no is not None:
            return False
        yes = _starts(rest, echoes.get(True, {}).get(language, ()))
        if yes is not None:
            after = rest[len(yes):]
            return True if all(w in answers.echo_rest.get(language, ()) for w in after) else None
        filler = next((f for f in table.fillers if tuple(rest[:len(f)]) == f), None)
        if filler is None:
            return None
        rest = rest[len(filler):]


def _first_word_answer(words: list[str], table: YesNo) -> bool | None:
    for answer, phrases in ((False, table.no), (True, table.yes)):
        rest = words
        while True:
            phrase = _starts(rest, phrases)
            if phrase is not None:
                after = rest[len(phrase):]
                if answer is False and _starts(after, table.not_after_no):
                    return None  # "en halua kertoa", "I don't understand"
                return answer
            filler = next((f for f in table.fillers if tuple(rest[:len(f)]) == f), None)
            if filler is None or not rest:
                break
            rest = rest[len(filler):]
    return None


def spelled_age(text: str, language: str) -> int | None:
    """The first age written in words ("kolkytkolme", "fyrtiosju", "thirty nine"), or None."""
    answers = load()
    numbers = answers.numbers.get(language, {})
    tens, units = answers.tens.get(language, {}), answers.units.get(language, {})
    words = _words(text)
    if len(words) > MAX_YES_NO_WORDS:
        return None
    non_age = frozenset(fold(w) for w in WORDS[language].age["non_age_units"])
    for i, word in enumerate(words):
        value = numbers.get(word)
        if value is None:
            continue
        end = i + 1
        if word in tens and end < len(words) and words[end] in units:  # "thirty nine", "nelkyt viis"
            value, end = value + units[words[end]], end + 1
        if end < len(words) and words[end] in non_age:
            continue  # "neljä kuukautta", "fem dagar"
        if value in AGES:
            return value
    return None


def birth_year_age(text: str) -> int | None:
    """To "How old are you?", a year of birth ("synnyin 1985", "född 1978", "1990") gives the
    age turned this year (a year too much before the birthday: close enough for the routes'
    age limits to be checked by the worker who takes the first step). Only one year, of an age
    in ``AGES``, alone or with a word for birth (``BIRTH_WORDS``); a message with other numbers
    is not read."""
    years = _YEAR.findall(text)
    if len(years) != 1 or len(_NUMBER.findall(text)) != 1:
        return None
    words = [w for w in _words(text) if not w.isdigit()]
    if words and not any(w.startswith(BIRTH_WORDS) for w in words):
        return None  # "työttömänä vuodesta 2010" is no year of birth
    age = clock.today().year - int(years[0])
    return age if age in AGES else None


def _choice(field: str, text: str, language: str) -> str | None:
    choices = load().choices.get(field)
    if not choices:
        return None
    folded = folded_words(text)
    words = folded.split()
    title = _titles().get(field, {}).get(" ".join(words))
    if title is not None:
        return title
    if first_match(folded, choices.get(NONE, ())):
        return NONE
    if not any(w in _flag_words("NEG") or w in _flag_words("NEG_DET") for w in words):
        named = _named(choices, folded)
        return named.pop() if len(named) == 1 else None
    # with a negation, only what a clause without one names is chosen: "työkkärin kans oon
    # tekemisissä, sossussa en oo käyny" is the employment services; a "no" that then denies
    # every choice it names is none
    clauses = _named_by_clause(choices, text, language)
    affirmed = _affirmed(clauses)
    if len(affirmed) == 1:
        return affirmed.pop()
    return NONE if _only_denied(clauses, yes_or_no(text, language) is False) else None


def _named(choices: Mapping[str, tuple[str, ...]], folded: str) -> set[str]:
    return {value for value, beginnings in choices.items() if value != NONE and first_match(folded, beginnings)}


def _named_by_clause(choices: Mapping[str, tuple[str, ...]], text: str,
                     language: str) -> list[tuple[set[str], bool]]:
    """Per clause, the choices it names and whether it has a negation, the clauses as the
    extractor splits them (commas, "mut", "men", "but"...; an elliptic "eikä omaa sossua"
    keeps the negation of the clause before)."""
    analysis = Analysis(text, language)
    out: list[tuple[set[str], bool]] = []
    for clause in analysis.clauses:
        tokens = analysis.tokens[clause.start:clause.end]
        named = _named(choices, folded_words(text[tokens[0].start:tokens[-1].end]))
        out.append((named, clause.neg or clause.inherited_neg))
    return out


def _affirmed(clauses: list[tuple[set[str], bool]]) -> set[str]:
    return {value for named, negated in clauses if not negated for value in named}


def _only_denied(clauses: list[tuple[set[str], bool]], says_no: bool) -> bool:
    """A "no" to the question first, then every choice named denied: "ei oo viel, eikä omaa
    sossua", "no, not the TE office" (but "en oo TE:n asiakas" says nothing of the others)."""
    return (len(clauses) > 1 and (clauses[0][1] or says_no) and not clauses[0][0]
            and any(named for named, _ in clauses) and all(negated for named, negated in clauses if named))


#: How far before a word of ``denied_in_passing`` its negation may stand ("eikä mitään eläkettä"),
#: with no "but" between ("ei, mut oon kuntoutustuella" denies nothing of the support).
DENIAL_WINDOW = 2


def denied_in_passing(text: str, asked: str) -> dict[str, bool]:
    """Facts an answer to the ``asked`` question denies in passing ("ei, eikä eläkettä": no
    disability pension), as {field: False}; not the asked field itself."""
    if not isinstance(text, str) or len(_words(text)) > MAX_YES_NO_WORDS:
        return {}
    negations = _flag_words("NEG") | _flag_words("NEG_DET") | {"no", "nor", "neither", "heller"}
    buts = _flag_words("BUT") | {"mut", "men", "but"}
    words = _words(text)
    out: dict[str, bool] = {}
    for field, beginnings in load().denied_in_passing.items():
        if field == asked:
            continue
        for i in range(len(words)):
            rest = " " + " ".join(words[i:]) + " "
            if not any(b and rest.startswith(f" {b}") for b in beginnings):
                continue
            before = words[max(0, i - DENIAL_WINDOW):i]
            while any(w in buts for w in before):
                before = before[[w in buts for w in before].index(True) + 1:]
            if any(w in negations for w in [*before, *words[i + 1:i + 2]]):
                out[field] = False
                break
    return out


def names_a_condition(text: str, language: str) -> bool:
    """Does a clause without a negation or a question name a part of the body or an illness
    (``CONDITION_KINDS``), and nothing that is fine (``WELL_KINDS``)?"""
    return any(not (clause.neg or clause.inherited_neg or clause.question or clause.hypothetical)
               and _CONDITION_CHARS.intersection(clause.kinds) and not _WELL_CHARS.intersection(clause.kinds)
               for clause in Analysis(text, language).clauses)


def asks_why_asked(text: str) -> bool:
    """Does the message ask why the assistant asks ("miks sä kysyt tätä", "varför frågar du det")?"""
    return isinstance(text, str) and bool(first_match(folded_words(text), load().why_asked))


def _names_a_choice(field: str, text: str) -> bool:
    folded = folded_words(text)
    return any(first_match(folded, beginnings) for beginnings in load().choices.get(field, {}).values())


def answer_to(field: str, text: str, language: str) -> Any:
    """What a short answer to the ``field`` question says (see the module doc), or None: the
    value of a choice, True/False, or an age."""
    if not isinstance(text, str) or not text.strip():
        return None
    words = _words(text)
    if field == "age":
        return None if _asks(text, words) else (spelled_age(text, language) or birth_year_age(text))
    if field in BOOLEAN_FIELDS:
        said = yes_or_no(text, language, field)
        if said is None and field == CONDITION_FIELD and not _asks(text, words) and len(words) <= MAX_YES_NO_WORDS:
            return True if names_a_condition(text, language) else None
        return said
    if field in ENUM_FIELDS:
        if len(words) > MAX_WORDS or _asks(text, words):
            return None
        chosen = _choice(field, text, language)
        if chosen is not None or _names_a_choice(field, text):
            return chosen  # a choice named but not read ("sossu ja TE", "en oo TE:n asiakas") is no plain yes or no
        # "on mulla" to "Onko sinulla lähete?": yes, as the Yes buttons mean (config/domain/core.yml)
        said = yes_or_no(text, language, field)
        if said is False:
            return NONE
        return YES_MEANS.get(field) if said else None
    return None


__all__ = ["ANSWERS_FILE", "MAX_WORDS", "Answers", "QuestionAnswersError", "answer_to", "asks", "asks_why_asked",
           "denied_in_passing",
           "load", "parse",
           "spelled_age", "yes_or_no"]
