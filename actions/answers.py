"""Answers from the knowledge base: topic questions, the details of a route answer, people to
talk to, and an honest "I don't know" with the contact that can answer.

Thin adapters: the replies are written by ``bot.guidance.chat``; these only read the tracker
(language, profile, what was answered last) and send them.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_tag import SLOT as LAST_ANSWER
from actions.feedback import active_loop_name, ask_feedback
from actions.interview import side_turn
from actions.replies import send
from actions.tracker_profile import language_of, profile_of
from bot import clock
from bot.guidance import asking, chat
from bot.guidance.advice import RouteAdvice, decide
from bot.guidance.asking import people_for
from bot.guidance.topics import TOPIC_OF_INTENT, topic_for
from bot.knowledge import get_knowledge
from bot.nlu.extract.municipality import named_municipality
from bot.nlu.fillers import without_fillers
from bot.nlu.scope import ASK_ELSEWHERE, ELSEWHERE, names_or_points_to_our_subject
from bot.settings import Settings

#: The topic whose sources are the assistant's general ones (what the activity is).
GENERAL_TOPIC = "rehabilitative_work_activity"

#: Detail intents of a route answer -> the reply that gives the detail.
DETAILS = {
    "ask_why": chat.why_reply,
    "ask_other_options": chat.options_reply,
    "ask_next_steps": chat.next_reply,
}


def latest_intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text") or ""
    return "" if text.startswith("/") else text


def scope_text(tracker: Tracker) -> str:
    """The latest message as the scope words read it: without fillers that look like a
    service's name (Swedish "typ"; bot/nlu/fillers.py), as the scope gate reads it."""
    return without_fillers(latest_text(tracker), language_of(tracker))


class ActionAnswerTopic(Action):
    """Answers a question from the knowledge base in the resident's language: a short,
    plain answer, whom to ask for more, and buttons for the sources and a person. Ended
    arrangements (e.g. the 2021 corona changes) are told only as history."""

    def name(self) -> str:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        intent = latest_intent(tracker)
        # The place the question names ("Is there work activity in Kempele?") before the
        # resident's home: a question about a place is not a statement of where one lives.
        municipality = named_municipality(latest_text(tracker), language) or profile_of(tracker).municipality
        if intent == "ask_contacts":
            return send(dispatcher, contacts_reply(tracker, language))
        if intent == "ask_privacy":
            kb = get_knowledge()
            text = kb.text("dialogue.privacy_notice", language, days=Settings.from_env().retention_days)
            return [*send(dispatcher, chat.Reply(text, (), "privacy")), *side_turn(dispatcher, tracker)]
        topic_id = topic_for(intent, municipality)
        if topic_id is None:
            return [*send(dispatcher, chat.unknown_reply(latest_text(tracker), language, municipality)),
                    *side_turn(dispatcher, tracker)]
        return [*send(dispatcher, chat.topic_reply(topic_id, language, municipality)),
                *ask_feedback(dispatcher, tracker, language, topic_id), *side_turn(dispatcher, tracker)]


