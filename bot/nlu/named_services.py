"""Which service does a question name by name (TYP, Duuri, the B statement)?

The word lists are data (``named_services.yml`` next to this module); the NLU component
``bot.rasa_components.named_service`` uses :func:`named_service` to give a question that
names one service that service's own question intent. Kept free of Rasa so the content
check and the tests can load it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.language.tags import LANGUAGES
from bot.nlu.beginnings import beginning, first_match, folded_words

NAMES_FILE = Path(__file__).with_name("named_services.yml")
#: ``replaces: all``: every topic question intent (and the fallback).
ALL = "all"
#: In a ``replaces`` list, the file's top-level ``general`` list of intents.
GENERAL = "general"


class NamedServicesError(ValueError):
    """named_services.yml cannot be used; the message names every problem."""


@dataclass(frozen=True)
class Service:
    intent: str
    names: Mapping[str, tuple[str, ...]]  # language -> folded beginnings (lower-case entries)
    exact: Mapping[str, tuple[re.Pattern[str], ...]]  # language -> upper-case entries, case kept
    replaces: frozenset[str] | None  # None: all topic questions
    #: ``for_people_with``: the conditions of the people the service is for, and words of the
    #: activity; a message naming both is about the service ("Veljelläni on kehitysvamma...
    #: voisiko hän päästä työtoimintaan?"), and may replace ``condition_replaces``.
    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    activity: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    condition_replaces: frozenset[str] | None = frozenset()
    #: ``for_people_with: someone_else``: words of another person (a son, a brother, "he"). A
    #: message about such a person with the service's people and activity replaces even the
    #: description of a situation (``inform``) and a request for guidance (``start_guidance``):
    #: the facts in it are not the writer's own.
    someone_else: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: ``alone: true``: named only by a message that is nothing but one of the names (in any
    #: language: a one-word message's language is a guess)
    alone: bool = False
    #: ``unless``: words (any language's) that make the names no naming of this service: general
    #: rehabilitation is not named by "social rehabilitation" or "rehabilitative work activity"
    unless: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def named_in(self, text: str, language: str, folded: str) -> bool:
        if self.unless and _named(folded, self.unless):
            return False
        if self.alone:
            words = len(folded.split())
            return any(f" {b}" in folded and len(b.split()) == words
                       for names in self.names.values() for b in names)
        return bool(first_match(folded, self.names.get(language, ()))
                    or any(p.search(text) for p in self.exact.get(language, ())))

    def named_by_its_people(self, folded: str) -> bool:
        """Does the message name a condition of the service's people and the activity (in any
        language: residents mix them)?"""
        return bool(self.conditions) and _named(folded, self.conditions) and _named(folded, self.activity)

    def about_someone_else(self, folded: str) -> bool:
        return _named(folded, self.someone_else)


ASK_ELSEWHERE = "ask_elsewhere"
#: Appealing is a question of the client's rights, but an appeal of a decision another body
#: made (a rejected pension, the job-search duty) is for that body: "Työkyvyttömyyseläkehakemus
#: hylättiin... Voiko tästä valittaa?" names both, and is answered "ask Kela" (the pension's
#: payer tells how to appeal), not the social ombudsman of the activity.
APPEAL_OF_ANOTHER_BODY = frozenset({"ask_client_rights", ASK_ELSEWHERE})


@dataclass(frozen=True)
class Naming:
    """A message's naming of a service: the service's question intent and the intents it replaces."""
    intent: str
    replaces: frozenset[str] | None  # None: all topic questions
    #: also a description of a situation or a request for guidance (about someone else)
    replaces_inform: bool = False

    def may_replace(self, intent: str, topic_intents: frozenset[str]) -> bool:
        if intent in ("inform", "start_guidance"):  # a description of a situation, a request for guidance
            # unless `replaces` lists it: a question that names the job-search duty is no request
            # for guidance, however worried it sounds; and a service that replaces every question
            # (Duuri, which has ended) replaces a request for guidance too: its history and
            # today's contact answer it ("...min bror gick på Duuri... Finns det inte längre?")
            return (self.replaces_inform or (self.replaces is not None and intent in self.replaces)
                    or (self.replaces is None and intent == "start_guidance"))
        if self.replaces is None:
            # every topic question, and a message taken for small talk or no question at all
            # ("Muistaako kukaan mikä oli Duuri?" was small talk to the classifier)
            return intent in topic_intents or intent in ("nlu_fallback", "ask_elsewhere", "out_of_scope")
        return intent in self.replaces


def _named(folded: str, table: Mapping[str, tuple[str, ...]]) -> bool:
    """Any language's entry (residents mix languages)."""
    return any(first_match(folded, entries) for entries in table.values())


def _exact(entry: str) -> re.Pattern[str]:
    whole = entry.endswith("$")
    word = re.escape(entry.rstrip("$")).replace(r"\ ", r"[\s-]+")
    return re.compile(r"(?<!\w)" + word + (r"(?!\w)" if whole else ""))


