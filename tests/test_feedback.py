"""Residents' feedback (actions/feedback.py, issue 14), without servers: when "Was this
helpful?" is asked, what a rating records, when the next message is the comment, and that
the tracker store redacts the comment and deletes it with the conversation."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from actions.answers import ActionAnswerTopic
from actions.feedback import (
    FEEDBACK_GAP,
    MAX_COMMENT_CHARS,
    NO_PAYLOAD,
    YES_PAYLOAD,
    ActionAskFeedbackComment,
    ActionFeedback,
    ActionFeedbackComment,
    ValidateFeedbackForm,
    ask_feedback,
    helpfulness,
    is_comment,
    should_ask,
)
from actions.guidance import ActionGiveGuidance
from bot import clock
from bot.knowledge import get_knowledge
from bot.settings import ROOT
from tests.action_helpers import load_domain, make_tracker, run_action, slot_events

LANGS = ("fi", "sv", "en")
KB = get_knowledge()


@pytest.fixture(autouse=True)
def pinned_day():
    with clock.frozen_today(date(2026, 11, 25)):
        yield


# ------------------------------------------------------------------ event builders (as Rasa sends them)


def bot(**custom) -> dict:
    return {"event": "bot", "text": None, "data": {"custom": custom}}


def answered(answer_id: str, asked: bool = False) -> list:
    events = [{"event": "user", "text": "q"}, bot(answer=answer_id)]
    return events + ([bot(feedback_question=answer_id)] if asked else [])


def rated(answer_id: str, helpful: str = "yes") -> dict:
    return {"event": "slot", "name": "feedback", "value": {"answer": answer_id, "helpful": helpful}}


def question_of(messages: list) -> list:
    return [m for m in messages if "feedback_question" in (m.get("custom") or {})]


# ------------------------------------------------------------------ when to ask


@pytest.mark.parametrize("language", LANGS)
def test_the_question_has_two_buttons_with_the_issues_payloads(language):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert ask_feedback(dispatcher, make_tracker(language), language, "duration_and_hours") == []
    [message] = dispatcher.messages
    assert message["text"] == KB.text("feedback.question", language)
    assert [b["payload"] for b in message["buttons"]] == [YES_PAYLOAD, NO_PAYLOAD]
    assert YES_PAYLOAD == '/feedback{"helpful":"yes"}' and NO_PAYLOAD == '/feedback{"helpful":"no"}'
    assert [b["title"] for b in message["buttons"]] == [KB.text("feedback.button_yes", language),
                                                       KB.text("feedback.button_no", language)]
    assert message["custom"] == {"feedback_question": "duration_and_hours"}


@pytest.mark.parametrize("answer_id,asked", [
    ("route", True), ("duration_and_hours", True), ("fallback", False), ("human_contact", False),
    ("privacy", False), ("emergency", False), ("out_of_scope", False), ("greet", False), ("", False),
])
def test_only_route_and_topic_answers_are_rated(answer_id, asked):
    assert should_ask(make_tracker(), answer_id) is asked


def test_never_during_the_interview_or_while_waiting_for_a_comment():
    assert not should_ask(make_tracker(active_loop="guidance_form"), "duration_and_hours")
    assert not should_ask(make_tracker(active_loop="feedback_form"), "duration_and_hours")


def test_once_per_answer_and_not_again_within_the_gap():
    events = answered("duration_and_hours", asked=True)
    assert not should_ask(make_tracker(events=events), "duration_and_hours"), "already asked about it"
    assert not should_ask(make_tracker(events=[*answered("b_statement"), rated("b_statement")]), "b_statement")
    topics = ("b_statement", "duuri", "plan_requirement", "expense_compensation")
    for n in range(FEEDBACK_GAP):
        assert not should_ask(make_tracker(events=events), "typ"), f"{n} answers after the question"
        events = events + answered("greet") + answered("fallback")  # these do not count
        assert not should_ask(make_tracker(events=events), "typ")
        events = events + answered(topics[n])
    assert should_ask(make_tracker(events=events), "typ"), f"{FEEDBACK_GAP} answers later it is asked again"


def test_a_new_session_starts_afresh():
    events = answered("typ", asked=True) + [{"event": "session_started"}]
    assert should_ask(make_tracker(events=events), "typ")


def test_the_topic_answer_ends_with_the_question_but_not_in_the_interview():
    messages, events = run_action(ActionAnswerTopic(), make_tracker("sv", intent="ask_duration"))
    assert messages[-1]["custom"] == {"feedback_question": "duration_and_hours"}
    assert slot_events(events) == {"last_answer": "duration_and_hours"}
    messages, _ = run_action(ActionAnswerTopic(),
                             make_tracker("sv", intent="ask_duration", active_loop="guidance_form"))
    assert question_of(messages) == []
    messages, _ = run_action(ActionAnswerTopic(), make_tracker("sv", intent="ask_contacts"))
    assert question_of(messages) == [], "contacts are not a topic answer"


def test_the_route_answer_ends_with_the_question():
    slots = {"municipality": "Helsinki", "age": 45, "unemployed": True, "health_affects_work_ability": True,
             "disability": False, "referral": "social_welfare", "plan": "none", "client_of": "social_services"}
    messages, events = run_action(ActionGiveGuidance(), make_tracker("en", slots))
    assert [m["custom"] for m in question_of(messages)] == [{"feedback_question": "route"}]
    assert messages[-1] is question_of(messages)[0], "after the answer and its tags"
    assert slot_events(events)["last_answer"] == "route"


# ------------------------------------------------------------------ the rating


@pytest.mark.parametrize("text,language,helpful", [
    ("ei auttanut", "fi", "no"), ("tämä ei auttanut yhtään", "fi", "no"), ("huono vastaus", "fi", "no"),
    ("kiitos, auttoi", "fi", "yes"), ("tästä oli apua", "fi", "yes"), ("no niin, auttoi", "fi", "yes"),
    ("hjälpte inte", "sv", "no"), ("dåligt svar", "sv", "no"), ("det hjälpte, tack", "sv", "yes"),
    ("det var en bra hjälp", "sv", "yes"),
    ("not helpful", "en", "no"), ("didn't help", "en", "no"), ("it doesn’t answer my question", "en", "no"),
    ("that was helpful", "en", "yes"), ("helpful, thanks", "en", "yes"),
    ("not helpful", "fi", "no"), ("ei auttanut", "en", "no"), ("hjälpte inte", "en", "no"),
])
def test_typed_feedback_is_read_from_the_words(text, language, helpful):
    assert helpfulness({"text": text}, language) == helpful


def test_the_buttons_entity_wins_over_the_words():
    assert helpfulness({"text": NO_PAYLOAD, "entities": [{"entity": "helpful", "value": "no"}]}, "fi") == "no"
    assert helpfulness({"text": YES_PAYLOAD, "entities": [{"entity": "helpful", "value": "yes"}]}, "fi") == "yes"


def feedback_tracker(text: str, helpful: str | None, events: list, language: str = "fi", **kwargs):
    entities = [{"entity": "helpful", "value": helpful}] if helpful else []
    return make_tracker(language, {"last_answer": kwargs.pop("last_answer", None)}, intent="feedback", text=text,
                        entities=entities, events=events, **kwargs)


@pytest.mark.parametrize("language", LANGS)
def test_yes_is_recorded_and_thanked(language):
    events = answered("duration_and_hours", asked=True)
    messages, result = run_action(ActionFeedback(), feedback_tracker(YES_PAYLOAD, "yes", events, language))
    assert result == [{"event": "slot", "timestamp": None, "name": "feedback",
                       "value": {"answer": "duration_and_hours", "helpful": "yes"}}]
    assert [m["text"] for m in messages] == [KB.text("feedback.thanks", language)]


@pytest.mark.parametrize("language, text", [("fi", "kiitos, tästä oli oikeasti apua"),
                                            ("sv", "tack, det här hjälpte mer än socialen"),
                                            ("en", "thanks a lot, this was really helpful")])
def test_praise_before_any_answer_is_thanks(language, text):
    messages, result = run_action(ActionFeedback(), feedback_tracker(text, "yes", [], language))
    assert result[0]["value"] == {"answer": "conversation", "helpful": "yes"}
    assert [m.get("text") for m in messages if m.get("text")] == [KB.text("dialogue.thanks", language)]
    assert [m["custom"] for m in messages if m.get("custom")] == [{"answer": "thanks"}]


def test_no_is_recorded_and_the_comment_form_follows():
    events = answered("route", asked=True)
    messages, result = run_action(ActionFeedback(), feedback_tracker(NO_PAYLOAD, "no", events))
    assert messages == []  # the form asks (action_ask_feedback_comment)
    assert [(e["event"], e.get("name"), e.get("value")) for e in result] == [
        ("slot", "feedback", {"answer": "route", "helpful": "no"}),
        ("slot", "feedback_comment", None),
        ("followup", "feedback_form", None),
    ]


def test_a_button_rates_the_questions_answer_typed_feedback_the_latest_answer():
    events = answered("typ", asked=True) + answered("duuri")
    _, result = run_action(ActionFeedback(), feedback_tracker(YES_PAYLOAD, "yes", events, last_answer="duuri"))
    assert result[0]["value"]["answer"] == "typ"
    _, result = run_action(ActionFeedback(), feedback_tracker("ei auttanut", None, events, last_answer="duuri"))
    assert result[0]["value"] == {"answer": "duuri", "helpful": "no"}
    _, result = run_action(ActionFeedback(), feedback_tracker("ei auttanut", None, []))
    assert result[0]["value"] == {"answer": "conversation", "helpful": "no"}


def test_a_second_rating_of_the_same_answer_is_thanked_but_not_recorded():
    events = answered("typ", asked=True) + [rated("typ")]
    messages, result = run_action(ActionFeedback(), feedback_tracker(NO_PAYLOAD, "no", events))
    assert result == [] and [m["text"] for m in messages] == [KB.text("feedback.thanks", "fi")]


def test_no_comment_form_in_the_middle_of_the_interview():
    _, result = run_action(ActionFeedback(), feedback_tracker("ei auttanut", None, [], last_answer="typ",
                                                             active_loop="guidance_form"))
    assert [e["event"] for e in result] == ["slot"]


# ------------------------------------------------------------------ the comment


@pytest.mark.parametrize("language", LANGS)
def test_what_was_missing_with_a_no_comment_button(language):
    messages, result = run_action(ActionAskFeedbackComment(), make_tracker(language))
    assert result == [] and messages[0]["text"] == KB.text("feedback.ask_comment", language)
    assert messages[0]["buttons"] == [{"title": KB.text("feedback.button_no_comment", language), "payload": "/deny"}]


@pytest.mark.parametrize("message,comment", [
    ({"text": "puhelinnumero puuttui", "intent": {"name": "nlu_fallback", "confidence": 0.7}}, True),
    ({"text": "I live in Espoo, nothing about it", "intent": {"name": "inform", "confidence": 0.9}}, True),
    ({"text": "ei auttanut, tiedot vanhoja", "intent": {"name": "feedback", "confidence": 0.9}}, True),
    ({"text": "the cost was missing", "intent": {"name": "ask_cost", "confidence": 0.3}}, True),
    ({"text": "paljonko maksaa?", "intent": {"name": "ask_cost", "confidence": 0.95}}, False),
    ({"text": "kuinka kauan se kestää", "intent": {"name": "ask_duration", "confidence": 0.95}}, False),
    ({"text": "voinko osallistua osa-aikaisesti", "intent": {"name": "ask_duration", "confidence": 0.9}}, False),
    ({"text": "How long does it last", "intent": {"name": "ask_duration", "confidence": 0.95}}, False),
    ({"text": "vad kostar det", "intent": {"name": "ask_cost", "confidence": 0.95}}, False),
    # what was missing, in words the NLU matches to a topic: still the comment
    ({"text": "The phone number of the service was missing", "intent": {"name": "ask_contacts", "confidence": 0.9}},
     True),
    ({"text": "priset saknades", "intent": {"name": "ask_cost", "confidence": 0.9}}, True),
    ({"text": "kiitos", "intent": {"name": "thanks", "confidence": 0.9}}, False),
    ({"text": "apua, haluan kuolla", "intent": {"name": "emergency", "confidence": 1.0}}, False),
    ({"text": "/deny", "intent": {"name": "deny", "confidence": 1.0}}, False),
    ({"text": "/start_guidance", "intent": {"name": "start_guidance", "confidence": 1.0}}, False),
    ({"text": "?", "intent": {"name": "nlu_fallback", "confidence": 0.1}}, False),
])
def test_what_counts_as_a_comment(message, comment):
    assert is_comment(message) is comment


def form_tracker(text: str, intent: str, confidence: float, requested: str | None = "feedback_comment"):
    tracker = make_tracker("fi", {"requested_slot": requested, "feedback_comment": None}, intent=intent, text=text,
                           active_loop="feedback_form" if requested else None)
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


def validate(tracker) -> list:
    _, events = run_action(ValidateFeedbackForm(), tracker)
    return events


def test_the_comment_is_taken_collapsed_and_shortened():
    text = "puhelinnumero   puuttui " + "x" * 600
    events = validate(form_tracker(text, "nlu_fallback", 0.8))
    assert slot_events(events) == {"feedback_comment": ("puhelinnumero puuttui " + "x" * 600)[:MAX_COMMENT_CHARS]}


def test_another_question_instead_of_a_comment_ends_the_form_without_storing():
    events = validate(form_tracker("kuinka kauan se kestää?", "ask_duration", 0.97))
    assert events == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": None}]


def test_at_activation_the_question_is_not_taken_as_the_comment():
    # The "no" button that started the form is not the comment; the form goes on to ask.
    tracker = make_tracker("fi", {"requested_slot": None, "feedback_comment": None}, intent="feedback",
                           text=NO_PAYLOAD, active_loop="feedback_form")
    assert validate(tracker) == []


@pytest.mark.parametrize("language", LANGS)
def test_thanks_for_a_comment_and_the_slot_is_cleared(language):
    messages, events = run_action(ActionFeedbackComment(), make_tracker(language, {"feedback_comment": "puuttui"}))
    assert [m["text"] for m in messages] == [KB.text("feedback.thanks_comment", language)]
    assert slot_events(events) == {"feedback_comment": None}
    messages, events = run_action(ActionFeedbackComment(), make_tracker(language, {"feedback_comment": None}))
    assert messages == [] and slot_events(events) == {"feedback_comment": None}


# ------------------------------------------------------------------ domain, rules, NLU files


def test_domain_and_rules_declare_everything_the_actions_use():
    domain = load_domain()
    assert "feedback" in domain["intents"] and "helpful" in domain["entities"]
    assert domain["forms"]["feedback_form"]["required_slots"] == ["feedback_comment"]
    assert {"feedback", "feedback_comment"} <= set(domain["slots"])
    actions = yaml.safe_load((ROOT / "config" / "domain" / "feedback.yml").read_text())["actions"]
    assert set(actions) == {"action_feedback", "action_ask_feedback_comment", "validate_feedback_form",
                            "action_feedback_comment"}
    rules = yaml.safe_load((ROOT / "data" / "rules" / "feedback.yml").read_text())["rules"]
    assert any(r["steps"] == [{"intent": "feedback"}, {"action": "action_feedback"}] for r in rules)


@pytest.mark.parametrize("language", LANGS)
def test_feedback_examples_in_each_language(language):
    data = yaml.safe_load((ROOT / "data" / "nlu" / language / "feedback.yml").read_text())
    [block] = data["nlu"]
    examples = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
    assert block["intent"] == "feedback" and len(examples) >= 20
    polarity = {helpfulness({"text": e}, language) for e in examples}
    assert polarity == {"yes", "no"}, "both kinds of feedback are trained"


# ------------------------------------------------------------------ storage: redacted, forgotten with the rest


def test_the_comment_is_redacted_in_storage_and_deleted_by_forget_me(tmp_path: Path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

    from bot.privacy.tracker_store import RedactingSQLTrackerStore

    domain = Domain.from_yaml(textwrap.dedent("""
        version: "3.1"
        slots:
          feedback: {type: any, influence_conversation: false, mappings: [{type: custom}]}
          feedback_comment: {type: text, influence_conversation: false, mappings: [{type: custom}]}
          forget_me: {type: bool, initial_value: false, influence_conversation: false, mappings: [{type: custom}]}
    """))
    db = tmp_path / "tracker.db"
    store = RedactingSQLTrackerStore(domain, dialect="sqlite", db=str(db), redact_logs=False)
    comment = "numero puuttui, soita 040 123 4567 tai matti@example.fi"

    async def conversation():
        tracker = await store.get_or_create_tracker("resident", append_action_listen=False)
        for event in (ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                      BotUttered("Oliko tästä vastauksesta apua?", data={"custom": {"feedback_question": "typ"}}),
                      UserUttered(NO_PAYLOAD, {"name": "feedback", "confidence": 1.0}),
                      SlotSet("feedback", {"answer": "typ", "helpful": "no"}),
                      UserUttered(comment, {"name": "nlu_fallback", "confidence": 0.6}),
                      SlotSet("feedback_comment", comment), ActionExecuted("action_listen")):
            tracker.update(event)
        await store.save(tracker)
        with sqlite3.connect(db) as connection:
            stored = [json.loads(d) for (d,) in connection.execute("select data from events order by id")]
        tracker.update(SlotSet("forget_me", True))
        await store.save(tracker)
        return stored

    try:
        stored = asyncio.run(conversation())
        everything = json.dumps(stored)
        assert "040 123 4567" not in everything and "matti@example.fi" not in everything
        [slot] = [e for e in stored if e.get("name") == "feedback_comment"]
        assert slot["value"] == "numero puuttui, soita [PHONE] tai [EMAIL]"
        assert any(e.get("name") == "feedback" and e["value"] == {"answer": "typ", "helpful": "no"} for e in stored)
        with sqlite3.connect(db) as connection:
            assert connection.execute("select count(*) from events").fetchone()[0] == 0
    finally:
        store.engine.dispose()
