"""The assistant's short conversational replies (greeting, thanks, "which language?", out of
scope, emergency, ...), as actions that read their sentences from bot/knowledge/messages.yml.

Rasa's usual place for such sentences is the domain's ``responses``; they live in
messages.yml instead so that every sentence the assistant says has one home that staff edit
without retraining (the domain is part of the trained model). One action per reply, named
``action_<reply>`` (Rasa reserves ``utter_`` for domain responses).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import send
from actions.tracker_profile import language_of
from bot.guidance.chat import Reply, buttons
from bot.knowledge import get_knowledge

LANGUAGE_BUTTONS: Tuple[Tuple[str, str], ...] = (
    ("Suomi", '/set_language{"language":"fi"}'),
    ("Svenska", '/set_language{"language":"sv"}'),
    ("English", '/set_language{"language":"en"}'),
)
HELP_BUTTONS: Tuple[Tuple[str, str], ...] = (
    ("button.start_guidance", "/start_guidance"),
    ("button.ask_rehabilitative_work_activity", "/ask_rehabilitative_work_activity"),
    ("button.ask_duration", "/ask_duration"),
    ("button.ask_cost", "/ask_cost"),
)

#: action name -> (message id, buttons (message ids or literal language names), answer tag)
SAYINGS: Dict[str, Tuple[str, Tuple[Tuple[str, str], ...], Optional[str]]] = {
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

    def name(self) -> Text:
        return self.action

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        message_id, button_table, answer = SAYINGS[self.action]
        language = language_of(tracker)
        kb = get_knowledge()
        titled = tuple((title, payload) if not title.startswith("button.") else (kb.text(title, language), payload)
                       for title, payload in button_table)
        return send(dispatcher, Reply(kb.text(message_id, language), titled, answer))


# One action class per saying; the action server registers every Action subclass.
for _name in SAYINGS:
    globals()[f"Say_{_name}"] = type(f"Say_{_name}", (Say,), {"action": _name})

__all__ = ["SAYINGS", "Say", "buttons", "message_ids"]
