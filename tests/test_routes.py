"""Route engine: every seed rule and its boundaries, ask_next, languages, sources, dates."""
from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from bot.content import load_knowledge
from bot.knowledge_model import Knowledge
from bot.profile import FIELD_ORDER, Profile, ProfileError
from bot.routes import ROUTE_IDS, Advice, decide, evaluate

TODAY = date(2026, 11, 25)
SPRING_2021 = date(2021, 3, 1)
EXPIRED_IDS = {"corona_work_activities_2021", "hakaniemi_popup_shop_2021", "face_mask_recommendation_2021"}
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def advise(kb: Knowledge, language: str = "en", today: date = TODAY, **fields) -> Advice:
    return decide(Profile(**fields), language=language, today=today, knowledge=kb)


def statuses(advice: Advice) -> List[tuple]:
    return [(r.id, r.status) for r in advice.routes]


HELSINKI_BASE = dict(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=False,
                     disability=False, plan="activation_plan", client_of="social_services")

# --------------------------------------------------------------------------- the rule table

CASES = [
    # name, profile fields (over HELSINKI_BASE unless 'fresh'), expected (route, status) in order
    ("social services client (seed 001)", {},
     [("regional_social_work", "applies"), ("duuri", "unconfirmed")]),
    ("TYP client (seed 001)", dict(client_of="typ"),
     [("helsinki_typ", "applies")]),
    ("employment services client (seed 001 + TE reform)", dict(client_of="employment_services"),
     [("te_services", "applies"), ("duuri", "unconfirmed")]),
    ("client of none: all three, regional social work first", dict(client_of="none"),
     [("regional_social_work", "first_step"), ("helsinki_typ", "may_apply"), ("te_services", "may_apply"),
      ("duuri", "unconfirmed")]),
    ("client unknown: all three may apply", dict(client_of=None),
     [("regional_social_work", "may_apply"), ("helsinki_typ", "may_apply"), ("te_services", "may_apply"),
      ("duuri", "unconfirmed")]),
    ("work ability support with social welfare referral (seed 002)",
     dict(health_affects_work_ability=True, referral="social_welfare"),
     [("work_ability_support", "applies"), ("regional_social_work", "applies"), ("duuri", "unconfirmed")]),
    ("work ability support with Criminal Sanctions Agency referral (seed 002)",
     dict(health_affects_work_ability=True, referral="criminal_sanctions", client_of="typ"),
     [("work_ability_support", "applies"), ("helsinki_typ", "applies")]),
    ("no referral: regional social work first step, work ability support may apply",
     dict(health_affects_work_ability=True, referral="none", client_of="typ"),
     [("regional_social_work", "first_step"), ("helsinki_typ", "applies"), ("work_ability_support", "may_apply")]),
    ("referral unknown: work ability support may apply",
     dict(health_affects_work_ability=True, referral=None, client_of="typ"),
     [("helsinki_typ", "applies"), ("work_ability_support", "may_apply")]),
    ("age 18: work ability support applies", dict(age=18, health_affects_work_ability=True, referral="social_welfare"),
     [("work_ability_support", "applies"), ("regional_social_work", "applies"), ("duuri", "unconfirmed")]),
    ("age 63: work ability support applies", dict(age=63, health_affects_work_ability=True, referral="social_welfare"),
     [("work_ability_support", "applies"), ("regional_social_work", "applies"), ("duuri", "unconfirmed")]),
    ("age 64: work ability support excluded", dict(age=64, health_affects_work_ability=True, referral="social_welfare"),
     [("regional_social_work", "applies"), ("duuri", "unconfirmed")]),
    ("age unknown: work ability support only may apply",
     dict(age=None, health_affects_work_ability=True, referral="social_welfare"),
     [("regional_social_work", "applies"), ("work_ability_support", "may_apply"), ("duuri", "unconfirmed")]),
    ("age 17: not adult, nothing else", dict(age=17, health_affects_work_ability=True, referral="social_welfare"),
     [("not_adult", "applies")]),
    ("disability: social rehabilitation team (seed 001)", dict(disability=True, client_of="typ"),
     [("social_rehabilitation_team", "applies"), ("helsinki_typ", "applies")]),
    ("disability at 66: service point is for 18-65", dict(disability=True, age=66, client_of="typ"),
     [("helsinki_typ", "applies"), ("social_rehabilitation_team", "may_apply")]),
    ("not unemployed: regional social work for other support", dict(unemployed=False, health_affects_work_ability=True),
     [("regional_social_work", "may_apply")]),
    ("not unemployed with disability", dict(unemployed=False, disability=True),
     [("social_rehabilitation_team", "applies"), ("regional_social_work", "may_apply")]),
    ("unemployment unknown: routes only may apply", dict(unemployed=None, client_of="typ"),
     [("helsinki_typ", "may_apply")]),
    ("Kempele (seed 004)", dict(municipality="Kempele"),
     [("kempele_service_coordinator", "applies")]),
    ("Kempele not unemployed", dict(municipality="Kempele", unemployed=False),
     [("kempele_service_coordinator", "may_apply")]),
    ("Kempele under 18", dict(municipality="Kempele", age=17),
     [("not_adult", "applies")]),
    ("other municipality", dict(municipality="Espoo"),
     [("own_municipality", "applies")]),
    ("other municipality under 18", dict(municipality="Espoo", age=12),
     [("not_adult", "applies")]),
]


