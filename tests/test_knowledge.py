"""The knowledge base: the shipped content, its sources and dated parameters, the checks a
staff edit must pass (each problem named precisely, all at once), and live reloading."""
from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.contract import required
from bot.guidance import asking
from bot.guidance.rules import PARAMETER_IDS, ROUTE_IDS
from bot.knowledge import KNOWLEDGE_DIR, ContentError, areas, get_knowledge, knowledge_status, load_knowledge, loader
from bot.knowledge.formats import PartialDate, email_problem, phone_problem, url_problem
from bot.knowledge.model import Knowledge, Text, has_ended, is_current
from bot.knowledge.numbers import hand_written_numbers
from bot.language.tags import LANGUAGES

TODAY = date(2026, 11, 25)
SEEDS = {
    "seeds/001_6e88fe1cde220e41.txt", "seeds/002_4572eddf78d705cd.txt", "seeds/003_f49bdaf7f1c2abb9.txt",
    "seeds/004_888fed8a2bf1c938.txt",
}
#: Words that must never reach a resident: internal file names and notes without an address.
INTERNAL = re.compile(r"seeds/|knowledge-notes|\.ya?ml\b|\.txt\b|muistiinpanot|anteckningar", re.IGNORECASE)


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def _load_raw(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader._Loader)


