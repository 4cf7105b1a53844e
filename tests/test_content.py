"""Knowledge base: the shipped content is complete and sourced; broken edits are reported
precisely; a broken reload keeps the last good content; validity dates are respected."""
from __future__ import annotations

import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, Iterator

import pytest
import yaml

import bot.render  # noqa: F401  (registers the message ids the renderer needs)
import bot.routes  # noqa: F401  (registers the route and message ids the engine needs)
from bot import content
from bot.content import KNOWLEDGE_DIR, ContentError, get_knowledge, knowledge_status, load_knowledge
from bot.knowledge_formats import PartialDate, email_problem, phone_problem, url_problem
from bot.knowledge_model import LANGUAGES, Knowledge, Text, has_ended, is_current
from bot.routes import ROUTE_IDS

SEED = {
    "000": "seeds/000_8efb3d9a8ef688fe.txt",
    "001": "seeds/001_6e88fe1cde220e41.txt",
    "002": "seeds/002_4572eddf78d705cd.txt",
    "003": "seeds/003_f49bdaf7f1c2abb9.txt",
    "004": "seeds/004_888fed8a2bf1c938.txt",
}
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def _load_raw(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=content._Loader)


def edit(directory: Path, filename: str, change: Callable[[Any], None]) -> None:
    """Apply ``change`` to the parsed YAML of one knowledge file and write it back."""
    path = directory / filename
    data = _load_raw(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _bump_mtime(path)


def _bump_mtime(path: Path) -> None:
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def item(data: Dict[str, Any], key: str, item_id: str) -> Dict[str, Any]:
    return next(i for i in data[key] if i["id"] == item_id)


def contact(data: Dict[str, Any], service_id: str, contact_id: str) -> Dict[str, Any]:
    return next(c for c in item(data, "services", service_id)["contacts"] if c["id"] == contact_id)


def errors_of(directory: Path) -> list:
    with pytest.raises(ContentError) as caught:
        load_knowledge(directory)
    return caught.value.errors


def all_texts(kb: Knowledge) -> Iterator[tuple]:
    for s in kb.services.values():
        yield f"service {s.id}", s.title
        yield f"service {s.id}", s.summary
        if s.details:
            yield f"service {s.id}", s.details
        for n in s.notes:
            yield f"note {s.id}/{n.id}", n.text
        for c in s.contacts:
            yield f"contact {c.id}", c.name
    for t in kb.topics.values():
        yield f"topic {t.id}", t.title
        yield f"topic {t.id}", t.body
        for n in t.notes:
            yield f"note {t.id}/{n.id}", n.text
    for n in kb.notices_by_id.values():
        yield f"notice {n.id}", n.title
        yield f"notice {n.id}", n.text
    for m in kb.messages.values():
        yield f"message {m.id}", m.text


# --------------------------------------------------------------------------- shipped content


def test_shipped_content_validates(kb: Knowledge) -> None:
    assert set(ROUTE_IDS) <= set(kb.services)
    assert len(kb.topics) >= 15
    assert set(kb.fallback) == {"Helsinki", "Kempele", "other"}


def test_every_dated_item_has_a_source_with_a_date(kb: Knowledge) -> None:
    for kind, item_id, entry in kb.dated_items():
        assert entry.sources, f"{kind} {item_id} has no source"
        for source in entry.sources:
            assert source.source.strip(), f"{kind} {item_id}"
            assert isinstance(source.source_date, PartialDate)


def test_every_route_and_contact_has_source_and_date(kb: Knowledge) -> None:
    for route_id in ROUTE_IDS:
        assert kb.service(route_id).sources
    for c in kb.contacts.values():
        assert c.sources and all(s.source_date for s in c.sources), c.id


def test_fact_messages_have_sources(kb: Knowledge) -> None:
    reasons = [m for m in kb.messages.values() if m.id.startswith("reason.")]
    assert len(reasons) > 20
    for m in reasons:
        assert m.sources, m.id


def test_all_three_languages_present_and_different(kb: Knowledge) -> None:
    for where, text in all_texts(kb):
        assert isinstance(text, Text)
        values = [text.get(lang) for lang in LANGUAGES]
        assert all(v.strip() for v in values), where
        if len(text.fi) >= 25 and not where.startswith("contact"):
            assert len(set(values)) == 3, f"{where}: the three languages should differ: {values}"


def test_seed_sources_are_real_seed_files(kb: Knowledge) -> None:
    used = {s.source for _, _, e in kb.dated_items() for s in e.sources if s.source.startswith("seeds/")}
    assert used == set(SEED.values())
    seeds_dir = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds_dir.is_dir():  # the shared folder sits beside the repository on project machines
        assert {f"seeds/{p.name}" for p in seeds_dir.glob("*.txt")} >= used


def test_seed_dates_are_the_pages_own_dates(kb: Knowledge) -> None:
    dates = {}
    for _, _, entry in kb.dated_items():
        for s in entry.sources:
            if s.source.startswith("seeds/"):
                dates.setdefault(s.source, set()).add((s.source_date.iso(), s.date_kind))
    assert dates[SEED["000"]] == {("2021-01-20", "published")}
    assert dates[SEED["001"]] == {("2021-02-25", "published")}
    assert dates[SEED["002"]] == {("2025-07-17", "updated")}
    assert dates[SEED["003"]] == {("2022-06-01", "updated")}
    # seed 004 has no date: it is cited with the recording date, marked as such
    assert dates[SEED["004"]] == {("2026-11-25", "recorded")}


@pytest.mark.parametrize("contact_id, phone", [
    ("kempele_oivi_piekkola", "040 6126 052"),
    ("kempele_jaana_tolonen", "044 4972 201"),
    ("social_rehabilitation_service_point", "+358 9 310 73392"),
    ("pakila_work_centre_contact", "+358 9 310 69746"),
    ("uusix_workshops_contact", "+358 9 3108 9500"),
    ("unemployment_security_advice_line", "0295 020 701"),
    ("eservice_help_line", "0295 025 505"),
    ("emergency_112", "112"),
])
def test_sourced_phone_numbers(kb: Knowledge, contact_id: str, phone: str) -> None:
    assert kb.contact(contact_id).phone == phone


def test_kempele_email_is_marked_as_derived_from_the_format(kb: Knowledge) -> None:
    oivi = kb.contact("kempele_oivi_piekkola")
    assert oivi.email == "oivi.piekkola@kempele.fi"
    assert oivi.email_format.fi == "etunimi.sukunimi@kempele.fi"
    assert oivi.email_format.en == "firstname.lastname@kempele.fi"
    unit = kb.contact("kempele_employment_unit")
    assert unit.address.fi == "Voimatie 6 A, 90440 Kempele"


def test_social_rehabilitation_team_contact_from_seed_001(kb: Knowledge) -> None:
    office = kb.contact("social_rehabilitation_team_office")
    assert office.address.en == "Hopeatie 6, 2nd floor, 00440 Helsinki"
    assert office.postal_address.en == "PO Box 8647, 00099 City of Helsinki"
    assert office.fax == "+358 (0)9 3103 2515"
    assert office.sources[0].source == SEED["001"]


def test_uncertain_items_are_marked(kb: Knowledge) -> None:
    assert kb.service("duuri").certainty == "uncertain"
    assert kb.service("helsinki_typ").certainty == "uncertain"
    assert kb.notice("he_109_2025_activation_plan").certainty == "uncertain"
    assert kb.notice("rwa_reform_announced").certainty == "uncertain"
    youth = next(n for n in kb.service("regional_social_work").notes if n.id == "youth_age_range_unconfirmed")
    assert youth.certainty == "uncertain"
    assert "16–29" in youth.text.en


def test_expired_items_have_end_dates(kb: Knowledge) -> None:
    assert kb.notice("corona_work_activities_2021").valid_until == date(2021, 4, 30)
    assert kb.notice("hakaniemi_popup_shop_2021").valid_until == date(2021, 12, 31)
    assert kb.topic("corona_arrangements_2021").valid_until == date(2021, 4, 30)
    assert kb.notice("face_mask_recommendation_2021").certainty == "historical"
    ended = {item_id for _, item_id, _ in kb.expired(TODAY)}
    assert {"corona_work_activities_2021", "hakaniemi_popup_shop_2021",
            "face_mask_recommendation_2021", "corona_arrangements_2021"} <= ended


def test_notices_by_date(kb: Knowledge) -> None:
    now = {n.id for n in kb.notices(TODAY)}
    assert "corona_work_activities_2021" not in now
    assert "hakaniemi_popup_shop_2021" not in now
    assert {"rwa_reform_announced", "he_109_2025_activation_plan", "te_offices_closed_2025"} <= now
    spring_2021 = {n.id for n in kb.notices(date(2021, 3, 1))}
    assert {"corona_work_activities_2021", "hakaniemi_popup_shop_2021"} <= spring_2021
    assert "te_offices_closed_2025" not in spring_2021
    assert "face_mask_recommendation_2021" not in spring_2021  # historical: never current
    assert {n.id for n in kb.notices(date(2021, 5, 1))} == {"hakaniemi_popup_shop_2021"}


@pytest.mark.parametrize("day, current", [
    (date(2021, 4, 30), True),   # last valid day
    (date(2021, 5, 1), False),   # the day after
    (date(2026, 11, 25), False),
])
def test_current_boundaries(kb: Knowledge, day: date, current: bool) -> None:
    notice = kb.notice("corona_work_activities_2021")
    assert kb.current(notice, day) is current
    assert is_current(notice, day) is current
    assert has_ended(notice, day) is (not current)


def test_expiring_within_days(kb: Knowledge) -> None:
    soon = {item_id for _, item_id, _ in kb.expiring(date(2021, 3, 15), within_days=60)}
    assert "corona_work_activities_2021" in soon
    assert "hakaniemi_popup_shop_2021" not in soon
    assert kb.expiring(TODAY, within_days=60) == []


def test_fallback_contacts_per_municipality(kb: Knowledge) -> None:
    helsinki = [c.id for c in kb.fallback_contacts("Helsinki", TODAY)]
    kempele = [c.id for c in kb.fallback_contacts("Kempele", TODAY)]
    other = [c.id for c in kb.fallback_contacts("Espoo", TODAY)]
    assert "helsinki_employment_services" in helsinki and "emergency_112" in helsinki
    assert kempele[:2] == ["kempele_oivi_piekkola", "kempele_jaana_tolonen"]
    assert other == [c.id for c in kb.fallback_contacts(None, TODAY)]
    assert "emergency_112" in other


def test_lookup_errors_name_the_id(kb: Knowledge) -> None:
    with pytest.raises(KeyError, match="no_such_service"):
        kb.service("no_such_service")
    with pytest.raises(KeyError, match="no_such_topic"):
        kb.topic("no_such_topic")


# --------------------------------------------------------------------------- value formats


@pytest.mark.parametrize("phone", [
    "+358 9 310 73392", "+358 (0)9 3103 2515", "040 6126 052", "044 4972 201", "0295 020 701",
    "+358 9 3108 9500", "112",
])
def test_valid_phones(phone: str) -> None:
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["", "040-6126-052x", "12345", "358 9 310 73392", "+46 8 123 456",
                                   "040  6126 052", "09 310", "+358 9 310 73392 1234 5678"])
