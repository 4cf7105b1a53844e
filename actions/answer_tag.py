"""Every answer the assistant gives is tagged with what it answered.

The tag travels as a structured bot message ``{"custom": {"answer": "<id>", ...}}`` (the
gateway passes it to clients; the widget ignores it) and as the ``last_answer`` slot. Staff
reports, feedback and the resident-message evaluation read it instead of guessing from text.

Answer ids: a topic id from bot/knowledge/topics.yml, or one of ``ANSWER_KINDS``.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

#: Answers that are not a knowledge-base topic.
ANSWER_KINDS = ("route", "interview", "fallback", "human_contact", "out_of_scope", "emergency", "privacy")
SLOT = "last_answer"


def tag_answer(dispatcher: CollectingDispatcher, answer_id: str, **extra: Any) -> list[dict[str, Any]]:
    """Send the tag and return the slot event that records it."""
    dispatcher.utter_message(json_message={"answer": answer_id, **extra})
    return [SlotSet(SLOT, answer_id)]
