"""Unit tests of the interview (form validation) and the guidance answer, in fi/sv/en."""
from __future__ import annotations

import pytest

from actions.guidance import ActionGiveGuidance, ValidateGuidanceForm
from bot import clock
from tests.action_helpers import make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


@pytest.fixture(autouse=True)
def pinned_day():
    with clock.frozen_today(clock.date(2026, 11, 25)) if hasattr(clock, "date") else clock.frozen_today(__import__("datetime").date(2026, 11, 25)):
        yield


def validate(slots: dict, new: dict, language: str = "fi", requested: str | None = None):
    events = [{"event": "user", "text": "x"}] + [{"event": "slot", "name": k, "value": v} for k, v in new.items()]
    tracker = make_tracker(language, {**slots, **new, "requested_slot": requested}, events=events,
                           active_loop="guidance_form")
    messages, result = run_action(ValidateGuidanceForm(), tracker)
    return messages, slot_events(result)


def test_first_question_is_the_municipality():
    _, events = validate({}, {})
    assert events["requested_slot"] == "municipality"


@pytest.mark.parametrize(
    "known,expected_next",
    [
        ({"municipality": "Helsinki"}, "age"),
        ({"municipality": "Helsinki", "age": 45}, "unemployed"),
        ({"municipality": "Helsinki", "age": 45, "unemployed": True}, "health_affects_work_ability"),
        ({"municipality": "Kempele"}, "age"),
        ({"municipality": "Espoo", "age": 45}, None),  # other municipality: nothing more changes the answer
        ({"municipality": "Helsinki", "age": 15}, None),  # a minor: not_adult, nothing more to ask
    ],
)
def test_asks_only_what_changes_the_answer(known, expected_next):
    _, events = validate(known, {})
    assert events["requested_slot"] == expected_next


@pytest.mark.parametrize("value,expected", [("Helsingissä", "Helsinki"), ("Helsingfors", "Helsinki"),
                                            ("Kempeleessä", "Kempele"), ("Esbo", "Espoo")])
def test_municipality_is_normalised(value, expected):
    _, events = validate({}, {"municipality": value}, requested="municipality")
    assert events["municipality"] == expected


@pytest.mark.parametrize("language,word", [("fi", "En tunnistanut"), ("sv", "Jag kände inte igen"),
                                           ("en", "I did not recognise")])
def test_unknown_municipality_is_explained_in_the_residents_language(language, word):
    messages, events = validate({}, {"municipality": "Atlantis"}, language, requested="municipality")
    assert events["municipality"] is None
    assert word in texts(messages)


@pytest.mark.parametrize("raw,expected", [("45", 45), ("18", 18), (52, 52)])
def test_age_becomes_a_number(raw, expected):
    _, events = validate({"municipality": "Helsinki"}, {"age": raw}, requested="age")
    assert events["age"] == expected


@pytest.mark.parametrize("raw", ["999", "3", "abc", "-5"])
def test_implausible_age_is_rejected_with_a_message(raw):
    messages, events = validate({"municipality": "Helsinki"}, {"age": raw}, "en", requested="age")
    assert events["age"] is None
    assert "age" in texts(messages).lower()


@pytest.mark.parametrize("raw,expected", [("yes", True), ("no", False)])
def test_yes_no_answers_become_booleans(raw, expected):
    _, events = validate({"municipality": "Helsinki", "age": 40}, {"unemployed": raw}, requested="unemployed")
    assert events["unemployed"] is expected


def test_skipped_question_is_never_asked_again():
    base = {"municipality": "Helsinki", "age": 40}
    _, events = validate(base, {"unemployed": "skip"}, requested="unemployed")
    assert events["unemployed"] is None
    assert events["skipped"] == ["unemployed"]
    assert events["requested_slot"] != "unemployed"


def test_answer_after_skip_counts_again():
    base = {"municipality": "Helsinki", "age": 40, "skipped": ["unemployed"]}
    _, events = validate(base, {"unemployed": "yes"})
    assert events["unemployed"] is True
    assert events["skipped"] == []


def test_correction_replaces_the_age():
    base = {"municipality": "Helsinki", "age": 45, "unemployed": True}
    _, events = validate(base, {"age": "64"})
    assert events["age"] == 64


def test_invalid_enum_value_is_dropped():
    _, events = validate({"municipality": "Helsinki", "age": 40}, {"referral": "from_my_cat"})
    assert events["referral"] is None


# ---------------------------------------------------------------------------- the answer

def give(language: str, **slots):
    messages, events = run_action(ActionGiveGuidance(), make_tracker(language, slots))
    routes = next(m["custom"]["routes"] for m in messages if m.get("custom"))
    return messages, routes, slot_events(events)


HELSINKI_WAS = dict(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                    disability=False, referral="social_welfare", plan="activation_plan", client_of="social_services")


@pytest.mark.parametrize("language", LANGS)
def test_work_ability_support_with_referral(language):
    messages, routes, events = give(language, **HELSINKI_WAS)
    assert "work_ability_support" in routes
    assert events["routes"] == routes
    assert len([m for m in messages if m.get("text")]) >= 3, "one message per route plus next steps"
    # the answer's own messages; a feedback question may follow (actions/feedback.py)
    texted = [m for m in messages if m.get("text") and "feedback_question" not in (m.get("custom") or {})]
    assert texted[-1]["buttons"], "the answer ends with follow-up options"
    from bot.content import get_knowledge
    assert texted[-1]["text"].startswith(get_knowledge().text("heading.next", language)), "next steps come last"


@pytest.mark.parametrize("language,title", [("fi", "Kempele"), ("sv", "Kempele"), ("en", "Kempele")])
def test_kempele_gets_the_service_coordinators(language, title):
    messages, routes, _ = give(language, municipality="Kempele", age=30, unemployed=True, plan="none")
    assert routes[0] == "kempele_service_coordinator"
    text = texts(messages)
    assert "040 6126 052" in text and "044 4972 201" in text
    assert "Voimatie 6 A" in text


def test_answers_differ_by_language_and_cite_sources():
    answers = {lang: texts(give(lang, **HELSINKI_WAS)[0]) for lang in LANGS}
    assert len(set(answers.values())) == 3
    for text in answers.values():
        assert "seeds/002_4572eddf78d705cd.txt" in text


def test_minor_gets_not_adult():
    _, routes, _ = give("sv", municipality="Helsinki", age=16)
    assert routes == ["not_adult"]


def test_other_municipality():
    _, routes, _ = give("en", municipality="Tampere", age=40)
    assert routes == ["own_municipality"]
