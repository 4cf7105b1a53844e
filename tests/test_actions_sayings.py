"""The short conversational replies (actions/sayings.py), in fi/sv/en: each says its
sentence of messages.yml with its buttons and answer tag; out of scope names who can
answer when the words show it."""
from __future__ import annotations

import pytest

from actions import sayings
from actions.sayings import SAYINGS, ActionAnythingElse, ActionNotUnderstoodAnswer, ActionOutOfScope
from bot.knowledge import get_knowledge
from bot.settings import ROOT
from tests.action_helpers import make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


def action_class(name: str):
    own = {cls.action: cls for cls in (ActionOutOfScope, ActionAnythingElse, ActionNotUnderstoodAnswer)}
    return own.get(name) or getattr(sayings, f"Say_{name}")


def test_every_saying_is_an_action_of_the_domain():
    import yaml
    actions = set()
    for path in (ROOT / "config" / "domain").glob("*.yml"):
        actions |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("actions") or [])
    assert set(SAYINGS) <= actions


@pytest.mark.parametrize("name", sorted(SAYINGS))
@pytest.mark.parametrize("language", LANGS)
def test_each_saying_in_each_language(name, language):
    message_id, button_table, tag = SAYINGS[name]
    action = action_class(name)()
    assert action.name() == name
    earlier = [{"event": "user", "text": "hei"}, {"event": "bot", "text": "..."}, {"event": "user", "text": "hei"}]
    messages, events = run_action(action, make_tracker(language, intent="greet", text="hei", events=earlier))
    assert texts(messages).strip() == get_knowledge().text(message_id, language).strip()
    assert len(messages[0].get("buttons") or []) == len(button_table)
    assert slot_events(events) == ({"last_answer": tag} if tag else {})


@pytest.mark.parametrize("language,text,contact,expected", [
    ("fi", "miten perustoimeentulotuki lasketaan", "kela", "kela.fi"),
    ("sv", "hur söker man bostadsbidrag", "kela", "kela.fi"),
    ("en", "why should I apply for unemployment benefits", "kela", "kela.fi"),
    ("en", "how do I find a job in IT", "employment_services", "tyomarkkinatori.fi"),
])
def test_out_of_scope_with_words_of_someone_who_can_answer(language, text, contact, expected):
    messages, events = run_action(ActionOutOfScope(), make_tracker(language, intent="out_of_scope", text=text))
    assert get_knowledge().text("answer.unknown_question", language) in texts(messages)
    assert expected in texts(messages) and "112" not in texts(messages)
    assert [m["custom"] for m in messages if m.get("custom")] == [{"answer": "fallback", "contact": contact}]
    assert slot_events(events) == {"last_answer": "fallback"}


@pytest.mark.parametrize("language,text", [("fi", "millainen sää on huomenna"), ("en", "tell me a joke"),
                                           ("sv", "/out_of_scope")])
def test_out_of_scope_otherwise_says_what_it_can_help_with(language, text):
    messages, events = run_action(ActionOutOfScope(), make_tracker(language, intent="out_of_scope", text=text))
    assert texts(messages).strip() == get_knowledge().text("dialogue.out_of_scope", language).strip()
    assert slot_events(events) == {"last_answer": "out_of_scope"}


def _after_feedback_question(language: str, intent: str, text: str, asked: bool = True) -> list:
    events = [{"event": "user", "text": "kauanko se kestää"},
              {"event": "bot", "text": "...", "data": {"custom": {"answer": "duration_and_hours"}}}]
    if asked:
        events.append({"event": "bot", "text": "?", "data": {"custom": {"feedback_question": "duration_and_hours"}}})
    events.append({"event": "user", "text": text})
    return events


@pytest.mark.parametrize("language,intent,text,helpful", [("fi", "affirm", "kyllä", "yes"), ("sv", "deny", "nej", "no"),
                                                          ("en", "affirm", "yes", "yes")])
def test_a_plain_yes_or_no_right_after_the_feedback_question_is_the_rating(language, intent, text, helpful):
    tracker = make_tracker(language, {"last_answer": "duration_and_hours"}, intent=intent, text=text,
                           events=_after_feedback_question(language, intent, text))
    messages, events = run_action(ActionAnythingElse(), tracker)
    rating = [e for e in events if e.get("event") == "slot" and e.get("name") == "feedback"]
    assert rating and rating[0]["value"] == {"answer": "duration_and_hours", "helpful": helpful}
    if helpful == "yes":
        assert texts(messages).strip() == get_knowledge().text("feedback.thanks", language).strip()
    else:  # "what was missing?" comes from the feedback form
        assert {"event": "followup", "name": "feedback_form"} in [
            {k: e.get(k) for k in ("event", "name")} for e in events]


