"""Unit tests of the guidance answer, in fi/sv/en (the interview: tests/test_actions_interview.py)."""
from __future__ import annotations

import pytest

from actions.guidance import ActionGiveGuidance
from bot import clock
from tests.action_helpers import make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


@pytest.fixture(autouse=True)
def pinned_day():
    with (clock.frozen_today(clock.date(2026, 11, 25)) if hasattr(clock, "date")
          else clock.frozen_today(__import__("datetime").date(2026, 11, 25))):
        yield


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


# ------------------------------------------------------------- a fact told after the answer

TAMPERE = dict(municipality="Tampere", age=52, unemployed=True)
GIVEN = [{"event": "action", "name": "action_give_guidance"}]


@pytest.mark.parametrize("language", LANGS)
def test_a_fact_that_changes_nothing_after_the_answer_gets_a_short_note_with_the_contact(language):
    _, routes, _ = give(language, **TAMPERE)
    again, events = run_action(ActionGiveGuidance(), make_tracker(
        language, {**TAMPERE, "health_affects_work_ability": True, "routes": routes}, events=GIVEN))
    first, _ = run_action(ActionGiveGuidance(), make_tracker(language, {**TAMPERE, "routes": routes}))
    note = texts(again)
    assert "pirha.fi" in note                      # the way to take the step is still there
    assert len(note.split()) < len(texts(first).split())
    assert all("feedback_question" not in (m.get("custom") or {}) for m in again)  # asked once already
    assert not slot_events(events).get("routes")


@pytest.mark.parametrize("language", LANGS)
def test_a_fact_that_changes_the_first_step_gets_the_new_answer(language):
    old = ["own_municipality"]
    messages, events = run_action(ActionGiveGuidance(), make_tracker(
        language, {**HELSINKI_WAS, "routes": old}, events=GIVEN))
    assert slot_events(events)["routes"][0] == "work_ability_support"
    assert "+358 9 3104 2286" in texts(messages)


@pytest.mark.parametrize("language", LANGS)
def test_after_a_restart_the_answer_is_given_in_full(language):
    _, routes, _ = give(language, **TAMPERE)
    messages, events = run_action(ActionGiveGuidance(), make_tracker(
        language, {**TAMPERE, "routes": routes}, events=GIVEN + [{"event": "restart"}]))
    assert slot_events(events)["routes"] == routes


# ---------------------------------------------------------------------------- asked again after the answer

def _again(language: str, entities: list, **slots):
    """The guidance action once more after its full answer (the events hold the earlier run)."""
    from bot.guidance.advice import decide
    from bot.profile import Profile

    routes = decide(Profile.from_mapping(slots)).route_ids()
    events = [{"event": "action", "name": "action_give_guidance"}, {"event": "user", "text": "x"}]
    tracker = make_tracker(language, {**slots, "routes": routes}, entities=entities, events=events)
    messages, _ = run_action(ActionGiveGuidance(), tracker)
    return texts(messages)


ESPOO = dict(municipality="Espoo", age=40, unemployed=True)


@pytest.mark.parametrize("language", LANGS)
def test_a_fact_that_changes_nothing_is_noted(language):
    from bot.knowledge import get_knowledge

    said = _again(language, [{"entity": "health_affects_work_ability", "value": "yes"}], **ESPOO)
    assert said.startswith(get_knowledge().text("answer.route_unchanged", language, title="").split(":")[0])


@pytest.mark.parametrize("language", LANGS)
def test_asked_again_without_a_fact_the_step_comes_with_nothing_noted(language):
    # "Vem ska jag ringa för att komma igång?" after the answer had got "Thank you, I have noted that"
    from bot.knowledge import get_knowledge

    kb = get_knowledge()
    said = _again(language, [], **ESPOO)
    assert said.startswith(kb.text("answer.first_step", language, title="").strip())
    assert kb.text("answer.route_unchanged", language, title="").split(":")[0] not in said


@pytest.mark.parametrize("language,note", [("fi", "”Sinä” tarkoittaa"), ("sv", "”Du” betyder"), ("en", "“you” means")])
def test_for_a_close_person_the_answer_says_you_means_them(language, note):
    theirs, _, _ = give(language, **HELSINKI_WAS, for_someone_else=True)
    mine, _, _ = give(language, **HELSINKI_WAS)
    assert note in texts(theirs) and note not in texts(mine)
