"""Answers read with the question in mind (bot/nlu/question_answers.py), fi/sv/en, as typed."""
from __future__ import annotations

import json
from datetime import date

import pytest

from bot import clock
from bot.guidance.interview import BUTTONS
from bot.knowledge import get_knowledge
from bot.nlu.question_answers import QuestionAnswersError, answer_to, load, parse

CHOICES = [
    ("client_of", "fi", "sossu", "social_services"), ("client_of", "fi", "joo sossu", "social_services"),
    ("client_of", "fi", "TE-toimisto", "employment_services"), ("client_of", "fi", "työkkärin", "employment_services"),
    ("client_of", "fi", "typissä", "typ"), ("client_of", "fi", "ei mikään näistä", "none"),
    ("client_of", "fi", "ei oo kettää viel, sossuun pitäis varata aika", "none"),
    ("client_of", "sv", "socialbyrån", "social_services"), ("client_of", "sv", "ingen av dem", "none"),
    ("client_of", "en", "my social worker", "social_services"),
    ("client_of", "en", "job centre", "employment_services"),
    # with a negation, what a clause without one names ("mut", "men", "but" split clauses)
    ("client_of", "fi", "sossussa käyn mut en TE:ssä", "social_services"),
    ("client_of", "fi", "TE-toimistossa käyn, sossussa en", "employment_services"),
    ("client_of", "sv", "socialen men inte TE-byrån", "social_services"),
    # a "no" first, then every choice named denied
    ("client_of", "fi", "ei vielä, eikä sossua", "none"), ("client_of", "sv", "nej, inte hos socialen", "none"),
    ("client_of", "en", "no, not the TE office", "none"), ("referral", "fi", "ei, sossusta ei oo lähetettä", "none"),
    ("referral", "fi", "lähete sossulta", "social_welfare"), ("referral", "fi", "Rise", "criminal_sanctions"),
    ("referral", "fi", "ei oo mitään", "none"), ("referral", "sv", "från kriminalvården", "criminal_sanctions"),
    ("referral", "en", "probation officer", "criminal_sanctions"),
    ("plan", "fi", "aktivointisuunnitelma", "activation_plan"), ("plan", "fi", "ei oo mitään suunnitelmaa", "none"),
    ("plan", "sv", "aktiveringsplan", "activation_plan"), ("plan", "en", "multi-sectoral one", "multisectoral_plan"),
    ("plan", "en", "neither", "none"),
]

NOT_CHOICES = [
    ("client_of", "fi", "mikä on TYP?"), ("client_of", "fi", "onks typ sama ku te"),
    ("client_of", "en", "Is TYP the same"),
    ("client_of", "fi", "en oo TE:n asiakas"),  # says nothing of the others: the extractor's rules judge it
    ("client_of", "fi", "en sossussa enkä TE:ssä"),  # no clause without a negation names one, no "no" first
    ("client_of", "fi", "sossu ja TE-toimisto"),  # two at once: asked again
    ("client_of", "fi", "olen ollut sossun asiakas jo vuosia ja nyt TE-toimisto lähetti minut tänne"),  # long
    ("plan", "fi", "kerro lisää"), ("referral", "en", ""),
]


@pytest.mark.parametrize("field,language,text,expected", CHOICES)
def test_a_choice_in_the_residents_words(field, language, text, expected):
    assert answer_to(field, text, language) == expected


@pytest.mark.parametrize("field,language,text", NOT_CHOICES)
def test_no_choice_is_read(field, language, text):
    assert answer_to(field, text, language) is None


def test_every_choice_buttons_title_typed_gives_its_value():
    kb = get_knowledge()
    checked = 0
    for field in ("referral", "plan", "client_of"):
        for title_id, payload in BUTTONS[field]:
            if not payload.startswith("/inform"):
                continue
            value = json.loads(payload[len("/inform"):])[field]
            for language in ("fi", "sv", "en"):
                assert answer_to(field, kb.text(title_id, language), language) == value, (title_id, language)
                checked += 1
    assert checked == 3 * (3 + 3 + 4)


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "nelkytviis", 45), ("fi", "kolkytkolme. itiksessä asun", 33),
    ("fi", "kolmekymmentäyksi täytti keväällä", 31),
    ("fi", "viiskytkahdeksan. kohta neljä vuotta ollu ilman töitä", 58), ("fi", "nelkyt viis", 45),
    ("sv", "fyrtiosju", 47), ("sv", "han är femtiofem", 55), ("sv", "femti", 50), ("sv", "tjugotre år", 23),
    ("en", "thirty nine, and unemployed since last spring", 39), ("en", "fifty-six", 56), ("en", "twenty seven", 27),
    ("en", "nineteen", 19),
])
def test_an_age_in_words(language, text, expected):
    assert answer_to("age", text, language) == expected


