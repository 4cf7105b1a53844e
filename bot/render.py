"""Plain-text rendering of advice and topics for chat and the command line.

Every sentence and label comes from ``bot/knowledge/messages.yml``; this module only arranges
them. Ended items are only ever rendered as history, with their end date.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Dict, List, Optional, Sequence

from bot import clock
from bot.content import get_knowledge, require_ids
from bot.knowledge_formats import KNOWLEDGE_NOTES_SOURCE, display_date
from bot.knowledge_model import (
    Knowledge,
    Notice,
    Service,
    Source,
    has_ended,
    is_current,
    not_started,
)
from bot.profile import FIELD_ORDER
from bot.routes import USES_FALLBACK_CONTACTS, Advice, ContactAdvice, NoteAdvice, RouteAdvice

INDENT = "   "


class _Writer:
    def __init__(self, knowledge: Knowledge, language: str):
        self.kb = knowledge
        self.lang = language
        self.lines: List[str] = []

    def t(self, message_id: str, **params: object) -> str:
        return self.kb.text(message_id, self.lang, **params)

    def add(self, text: str = "", indent: int = 0) -> None:
        prefix = INDENT * indent
        if not text:
            self.lines.append("")
            return
        for line in text.splitlines():
            self.lines.append(prefix + line if line.strip() else "")

    def result(self) -> str:
        # collapse runs of blank lines
        out: List[str] = []
        for line in self.lines:
            if line == "" and (not out or out[-1] == ""):
                continue
            out.append(line)
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n"

    # ---- pieces -----------------------------------------------------------------------
    def source_text(self, source: Source) -> str:
        name = self.t("label.source_knowledge_notes") if source.source == KNOWLEDGE_NOTES_SOURCE else source.source
        when = self.t(f"date.{source.date_kind}", date=source.source_date.display())
        mark = f" {self.t('certainty.short.' + source.certainty)}" if source.certainty != "confirmed" else ""
        return f"{name} ({when}){mark}"

    def sources_line(self, sources: Sequence[Source], indent: int) -> None:
        if sources:
            self.add(f"{self.t('heading.sources')} " + "; ".join(self.source_text(s) for s in sources), indent)

    def certainty(self, certainty: str, indent: int) -> None:
        if certainty != "confirmed":
            self.add(self.t(f"certainty.{certainty}"), indent)

    def contact(self, c: ContactAdvice, indent: int) -> None:
        name = f"{c.name} ({c.role})" if c.role else c.name
        self.add(f"- {name}", indent)
        inner = indent + 1
        if c.phone:
            self.add(f"{self.t('label.phone')}: {c.phone}", inner)
        if c.email:
            line = f"{self.t('label.email')}: {c.email}"
            if c.email_format:
                line += f" ({self.t('label.email_format', format=c.email_format)})"
            self.add(line, inner)
        if c.address:
            self.add(f"{self.t('label.address')}: {c.address}", inner)
        if c.postal_address:
            self.add(f"{self.t('label.postal_address')}: {c.postal_address}", inner)
        if c.fax:
            self.add(f"{self.t('label.fax')}: {c.fax}", inner)
        if c.hours:
            self.add(f"{self.t('label.hours')}: {c.hours}", inner)
        if c.web:
            self.add(f"{self.t('label.web')}: {c.web}", inner)
        self.certainty(c.certainty, inner)
        self.sources_line(c.sources, inner)

    def note(self, n: NoteAdvice, indent: int) -> None:
        head = f"{n.title}: " if n.title else ""
        self.add(f"- {head}{n.text}", indent)
        self.certainty(n.certainty, indent + 1)
        self.sources_line(n.sources, indent + 1)

    def history_notice(self, notice: Notice, indent: int) -> None:
        self.add(f"- {notice.title.get(self.lang)}: {notice.text.get(self.lang)}", indent)
        self.add(self.ended_sentence(notice.valid_until, notice.source_date.display()), indent + 1)
        self.sources_line(notice.sources, indent + 1)

    def ended_sentence(self, valid_until: Optional[date], source_date: str) -> str:
        if valid_until is not None:
            return self.t("history.ended", date=display_date(valid_until))
        return self.t("history.no_end_date", date=source_date)


def render_advice(advice: Advice, language: Optional[str] = None,
                  knowledge: Optional[Knowledge] = None) -> str:
    """Readable plain text: routes (why, contacts, notes, sources), exclusions, next steps."""
    return "\n".join(render_advice_sections(advice, language, knowledge))


def render_advice_sections(advice: Advice, language: Optional[str] = None,
                           knowledge: Optional[Knowledge] = None) -> List[str]:
    """The advice as separate blocks (one per route, then shared notices, exclusions and next
    steps), so a chat can show it as several short messages instead of one wall of text."""
    kb = knowledge or get_knowledge()
    lang = language or advice.language
    sections: List[str] = []
    # A notice that concerns several routes is printed once, after the routes.
    counts = Counter(n.id for route in advice.routes for n in route.notes)
    shared: Dict[str, NoteAdvice] = {}
    for route in advice.routes:
        for n in route.notes:
            if counts[n.id] > 1:
                shared.setdefault(n.id, n)

    for number, route in enumerate(advice.routes, 1):
        w = _Writer(kb, lang)
        if number == 1:
            w.add(w.t("heading.routes"))
            w.add()
        w.add(f"{number}. {route.title} – {w.t('status.' + route.status)}")
        w.certainty(route.certainty, 1)
        w.add(route.summary, 1)
        w.add(w.t("heading.why"), 1)
        for reason in route.reasons:
            w.add(f"- {reason}", 1)
        w.add(w.t("heading.contacts"), 1)
        if not route.contacts:
            w.add(w.t("label.no_contacts"), 1)
        for c in route.contacts:
            w.contact(c, 1)
        own_notes = [n for n in route.notes if n.id not in shared]
        if own_notes:
            w.add(w.t("heading.notes"), 1)
            for n in own_notes:
                w.note(n, 1)
        w.sources_line(route.sources, 1)
        sections.append(w.result())

    if shared:
        w = _Writer(kb, lang)
        w.add(w.t("heading.notices"))
        for n in shared.values():
            w.note(n, 0)
        sections.append(w.result())

    if advice.excluded:
        w = _Writer(kb, lang)
        w.add(w.t("heading.excluded"))
        for ex in advice.excluded:
            w.add(f"- {ex.title}: " + " ".join(ex.reasons))
            w.sources_line(ex.sources, 1)
        sections.append(w.result())

    w = _Writer(kb, lang)
    w.add(w.t("heading.next"))
    if advice.routes:
        # not_adult / own_municipality list the contacts themselves; their title is no contact.
        if advice.routes[0].id not in USES_FALLBACK_CONTACTS:
            w.add("- " + w.t("next.contact", title=advice.routes[0].title))
    else:
        w.add("- " + w.t("next.no_routes"))
    if advice.ask_next:
        w.add("- " + w.t("next.ask_intro"))
        for name in advice.ask_next:
            w.add(f"- {w.t('ask.' + name)}", 1)
    first_has_contacts = bool(advice.routes and advice.routes[0].contacts)
    if advice.fallback_contacts and not first_has_contacts:
        w.add("- " + w.t("next.fallback"))
        for c in advice.fallback_contacts:
            w.contact(c, 1)
    sections.append(w.result())
    return sections


def render_contact_list(contacts: Sequence[ContactAdvice], language: str,
                        knowledge: Optional[Knowledge] = None) -> str:
    """Contacts only (e.g. the fallback contacts when the assistant cannot help)."""
    w = _Writer(knowledge or get_knowledge(), language)
    for c in contacts:
        w.contact(c, 0)
    return w.result()


def render_contacts(routes: Sequence[RouteAdvice], language: str, knowledge: Optional[Knowledge] = None) -> str:
    """Each route's title with its contacts (or a note that the sources give none)."""
    w = _Writer(knowledge or get_knowledge(), language)
    for route in routes:
        w.add(route.title)
        if not route.contacts:
            w.add(w.t("label.no_contacts"), 1)
        for c in route.contacts:
            w.contact(c, 1)
    return w.result()