class ActionAnswerDetail(Action):
    """"Why this?", "Other options", "What happens next", "Sources" — about the last answer:
    the route answer (computed again from the profile, so it is always current), or the
    sources of the last topic answer."""

    def name(self) -> str:
        return "action_answer_detail"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        # in the interview it is a turn without an answer, like a side question (side_turn)
        return [*self._reply(dispatcher, tracker), *side_turn(dispatcher, tracker)]

    @staticmethod
    def _reply(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        language = language_of(tracker)
        intent = latest_intent(tracker)
        last = tracker.get_slot(LAST_ANSWER)
        kb = get_knowledge()
        if last in kb.topics:
            if intent == "ask_sources":
                return send(dispatcher, chat.topic_sources_reply(last, language, kb))
            # A topic has no route details: answer the topic's kind of question honestly.
            return send(dispatcher, chat.topic_reply(last, language, profile_of(tracker).municipality))
        if not (tracker.get_slot("routes") or []):
            if intent == "ask_sources":
                # Before any answer (in the middle of the interview): the pages the assistant's
                # knowledge of the activity itself rests on.
                return send(dispatcher, chat.topic_sources_reply(GENERAL_TOPIC, language, kb))
            # Typed before any answer ("what happens after the work try-out?"): not a detail
            # of ours, so say honestly who can answer it.
            return send(dispatcher, chat.unknown_reply(latest_text(tracker), language,
                                                       profile_of(tracker).municipality))
        advice = decide(profile_of(tracker))
        if intent == "ask_sources":
            return send(dispatcher, chat.sources_reply(chat.route_sources(advice), language, kb))
        return send(dispatcher, DETAILS.get(intent, chat.why_reply)(advice, language, kb))


def contacts_reply(tracker: Tracker, language: str) -> chat.Reply:
    """The contacts of the route already given, else the people to talk to where the resident lives."""
    if tracker.get_slot("routes"):
        advice = decide(profile_of(tracker))
        if advice.first is not None and advice.first.contacts:
            return chat.contacts_reply(list(advice.first.contacts), language)
    return human_contacts_reply(tracker, language)


def human_contacts_reply(tracker: Tracker, language: str, municipality: str | None = None) -> chat.Reply:
    municipality = municipality or profile_of(tracker).municipality
    return chat.contacts_reply(people_for(municipality, clock.today()), language, ask_municipality=municipality is None)


class ActionHumanContact(Action):
    """People to talk to, chosen by the resident's municipality when known."""

    def name(self) -> str:
        return "action_human_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return [*send(dispatcher, human_contacts_reply(tracker, language_of(tracker))), *side_turn(dispatcher, tracker)]


#: After the answer, "who should he contact in Kempele?" or "Hur anmäler han sig?" asks how to
#: take the first step. The classifier was unsure (0.44 for how to get in, the fallback's
#: threshold), and the resident got "I don't know" although the answer holds the contacts.
CONTACT_INTENTS = frozenset({"ask_how_to_apply", "ask_contacts", "ask_next_steps"})
#: The classifier's best guess must have at least this much for the conversation to decide.
AFTER_ANSWER_MIN_CONFIDENCE = 0.3
#: The classifier's own "a question for another service" below this, when the message names no
#: other service and no kind of question of asking.yml, is doubt too: after the answer "miten se
#: Kempeleessä menee, kehen pitää ottaa yhteyttä?" was "elsewhere" with 0.38 (how to get in 0.35).
UNSURE_ELSEWHERE_BELOW = 0.5
#: In a conversation already about the activity, a topic guessed with this much is what an unsure
#: question asks even when it does not point to the activity: the conversation does. The scope
#: gate's doubt (below 0.7 for a question naming nothing of the subject) is for first messages.
IN_CONVERSATION_SURE = 0.5


def best_guess_after_an_answer(tracker: Tracker) -> str | None:
    """The classifier's best question intent for a message it was unsure of, when the
    conversation already makes it clear, outside the interview:

    * after the route answer, how to get in or whom to contact (``CONTACT_INTENTS``): the
      first step's contacts answer it;
    * after any answer, a topic question that points to the activity ("what do they do
      there?", 0.49 for what participants do): the conversation is about the activity.

    None otherwise (the honest "I don't know" stays)."""
    latest = tracker.latest_message or {}
    if not _unsure(latest, latest_text(tracker)):
        return None
    if active_loop_name(tracker):
        return None
    name = _best_guess(latest)
    if name in CONTACT_INTENTS and tracker.get_slot("routes"):
        return "ask_contacts"
    if tracker.get_slot("routes") or tracker.get_slot(LAST_ANSWER):
        return topic_pointed_to(tracker)
    return None


def topic_pointed_to(tracker: Tracker) -> str | None:
    """The classifier's best guess for a message it was unsure of, when that is a topic and the
    message points to the activity ("what would she do there?"), or names nothing else and the
    guess is fairly sure (``IN_CONVERSATION_SURE``: "what happens if I can't make it some
    days?", 0.55 for absences): in a conversation already about the activity (after an answer,
    or in the interview) that is what it asks. A message naming a kind of question of
    asking.yml (Kela's benefits, a complaint...) keeps the honest answer with that contact."""
    latest = tracker.latest_message or {}
    name = _best_guess(latest)
    if name not in TOPIC_OF_INTENT:
        return None
    text = scope_text(tracker)
    if names_or_points_to_our_subject(text):
        return name
    if _best_confidence(latest) >= IN_CONVERSATION_SURE and asking.named_kind(text) is None:
        return name
    return None


def _unsure(latest: dict[str, Any], text: str) -> bool:
    """The classifier's doubt: the fallback, or its own unsure "elsewhere" for a message that
    names no other service (the scope gate's ``elsewhere``) and no kind of question."""
    intent = latest.get("intent") or {}
    if intent.get("name") == "nlu_fallback":
        return True
    return (intent.get("name") == ASK_ELSEWHERE and float(intent.get("confidence") or 0.0) < UNSURE_ELSEWHERE_BELOW
            and not latest.get(ELSEWHERE) and asking.named_kind(text) is None)


def _best(latest: dict[str, Any]) -> dict[str, Any]:
    ranking = [r for r in latest.get("intent_ranking") or [] if r.get("name") not in ("nlu_fallback", ASK_ELSEWHERE)]
    return ranking[0] if ranking else {}


def _best_confidence(latest: dict[str, Any]) -> float:
    return float(_best(latest).get("confidence") or 0.0)


def _best_guess(latest: dict[str, Any]) -> str | None:
    best = _best(latest)
    if _best_confidence(latest) < AFTER_ANSWER_MIN_CONFIDENCE:
        return None
    return best.get("name") or None


class ActionAnswerUnknown(Action):
    """A question about the service that the knowledge base has no answer for: say so and
    name who can answer (never another topic's answer, never the emergency number)."""

    def name(self) -> str:
        return "action_answer_unknown"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        guess = best_guess_after_an_answer(tracker)
        if guess == "ask_contacts":
            return send(dispatcher, contacts_reply(tracker, language_of(tracker)))
        if guess is not None:
            language = language_of(tracker)
            municipality = named_municipality(latest_text(tracker), language) or profile_of(tracker).municipality
            topic_id = topic_for(guess, municipality)
            if topic_id is not None:
                return send(dispatcher, chat.topic_reply(topic_id, language, municipality))
        municipality = profile_of(tracker).municipality
        reply = chat.unknown_reply(latest_text(tracker), language_of(tracker), municipality,
                                   first_step=_first_step_given(tracker),
                                   suggestions=nearest_topics(tracker, municipality))
        return [*send(dispatcher, reply), *side_turn(dispatcher, tracker)]


#: A topic the classifier gave at least this much, for a message it was unsure of, is offered
#: under the honest answer as "did you mean...?" (a button with the topic's question).
SUGGEST_MIN_CONFIDENCE = 0.3


def nearest_topics(tracker: Tracker, municipality: str | None) -> list[tuple[str, str]]:
    """``(intent, topic id)`` of the topics the classifier found nearest (best first) for a
    message it was unsure of ("mua pelottaa et mun työmarkkinatuki katkee jos en jaksa käydä
    siellä kuntouttavassa...": 0.43 for refusal). None for a sure classification, and none for
    a question about another service's matter that does not point to the activity ("paljonko
    peruspäiväraha on nykyään?"): the contact that decides it is the answer."""
    latest = tracker.latest_message or {}
    text = scope_text(tracker)
    if not _unsure(latest, text):
        return []
    if asking.named_kind(text) is not None and not names_or_points_to_our_subject(text):
        return []
    found = []
    for ranked in latest.get("intent_ranking") or []:
        intent = ranked.get("name") or ""
        if float(ranked.get("confidence") or 0.0) < SUGGEST_MIN_CONFIDENCE:
            break
        topic_id = topic_for(intent, municipality) if intent in TOPIC_OF_INTENT else None
        if topic_id is not None:
            found.append((intent, topic_id))
    return found


def _first_step_given(tracker: Tracker) -> RouteAdvice | None:
    """The first step of the route answer already given in this conversation, outside the
    interview (its contact answers the questions the assistant cannot), else None."""
    if active_loop_name(tracker) or not tracker.get_slot("routes"):
        return None
    return decide(profile_of(tracker)).first


class ActionDefaultFallback(ActionAnswerUnknown):
    """A message the assistant did not understand: the same honest answer, and the message
    is forgotten so that an interview in progress continues where it was."""

    def name(self) -> str:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return [UserUtteranceReverted(), *super().run(dispatcher, tracker, domain)]