@pytest.mark.parametrize("language,text", [
    ("fi", "neljä kuukautta"), ("fi", "kaksi"), ("fi", "mikä ikä?"), ("sv", "fem dagar"), ("en", "45"),
    ("en", "why do you need my age"),
])
def test_no_age_in_words(language, text):
    assert answer_to("age", text, language) is None  # digits are the extractor's: "45" is read there


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "joo", True), ("fi", "no joo, puoltoist vuotta", True), ("fi", "kyl se vähän vaikuttaa", True),
    ("fi", "vähän, mulla on uniongelmia", True), ("fi", "en oo, teen osa-aikaa", False), ("fi", "no en", False),
    ("fi", "ei. eikä mitään eläkettä", False),
    ("sv", "ja, jag är anmäld som arbetssökande", True), ("sv", "nej, det var bara en förkylning", False),
    ("sv", "jo nog", True), ("sv", "nä", False),
    ("en", "yes i think so, im registered at the employment services", True),
    ("en", "no, I work two days a week", False),
    ("en", "not really", False), ("en", "kind of", True), ("en", "well yeah", True),
])
def test_yes_or_no_from_the_first_word(language, text, expected):
    assert answer_to("unemployed", text, language) is expected


@pytest.mark.parametrize("language,text", [
    ("fi", "en halua kertoa"), ("fi", "en ymmärrä kysymystä"), ("fi", "ei kai se vaikuta tukeen?"),
    ("fi", "mitä tarkoitat"), ("sv", "vill inte säga"), ("en", "I don't understand"), ("en", "what do you mean"),
    ("en", "work is hard to find"),
])
def test_no_yes_or_no(language, text):
    assert answer_to("health_affects_work_ability", text, language) is None


def test_the_municipality_is_not_read_here():
    assert answer_to("municipality", "sossu", "fi") is None


def test_the_file_loads():
    answers = load()
    assert set(answers.choices) == {"referral", "plan", "client_of"}
    assert list(answers.choices["plan"])[0] == "none"  # "none" is read first


def _file(**sections) -> dict:
    return {"choices": {}, "yes_no": {}, "echo_rest": {}, "echoes": {}, "numbers": {}, "denied_in_passing": {},
            "why_asked": {}, **sections}


@pytest.mark.parametrize("broken,problem", [
    (_file(choices={"age": {}}), "choices.age"),
    (_file(choices={"plan": {"some_plan": {"fi": ["x"]}}}), "choices.plan.some_plan"),
    (_file(yes_no={"fi": {"yes": ["joo"]}}), "yes_no.fi"),
    (_file(echoes={"age": {"yes": {}, "no": {}}}), "echoes.age"),
    (_file(denied_in_passing={"age": {"fi": ["x"]}}), "denied_in_passing.age"),
    ({"choices": {}}, "sections"),
    (_file(why_asked={"fi": ["x"]}), "why_asked"),
])
def test_a_broken_file_names_its_problem(broken, problem):
    with pytest.raises(QuestionAnswersError, match=problem):
        parse(broken)


@pytest.mark.parametrize("text,expected", [
    ("ei, eikä eläkettä", {"disability_pension": False}), ("eläkettä ei oo", {"disability_pension": False}),
    ("no, and no pension either", {"disability_pension": False}),
    ("jag får ingen pension", {"disability_pension": False}),
    # a pension said, not denied: it may be an old-age pension, so the question still comes
    ("saan eläkettä", {}), ("I get a pension", {}),
    # the denial is of the question asked, not of the pension
    ("ei, mut oon kuntoutustuella", {}), ("nej men jag har sjukpension", {}),
])
def test_a_pension_denied_in_passing(text, expected):
    from bot.nlu.question_answers import denied_in_passing

    assert denied_in_passing(text, "disability") == expected


