"""The route rules and the advice they lead to: pure, dated, in every branch a first step the
resident can take, never another municipality's contacts."""
from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot import clock
from bot.guidance.advice import decide, limits_on, next_questions
from bot.guidance.rules import REASON_IDS, ROUTE_IDS, Limits, evaluate
from bot.knowledge import KNOWLEDGE_DIR, load_knowledge, loader
from bot.knowledge.model import Knowledge
from bot.profile import FIELD_ORDER, Profile, ProfileError

TODAY = date(2026, 11, 25)
ROOT = Path(__file__).resolve().parents[1]
HELSINKI = dict(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=False,
                disability=False, plan="none", client_of="none")


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def advise(kb: Knowledge, **fields):
    return decide(Profile(**fields), TODAY, kb)


def first(kb: Knowledge, **fields) -> str:
    return advise(kb, **fields).routes[0].id


CASES = [
    ("Helsinki, no worker yet -> social guidance", dict(HELSINKI), "regional_social_work", "reason.no_worker"),
    ("Helsinki, 25, no worker -> youth social guidance", {**HELSINKI, "age": 25}, "youth_social_work",
     "reason.youth_no_worker"),
    ("Helsinki, 17 -> youth social guidance", dict(municipality="Helsinki", age=17), "youth_social_work",
     "reason.minor_youth_social_work"),
    ("Helsinki, 15 -> not adult", dict(municipality="Helsinki", age=15), "not_adult", "reason.not_adult"),
    ("Helsinki, employment services client", {**HELSINKI, "client_of": "employment_services"}, "te_services",
     "reason.client_employment_services"),
    ("Helsinki, social services client", {**HELSINKI, "client_of": "social_services"}, "regional_social_work",
     "reason.client_social_services"),
    ("Helsinki, TYP client", {**HELSINKI, "client_of": "typ"}, "helsinki_typ", "reason.client_typ"),
    ("Helsinki, health, referral", {**HELSINKI, "health_affects_work_ability": True, "referral": "social_welfare"},
     "work_ability_support", "reason.was_has_referral"),
    ("Helsinki, disability with pension", {**HELSINKI, "disability": True, "disability_pension": True},
     "social_rehabilitation_team", "reason.service_point_pension"),
    ("Helsinki, not unemployed", {**HELSINKI, "unemployed": False}, "regional_social_work",
     "reason.rwa_for_unemployed"),
    ("Helsinki, 70", {**HELSINKI, "age": 70}, "regional_social_work", "reason.over_working_age"),
    ("Kempele", dict(municipality="Kempele", age=40, unemployed=True), "kempele_service_coordinator",
     "reason.kempele_pohde"),
    ("Kempele, 70", dict(municipality="Kempele", age=70), "other_support", "reason.over_working_age"),
    ("Tampere", dict(municipality="Tampere", age=40, unemployed=True), "own_municipality", "reason.own_county"),
    ("Espoo, working", dict(municipality="Espoo", age=40, unemployed=False), "other_support",
     "reason.rwa_for_unemployed"),
    ("municipality not said", dict(age=40, unemployed=True, skipped=frozenset({"municipality"})),
     "own_municipality", "reason.municipality_not_given"),
]


@pytest.mark.parametrize("name, fields, route, reason", CASES, ids=[c[0] for c in CASES])
def test_first_step_and_why(kb: Knowledge, name: str, fields: dict, route: str, reason: str) -> None:
    advice = advise(kb, **fields)
    assert advice.routes[0].id == route and advice.routes[0].status in ("first_step", "applies")
    assert advice.routes[0].reasons[0] == reason


def test_exactly_one_first_step(kb: Knowledge) -> None:
    advice = advise(kb, **{**HELSINKI, "disability": True, "disability_pension": True,
                           "client_of": "employment_services"})
    assert [r.status for r in advice.routes].count("first_step") == 1
    assert advice.routes[0].id == "social_rehabilitation_team"


@pytest.mark.parametrize("age, applies", [(18, True), (63, True), (64, False)])
def test_work_ability_support_age_limit_is_a_parameter(kb: Knowledge, age: int, applies: bool) -> None:
    advice = advise(kb, **{**HELSINKI, "age": age, "health_affects_work_ability": True, "referral": "none"})
    assert ("work_ability_support" in advice.route_ids()) is applies
    if not applies:
        assert any(e.service.id == "work_ability_support" and e.reasons == ("reason.was_over_age",)
                   for e in advice.excluded)