def test_invalid_phones(phone: str) -> None:
    assert phone_problem(phone)


def test_email_and_url_formats() -> None:
    assert email_problem("oivi.piekkola@kempele.fi") is None
    assert email_problem("oivi.piekkola(at)kempele.fi")
    assert url_problem("https://tyollisyyspalvelut.hel.fi/en/current-matters/te2024-reform") is None
    assert url_problem("tyollisyyspalvelut.hel.fi")


@pytest.mark.parametrize("raw, iso, shown", [
    ("2021-02-25", "2021-02-25", "25.2.2021"), ("2020-12", "2020-12", "12/2020"), (2025, "2025", "2025"),
    (date(2025, 7, 17), "2025-07-17", "17.7.2025"),
])
def test_partial_dates(raw: Any, iso: str, shown: str) -> None:
    parsed = PartialDate.parse(raw)
    assert parsed.iso() == iso and parsed.display() == shown


@pytest.mark.parametrize("raw", ["25.2.2021", "2021-13-01", "2021-02-30", "", True, None])
def test_invalid_partial_dates(raw: Any) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(raw)


# --------------------------------------------------------------------------- broken edits

BROKEN = [
    ("missing sv", "topics.yml",
     lambda d: item(d, "topics", "goals")["title"].pop("sv"),
     "topics.yml: topic 'goals': title: missing language sv"),
    ("missing source", "topics.yml",
     lambda d: item(d, "topics", "goals").pop("source"),
     "topics.yml: topic 'goals': source: missing"),
    ("missing source_date", "topics.yml",
     lambda d: item(d, "topics", "goals").pop("source_date"),
     "topics.yml: topic 'goals': source_date: missing"),
    ("bad phone", "services.yml",
     lambda d: contact(d, "kempele_service_coordinator", "kempele_oivi_piekkola").update(phone="040 61x6 052"),
     "services.yml: service 'kempele_service_coordinator' > contact 'kempele_oivi_piekkola': "
     "phone: '040 61x6 052' is not a phone number in Finnish format"),
    ("bad e-mail", "services.yml",
     lambda d: contact(d, "kempele_service_coordinator", "kempele_jaana_tolonen").update(email="jaana.tolonen(at)kempele.fi"),
     "services.yml: service 'kempele_service_coordinator' > contact 'kempele_jaana_tolonen': "
     "email: 'jaana.tolonen(at)kempele.fi' is not an e-mail address"),
    ("bad web address", "services.yml",
     lambda d: contact(d, "te_services", "helsinki_employment_services").update(web="tyollisyyspalvelut.hel.fi"),
     "services.yml: service 'te_services' > contact 'helsinki_employment_services': "
     "web: 'tyollisyyspalvelut.hel.fi' is not a web address"),
    ("bad validity date", "notices.yml",
     lambda d: item(d, "notices", "corona_work_activities_2021").update(valid_until="2021-04-31"),
     "notices.yml: notice 'corona_work_activities_2021': valid_until: '2021-04-31' is not an ISO date (YYYY-MM-DD)"),
    ("bad source date", "topics.yml",
     lambda d: item(d, "topics", "b_statement").update(source_date="17.7.2025"),
     "topics.yml: topic 'b_statement': source_date: '17.7.2025' is not an ISO date"),
    ("valid_from after valid_until", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(valid_from="2022-01-01"),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': valid_from 2022-01-01 is after valid_until 2021-12-31"),
    ("unknown service id in applies_to", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(applies_to=["uusix_workshop"]),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': applies_to: unknown service id 'uusix_workshop'"),
    ("unknown service id in topic", "topics.yml",
     lambda d: item(d, "topics", "kempele").update(related_services=["kempele_coordinator"]),
     "topics.yml: topic 'kempele': related_services: unknown service id 'kempele_coordinator'"),
    ("unknown notice id in topic", "topics.yml",
     lambda d: item(d, "topics", "rules_changing").update(related_notices=["rwa_reform"]),
     "topics.yml: topic 'rules_changing': related_notices: unknown notice id 'rwa_reform'"),
    ("unknown fallback contact", "services.yml",
     lambda d: d["fallback_contacts"]["Kempele"].append("kempele_oivi"),
     "services.yml: fallback_contacts: Kempele: unknown contact id 'kempele_oivi'"),
    ("route service deleted", "services.yml",
     lambda d: d["services"].remove(item(d, "services", "duuri")),
     "services.yml: unknown route id 'duuri': the route engine needs a service with this id"),
    ("duplicate topic id", "topics.yml",
     lambda d: d["topics"].append(dict(item(d, "topics", "goals"))),
     "duplicate topic id 'goals'"),
    ("duplicate contact id", "services.yml",
     lambda d: item(d, "services", "pakila_work_centre")["contacts"].append(
         dict(contact(d, "uusix_workshops", "uusix_workshops_contact"))),
     "duplicate contact id 'uusix_workshops_contact'"),
    ("required message deleted", "messages.yml",
     lambda d: d["messages"].remove(item(d, "messages", "reason.client_typ")),
     "messages.yml: missing message 'reason.client_typ': the assistant uses it"),
    ("reason without source", "messages.yml",
     lambda d: [item(d, "messages", "reason.route_typ").pop(k) for k in ("source", "source_date")],
     "messages.yml: message 'reason.route_typ': source: missing"),
    ("placeholders differ", "messages.yml",
     lambda d: item(d, "messages", "reason.was_over_age").update(sv="Du är vuxen."),
     "messages.yml: message 'reason.was_over_age': the languages use different {placeholders}"),
    ("misspelt field", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(valid_untill="2021-12-31"),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': unknown field 'valid_untill'"),
    ("bad certainty", "services.yml",
     lambda d: item(d, "services", "duuri").update(certainty="maybe"),
     "services.yml: service 'duuri': certainty: 'maybe' is not one of confirmed, uncertain, historical"),
    ("extra language", "topics.yml",
     lambda d: item(d, "topics", "goals")["title"].update(de="Ziele"),
     "topics.yml: topic 'goals': title: unknown language key de"),
    ("missing id", "topics.yml",
     lambda d: item(d, "topics", "goals").pop("id"),
     "topics.yml: topics[1]: id: missing"),
]


@pytest.mark.parametrize("name, filename, change, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_edit_is_reported_precisely(kb_copy: Path, name: str, filename: str,
                                           change: Callable, expected: str) -> None:
    edit(kb_copy, filename, change)
    errors = errors_of(kb_copy)
    assert any(expected in e for e in errors), f"{expected!r} not in {errors}"


def test_all_errors_are_collected_in_one_report(kb_copy: Path) -> None:
    edit(kb_copy, "topics.yml", lambda d: item(d, "topics", "goals")["body"].pop("en"))
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "kempele_oivi_piekkola").update(phone="abc"))
    edit(kb_copy, "notices.yml", lambda d: item(d, "notices", "rwa_reform_announced").pop("source"))
    with pytest.raises(ContentError) as caught:
        load_knowledge(kb_copy)
    errors = caught.value.errors
    assert len(errors) == 3, errors
    message = str(caught.value)
    assert message.startswith("3 problems in the knowledge files:")
    for fragment in ("topic 'goals': body: missing language en", "contact 'kempele_oivi_piekkola': phone",
                     "notice 'rwa_reform_announced': source: missing"):
        assert fragment in message


def test_yaml_syntax_error_names_the_line(kb_copy: Path) -> None:
    path = kb_copy / "notices.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    errors = errors_of(kb_copy)
    assert any(e.startswith("notices.yml: is not valid YAML (line") for e in errors), errors


def test_missing_file_is_reported(kb_copy: Path) -> None:
    (kb_copy / "messages.yml").unlink()
    errors = errors_of(kb_copy)
    assert any(e.startswith("messages.yml: file is missing") for e in errors), errors


def test_missing_directory() -> None:
    with pytest.raises(ContentError, match="knowledge directory not found"):
        load_knowledge("/nonexistent/knowledge")


# --------------------------------------------------------------------------- cached reload


def test_reload_picks_up_a_staff_edit(kb_copy: Path) -> None:
    first = get_knowledge(kb_copy)
    assert get_knowledge(kb_copy) is first  # cached while nothing changes
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "kempele_oivi_piekkola").update(phone="040 1234 567"))
    second = get_knowledge(kb_copy)
    assert second is not first
    assert second.contact("kempele_oivi_piekkola").phone == "040 1234 567"
    assert knowledge_status(kb_copy)["last_error"] is None


