"""Unit tests for action_resolve_language with real rasa_sdk trackers."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionResolveLanguage


def tracker(language_slot="fi", code=None, entities=None) -> Tracker:
    latest = {"text": "x", "intent": {"name": "greet", "confidence": 1.0}, "entities": entities or []}
    if code is not None:
        latest["language"] = {"code": code, "source": "detected", "detected": code, "confidence": 0.9}
    return Tracker(
        sender_id="test",
        slots={"language": language_slot},
        latest_message=latest,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(t: Tracker):
    dispatcher = CollectingDispatcher()
    events = ActionResolveLanguage().run(dispatcher, t, {})
    assert dispatcher.messages == [], "the slot mapping action must not speak"
    return events


@pytest.mark.parametrize("current,resolved", [("fi", "sv"), ("fi", "en"), ("sv", "fi"), ("en", "sv")])
def test_sets_slot_to_resolved_language(current, resolved):
    assert run(tracker(current, resolved)) == [
        {"event": "slot", "timestamp": None, "name": "language", "value": resolved}
    ]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_no_event_when_language_unchanged(lang):
    assert run(tracker(lang, lang)) == []


def test_button_payload_entity_wins_over_detection():
    events = run(tracker("fi", "fi", entities=[{"entity": "language", "value": "en"}]))
    assert events[0]["value"] == "en"


@pytest.mark.parametrize("bad", [None, "de", "", "xx"])
def test_unsupported_or_missing_language_keeps_slot(bad):
    assert run(tracker("sv", bad)) == []

