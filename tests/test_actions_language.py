"""Unit tests for action_validate_slot_mappings (language slot, privacy notice) with real
rasa_sdk trackers."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionResolveLanguage
from bot.knowledge import get_knowledge


def tracker(language_slot="fi", code=None, entities=None, events=None) -> Tracker:
    latest = {"text": "x", "intent": {"name": "greet", "confidence": 1.0}, "entities": entities or []}
    if code is not None:
        latest["language"] = {"code": code, "source": "detected", "detected": code, "confidence": 0.9}
    return Tracker(
        sender_id="test",
        slots={"language": language_slot},
        latest_message=latest,
        events=events or [],
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



SESSION_START = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
                 {"event": "action", "name": "action_listen"}]


@pytest.mark.parametrize("page,resolved", [("fi", "en"), ("en", "sv"), ("sv", "fi"), ("fi", "fi")])
def test_privacy_notice_with_the_first_message_in_its_language(page, resolved):
    # The session started in the page's language; the first message decides the notice's.
    t = tracker(page, resolved, events=[*SESSION_START, {"event": "user", "text": "x"}])
    dispatcher = CollectingDispatcher()
    events = ActionResolveLanguage().run(dispatcher, t, {})
    kb = get_knowledge()
    assert [m["text"] for m in dispatcher.messages] == [kb.text("dialogue.privacy_line", resolved, days=30)]
    assert len(dispatcher.messages[0]["text"].split()) <= 20, "one short line, out of the answer's way"
    assert dispatcher.messages[0]["buttons"] == [{"title": kb.text("button.privacy", resolved),
                                                  "payload": "/ask_privacy"}]
    assert events == ([] if page == resolved
                      else [{"event": "slot", "timestamp": None, "name": "language", "value": resolved}])


def test_no_privacy_line_when_the_widget_already_showed_its_notice():
    t = tracker("fi", "fi", events=[*SESSION_START, {"event": "user", "text": "x"}])
    t.latest_message["metadata"] = {"client": {"privacy_notice": "shown"}}
    dispatcher = CollectingDispatcher()
    ActionResolveLanguage().run(dispatcher, t, {})
    assert dispatcher.messages == []


def test_no_privacy_notice_after_the_first_message_of_a_session():
    earlier = [{"event": "user", "text": "old"}, *SESSION_START, {"event": "user", "text": "a"},
               {"event": "bot", "text": "b"}, {"event": "action", "name": "action_listen"},
               {"event": "user", "text": "c"}]
    run(tracker("fi", "sv", events=earlier))


def test_privacy_notice_again_in_a_new_session():
    events = [*SESSION_START, {"event": "user", "text": "a"}, *SESSION_START, {"event": "user", "text": "b"}]
    dispatcher = CollectingDispatcher()
    ActionResolveLanguage().run(dispatcher, tracker("sv", "sv", events=events), {})
    assert len(dispatcher.messages) == 1 and "personbeteckning" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("flag,reported", [(True, True), (None, False), ("yes", False)])
def test_reports_the_language_only_when_the_gateway_asks(flag, reported):
    t = tracker("fi", "sv")
    t.latest_message["metadata"] = {} if flag is None else {"report_language": flag}
    dispatcher = CollectingDispatcher()
    ActionResolveLanguage().run(dispatcher, t, {})
    assert [m.get("custom") for m in dispatcher.messages] == ([{"language": "sv"}] if reported else [])
