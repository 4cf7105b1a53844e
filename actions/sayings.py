"""The assistant's short conversational replies (greeting, thanks, "which language?", out of
scope, emergency, ...), as actions that read their sentences from bot/knowledge/messages.yml.

Rasa's usual place for such sentences is the domain's ``responses``; they live in
messages.yml instead so that every sentence the assistant says has one home that staff edit
without retraining (the domain is part of the trained model). One action per reply, named
``action_<reply>`` (Rasa reserves ``utter_`` for domain responses).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import topic_pointed_to
from actions.feedback import ActionFeedback, previous_reply, question_just_asked
from actions.guidance import ActionGiveGuidance
from actions.interview import ANSWER_INTENTS, side_turn
from actions.replies import send
from actions.tracker_profile import language_of, profile_of, stated_facts
from bot.guidance import asking
from bot.guidance.chat import Reply, buttons, topic_reply, unknown_reply
from bot.guidance.topics import topic_for
from bot.knowledge import get_knowledge
from bot.nlu.question_answers import asks
from bot.nlu.scope import asks_for_a_task

LANGUAGE_BUTTONS: tuple[tuple[str, str], ...] = (
    ("Suomi", '/set_language{"language":"fi"}'),
    ("Svenska", '/set_language{"language":"sv"}'),
    ("English", '/set_language{"language":"en"}'),
)
HELP_BUTTONS: tuple[tuple[str, str], ...] = (
    ("button.start_guidance", "/start_guidance"),
    ("button.ask_rehabilitative_work_activity", "/ask_rehabilitative_work_activity"),
    ("button.ask_duration", "/ask_duration"),
    ("button.ask_cost", "/ask_cost"),
)

#: action name -> (message id, buttons (message ids or literal language names), answer tag)
SAYINGS: dict[str, tuple[str, tuple[tuple[str, str], ...], str | None]] = {
    "action_greet": ("dialogue.greet", HELP_BUTTONS, "greet"),
    "action_goodbye": ("dialogue.goodbye", (), "goodbye"),
    "action_thanks": ("dialogue.thanks", (), "thanks"),
    "action_ask_language": ("dialogue.ask_language", LANGUAGE_BUTTONS, None),
    "action_language_changed": ("dialogue.language_changed", (), None),
    "action_out_of_scope": ("dialogue.out_of_scope", HELP_BUTTONS, "out_of_scope"),
    "action_bot_challenge": ("dialogue.bot_challenge", (), "bot_challenge"),
    "action_help": ("dialogue.help", HELP_BUTTONS, "help"),
    "action_anything_else": ("dialogue.anything_else", HELP_BUTTONS, None),
    "action_emergency": ("dialogue.emergency", (), "emergency"),
    "action_not_understood_answer": ("dialogue.not_understood_answer", (), None),
}


def message_ids() -> set:
    """The sentences and button titles these actions need (for the content contract)."""
    return {message for message, _, _ in SAYINGS.values()} | {title for title, _ in HELP_BUTTONS}


class Say(Action):
    """Sends one sentence of messages.yml in the resident's language; subclasses set ``action``."""

    action = ""

    def name(self) -> str:
        return self.action

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        message_id, button_table, answer = SAYINGS[self.action]
        language = language_of(tracker)
        kb = get_knowledge()
        titled = tuple((title, payload) if not title.startswith("button.") else (kb.text(title, language), payload)
                       for title, payload in button_table)
        return send(dispatcher, Reply(kb.text(message_id, language), titled, answer))


class ActionOutOfScope(Say):
    """A message outside the assistant's subject. When its words show who can answer it
    ("how is social assistance calculated?" → Kela), the assistant says honestly that it
    does not know and names them; otherwise - and always for a request to make something, a
    poem or a script - it says what it can help with."""

    action = "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        text = (tracker.latest_message or {}).get("text") or ""
        language = language_of(tracker)
        if not text.startswith("/") and not asks_for_a_task(text) and asking.named_kind(text) is not None:
            return send(dispatcher, unknown_reply(text, language, profile_of(tracker).municipality))
        return super().run(dispatcher, tracker, domain)