@pytest.mark.parametrize("name, fields, expected", CASES, ids=[c[0] for c in CASES])
def test_rule_table(kb: Knowledge, name: str, fields: Dict, expected: List[tuple]) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, **fields})
    assert statuses(advice) == expected


@pytest.mark.parametrize("age, applies", [(17, False), (18, True), (63, True), (64, False)])
def test_work_ability_support_age_boundaries(kb: Knowledge, age: int, applies: bool) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "age": age, "health_affects_work_ability": True,
                           "referral": "social_welfare"})
    assert ("work_ability_support" in advice.route_ids()) is applies


def test_age_64_says_why_work_ability_support_does_not_apply(kb: Knowledge) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "age": 64, "health_affects_work_ability": True, "referral": "none"})
    excluded = {e.id: e for e in advice.excluded}
    assert "18–63" in excluded["work_ability_support"].reasons[0]
    assert "64" in excluded["work_ability_support"].reasons[0]
    assert "referral" not in advice.ask_next


def test_health_not_affected_excludes_work_ability_support(kb: Knowledge) -> None:
    advice = advise(kb, **HELSINKI_BASE)  # health_affects_work_ability=False
    assert "work_ability_support" not in advice.route_ids()
    excluded = {e.id: e for e in advice.excluded}
    assert "does not affect your work ability" in excluded["work_ability_support"].reasons[0]
    unknown = advise(kb, **{**HELSINKI_BASE, "health_affects_work_ability": None})
    assert "work_ability_support" not in unknown.route_ids() and not unknown.excluded
    assert "health_affects_work_ability" in unknown.ask_next


def test_not_unemployed_explains_rehabilitative_work_is_for_the_unemployed(kb: Knowledge) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "unemployed": False})
    route = advice.route("regional_social_work")
    assert route.status == "may_apply"
    assert "unemployed and partially able-to-work" in route.reasons[0]
    assert "social worker or social instructor" in route.reasons[1]
    assert any(e.id == "work_ability_support" for e in advice.excluded)
    assert "duuri" not in advice.route_ids()


@pytest.mark.parametrize("referral, phrase", [
    ("social_welfare", "social welfare professional"),
    ("criminal_sanctions", "Criminal Sanctions Agency"),
    ("none", "You do not have a referral yet"),
    (None, "needs a referral"),
])
def test_each_referral_kind_names_the_fact(kb: Knowledge, referral: Optional[str], phrase: str) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "health_affects_work_ability": True, "referral": referral})
    assert any(phrase in r for r in advice.route("work_ability_support").reasons)


