"""Plain-text rendering: readable advice and topics, all wording from messages.yml, history."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot import content
from bot.content import load_knowledge
from bot.knowledge_model import Knowledge
from bot.profile import Profile
from bot.render import render_advice, render_contact_list, render_contacts, render_topic
from bot.routes import ContactAdvice, decide

TODAY = date(2026, 11, 25)
SPRING_2021 = date(2021, 3, 1)
HELSINKI = dict(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                disability=False, referral="none", plan="activation_plan", client_of="none")


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def text(kb: Knowledge, language: str = "en", today: date = TODAY, **fields) -> str:
    advice = decide(Profile(**fields), language, today, kb)
    return render_advice(advice, language, knowledge=kb)


def test_advice_text_has_title_reasons_contacts_sources_and_next_steps(kb: Knowledge) -> None:
    out = text(kb, **{**HELSINKI, "client_of": "employment_services"})
    assert out.startswith("Routes for you:")
    assert "1. Regional social work for adults and young people (Helsinki) – first step" in out
    assert "TE services – now Helsinki Employment Services – applies to you" in out
    for fragment in ("Why:", "Contacts:", "Phone: 0295 020 701", "Sources: seeds/001_6e88fe1cde220e41.txt (dated 25.2.2021)",
                     "What to do next:", "First contact: Regional social work for adults and young people (Helsinki)."):
        assert fragment in out, fragment


def test_route_without_contacts_says_so_and_offers_fallback(kb: Knowledge) -> None:
    out = text(kb, **HELSINKI)
    assert "This guide's sources give no contact details for this service." in out
    assert "If you need help from a person:" in out
    assert "Phone: +358 9 310 73392" in out and "Appointments Tuesdays and Fridays 9.00–11.00" in out


def test_kempele_text_shows_phones_address_and_email_format(kb: Knowledge) -> None:
    out = text(kb, "fi", municipality="Kempele", age=30, unemployed=True, plan="none")
    assert "Oivi Piekkola (Palveluohjaaja)" in out and "Puhelin: 040 6126 052" in out
    assert "Jaana Tolonen (Palveluohjaaja)" in out and "Puhelin: 044 4972 201" in out
    assert ("Sähköposti: oivi.piekkola@kempele.fi (osoite johdettu kunnan ilmoittamasta muodosta "
            "etunimi.sukunimi@kempele.fi)") in out
    assert "Käyntiosoite: Voimatie 6 A, 90440 Kempele" in out
    assert "lähteessä ei päiväystä, kirjattu oppaaseen 25.11.2026" in out  # undated seed 004
    assert "Ensin laaditaan aktivointisuunnitelma" in out


def test_social_rehabilitation_office_details(kb: Knowledge) -> None:
    out = text(kb, "sv", **{**HELSINKI, "disability": True})
    assert "Besöksadress: Hopeatie 6, 2 våningen, 00440 Helsingfors" in out
    assert "Postadress: PB 8647, 00099 Helsingfors stad" in out
    assert "Fax: +358 (0)9 3103 2515" in out


def test_uncertain_items_carry_a_warning(kb: Knowledge) -> None:
    out = text(kb, **HELSINKI)
    duuri = out[out.index("Labour service centre Duuri"):]
    assert "unconfirmed, from an old page" in duuri.splitlines()[0]
    assert "⚠️ Not everything here is confirmed as current." in duuri
    assert "⚠️ uncertain" in duuri


def test_shared_notices_are_printed_once(kb: Knowledge) -> None:
    out = text(kb, **HELSINKI)
    assert out.count("The rules on rehabilitative work activity are changing:") == 1
    assert "Current notices:" in out


def test_ask_next_questions_and_exclusions(kb: Knowledge) -> None:
    out = text(kb, municipality="Helsinki", age=64, health_affects_work_ability=True)
    assert "These do not apply to you:" in out
    assert "Work ability support services (Helsinki): You are 64." in out
    assert "I can make the advice more precise if you tell me:" in out
    assert "   - Are you unemployed?" in out
    assert "referral" not in out.split("I can make the advice")[1]


def test_no_routes_yet(kb: Knowledge) -> None:
    out = text(kb, "fi")
    assert "En voi vielä ehdottaa reittiä." in out
    assert "Missä kunnassa asut?" in out
    assert "Hätänumero" in out and "112" in out


def test_under_18_lists_contacts_without_a_contact_line(kb: Knowledge) -> None:
    out = text(kb, municipality="Espoo", age=16)
    assert "People under 18 – applies to you" in out
    assert "First contact:" not in out
    assert "Phone: 112" in out


@pytest.mark.parametrize("language, heading, why", [("fi", "Sinulle sopivat reitit:", "Miksi:"),
                                                     ("sv", "Vägar som passar dig:", "Varför:"),
                                                     ("en", "Routes for you:", "Why:")])
def test_each_language_uses_its_own_wording(kb: Knowledge, language: str, heading: str, why: str) -> None:
    out = text(kb, language, **HELSINKI)
    assert out.startswith(heading) and why in out


def test_languages_differ(kb: Knowledge) -> None:
    outs = {lang: text(kb, lang, **HELSINKI) for lang in ("fi", "sv", "en")}
    assert len(set(outs.values())) == 3


def test_expired_items_never_rendered_as_current(kb: Knowledge) -> None:
    profiles = [HELSINKI, {**HELSINKI, "disability": True, "client_of": "employment_services"},
                dict(municipality="Kempele", age=30), dict(municipality="Espoo", age=30), {}]
    for fields in profiles:
        for language in ("fi", "sv", "en"):
            out = text(kb, language, TODAY, **fields)
            for word in ("Hakaniemi", "Hagnäs", "korona", "corona", "30.4.2021", "kasvomask", "ansiktsmask"):
                assert word not in out, (word, fields, language)


def test_spring_2021_advice_showed_the_corona_notice(kb: Knowledge) -> None:
    out = text(kb, "en", SPRING_2021, **HELSINKI)
    assert "Work activities during the coronavirus pandemic (spring 2021):" in out


# --------------------------------------------------------------------------- topics


def test_history_topic_says_it_ended(kb: Knowledge) -> None:
    out = render_topic("corona_arrangements_2021", "en", TODAY, knowledge=kb)
    assert out.splitlines()[2] == "History – no longer in force:"
    assert "In spring 2021" in out
    assert "This arrangement ended on 30.4.2021." in out
    assert "Earlier arrangements that have ended:" in out
    assert "Uusix pop-up shop in Hakaniemi market hall (2021)" in out
    assert "This arrangement ended on 31.12.2021." in out
    assert "This comes from an old page (25.2.2021) and is not presented as current." in out  # face mask
    assert "Current notices:" not in out


@pytest.mark.parametrize("language, ended", [("fi", "Tämä järjestely päättyi 30.4.2021."),
                                             ("sv", "Det här arrangemanget upphörde 30.4.2021."),
                                             ("en", "This arrangement ended on 30.4.2021.")])
def test_history_in_each_language(kb: Knowledge, language: str, ended: str) -> None:
    assert ended in render_topic("corona_arrangements_2021", language, TODAY, knowledge=kb)


def test_same_topic_before_it_ended(kb: Knowledge) -> None:
    out = render_topic("corona_arrangements_2021", "en", SPRING_2021, knowledge=kb)
    assert "History" not in out
    assert "ended on 30.4.2021" not in out
    assert "Current notices:" in out and "Hakaniemi market hall" in out


def test_topic_with_related_services_and_notices(kb: Knowledge) -> None:
    out = render_topic("rules_changing", "fi", TODAY, knowledge=kb)
    assert "Ajankohtaista:" in out
    assert "25.11.2025" in out and "19.12.2025" in out and "StVM 27/2025" in out
    out = render_topic("kempele", "sv", TODAY, knowledge=kb)
    assert "Telefon: 040 6126 052" in out and "ungdomarnas startverkstad" in out


def test_rules_changing_is_not_shown_before_it_was_announced(kb: Knowledge) -> None:
    out = render_topic("rules_changing", "en", date(2025, 11, 1), knowledge=kb)
    assert "Current notices:" not in out


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_topic_renders_with_sources(kb: Knowledge, language: str) -> None:
    heading = {"fi": "Lähteet:", "sv": "Källor:", "en": "Sources:"}[language]
    for topic_id in kb.topics:
        out = render_topic(topic_id, language, TODAY, knowledge=kb)
        assert out.startswith(kb.topic(topic_id).title.get(language))
        assert heading in out, topic_id


def test_unknown_topic(kb: Knowledge) -> None:
    with pytest.raises(KeyError, match="no_such_topic"):
        render_topic("no_such_topic", "en", TODAY, knowledge=kb)


def test_wording_comes_from_messages_yml(tmp_path: Path) -> None:
    target = tmp_path / "knowledge"
    shutil.copytree(content.KNOWLEDGE_DIR, target)
    path = target / "messages.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=content._Loader)
    heading = next(m for m in data["messages"] if m["id"] == "heading.why")
    heading["en"] = "Because:"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kb = load_knowledge(target)
    out = render_advice(decide(Profile(**HELSINKI), "en", TODAY, kb), "en", knowledge=kb)
    assert "Because:" in out and "Why:" not in out


def test_contact_renderers(kb: Knowledge) -> None:
    advice = decide(Profile(**{**HELSINKI, "client_of": "employment_services"}), "en", TODAY, kb)
    out = render_contacts(advice.routes, "en", knowledge=kb)
    assert "TE services – now Helsinki Employment Services" in out and "Phone: 0295 025 505" in out
    assert "This guide's sources give no contact details for this service." in out  # regional social work
    fallback = [ContactAdvice.of(c, "sv") for c in kb.fallback_contacts("Kempele", TODAY)]
    out = render_contact_list(fallback, "sv", knowledge=kb)
    assert out.startswith("- Oivi Piekkola (Servicehandledare)") and "Telefon: 112" in out
