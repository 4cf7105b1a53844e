"""What a resident reads: every reply fits on a phone screen, in plain words and the
resident's language, with a first step they can take and sources they can open."""
from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from bot.guidance import chat
from bot.guidance.advice import decide
from bot.knowledge import load_knowledge
from bot.knowledge.model import Knowledge
from bot.language.tags import LANGUAGES
from bot.profile import Profile

TODAY = date(2026, 11, 25)
FIRST_REPLY_WORDS = 100  # "about 90"
INTERNAL = re.compile(r"seeds/|knowledge-notes|\.ya?ml\b|\.txt\b", re.IGNORECASE)
LAW_NUMBER = re.compile(r"\b\d{2,4}/(?:19|20)\d{2}\b|\bHE \d|\bStVM\b|⚠")
CONTACT = re.compile(r"\+?\d[\d ]{6,}\d|https?://\S+")
EMERGENCY = re.compile(r"(?<![\d ])112\b")


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


def profiles():
    for m, a, u, h, d, dp, r, c in itertools.product(
            ("Helsinki", "Kempele", "Tampere", "Maarianhamina", None), (16, 25, 45, 70), (True, False),
            (True, False), (True, False), (True, None), ("social_welfare", "none"),
            ("employment_services", "social_services", "typ", "none")):
        fields = dict(municipality=m, age=a, unemployed=u, health_affects_work_ability=h, disability=d,
                      disability_pension=dp, referral=r, client_of=c)
        fields = {k: v for k, v in fields.items() if v is not None}
        if m is None:
            fields["skipped"] = frozenset({"municipality"})
        yield Profile(**fields)


@pytest.fixture(scope="module")
def advices(kb: Knowledge):
    return [decide(p, TODAY, kb) for p in profiles()]


def plain(reply: chat.Reply, where: str, limit: int = chat.MAX_WORDS) -> None:
    assert reply.words <= limit, f"{where}: {reply.words} words\n{reply.text}"
    assert not INTERNAL.search(reply.text), f"{where}: {reply.text}"
    assert not EMERGENCY.search(reply.text), f"{where}: the emergency number in a non-emergency reply"
    assert reply.text.count("—") <= 1, f"{where}: more than one sentence of uncertainty"


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_reply_is_short_and_gives_a_way_to_take_the_step(kb: Knowledge, advices, language: str) -> None:
    for advice in advices:
        reply = chat.first_reply(advice, language, kb)
        where = f"{advice.profile.to_dict()} {language}"
        plain(reply, where, FIRST_REPLY_WORDS)
        assert CONTACT.search(reply.text), f"{where}: no phone or address\n{reply.text}"
        assert not LAW_NUMBER.search(reply.text), where
        assert [p for _, p in reply.buttons] == [p for _, p in chat.ROUTE_BUTTONS]
        assert reply.answer == "route"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_likely_first_step_is_short_and_names_a_contact(kb: Knowledge, advices, language: str) -> None:
    for advice in advices[::5]:
        reply = chat.provisional_reply(advice, language, kb)
        if advice.first is None:
            assert reply is None
            continue
        where = f"{advice.profile.to_dict()} {language}"
        plain(reply, where, 60)  # the interview's next question follows it
        assert CONTACT.search(reply.text), f"{where}: no phone or address\n{reply.text}"
        assert reply.answer == "route" and reply.extra["provisional"] is True and not reply.buttons


@pytest.mark.parametrize("language", LANGUAGES)
def test_details_on_request_stay_short(kb: Knowledge, advices, language: str) -> None:
    for advice in advices[::3]:
        where = f"{advice.profile.to_dict()} {language}"
        for make in (chat.why_reply, chat.options_reply, chat.next_reply):
            reply = make(advice, language, kb)
            plain(reply, where)
            assert not LAW_NUMBER.search(reply.text), where
        sources = chat.sources_reply(chat.route_sources(advice), language, kb)
        plain(sources, where)