def test_first_step_reason_for_missing_referral(kb: Knowledge) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "health_affects_work_ability": True, "referral": "none"})
    first = advice.routes[0]
    assert first.id == "regional_social_work" and first.status == "first_step"
    assert first.reasons[0].startswith("First step:")


@pytest.mark.parametrize("plan, phrase", [
    ("activation_plan", "You have an activation plan"),
    ("multisectoral_plan", "You have a multisectoral employment plan"),
    ("none", "is drawn up first"),
    (None, "requires an activation plan or a multisectoral employment plan"),
])
def test_each_plan_kind(kb: Knowledge, plan: Optional[str], phrase: str) -> None:
    helsinki = advise(kb, **{**HELSINKI_BASE, "plan": plan})
    assert any(phrase in r for r in helsinki.route("regional_social_work").reasons)
    kempele = advise(kb, **{**HELSINKI_BASE, "municipality": "Kempele", "plan": plan})
    assert any(phrase in r for r in kempele.route("kempele_service_coordinator").reasons)


@pytest.mark.parametrize("client_of, route_id, phrase", [
    ("social_services", "regional_social_work", "client of social services"),
    ("typ", "helsinki_typ", "client of TYP"),
    ("employment_services", "te_services", "Helsinki Employment Services"),
    ("none", "regional_social_work", "not yet a client"),
    (None, "regional_social_work", "three routes"),
])
def test_each_client_relationship(kb: Knowledge, client_of: Optional[str], route_id: str, phrase: str) -> None:
    advice = advise(kb, **{**HELSINKI_BASE, "client_of": client_of})
    assert advice.routes[0].id == route_id
    assert any(phrase in r for r in advice.routes[0].reasons)


def test_duuri_is_unconfirmed_and_labelled_as_2021(kb: Knowledge) -> None:
    advice = advise(kb, **HELSINKI_BASE)
    duuri = advice.route("duuri")
    assert duuri.status == "unconfirmed" and duuri.certainty == "uncertain"
    assert "20.1.2021" in duuri.reasons[0] and "not been confirmed" in duuri.reasons[0]
    assert all(s.certainty == "uncertain" for s in duuri.sources)
    assert advice.routes[-1].id == "duuri"


def test_typ_route_carries_law_change_and_uncertainty(kb: Knowledge) -> None:
    typ = advise(kb, **{**HELSINKI_BASE, "client_of": "typ"}).route("helsinki_typ")
    assert typ.certainty == "uncertain"
    notes = " ".join(n.text for n in typ.notes)
    assert "381/2023" in notes and "1369/2014" in notes and "were not found" in notes


def test_te_services_route_names_helsinki_employment_services(kb: Knowledge) -> None:
    te = advise(kb, **{**HELSINKI_BASE, "client_of": "employment_services"}).route("te_services")
    phones = {c.phone for c in te.contacts}
    assert {"0295 020 701", "0295 025 505"} <= phones
    assert "Työmarkkinatori" in te.summary and "1.1.2025" in te.summary


def test_kempele_route_contacts(kb: Knowledge) -> None:
    route = advise(kb, **{**HELSINKI_BASE, "municipality": "Kempele"}).route("kempele_service_coordinator")
    by_id = {c.id: c for c in route.contacts}
    assert by_id["kempele_oivi_piekkola"].phone == "040 6126 052"
    assert by_id["kempele_jaana_tolonen"].phone == "044 4972 201"
    assert by_id["kempele_oivi_piekkola"].email_format == "firstname.lastname@kempele.fi"
    assert by_id["kempele_employment_unit"].address == "Voimatie 6 A, 90440 Kempele"
    assert any("Oulu employment area" in n.text for n in route.notes)


def test_other_municipality_names_it_and_offers_fallback_contacts(kb: Knowledge) -> None:
    advice = advise(kb, municipality="Espoo", age=40)
    route = advice.route("own_municipality")
    assert "Espoo" in route.reasons[0] and "only for Helsinki and Kempele" in route.reasons[0]
    assert [c.id for c in route.contacts] == [c.id for c in kb.fallback_contacts("Espoo", TODAY)]


