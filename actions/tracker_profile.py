"""Reading the resident's profile and language from a rasa_sdk tracker."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker

from bot.language.tags import DEFAULT_LANGUAGE, LANGUAGES
from bot.profile import FIELD_ORDER, Profile, ProfileError

logger = logging.getLogger(__name__)
SKIP = "skip"  # slot value of "I'd rather not say" (the skip intent or button)
DONT_KNOW = "dont_know"  # slot value of "I don't know" (the dont_know intent)
#: Slot: the conversation is for a close person the first message was written for.
FOR_SOMEONE_ELSE = "for_someone_else"


def language_of(tracker: Tracker) -> str:
    """The reply language: a language button in the latest message, else the language
    resolved for the latest message (the slot can lag one message behind if the
    slot-mapping action failed), else the slot, else Finnish."""
    latest = tracker.latest_message or {}
    for entity in latest.get("entities") or []:
        if entity.get("entity") == "language" and entity.get("value") in LANGUAGES:
            return entity["value"]
    resolved = latest.get("language")
    if isinstance(resolved, dict) and resolved.get("code") in LANGUAGES:
        return resolved["code"]
    slot = tracker.get_slot("language")
    return slot if slot in LANGUAGES else DEFAULT_LANGUAGE


def for_someone_else(tracker: Tracker) -> bool:
    return tracker.get_slot(FOR_SOMEONE_ELSE) is True


def skipped_of(tracker: Tracker) -> list[str]:
    value = tracker.get_slot("skipped") or []
    return [f for f in value if f in FIELD_ORDER] if isinstance(value, list) else []


def profile_of(tracker: Tracker) -> Profile:
    """The profile from the slots; a value that does not parse is treated as unknown
    (validation normally prevents that, but a bad value must never crash an answer)."""
    values: dict[str, Any] = {}
    for name in FIELD_ORDER:
        value = tracker.get_slot(name)
        if value is None or value in (SKIP, DONT_KNOW):
            continue
        try:
            Profile.from_mapping({name: value})
        except ProfileError as exc:
            logger.warning("ignoring unparseable slot %s: %s", name, exc)
            continue
        values[name] = value
    values["skipped"] = skipped_of(tracker)
    return Profile.from_mapping(values)


def stated_facts(tracker: Tracker) -> set[str]:
    """The profile fields the latest message states (its entities, as the extractor read them)."""
    return {e.get("entity") for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") in FIELD_ORDER}
