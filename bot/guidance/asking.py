"""Who can answer a question the assistant has no answer for.

An honest "I don't know" names the contact for that kind of question: Kela for benefit
decisions, the social ombudsman for complaints and rights, the employment services for job
seeking, otherwise the resident's own social services. The kind is read from the question's
words (``bot/knowledge/asking.yml``, editable by staff); the contact depends on the
municipality (``county`` = the resident's wellbeing services county from the areas table).
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path

import yaml

from bot.knowledge import get_knowledge
from bot.knowledge.areas import county_of, employment_area_of
from bot.knowledge.model import Contact, Knowledge, is_current
from bot.language.tags import LANGUAGES
from bot.nlu.beginnings import beginning, first_match, folded_words, length
from bot.nlu.scope import names_or_points_to_our_subject

logger = logging.getLogger(__name__)
ASKING_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "asking.yml"
COUNTY = "county"
#: The resident's employment area (since 2025 the employment services of most municipalities).
EMPLOYMENT_AREA = "employment_area"
AREA_REFS = (COUNTY, EMPLOYMENT_AREA)
OTHER = "other"


@dataclass(frozen=True)
class Advice:
    """A sentence the assistant can say for sure about a kind of question ("register as a job
    seeker at the latest on the first day of unemployment"), said instead of "I don't know"
    when the question uses one of its words. ``message`` is a sourced id in messages.yml."""
    message: str
    #: Word beginnings of every language (residents mix languages); parse adds them to the
    #: kind's words too, so they name the kind.
    beginnings: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    id: str
    lead: str  # message id: "Kela can answer this:" etc.
    contacts: Mapping[str, str]  # municipality (or "other") -> contact id or "county"
    words: Mapping[str, tuple[str, ...]]  # language -> word beginnings
    #: Words for what this contact decides even when the question names another kind's
    #: benefit too: studies or volunteering while on the unemployment benefit are the
    #: employment services' decision, though Kela pays the benefit.
    decides: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Words that name this kind only when no kind's other words are found: being unemployed
    #: is the setting of most benefit questions, not what they ask about.
    weak: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: What can be told for sure before the contact, by the question's words (see ``Advice``).
    advice: tuple[Advice, ...] = ()
    #: A matter outside the assistant's subject altogether (residence permits, taxes): said to
    #: be outside it, with the authority that answers, instead of "I don't know".
    outside: bool = False


@dataclass(frozen=True)
class Asking:
    kinds: tuple[Kind, ...]
    default: Kind

    @cached_property
    def inside(self) -> tuple[Kind, ...]:
        """The kinds of the subject and its neighbours (Kela, the ombudsman...)."""
        return tuple(k for k in self.kinds if not k.outside)

    @cached_property
    def outside(self) -> tuple[Kind, ...]:
        """The kinds outside the subject altogether (a residence permit, a tax return)."""
        return tuple(k for k in self.kinds if k.outside)


def parse(data: object) -> tuple[Asking | None, list[str]]:
    """The file's content, or the problems found in it."""
    errors: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("kinds"), list):
        return None, ["asking.yml: must have a list 'kinds' and a 'default' kind id"]
    kinds: list[Kind] = []
    for index, raw in enumerate(data["kinds"]):
        where = f"asking.yml: kinds[{index}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            errors.append(f"{where}: needs id, lead, contacts and words")
            continue
        contacts = raw.get("contacts")
        words = raw.get("words") or {}
        if not isinstance(contacts, Mapping) or OTHER not in contacts:
            errors.append(f"{where}: contacts must map municipalities and '{OTHER}' to contact ids, "
                          f"'{COUNTY}' or '{EMPLOYMENT_AREA}'")
            continue
        decides = raw.get("decides") or {}
        weak = raw.get("weak") or {}
        if any(not isinstance(table, Mapping) or any(not isinstance(table.get(lang, []), list) for lang in LANGUAGES)
               for table in (words, decides, weak)):
            errors.append(f"{where}: words, decides and weak must list word beginnings per language (fi, sv, en)")
            continue
        advice = raw.get("advice") or []
        if not isinstance(advice, list) or any(
                not isinstance(a, Mapping) or not isinstance(a.get("message"), str)
                or not isinstance(a.get("words"), Mapping)
                or any(not isinstance(a["words"].get(lang, []), list) for lang in LANGUAGES) for a in advice):
            errors.append(f"{where}: advice must list entries with a message id and words per language (fi, sv, en)")
            continue
        # an advice's words name its kind too: they are not written twice in the file
        words = {lang: [*words.get(lang, []), *(w for a in advice for w in a["words"].get(lang, []))]
                 for lang in LANGUAGES}
        if not isinstance(raw.get("outside", False), bool):
            errors.append(f"{where}: outside must be true or false")
            continue
        kinds.append(Kind(raw["id"], str(raw.get("lead", "")), {str(k): str(v) for k, v in contacts.items()},
                          _beginnings(words), _beginnings(decides), _beginnings(weak),
                          tuple(Advice(a["message"], tuple(chain.from_iterable(_beginnings(a["words"]).values())))
                                for a in advice),
                          bool(raw.get("outside", False))))
    default = next((k for k in kinds if k.id == data.get("default")), None)
    if default is None:
        errors.append("asking.yml: 'default' must name one of the kinds")
    return (Asking(tuple(kinds), default) if default and not errors else None), errors


def _beginnings(table: Mapping) -> dict[str, tuple[str, ...]]:
    """A language -> entries table of the file in the form ``first_match`` compares."""
    return {lang: tuple(beginning(str(w)) for w in table.get(lang, [])) for lang in LANGUAGES}