def test_sources_are_pages_with_title_address_and_date_in_the_language(kb: Knowledge) -> None:
    advice = decide(Profile(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                            referral="none", disability=False, client_of="none"), TODAY, kb)
    text = chat.sources_reply(chat.route_sources(advice), "sv", kb).text
    assert text.startswith(kb.text("answer.sources_heading", "sv"))
    assert "Helsingfors stad: Arbetsverksamhet i rehabiliteringssyfte (sidan är odaterad, läst 5.12.2026)" in text
    assert "https://www.hel.fi/sv/social-och-halsovardstjanster/" in text
    assert "(gammal sida, öppnas kanske inte längre)" in text  # the old city site is said to be old
    referred = decide(Profile(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                              referral="social_welfare", disability=False, client_of="none"), TODAY, kb)
    text = chat.sources_reply(chat.route_sources(referred), "sv", kb).text
    assert "Palvelumanuaali" in text and "(uppdaterad 17.7.2025)" in text


def test_helsinki_profile_without_a_worker_gets_a_page_and_a_phone(kb: Knowledge) -> None:
    """The commonest Helsinki profile leaves with a way to take its first step."""
    advice = decide(Profile(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                            referral="none", disability=False, plan="none", client_of="none"), TODAY, kb)
    text = chat.first_reply(advice, "fi", kb).text
    assert "sosiaalineuvonta" in text and "09 310 11111" in text and "https://www.hel.fi/" in text
    assert "Tieto on vuodelta 2020" in text  # Helsinki-info's hours are from a 2020 page


def test_kempele_first_step_is_pohde(kb: Knowledge) -> None:
    text = chat.first_reply(decide(Profile(municipality="Kempele", age=40, unemployed=True), TODAY, kb), "sv", kb).text
    assert "040 569 2287" in text and "Pohde" in text


def test_other_municipality_names_its_county(kb: Knowledge) -> None:
    text = chat.first_reply(decide(Profile(municipality="Tampere", age=40, unemployed=True), TODAY, kb), "sv", kb).text
    assert "Birkalands välfärdsområde" in text or "Pirkanmaa" in text, text
    assert "https://" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_answer_is_short_plain_and_names_whom_to_ask(kb: Knowledge, language: str) -> None:
    for topic_id in kb.topics:
        for municipality in ("Helsinki", "Kempele", "Tampere", None):
            reply = chat.topic_reply(topic_id, language, municipality, TODAY, kb)
            where = f"{topic_id} {municipality} {language}"
            plain(reply, where)
            assert not LAW_NUMBER.search(reply.text), where
            assert reply.answer == topic_id
            if kb.topic(topic_id).ask and municipality:
                assert CONTACT.search(reply.text), f"{where}: no contact\n{reply.text}"


def test_topic_facts_come_from_the_parameters(kb: Knowledge) -> None:
    text = chat.topic_reply("expense_compensation", "fi", "Helsinki", TODAY, kb).text
    assert "9 € jokaiselta" in text and "verotonta" in text
    assert "Kela" in text and "https://www.kela.fi/soita-kelaan" in text
    absences = chat.topic_reply("absences", "en", None, TODAY, kb).text
    assert "longer than 3 days" in absences and "under 10" in absences and "4 days" in absences


def test_ended_topics_are_told_as_history(kb: Knowledge) -> None:
    corona = chat.topic_reply("corona_arrangements_2021", "fi", None, TODAY, kb).text
    assert corona.startswith(kb.text("history.intro", "fi")) and "30.4.2021" in corona
    duuri = chat.topic_reply("duuri", "en", None, TODAY, kb).text
    assert duuri.startswith(kb.text("history.intro", "en"))


