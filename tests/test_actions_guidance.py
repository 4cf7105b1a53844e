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
        ({"municipality": "Espoo", "age": 45}, "unemployed"),  # other municipality: age and unemployment only
        ({"municipality": "Espoo", "age": 45, "unemployed": True}, None),
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
    assert routes[0] == "work_ability_support"
    assert events["routes"] == routes and events["last_answer"] == "route"
    # the answer's own message; the feedback question follows it (actions/feedback.py)
    texted = [m for m in messages if m.get("text") and "feedback_question" not in (m.get("custom") or {})]
    assert len(texted) == 1, "one short answer; details come on request"
    assert "+358 9 3104 2286" in texted[0]["text"]
    assert [b["payload"] for b in texted[0]["buttons"]] == ["/ask_why", "/ask_other_options", "/ask_next_steps",
                                                            "/ask_sources", "/human_contact"]


@pytest.mark.parametrize("language", LANGS)
def test_kempele_gets_pohde(language):
    messages, routes, _ = give(language, municipality="Kempele", age=30, unemployed=True)
    assert routes[0] == "kempele_service_coordinator"
    text = texts(messages)
    assert "040 569 2287" in text and "040 6126 052" not in text


def test_answers_differ_by_language_and_name_no_files():
    answers = {lang: texts(give(lang, **HELSINKI_WAS)[0]) for lang in LANGS}
    assert len(set(answers.values())) == 3
    for text in answers.values():
        assert "seeds/" not in text and "⚠" not in text


def test_young_and_minor_residents():
    assert give("sv", municipality="Helsinki", age=16)[1] == ["youth_social_work"]
    assert give("sv", municipality="Helsinki", age=15)[1] == ["not_adult"]


def test_other_municipality_gets_its_county():
    messages, routes, _ = give("en", municipality="Tampere", age=40, unemployed=True)
    assert routes == ["own_municipality", "employment_area"]
    assert "pirha.fi" in texts(messages)
