"""Load and validate the knowledge base (``bot/knowledge/*.yml``).

Staff edit the YAML files; this module turns them into the typed model in
``bot.knowledge_model`` and checks them. Every problem is collected (file, item id, field,
what is wrong) and reported at once in a single :class:`ContentError`, so one run of
``python -m bot check-content`` shows everything that needs fixing.

``get_knowledge()`` is the process-wide accessor: it reloads when a file changes and, if the
new content does not validate, keeps serving the last good content and records the error
(a typo in a phone number must not take the service down).
"""
from __future__ import annotations

import logging
import os
import re
import string
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

import yaml

from bot.knowledge_formats import (
    PartialDate,
    email_problem,
    phone_problem,
    source_problem,
    url_problem,
)
from bot.knowledge_model import (
    CERTAINTIES,
    DATE_KINDS,
    LANGUAGES,
    OTHER_MUNICIPALITY,
    SERVICE_KINDS,
    Contact,
    Knowledge,
    Message,
    Note,
    Notice,
    Service,
    Source,
    Text,
    Topic,
)

log = logging.getLogger(__name__)

KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"
#: Environment variable pointing to another knowledge directory (staff preview of edits).
ENV_DIR = "KUNTOUTUSOPAS_KNOWLEDGE_DIR"
FILES: Tuple[str, ...] = ("services.yml", "topics.yml", "notices.yml", "messages.yml")

_ID = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_MESSAGE_ID = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")
#: Messages stating facts must name their source.
FACT_MESSAGE_PREFIXES = ("reason.", "fact.")


class ContentError(Exception):
    """The knowledge files have problems; ``errors`` lists every one of them."""

    def __init__(self, errors: Sequence[str]):
        self.errors: List[str] = list(errors)
        count = len(self.errors)
        lines = [f"{count} problem{'s' if count != 1 else ''} in the knowledge files:"]
        lines += [f"  - {e}" for e in self.errors]
        super().__init__("\n".join(lines))


# Ids the code relies on (route ids, message ids); modules register them at import time so that
# a staff edit deleting one is rejected instead of failing later in a conversation.
_REQUIRED: Dict[str, Set[str]] = {"services": set(), "messages": set()}


def require_ids(kind: str, ids: Iterable[str]) -> None:
    """Declare ids that must exist in the knowledge base (``kind``: services | messages)."""
    if kind not in _REQUIRED:
        raise ValueError(f"unknown id kind {kind!r}")
    _REQUIRED[kind].update(ids)


def required_ids(kind: str) -> Set[str]:
    return set(_REQUIRED[kind])