def test_yes_without_the_question_is_anything_else():
    tracker = make_tracker("fi", {"last_answer": "duration_and_hours"}, intent="affirm", text="kyllä",
                           events=_after_feedback_question("fi", "affirm", "kyllä", asked=False))
    messages, events = run_action(ActionAnythingElse(), tracker)
    assert texts(messages).strip() == get_knowledge().text("dialogue.anything_else", "fi").strip()
    assert "feedback" not in slot_events(events)


@pytest.mark.parametrize("language", LANGS)
def test_a_yes_or_a_stray_key_as_the_first_message_gets_what_the_assistant_can_do(language):
    tracker = make_tracker(language, intent="affirm", text="x", events=[{"event": "user", "text": "x"}])
    messages, events = run_action(ActionAnythingElse(), tracker)
    assert texts(messages).strip() == get_knowledge().text("dialogue.help", language).strip()
    assert slot_events(events) == {"last_answer": "help"}


def _after_anything_else(text: str) -> list[dict]:
    return [{"event": "user", "text": "nej"}, {"event": "action", "name": "action_anything_else"},
            {"event": "bot", "text": "Kan jag hjälpa dig med något annat?"},
            {"event": "action", "name": "action_listen"}, {"event": "user", "text": text}]


@pytest.mark.parametrize("language", LANGS)
def test_no_to_anything_else_ends_politely_and_yes_gets_what_the_assistant_can_do(language):
    # every "nej" had got "Kan jag hjälpa dig med något annat?" again
    no = make_tracker(language, intent="deny", text="nej", events=_after_anything_else("nej"))
    messages, _ = run_action(ActionAnythingElse(), no)
    assert texts(messages).strip() == get_knowledge().text("dialogue.goodbye", language).strip()
    yes = make_tracker(language, intent="affirm", text="ja", events=_after_anything_else("ja"))
    messages, _ = run_action(ActionAnythingElse(), yes)
    assert texts(messages).strip() == get_knowledge().text("dialogue.help", language).strip()


# ------------------------------------------------------------------ not understood in the interview

def _not_understood(text: str, intent: str = "nlu_fallback", language: str = "en"):
    slots = {"municipality": "Helsinki", "age": 40, "unemployed": True, "requested_slot": "disability"}
    tracker = make_tracker(language, slots, intent=intent, text=text, active_loop="guidance_form")
    messages, events = run_action(ActionNotUnderstoodAnswer(), tracker)
    tags = [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]
    return tags, texts(messages), slot_events(events)


@pytest.mark.parametrize("language,text", [
    ("en", "what happens if I can't make it some days?"), ("fi", "mitä jos en pääse joku päivä"),
    ("sv", "vad händer om jag är sjuk?"),
])
def test_an_unsure_question_in_the_interview_gets_the_honest_answer_not_didnt_understand(language, text):
    tags, said, events = _not_understood(text, language=language)
    assert tags == ["fallback"]
    assert get_knowledge().text("dialogue.not_understood_answer", language) not in said
    assert events["question_misses"] == {"slot": "disability", "count": 1}


@pytest.mark.parametrize("text,intent", [("blaa blaa", "nlu_fallback"), ("hmm", "inform"), ("what?", "greet")])
def test_an_answer_not_understood_is_still_said_so(text, intent):
    tags, said, _ = _not_understood(text, intent)
    assert said == get_knowledge().text("dialogue.not_understood_answer", "en")


def test_an_unsure_question_pointing_to_the_activity_in_the_interview_gets_its_topic():
    from actions.sayings import ActionNotUnderstoodAnswer

    slots = {"municipality": "Porvoo", "for_someone_else": True, "requested_slot": "unemployed"}
    ranking = [{"name": "nlu_fallback", "confidence": 0.33}, {"name": "ask_what_participants_do", "confidence": 0.33}]
    tracker = make_tracker("en", slots, intent="nlu_fallback", text="what would she do there?",
                           active_loop="guidance_form", ranking=ranking)
    messages, events = run_action(ActionNotUnderstoodAnswer(), tracker)
    tags = [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]
    assert tags == ["what_participants_do"]
    assert slot_events(events)["question_misses"] == {"slot": "unemployed", "count": 1}


