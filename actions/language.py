"""Keeps the `language` slot in step with the language resolved for each message, and shows
a one-line privacy notice with the reply to a session's first message, in that message's
language (unless the client, like the web widget, already showed its own)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import client_showed_privacy_notice, first_message_of_session, privacy_line
from actions.tracker_profile import language_of
from bot.language.tags import REPORT_LANGUAGE


class ActionResolveLanguage(Action):
    """Rasa's global slot validation hook ``action_validate_slot_mappings``: runs after every
    user message, right after slot extraction and before any other action of the turn.
    It is used rather than an action on the slot's custom mapping because Rasa 3.6 drops
    the messages of mapping actions but keeps this one's.

    The LanguageResolver NLU component has already decided (explicit choice > page
    metadata > detection > current language); this only copies its decision. On the
    session's first message it also shows a one-line privacy notice in that language.
    """

    def name(self) -> str:
        return "action_validate_slot_mappings"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        code = language_of(tracker)
        if first_message_of_session(tracker) and not client_showed_privacy_notice(tracker):
            # Runs before any other action of the turn: one short line, then the answer.
            dispatcher.utter_message(**privacy_line(code))
        if (tracker.latest_message.get("metadata") or {}).get(REPORT_LANGUAGE) is True:
            # The web gateway asks for the turn's language with the message, instead of
            # reading the tracker after every turn (it strips this message).
            dispatcher.utter_message(json_message={"language": code})
        if code == tracker.get_slot("language"):
            return []
        return [SlotSet("language", code)]
