"""Typed, read-only model of the knowledge base (``bot/knowledge/*.yml``).

The loader in ``bot.content`` builds these objects after validation; everything else only reads
them. Time rules live here so that every consumer applies the same ones:

* an item is **current** on a day when ``valid_from <= day <= valid_until`` (a missing bound is
  open) and its certainty is not ``historical``;
* an item that is not current because it ended (``valid_until`` passed, or ``historical``) may
  only be told as history, with its dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Tuple, Union

from bot import clock
from bot.knowledge_formats import PartialDate

LANGUAGES: Tuple[str, ...] = ("fi", "sv", "en")
CERTAINTIES: Tuple[str, ...] = ("confirmed", "uncertain", "historical")
#: How the source date was obtained: the page's own date, its "updated" date, or (for an
#: undated page) the date the text was recorded into this guide.
DATE_KINDS: Tuple[str, ...] = ("published", "updated", "recorded")
SERVICE_KINDS: Tuple[str, ...] = ("route", "place", "info")
#: Key in ``fallback_contacts`` for municipalities this guide has no detailed contacts for.
OTHER_MUNICIPALITY = "other"


class UnknownIdError(KeyError):
    """Asked for an id that the knowledge base does not have."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else "unknown id"


@dataclass(frozen=True)
class Text:
    """One text in the three languages."""

    fi: str
    sv: str
    en: str

    def get(self, language: str) -> str:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
        return getattr(self, language)

    def values(self) -> Tuple[str, str, str]:
        return (self.fi, self.sv, self.en)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: seed file or public address, its date and how sure we are."""

    source: str
    source_date: PartialDate
    certainty: str = "confirmed"
    date_kind: str = "published"

    def to_dict(self) -> Dict[str, str]:
        return {
            "source": self.source,
            "source_date": self.source_date.iso(),
            "date_kind": self.date_kind,
            "certainty": self.certainty,
        }


@dataclass(frozen=True)
class Dated:
    """Fields shared by every dated item (mixed into the classes below)."""

    sources: Tuple[Source, ...]
    valid_from: Optional[date]
    valid_until: Optional[date]
    certainty: str

    @property
    def source_date(self) -> PartialDate:
        """The newest of the item's source dates."""
        return max((s.source_date for s in self.sources), key=lambda d: d.earliest)


@dataclass(frozen=True)
class Note(Dated):
    id: str
    text: Text


@dataclass(frozen=True)
class Contact(Dated):
    id: str
    service_id: str
    name: Text
    role: Optional[Text] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    email_format: Optional[Text] = None
    address: Optional[Text] = None
    postal_address: Optional[Text] = None
    fax: Optional[str] = None
    hours: Optional[Text] = None
    web: Optional[str] = None


@dataclass(frozen=True)
class Service(Dated):
    id: str
    kind: str
    municipality: Optional[str]
    title: Text
    summary: Text
    details: Optional[Text] = None
    notes: Tuple[Note, ...] = ()
    contacts: Tuple[Contact, ...] = ()
    related: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic(Dated):
    id: str
    title: Text
    body: Text
    notes: Tuple[Note, ...] = ()
    related_services: Tuple[str, ...] = ()
    related_notices: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice(Dated):
    id: str
    title: Text
    text: Text
    #: Service ids the notice concerns; empty = a general notice.
    applies_to: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """A sentence template or label; ``{name}`` placeholders are filled by the engine."""

    id: str
    text: Text
    sources: Tuple[Source, ...] = ()


DatedItem = Union[Note, Contact, Service, Topic, Notice]


def is_current(item: Dated, day: date) -> bool:
    """valid_from <= day <= valid_until (missing bounds open) and not historical."""
    if item.certainty == "historical":
        return False
    if item.valid_from is not None and day < item.valid_from:
        return False
    if item.valid_until is not None and day > item.valid_until:
        return False
    return True


def has_ended(item: Dated, day: date) -> bool:
    """Ended items may only be told as history."""
    if item.certainty == "historical":
        return True
    return item.valid_until is not None and day > item.valid_until


def not_started(item: Dated, day: date) -> bool:
    return item.valid_from is not None and day < item.valid_from


class _Missing:
    """Formatting helper: leave unknown ``{placeholders}`` visible instead of failing."""

    def __init__(self, values: Mapping[str, object]):
        self._values = values

    def __getitem__(self, key: str) -> object:
        value = self._values.get(key)
        return "{" + key + "}" if value is None else value