def edit(directory: Path, filename: str, change: Callable[[Any], None]) -> None:
    """Apply ``change`` to the parsed YAML of one knowledge file and write it back."""
    path = directory / filename
    data = _load_raw(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def item(data: dict[str, Any], key: str, item_id: str) -> dict[str, Any]:
    return next(i for i in data[key] if i["id"] == item_id)


def contact(data: dict[str, Any], service_id: str, contact_id: str) -> dict[str, Any]:
    return next(c for c in item(data, "services", service_id)["contacts"]
                if isinstance(c, dict) and c["id"] == contact_id)


def errors_of(directory: Path) -> list:
    with pytest.raises(ContentError) as caught:
        load_knowledge(directory)
    return caught.value.errors


def all_texts(kb: Knowledge) -> Iterator[tuple]:
    for s in kb.services.values():
        for name in ("title", "summary", "first_step", "next_steps", "details"):
            if getattr(s, name) is not None:
                yield f"service {s.id}.{name}", getattr(s, name)
        for n in s.notes:
            yield f"note {s.id}/{n.id}", n.text
        for c in s.contacts:
            yield f"contact {c.id}", c.name
    for t in kb.topics.values():
        yield f"topic {t.id}", t.title
        yield f"topic {t.id}", t.body
    for n in kb.notices_by_id.values():
        yield f"notice {n.id}", n.title
        yield f"notice {n.id}", n.text
    for m in kb.messages.values():
        yield f"message {m.id}", m.text


# --------------------------------------------------------------------------- shipped content


def test_shipped_content_validates(kb: Knowledge) -> None:
    assert set(ROUTE_IDS) <= set(kb.services)
    assert set(PARAMETER_IDS) <= set(kb.parameters)
    assert len(kb.topics) >= 25
    assert set(kb.fallback) == {"Helsinki", "Kempele", "other"}
    assert asking.check(kb) == []
    assert areas.check() == []


def test_every_fact_names_a_public_page(kb: Knowledge) -> None:
    for kind, item_id, entry in kb.dated_items():
        assert entry.sources, f"{kind} {item_id} has no source"
    for message in kb.messages.values():
        if message.id.startswith(("reason.", "fact.")):
            assert message.sources, message.id
    for source in kb.sources.values():
        for language in LANGUAGES:
            assert source.url.get(language).startswith(("https://", "http://")), source.id
            assert not INTERNAL.search(source.title.get(language) + source.url.get(language)), source.id
        assert isinstance(source.date, PartialDate)


def test_nothing_a_resident_reads_names_an_internal_file(kb: Knowledge) -> None:
    for where, text in all_texts(kb):
        for language in LANGUAGES:
            assert not INTERNAL.search(text.get(language)), f"{where}.{language}: {text.get(language)}"


def test_seed_pages_are_cited_by_their_public_address(kb: Knowledge) -> None:
    seeded = {s.seed: s for s in kb.sources.values() if s.seed}
    assert set(seeded) == SEEDS
    assert seeded["seeds/002_4572eddf78d705cd.txt"].url.fi == "https://tyollisyys.palvelumanuaali.fi/palvelu/tyokyvyn-tuen-palvelut"
    assert seeded["seeds/002_4572eddf78d705cd.txt"].date.iso() == "2025-07-17"
    assert seeded["seeds/001_6e88fe1cde220e41.txt"].old_site
    seeds_dir = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if seeds_dir.is_dir():  # the shared folder sits beside the repository on project machines
        assert {f"seeds/{p.name}" for p in seeds_dir.glob("*.txt")} >= SEEDS


def test_all_three_languages_present_and_different(kb: Knowledge) -> None:
    for where, text in all_texts(kb):
        assert isinstance(text, Text)
        values = [text.get(lang) for lang in LANGUAGES]
        assert all(v.strip() for v in values), where
        if len(text.fi) >= 25 and not where.startswith("contact"):
            assert len(set(values)) == 3, f"{where}: the three languages should differ: {values}"


def test_no_rule_number_is_typed_by_hand(kb: Knowledge) -> None:
    for where, text in all_texts(kb):
        for language in LANGUAGES:
            assert hand_written_numbers(text.get(language), language) == [], f"{where}.{language}"


@pytest.mark.parametrize("text, language, found", [
    ("saat 9 euroa päivältä", "fi", ["9 euroa"]),
    ("18–63-vuotiaille helsinkiläisille", "fi", ["18–63-vuotiaille"]),
    ("3–24 kuukautta kerrallaan", "fi", ["3–24 kuukautta"]),
    ("4 timmar om dagen", "sv", ["4 timmar"]),
    ("for people aged 18–65", "en", ["aged 18–65"]),
    ("EUR 9 for each day", "en", ["EUR 9"]),
    ("since 1.1.2025 (Act 381/2023), tel. 09 310 11111, Mon–Thu 9–16", "en", []),
    ("{rwa_expense_eur} € päivässä, {age}-vuotias", "fi", []),
])
def test_hand_written_numbers(text: str, language: str, found: list) -> None:
    assert hand_written_numbers(text, language) == found


def test_parameters_are_dated_and_sourced(kb: Knowledge) -> None:
    assert kb.value("rwa_expense_eur", TODAY) == 9
    assert kb.value("work_ability_support_max_age", TODAY) == 63
    assert kb.value("service_point_max_age", TODAY) == 65
    assert kb.parameter("rwa_hours_min").at(TODAY).source.id == "finlex_189_2001"
    assert kb.text("reason.was_over_age", "fi", TODAY) == "Työkyvyn tuen palvelut ovat 18–63-vuotiaille."


@pytest.mark.parametrize("contact_id, phone", [
    ("social_rehabilitation_service_point", "+358 9 310 73392"),
    ("pakila_work_centre_contact", "+358 9 310 69746"),
    ("pohde_kempele_coordinator", "040 569 2287"),
    ("helsinki_info", "09 310 11111"),
    ("unemployment_security_advice_line", "0295 020 701"),
    ("eservice_help_line", "0295 025 505"),
    ("work_ability_assessment", "+358 9 3104 2286"),
])
def test_sourced_phone_numbers(kb: Knowledge, contact_id: str, phone: str) -> None:
    assert kb.contact(contact_id).phone == phone
    assert kb.contact(contact_id).sources


def test_old_and_uncertain_items_are_marked(kb: Knowledge) -> None:
    assert kb.service("duuri").certainty == "historical"  # told only as history
    assert kb.service("helsinki_typ").certainty == "uncertain"
    assert kb.contact("helsinki_info").certainty == "uncertain"  # opening hours from 2020
    assert kb.notice("rwa_reform_announced").certainty == "uncertain"
    # the 2021 address and fax of the social rehabilitation team are not offered as current
    assert "Hopeatie" not in str([c.address for c in kb.contacts.values()])
    # Kempele's own page describes the time before Pohde (2023): its coordinators are history
    note = next(n for n in kb.service("kempele_service_coordinator").notes
                if n.id == "municipal_coordinators_before_2023")
    assert note.certainty == "historical"


def test_expired_items_have_end_dates(kb: Knowledge) -> None:
    assert kb.notice("corona_work_activities_2021").valid_until == date(2021, 4, 30)
    assert kb.topic("corona_arrangements_2021").valid_until == date(2021, 4, 30)
    ended = {item_id for _, item_id, _ in kb.expired(TODAY)}
    assert {"corona_work_activities_2021", "hakaniemi_popup_shop_2021", "face_mask_recommendation_2021",
            "corona_arrangements_2021", "duuri"} <= ended


@pytest.mark.parametrize("day, current", [(date(2021, 4, 30), True), (date(2021, 5, 1), False), (TODAY, False)])
def test_current_boundaries(kb: Knowledge, day: date, current: bool) -> None:
    notice = kb.notice("corona_work_activities_2021")
    assert is_current(notice, day) is current
    assert has_ended(notice, day) is (not current)


def test_fallback_contacts_never_include_the_emergency_number(kb: Knowledge) -> None:
    for municipality in ("Helsinki", "Kempele", "Espoo", None):
        ids = [c.id for c in kb.fallback_contacts(municipality, TODAY)]
        assert ids and "emergency_112" not in ids


def test_contacts_listed_by_id_are_shared(kb: Knowledge) -> None:
    youth = kb.service("youth_social_work")
    assert [c.id for c in youth.contacts] == ["helsinki_social_counselling", "helsinki_info"]
    assert youth.contacts[1] is kb.contact("helsinki_info")


def test_contract_names_what_the_code_uses(kb: Knowledge) -> None:
    contract = required()
    assert "question.age" in contract.messages and "question.disability_pension" in contract.messages
    assert "reason.no_worker" in contract.messages and "button.why" in contract.messages
    assert contract.services == frozenset(ROUTE_IDS)
    assert "refusal" in contract.topics


# --------------------------------------------------------------------------- value formats


@pytest.mark.parametrize("phone", ["+358 9 310 73392", "040 569 2287", "0295 020 701", "09 310 11111", "112"])
def test_valid_phones(phone: str) -> None:
    assert phone_problem(phone) is None


@pytest.mark.parametrize("phone", ["", "040-6126-052x", "12345", "358 9 310 73392", "+46 8 123 456", "09 310"])
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
     lambda d: item(d, "topics", "refusal")["title"].pop("sv"),
     "topics.yml: topic 'refusal': title: missing language sv"),
    ("missing source", "topics.yml",
     lambda d: item(d, "topics", "refusal").pop("source"),
     "topics.yml: topic 'refusal': source: missing"),
    ("unknown source id", "topics.yml",
     lambda d: item(d, "topics", "refusal").update(source=["kela_absence"]),
     "topics.yml: topic 'refusal': source: unknown source id 'kela_absence'"),
    ("source without address", "sources.yml",
     lambda d: item(d, "sources", "thl_plain").pop("url"),
     "sources.yml: source 'thl_plain': url: missing — a source must be a public page"),
    ("source with a file name for an address", "sources.yml",
     lambda d: item(d, "sources", "thl_plain").update(url="seeds/001_6e88fe1cde220e41.txt"),
     "sources.yml: source 'thl_plain': url.fi: 'seeds/001_6e88fe1cde220e41.txt' is not a web address"),
    ("a number typed by hand", "topics.yml",
     lambda d: item(d, "topics", "expense_compensation")["body"].update(fi="Saat 9 euroa päivältä."),
     "topics.yml: topic 'expense_compensation': body.fi: the number '9 euroa' is written by hand"),
    ("unknown placeholder", "messages.yml",
     lambda d: item(d, "messages", "reason.was_over_age").update(
         fi="Palvelut ovat {was_min_age}–{work_ability_support_max_age}-vuotiaille.",
         sv="Stödet är för personer i åldern {was_min_age}–{work_ability_support_max_age} år.",
         en="The services are for people aged {was_min_age}–{work_ability_support_max_age}."),
     "messages.yml: message 'reason.was_over_age': text.fi: unknown placeholder {was_min_age}"),
    ("parameter without source", "parameters.yml",
     lambda d: item(d, "parameters", "rwa_expense_eur")["values"][0].pop("source"),
     "parameters.yml: parameter 'rwa_expense_eur' > values[0]: source: missing"),
    ("parameter value not a number", "parameters.yml",
     lambda d: item(d, "parameters", "rwa_expense_eur")["values"][0].update(value="nine"),
     "parameters.yml: parameter 'rwa_expense_eur' > values[0]: value: 'nine' must be a whole number"),
    ("parameter the rules use deleted", "parameters.yml",
     lambda d: d["parameters"].remove(item(d, "parameters", "service_point_max_age")),
     "parameters.yml: missing parameter 'service_point_max_age': the route rules use it"),
    ("bad phone", "services.yml",
     lambda d: contact(d, "kempele_service_coordinator", "pohde_kempele_coordinator").update(phone="040 56x9 2287"),
     "services.yml: service 'kempele_service_coordinator' > contact 'pohde_kempele_coordinator': "
     "phone: '040 56x9 2287' is not a phone number in Finnish format"),
    ("bad web address", "services.yml",
     lambda d: contact(d, "job_market", "job_market_finland").update(web="tyomarkkinatori.fi"),
     "services.yml: service 'job_market' > contact 'job_market_finland': "
     "web.fi: 'tyomarkkinatori.fi' is not a web address"),
    ("unknown contact listed", "services.yml",
     lambda d: item(d, "services", "youth_social_work").update(contacts=["helsinki_inf"]),
     "services.yml: service 'youth_social_work': contacts: unknown contact id 'helsinki_inf'"),
    ("primary contact not listed", "services.yml",
     lambda d: item(d, "services", "youth_social_work").update(primary_contact="job_market_finland"),
     "services.yml: service 'youth_social_work': "
     "primary_contact: 'job_market_finland' is not one of this service's contacts"),
    ("bad validity date", "notices.yml",
     lambda d: item(d, "notices", "corona_work_activities_2021").update(valid_until="2021-04-31"),
     "notices.yml: notice 'corona_work_activities_2021': valid_until: '2021-04-31' is not an ISO date (YYYY-MM-DD)"),
    ("valid_from after valid_until", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(valid_from="2022-01-01"),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': valid_from 2022-01-01 is after valid_until 2021-12-31"),
    ("unknown service id in applies_to", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(applies_to=["uusix_workshop"]),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': applies_to: unknown service id 'uusix_workshop'"),
    ("unknown fallback contact", "services.yml",
     lambda d: d["fallback_contacts"]["Kempele"].append("kempele_oivi"),
     "services.yml: fallback_contacts: Kempele: unknown contact id 'kempele_oivi'"),
    ("route service deleted", "services.yml",
     lambda d: d["services"].remove(item(d, "services", "duuri")),
     "services.yml: unknown route id 'duuri': the route rules need a service with this id"),
    ("question deleted", "messages.yml",
     lambda d: d["messages"].remove(item(d, "messages", "question.age")),
     "messages.yml: missing message 'question.age': the assistant uses it"),
    ("topic the assistant answers with deleted", "topics.yml",
     lambda d: d["topics"].remove(item(d, "topics", "absences")),
     "topics.yml: missing topic 'absences': the assistant answers with it"),
    ("reason without source", "messages.yml",
     lambda d: item(d, "messages", "reason.client_typ").pop("source"),
     "messages.yml: message 'reason.client_typ': source: missing"),
    ("placeholders differ", "messages.yml",
     lambda d: item(d, "messages", "reason.not_adult").update(sv="Du är ung."),
     "messages.yml: message 'reason.not_adult': text: the languages use different {placeholders}"),
    ("duplicate topic id", "topics.yml",
     lambda d: d["topics"].append(dict(item(d, "topics", "refusal"))),
     "duplicate topic id 'refusal'"),
    ("misspelt field", "notices.yml",
     lambda d: item(d, "notices", "hakaniemi_popup_shop_2021").update(valid_untill="2021-12-31"),
     "notices.yml: notice 'hakaniemi_popup_shop_2021': unknown field 'valid_untill'"),
    ("extra language", "topics.yml",
     lambda d: item(d, "topics", "refusal")["title"].update(de="Muss ich?"),
     "topics.yml: topic 'refusal': title: unknown language key de"),
]


@pytest.mark.parametrize("name, filename, change, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_edit_is_reported_precisely(kb_copy: Path, name: str, filename: str,
                                           change: Callable, expected: str) -> None:
    edit(kb_copy, filename, change)
    errors = errors_of(kb_copy)
    assert any(expected in e for e in errors), f"{expected!r} not in {errors}"


def test_a_source_does_not_stand_in_for_a_missing_route(kb_copy: Path) -> None:
    """Each file's ids count only for that file (sources once counted as services)."""
    edit(kb_copy, "services.yml", lambda d: d["services"].remove(item(d, "services", "duuri")))
    edit(kb_copy, "sources.yml", lambda d: d["sources"].append({**item(d, "sources", "hel_rwa"), "id": "duuri"}))
    errors = errors_of(kb_copy)
    assert any("unknown route id 'duuri'" in e for e in errors), errors


def test_all_errors_are_collected_in_one_report(kb_copy: Path) -> None:
    edit(kb_copy, "topics.yml", lambda d: item(d, "topics", "refusal")["body"].pop("en"))
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "pohde_kempele_coordinator").update(phone="abc"))
    edit(kb_copy, "notices.yml", lambda d: item(d, "notices", "rwa_reform_announced").pop("source"))
    errors = errors_of(kb_copy)
    assert len(errors) == 3, errors
    for fragment in ("topic 'refusal': body: missing language en", "contact 'pohde_kempele_coordinator': phone",
                     "notice 'rwa_reform_announced': source: missing"):
        assert any(fragment in e for e in errors)