def test_broken_reload_keeps_last_good_content(kb_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = get_knowledge(kb_copy)
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "kempele_oivi_piekkola").update(phone="not a phone"))
    with caplog.at_level("ERROR", logger="bot.content"):
        served = get_knowledge(kb_copy)
    assert served is good
    assert served.contact("kempele_oivi_piekkola").phone == "040 6126 052"
    status = knowledge_status(kb_copy)
    assert status["loaded"] and "not a phone" in status["last_error"]
    assert any("still serving" in r.getMessage() for r in caplog.records)
    # fixing the file is picked up again
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "kempele_oivi_piekkola").update(phone="040 6126 053"))
    fixed = get_knowledge(kb_copy)
    assert fixed.contact("kempele_oivi_piekkola").phone == "040 6126 053"
    assert knowledge_status(kb_copy)["last_error"] is None


def test_first_load_of_broken_content_raises(kb_copy: Path) -> None:
    edit(kb_copy, "topics.yml", lambda d: item(d, "topics", "goals")["title"].pop("fi"))
    with pytest.raises(ContentError, match="missing language fi"):
        get_knowledge(kb_copy)


def test_deleted_file_on_reload_keeps_last_good(kb_copy: Path) -> None:
    good = get_knowledge(kb_copy)
    (kb_copy / "topics.yml").unlink()
    assert get_knowledge(kb_copy) is good
    assert "file is missing" in knowledge_status(kb_copy)["last_error"]


def test_environment_variable_selects_directory(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(content.ENV_DIR, str(kb_copy))
    assert content.resolve_path() == kb_copy
    assert load_knowledge().path == kb_copy