class ActionAnythingElse(Say):
    """"Yes" or "no" outside the interview. With a fact of the situation after the answer it is
    that fact (the answer again, or "noted"); right after "Was this helpful?" it is the answer
    to that question (recorded as feedback); right after "Can I help with anything else?" it
    answers that: "no" ends the conversation politely, anything else gets what the assistant can
    do (the same question again and again had answered every "nej"); otherwise "Can I help with
    anything else?"."""

    action = "action_anything_else"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in ("affirm", "deny") and tracker.get_slot("routes") and stated_facts(tracker):
            # "yes she is unemployed" after the answer (a question left out, then "Was this
            # helpful?"): the fact, which may change the answer, not a rating
            return ActionGiveGuidance().run(dispatcher, tracker, domain)
        if intent in ("affirm", "deny") and question_just_asked(tracker):
            return ActionFeedback().run(dispatcher, tracker, domain)
        if _opening(tracker):
            # "ok", "x" or a stray key as the first message: "anything *else*?" would make no
            # sense yet; say what the assistant can do.
            return SAYINGS_ACTIONS["action_help"]().run(dispatcher, tracker, domain)
        if _answered_by(tracker, self.action):
            # the answer to "Can I help you with anything else?": not the question again
            return SAYINGS_ACTIONS["action_goodbye" if intent == "deny" else "action_help"]().run(
                dispatcher, tracker, domain)
        return super().run(dispatcher, tracker, domain)


def _answered_by(tracker: Tracker, action: str) -> bool:
    """Did ``action`` answer the resident's previous message (so the latest one replies to it)?"""
    return any(event.get("event") == "action" and event.get("name") == action for event in previous_reply(tracker))


def _opening(tracker: Tracker) -> bool:
    """Is the latest message the first one the resident sent in this conversation?"""
    return sum(1 for event in tracker.events or [] if event.get("event") == "user") <= 1


class ActionNotUnderstoodAnswer(Say):
    """A message in the interview that the form did not take as an answer. When it is a
    question the classifier was unsure of ("what happens if I can't make it some days?" to the
    disability question), "I didn't understand your answer" would be wrong: the resident asked
    something. It gets the honest "I don't know, ask X" with the contact, and counts toward the
    question's two times in a row (actions/interview.py, side_turn); the form asks again."""

    action = "action_not_understood_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        text = latest.get("text") or ""
        if (latest.get("intent") or {}).get("name") == "nlu_fallback" and not text.startswith("/") and asks(text):
            language, municipality = language_of(tracker), profile_of(tracker).municipality
            # "what would she do there?": the guessed topic, as after an answer (actions/answers.py)
            guess = topic_pointed_to(tracker)
            topic_id = topic_for(guess, municipality) if guess else None
            reply = (topic_reply(topic_id, language, municipality) if topic_id
                     else unknown_reply(text, language, municipality))
            return [*send(dispatcher, reply), *side_turn(dispatcher, tracker)]
        if (latest.get("intent") or {}).get("name") not in ANSWER_INTENTS:
            # a greeting or thanks instead of the answer: the form let it go uncounted, so it
            # counts here (else "hei" after every question would get the question forever)
            return [*super().run(dispatcher, tracker, domain), *side_turn(dispatcher, tracker)]
        return super().run(dispatcher, tracker, domain)


#: Sayings with their own class above.
_OWN_CLASSES = {ActionOutOfScope.action, ActionAnythingElse.action, ActionNotUnderstoodAnswer.action}

# One action class per saying; the action server registers every Action subclass.
SAYINGS_ACTIONS: dict[str, type[Say]] = {}
for _name in SAYINGS:
    if _name not in _OWN_CLASSES:
        SAYINGS_ACTIONS[_name] = globals()[f"Say_{_name}"] = type(f"Say_{_name}", (Say,), {"action": _name})

__all__ = ["SAYINGS", "ActionAnythingElse", "ActionNotUnderstoodAnswer", "ActionOutOfScope", "Say", "buttons",
           "message_ids"]
