"""The helpful answer when the bot cannot answer (Rasa or the action server down, slow, or
silent): say so, and give human contacts from the knowledge base (never hard-coded numbers).
"""
from __future__ import annotations

import logging
from typing import Any

from bot import clock
from bot.gateway.texts import text
from bot.guidance.asking import people_for
from bot.guidance.chat import contacts_reply
from bot.guidance.views import contact_to_dict
from bot.knowledge import get_knowledge

logger = logging.getLogger("bot.gateway")


def unavailable_answer(language: str) -> dict[str, Any]:
    """``detail`` (text for the resident) and ``contacts`` (structured) for an error body:
    the knowledge base's fallback contacts for an unknown municipality (e.g. the national
    unemployment security advice line)."""
    sentence = text("unavailable", language)
    try:
        kb = get_knowledge()
        contacts = people_for(None, clock.today(), kb)
        listing = contacts_reply(contacts, language, kb).text
    except Exception:  # a knowledge-base problem must not turn "bot is down" into a crash
        logger.exception("could not load the fallback contacts")
        return {"detail": sentence, "contacts": []}
    return {"detail": f"{sentence}\n\n{listing}", "contacts": [contact_to_dict(c, language) for c in contacts]}