def parse(data: Any, name: str = "named_services.yml") -> tuple[Service, ...]:
    problems: list[str] = []
    services: list[Service] = []
    entries = data.get("services") if isinstance(data, Mapping) else None
    if not isinstance(entries, Mapping) or not entries:
        raise NamedServicesError(f"{name}: expected `services`, a mapping of intents")
    general = data.get(GENERAL) or []
    if not isinstance(general, list) or not all(isinstance(g, str) for g in general):
        problems.append(f"{name}: {GENERAL}: expected a list of intents")
        general = []
    for intent, spec in entries.items():
        where = f"{name}: {intent}"
        if not isinstance(spec, Mapping) or not isinstance(spec.get("names"), Mapping):
            problems.append(f"{where}: expected `names` per language and `replaces`")
            continue
        names: dict[str, tuple[str, ...]] = {}
        exact: dict[str, tuple[re.Pattern[str], ...]] = {}
        for language in LANGUAGES:
            listed = spec["names"].get(language)
            if not isinstance(listed, list) or not listed:
                problems.append(f"{where}: {language}: expected a list of names")
                continue
            bad = [e for e in listed if not isinstance(e, str) or not beginning(e)]
            if bad:
                problems.append(f"{where}: {language}: not a word: {bad!r}")
                continue
            names[language] = tuple(beginning(e) for e in listed if e == e.lower())
            exact[language] = tuple(_exact(e) for e in listed if e != e.lower())
        chosen, problem = _replaces(spec.get("replaces"), general)
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        alone = spec.get("alone", False)
        if not isinstance(alone, bool) or (alone and any(n.startswith("*") for ns in names.values() for n in ns)):
            problems.append(f"{where}: alone: expected true or false, and names without `*`")
            continue
        unless = _word_table(spec.get("unless"), f"{where}: unless", problems) if spec.get("unless") is not None else {}
        people = spec.get("for_people_with")
        conditions: dict[str, tuple[str, ...]] = {}
        activity: dict[str, tuple[str, ...]] = {}
        someone_else: dict[str, tuple[str, ...]] = {}
        condition_replaces: frozenset[str] | None = frozenset()
        if people is not None:
            tables = {key: people.get(key) if isinstance(people, Mapping) else None
                      for key in ("conditions", "activity", "someone_else")}
            conditions = _word_table(tables["conditions"], f"{where}: for_people_with: conditions", problems)
            activity = _word_table(tables["activity"], f"{where}: for_people_with: activity", problems)
            if tables["someone_else"] is not None:  # optional
                someone_else = _word_table(tables["someone_else"], f"{where}: for_people_with: someone_else", problems)
            condition_replaces, problem = _replaces(people.get("replaces") if isinstance(people, Mapping) else None,
                                                    general)
            if problem:
                problems.append(f"{where}: for_people_with: {problem}")
        services.append(Service(str(intent), names, exact, chosen, conditions, activity, condition_replaces,
                                someone_else, alone, unless))
    if problems:
        raise NamedServicesError("; ".join(problems))
    return tuple(services)


def _word_table(listed: Any, where: str, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """A list of lower-case word beginnings per language (``unless``, ``for_people_with``'s
    lists); each language's problem is added to ``problems``."""
    table: dict[str, tuple[str, ...]] = {}
    for language in LANGUAGES:
        entries = listed.get(language) if isinstance(listed, Mapping) else None
        if (not isinstance(entries, list) or not entries
                or not all(isinstance(e, str) and e == e.lower() and beginning(e) for e in entries)):
            problems.append(f"{where}: {language}: expected a list of words in lower case")
            continue
        table[language] = tuple(beginning(e) for e in entries)
    return table


def _replaces(replaces: Any, general: list[str]) -> tuple[frozenset[str] | None, str]:
    """``replaces``: None for `all`, else the intents (`general` standing for that list), or a problem."""
    if replaces == ALL:
        return None, ""
    if isinstance(replaces, list) and replaces and all(isinstance(r, str) for r in replaces):
        return frozenset(i for r in replaces for i in (general if r == GENERAL else [r])), ""
    return frozenset(), "replaces: expected `all` or a list of intents (`general` for that list)"


@lru_cache(maxsize=4)
def load(path: Path = NAMES_FILE) -> tuple[Service, ...]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def named_service(text: str, language: str, services: tuple[Service, ...] | None = None) -> Naming | None:
    """The one service ``text`` names in ``language`` (by name, or by its people and the
    activity) and what that naming may replace; None when it names none, or several (then the
    classifier decides). A service named by its people and the activity wins over names: a
    work centre for a brother with an intellectual disability is the disability work activity,
    not Helsinki's work centres."""
    services = services if services is not None else load()
    folded = folded_words(text)
    found = [s for s in services if s.named_by_its_people(folded)]
    if not found:
        found = [s for s in services if s.named_in(text, language, folded)]
    if len(found) > 1 and {s.intent for s in found} == APPEAL_OF_ANOTHER_BODY:
        # an appeal of another body's decision is for that body (see APPEAL_OF_ANOTHER_BODY)
        found = [s for s in found if s.intent == ASK_ELSEWHERE]
    if len(found) != 1:
        return None
    service = found[0]
    if not service.named_by_its_people(folded):
        return Naming(service.intent, service.replaces)
    # its people and the activity named: it may replace what `for_people_with` says too
    replaces = (None if service.replaces is None or service.condition_replaces is None
                else service.replaces | service.condition_replaces)
    return Naming(service.intent, replaces, service.about_someone_else(folded))
