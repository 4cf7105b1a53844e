"""Build rasa_sdk trackers and run custom actions the way the action server does."""
from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import ROOT

PROFILE_DEFAULTS = {
    "municipality": None, "age": None, "unemployed": None, "health_affects_work_ability": None,
    "disability": None, "referral": None, "plan": None, "client_of": None,
    "skipped": [], "routes": [], "forget_me": False, "requested_slot": None, "question_misses": None,
}


def load_domain() -> dict:
    """The merged domain as the action server receives it (a plain dict)."""
    merged: dict = {"slots": {}, "forms": {}, "responses": {}, "intents": [], "entities": []}
    for path in sorted(Path(ROOT / "config" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for key in ("slots", "forms", "responses"):
            merged[key].update(data.get(key) or {})
        for key in ("intents", "entities"):
            merged[key] += data.get(key) or []
        if "session_config" in data:
            merged["session_config"] = data["session_config"]
    return merged


def make_tracker(
    language: str = "fi",
    slots: dict | None = None,
    intent: str = "inform",
    text: str = "",
    entities: list | None = None,
    active_loop: str | None = None,
    events: list | None = None,
    ranking: list | None = None,
) -> Tracker:
    all_slots = {**PROFILE_DEFAULTS, "language": language, **(slots or {})}
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": ranking if ranking is not None else [{"name": intent, "confidence": 1.0}],
        "entities": entities or [],
        "language": {"code": language, "source": "current", "detected": None, "confidence": 0.0},
    }
    return Tracker(
        sender_id="unit-test",
        slots=all_slots,
        latest_message=latest,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run_action(action: Any, tracker: Tracker, domain: dict | None = None):
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, domain if domain is not None else load_domain())
    if inspect.isawaitable(result):
        result = asyncio.run(result)
    return dispatcher.messages, result


def texts(messages: list) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def slot_events(events: list) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
