"""What a resident reads: short replies that fit on a phone screen.

The first reply to a finished interview names one first step, says why in one sentence and
gives the way to take it (a phone number with hours, or a web page); everything else comes
on request through buttons that also work as typed text ("Why this?", "Other options",
"What happens next", "Sources", "Talk to a person"). Each reply stays short
(``MAX_WORDS``); law numbers and page addresses appear only in the sources view, and at most
one sentence per reply says how old or uncertain the information is.

Pure functions of the advice / topic and the knowledge base; the Rasa actions only send them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot import clock
from bot.guidance import asking
from bot.guidance.advice import Advice, RouteAdvice, localised_params
from bot.guidance.rules import HELSINKI
from bot.guidance.views import check_line, contact_line, history_sentence, route_title, source_lines
from bot.knowledge import get_knowledge
from bot.knowledge.model import Contact, Knowledge, Source, is_current, time_status
from bot.nlu.extract import tells_something
from bot.nlu.question_answers import asks

#: The longest reply a resident should get, in words (the first route answer aims at ~90).
MAX_WORDS = 150
#: At most this many other routes, sources and reasons in a detail reply.
MAX_ITEMS = 3
MAX_SOURCES = 5
#: At most this many "did you mean" topics under an honest "I don't know" (unknown_reply).
MAX_SUGGESTIONS = 2

Button = tuple[str, str]  # (message id of the title, payload)

ROUTE_BUTTONS: tuple[Button, ...] = (
    ("button.why", "/ask_why"),
    ("button.other_options", "/ask_other_options"),
    ("button.next_steps", "/ask_next_steps"),
    ("button.sources", "/ask_sources"),
    ("button.human_contact", "/human_contact"),
)
TOPIC_BUTTONS: tuple[Button, ...] = (
    ("button.sources", "/ask_sources"),
    ("button.start_guidance", "/start_guidance"),
    ("button.human_contact", "/human_contact"),
)
FALLBACK_BUTTONS: tuple[Button, ...] = (
    ("button.start_guidance", "/start_guidance"),
    ("button.ask_rehabilitative_work_activity", "/ask_rehabilitative_work_activity"),
    ("button.human_contact", "/human_contact"),
)
#: After "did you mean" topics (unknown_reply) the general question gives way to them.
SUGGESTION_BUTTONS: tuple[Button, ...] = tuple(b for b in FALLBACK_BUTTONS
                                              if b[1] != "/ask_rehabilitative_work_activity")

#: "Where do you live?" under the contacts when the municipality is not known: the buttons
#: ask for the contacts again, now with the municipality (typed, it starts the interview).
MUNICIPALITY_BUTTONS: tuple[Button, ...] = (
    ("Helsinki", '/human_contact{"municipality":"Helsinki"}'),
    ("Kempele", '/human_contact{"municipality":"Kempele"}'),
)

MESSAGE_IDS = (
    "answer.first_step", "answer.you_means_them", "answer.route_unchanged", "answer.why_heading",
    "answer.options_heading", "answer.check_year",
    "answer.no_other_options", "answer.next_heading", "answer.sources_heading", "answer.no_route_yet",
    "answer.ask_more", "answer.not_applicable", "answer.unknown_question", "answer.unknown_statement",
    "answer.did_you_mean",
    "answer.no_sources",
    "dialogue.human_contact_intro", "dialogue.human_contact_where",
    "ask.kela", "ask.social_ombudsman", "ask.employment_services", "ask.social_services", "ask.first_step",
    *{title for buttons in (ROUTE_BUTTONS, TOPIC_BUTTONS, FALLBACK_BUTTONS) for title, _ in buttons},
)


@dataclass(frozen=True)
class Reply:
    """One chat message: text and buttons (``(title, payload)`` pairs, titles already in the
    resident's language)."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()
    #: What the reply answered (a topic id, "route", "fallback", ...), for the answer tag.
    answer: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    return len(text.split())


def _kb(knowledge: Knowledge | None) -> Knowledge:
    return knowledge if knowledge is not None else get_knowledge()


def buttons(table: Sequence[Button], language: str, knowledge: Knowledge | None = None) -> tuple[tuple[str, str], ...]:
    kb = _kb(knowledge)
    return tuple((kb.text(title, language), payload) for title, payload in table)


def _join(lines: Sequence[str | None]) -> str:
    return "\n".join(line for line in lines if line)


def _contacts_to_show(route: RouteAdvice) -> list[Contact]:
    """The primary contact, plus the first one with a phone number when the primary has none."""
    primary = route.primary
    if primary is None:
        return []
    shown = [primary]
    if not primary.phone:
        phone = next((c for c in route.contacts if c.phone and c is not primary), None)
        if phone is not None:
            shown.append(phone)
    return shown


# --------------------------------------------------------------------------- routes

def first_reply(advice: Advice, language: str, knowledge: Knowledge | None = None,
                for_someone_else: bool = False) -> Reply:
    """The answer after the interview: one first step, why, and how to take it. In a
    conversation about a close person (``for_someone_else``) a line first says that "you" in
    the steps means that person: the steps are written to whoever takes them."""
    kb = _kb(knowledge)
    route = advice.first
    if route is None:
        return Reply(kb.text("answer.no_route_yet", language), buttons(FALLBACK_BUTTONS, language, kb), "route")
    params = localised_params(advice, language)
    service = route.service
    step = kb.fill((service.first_step or service.summary).get(language), advice.today, **params)
    why = kb.text(route.reasons[0], language, advice.today, **params) if route.reasons else None
    shown = _contacts_to_show(route)
    lines = [
        kb.text("answer.first_step", language, title=route_title(route, language, params, kb)),
        kb.text("answer.you_means_them", language) if for_someone_else else None,
        step,
        why,
        *(contact_line(c, language, kb) for c in shown),
        # How old or uncertain the way to take the step is (the service's own pages may be old
        # while its contacts are current).
        check_line([*shown] + ([service] if service.certainty != "confirmed" else []), language, advice.today, kb),
    ]
    return Reply(_join(lines), buttons(ROUTE_BUTTONS, language, kb), "route",
                 {"routes": advice.route_ids(), "ask_next": list(advice.ask_next)})


def unchanged_reply(advice: Advice, language: str, knowledge: Knowledge | None = None, noted: bool = True) -> Reply:
    """The answer when a fact told after the guidance does not change the first step ("selkä on
    huono" after the route outside Helsinki): that it was noted, the step and how to take it,
    instead of the whole answer again. Without a fact (``noted`` False: "Vem ska jag ringa för
    att komma igång?" asks for guidance again) the step and how to take it, with nothing noted."""
    kb = _kb(knowledge)
    route = advice.first
    if route is None:
        return first_reply(advice, language, kb)
    lead = "answer.route_unchanged" if noted else "answer.first_step"
    lines = _step_and_contacts(route, localised_params(advice, language), lead, language, kb)
    return Reply(_join(lines), buttons(ROUTE_BUTTONS, language, kb), "route", {"routes": advice.route_ids()})


def _step_and_contacts(route: RouteAdvice, params: dict[str, object], lead: str, language: str,
                       kb: Knowledge) -> list[str]:
    """The first step named in the sentence ``lead`` ("...: {title}."), then its contacts: the
    short answers that come before the interview ends or after it changed nothing."""
    return [kb.text(lead, language, title=route_title(route, language, params, kb)),
            *(contact_line(c, language, kb) for c in _contacts_to_show(route))]


def provisional_reply(advice: Advice, language: str, knowledge: Knowledge | None = None) -> Reply | None:
    """A first answer to a resident who described their situation in one message, given
    before the interview's remaining questions: the likely first step and how to take it.
    None when the facts point to no route yet."""
    kb = _kb(knowledge)
    route = advice.first
    if route is None:
        return None
    lines = [*_step_and_contacts(route, localised_params(advice, language), "answer.provisional", language, kb),
             kb.text("answer.provisional_more", language)]
    return Reply(_join(lines), (), "route", {"routes": advice.route_ids(), "provisional": True})


def why_reply(advice: Advice, language: str, knowledge: Knowledge | None = None) -> Reply:
    """Why the first step: its reasons, and which routes do not apply and why."""
    kb = _kb(knowledge)
    route = advice.first
    if route is None:
        return Reply(kb.text("answer.no_route_yet", language), buttons(FALLBACK_BUTTONS, language, kb), "route")
    params = localised_params(advice, language)
    lines = [kb.text("answer.why_heading", language, title=route_title(route, language, params, kb))]
    lines += [f"• {kb.text(r, language, advice.today, **params)}" for r in route.reasons[:MAX_ITEMS]]
    for excluded in advice.excluded[:2]:
        if excluded.reasons:
            reason = kb.text(excluded.reasons[0], language, advice.today, **params)
            lines.append(kb.text("answer.not_applicable", language,
                                 title=route_title(excluded.service, language, params, kb)) + " " + reason)
    return Reply(_join(lines), buttons(ROUTE_BUTTONS[1:], language, kb), "route")


def options_reply(advice: Advice, language: str, knowledge: Knowledge | None = None) -> Reply:
    """The other routes that may fit, each in one line with a way to reach it."""
    kb = _kb(knowledge)
    params = localised_params(advice, language)
    others = list(advice.routes[1:1 + MAX_ITEMS])
    if not others:
        return Reply(kb.text("answer.no_other_options", language), buttons(ROUTE_BUTTONS[2:], language, kb), "route")
    lines: list[str | None] = [kb.text("answer.options_heading", language)]
    for route in others:
        reason = kb.text(route.reasons[0], language, advice.today, **params) if route.reasons else ""
        lines.append(f"• {route_title(route, language, params, kb)}: {reason}")
        if route.primary is not None:
            lines.append(f"  {contact_line(route.primary, language, kb)}")
    lines.append(check_line([r.service for r in others] + [r.primary for r in others if r.primary],
                            language, advice.today, kb))
    return Reply(_join(lines), buttons((ROUTE_BUTTONS[0],) + ROUTE_BUTTONS[2:], language, kb), "route")


def next_reply(advice: Advice, language: str, knowledge: Knowledge | None = None) -> Reply:
    """What happens after the first step."""
    kb = _kb(knowledge)
    route = advice.first
    if route is None or route.service.next_steps is None:
        return Reply(kb.text("answer.no_route_yet", language), buttons(FALLBACK_BUTTONS, language, kb), "route")
    params = localised_params(advice, language)
    lines = [kb.text("answer.next_heading", language),
             kb.fill(route.service.next_steps.get(language), advice.today, **params)]
    return Reply(_join(lines), buttons(ROUTE_BUTTONS[:2] + ROUTE_BUTTONS[3:], language, kb), "route")


def sources_reply(sources: Sequence[Source], language: str, knowledge: Knowledge | None = None,
                  answer: str = "route") -> Reply:
    """The pages the last answer rests on: publisher, title, date and address."""
    kb = _kb(knowledge)
    if not sources:
        return Reply(kb.text("answer.no_sources", language), (), answer)
    lines = [kb.text("answer.sources_heading", language)]
    for index, line in enumerate(source_lines(sources[:MAX_SOURCES], language, kb)):
        lines.append(("• " if index % 2 == 0 else "  ") + line)
    return Reply(_join(lines), buttons((ROUTE_BUTTONS[-1],), language, kb), answer)


def route_sources(advice: Advice) -> list[Source]:
    """The first step's sources first, then the other routes' ones."""
    seen, out = set(), []
    for route in advice.routes:
        for source in route.sources:
            if source.id not in seen:
                seen.add(source.id)
                out.append(source)
    return out


# --------------------------------------------------------------------------- topics

def topic_reply(topic_id: str, language: str, municipality: str | None = None,
                today: date | None = None, knowledge: Knowledge | None = None,
                place_question: bool = True, with_contact: bool = True) -> Reply:
    """A short answer to a question, with whom to ask for more. ``place_question``: end with
    the topic's question for the municipality, if it has one (False when the interview asks
    for the municipality next). ``with_contact``: False when a first step with its contact
    follows in the same turn (one contact to take, and a turn that fits on a phone's screen)."""
    kb = _kb(knowledge)
    day = today or clock.today()
    topic = kb.topic(topic_id)
    status = time_status(topic, day)
    # A resident of another municipality does not read what only Helsinki does.
    body = topic.body_elsewhere if topic.body_elsewhere and municipality not in (None, HELSINKI) else topic.body
    lines: list[str | None] = []
    if status == "ended":
        lines += [kb.text("history.intro", language), kb.fill(body.get(language), day),
                  history_sentence(topic, language, kb)]
    else:
        lines.append(kb.fill(body.get(language), day))
    lead, contact = _who_to_ask(topic.ask, municipality, day, kb) if with_contact else ("", None)
    if contact is not None:
        lines.append(kb.text(lead, language) + " " + contact_line(contact, language, kb))
    if status != "ended":
        lines.append(check_line([topic] + ([contact] if contact else []), language, day, kb))
    if place_question and topic.place_question and municipality is None:
        lines.append(topic.place_question.get(language))
    return Reply(_join(lines), buttons(TOPIC_BUTTONS, language, kb), topic_id)


def _who_to_ask(ask: Sequence[str], municipality: str | None, day: date,
                kb: Knowledge) -> tuple[str, Contact | None]:
    """The first of the topic's ``ask`` entries that gives a current contact: a kind from
    asking.yml (with its own lead sentence) or a contact id."""
    for ref in ask:
        found = asking.kind(ref)
        if found is not None:
            contacts = asking.contacts_for(found, municipality, day, kb)
            if contacts:
                return found.lead, contacts[0]
        elif ref in kb.contacts and time_status(kb.contacts[ref], day) == "current":
            return "answer.ask_more", kb.contacts[ref]
    return "answer.ask_more", None


def topic_sources_reply(topic_id: str, language: str, knowledge: Knowledge | None = None) -> Reply:
    kb = _kb(knowledge)
    return sources_reply(kb.topic(topic_id).sources, language, kb, answer=topic_id)


# --------------------------------------------------------------------------- not known

def unknown_reply(question: str, language: str, municipality: str | None = None,
                  today: date | None = None, knowledge: Knowledge | None = None,
                  first_step: RouteAdvice | None = None,
                  suggestions: Sequence[tuple[str, str]] = ()) -> Reply:
    """An honest "I don't know that" with the contact that can answer this kind of question
    (Kela, the social ombudsman, employment services or the resident's own social services);
    where the kind has advice for the question's words (asking.yml), that sentence instead of
    "I don't know". After the route's answer (``first_step``), a question of no kind of its own
    ("can I start next week?", "do I need Finnish there?") goes to the first step's contact,
    who arranges the activity: the phone number the resident already has, not a general page.

    ``suggestions``: ``(intent, topic id)`` pairs the question may have meant (the classifier's
    nearest topics when it was unsure). They come as buttons first, titled with the topic's
    question, so that one tap (or typing the title) gets the answer if it was meant; the
    contact stays for the case it was not (Rasa's "did you mean" two-stage fallback, without
    a second "I don't know").

    A question of an authority outside the assistant's subject (asking.yml ``outside``: a
    residence permit, a tax return) is told to be outside it, with that authority, and tagged
    ``out_of_scope``."""
    kb = _kb(knowledge)
    day = today or clock.today()
    route = first_step if first_step is not None and asking.named_kind(question) is None else None
    shown = [c for c in _contacts_to_show(route) if is_current(c, day)][:1] if route is not None else []
    if route is not None and shown:
        lead, contacts, tag, advice = "ask.first_step", shown, route.service.asking_kind, None
        outside = False
    else:
        kind = asking.kind_of(question)
        contacts = asking.contacts_for(kind, municipality, day, kb)
        # what can be told for sure ("register as a job seeker by the first day") instead of "I don't know"
        lead, tag, advice = kind.lead, kind.id, asking.advice_for(kind, question)
        outside = kind.outside
    if outside:
        # not our subject at all (a residence permit, a tax return): said so, with who answers it
        lines_outside: list[str | None] = [kb.text("dialogue.out_of_scope", language)]
        if contacts:
            lines_outside.append(kb.text(lead, language) + " " + contact_line(contacts[0], language, kb))
            lines_outside.append(check_line(contacts[:1], language, day, kb))
        return Reply(_join(lines_outside), buttons(FALLBACK_BUTTONS, language, kb), "out_of_scope", {"contact": tag})
    suggested = suggestion_buttons(suggestions, language, kb)
    # a worry with topics it may have meant ("mua pelottaa et mun työmarkkinatuki katkee...")
    # is a question put as a statement: "did you mean" follows the usual "I don't know"
    told = not suggested and tells_without_asking(question, language)
    lines: list[str | None] = [kb.text(advice or ("answer.unknown_statement" if told else "answer.unknown_question"),
                                       language)]
    if contacts:
        lines.append(kb.text(lead, language) + " " + contact_line(contacts[0], language, kb))
        lines.append(check_line(contacts[:1], language, day, kb))
    if suggested:
        lines.append(kb.text("answer.did_you_mean", language))
        return Reply(_join(lines), (*suggested, *buttons(SUGGESTION_BUTTONS, language, kb)), "fallback",
                     {"contact": tag})
    return Reply(_join(lines), buttons(FALLBACK_BUTTONS, language, kb), "fallback", {"contact": tag})


def tells_without_asking(text: str, language: str) -> bool:
    """Does the resident tell something without asking ("Kymmenen vuotta samaa rumbaa, kurssi
    kurssin perään... ihan sama enää")? "I don't know the answer" would answer no question:
    such a message is thanked for and acknowledged instead (answer.unknown_statement)."""
    return tells_something(text, language) and not asks(text)


def suggestion_buttons(suggestions: Sequence[tuple[str, str]], language: str,
                       knowledge: Knowledge | None = None) -> tuple[tuple[str, str], ...]:
    """Buttons for at most ``MAX_SUGGESTIONS`` different topics: the topic's question as the
    title, its intent as the payload; topics the knowledge base does not hold are left out."""
    kb = _kb(knowledge)
    shown: list[tuple[str, str]] = []
    seen: set[str] = set()
    for intent, topic_id in suggestions:
        topic = kb.topics.get(topic_id)
        if topic is None or topic_id in seen:
            continue
        seen.add(topic_id)
        shown.append((topic.title.get(language), "/" + intent))
        if len(shown) == MAX_SUGGESTIONS:
            break
    return tuple(shown)


def contacts_reply(contacts: Sequence[Contact], language: str, knowledge: Knowledge | None = None,
                   today: date | None = None, ask_municipality: bool = False) -> Reply:
    """People to talk to (at most three), one per line. ``ask_municipality``: the
    municipality is not known, so the reply asks for it (the nearest contacts depend on it)."""
    kb = _kb(knowledge)
    lines: list[str | None] = [kb.text("dialogue.human_contact_intro", language)]
    lines += [f"• {contact_line(c, language, kb)}" for c in contacts[:MAX_ITEMS]]
    lines.append(check_line(list(contacts[:MAX_ITEMS]), language, today, kb))
    if ask_municipality:
        lines.append(kb.text("dialogue.human_contact_where", language))
    return Reply(_join(lines), MUNICIPALITY_BUTTONS if ask_municipality else (), "human_contact")