@pytest.mark.parametrize("field,language,text,expected", [
    # Finnish answers a yes/no question with its verb
    ("health_affects_work_ability", "fi", "vaikuttaa", True),
    ("health_affects_work_ability", "fi", "vaikuttaa se vähän", True),
    ("health_affects_work_ability", "fi", "ei vaikuta", False), ("disability", "fi", "tarvitsen", True),
    ("disability", "fi", "en tarvitse", False), ("disability_pension", "fi", "saan", True),
    ("unemployed", "fi", "olen", True), ("unemployed", "fi", "oon työtön", True),
    ("health_affects_work_ability", "sv", "det påverkar inte", False),
    ("health_affects_work_ability", "sv", "påverkar", True),
    ("unemployed", "sv", "jag är det", True), ("health_affects_work_ability", "en", "it does", True),
    ("unemployed", "en", "I'm not", False),
    ("referral", "fi", "on mulla", "social_welfare"), ("plan", "fi", "on tehty", "activation_plan"),
    ("plan", "sv", "har ingen", "none"), ("referral", "en", "I have one", "social_welfare"),
])
def test_the_questions_own_verb_echoed(field, language, text, expected):
    assert answer_to(field, text, language) == expected


@pytest.mark.parametrize("field,language,text", [
    ("unemployed", "fi", "olen opiskelija"),  # "olen" starts other statements too
    ("disability_pension", "fi", "saan työmarkkinatukea"),
    ("client_of", "fi", "on mulla"),  # a yes does not say whose client
    ("client_of", "sv", "har inte"),
])
def test_an_echo_that_goes_on_is_no_answer(field, language, text):
    assert answer_to(field, text, language) is None


@pytest.mark.parametrize("language,text,expected", [
    ("sv", "han har diabetes men det påverkar inte jobbet egentligen", False),
    ("fi", "mulla on diabetes mut ei se vaikuta työhön", False),
    ("en", "I have diabetes but it does not affect my work", False),
])
def test_the_echo_after_a_but_answers(language, text, expected):
    assert answer_to("health_affects_work_ability", text, language) is expected


def test_a_plain_no_after_a_but_may_deny_something_else():
    assert answer_to("unemployed", "teen keikkaa mutta en oo vakituisesti töissä", "fi") is None


@pytest.mark.parametrize("text", ["miks sä kysyt tätä", "Miksi kysyt?", "varför frågar du det",
                                  "why do you need my age?", "why are you asking"])
def test_why_do_you_ask(text):
    from bot.nlu.question_answers import asks_why_asked

    assert asks_why_asked(text)


@pytest.mark.parametrize("text", ["miksi", "mikä on TYP", "why do you need a referral for this?", "varför TYP"])
def test_not_why_do_you_ask(text):
    from bot.nlu.question_answers import asks_why_asked

    assert not asks_why_asked(text)


HEALTH = "health_affects_work_ability"


@pytest.mark.parametrize("language,text", [
    ("fi", "polvet reistailee"), ("fi", "masennus lähinnä"), ("fi", "ahdistaa aika usein"),
    ("sv", "lite, ryggen"), ("sv", "jag mår psykiskt dåligt"), ("en", "anxiety mostly"),
    ("en", "depression and back pain"),
])
def test_a_condition_named_answers_the_health_question(language, text):
    assert answer_to(HEALTH, text, language) is True


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "selkä on kunnossa", None),  # fine: nothing read here
    ("fi", "ei, selkä on ok", False),  # the first word decides
    ("fi", "mikä selkä?", None),  # a question
    ("sv", "ryggen är bra", None), ("sv", "ingen sjukdom", None),  # denied: left to the extractor
    ("en", "if my back gets worse", None),  # a hypothetical
])
def test_a_condition_that_is_fine_denied_or_asked_is_no_yes(language, text, expected):
    assert answer_to(HEALTH, text, language) is expected


def test_a_condition_answers_only_the_health_question():
    assert answer_to("disability", "selkä vähän reistailee", "fi") is None
    assert answer_to("unemployed", "my back is bad", "en") is None


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "synnyin 1985", 41), ("fi", "olen syntynyt 1979", 47), ("fi", "1990", 36),
    ("sv", "jag är född 1978", 48), ("en", "born in 1999", 27),
])
def test_a_year_of_birth_gives_the_age_turned_this_year(language, text, expected):
    with clock.frozen_today(date(2026, 12, 6)):
        assert answer_to("age", text, language) == expected


@pytest.mark.parametrize("language,text", [
    ("fi", "olen ollut työttömänä vuodesta 2010"),  # no birth: a year of something else
    ("fi", "synnyin 12.3.1985"),  # a whole date: more numbers than the year
    ("en", "born in 1985 or 1986"), ("fi", "2022"),  # two years; an age of 4
])
def test_no_age_from_other_years(language, text):
    assert answer_to("age", text, language) is None