@dataclass(frozen=True)
class Knowledge:
    """The whole validated knowledge base with lookups. Immutable; safe to share."""

    services: Mapping[str, Service]
    topics: Mapping[str, Topic]
    notices_by_id: Mapping[str, Notice]
    messages: Mapping[str, Message]
    fallback: Mapping[str, Tuple[str, ...]]
    path: Optional[Path] = None
    contacts: Mapping[str, Contact] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookups by id
    def service(self, service_id: str) -> Service:
        try:
            return self.services[service_id]
        except KeyError:
            raise UnknownIdError(f"unknown service id {service_id!r}") from None

    def topic(self, topic_id: str) -> Topic:
        try:
            return self.topics[topic_id]
        except KeyError:
            raise UnknownIdError(f"unknown topic id {topic_id!r}") from None

    def notice(self, notice_id: str) -> Notice:
        try:
            return self.notices_by_id[notice_id]
        except KeyError:
            raise UnknownIdError(f"unknown notice id {notice_id!r}") from None

    def contact(self, contact_id: str) -> Contact:
        try:
            return self.contacts[contact_id]
        except KeyError:
            raise UnknownIdError(f"unknown contact id {contact_id!r}") from None

    def message(self, message_id: str) -> Message:
        try:
            return self.messages[message_id]
        except KeyError:
            raise UnknownIdError(f"unknown message id {message_id!r}") from None

    def text(self, message_id: str, language: str, **params: object) -> str:
        """The message in ``language`` with ``{placeholders}`` filled from ``params``."""
        template = self.message(message_id).text.get(language)
        return template.format_map(_Missing(params))

    # ------------------------------------------------------------------ time
    def current(self, item: Dated, today: Optional[date] = None) -> bool:
        return is_current(item, today or clock.today())

    def notices(self, today: Optional[date] = None) -> List[Notice]:
        """Notices current today, newest first."""
        day = today or clock.today()
        found = [n for n in self.notices_by_id.values() if is_current(n, day)]
        return sorted(found, key=lambda n: n.source_date.earliest, reverse=True)

    def notices_for(self, service_id: str, today: Optional[date] = None) -> List[Notice]:
        """Current notices that name ``service_id`` in ``applies_to``."""
        return [n for n in self.notices(today) if service_id in n.applies_to]

    def current_notes(self, item: Union[Service, Topic], today: Optional[date] = None) -> List[Note]:
        day = today or clock.today()
        return [n for n in item.notes if is_current(n, day)]

    def current_contacts(self, service: Service, today: Optional[date] = None) -> List[Contact]:
        day = today or clock.today()
        return [c for c in service.contacts if is_current(c, day)]

    def fallback_contacts(self, municipality: Optional[str], today: Optional[date] = None) -> List[Contact]:
        """Human contacts to offer when the assistant cannot help (current ones only)."""
        day = today or clock.today()
        key = municipality if municipality in self.fallback else OTHER_MUNICIPALITY
        ids = self.fallback.get(key, ())
        return [self.contacts[i] for i in ids if i in self.contacts and is_current(self.contacts[i], day)]

    # ------------------------------------------------------------------ reports for staff
    def dated_items(self) -> Iterable[Tuple[str, str, Dated]]:
        """Every dated item as (kind, id, item), nested notes and contacts included."""
        for service in self.services.values():
            yield "service", service.id, service
            for contact in service.contacts:
                yield "contact", contact.id, contact
            for note in service.notes:
                yield "note", f"{service.id}/{note.id}", note
        for topic in self.topics.values():
            yield "topic", topic.id, topic
            for note in topic.notes:
                yield "note", f"{topic.id}/{note.id}", note
        for notice in self.notices_by_id.values():
            yield "notice", notice.id, notice

    def expired(self, today: Optional[date] = None) -> List[Tuple[str, str, Dated]]:
        day = today or clock.today()
        return [entry for entry in self.dated_items() if has_ended(entry[2], day)]

    def expiring(self, today: Optional[date] = None, within_days: int = 60) -> List[Tuple[str, str, Dated]]:
        day = today or clock.today()
        limit = day + timedelta(days=within_days)
        return [
            entry
            for entry in self.dated_items()
            if entry[2].valid_until is not None and day <= entry[2].valid_until <= limit
            and entry[2].certainty != "historical"
        ]