@pytest.mark.parametrize("question, language, municipality, expected", [
    ("menetänkö työmarkkinatuen jos en mene", "fi", "Helsinki", "https://www.kela.fi/soita-kelaan"),
    ("onko tämä edes laillista, haluan valittaa", "fi", "Helsinki", "09 3104 3355"),
    ("kan jag klaga på beslutet", "sv", "Tampere", "pirha.fi"),
    # the social ombudsman's name since 2024 (sosiaaliasiavastaava, socialombud)
    ("miten saan yhteyden sosiaaliasiavastaavaan", "fi", "Helsinki", "09 3104 3355"),
    ("hur når jag socialombudet", "sv", "Tampere", "pirha.fi"),
    # dissatisfied with a service: the ombudsman; with Kela's decision: Kela
    ("What should I do if I am dissatisfied with the service?", "en", "Helsinki", "09 3104 3355"),
    ("olen tyytymätön Kelan päätökseen", "fi", "Helsinki", "https://www.kela.fi/soita-kelaan"),
    ("can I do it remotely from home", "en", "Tampere", "pirha.fi"),
    ("can I do it remotely from home", "en", "Helsinki", "https://www.hel.fi/sv/social-och-halsovardstjanster"),
    ("voinko samalla hakea työkokeiluun", "fi", "Oulu", "https://tyomarkkinatori.fi"),  # its area has no address
    # employment questions go to the resident's own employment area when it has an address
    ("voinko samalla hakea työkokeiluun", "fi", "Helsinki", "https://tyollisyyspalvelut.hel.fi"),
    ("voinko samalla hakea työkokeiluun", "fi", None, "https://tyomarkkinatori.fi"),
    # supplementary social assistance is the county's social services, not Kela
    ("miten haen täydentävää toimeentulotukea", "fi", "Tampere", "pirha.fi"),
    # the earnings-related allowance: the resident's own unemployment fund (TYJ lists them)
    ("saanko ansiosidonnaista kassasta työtoiminnan ajalta", "fi", "Tampere", "https://www.tyj.fi"),
    ("does the unemployment fund pay during the activity", "en", None, "http://www.tyj.fi/eng/home/"),
    # unpaid wages: the occupational safety and health authority, not Kela ("pay" is Kela's word)
    ("What if my employer does not pay my salary?", "en", "Helsinki", "https://www.tyosuojelu.fi"),
    ("työnantaja ei ole maksanut palkkaa", "fi", None, "https://www.tyosuojelu.fi"),
    ("min arbetsgivare betalar inte lönen", "sv", "Tampere", "https://www.tyosuojelu.fi"),
    # ... but an employer's wage subsidy is the employment services' matter
    ("miten työnantaja hakee palkkatukea", "fi", None, "https://tyomarkkinatori.fi"),
    # a waiting period ("karenssi") is decided by the employment services, Kela only pays
    ("saanko karenssin jos en hae tarpeeksi työpaikkoja", "fi", None, "https://tyomarkkinatori.fi"),
    ("får jag karens om jag missar mötet", "sv", None, "https://tyomarkkinatori.fi"),
])
def test_honest_unknown_names_the_contact_for_that_kind_of_question(kb: Knowledge, question: str, language: str,
                                                                     municipality: str, expected: str) -> None:
    reply = chat.unknown_reply(question, language, municipality, TODAY, kb)
    assert reply.text.startswith(kb.text("answer.unknown_question", language))
    assert expected in reply.text, reply.text
    plain(reply, question)
    assert reply.answer == "fallback"

@pytest.mark.parametrize("language, question, service", [
    ("fi", "miten haen täydentävää toimeentulotukea", "sosiaalipalvel"),
    ("sv", "hur ansöker jag om kompletterande utkomststöd", "socialservice"),
    ("en", "how do I apply for supplementary social assistance", "social services"),
])
@pytest.mark.parametrize("municipality", [None, "Helsinki", "Tampere"])
def test_a_question_for_the_social_services_names_them(kb: Knowledge, language: str, question: str,
                                                       service: str, municipality: str | None) -> None:
    # Most residents asking about supplementary social assistance, debts or family support
    # have no social instructor of their own: the reply says which service answers, also when
    # the only contact is a service search (no municipality known).
    reply = chat.unknown_reply(question, language, municipality, TODAY, kb)
    assert reply.extra == {"contact": "social_services"}
    assert service in reply.text.casefold(), reply.text



