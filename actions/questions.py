"""The interview's questions (`action_ask_<slot>`), with answer buttons.

Rasa's form calls ``action_ask_<slot>`` when it exists. Keeping the questions in
bot/knowledge/messages.yml (``question.<slot>``, ``answer.*``) lets staff reword them
without retraining, like every other text the assistant shows.
"""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_profile import language_of
from bot.content import get_knowledge, require_ids
from bot.profile import FIELD_ORDER

YES_NO_SKIP = (("answer.yes", "/affirm"), ("answer.no", "/deny"), ("answer.skip", "/skip"))


def _inform(entity: str, value: str) -> Tuple[str, str]:
    return f"answer.{entity}.{value.lower()}", f'/inform{{"{entity}":"{value}"}}'


# (message id of the button title, payload) per question; every question can be skipped.
BUTTONS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "municipality": (_inform("municipality", "Helsinki"), _inform("municipality", "Kempele"), ("answer.skip", "/skip")),
    "age": (("answer.skip", "/skip"),),
    "unemployed": YES_NO_SKIP,
    "health_affects_work_ability": YES_NO_SKIP,
    "disability": YES_NO_SKIP,
    "referral": (*(_inform("referral", v) for v in ("social_welfare", "criminal_sanctions", "none")), ("answer.skip", "/skip")),
    "plan": (*(_inform("plan", v) for v in ("activation_plan", "multisectoral_plan", "none")), ("answer.skip", "/skip")),
    "client_of": (*(_inform("client_of", v) for v in ("social_services", "typ", "employment_services", "none")),
                  ("answer.skip", "/skip")),
}
require_ids("messages", {f"question.{slot}" for slot in FIELD_ORDER} | {m for b in BUTTONS.values() for m, _ in b})


class AskQuestion(Action, abc.ABC):
    """Asks for one profile field; concrete classes below set ``slot``."""

    @property
    @abc.abstractmethod
    def slot(self) -> str:
        """The profile field this action asks about."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(
            text=kb.text(f"question.{self.slot}", language),
            buttons=[{"title": kb.text(title, language), "payload": payload} for title, payload in BUTTONS[self.slot]],
        )
        return []


# One action class per question; the action server registers every Action subclass.
for _slot in FIELD_ORDER:
    globals()[f"AskQuestion_{_slot}"] = type(f"AskQuestion_{_slot}", (AskQuestion,), {"slot": _slot})