# --------------------------------------------------------------------------- YAML reading


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available (faster)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """Safe YAML without implicit dates: we parse dates ourselves to report bad ones clearly."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path, errors: List[str]) -> Any:
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


# --------------------------------------------------------------------------- field parsing


class _Checker:
    """Parses raw YAML items into model objects, collecting errors instead of stopping."""

    def __init__(self) -> None:
        self.errors: List[str] = []

    def error(self, where: str, problem: str) -> None:
        self.errors.append(f"{where}: {problem}")

    # ---- generic pieces -------------------------------------------------------------
    def keys(self, raw: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        unknown = sorted(set(raw) - set(allowed), key=str)
        for key in unknown:
            self.error(where, f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")

    def item_id(self, raw: Mapping[str, Any], where: str, pattern: re.Pattern = _ID) -> Optional[str]:
        value = raw.get("id")
        if value is None:
            self.error(where, "id: missing")
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.error(where, f"id: {value!r} must be lowercase letters, digits and underscores")
            return None
        return value

    def languages(self, raw: Any, where: str, field: str, plain_ok: bool = False) -> Optional[Text]:
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
                   plain_ok: bool = False) -> Optional[Text]:
        if raw.get(key) is None:
            if required:
                self.error(where, f"{key}: missing (give fi, sv and en)")
            return None
        return self.languages(raw[key], where, key, plain_ok=plain_ok)

    def iso_date(self, raw: Mapping[str, Any], key: str, where: str) -> Optional[date]:
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

    def source_date(self, value: Any, where: str, key: str = "source_date") -> Optional[PartialDate]:
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            self.error(where, f"{key}: {exc}")
            return None

    def choice(self, raw: Mapping[str, Any], key: str, allowed: Sequence[str], default: str, where: str) -> str:
        value = raw.get(key, default)
        if value is None:
            return default
        if value not in allowed:
            self.error(where, f"{key}: {value!r} is not one of {', '.join(allowed)}")
            return default
        return value

    def id_list(self, raw: Mapping[str, Any], key: str, where: str) -> Tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(where, f"{key}: must be a list of ids")
            return ()
        return tuple(value)

    def sources(self, raw: Mapping[str, Any], where: str, certainty: str, required: bool = True) -> Tuple[Source, ...]:
        """``source`` (text or list) + ``source_date``; list entries may carry their own date.

        Forms::

            source: seeds/001_6e88fe1cde220e41.txt      source: [a, b]        source:
            source_date: 2021-02-25                      source_date: 2025     - source: a
                                                                                source_date: 2021-01-20
        """
        value = raw.get("source")
        date_kind = self.choice(raw, "date_kind", DATE_KINDS, "published", where)
        if value is None:
            if required:
                self.error(where, "source: missing (seed file name or public address)")
            if raw.get("source_date") is not None and not required:
                self.error(where, "source_date: given without a source")
            return ()
        entries = value if isinstance(value, list) else [value]
        if not entries:
            self.error(where, "source: empty list")
            return ()
        item_date: Optional[PartialDate] = None
        needs_item_date = any(not isinstance(e, Mapping) for e in entries)
        if needs_item_date:
            if raw.get("source_date") is None:
                self.error(where, "source_date: missing (ISO date of the source, e.g. 2021-02-25)")
            else:
                item_date = self.source_date(raw["source_date"], where)
        result: List[Source] = []
        for index, entry in enumerate(entries):
            if isinstance(entry, Mapping):
                entry_where = f"{where} > source[{index}]"
                self.keys(entry, ("source", "source_date", "date_kind", "certainty"), entry_where)
                text = entry.get("source")
                problem = source_problem(text)
                if problem:
                    self.error(entry_where, f"source: {problem}")
                    continue
                if entry.get("source_date") is None:
                    self.error(entry_where, "source_date: missing (ISO date of the source)")
                    continue
                entry_date = self.source_date(entry["source_date"], entry_where)
                kind = self.choice(entry, "date_kind", DATE_KINDS, date_kind, entry_where)
                entry_certainty = self.choice(entry, "certainty", CERTAINTIES, certainty, entry_where)
                if entry_date is not None:
                    result.append(Source(text.strip(), entry_date, entry_certainty, kind))
            else:
                problem = source_problem(entry)
                if problem:
                    self.error(where, f"source: {problem}")
                    continue
                if item_date is not None:
                    result.append(Source(entry.strip(), item_date, certainty, date_kind))
        return tuple(result)

    def validity(self, raw: Mapping[str, Any], where: str) -> Tuple[Optional[date], Optional[date]]:
        start = self.iso_date(raw, "valid_from", where)
        end = self.iso_date(raw, "valid_until", where)
        if start and end and start > end:
            self.error(where, f"valid_from {start.isoformat()} is after valid_until {end.isoformat()}")
        return start, end

    def dated(self, raw: Mapping[str, Any], where: str) -> Dict[str, Any]:
        """The shared dated fields as constructor keyword arguments."""
        certainty = self.choice(raw, "certainty", CERTAINTIES, "confirmed", where)
        start, end = self.validity(raw, where)
        return {
            "sources": self.sources(raw, where, certainty),
            "valid_from": start,
            "valid_until": end,
            "certainty": certainty,
        }

    # ---- nested items ---------------------------------------------------------------
    NOTE_FIELDS = ("id", "text", "source", "source_date", "date_kind", "valid_from", "valid_until", "certainty")

    def notes(self, raw: Mapping[str, Any], where: str) -> Tuple[Note, ...]:
        value = raw.get("notes")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(where, "notes: must be a list")
            return ()
        result, seen = [], set()
        for index, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                self.error(where, f"notes[{index}]: must be a mapping with id, text, source, source_date")
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

    CONTACT_FIELDS = (
        "id", "name", "role", "phone", "email", "email_format", "address", "postal_address", "fax",
        "hours", "web", "source", "source_date", "date_kind", "valid_from", "valid_until", "certainty",
    )

    def contacts(self, raw: Mapping[str, Any], service_id: str, where: str) -> Tuple[Contact, ...]:
        value = raw.get("contacts")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(where, "contacts: must be a list")
            return ()
        result = []
        for index, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                self.error(where, f"contacts[{index}]: must be a mapping")
                continue
            contact_id = self.item_id(entry, f"{where} > contacts[{index}]")
            cwhere = f"{where} > contact '{contact_id or index}'"
            self.keys(entry, self.CONTACT_FIELDS, cwhere)
            name = self.text_field(entry, "name", cwhere, plain_ok=True)
            phone = self._checked(entry, "phone", phone_problem, cwhere)
            fax = self._checked(entry, "fax", phone_problem, cwhere)
            email = self._checked(entry, "email", email_problem, cwhere)
            web = self._checked(entry, "web", url_problem, cwhere)
            email_format = self.text_field(entry, "email_format", cwhere, required=False)
            if email_format is not None:
                if email is None:
                    self.error(cwhere, "email_format: given without email")
                else:
                    domains = {v.rsplit("@", 1)[-1] for v in email_format.values()}
                    if domains != {email.rsplit("@", 1)[-1]}:
                        self.error(cwhere, f"email_format: domain does not match e-mail {email!r}")
            details = {
                "role": self.text_field(entry, "role", cwhere, required=False),
                "address": self.text_field(entry, "address", cwhere, required=False, plain_ok=True),
                "postal_address": self.text_field(entry, "postal_address", cwhere, required=False, plain_ok=True),
                "hours": self.text_field(entry, "hours", cwhere, required=False),
            }
            if not any([phone, email, web, fax, details["address"], details["postal_address"]]):
                self.error(cwhere, "a contact needs at least one of phone, email, web, address")
            dated = self.dated(entry, cwhere)
            if contact_id and name:
                result.append(Contact(
                    id=contact_id, service_id=service_id, name=name, phone=phone, fax=fax,
                    email=email, email_format=email_format, web=web, **details, **dated,
                ))
        return tuple(result)

    def _checked(self, raw: Mapping[str, Any], key: str, check, where: str) -> Optional[str]:
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

SERVICE_FIELDS = (
    "id", "kind", "municipality", "title", "summary", "details", "source", "source_date", "date_kind",
    "valid_from", "valid_until", "certainty", "notes", "contacts", "related",
)
TOPIC_FIELDS = (
    "id", "title", "body", "source", "source_date", "date_kind", "valid_from", "valid_until",
    "certainty", "notes", "related_services", "related_notices",
)
NOTICE_FIELDS = (
    "id", "title", "text", "source", "source_date", "date_kind", "valid_from", "valid_until",
    "certainty", "applies_to",
)
MESSAGE_FIELDS = ("id", "fi", "sv", "en", "source", "source_date", "date_kind", "certainty")


def _items(data: Any, filename: str, key: str, checker: _Checker, allowed_top: Sequence[str]) -> List[Mapping[str, Any]]:
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


def _unique(ids: List[Tuple[str, str]], checker: _Checker, label: str) -> None:
    """Report ids that occur more than once: ``ids`` is a list of (id, where)."""
    seen: Dict[str, str] = {}
    for item_id, where in ids:
        if item_id in seen:
            checker.error(where, f"duplicate {label} id {item_id!r} (also in {seen[item_id]})")
        else:
            seen[item_id] = where


def _parse_services(data: Any, ch: _Checker) -> Tuple[Dict[str, Service], Dict[str, Tuple[str, ...]]]:
    fname = "services.yml"
    services: Dict[str, Service] = {}
    ids: List[Tuple[str, str]] = []
    for index, raw in enumerate(_items(data, fname, "services", ch, ("services", "fallback_contacts"))):
        sid = ch.item_id(raw, f"{fname}: services[{index}]")
        where = f"{fname}: service '{sid or index}'"
        ch.keys(raw, SERVICE_FIELDS, where)
        if sid:
            ids.append((sid, where))
        municipality = raw.get("municipality")
        if municipality is not None and (not isinstance(municipality, str) or not municipality.strip()):
            ch.error(where, "municipality: must be a municipality name or left out")
            municipality = None
        fields = dict(
            kind=ch.choice(raw, "kind", SERVICE_KINDS, "route", where),
            municipality=municipality,
            title=ch.text_field(raw, "title", where),
            summary=ch.text_field(raw, "summary", where),
            details=ch.text_field(raw, "details", where, required=False),
            notes=ch.notes(raw, where),
            contacts=ch.contacts(raw, sid or "", where),
            related=ch.id_list(raw, "related", where),
            **ch.dated(raw, where),
        )
        if sid and fields["title"] and fields["summary"] and sid not in services:
            services[sid] = Service(id=sid, **fields)
    _unique(ids, ch, "service")

    fallback: Dict[str, Tuple[str, ...]] = {}
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


def _parse_topics(data: Any, ch: _Checker) -> Dict[str, Topic]:
    fname = "topics.yml"
    topics: Dict[str, Topic] = {}
    ids: List[Tuple[str, str]] = []
    for index, raw in enumerate(_items(data, fname, "topics", ch, ("topics",))):
        tid = ch.item_id(raw, f"{fname}: topics[{index}]")
        where = f"{fname}: topic '{tid or index}'"
        ch.keys(raw, TOPIC_FIELDS, where)
        if tid:
            ids.append((tid, where))
        fields = dict(
            title=ch.text_field(raw, "title", where),
            body=ch.text_field(raw, "body", where),
            notes=ch.notes(raw, where),
            related_services=ch.id_list(raw, "related_services", where),
            related_notices=ch.id_list(raw, "related_notices", where),
            **ch.dated(raw, where),
        )
        if tid and fields["title"] and fields["body"] and tid not in topics:
            topics[tid] = Topic(id=tid, **fields)
    _unique(ids, ch, "topic")
    return topics


def _parse_notices(data: Any, ch: _Checker) -> Dict[str, Notice]:
    fname = "notices.yml"
    notices: Dict[str, Notice] = {}
    ids: List[Tuple[str, str]] = []
    for index, raw in enumerate(_items(data, fname, "notices", ch, ("notices",))):
        nid = ch.item_id(raw, f"{fname}: notices[{index}]")
        where = f"{fname}: notice '{nid or index}'"
        ch.keys(raw, NOTICE_FIELDS, where)
        if nid:
            ids.append((nid, where))
        fields = dict(
            title=ch.text_field(raw, "title", where),
            text=ch.text_field(raw, "text", where),
            applies_to=ch.id_list(raw, "applies_to", where),
            **ch.dated(raw, where),
        )
        if nid and fields["title"] and fields["text"] and nid not in notices:
            notices[nid] = Notice(id=nid, **fields)
    _unique(ids, ch, "notice")
    return notices


def _placeholders(template: str) -> Set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _parse_messages(data: Any, ch: _Checker) -> Dict[str, Message]:
    fname = "messages.yml"
    messages: Dict[str, Message] = {}
    ids: List[Tuple[str, str]] = []
    for index, raw in enumerate(_items(data, fname, "messages", ch, ("messages",))):
        mid = ch.item_id(raw, f"{fname}: messages[{index}]", pattern=_MESSAGE_ID)
        where = f"{fname}: message '{mid or index}'"
        ch.keys(raw, MESSAGE_FIELDS, where)
        if mid:
            ids.append((mid, where))
        text = ch.languages({k: raw[k] for k in raw if k in LANGUAGES}, where, "text")
        if text is not None:
            found = {}
            for lang in LANGUAGES:
                try:
                    found[lang] = _placeholders(text.get(lang))
                except ValueError as exc:
                    ch.error(where, f"{lang}: broken {{placeholder}}: {exc}")
            if len(found) == len(LANGUAGES) and len({frozenset(v) for v in found.values()}) > 1:
                detail = "; ".join(f"{lang}: {sorted(found[lang])}" for lang in LANGUAGES)
                ch.error(where, f"the languages use different {{placeholders}} ({detail})")
        is_fact = bool(mid) and mid.startswith(FACT_MESSAGE_PREFIXES)
        certainty = ch.choice(raw, "certainty", CERTAINTIES, "confirmed", where)
        sources = ch.sources(raw, where, certainty, required=is_fact)
        if mid and text is not None and mid not in messages:
            messages[mid] = Message(id=mid, text=text, sources=sources)
    _unique(ids, ch, "message")
    return messages


def _cross_check(services: Mapping[str, Service], topics: Mapping[str, Topic], notices: Mapping[str, Notice],
                 messages: Mapping[str, Message], fallback: Mapping[str, Tuple[str, ...]],
                 contacts: Mapping[str, Contact], ch: _Checker) -> None:
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
    for ref in sorted(_REQUIRED["services"] - set(services)):
        ch.error("services.yml", f"unknown route id {ref!r}: the route engine needs a service with this id")
    for ref in sorted(_REQUIRED["messages"] - set(messages)):
        ch.error("messages.yml", f"missing message {ref!r}: the assistant uses it")


def resolve_path(path: Optional[os.PathLike] = None) -> Path:
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_DIR, "").strip()
    return Path(env) if env else KNOWLEDGE_DIR


def load_knowledge(path: Optional[os.PathLike] = None) -> Knowledge:
    """Read and validate the knowledge directory; raise :class:`ContentError` listing all problems."""
    directory = resolve_path(path)
    read_errors: List[str] = []
    if not directory.is_dir():
        raise ContentError([f"{directory}: knowledge directory not found"])
    data = {name: _read_yaml(directory / name, read_errors) for name in FILES}
    ch = _Checker()
    ch.errors.extend(read_errors)
    services, fallback = _parse_services(data["services.yml"], ch)
    topics = _parse_topics(data["topics.yml"], ch)
    notices = _parse_notices(data["notices.yml"], ch)
    messages = _parse_messages(data["messages.yml"], ch)

    contacts: Dict[str, Contact] = {}
    contact_ids: List[Tuple[str, str]] = []
    for service in services.values():
        for contact in service.contacts:
            contact_ids.append((contact.id, f"services.yml: service '{service.id}' > contact '{contact.id}'"))
            contacts.setdefault(contact.id, contact)
    _unique(contact_ids, ch, "contact")
    _cross_check(services, topics, notices, messages, fallback, contacts, ch)
    if ch.errors:
        raise ContentError(ch.errors)
    return Knowledge(
        services=services, topics=topics, notices_by_id=notices, messages=messages,
        fallback=fallback, path=directory, contacts=contacts,
    )


# --------------------------------------------------------------------------- cached access


@dataclass
class _Cached:
    knowledge: Knowledge
    signature: Tuple
    loaded_at: datetime
    last_error: Optional[ContentError] = None


_cache: Dict[Path, _Cached] = {}
_lock = threading.Lock()


def _signature(directory: Path) -> Tuple:
    parts = []
    for name in FILES:
        try:
            stat = (directory / name).stat()
            parts.append((name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            parts.append((name, None, None))
    return tuple(parts)


def get_knowledge(path: Optional[os.PathLike] = None) -> Knowledge:
    """The current knowledge base, reloaded when a file changed.

    If the changed files do not validate, the last good content keeps being served and the
    error is logged and kept for :func:`knowledge_status`. Only the very first load raises.
    """
    directory = resolve_path(path).resolve()
    with _lock:
        cached = _cache.get(directory)
        signature = _signature(directory)
        if cached is not None and cached.signature == signature:
            return cached.knowledge
        try:
            knowledge = load_knowledge(directory)
        except ContentError as exc:
            if cached is None:
                raise
            cached.signature = signature  # do not re-parse until the files change again
            cached.last_error = exc
            log.error("knowledge files changed but do not validate; still serving the content "
                      "loaded at %s.\n%s", cached.loaded_at.isoformat(timespec="seconds"), exc)
            return cached.knowledge
        _cache[directory] = _Cached(knowledge, signature, datetime.now())
        return knowledge


def knowledge_status(path: Optional[os.PathLike] = None) -> Dict[str, Any]:
    """For health checks: when the served content was loaded and the last reload error, if any."""
    directory = resolve_path(path).resolve()
    with _lock:
        cached = _cache.get(directory)
        if cached is None:
            return {"loaded": False, "loaded_at": None, "last_error": None}
        return {
            "loaded": True,
            "loaded_at": cached.loaded_at.isoformat(timespec="seconds"),
            "last_error": str(cached.last_error) if cached.last_error else None,
        }


def clear_cache() -> None:
    """Forget cached content (tests)."""
    with _lock:
        _cache.clear()
