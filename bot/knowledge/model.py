"""Typed, read-only model of the knowledge base (``bot/knowledge/*.yml``).

The loader (``bot.knowledge.loader``) builds these objects after validation; everything else
only reads them. Time rules live here so that every consumer applies the same ones:

* an item is **current** on a day when ``valid_from <= day <= valid_until`` (a missing bound is
  open) and its certainty is not ``historical``;
* an item that is not current because it ended (``valid_until`` passed, or ``historical``) may
  only be told as history, with its dates; :func:`time_status` is the one place that says which.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bot import clock
from bot.knowledge.formats import PartialDate, display_date
from bot.language.tags import LANGUAGES

CERTAINTIES: tuple[str, ...] = ("confirmed", "uncertain", "historical")
#: How a page's date was obtained: the page's own date, its "updated" date, or (for a page
#: that shows no date) the day the page was read for this guide.
DATE_KINDS: tuple[str, ...] = ("published", "updated", "read")
SERVICE_KINDS: tuple[str, ...] = ("route", "place", "info")
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
        return str(getattr(self, language))

    def values(self) -> tuple[str, str, str]:
        return (self.fi, self.sv, self.en)


@dataclass(frozen=True)
class Source:
    """A public page a fact comes from (``sources.yml``): who published it, its title and
    address in each language (the same address where the page has one language only), and
    its date. ``old_site`` marks pages of a city's previous website, which may no longer open.
    ``seed`` is internal provenance (the copy in shared/seeds/) and never shown to residents."""

    id: str
    publisher: Text
    title: Text
    url: Text
    date: PartialDate
    date_kind: str = "published"
    old_site: bool = False
    seed: str | None = None

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {"id": self.id, "date": self.date.iso(), "date_kind": self.date_kind,
                                  "old_site": self.old_site}
        if language is None:
            out.update(publisher=self.publisher.__dict__, title=self.title.__dict__, url=self.url.__dict__)
        else:
            out.update(publisher=self.publisher.get(language), title=self.title.get(language),
                       url=self.url.get(language))
        return out


@dataclass(frozen=True)
class Dated:
    """Fields shared by every dated item (mixed into the classes below)."""

    sources: tuple[Source, ...]
    valid_from: date | None
    valid_until: date | None
    certainty: str

    @property
    def source_date(self) -> PartialDate:
        """The newest of the item's source dates."""
        return max((s.date for s in self.sources), key=lambda d: d.earliest)

    @property
    def oldest_source_year(self) -> int:
        return min(s.date.year for s in self.sources)


@dataclass(frozen=True)
class Note(Dated):
    id: str
    text: Text


@dataclass(frozen=True)
class Contact(Dated):
    """A way to reach a service: at least one of phone, e-mail, web address or street address."""

    id: str
    service_id: str
    name: Text
    role: Text | None = None
    phone: str | None = None
    email: str | None = None
    address: Text | None = None
    hours: Text | None = None
    web: Text | None = None


#: A route's ``asking_kind`` when services.yml names none: the resident's own social services.
DEFAULT_ASKING_KIND = "social_services"


@dataclass(frozen=True)
class Service(Dated):
    """A route, a place or an information service. Routes say what the resident does first
    (``first_step``) and what happens after that (``next_steps``); ``primary_contact`` is the
    contact the short answer shows."""

    id: str
    kind: str
    municipality: str | None
    title: Text
    summary: Text
    first_step: Text | None = None
    next_steps: Text | None = None
    details: Text | None = None
    notes: tuple[Note, ...] = ()
    contacts: tuple[Contact, ...] = ()
    primary_contact: str | None = None
    related: tuple[str, ...] = ()
    #: The kind of question (bot/knowledge/asking.yml) the route's contact answers: a question the
    #: assistant cannot answer after this route's answer goes to it ("can I start next week?").
    asking_kind: str = DEFAULT_ASKING_KIND


