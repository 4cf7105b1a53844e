"""The interview's questions (`action_ask_<slot>`), with answer buttons.

Rasa's form calls ``action_ask_<slot>`` when it exists. Keeping the questions in
bot/knowledge/messages.yml (``question.<slot>``, ``answer.*``) lets staff reword them
without retraining, like every other text the assistant shows. A conversation for a close
person (the ``for_someone_else`` slot) gets the questions about them ("How old are they?").
"""
from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_profile import for_someone_else, language_of
from bot.guidance.interview import BUTTONS, question_id
from bot.knowledge import get_knowledge
from bot.profile import FIELD_ORDER


class AskQuestion(Action, abc.ABC):
    """Asks for one profile field; concrete classes below set ``slot``."""

    @property
    @abc.abstractmethod
    def slot(self) -> str:
        """The profile field this action asks about."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(
            text=kb.text(question_id(self.slot, for_someone_else(tracker)), language),
            buttons=[{"title": kb.text(title, language), "payload": payload} for title, payload in BUTTONS[self.slot]],
        )
        return []


# One action class per question; the action server registers every Action subclass.
for _slot in FIELD_ORDER:
    globals()[f"AskQuestion_{_slot}"] = type(f"AskQuestion_{_slot}", (AskQuestion,), {"slot": _slot})
