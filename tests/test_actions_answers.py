"""Unit tests of the knowledge answers, human contacts, fallback, session, restart and
"forget me" actions, in fi/sv/en."""
from __future__ import annotations

from datetime import date

import pytest

from actions.answers import TOPIC_OF_INTENT, ActionAnswerTopic, ActionDefaultFallback, ActionHumanContact
from actions.session import ActionForgetMe, ActionRestartGuidance, ActionSessionStart
from bot import clock
from bot.content import get_knowledge
from tests.action_helpers import load_domain, make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


@pytest.fixture(autouse=True)
def pinned_day():
    with clock.frozen_today(date(2026, 11, 25)):
        yield


def answer(intent: str, language: str, **slots) -> str:
    messages, events = run_action(ActionAnswerTopic(), make_tracker(language, slots, intent=intent))
    assert [(e["event"], e["name"]) for e in events] == [("slot", "last_answer")]
    assert {m.get("custom", {}).get("answer") for m in messages} - {None} == {events[0]["value"]}
    return texts(messages)


def test_every_question_intent_in_the_domain_has_an_answer():
    intents = {i for i in load_domain()["intents"] if i.startswith("ask_") and i != "ask_language"}
    assert intents - {"ask_contacts", "ask_privacy"} == set(TOPIC_OF_INTENT)
    kb = get_knowledge()
    for topic in TOPIC_OF_INTENT.values():
        kb.topic(topic)  # raises for an unknown id


@pytest.mark.parametrize("intent", sorted(TOPIC_OF_INTENT))
def test_topic_answers_in_three_languages_with_sources(intent):
    answers = [answer(intent, lang) for lang in LANGS]
    assert all(answers) and len(set(answers)) == 3
    kb = get_knowledge()
    for language, text in zip(LANGS, answers):
        assert kb.text("heading.sources", language) in text, f"{intent}/{language}: no sources line"


@pytest.mark.parametrize("language,expected", [("fi", "3–24"), ("sv", "3–24"), ("en", "3–24")])
def test_duration_facts(language, expected):
    assert expected in answer("ask_duration", language)


@pytest.mark.parametrize("language", LANGS)
def test_corona_changes_are_told_as_history(language):
    text = answer("ask_corona", language)
    assert "30.4.2021" in text


def test_locations_depend_on_municipality():
    assert "Voimatie" in answer("ask_locations", "fi", municipality="Kempele") or "Kempele" in answer(
        "ask_locations", "fi", municipality="Kempele")
    assert "Uusix" in answer("ask_locations", "fi", municipality="Helsinki")


@pytest.mark.parametrize("language", LANGS)
def test_contacts_before_guidance_give_general_contacts(language):
    text = answer("ask_contacts", language)
    assert "0295 020 701" in text  # unemployment security advice line, in every municipality


def test_contacts_after_guidance_are_those_of_the_routes():
    text = answer("ask_contacts", "fi", municipality="Kempele", age=30, unemployed=True,
                  routes=["kempele_service_coordinator"])
    assert "040 6126 052" in text


@pytest.mark.parametrize("language", LANGS)
def test_privacy_answer_names_retention_and_forget_me(language):
    text = answer("ask_privacy", language)
    assert "30" in text
    assert {"fi": "unohda minut", "sv": "glöm mig", "en": "forget me"}[language] in text


@pytest.mark.parametrize("municipality,phone", [("Kempele", "040 6126 052"), ("Helsinki", "+358 9 310 73392"),
                                                (None, "0295 020 701")])
@pytest.mark.parametrize("language", LANGS)
def test_human_contact_by_municipality(language, municipality, phone):
    messages, _ = run_action(ActionHumanContact(), make_tracker(language, {"municipality": municipality}))
    assert phone in texts(messages)


@pytest.mark.parametrize("language,phrase", [("fi", "en ymmärtänyt"), ("sv", "förstod inte"), ("en", "did not understand")])
def test_fallback_admits_it_and_offers_buttons_and_a_person(language, phrase):
    messages, events = run_action(ActionDefaultFallback(), make_tracker(language, intent="nlu_fallback"))
    assert phrase in texts(messages)
    assert messages[0]["buttons"]
    assert "112" in texts(messages) or "0295" in texts(messages)
    assert events[0] == {"event": "rewind", "timestamp": None}
    assert slot_events(events[1:]) == {"last_answer": "fallback"}


@pytest.mark.parametrize("language", LANGS)
def test_restart_forgets_answers_but_keeps_language(language):
    tracker = make_tracker(language, {"municipality": "Helsinki", "age": 45, "skipped": ["plan"]})
    messages, events = run_action(ActionRestartGuidance(), tracker)
    slots = slot_events(events)
    assert slots["municipality"] is None and slots["age"] is None and slots["skipped"] == []
    assert "language" not in slots
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert messages[0]["buttons"][0]["payload"] == "/start_guidance"


@pytest.mark.parametrize("language", LANGS)
def test_forget_me_clears_answers_and_marks_the_conversation(language):
    tracker = make_tracker(language, {"municipality": "Helsinki", "age": 45})
    messages, events = run_action(ActionForgetMe(), tracker)
    slots = slot_events(events)
    assert slots["forget_me"] is True and slots["age"] is None
    assert any(m.get("custom") == {"forget_me": True} for m in messages)


@pytest.mark.parametrize("metadata,expected", [({"language": "sv-FI"}, "sv"), ({"language": "en"}, "en")])
def test_session_starts_in_the_page_language_without_speaking(metadata, expected):
    # The privacy notice comes with the reply to the first message, in its language
    # (tests/test_actions_language.py).
    tracker = make_tracker("fi", {"session_started_metadata": metadata})
    messages, events = run_action(ActionSessionStart(), tracker)
    assert events[0]["event"] == "session_started"
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    assert slot_events(events)["language"] == expected
    assert messages == []


def test_first_contact_without_page_language_keeps_the_default_language():
    messages, events = run_action(ActionSessionStart(), make_tracker("fi", {"session_started_metadata": {}}))
    assert messages == []
    assert "language" not in slot_events(events) or slot_events(events)["language"] == "fi"


def test_returning_resident_starts_in_the_earlier_language():
    tracker = make_tracker("sv", {"session_started_metadata": {}}, events=[{"event": "user", "text": "hej"}])
    _, events = run_action(ActionSessionStart(), tracker)
    assert slot_events(events)["language"] == "sv"


def test_session_start_carries_over_the_language_and_answers():
    tracker = make_tracker("sv", {"municipality": "Helsinki"})
    _, events = run_action(ActionSessionStart(), tracker)
    slots = slot_events(events)
    assert slots["language"] == "sv" and slots["municipality"] == "Helsinki"