def check(knowledge: Knowledge, path: Path = ASKING_FILE) -> list[str]:
    """Problems in asking.yml, including unknown contact and message ids."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [f"asking.yml: cannot be read: {exc}"]
    asking, errors = parse(data)
    kinds = {k.id for k in asking.kinds} if asking else set()
    for item in asking.kinds if asking else ():
        if item.lead not in knowledge.messages:
            errors.append(f"asking.yml: kind '{item.id}': lead: unknown message id {item.lead!r}")
        for advice in item.advice:
            if advice.message not in knowledge.messages:
                errors.append(f"asking.yml: kind '{item.id}': advice: unknown message id {advice.message!r}")
            elif not knowledge.messages[advice.message].sources:
                errors.append(f"asking.yml: kind '{item.id}': advice: {advice.message!r} needs a source "
                              "(it is told as a fact)")
        for municipality, ref in item.contacts.items():
            if ref not in AREA_REFS and ref not in knowledge.contacts:
                errors.append(f"asking.yml: kind '{item.id}': contacts: {municipality}: unknown contact id {ref!r}")
    for service in knowledge.services.values():
        if kinds and service.asking_kind not in kinds:
            errors.append(f"services.yml: service '{service.id}': asking_kind: {service.asking_kind!r} is not a "
                          "kind in asking.yml")
    for topic in knowledge.topics.values():
        for ref in topic.ask:
            if ref not in kinds and ref not in knowledge.contacts:
                errors.append(f"topics.yml: topic '{topic.id}': ask: {ref!r} is neither a kind in asking.yml "
                              "nor a contact id")
    return errors


_last_good: dict = {}


def _load(path: Path = ASKING_FILE) -> Asking:
    """The file's content, read again when the file changes (staff edit it while the
    assistant runs, like the other knowledge files); a broken edit is logged and the last
    good version stays in use."""
    try:
        stat = path.stat()
        asking = _parsed(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        if path not in _last_good:
            raise
        logger.error("%s cannot be used (%s); still using the last good version", path.name, exc)
        return _last_good[path]
    _last_good[path] = asking
    return asking


@lru_cache(maxsize=4)
def _parsed(path: Path, mtime_ns: int, size: int) -> Asking:
    asking, errors = parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    if asking is None:
        raise ValueError("; ".join(errors))
    return asking


def kind_of(text: str) -> Kind:
    """The kind of question ``text`` is (the default kind when no word matches)."""
    return named_kind(text) or _load().default


def named_kind(text: str) -> Kind | None:
    """The kind whose words ``text`` uses, or None. When the words of several kinds appear,
    the most specific one wins - the longest word beginning found - and then the kind
    listed first: "täydentävä toimeentulotuki" (social services) beats "toimeentulotuki"
    (Kela). Every language's words count, whatever the conversation's language: residents
    mix languages ("Kan jag få kompletterande toimeentulotuki?")."""
    words = folded_words(text)
    asking = _load()
    # What a contact decides comes first ("opiskelu työttömyysetuudella": the employment
    # services, not Kela, whose benefit the question names too); then the other words; the
    # setting ("I am unemployed") last. A matter outside the subject altogether (a residence
    # permit) only when no word of ours or our neighbours' names the question ("my employer
    # won't extend my contract and my residence permit depends on it" is working life's), and
    # the question does not name the activity ("can a foreigner with a residence permit do
    # rehab work activity?" asks about it).
    outside = () if names_or_points_to_our_subject(text) else asking.outside
    return (_longest_match(words, asking.inside, "decides") or _longest_match(words, asking.inside, "words")
            or _longest_match(words, outside, "words") or _longest_match(words, asking.inside, "weak"))


def _longest_match(words: str, kinds: tuple[Kind, ...], table: str) -> Kind | None:
    best: Kind | None = None
    best_length = 0
    for kind in kinds:
        lists: Mapping[str, tuple[str, ...]] = getattr(kind, table)
        found = max((length(b) for b in chain.from_iterable(lists.values()) if first_match(words, (b,))), default=0)
        if found > best_length:
            best, best_length = kind, found
    return best


def advice_for(found: Kind, text: str) -> str | None:
    """The message id of what can be told for sure about ``text``, a question of the kind
    ``found`` (its first advice whose words the question uses), or None."""
    words = folded_words(text)
    return next((a.message for a in found.advice if first_match(words, a.beginnings)), None)


def kind(kind_id: str) -> Kind | None:
    """The kind with this id (None if there is none)."""
    return next((k for k in _load().kinds if k.id == kind_id), None)


def contacts_for(kind: Kind, municipality: str | None, today: date,
                 knowledge: Knowledge | None = None) -> list[Contact]:
    """The contact(s) for ``kind`` in ``municipality``: its own one, else the 'other' one."""
    kb = knowledge if knowledge is not None else get_knowledge()
    ref = kind.contacts.get(municipality or "", kind.contacts[OTHER])
    if ref in AREA_REFS:
        area_of, service_id = ((county_of, "own_municipality") if ref == COUNTY
                               else (employment_area_of, "employment_area"))
        area = area_of(municipality) if municipality else None
        if area is None or not area.web:  # an area without an address gives no way to contact it
            ref = kind.contacts.get("unknown", "")
        else:
            return [area.contact(service_id)]
    contact = kb.contacts.get(ref)
    return [contact] if contact is not None and is_current(contact, today) else []


def people_for(municipality: str | None, today: date, knowledge: Knowledge | None = None) -> list[Contact]:
    """People a resident can talk to: their own social services first (the wellbeing
    services county for most municipalities), then the municipality's other human contacts."""
    kb = knowledge if knowledge is not None else get_knowledge()
    local = kind("social_services")
    people = contacts_for(local, municipality, today, kb) if local is not None else []
    for contact in kb.fallback_contacts(municipality, today):
        if all(contact.id != p.id for p in people):
            people.append(contact)
    return people