# --------------------------------------------------------------------------- ask_next


@pytest.mark.parametrize("fields, expected", [
    ({}, ["municipality", "age", "unemployed", "health_affects_work_ability", "disability", "plan", "client_of"]),
    (dict(municipality="Helsinki"),
     ["age", "unemployed", "health_affects_work_ability", "disability", "plan", "client_of"]),
    (dict(municipality="Helsinki", health_affects_work_ability=True),
     ["age", "unemployed", "disability", "referral", "plan", "client_of"]),
    (dict(municipality="Helsinki", age=64, health_affects_work_ability=True),
     ["unemployed", "disability", "plan", "client_of"]),
    (dict(municipality="Helsinki", unemployed=False), ["age", "disability"]),
    (dict(municipality="Helsinki", age=17), []),
    (dict(age=17), ["municipality"]),
    (dict(municipality="Kempele"), ["age", "unemployed", "plan"]),
    (dict(municipality="Espoo"), ["age"]),
    (dict(municipality="Espoo", age=30), []),
    ({**HELSINKI_BASE}, []),
])
def test_ask_next_in_natural_order(kb: Knowledge, fields: Dict, expected: List[str]) -> None:
    assert list(advise(kb, **fields).ask_next) == expected
    assert expected == [f for f in FIELD_ORDER if f in expected]


def test_skipped_fields_are_not_asked_and_treated_as_unknown(kb: Knowledge) -> None:
    advice = advise(kb, municipality="Helsinki", skipped=frozenset({"age", "unemployed", "client_of"}))
    assert list(advice.ask_next) == ["health_affects_work_ability", "disability", "plan"]
    assert advice.route("regional_social_work").status == "may_apply"


def test_skipped_municipality_gives_general_route(kb: Knowledge) -> None:
    advice = advise(kb, skipped=frozenset({"municipality"}))
    assert advice.route_ids() == ["own_municipality"]
    assert "did not tell me your home municipality" in advice.routes[0].reasons[0]
    assert "municipality" not in advice.ask_next


def test_unknown_municipality_asks_first(kb: Knowledge) -> None:
    advice = advise(kb)
    assert advice.routes == () and advice.ask_next[0] == "municipality"


# --------------------------------------------------------------------------- profile parsing


@pytest.mark.parametrize("text, canonical, first_route", [
    ("Helsingissä", "Helsinki", "regional_social_work"),
    ("Helsingfors", "Helsinki", "regional_social_work"),
    ("Helsinki", "Helsinki", "regional_social_work"),
    ("Kempeleessä", "Kempele", "kempele_service_coordinator"),
    ("Kempele", "Kempele", "kempele_service_coordinator"),
    ("Espoossa", "Espoo", "own_municipality"),
    ("Esbo", "Espoo", "own_municipality"),
])
def test_municipality_in_any_form(kb: Knowledge, text: str, canonical: str,
                                  first_route: str) -> None:
    profile = Profile.from_mapping({"municipality": text, "age": "45", "unemployed": "yes"})
    assert profile.municipality == canonical
    advice = decide(profile, "fi", TODAY, kb)
    assert advice.routes[0].id == first_route


@pytest.mark.parametrize("raw, value", [
    ("yes", True), ("kyllä", True), ("ja", True), (True, True), ("Kyllä", True), (1, True),
    ("no", False), ("ei", False), ("nej", False), (False, False), (None, None), ("en tiedä", None),
])
def test_loose_booleans(raw, value) -> None:
    assert Profile.from_mapping({"unemployed": raw}).unemployed is value


def test_loose_values() -> None:
    profile = Profile.from_mapping({"age": "45", "referral": "Social-Welfare", "plan": "ei",
                                    "client_of": "employment services", "skipped": "disability, plan"})
    assert profile.age == 45 and profile.referral == "social_welfare"
    assert profile.plan == "none" and profile.client_of == "employment_services"
    assert profile.skipped == frozenset({"disability"})  # an answer given later wins over "skip"


