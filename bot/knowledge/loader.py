"""Read and validate the knowledge files (``bot/knowledge/*.yml``).

Staff edit the YAML files; this module turns them into the typed model in
``bot.knowledge.model`` and checks them. Every problem is collected (file, item id, field,
what is wrong) and reported at once in a single :class:`ContentError`, so one run of
``python -m bot check-content`` shows everything that needs fixing.

What is checked besides the shape of each item:

* every fact names its sources by id, and every source in ``sources.yml`` is a public page
  with a title and an address in each language (a fact without a public address cannot be
  shown as sourced, so it cannot be entered);
* rule numbers (ages, months, days, hours, euros) are never typed into a text: the text names
  the parameter (``{rwa_expense_eur} €``) and ``parameters.yml`` holds the dated value;
* every placeholder is a parameter or a value the assistant fills in (``{age}``, ...);
* the ids the code relies on exist (``bot.contract``: routes, messages, parameters).
"""
from __future__ import annotations

import os
import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.formats import PartialDate, email_problem, phone_problem, url_problem
from bot.knowledge.model import (
    CERTAINTIES,
    DATE_KINDS,
    DEFAULT_ASKING_KIND,
    OTHER_MUNICIPALITY,
    SERVICE_KINDS,
    Contact,
    Knowledge,
    Message,
    Note,
    Notice,
    Parameter,
    ParameterValue,
    Service,
    Source,
    Text,
    Topic,
)
from bot.knowledge.numbers import hand_written_numbers
from bot.language.tags import LANGUAGES

KNOWLEDGE_DIR = Path(__file__).resolve().parent
#: Environment variable pointing to another knowledge directory (staff preview of edits).
ENV_DIR = "KUNTOUTUSOPAS_KNOWLEDGE_DIR"
FILES: tuple[str, ...] = ("sources.yml", "parameters.yml", "services.yml", "topics.yml", "notices.yml",
                          "messages.yml")

_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_MESSAGE_ID = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")
_SEED = re.compile(r"seeds/\d{3}_[0-9a-f]{16}\.txt")
#: Messages stating facts must name their sources.
FACT_MESSAGE_PREFIXES = ("reason.", "fact.", "why.")
#: Values the assistant fills into messages at run time (everything else must be a parameter).
RUNTIME_PLACEHOLDERS: frozenset[str] = frozenset({
    "age", "municipality", "date", "title", "year", "days", "text", "name", "phone", "hours", "web",
    "county", "area", "contact", "field", "count", "question", "answer", "language", "publisher", "url", "skip",
})


class ContentError(Exception):
    """The knowledge files have problems; ``errors`` lists every one of them."""

    def __init__(self, errors: Sequence[str]):
        self.errors: list[str] = list(errors)
        count = len(self.errors)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the knowledge files:"]
        lines += [f"  - {e}" for e in self.errors]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Contract:
    """Ids the code relies on; a staff edit that deletes one is refused (``bot.contract``)."""

    services: frozenset[str] = frozenset()
    messages: frozenset[str] = frozenset()
    parameters: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()


# --------------------------------------------------------------------------- YAML reading

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available (faster)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit dates: we parse dates ourselves to report bad ones clearly."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, errors: list[str]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(f"{path.name}: file is missing from {path.parent}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{path.name}: cannot be read: {exc}")
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{path.name}: is not valid YAML{where}: {problem}")
        return None


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --------------------------------------------------------------------------- field parsing


