"""Session start (privacy notice), starting over, and "forget me"."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.language import PRIVACY_NOTICE_SLOT
from actions.tracker_profile import LANGUAGES, language_of
from bot.content import get_knowledge
from bot.language import normalise_language_tag
from bot.profile import FIELD_ORDER

# Everything the resident told us; cleared by "start over" and "forget me".
RESIDENT_SLOTS = (*FIELD_ORDER, "skipped", "routes", "requested_slot")
# Marker the privacy-aware tracker store acts on: it deletes the conversation.
FORGET_ME_SLOT = "forget_me"


def start_language(tracker: Tracker) -> str:
    """The language of a new session: the page/channel language sent with the first
    message, else the language carried over from the previous session, else Finnish."""
    metadata = tracker.get_slot("session_started_metadata") or {}
    if isinstance(metadata, dict):
        for key in ("language", "lang", "locale", "language_code"):
            code = normalise_language_tag(metadata.get(key)) if isinstance(metadata.get(key), str) else None
            if code:
                return code
    slot = tracker.get_slot("language")
    return slot if slot in LANGUAGES else "fi"


class ActionSessionStart(Action):
    """Starts a session like Rasa's default action (carrying slots over, e.g. the
    language, starting from the page language when the channel sends one) and arranges
    for the privacy notice to be shown again with the first answer of the new session."""

    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = start_language(tracker)
        events: List[EventType] = [SessionStarted()]
        carry_over = domain.get("session_config", {}).get("carry_over_slots_to_new_session", True)
        if carry_over:
            events += [
                SlotSet(name, value)
                for name, value in tracker.current_slot_values().items()
                if value is not None and name not in ("session_started_metadata", "requested_slot")
            ]
        events.append(SlotSet("language", language))
        events.append(SlotSet(PRIVACY_NOTICE_SLOT, False))
        events.append(ActionExecuted("action_listen"))
        return events


def reset_resident_slots() -> List[EventType]:
    initial = {"skipped": [], "routes": []}
    return [SlotSet(name, initial.get(name)) for name in RESIDENT_SLOTS]


class ActionRestartGuidance(Action):
    """Starts the interview over: forgets the answers, keeps the language."""

    def name(self) -> Text:
        return "action_restart_guidance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(
            text=kb.text("dialogue.restarted", language),
            buttons=[{"title": kb.text("button.start_guidance", language), "payload": "/start_guidance"}],
        )
        return [ActiveLoop(None), *reset_resident_slots()]


class ActionForgetMe(Action):
    """Deletes the conversation: the answers are cleared now, and the tracker store
    (bot.privacy.tracker_store) removes every stored event of this conversation when it
    sees the marker slot."""

    def name(self) -> Text:
        return "action_forget_me"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=get_knowledge().text("dialogue.forgotten", language),
            json_message={"forget_me": True},
        )
        return [ActiveLoop(None), *reset_resident_slots(), SlotSet(FORGET_ME_SLOT, True)]
