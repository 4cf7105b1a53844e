"""Is a question about the assistant's subject, or about another service it has no answers for?

The intent classifier knows only the assistant's own questions and gives any question the
nearest of them, often confidently: "how is basic social assistance calculated?" came out
as the question about the activity's money. :func:`names_another_service` tells such
questions apart by their words (``scope.yml`` next to this module, one list per language,
written and checked like the other word lists): a question that names another service or
benefit and nothing of the assistant's own subject. The NLU component
``bot.rasa_components.scope_gate`` then makes it a fallback, which the assistant answers
honestly with the contact that can answer (bot/guidance/asking.py).
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
from bot.nlu.beginnings import beginning, first_match, folded_words

_SENTENCES = re.compile(r"[.!?\n]+")
_IT_TAKES = re.compile(r"\b(does|will|would|did|can|could) it take\b|\bit (takes|took)\b", re.IGNORECASE)

SCOPE_FILE = Path(__file__).with_name("scope.yml")
REQUIRED = ("ours", "elsewhere")
#: Optional: words near the subject (unemployment, job seeking, benefits) - see ``is_near``;
#: the unemployment benefits by name, words that ask for an amount and words that point to
#: the activity ("this", "there") - see ``asks_a_benefits_amount``.
#: Requests for the assistant to make something (a poem, a script): small talk - see ``asks_for_a_task``.
#: Words about handling an application or a decision - see ``asks_processing_time``.
#: Words that ask when money is paid - see ``asks_payment_time``.
#: An open request for guidance ("what should I do?") - see ``asks_open_guidance``.
#: Thanks at the start of a message that asks nothing - see ``says_thanks``.
#: The writer taking part in the activity now ("oon kuntsarissa") - see ``takes_part_now``.
THANKS_MAX_WORDS = 10
#: The property the scope gate (bot/rasa_components/scope_gate.py) adds to the parse result:
#: the other service named.
ELSEWHERE = "elsewhere"
#: The intent of a question for another service (Kela's benefits, job seeking, housing).
ASK_ELSEWHERE = "ask_elsewhere"
LISTS = (*REQUIRED, "near", "benefits", "amount", "pointing", "going_there", "tasks", "processing", "payment_time",
         "open_guidance", "thanks", "participating")


class ScopeWordsError(ValueError):
    """scope.yml cannot be used; the message names the language and the list."""


@dataclass(frozen=True)
class ScopeWords:
    ours: tuple[str, ...]  # every language's entries, folded (bot.nlu.beginnings.beginning)
    elsewhere: tuple[str, ...]
    near: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    amount: tuple[str, ...] = ()
    pointing: tuple[str, ...] = ()
    going_there: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    processing: tuple[str, ...] = ()
    payment_time: tuple[str, ...] = ()
    open_guidance: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()
    participating: tuple[str, ...] = ()


def parse(data: Any, name: str = "scope.yml") -> ScopeWords:
    """The word lists of all languages together (residents mix languages), or
    ``ScopeWordsError`` naming every problem."""
    problems: list[str] = []
    lists: dict[str, list[str]] = {key: [] for key in LISTS}
    if not isinstance(data, Mapping):
        raise ScopeWordsError(f"{name}: expected the languages {', '.join(LANGUAGES)}")
    for language in LANGUAGES:
        section = data.get(language)
        if not isinstance(section, Mapping) or not set(REQUIRED) <= set(section) <= set(LISTS):
            problems.append(f"{name}: {language}: expected the lists {' and '.join(REQUIRED)} "
                            f"(and optionally {', '.join(LISTS[len(REQUIRED):])})")
            continue
        for key in LISTS:
            if key not in REQUIRED and key not in section:
                continue
            entries = section[key]
            if not isinstance(entries, list) or not entries:
                problems.append(f"{name}: {language}: {key}: expected a list of word beginnings")
                continue
            for entry in entries:
                if not isinstance(entry, str) or not beginning(entry):
                    problems.append(f"{name}: {language}: {key}: {entry!r} is not a word")
                elif entry != entry.lower():
                    problems.append(f"{name}: {language}: {key}: {entry!r}: write it in lower case")
                else:
                    lists[key].append(beginning(entry))
    extra = set(data) - set(LANGUAGES)
    if extra:
        problems.append(f"{name}: unknown keys {', '.join(sorted(map(str, extra)))}")
    if problems:
        raise ScopeWordsError("; ".join(problems))
    return ScopeWords(**{key: tuple(dict.fromkeys(values)) for key, values in lists.items()})


@lru_cache(maxsize=4)
def load(path: Path = SCOPE_FILE) -> ScopeWords:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def names_our_subject(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` name something of the assistant's own subject (the ``ours`` lists)?"""
    words = words if words is not None else load()
    return bool(first_match(folded_words(text), words.ours))


def takes_part_now(text: str, words: ScopeWords | None = None) -> bool:
    """Does the writer say they take part in the activity now (``participating``: "oon
    kuntsarissa", "här på arbetsverksamheten", "while in work activity", the activity's
    instructor as theirs)? Such a writer asks about something else than how to get in."""
    words = words if words is not None else load()
    return bool(first_match(folded_words(text), words.participating))