class _Checker:
    """Parses raw YAML items into model objects, collecting errors instead of stopping."""

    def __init__(self, registry: Mapping[str, Source] | None = None,
                 parameters: Iterable[str] = ()) -> None:
        self.errors: list[str] = []
        #: Ids present in each file, valid or not (a broken item is reported once, not also as missing).
        self.present: dict[str, set[str]] = {}
        self.registry: Mapping[str, Source] = registry or {}
        self.parameter_ids: frozenset[str] = frozenset(parameters)

    def error(self, where: str, problem: str) -> None:
        self.errors.append(f"{where}: {problem}")

    # ---- generic pieces -------------------------------------------------------------
    def keys(self, raw: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        for key in sorted(set(raw) - set(allowed), key=str):
            self.error(where, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")

    def item_id(self, raw: Mapping[str, Any], where: str, pattern: re.Pattern = _ID) -> str | None:
        value = raw.get("id")
        if value is None:
            self.error(where, "id: missing")
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.error(where, f"id: {value!r} must be lowercase letters, digits and underscores")
            return None
        return value

    def languages(self, raw: Any, where: str, field: str, plain_ok: bool = False) -> Text | None:
        """``{fi: .., sv: .., en: ..}``; with ``plain_ok`` a single string serves all three."""
        if plain_ok and isinstance(raw, (str, int)) and not isinstance(raw, bool):
            value = str(raw).strip()
            if not value:
                self.error(where, f"{field}: empty text")
                return None
            return Text(value, value, value)
        if not isinstance(raw, Mapping):
            self.error(where, f"{field}: must give the text in all three languages (fi, sv, en)")
            return None
        ok = True
        missing = [lang for lang in LANGUAGES if lang not in raw]
        if missing:
            self.error(where, f"{field}: missing language {', '.join(missing)}")
            ok = False
        extra = sorted(str(k) for k in raw if k not in LANGUAGES)
        if extra:
            self.error(where, f"{field}: unknown language key {', '.join(extra)} (use fi, sv, en)")
            ok = False
        values = {}
        for lang in LANGUAGES:
            if lang not in raw:
                continue
            value = raw[lang]
            if not isinstance(value, str) or not value.strip():
                self.error(where, f"{field}.{lang}: empty or not text")
                ok = False
                continue
            values[lang] = value.strip()
        return Text(**values) if ok else None

    def text_field(self, raw: Mapping[str, Any], key: str, where: str, required: bool = True,
                   plain_ok: bool = False, runtime: Iterable[str] = ()) -> Text | None:
        if raw.get(key) is None:
            if required:
                self.error(where, f"{key}: missing (give fi, sv and en)")
            return None
        text = self.languages(raw[key], where, key, plain_ok=plain_ok)
        if text is not None:
            self.wording(text, where, key, runtime)
        return text

    def wording(self, text: Text, where: str, field: str, runtime: Iterable[str] = ()) -> None:
        """Placeholders exist (a parameter or an allowed run-time value), the languages use the
        same ones, and no rule number is typed by hand."""
        allowed = self.parameter_ids | frozenset(runtime)
        found: dict[str, set[str]] = {}
        for lang in LANGUAGES:
            value = text.get(lang)
            try:
                found[lang] = _placeholders(value)
            except ValueError as exc:
                self.error(where, f"{field}.{lang}: broken {{placeholder}}: {exc}")
                continue
            for name in sorted(found[lang] - allowed):
                self.error(where, f"{field}.{lang}: unknown placeholder {{{name}}} (not a parameter in "
                                  f"parameters.yml{' nor one of ' + ', '.join(sorted(runtime)) if runtime else ''})")
            for number in hand_written_numbers(value, lang):
                self.error(where, f"{field}.{lang}: the number {number!r} is written by hand; use the "
                                  "parameter's {placeholder} (parameters.yml) so it is kept in one place")
        if len(found) == len(LANGUAGES) and len({frozenset(v) for v in found.values()}) > 1:
            detail = "; ".join(f"{lang}: {sorted(found[lang])}" for lang in LANGUAGES)
            self.error(where, f"{field}: the languages use different {{placeholders}} ({detail})")

    def iso_date(self, raw: Mapping[str, Any], key: str, where: str) -> date | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            self.error(where, f"{key}: {value!r} is not an ISO date (YYYY-MM-DD)")
            return None

    def choice(self, raw: Mapping[str, Any], key: str, allowed: Sequence[str], default: str, where: str) -> str:
        value = raw.get(key, default)
        if value is None:
            return default
        if value not in allowed:
            self.error(where, f"{key}: {value!r} is not one of {', '.join(allowed)}")
            return default
        return value

    def id_list(self, raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(where, f"{key}: must be an id or a list of ids")
            return ()
        return tuple(value)

    def sources(self, raw: Mapping[str, Any], where: str, required: bool = True) -> tuple[Source, ...]:
        """``source: hel_rwa`` or ``source: [hel_rwa, thl_plain]``: ids from sources.yml."""
        if raw.get("source") is None:
            if required:
                self.error(where, "source: missing (the id of a public page in sources.yml)")
            return ()
        result = []
        for source_id in self.id_list(raw, "source", where):
            found = self.registry.get(source_id)
            if found is None:
                self.error(where, f"source: unknown source id {source_id!r} (add the page to sources.yml)")
            else:
                result.append(found)
        if required and not result and raw.get("source") == []:
            self.error(where, "source: empty list")
        return tuple(result)

    def validity(self, raw: Mapping[str, Any], where: str) -> tuple[date | None, date | None]:
        start = self.iso_date(raw, "valid_from", where)
        end = self.iso_date(raw, "valid_until", where)
        if start and end and start > end:
            self.error(where, f"valid_from {start.isoformat()} is after valid_until {end.isoformat()}")
        return start, end

    def dated(self, raw: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The shared dated fields as constructor keyword arguments."""
        start, end = self.validity(raw, where)
        return {
            "sources": self.sources(raw, where),
            "valid_from": start,
            "valid_until": end,
            "certainty": self.choice(raw, "certainty", CERTAINTIES, "confirmed", where),
        }

    # ---- nested items ---------------------------------------------------------------
    NOTE_FIELDS = ("id", "text", "source", "valid_from", "valid_until", "certainty")

    def notes(self, raw: Mapping[str, Any], where: str) -> tuple[Note, ...]:
        value = raw.get("notes")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(where, "notes: must be a list")
            return ()
        result, seen = [], set()
        for index, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                self.error(where, f"notes[{index}]: must be a mapping with id, text and source")
                continue
            note_id = self.item_id(entry, f"{where} > notes[{index}]")
            note_where = f"{where} > note '{note_id or index}'"
            self.keys(entry, self.NOTE_FIELDS, note_where)
            if note_id in seen:
                self.error(note_where, f"duplicate note id {note_id!r}")
            seen.add(note_id)
            text = self.text_field(entry, "text", note_where)
            dated = self.dated(entry, note_where)
            if note_id and text:
                result.append(Note(id=note_id, text=text, **dated))
        return tuple(result)

    CONTACT_FIELDS = ("id", "name", "role", "phone", "email", "address", "hours", "web", "source",
                      "valid_from", "valid_until", "certainty")

    def contacts(
        self, raw: Mapping[str, Any], service_id: str, where: str
    ) -> tuple[tuple[Contact, ...], tuple[str, ...]]:
        """The contacts a service defines, and the ids of contacts defined by other services
        that it lists too (``contacts: [helsinki_info]``), in the order given."""
        value = raw.get("contacts")
        if value is None:
            return (), ()
        if not isinstance(value, list):
            self.error(where, "contacts: must be a list")
            return (), ()
        result = []
        order: list[str] = []
        for index, entry in enumerate(value):
            if isinstance(entry, str):
                order.append(entry)
                continue
            if not isinstance(entry, Mapping):
                self.error(where, f"contacts[{index}]: must be a contact (a mapping) "
                                  "or the id of one defined elsewhere")
                continue
            contact_id = self.item_id(entry, f"{where} > contacts[{index}]")
            cwhere = f"{where} > contact '{contact_id or index}'"
            self.keys(entry, self.CONTACT_FIELDS, cwhere)
            name = self.text_field(entry, "name", cwhere, plain_ok=True)
            phone = self._checked(entry, "phone", phone_problem, cwhere)
            email = self._checked(entry, "email", email_problem, cwhere)
            web = self.text_field(entry, "web", cwhere, required=False, plain_ok=True)
            if web is not None:
                for lang, url in zip(LANGUAGES, web.values()):
                    problem = url_problem(url)
                    if problem:
                        self.error(cwhere, f"web.{lang}: {problem}")
            role = self.text_field(entry, "role", cwhere, required=False)
            address = self.text_field(entry, "address", cwhere, required=False, plain_ok=True)
            hours = self.text_field(entry, "hours", cwhere, required=False)
            if not any([phone, email, web, address]):
                self.error(cwhere, "a contact needs at least one of phone, email, web, address")
            dated = self.dated(entry, cwhere)
            if contact_id and name:
                result.append(Contact(id=contact_id, service_id=service_id, name=name, phone=phone,
                                      email=email, web=web, role=role, address=address, hours=hours, **dated))
                order.append(contact_id)
        return tuple(result), tuple(order)

    def _checked(self, raw: Mapping[str, Any], key: str, check, where: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        problem = check(value)
        if problem:
            self.error(where, f"{key}: {problem}")
            return None
        return value.strip()


# --------------------------------------------------------------------------- files

SOURCE_FIELDS = ("id", "publisher", "title", "url", "date", "date_kind", "old_site", "seed")
PARAMETER_FIELDS = ("id", "description", "unit", "values")
PARAMETER_VALUE_FIELDS = ("since", "value", "source")
SERVICE_FIELDS = (
    "id", "kind", "municipality", "title", "summary", "first_step", "next_steps", "details", "source",
    "valid_from", "valid_until", "certainty", "notes", "contacts", "primary_contact", "related", "asking_kind",
)
TOPIC_FIELDS = (
    "id", "title", "body", "body_elsewhere", "place_question", "source", "valid_from", "valid_until", "certainty",
    "notes", "ask", "related_services", "related_notices",
)
NOTICE_FIELDS = ("id", "title", "text", "source", "valid_from", "valid_until", "certainty", "applies_to")
MESSAGE_FIELDS = ("id", *LANGUAGES, "source", "certainty")


def _items(
    data: Any, filename: str, key: str, checker: _Checker, allowed_top: Sequence[str]
) -> list[Mapping[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, Mapping):
        checker.error(filename, f"must be a mapping with the key {key!r}")
        return []
    for extra in sorted(set(data) - set(allowed_top), key=str):
        checker.error(filename, f"unknown top-level key {extra!r} (allowed: {', '.join(allowed_top)})")
    items = data.get(key)
    if items is None:
        checker.error(filename, f"{key}: missing")
        return []
    if not isinstance(items, list):
        checker.error(filename, f"{key}: must be a list of items")
        return []
    good = []
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            good.append(item)
        else:
            checker.error(filename, f"{key}[{index}]: must be a mapping (an item with id and fields)")
    return good


def _unique(ids: list[tuple[str, str]], checker: _Checker, label: str) -> None:
    """Report ids that occur more than once: ``ids`` is a list of (id, where)."""
    seen: dict[str, str] = {}
    for item_id, where in ids:
        if item_id in seen:
            checker.error(where, f"duplicate {label} id {item_id!r} (also in {seen[item_id]})")
        else:
            seen[item_id] = where


def _each_item(data: Any, ch: _Checker, fname: str, key: str, kind: str, fields: Iterable[str],
               allowed: tuple[str, ...] = (), pattern: re.Pattern = _ID) -> Iterator[tuple[str | None, str, Mapping]]:
    """The items of a file's list ``key``: (id or None, where to report problems, the item).
    Checks the id and the field names, records the id for the contract check
    (``ch.present[key]``) and, once every item has been read, reports duplicate ids."""
    ids: list[tuple[str, str]] = []
    for index, raw in enumerate(_items(data, fname, key, ch, allowed or (key,))):
        item_id = ch.item_id(raw, f"{fname}: {key}[{index}]", pattern=pattern)
        where = f"{fname}: {kind} '{item_id or index}'"
        ch.keys(raw, fields, where)
        if item_id:
            ids.append((item_id, where))
            ch.present.setdefault(key, set()).add(item_id)
        yield item_id, where, raw
    _unique(ids, ch, kind)


def _parse_sources(data: Any, ch: _Checker) -> dict[str, Source]:
    fname = "sources.yml"
    sources: dict[str, Source] = {}
    for sid, where, raw in _each_item(data, ch, fname, "sources", "source", SOURCE_FIELDS):
        publisher = ch.languages(raw.get("publisher"), where, "publisher", plain_ok=True)
        title = ch.languages(raw.get("title"), where, "title", plain_ok=True)
        url = ch.languages(raw.get("url"), where, "url", plain_ok=True) if raw.get("url") is not None else None
        if url is None:
            ch.error(where, "url: missing — a source must be a public page a resident can open")
        else:
            for lang, address in zip(LANGUAGES, url.values()):
                problem = url_problem(address)
                if problem:
                    ch.error(where, f"url.{lang}: {problem}")
        page_date: PartialDate | None = None
        if raw.get("date") is None:
            ch.error(where, "date: missing (the page's date, or the day it was read: YYYY-MM-DD, YYYY-MM or YYYY)")
        else:
            try:
                page_date = PartialDate.parse(raw["date"])
            except ValueError as exc:
                ch.error(where, f"date: {exc}")
        seed = raw.get("seed")
        if seed is not None and (not isinstance(seed, str) or not _SEED.fullmatch(seed)):
            ch.error(where, f"seed: {seed!r} is not a seed file name like 'seeds/001_6e88fe1cde220e41.txt'")
        old_site = raw.get("old_site", False)
        if not isinstance(old_site, bool):
            ch.error(where, "old_site: must be true or false")
            old_site = False
        if sid and publisher and title and url and page_date and sid not in sources:
            sources[sid] = Source(sid, publisher, title, url, page_date,
                                  ch.choice(raw, "date_kind", DATE_KINDS, "published", where), old_site, seed)
    return sources


def _parse_parameters(data: Any, ch: _Checker) -> dict[str, Parameter]:
    fname = "parameters.yml"
    parameters: dict[str, Parameter] = {}
    for pid, where, raw in _each_item(data, ch, fname, "parameters", "parameter", PARAMETER_FIELDS):
        description, unit = raw.get("description"), raw.get("unit")
        if not isinstance(description, str) or not description.strip():
            ch.error(where, "description: missing (what the number is, for staff)")
        if not isinstance(unit, str) or not unit.strip():
            ch.error(where, "unit: missing (years, months, days, hours, euros, ...)")
        values: list[ParameterValue] = []
        raw_values = raw.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            ch.error(where, "values: must be a list of {since, value, source}")
            raw_values = []
        seen_days: set[date] = set()
        for vindex, entry in enumerate(raw_values):
            vwhere = f"{where} > values[{vindex}]"
            if not isinstance(entry, Mapping):
                ch.error(vwhere, "must be a mapping with since, value and source")
                continue
            ch.keys(entry, PARAMETER_VALUE_FIELDS, vwhere)
            since = ch.iso_date(entry, "since", vwhere)
            if "since" not in entry:
                ch.error(vwhere, "since: missing (the date the value applies from, YYYY-MM-DD)")
            value = entry.get("value")
            if not isinstance(value, int) or isinstance(value, bool):
                ch.error(vwhere, f"value: {value!r} must be a whole number")
                value = None
            found = ch.sources(entry, vwhere)
            if since in seen_days:
                ch.error(vwhere, f"since: two values from {since}")
            if since is not None:
                seen_days.add(since)
            if since is not None and value is not None and found:
                values.append(ParameterValue(since, value, found[0]))
        if pid and values and isinstance(description, str) and isinstance(unit, str) and pid not in parameters:
            parameters[pid] = Parameter(pid, description.strip(), unit.strip(), tuple(values))
    return parameters


def _asking_kind(raw: Mapping, where: str, ch: _Checker) -> str:
    """The kind of question (asking.yml; checked there) the route's contact answers after the
    answer: "social_services" unless the file says otherwise."""
    value = raw.get("asking_kind", DEFAULT_ASKING_KIND)
    if not isinstance(value, str) or not value.strip():
        ch.error(where, "asking_kind: must be a kind id of asking.yml or left out")
        return DEFAULT_ASKING_KIND
    return value.strip()


def _parse_services(data: Any, ch: _Checker) -> tuple[dict[str, Service], dict[str, tuple[str, ...]]]:
    fname = "services.yml"
    services: dict[str, Service] = {}
    contact_order: dict[str, tuple[str, ...]] = {}
    for sid, where, raw in _each_item(data, ch, fname, "services", "service", SERVICE_FIELDS,
                                      allowed=("services", "fallback_contacts")):
        municipality = raw.get("municipality")
        if municipality is not None and (not isinstance(municipality, str) or not municipality.strip()):
            ch.error(where, "municipality: must be a municipality name or left out")
            municipality = None
        contacts, order = ch.contacts(raw, sid or "", where)
        if sid:
            contact_order[sid] = order
        primary = raw.get("primary_contact")
        if primary is not None and primary not in order:
            ch.error(where, f"primary_contact: {primary!r} is not one of this service's contacts")
            primary = None
        fields = dict(
            kind=ch.choice(raw, "kind", SERVICE_KINDS, "route", where),
            municipality=municipality,
            title=ch.text_field(raw, "title", where),
            summary=ch.text_field(raw, "summary", where),
            first_step=ch.text_field(raw, "first_step", where, required=False),
            next_steps=ch.text_field(raw, "next_steps", where, required=False),
            details=ch.text_field(raw, "details", where, required=False),
            notes=ch.notes(raw, where),
            contacts=contacts,
            primary_contact=primary,
            related=ch.id_list(raw, "related", where),
            asking_kind=_asking_kind(raw, where, ch),
            **ch.dated(raw, where),
        )
        if sid and fields["title"] and fields["summary"] and sid not in services:
            services[sid] = Service(id=sid, **fields)
    services = _link_contacts(services, contact_order, ch)

    fallback: dict[str, tuple[str, ...]] = {}
    raw_fallback = data.get("fallback_contacts") if isinstance(data, Mapping) else None
    if raw_fallback is None:
        ch.error(fname, "fallback_contacts: missing (contacts to offer per municipality and 'other')")
    elif not isinstance(raw_fallback, Mapping):
        ch.error(fname, "fallback_contacts: must map a municipality name (or 'other') to contact ids")
    else:
        if OTHER_MUNICIPALITY not in raw_fallback:
            ch.error(fname, f"fallback_contacts: missing the key {OTHER_MUNICIPALITY!r}")
        for municipality, contact_ids in raw_fallback.items():
            if not isinstance(contact_ids, list) or not all(isinstance(c, str) for c in contact_ids):
                ch.error(fname, f"fallback_contacts: {municipality}: must be a list of contact ids")
                continue
            fallback[str(municipality)] = tuple(contact_ids)
    return services, fallback


def _link_contacts(services: dict[str, Service], order: Mapping[str, tuple[str, ...]],
                   ch: _Checker) -> dict[str, Service]:
    """Give every service its contacts in the order listed, including the ones it refers to
    by id (defined once by another service, e.g. Helsinki-info)."""
    defined: dict[str, Contact] = {}
    for service in services.values():
        for contact in service.contacts:
            defined.setdefault(contact.id, contact)
    linked: dict[str, Service] = {}
    for sid, service in services.items():
        contacts = []
        for ref in order.get(sid, ()):
            if ref in defined:
                contacts.append(defined[ref])
            else:
                ch.error(f"services.yml: service '{sid}'", f"contacts: unknown contact id {ref!r}")
        linked[sid] = replace(service, contacts=tuple(contacts))
    return linked


def _parse_topics(data: Any, ch: _Checker) -> dict[str, Topic]:
    fname = "topics.yml"
    topics: dict[str, Topic] = {}
    for tid, where, raw in _each_item(data, ch, fname, "topics", "topic", TOPIC_FIELDS):
        fields = dict(
            title=ch.text_field(raw, "title", where),
            body=ch.text_field(raw, "body", where),
            body_elsewhere=ch.text_field(raw, "body_elsewhere", where, required=False),
            place_question=ch.text_field(raw, "place_question", where, required=False),
            notes=ch.notes(raw, where),
            ask=ch.id_list(raw, "ask", where),
            related_services=ch.id_list(raw, "related_services", where),
            related_notices=ch.id_list(raw, "related_notices", where),
            **ch.dated(raw, where),
        )
        if tid and fields["title"] and fields["body"] and tid not in topics:
            topics[tid] = Topic(id=tid, **fields)
    return topics


def _parse_notices(data: Any, ch: _Checker) -> dict[str, Notice]:
    fname = "notices.yml"
    notices: dict[str, Notice] = {}
    for nid, where, raw in _each_item(data, ch, fname, "notices", "notice", NOTICE_FIELDS):
        fields = dict(
            title=ch.text_field(raw, "title", where),
            text=ch.text_field(raw, "text", where),
            applies_to=ch.id_list(raw, "applies_to", where),
            **ch.dated(raw, where),
        )
        if nid and fields["title"] and fields["text"] and nid not in notices:
            notices[nid] = Notice(id=nid, **fields)
    return notices


def _parse_messages(data: Any, ch: _Checker) -> dict[str, Message]:
    fname = "messages.yml"
    messages: dict[str, Message] = {}
    for mid, where, raw in _each_item(data, ch, fname, "messages", "message", MESSAGE_FIELDS, pattern=_MESSAGE_ID):
        text = ch.languages({k: raw[k] for k in raw if k in LANGUAGES}, where, "text")
        if text is not None:
            ch.wording(text, where, "text", RUNTIME_PLACEHOLDERS)
        is_fact = mid is not None and mid.startswith(FACT_MESSAGE_PREFIXES)
        sources = ch.sources(raw, where, required=is_fact)
        if mid and text is not None and mid not in messages:
            messages[mid] = Message(id=mid, text=text, sources=sources)
    return messages


def _cross_check(services: Mapping[str, Service], topics: Mapping[str, Topic], notices: Mapping[str, Notice],
                 messages: Mapping[str, Message], parameters: Mapping[str, Parameter],
                 fallback: Mapping[str, tuple[str, ...]], contacts: Mapping[str, Contact],
                 contract: Contract, ch: _Checker) -> None:
    """References between items: every id used anywhere must exist."""
    for service in services.values():
        for ref in service.related:
            if ref not in services:
                ch.error(f"services.yml: service '{service.id}'", f"related: unknown service id {ref!r}")
    for topic in topics.values():
        where = f"topics.yml: topic '{topic.id}'"
        for ref in topic.related_services:
            if ref not in services:
                ch.error(where, f"related_services: unknown service id {ref!r}")
        for ref in topic.related_notices:
            if ref not in notices:
                ch.error(where, f"related_notices: unknown notice id {ref!r}")
    for notice in notices.values():
        for ref in notice.applies_to:
            if ref not in services:
                ch.error(f"notices.yml: notice '{notice.id}'", f"applies_to: unknown service id {ref!r}")
    for municipality, contact_ids in fallback.items():
        for ref in contact_ids:
            if ref not in contacts:
                ch.error("services.yml: fallback_contacts", f"{municipality}: unknown contact id {ref!r}")
    for ref in sorted(contract.services - ch.present.get("services", set())):
        ch.error("services.yml", f"unknown route id {ref!r}: the route rules need a service with this id")
    for ref in sorted(contract.topics - ch.present.get("topics", set())):
        ch.error("topics.yml", f"missing topic {ref!r}: the assistant answers with it")
    for ref in sorted(contract.messages - ch.present.get("messages", set())):
        ch.error("messages.yml", f"missing message {ref!r}: the assistant uses it")
    for ref in sorted(contract.parameters - ch.present.get("parameters", set())):
        ch.error("parameters.yml", f"missing parameter {ref!r}: the route rules use it")


def resolve_path(path: os.PathLike | None = None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_DIR, "").strip()
    return Path(env) if env else KNOWLEDGE_DIR


def load_knowledge(path: os.PathLike | None = None, contract: Contract | None = None) -> Knowledge:
    """Read and validate the knowledge directory; raise :class:`ContentError` listing all problems.

    ``contract`` defaults to what the assistant's code needs (``bot.contract.required()``)."""
    if contract is None:
        from bot.contract import required  # the code's needs; imported here to keep this module low-level

        contract = required()
    directory = resolve_path(path)
    if not directory.is_dir():
        raise ContentError([f"{directory}: knowledge directory not found"])
    read_errors: list[str] = []
    data = {name: _read_yaml(directory / name, read_errors) for name in FILES}
    first = _Checker()
    first.errors.extend(read_errors)
    registry = _parse_sources(data["sources.yml"], first)
    first.registry = registry
    parameters = _parse_parameters(data["parameters.yml"], first)
    ch = _Checker(registry, parameters)
    ch.errors.extend(first.errors)
    ch.present.update(first.present)
    services, fallback = _parse_services(data["services.yml"], ch)
    topics = _parse_topics(data["topics.yml"], ch)
    notices = _parse_notices(data["notices.yml"], ch)
    messages = _parse_messages(data["messages.yml"], ch)

    contacts: dict[str, Contact] = {}
    contact_ids: list[tuple[str, str]] = []
    for service in services.values():
        for contact in service.contacts:
            if contact.service_id != service.id:
                continue  # listed here, defined by another service
            contact_ids.append((contact.id, f"services.yml: service '{service.id}' > contact '{contact.id}'"))
            contacts.setdefault(contact.id, contact)
    _unique(contact_ids, ch, "contact")
    _cross_check(services, topics, notices, messages, parameters, fallback, contacts, contract, ch)
    if ch.errors:
        raise ContentError(ch.errors)
    return Knowledge(
        services=services, topics=topics, notices_by_id=notices, messages=messages, fallback=fallback,
        sources=registry, parameters=parameters, path=directory, contacts=contacts,
    )