def test_disability_pension_is_asked_before_the_service_point_is_offered(kb: Knowledge) -> None:
    unknown = advise(kb, **{**HELSINKI, "disability": True})
    assert "disability_pension" in unknown.ask_next
    assert unknown.route("social_rehabilitation_team").status == "may_apply"
    without = advise(kb, **{**HELSINKI, "disability": True, "disability_pension": False})
    assert "social_rehabilitation_team" not in without.route_ids()
    assert any(e.reasons == ("reason.service_point_needs_pension",) for e in without.excluded)


def test_over_working_age_is_told_from_the_law_and_kela(kb: Knowledge) -> None:
    """A 70-year-old is not told that rehabilitative work activity applies to them."""
    for municipality in ("Helsinki", "Kempele", "Oulu"):
        advice = advise(kb, municipality=municipality, age=70)
        assert advice.routes[0].reasons[:2] == ("reason.over_working_age", "reason.other_activities")
        assert not {"kempele_service_coordinator", "te_services", "work_ability_support"} & set(advice.route_ids())
        assert advice.ask_next == ()


def test_duuri_is_never_offered(kb: Knowledge) -> None:
    for fields in GRID:
        assert "duuri" not in advise(kb, **fields).route_ids()


def test_limits_come_from_the_parameters(kb: Knowledge) -> None:
    profile = Profile(**{**HELSINKI, "age": 64, "health_affects_work_ability": True, "referral": "none"})
    values = {pid: kb.value(pid, TODAY) for pid in limits_on(kb, TODAY)._values}
    hits, misses = evaluate(profile, Limits({**values, "work_ability_support_max_age": 65}))
    assert "work_ability_support" in {h.route for h in hits}
    hits, misses = evaluate(profile, limits_on(kb, TODAY))
    assert "work_ability_support" in {m.route for m in misses}
    with pytest.raises(KeyError, match="adult_age"):
        Limits({})


# --------------------------------------------------------------------------- the whole grid

GRID = [
    dict(municipality=m, age=a, unemployed=u, health_affects_work_ability=h, disability=d,
         disability_pension=dp, referral=r, client_of=c)
    for m, a, u, h, d, dp, r, c in itertools.product(
        ("Helsinki", "Kempele", "Tampere", "Maarianhamina", None), (16, 17, 25, 45, 64, 70), (True, False, None),
        (True, False), (True, False), (True, None), ("social_welfare", "none"),
        ("employment_services", "social_services", "typ", "none"))
]


def test_every_profile_gets_a_first_step_with_a_phone_or_an_address(kb: Knowledge) -> None:
    for fields in GRID:
        fields = {k: v for k, v in fields.items() if v is not None}
        if "municipality" not in fields:
            fields["skipped"] = frozenset({"municipality"})
        advice = advise(kb, **fields)
        assert advice.routes, fields
        primary = advice.routes[0].primary
        assert primary is not None and (primary.phone or primary.web), (fields, advice.routes[0].id)


def test_other_municipalities_never_get_helsinki_or_kempele_contacts(kb: Knowledge) -> None:
    local_only = {c.id for s in kb.services.values() if s.municipality in ("Helsinki", "Kempele")
                  for c in s.contacts if c.service_id == s.id}
    for municipality in ("Tampere", "Espoo", "Oulu", "Maarianhamina", "Vaasa"):
        for fields in GRID[:60]:
            advice = advise(kb, **{**fields, "municipality": municipality})
            given = {c.id for r in advice.routes for c in r.contacts} | {c.id for c in advice.fallback_contacts}
            assert not given & local_only, (municipality, given & local_only)


def test_kempele_gets_pohde_and_not_the_pre_2023_coordinators(kb: Knowledge) -> None:
    advice = advise(kb, municipality="Kempele", age=40, unemployed=True)
    assert advice.routes[0].primary.id == "pohde_kempele_coordinator"
    text = str([c.name for r in advice.routes for c in r.contacts])
    assert "Piekkola" not in text and "Tolonen" not in text


def test_other_municipality_names_its_county_and_employment_area(kb: Knowledge) -> None:
    advice = advise(kb, municipality="Tampere", age=40, unemployed=True)
    assert advice.routes[0].primary.name.fi == "Pirkanmaan hyvinvointialue"
    assert advice.route("employment_area").primary.name.fi.startswith("Tampere")


def test_rules_give_only_declared_reasons(kb: Knowledge) -> None:
    limits = limits_on(kb, TODAY)
    for fields in GRID:
        hits, misses = evaluate(Profile(**{k: v for k, v in fields.items() if v is not None}), limits)
        for finding in [*hits, *misses]:
            assert set(finding.reasons) <= set(REASON_IDS), finding
            assert finding.route in ROUTE_IDS