def test_yaml_syntax_error_names_the_line(kb_copy: Path) -> None:
    path = kb_copy / "notices.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    assert any(e.startswith("notices.yml: is not valid YAML (line") for e in errors_of(kb_copy))


def test_missing_file_is_reported(kb_copy: Path) -> None:
    (kb_copy / "sources.yml").unlink()
    assert any(e.startswith("sources.yml: file is missing") for e in errors_of(kb_copy))


def test_missing_directory() -> None:
    with pytest.raises(ContentError, match="knowledge directory not found"):
        load_knowledge("/nonexistent/knowledge")


# --------------------------------------------------------------------------- cached reload


def test_reload_picks_up_a_staff_edit(kb_copy: Path) -> None:
    first = get_knowledge(kb_copy)
    assert get_knowledge(kb_copy) is first  # cached while nothing changes
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "pohde_kempele_coordinator").update(phone="040 1234 567"))
    second = get_knowledge(kb_copy)
    assert second is not first
    assert second.contact("pohde_kempele_coordinator").phone == "040 1234 567"
    assert knowledge_status(kb_copy)["last_error"] is None


def test_a_changed_amount_reaches_every_sentence(kb_copy: Path) -> None:
    edit(kb_copy, "parameters.yml", lambda d: item(d, "parameters", "rwa_expense_eur")["values"].append(
        {"since": "2027-01-01", "value": 10, "source": "thl_income"}))
    kb = get_knowledge(kb_copy)
    body = kb.topic("expense_compensation").body.fi
    assert "9 €" in kb.fill(body, date(2026, 12, 31)) and "10 €" in kb.fill(body, date(2027, 1, 1))


