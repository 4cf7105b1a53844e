"""The helpful answer when the bot cannot answer (Rasa or the action server down, slow, or
silent): say so, and give human contacts from the knowledge base (never hard-coded numbers).
"""
from __future__ import annotations

import logging
from typing import Any, Dict

from bot import clock
from bot.content import get_knowledge
from bot.gateway.texts import text
from bot.render import render_contact_list
from bot.routes import ContactAdvice

logger = logging.getLogger("bot.gateway")


def unavailable_answer(language: str) -> Dict[str, Any]:
    """``detail`` (text for the resident) and ``contacts`` (structured) for an error body:
    the knowledge base's fallback contacts for an unknown municipality (e.g. the national
    unemployment security advice line)."""
    sentence = text("unavailable", language)
    try:
        kb = get_knowledge()
        contacts = [ContactAdvice.of(c, language) for c in kb.fallback_contacts(None, clock.today())]
        listing = render_contact_list(contacts, language, knowledge=kb).strip()
        intro = kb.text("dialogue.human_contact_intro", language)
    except Exception:  # a knowledge-base problem must not turn "bot is down" into a crash
        logger.exception("could not load the fallback contacts")
        return {"detail": sentence, "contacts": []}
    return {"detail": f"{sentence}\n\n{intro}\n{listing}", "contacts": [c.to_dict() for c in contacts]}