@pytest.mark.parametrize("language, text, told", [
    # venting that asks nothing: no question to "not know" the answer to
    ("fi", "Kymmenen vuotta samaa rumbaa, kurssi kurssin perään ja kuntouttavaa, eikä kukaan palkkaa.", True),
    ("sv", "Ja e så trött på att vara en siffra i statistiken och ingen lyssnar nånsin.", True),
    ("en", "Every meeting it's a new person asking the same questions and nothing ever changes for me.", True),
    # questions, with or without a question mark or a question word, stay questions
    ("fi", "Miten saan ajan terveysasemalle kun puhelimeen ei vastata koskaan", False),
    ("en", "how do I register my child for school in Tampere, we just moved here", False),
    ("sv", "Har Vasa stadsbibliotek öppet på söndagar?", False),
    # a Swedish or English yes/no question without "?": an auxiliary and its subject begin a clause
    ("sv", "Jag får bara utkomststöd, får jag något extra för dagarna jag är där", False),
    ("en", "My kids were sick all week and do I lose the benefit for those days", False),
    ("en", "Is it even legal to make people work for nine euros a day", False),
    # ... but an inversion after "så" or an age after "är" tells
    ("sv", "Så har jag varit sjuk i flera år och ingen bryr sig om mig längre.", True),
    # a short query without a question mark is no statement; a button payload neither
    ("fi", "koulukuljetus nurmijärvi", False),
    ("en", "/ask_why", False),
])
def test_a_message_that_asks_nothing_is_thanked_for_not_told_i_dont_know(kb: Knowledge, language: str, text: str,
                                                                         told: bool) -> None:
    reply = chat.unknown_reply(text, language, None, TODAY, kb)
    lead = "answer.unknown_statement" if told else "answer.unknown_question"
    assert reply.text.startswith(kb.text(lead, language)), reply.text
    assert reply.answer == "fallback" and re.search(r"https?://", reply.text)


@pytest.mark.parametrize("language, question", [
    # compounds and school matters name the municipality's own services
    ("fi", "Mihin aikaan Lahden pääkirjasto on auki lauantaina?"),
    ("sv", "Har Vasa stadsbibliotek öppet på söndagar?"),
    ("fi", "Koulukuljetus lapselle, mistä se haetaan?"),
    ("en", "How do I register my child for school in Tampere?"),
])
def test_a_question_about_the_municipalitys_own_services_names_the_municipality(kb: Knowledge, language: str,
                                                                               question: str) -> None:
    reply = chat.unknown_reply(question, language, None, TODAY, kb)
    assert reply.extra == {"contact": "municipality"}, reply.text


def test_people_to_talk_to_are_local_and_never_the_emergency_number(kb: Knowledge) -> None:
    from bot.guidance.asking import people_for

    for municipality in ("Helsinki", "Kempele", "Tampere", None):
        reply = chat.contacts_reply(people_for(municipality, TODAY, kb), "fi", kb, TODAY)
        plain(reply, str(municipality))
        assert CONTACT.search(reply.text)
    assert "pirha" in chat.contacts_reply(people_for("Tampere", TODAY, kb), "fi", kb, TODAY).text


def test_languages_differ(kb: Knowledge) -> None:
    advice = decide(Profile(municipality="Helsinki", age=45, unemployed=True), TODAY, kb)
    texts = {chat.first_reply(advice, language, kb).text for language in LANGUAGES}
    assert len(texts) == 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_resident_of_another_municipality_does_not_read_what_only_helsinki_does(kb: Knowledge, language: str) -> None:
    with_variant = [t for t in kb.topics.values() if t.body_elsewhere]
    assert len(with_variant) >= 5
    helsinki = re.compile(r"Helsin|Helsingfors", re.IGNORECASE)
    for topic in with_variant:
        assert helsinki.search(topic.body.get(language)), f"{topic.id}: the variant is for a Helsinki-only sentence"
        assert not helsinki.search(topic.body_elsewhere.get(language)), topic.id
        elsewhere = chat.topic_reply(topic.id, language, "Porvoo", TODAY, kb).text
        assert not helsinki.search(elsewhere), f"{topic.id} for Porvoo:\n{elsewhere}"
        assert helsinki.search(chat.topic_reply(topic.id, language, "Helsinki", TODAY, kb).text), topic.id
        assert helsinki.search(chat.topic_reply(topic.id, language, None, TODAY, kb).text), topic.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_for_a_close_person_the_first_reply_says_whom_you_means(kb: Knowledge, advices, language: str) -> None:
    note = kb.text("answer.you_means_them", language)
    for advice in advices[::3]:
        if advice.first is None:
            continue
        mine = chat.first_reply(advice, language, kb)
        theirs = chat.first_reply(advice, language, kb, for_someone_else=True)
        where = f"{advice.profile.to_dict()} {language}"
        assert note not in mine.text and note in theirs.text, where
        assert theirs.text.replace(note + "\n", "") == mine.text, where  # nothing else changes
        plain(theirs, where, FIRST_REPLY_WORDS)