def names_or_points_to_our_subject(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` name something of the assistant's subject (``ours``) or point to the
    activity as a place or a period (``going_there``: "sinne", "dit", "the whole thing")?
    "How long does the whole thing last?" asks about the activity although it does not name
    it. The wider ``pointing`` list ("it", "this") is no such sign: "when does Kela pay it
    this month" is about the benefit."""
    words = words if words is not None else load()
    folded = folded_words(text)
    return bool(first_match(folded, words.ours) or first_match(folded, words.going_there))


def asks_open_guidance(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` ask openly what to do (``open_guidance``: "mitä mun kannattais tehdä?",
    "what are my options?")? With a fact of the writer's own situation it asks for their route."""
    words = words if words is not None else load()
    return bool(first_match(folded_words(text), words.open_guidance))


def is_near(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` name something next to the assistant's subject (the ``near`` lists:
    unemployment, job seeking, benefits, Kela)? A question about it that the classifier
    takes for small talk is still one the assistant should answer honestly, with the
    contact that knows."""
    words = words if words is not None else load()
    return bool(first_match(folded_words(text), words.near))


def is_near_only(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` name something next to the subject (``near``) while naming nothing of
    the subject itself (``ours``) and pointing to nothing ("there", "it": ``pointing``; "på en
    sån plats", "this program": ``going_there``)? "Hur påverkar arbetslöshet förmånerna från
    FPA?" is; "varför ska jag dit, jag kan ju jobba" points to the activity, so it is not."""
    words = words if words is not None else load()
    folded = folded_words(text)
    return bool(first_match(folded, words.near) and not first_match(folded, words.ours)
                and not first_match(folded, words.pointing) and not first_match(folded, words.going_there))


def names_another_service(text: str, words: ScopeWords | None = None, ignore_ours: bool = False) -> str | None:
    """The other service ``text`` names (its list entry) when it names nothing of the
    assistant's own subject (or, with ``ignore_ours``, whatever else it names); otherwise None."""
    words = words if words is not None else load()
    folded = folded_words(text)  # once: both lists are matched against it
    if not ignore_ours and first_match(folded, words.ours):
        return None
    found = first_match(folded, words.elsewhere)
    return found.strip() if found else None


def asks_a_benefits_amount(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` ask how much an unemployment benefit is ("How much is unemployment
    benefit from Kela per month?"), naming the benefit, an amount word and nothing of the
    assistant's subject, and not pointing to the activity ("does this affect my labour market
    subsidy?" is about the activity)? The classifier takes such questions for the activity's
    money; Kela knows the benefit's amount."""
    words = words if words is not None else load()
    if first_match(folded_words(text), words.ours):
        return False
    # Sentence by sentence: in "paljonko työmarkkinatuki on päivältä? ja vaikuttaako puolison
    # tulot siihen" the second sentence's "siihen" points to the benefit, not to the activity.
    for sentence in _SENTENCES.split(text):
        folded = folded_words(sentence)
        if (first_match(folded, words.benefits) and first_match(folded, words.amount)
                and not first_match(folded, words.pointing)):
            return True
    return False


def asks_for_a_task(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` ask the assistant to make something (the ``tasks`` lists: a poem, a
    script, a translation of one's CV)? Such a request is small talk whatever it names:
    "write me a python script to scrape job ads" is no question for the employment services."""
    words = words if words is not None else load()
    return bool(first_match(folded_words(text), words.tasks))


def asks_processing_time(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` name the handling of an application or a decision (``processing``) and
    nothing of the assistant's subject, pointing to nothing ("Kuinka kauan hakemuksen
    käsittely kestää?")? Taken for the question about the activity's duration, it asks how
    long an office takes; the assistant does not know."""
    words = words if words is not None else load()
    folded = folded_words(text)
    # "how long does it take" is a way of asking, not "it" pointing to the activity
    unpointed = folded_words(_IT_TAKES.sub(" ", text))
    return bool(first_match(folded, words.processing) and not first_match(folded, words.ours)
                and not first_match(unpointed, words.pointing))


def asks_payment_time(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` ask when money comes (``payment_time``: "När får jag mina pengar?",
    "milloin rahat tulee?"), naming nothing of the assistant's subject and pointing to nothing?
    Taken for the question about the activity's money, it asks for a payment day, which the
    payer knows (Kela); the activity's 9 euros a day answer another question. "Milloin
    kulukorvaus maksetaan?" names the activity's money and keeps its answer (paid with the
    benefit)."""
    words = words if words is not None else load()
    folded = folded_words(text)
    return bool(first_match(folded, words.payment_time) and not first_match(folded, words.ours)
                and not first_match(folded, words.pointing))


def says_thanks(text: str, words: ScopeWords | None = None) -> bool:
    """Does ``text`` start with thanks (``thanks``: "kiitos paljon, soitan sinne huomenna",
    "cheers mate") and ask nothing (no "?")? "Tack, men hur kommer jag dit?" asks a question."""
    words = words if words is not None else load()
    if "?" in text:
        return False
    folded = folded_words(text)
    if len(folded.split()) > THANKS_MAX_WORDS:
        return False  # "kiitos, mutta haluaisin vielä kysyä ... " goes on to something of its own
    return any(b and not b.startswith("*") and folded.startswith(f" {b}") for b in words.thanks)
