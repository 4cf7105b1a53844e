"""Keeps the `language` slot in step with the language resolved for each message."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

SUPPORTED = ("fi", "sv", "en")


def resolved_language(tracker: Tracker) -> Optional[str]:
    """The language the LanguageResolver NLU component chose for the latest message.

    A button payload such as /set_language{"language":"sv"} bypasses NLU features but
    carries the choice as an entity, which then wins.
    """
    latest = tracker.latest_message or {}
    for entity in latest.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in SUPPORTED:
            return entity["value"]
    info = latest.get("language")
    code = info.get("code") if isinstance(info, dict) else None
    return code if code in SUPPORTED else None


class ActionResolveLanguage(Action):
    """Custom slot mapping action for the `language` slot (runs after every message)."""

    def name(self) -> Text:
        return "action_resolve_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        code = resolved_language(tracker)
        if code is None or code == tracker.get_slot("language"):
            return []
        return [SlotSet("language", code)]