@pytest.mark.parametrize("data, field", [
    ({"age": -1}, "age"), ({"age": 121}, "age"), ({"age": "abc"}, "age"), ({"age": True}, "age"),
    ({"age": 45.5}, "age"), ({"unemployed": "maybe"}, "unemployed"), ({"referral": "doctor"}, "referral"),
    ({"plan": "x"}, "plan"), ({"client_of": "kela"}, "client_of"), ({"shoe_size": 42}, "shoe_size"),
    ({"skipped": ["shoe_size"]}, "skipped"),
])
def test_invalid_values_raise_profile_error(data: Dict, field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        Profile.from_mapping(data)
    assert caught.value.field == field


def test_unknown_municipality_raises() -> None:
    with pytest.raises(ProfileError) as caught:
        Profile.from_mapping({"municipality": "Atlantis"})
    assert caught.value.field == "municipality" and caught.value.value == "Atlantis"


@pytest.mark.parametrize("age", [0, 120])
def test_age_bounds_accepted(age: int) -> None:
    assert Profile.from_mapping({"age": age}).age == age


def test_profile_helpers() -> None:
    profile = Profile(municipality="Helsinki").with_answer("unemployed", "kyllä").skip("age")
    assert profile.unemployed is True and "age" in profile.skipped
    assert profile.missing()[0] == "health_affects_work_ability"
    assert profile.to_dict()["skipped"] == ["age"]


# --------------------------------------------------------------------------- languages, sources


ALL_FIELDS_GRID = [
    dict(municipality=m, age=a, unemployed=u, health_affects_work_ability=h, disability=d, referral=r,
         plan=p, client_of=c)
    for m, a, u, h, d, r, p, c in itertools.product(
        ["Helsinki", "Kempele", "Espoo", None], [None, 17, 40, 64, 70], [None, True, False], [None, True, False],
        [None, True], [None, "none", "social_welfare"], [None, "none"], [None, "typ", "none", "social_services"])
]


def test_every_route_has_sources_with_dates_in_every_branch(kb: Knowledge) -> None:
    seen = set()
    for fields in ALL_FIELDS_GRID[::7]:
        advice = advise(kb, **fields)
        for route in advice.routes:
            seen.add(route.id)
            assert route.status in ("first_step", "applies", "may_apply", "unconfirmed")
            assert route.reasons and route.sources, route.id
            assert all(s.source and s.source_date for s in route.sources)
            for c in route.contacts:
                assert c.sources and all(s.source_date for s in c.sources), c.id
            for n in route.notes:
                assert n.sources, n.id
    assert seen == set(ROUTE_IDS)


def test_three_languages_differ(kb: Knowledge) -> None:
    fields = {**HELSINKI_BASE, "client_of": "none", "health_affects_work_ability": True, "referral": "none"}
    by_language = {lang: advise(kb, lang, **fields) for lang in ("fi", "sv", "en")}
    ids = {lang: a.route_ids() for lang, a in by_language.items()}
    assert ids["fi"] == ids["sv"] == ids["en"]
    for index in range(len(ids["fi"])):
        titles = {a.routes[index].title for a in by_language.values()}
        reasons = {a.routes[index].reasons for a in by_language.values()}
        assert len(titles) == 3 and len(reasons) == 3


def test_unsupported_language(kb: Knowledge) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        decide(Profile(), "de", TODAY, kb)


def test_decide_is_pure(kb: Knowledge) -> None:
    profile = Profile(**HELSINKI_BASE)
    first = decide(profile, "sv", TODAY, kb)
    second = decide(profile, "sv", TODAY, kb)
    assert first == second and first.to_dict() == second.to_dict()
    assert profile == Profile(**HELSINKI_BASE)


def test_to_dict_shape(kb: Knowledge) -> None:
    data = advise(kb, "sv", **HELSINKI_BASE).to_dict()
    assert {"routes", "ask_next", "language"} <= set(data)
    assert data["language"] == "sv"
    route = data["routes"][0]
    assert {"id", "title", "status", "reasons", "contacts", "sources", "notes"} <= set(route)
    assert all({"source", "source_date", "certainty"} <= set(s) for s in route["sources"])


def test_merged_route_keeps_best_status_and_all_reasons(kb: Knowledge) -> None:
    profile = Profile(**{**HELSINKI_BASE, "health_affects_work_ability": True, "referral": "none"})
    hits, _ = evaluate(profile)
    regional = next(h for h in hits if h.route == "regional_social_work")
    assert regional.status == "first_step"
    assert regional.reasons[0] == "reason.first_step_referral"
    assert "reason.client_social_services" in regional.reasons


# --------------------------------------------------------------------------- time


def test_no_expired_item_is_presented_as_current_today(kb: Knowledge) -> None:
    for fields in ALL_FIELDS_GRID[::3]:
        for language in ("fi", "sv", "en"):
            advice = advise(kb, language, TODAY, **fields)
            for route in advice.routes:
                assert not EXPIRED_IDS & {n.id for n in route.notes}, (fields, route.id)
                text = " ".join([route.summary, *route.reasons, *(n.text for n in route.notes)])
                for word in ("Hakaniemi", "Hagnäs", "korona", "corona", "30.4.2021"):
                    assert word not in text, (word, route.id)


def test_corona_notice_was_current_in_spring_2021(kb: Knowledge) -> None:
    advice = advise(kb, "en", SPRING_2021, **HELSINKI_BASE)
    notes = {n.id for n in advice.route("regional_social_work").notes}
    assert "corona_work_activities_2021" in notes
    assert "te_offices_closed_2025" not in notes and "rwa_reform_announced" not in notes
    later = advise(kb, "en", date(2021, 5, 1), **HELSINKI_BASE)
    assert "corona_work_activities_2021" not in {n.id for n in later.route("regional_social_work").notes}


def test_future_notes_are_not_shown_early(kb: Knowledge) -> None:
    te = advise(kb, "en", date(2024, 12, 31), **{**HELSINKI_BASE, "client_of": "typ"}).route("helsinki_typ")
    assert "typ_act_replaced_2025" not in {n.id for n in te.notes}
    te = advise(kb, "en", date(2025, 1, 1), **{**HELSINKI_BASE, "client_of": "typ"}).route("helsinki_typ")
    assert "typ_act_replaced_2025" in {n.id for n in te.notes}


def test_clock_default_and_override(kb: Knowledge, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import clock

    with clock.frozen_today(SPRING_2021):
        assert decide(Profile(**HELSINKI_BASE), knowledge=kb).today == SPRING_2021
    monkeypatch.setenv(clock.ENV_VAR, "2021-03-02")
    assert clock.today() == date(2021, 3, 2)
    monkeypatch.setenv(clock.ENV_VAR, "not a date")
    assert clock.today() == date.today()


def test_ended_service_is_never_offered(tmp_path: Path) -> None:
    import shutil

    import yaml

    from bot import content

    target = tmp_path / "knowledge"
    shutil.copytree(content.KNOWLEDGE_DIR, target)
    path = target / "services.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=content._Loader)
    next(s for s in data["services"] if s["id"] == "helsinki_typ")["valid_until"] = "2025-12-31"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = load_knowledge(target)
    advice = decide(Profile(**{**HELSINKI_BASE, "client_of": "typ"}), "en", TODAY, kb)
    assert "helsinki_typ" not in advice.route_ids()
    assert any(e.id == "helsinki_typ" and "31.12.2025" in e.reasons[0] for e in advice.excluded)


# --------------------------------------------------------------------------- no Rasa


def test_core_modules_do_not_import_rasa() -> None:
    code = (
        "import sys, bot.content, bot.routes, bot.render, bot.profile, bot.clock, bot.knowledge_model\n"
        "bad = sorted(m for m in sys.modules if m == 'rasa' or m.startswith('rasa.') or m.startswith('rasa_sdk'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
