"""Sending the core's chat replies (``bot.guidance.chat.Reply``) through Rasa's dispatcher."""
from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.answer_tag import tag_answer
from bot.guidance.chat import Reply


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[dict[str, Any]]:
    """Send the reply's text and buttons, then its answer tag; return the tag's slot event."""
    dispatcher.utter_message(text=reply.text,
                             buttons=[{"title": title, "payload": payload} for title, payload in reply.buttons])
    return tag_answer(dispatcher, reply.answer, **reply.extra) if reply.answer else []
