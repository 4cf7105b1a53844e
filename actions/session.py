"""Session start, the privacy notice, starting over, and "forget me"."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_profile import language_of
from bot.knowledge import get_knowledge
from bot.language.tags import LANGUAGES, metadata_language
from bot.profile import FIELD_ORDER
from bot.settings import Settings

# Everything the resident told us; cleared by "start over" and "forget me".
RESIDENT_SLOTS = (*FIELD_ORDER, "skipped", "routes", "requested_slot", "question_misses", "for_someone_else")
# Marker the privacy-aware tracker store acts on: it deletes the conversation.
FORGET_ME_SLOT = "forget_me"


def session_metadata_language(tracker: Tracker) -> str | None:
    """The page/channel language sent with the message that started the session."""
    return metadata_language(tracker.get_slot("session_started_metadata"))


def known_language(tracker: Tracker) -> str | None:
    """The resident's language if we know it at session start: the page language, else the
    language of an earlier session. None for a first contact without metadata."""
    from_metadata = session_metadata_language(tracker)
    if from_metadata:
        return from_metadata
    talked_before = any(e.get("event") == "user" for e in tracker.events)
    slot = tracker.get_slot("language")
    return slot if talked_before and slot in LANGUAGES else None


class ActionSessionStart(Action):
    """Starts a session like Rasa's default action, carrying slots over (e.g. the
    language) and starting from the page language when the channel sends one.

    The privacy notice is not shown here: the session starts before the first message is
    understood, so its language would be a guess (the page's, or all three). It is shown
    with the reply to the session's first message, in that message's language
    (actions/language.py).
    """

    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = known_language(tracker)
        events: list[EventType] = [SessionStarted()]
        carry_over = domain.get("session_config", {}).get("carry_over_slots_to_new_session", True)
        if carry_over:
            events += [
                SlotSet(name, value)
                for name, value in tracker.current_slot_values().items()
                if value is not None and name not in ("session_started_metadata", "requested_slot")
            ]
        if language:
            events.append(SlotSet("language", language))
        events.append(ActionExecuted("action_listen"))
        return events


def first_message_of_session(tracker: Tracker) -> bool:
    """Whether the latest user message is the first one since the session started."""
    user_messages = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            user_messages += 1
        elif event.get("event") == "session_started":
            break
    return user_messages == 1


def privacy_notice(language: str | None) -> str:
    """The full privacy notice (the "Privacy" button and "what do you store?")."""
    kb = get_knowledge()
    days = Settings.from_env().retention_days
    languages = [language] if language else list(LANGUAGES)
    return "\n\n".join(kb.text("dialogue.privacy_notice", lang, days=days) for lang in languages)


def privacy_line(language: str) -> dict[str, Any]:
    """One short line, with a button to the full notice: shown once per session, in channels
    whose client does not show its own notice (the web widget does)."""
    kb = get_knowledge()
    return {"text": kb.text("dialogue.privacy_line", language, days=Settings.from_env().retention_days),
            "buttons": [{"title": kb.text("button.privacy", language), "payload": "/ask_privacy"}]}


def client_showed_privacy_notice(tracker: Tracker) -> bool:
    client = ((tracker.latest_message or {}).get("metadata") or {}).get("client") or {}
    return isinstance(client, dict) and client.get("privacy_notice") == "shown"


def reset_resident_slots() -> list[EventType]:
    initial: dict[str, object] = {"skipped": [], "routes": [], "for_someone_else": False}
    return [SlotSet(name, initial.get(name)) for name in RESIDENT_SLOTS]


class ActionRestartGuidance(Action):
    """Starts the interview over: forgets the answers, keeps the language."""

    def name(self) -> str:
        return "action_restart_guidance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
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

    def name(self) -> str:
        return "action_forget_me"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = language_of(tracker)
        dispatcher.utter_message(
            text=get_knowledge().text("dialogue.forgotten", language),
            json_message={"forget_me": True},
        )
        return [ActiveLoop(None), *reset_resident_slots(), SlotSet(FORGET_ME_SLOT, True)]
