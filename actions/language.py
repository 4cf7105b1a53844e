"""Keeps the `language` slot in step with the language resolved for each message."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.tracker_profile import language_of


class ActionResolveLanguage(Action):
    """Custom slot mapping action for the `language` slot (runs after every message).

    The LanguageResolver NLU component has already decided (explicit choice > page
    metadata > detection > current language); this only copies its decision.
    """

    def name(self) -> Text:
        return "action_resolve_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        code = language_of(tracker)
        if code == tracker.get_slot("language"):
            return []
        return [SlotSet("language", code)]