def _service_block(w: _Writer, service: Service, day: date) -> None:
    w.add(f"- {service.title.get(w.lang)}")
    if has_ended(service, day) or not_started(service, day):
        label = "label.service_ended" if has_ended(service, day) else "label.service_not_started"
        when = service.valid_until if has_ended(service, day) else service.valid_from
        w.add(w.t(label, date=display_date(when) if when else ""), 1)
        return
    w.certainty(service.certainty, 1)
    w.add(service.summary.get(w.lang), 1)
    if service.details is not None:
        w.add(service.details.get(w.lang), 1)
    contacts = [c for c in service.contacts if is_current(c, day)]
    if contacts:
        w.add(w.t("heading.contacts"), 1)
        for contact in contacts:
            w.contact(ContactAdvice.of(contact, w.lang), 1)
    notes = [n for n in service.notes if is_current(n, day)]
    if notes:
        w.add(w.t("heading.notes"), 1)
        for note in notes:
            w.note(NoteAdvice.of(note, w.lang), 1)
    w.sources_line(service.sources, 1)


def render_topic(topic_id: str, language: str = "fi", today: Optional[date] = None,
                 knowledge: Optional[Knowledge] = None) -> str:
    """A topic answer; an ended topic is told as history with its end date."""
    kb = knowledge or get_knowledge()
    day = today or clock.today()
    topic = kb.topic(topic_id)
    w = _Writer(kb, language)
    w.add(topic.title.get(language))
    w.add()
    if has_ended(topic, day):
        w.add(w.t("history.intro"))
        w.add(topic.body.get(language))
        w.add(w.ended_sentence(topic.valid_until, topic.source_date.display()))
    else:
        if not_started(topic, day):
            w.add(w.t("notice.starts", date=display_date(topic.valid_from)))
        w.certainty(topic.certainty, 0)
        w.add(topic.body.get(language))
    notes = [n for n in topic.notes if is_current(n, day)]
    if notes:
        w.add()
        w.add(w.t("heading.notes"))
        for note in notes:
            w.note(NoteAdvice.of(note, language), 0)
    w.sources_line(topic.sources, 0)

    notices = [kb.notice(n) for n in topic.related_notices]
    current = [n for n in notices if is_current(n, day)]
    ended = [n for n in notices if has_ended(n, day)]
    if current:
        w.add()
        w.add(w.t("heading.notices"))
        for notice in current:
            w.note(NoteAdvice.of(notice, language), 0)
    if ended:
        w.add()
        w.add(w.t("heading.history"))
        for notice in ended:
            w.history_notice(notice, 0)
    if topic.related_services:
        w.add()
        w.add(w.t("heading.related"))
        for service_id in topic.related_services:
            _service_block(w, kb.service(service_id), day)
    return w.result()


MESSAGE_IDS = sorted(
    {"heading.routes", "heading.why", "heading.contacts", "heading.notes", "heading.sources",
     "heading.excluded", "heading.next", "heading.notices", "heading.history", "heading.related",
     "label.phone", "label.email", "label.email_format", "label.address", "label.postal_address",
     "label.fax", "label.hours", "label.web", "label.no_contacts", "label.source_knowledge_notes",
     "label.service_ended", "label.service_not_started",
     "certainty.uncertain", "certainty.historical", "certainty.short.uncertain",
     "certainty.short.historical", "history.intro", "history.ended", "history.no_end_date",
     "notice.starts", "next.contact", "next.no_routes", "next.ask_intro", "next.fallback"}
    | {f"status.{s}" for s in ("first_step", "applies", "may_apply", "unconfirmed")}
    | {f"date.{k}" for k in ("published", "updated", "recorded")}
    | {f"ask.{f}" for f in FIELD_ORDER}
)

require_ids("messages", MESSAGE_IDS)