@dataclass(frozen=True)
class Topic(Dated):
    """An answer to a resident's question. ``ask`` names the contacts that can answer more
    (contact ids, or ``local`` for the resident's own social services)."""

    id: str
    title: Text
    body: Text
    notes: tuple[Note, ...] = ()
    ask: tuple[str, ...] = ()
    #: The answer for a resident of another municipality than Helsinki, where ``body`` tells
    #: something only Helsinki does (None: ``body`` suits everyone).
    body_elsewhere: Text | None = None
    #: A closing question for the resident's municipality when the answer depends on it
    #: ("Tell me which municipality you live in..."). Left out when the interview asks for the
    #: municipality right after the answer (actions/interview.py), so it is not asked twice.
    place_question: Text | None = None
    related_services: tuple[str, ...] = ()
    related_notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice(Dated):
    id: str
    title: Text
    text: Text
    #: Service ids the notice concerns; empty = a general notice.
    applies_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Message:
    """A sentence template or label; ``{name}`` placeholders are filled by the engine, and
    placeholders named after a parameter get that parameter's value."""

    id: str
    text: Text
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ParameterValue:
    since: date
    value: int
    source: Source


@dataclass(frozen=True)
class Parameter:
    """A number a rule or a sentence uses (an age limit, hours, euros), with its values over
    time and the page each value comes from (the OpenFisca way)."""

    id: str
    description: str
    unit: str
    values: tuple[ParameterValue, ...]

    def at(self, day: date) -> ParameterValue | None:
        """The value in force on ``day`` (None before the first one)."""
        found = None
        for value in sorted(self.values, key=lambda v: v.since):
            if value.since <= day:
                found = value
        return found


DatedItem = Note | Contact | Service | Topic | Notice


def is_current(item: Dated, day: date) -> bool:
    """valid_from <= day <= valid_until (missing bounds open) and not historical."""
    return time_status(item, day) == "current"


def has_ended(item: Dated, day: date) -> bool:
    """Ended items may only be told as history."""
    return time_status(item, day) == "ended"


def not_started(item: Dated, day: date) -> bool:
    return time_status(item, day) == "not_started"


def time_status(item: Dated, day: date) -> str:
    """``current``, ``ended`` (incl. historical) or ``not_started`` on ``day``."""
    if item.certainty == "historical":
        return "ended"
    if item.valid_until is not None and day > item.valid_until:
        return "ended"
    if item.valid_from is not None and day < item.valid_from:
        return "not_started"
    return "current"


def status_label(item: Dated, day: date) -> tuple[str, str] | None:
    """For an item that is not current: the message id that says so and the date to fill in
    (``label.service_ended`` / ``label.service_not_started``); None for a current item."""
    status = time_status(item, day)
    if status == "ended":
        return "label.service_ended", display_date(item.valid_until) if item.valid_until else ""
    if status == "not_started":
        return "label.service_not_started", display_date(item.valid_from) if item.valid_from else ""
    return None


class _Fill:
    """Formatting helper: named values first, then parameters; unknown names stay visible."""

    def __init__(self, values: Mapping[str, object], parameters: Mapping[str, Parameter], day: date):
        self._values = values
        self._parameters = parameters
        self._day = day

    def __getitem__(self, key: str) -> object:
        value = self._values.get(key)
        if value is not None:
            return value
        parameter = self._parameters.get(key)
        if parameter is not None:
            current = parameter.at(self._day)
            if current is not None:
                return current.value
        return "{" + key + "}"