def test_broken_reload_keeps_last_good_content(kb_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    good = get_knowledge(kb_copy)
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "pohde_kempele_coordinator").update(phone="not a phone"))
    with caplog.at_level("ERROR", logger="bot.knowledge"):
        served = get_knowledge(kb_copy)
    assert served is good
    status = knowledge_status(kb_copy)
    assert status["loaded"] and "not a phone" in status["last_error"]
    assert any("still serving" in r.getMessage() for r in caplog.records)
    edit(kb_copy, "services.yml",
         lambda d: contact(d, "kempele_service_coordinator", "pohde_kempele_coordinator").update(phone="040 569 2288"))
    assert get_knowledge(kb_copy).contact("pohde_kempele_coordinator").phone == "040 569 2288"
    assert knowledge_status(kb_copy)["last_error"] is None


def test_first_load_of_broken_content_raises(kb_copy: Path) -> None:
    edit(kb_copy, "topics.yml", lambda d: item(d, "topics", "refusal")["title"].pop("fi"))
    with pytest.raises(ContentError, match="missing language fi"):
        get_knowledge(kb_copy)


def test_environment_variable_selects_directory(kb_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loader.ENV_DIR, str(kb_copy))
    assert loader.resolve_path() == kb_copy
    assert load_knowledge().path == kb_copy


def test_every_message_id_the_code_names_is_in_the_contract() -> None:
    """A message id typed in an action or the gateway must be in bot/contract.py, so that
    check-content refuses an edit that deletes it (nothing registers ids at import time)."""
    pattern = re.compile(r'"((?:dialogue|button|answer|question|label|heading|reason|ask|history|date|status)'
                         r'\.[a-z_]+(?:\.[a-z_]+)*)"')
    root = Path(__file__).resolve().parents[1]
    named = {m for path in [*root.glob("actions/*.py"), *root.glob("bot/**/*.py")]
             for m in pattern.findall(path.read_text(encoding="utf-8"))}
    dynamic = {m for m in named if m.endswith(".")}
    assert named - dynamic <= required().messages, sorted(named - dynamic - required().messages)