# --------------------------------------------------------------------------- the interview


@pytest.mark.parametrize("fields, expected", [
    ({}, ["municipality"]),
    ({"municipality": "Helsinki"},
     ["age", "unemployed", "health_affects_work_ability", "disability", "plan", "client_of"]),
    ({"municipality": "Helsinki", "age": 45, "unemployed": True, "health_affects_work_ability": True,
      "disability": True}, ["disability_pension", "referral", "plan", "client_of"]),
    ({"municipality": "Helsinki", "age": 45, "unemployed": False}, ["disability"]),
    ({"municipality": "Kempele"}, ["age", "unemployed"]),
    ({"municipality": "Tampere", "age": 17}, []),
    ({"municipality": "Tampere", "age": 70}, []),
])
def test_next_questions_in_natural_order(kb: Knowledge, fields: dict, expected: list[str]) -> None:
    assert next_questions(Profile(**fields), TODAY, kb) == expected


def test_skipped_questions_are_not_asked_again(kb: Knowledge) -> None:
    profile = Profile(municipality="Helsinki", skipped=frozenset({"age", "disability"}))
    asked = next_questions(profile, TODAY, kb)
    assert "age" not in asked and "disability" not in asked


@pytest.mark.parametrize("text, canonical, first_route", [
    ("Helsingissä", "Helsinki", "regional_social_work"), ("Helsingfors", "Helsinki", "regional_social_work"),
    ("Kempeleessä", "Kempele", "kempele_service_coordinator"), ("Tampereella", "Tampere", "own_municipality"),
    ("Esbo", "Espoo", "own_municipality"),
])
def test_municipality_in_any_form(kb: Knowledge, text: str, canonical: str, first_route: str) -> None:
    profile = Profile.from_mapping({"municipality": text, "age": "45", "unemployed": "yes"})
    assert profile.municipality == canonical
    assert decide(profile, TODAY, kb).routes[0].id == first_route


@pytest.mark.parametrize("raw, value", [
    ("yes", True), ("kyllä", True), ("ja", True), (True, True), (1, True),
    ("no", False), ("ei", False), ("nej", False), (False, False), (None, None), ("en tiedä", None),
])
def test_loose_booleans(raw, value) -> None:
    assert Profile.from_mapping({"unemployed": raw}).unemployed is value
    assert Profile.from_mapping({"disability_pension": raw}).disability_pension is value


@pytest.mark.parametrize("data, field", [
    ({"age": -1}, "age"), ({"age": "abc"}, "age"), ({"unemployed": "maybe"}, "unemployed"),
    ({"referral": "doctor"}, "referral"), ({"shoe_size": 42}, "shoe_size"), ({"skipped": ["shoe_size"]}, "skipped"),
])
def test_invalid_values_raise_profile_error(data: dict, field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        Profile.from_mapping(data)
    assert caught.value.field == field


def test_profile_field_order_has_every_field() -> None:
    assert set(FIELD_ORDER) == set(Profile().to_dict()) - {"skipped"}


# --------------------------------------------------------------------------- time and purity


def test_decide_is_pure(kb: Knowledge) -> None:
    profile = Profile(**HELSINKI)
    assert decide(profile, TODAY, kb) == decide(profile, TODAY, kb)


def test_clock_default_and_override(kb: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.frozen_today(date(2027, 1, 1)):
        assert decide(Profile(**HELSINKI), knowledge=kb).today == date(2027, 1, 1)
    monkeypatch.setenv(clock.ENV_VAR, "not a date")
    assert clock.today() == date.today()


def test_ended_service_is_never_offered(tmp_path: Path) -> None:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "services.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader._Loader)
    next(s for s in data["services"] if s["id"] == "helsinki_typ")["valid_until"] = "2025-12-31"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = load_knowledge(target)
    advice = decide(Profile(**{**HELSINKI, "client_of": "typ"}), TODAY, kb)
    assert "helsinki_typ" not in advice.route_ids()
    assert any(e.service.id == "helsinki_typ" and e.label == ("label.service_ended", "31.12.2025")
               for e in advice.excluded)


def test_core_modules_do_not_import_rasa() -> None:
    code = (
        "import sys, bot.knowledge, bot.guidance.advice, bot.guidance.chat, bot.guidance.views, bot.profile\n"
        "bad = sorted(m for m in sys.modules if m == 'rasa' or m.startswith('rasa.') or m.startswith('rasa_sdk'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