@dataclass(frozen=True)
class Knowledge:
    """The whole validated knowledge base with lookups. Immutable; safe to share."""

    services: Mapping[str, Service]
    topics: Mapping[str, Topic]
    notices_by_id: Mapping[str, Notice]
    messages: Mapping[str, Message]
    fallback: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, Source] = field(default_factory=dict)
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    path: Path | None = None
    contacts: Mapping[str, Contact] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookups by id
    def _get(self, table: Mapping, kind: str, item_id: str):
        try:
            return table[item_id]
        except KeyError:
            raise UnknownIdError(f"unknown {kind} id {item_id!r}") from None

    def service(self, service_id: str) -> Service:
        return self._get(self.services, "service", service_id)

    def topic(self, topic_id: str) -> Topic:
        return self._get(self.topics, "topic", topic_id)

    def notice(self, notice_id: str) -> Notice:
        return self._get(self.notices_by_id, "notice", notice_id)

    def contact(self, contact_id: str) -> Contact:
        return self._get(self.contacts, "contact", contact_id)

    def message(self, message_id: str) -> Message:
        return self._get(self.messages, "message", message_id)

    def source(self, source_id: str) -> Source:
        return self._get(self.sources, "source", source_id)

    def parameter(self, parameter_id: str) -> Parameter:
        return self._get(self.parameters, "parameter", parameter_id)

    def value(self, parameter_id: str, today: date | None = None) -> int:
        """A parameter's value on ``today``."""
        current = self.parameter(parameter_id).at(today or clock.today())
        if current is None:
            raise UnknownIdError(f"parameter {parameter_id!r} has no value on {today}")
        return current.value

    def rules_since(self) -> date:
        """The first day on which every parameter has a value (answers before it are refused)."""
        return max(min(v.since for v in p.values) for p in self.parameters.values())

    # ------------------------------------------------------------------ text
    def fill(self, template: str, today: date | None = None, **params: object) -> str:
        """``template`` with ``{placeholders}`` filled from ``params`` and the parameters."""
        return template.format_map(_Fill(params, self.parameters, today or clock.today()))

    def text(self, message_id: str, language: str, today: date | None = None, **params: object) -> str:
        """The message in ``language`` with its placeholders filled."""
        return self.fill(self.message(message_id).text.get(language), today, **params)

    # ------------------------------------------------------------------ time
    def notices(self, today: date | None = None) -> list[Notice]:
        """Notices current today, newest first."""
        day = today or clock.today()
        found = [n for n in self.notices_by_id.values() if is_current(n, day)]
        return sorted(found, key=lambda n: n.source_date.earliest, reverse=True)

    def notices_for(self, service_id: str, today: date | None = None) -> list[Notice]:
        """Current notices that name ``service_id`` in ``applies_to``."""
        return [n for n in self.notices(today) if service_id in n.applies_to]

    def current_notes(self, item: Service | Topic, today: date | None = None) -> list[Note]:
        day = today or clock.today()
        return [n for n in item.notes if is_current(n, day)]

    def current_contacts(self, service: Service, today: date | None = None) -> list[Contact]:
        day = today or clock.today()
        return [c for c in service.contacts if is_current(c, day)]

    def fallback_contacts(self, municipality: str | None, today: date | None = None) -> list[Contact]:
        """Human contacts to offer when the assistant cannot help (current ones only)."""
        day = today or clock.today()
        key = municipality if municipality is not None and municipality in self.fallback else OTHER_MUNICIPALITY
        ids = self.fallback.get(key, ())
        return [self.contacts[i] for i in ids if i in self.contacts and is_current(self.contacts[i], day)]

    # ------------------------------------------------------------------ reports for staff
    def dated_items(self) -> Iterable[tuple[str, str, Dated]]:
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

    def expired(self, today: date | None = None) -> list[tuple[str, str, Dated]]:
        day = today or clock.today()
        return [entry for entry in self.dated_items() if has_ended(entry[2], day)]

    def expiring(self, today: date | None = None, within_days: int = 60) -> list[tuple[str, str, Dated]]:
        day = today or clock.today()
        limit = day + timedelta(days=within_days)
        return [
            entry
            for entry in self.dated_items()
            if entry[2].valid_until is not None and day <= entry[2].valid_until <= limit
            and entry[2].certainty != "historical"
        ]
