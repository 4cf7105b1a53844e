"""Writing advice, services, contacts and sources as text or JSON in one language.

The one place that turns the language-independent advice (``bot.guidance.advice``) and the
knowledge base's items into words. Two audiences:

* staff and the route API: the full structure (``advice_to_dict``, ``render_advice``,
  ``service_to_dict``) — every route, reason, contact, note and source;
* residents: the short chat replies in ``bot.guidance.chat`` are built from the small pieces
  here (``contact_line``, ``source_lines``, ``check_line``, ``route_title``).

Every sentence and label comes from ``bot/knowledge/messages.yml``.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from bot import clock
from bot.guidance.advice import Advice, ExcludedRoute, RouteAdvice, localised_params
from bot.knowledge import get_knowledge
from bot.knowledge.formats import display_date
from bot.knowledge.model import Contact, Dated, Knowledge, Note, Notice, Service, Source, status_label, time_status

#: How old (in years) a confirmed fact may be before the answer says which year it is from.
STALE_AFTER_YEARS = 2

MESSAGE_IDS = (
    "label.phone", "label.email", "label.address", "label.web", "label.hours",
    "label.service_ended", "label.service_not_started", "label.old_site",
    "date.published", "date.updated", "date.read",
    "status.first_step", "status.applies", "status.may_apply",
    "heading.routes", "heading.why", "heading.contacts", "heading.notes", "heading.sources",
    "heading.excluded", "heading.next", "heading.ask_next",
    "answer.check_year", "history.intro", "history.ended", "history.no_end_date", "question.age",
)


# --------------------------------------------------------------------------- small pieces

def _kb(knowledge: Knowledge | None) -> Knowledge:
    return knowledge if knowledge is not None else get_knowledge()


def source_lines(sources: Iterable[Source], language: str, knowledge: Knowledge | None = None) -> list[str]:
    """Each source as "Publisher: Title (dated 2.3.2025)" and its address on the next line."""
    kb = _kb(knowledge)
    lines = []
    for source in sources:
        when = kb.text(f"date.{source.date_kind}", language, date=source.date.display())
        old = f" {kb.text('label.old_site', language)}" if source.old_site else ""
        lines.append(f"{source.publisher.get(language)}: {source.title.get(language)} ({when}){old}")
        lines.append(source.url.get(language))
    return lines


def contact_line(contact: Contact, language: str, knowledge: Knowledge | None = None) -> str:
    """One contact on one line: name, phone and hours, web address (or e-mail, address)."""
    kb = _kb(knowledge)
    parts = [contact.name.get(language)]
    if contact.role is not None:
        parts[0] += f" ({contact.role.get(language)})"
    if contact.phone:
        phone = f"{kb.text('label.phone', language)} {contact.phone}"
        if contact.hours is not None:
            phone += f" ({contact.hours.get(language)})"
        parts.append(phone)
    if contact.web is not None:
        parts.append(contact.web.get(language))
    if contact.email and not contact.phone:
        parts.append(contact.email)
    if contact.address is not None and not contact.phone and contact.web is None:
        parts.append(contact.address.get(language))
    return ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def check_line(items: Sequence[Dated | None], language: str, today: date | None = None,
               knowledge: Knowledge | None = None) -> str | None:
    """At most one plain sentence of uncertainty: the year of the information when it is
    uncertain or old ("The information is from 2020 — check by phone."), else None.

    A contact is as old as its oldest source (a phone number from a 2020 page stays a 2020
    number); a topic or service is as recent as its newest source (a recent page confirms it).
    """
    kb = _kb(knowledge)
    day = today or clock.today()
    years = []
    for item in items:
        if item is None or not item.sources:
            continue
        dates = [s.date.year for s in item.sources]
        year = min(dates) if isinstance(item, Contact) else max(dates)
        if item.certainty != "confirmed" or year <= day.year - STALE_AFTER_YEARS:
            years.append(year)
    if not years:
        return None
    return kb.text("answer.check_year", language, year=min(years))


def route_title(route: RouteAdvice | Service, language: str, params: dict[str, object],
                knowledge: Knowledge | None = None) -> str:
    service = route.service if isinstance(route, RouteAdvice) else route
    return _kb(knowledge).fill(service.title.get(language), None, **params)


def history_sentence(item: Dated, language: str, knowledge: Knowledge | None = None) -> str:
    """"This arrangement ended on 30.4.2021." (or, without an end date, the page's date)."""
    kb = _kb(knowledge)
    if item.valid_until is not None:
        return kb.text("history.ended", language, date=display_date(item.valid_until))
    return kb.text("history.no_end_date", language, date=item.source_date.display())


# --------------------------------------------------------------------------- staff: JSON

def source_to_dict(source: Source, language: str) -> dict[str, Any]:
    return source.to_dict(language)


def contact_to_dict(contact: Contact, language: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": contact.id, "name": contact.name.get(language), "certainty": contact.certainty}
    for key in ("role", "address", "hours", "web"):
        value = getattr(contact, key)
        if value is not None:
            out[key] = value.get(language)
    for key in ("phone", "email"):
        if getattr(contact, key):
            out[key] = getattr(contact, key)
    out["sources"] = [source_to_dict(s, language) for s in contact.sources]
    return out


def note_to_dict(note: Note | Notice, language: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": note.id, "text": note.text.get(language), "certainty": note.certainty,
                           "sources": [source_to_dict(s, language) for s in note.sources]}
    if isinstance(note, Notice):
        out["title"] = note.title.get(language)
    if note.valid_from:
        out["valid_from"] = note.valid_from.isoformat()
    if note.valid_until:
        out["valid_until"] = note.valid_until.isoformat()
    return out


def advice_to_dict(advice: Advice, language: str, knowledge: Knowledge | None = None) -> dict[str, Any]:
    """The whole advice for staff and the route API (``python -m bot route --json``)."""
    kb = _kb(knowledge)
    params = localised_params(advice, language)

    def text(message_id: str) -> str:
        return kb.text(message_id, language, advice.today, **params)

    routes = []
    for route in advice.routes:
        service = route.service
        routes.append({
            "id": route.id,
            "title": route_title(route, language, params, kb),
            "status": route.status,
            "certainty": route.certainty,
            "summary": kb.fill(service.summary.get(language), advice.today, **params),
            "first_step": kb.fill(service.first_step.get(language), advice.today, **params)
            if service.first_step else None,
            "next_steps": kb.fill(service.next_steps.get(language), advice.today, **params)
            if service.next_steps else None,
            "reasons": [text(r) for r in route.reasons],
            "primary_contact": route.primary.id if route.primary else None,
            "contacts": [contact_to_dict(c, language) for c in route.contacts],
            "notes": [note_to_dict(n, language) for n in route.notes],
            "sources": [source_to_dict(s, language) for s in route.sources],
        })
    return {
        "routes": routes,
        "ask_next": list(advice.ask_next),
        "excluded": [_excluded_to_dict(e, language, advice, kb) for e in advice.excluded],
        "fallback_contacts": [contact_to_dict(c, language) for c in advice.fallback_contacts],
        "language": language,
        "today": advice.today.isoformat(),
    }


def _excluded_to_dict(excluded: ExcludedRoute, language: str, advice: Advice, kb: Knowledge) -> dict[str, Any]:
    return {
        "id": excluded.service.id,
        "title": route_title(excluded.service, language, localised_params(advice, language), kb),
        "reasons": _excluded_reasons(excluded, language, advice, kb),
        "sources": [source_to_dict(s, language) for s in excluded.service.sources],
    }


def _excluded_reasons(excluded: ExcludedRoute, language: str, advice: Advice, kb: Knowledge) -> list[str]:
    params = localised_params(advice, language)
    if excluded.label is not None:
        message_id, when = excluded.label
        return [kb.text(message_id, language, date=when)]
    return [kb.text(r, language, advice.today, **params) for r in excluded.reasons]


def service_to_dict(service: Service, language: str, today: date | None = None,
                    knowledge: Knowledge | None = None) -> dict[str, Any]:
    """A service's current contacts, notes and sources (``GET /api/services/{id}``)."""
    kb = _kb(knowledge)
    day = today or clock.today()
    current = time_status(service, day) == "current"
    out: dict[str, Any] = {
        "id": service.id,
        "kind": service.kind,
        "municipality": service.municipality,
        "title": kb.fill(service.title.get(language), day),
        "summary": kb.fill(service.summary.get(language), day),
        "certainty": service.certainty,
        "current": current,
        "contacts": [contact_to_dict(c, language) for c in kb.current_contacts(service, day)] if current else [],
        "notes": [note_to_dict(n, language) for n in kb.current_notes(service, day)]
        + [note_to_dict(n, language) for n in kb.notices_for(service.id, day)],
        "sources": [source_to_dict(s, language) for s in service.sources],
        "related": list(service.related),
        "language": language,
        "today": day.isoformat(),
    }
    for key in ("first_step", "next_steps", "details"):
        value = getattr(service, key)
        if value is not None:
            out[key] = kb.fill(value.get(language), day)
    if service.valid_from:
        out["valid_from"] = service.valid_from.isoformat()
    if service.valid_until:
        out["valid_until"] = service.valid_until.isoformat()
    label = status_label(service, day)
    if label is not None:
        out["status_note"] = kb.text(label[0], language, date=label[1])
    return out


# --------------------------------------------------------------------------- staff: text

def render_advice(advice: Advice, language: str, knowledge: Knowledge | None = None) -> str:
    """Readable plain text of the whole advice, for staff (``python -m bot route``)."""
    kb = _kb(knowledge)
    data = advice_to_dict(advice, language, kb)
    lines: list[str] = [kb.text("heading.routes", language), ""]
    for number, route in enumerate(data["routes"], 1):
        lines.append(f"{number}. {route['title']} – {kb.text('status.' + route['status'], language)}")
        for key in ("first_step", "summary"):
            if route[key]:
                lines.append(f"   {route[key]}")
        lines.append(f"   {kb.text('heading.why', language)}")
        lines += [f"   - {reason}" for reason in route["reasons"]]
        if route["next_steps"]:
            lines.append(f"   {kb.text('heading.next', language)} {route['next_steps']}")
        lines.append(f"   {kb.text('heading.contacts', language)}")
        for contact in advice.route(route["id"]).contacts:
            lines.append(f"   - {contact_line(contact, language, kb)}")
        if route["notes"]:
            lines.append(f"   {kb.text('heading.notes', language)}")
            lines += [f"   - {note['text']}" for note in route["notes"]]
        lines.append(f"   {kb.text('heading.sources', language)}")
        lines += [f"     {line}" for line in source_lines(advice.route(route["id"]).sources, language, kb)]
        lines.append("")
    if data["excluded"]:
        lines.append(kb.text("heading.excluded", language))
        lines += [f"- {e['title']}: {' '.join(e['reasons'])}" for e in data["excluded"]]
        lines.append("")
    if advice.ask_next:
        lines.append(kb.text("heading.ask_next", language))
        lines += [f"- {kb.text('question.' + name, language)}" for name in advice.ask_next]
    return "\n".join(lines).rstrip() + "\n"


def render_topic_full(topic_id: str, language: str, today: date | None = None,
                      knowledge: Knowledge | None = None) -> str:
    """A topic with its notes, related notices and sources, for staff (``python -m bot topic``)."""
    kb = _kb(knowledge)
    day = today or clock.today()
    topic = kb.topic(topic_id)
    lines = [topic.title.get(language), ""]
    if time_status(topic, day) == "ended":
        lines.append(kb.text("history.intro", language))
        lines.append(kb.fill(topic.body.get(language), day))
        lines.append(history_sentence(topic, language, kb))
    else:
        lines.append(kb.fill(topic.body.get(language), day))
    for note in kb.current_notes(topic, day):
        lines.append(f"- {kb.fill(note.text.get(language), day)}")
    for notice_id in topic.related_notices:
        notice = kb.notice(notice_id)
        if time_status(notice, day) == "current":
            lines.append(f"- {notice.title.get(language)}: {kb.fill(notice.text.get(language), day)}")
        elif time_status(notice, day) == "ended":
            lines.append(f"- {notice.title.get(language)}: {history_sentence(notice, language, kb)}")
    lines.append("")
    lines.append(kb.text("heading.sources", language))
    lines += [f"  {line}" for line in source_lines(topic.sources, language, kb)]
    return "\n".join(lines).rstrip() + "\n"
