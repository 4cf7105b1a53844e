"""Unit tests of the guidance answer, in fi/sv/en (the interview: tests/test_actions_interview.py)."""
from __future__ import annotations

import pytest

from actions.guidance import ActionGiveGuidance
from bot import clock
from tests.action_helpers import make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


@pytest.fixture(autouse=True)
def pinned_day():
    with clock.frozen_today(clock.date(2026, 11, 25)) if hasattr(clock, "date") else clock.frozen_today(__import__("datetime").date(2026, 11, 25)):
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
    assert "work_ability_support" in routes
    assert events["routes"] == routes
    assert len([m for m in messages if m.get("text")]) >= 3, "one message per route plus next steps"
    texted = [m for m in messages if m.get("text")]
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