def test_a_yes_with_a_fact_after_the_answer_is_the_fact_not_a_rating():
    # "yes she is unemployed" after the answer: the unemployment question had been left out,
    # and the answer may change with it
    slots = {"municipality": "Porvoo", "age": 19, "skipped": ["unemployed"], "unemployed": "yes",
             "routes": ["own_municipality"], "last_answer": "route"}
    events = [{"event": "action", "name": "action_give_guidance"},
              {"event": "bot", "text": "?", "data": {"custom": {"feedback_question": "route"}}},
              {"event": "user", "text": "yes she is unemployed"}]
    tracker = make_tracker("en", slots, intent="affirm", text="yes she is unemployed", events=events,
                           entities=[{"entity": "unemployed", "value": "yes", "start": 4, "end": 21}])
    messages, result = run_action(ActionAnythingElse(), tracker)
    assert "feedback" not in slot_events(result)
    assert any((m.get("custom") or {}).get("routes") for m in messages)  # the route answer, not "thanks"


def _unsure_in_the_interview(text: str, confidence: float, language: str = "en"):
    from actions.sayings import ActionNotUnderstoodAnswer

    slots = {"municipality": "Helsinki", "age": 22, "unemployed": True, "requested_slot": "disability"}
    ranking = [{"name": "nlu_fallback", "confidence": confidence}, {"name": "ask_absences", "confidence": confidence},
               {"name": "ask_refusal", "confidence": 0.3}]
    tracker = make_tracker(language, slots, intent="nlu_fallback", text=text, active_loop="guidance_form",
                           ranking=ranking)
    messages, _ = run_action(ActionNotUnderstoodAnswer(), tracker)
    return [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]


def test_a_fairly_sure_topic_in_the_interview_is_what_an_unsure_question_asks():
    # "what happens if I can't make it some days?" points to nothing, but the interview is about the activity
    assert _unsure_in_the_interview("what happens if I can't make it some days?", 0.55) == ["absences"]


@pytest.mark.parametrize("text,confidence", [
    ("what happens if I can't make it some days?", 0.45),  # not sure enough without pointing to the activity
    ("what happens to my Kela benefit if I can't make it some days?", 0.55),  # Kela's question: Kela's contact
])
def test_otherwise_an_unsure_question_in_the_interview_stays_honest(text, confidence):
    assert _unsure_in_the_interview(text, confidence) == ["fallback"]


# ------------------------------------------------------------------ every turn without an answer counts

def _turn_without_answer(action, intent: str, text: str, count_before: int = 0):
    slots = {"municipality": "Helsinki", "age": 40, "unemployed": True, "health_affects_work_ability": True,
             "disability": False, "requested_slot": "referral"}
    if count_before:
        slots["question_misses"] = {"slot": "referral", "count": count_before}
    tracker = make_tracker("fi", slots, intent=intent, text=text, active_loop="guidance_form")
    _, events = run_action(action, tracker)
    return slot_events(events)


@pytest.mark.parametrize("action_name,intent,text", [
    ("action_answer_detail", "ask_why", "miksi?"),
    ("action_answer_detail", "ask_sources", "lähteet"),
    ("action_human_contact", "human_contact", "haluan puhua ihmisen kanssa"),
    ("action_answer_topic", "ask_privacy", "tallennetaanko nää?"),
    ("action_not_understood_answer", "greet", "moi"),
])
def test_a_turn_without_an_answer_in_the_interview_counts_toward_the_questions_two_times(action_name, intent, text):
    # the referral question had come a third time when every answer got details or contacts
    from actions.answers import ActionAnswerDetail, ActionAnswerTopic, ActionHumanContact

    action = {"action_answer_detail": ActionAnswerDetail(), "action_human_contact": ActionHumanContact(),
              "action_answer_topic": ActionAnswerTopic(),
              "action_not_understood_answer": ActionNotUnderstoodAnswer()}[action_name]
    assert _turn_without_answer(action, intent, text)["question_misses"] == {"slot": "referral", "count": 1}
    second = _turn_without_answer(action, intent, text, count_before=1)
    assert second["skipped"] == ["referral"] and second["question_misses"] is None


def test_an_answer_not_understood_is_counted_by_the_form_not_twice():
    events = _turn_without_answer(ActionNotUnderstoodAnswer(), "inform", "blaa")
    assert "question_misses" not in events
