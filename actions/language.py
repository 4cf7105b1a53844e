"""Keeps the `language` slot in step with the language resolved for each message."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_profile import language_of
from bot.content import get_knowledge
from bot.settings import Settings

PRIVACY_NOTICE_SLOT = "privacy_notice_shown"


class ActionResolveLanguage(Action):
    """Custom slot mapping action for the `language` slot (runs after every message).

    The LanguageResolver NLU component has already decided (explicit choice > page
    metadata > detection > current language); this only copies its decision.

    It also shows the privacy notice once per session, before anything else is said:
    this is the first point where the resident's language is known (the session starts
    before the first message is understood).
    """

    def name(self) -> Text:
        return "action_resolve_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        code = language_of(tracker)
        events: List[Dict[Text, Any]] = []
        if code != tracker.get_slot("language"):
            events.append(SlotSet("language", code))
        if not tracker.get_slot(PRIVACY_NOTICE_SLOT):
            days = Settings.from_env().retention_days
            dispatcher.utter_message(text=get_knowledge().text("dialogue.privacy_notice", code, days=days))
            events.append(SlotSet(PRIVACY_NOTICE_SLOT, True))
        return events
