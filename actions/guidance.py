"""The answer (route advice) at the end of the guidance interview; the interview itself is
actions/interview.py."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import ask_feedback
from actions.replies import send
from actions.tracker_profile import for_someone_else, language_of, profile_of, stated_facts
from bot.guidance.advice import decide
from bot.guidance.chat import first_reply, unchanged_reply


class ActionGiveGuidance(Action):
    """The answer after the interview: one first step, why, and how to take it; details
    (why, other options, what happens next, sources) come on request (actions/answers.py)."""

    def name(self) -> str:
        return "action_give_guidance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        advice = decide(profile_of(tracker))
        if advice.first is not None and _given_before(tracker) and tracker.get_slot("routes") == advice.route_ids():
            # a fact told after the answer that changes nothing ("bad back and anxiety"): say
            # it was noted, with the step and its contact, not the whole answer again
            return send(dispatcher, unchanged_reply(advice, language, noted=bool(stated_facts(tracker))))
        events = send(dispatcher, first_reply(advice, language, for_someone_else=for_someone_else(tracker)))
        return [SlotSet("routes", advice.route_ids()), *events, *ask_feedback(dispatcher, tracker, language, "route")]


def _given_before(tracker: Tracker) -> bool:
    """Was the full answer given earlier in this conversation (since it started or restarted)?
    A likely first step told before the interview's questions is no full answer."""
    for event in reversed(tracker.events or []):
        if event.get("event") in ("restart", "session_started"):
            return False
        if event.get("event") == "action" and event.get("name") == "action_give_guidance":
            return True
    return False
