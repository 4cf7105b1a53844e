"""Unit tests of the knowledge answers, route details, human contacts, the honest "I don't
know", session, restart and "forget me" actions, in fi/sv/en."""
from __future__ import annotations

from datetime import date

import pytest

from actions.answers import (
    ActionAnswerDetail,
    ActionAnswerTopic,
    ActionAnswerUnknown,
    ActionDefaultFallback,
    ActionHumanContact,
)
from actions.session import ActionForgetMe, ActionRestartGuidance, ActionSessionStart
from bot import clock
from bot.guidance import chat
from bot.guidance.chat import MAX_WORDS, count_words
from bot.guidance.topics import TOPIC_OF_INTENT
from bot.knowledge import get_knowledge
from tests.action_helpers import load_domain, make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")


@pytest.fixture(autouse=True)
def pinned_day():
    with clock.frozen_today(date(2026, 11, 25)):
        yield


def answer(intent: str, language: str, text: str = "", **slots) -> str:
    messages, events = run_action(ActionAnswerTopic(), make_tracker(language, slots, intent=intent, text=text))
    assert [(e["event"], e["name"]) for e in events] == [("slot", "last_answer")]
    assert {m.get("custom", {}).get("answer") for m in messages} - {None} == {events[0]["value"]}
    return texts(messages)


def test_every_question_intent_in_the_domain_has_an_answer():
    intents = {i for i in load_domain()["intents"] if i.startswith("ask_")}
    answered_elsewhere = {"ask_contacts", "ask_privacy", "ask_language", "ask_other", "ask_elsewhere", "ask_why",
                          "ask_other_options", "ask_next_steps", "ask_sources"}
    assert intents - answered_elsewhere == set(TOPIC_OF_INTENT)
    kb = get_knowledge()
    for topic in TOPIC_OF_INTENT.values():
        kb.topic(topic)  # raises for an unknown id


@pytest.mark.parametrize("intent", sorted(TOPIC_OF_INTENT))
def test_topic_answers_in_three_languages_are_short(intent):
    answers = [answer(intent, lang, municipality="Helsinki") for lang in LANGS]
    assert all(answers) and len(set(answers)) == 3
    for text in answers:
        assert count_words(text) <= MAX_WORDS, text
        assert "seeds/" not in text and "⚠" not in text


@pytest.mark.parametrize("language,expected", [("fi", "3–24"), ("sv", "3–24"), ("en", "3–24")])
def test_duration_facts(language, expected):
    assert expected in answer("ask_duration", language)


@pytest.mark.parametrize("language", LANGS)
def test_corona_changes_are_told_as_history(language):
    assert "30.4.2021" in answer("ask_corona", language)


def test_answers_depend_on_the_municipality():
    assert "Pohde" in answer("ask_locations", "fi", municipality="Kempele")
    assert "Uusix" in answer("ask_locations", "fi", municipality="Helsinki")
    assert "sosiaalineuvonta" in answer("ask_how_to_apply", "fi", municipality="Helsinki")
    assert "Kerro, missä kunnassa asut" in answer("ask_how_to_apply", "fi")


@pytest.mark.parametrize("language, text, expected", [
    ("fi", "Järjestetäänkö Kempeleessä kuntouttavaa työtoimintaa?", "Pohde"),
    ("sv", "Finns det arbetsverksamhet i rehabiliteringssyfte i Kempele?", "Pohde"),
    ("fi", "Mitä Kempeleen kunnan kuntouttavassa työtoiminnassa tehdään?", "Pohde"),
    ("en", "Where is it in Tampere?", "pirha.fi"),
])
def test_the_place_a_question_names_decides_the_answer(language, text, expected):
    # a question about a place is not a statement of where one lives (no municipality slot),
    # but "in Kempele" still asks about Kempele, and Tampere must not get Helsinki's centres
    intent = "ask_what_participants_do" if "tehdään" in text else "ask_locations"
    reply = answer(intent, language, text, municipality="Helsinki")
    assert expected in reply
    assert "Uusix" not in reply and "310" not in reply


def test_disability_work_activity_names_helsinkis_team_only_for_helsinki():
    assert "310" in answer("ask_disability_work_activity", "en", municipality="Helsinki")
    elsewhere = answer("ask_disability_work_activity", "en", municipality="Tampere")
    assert "pirha.fi" in elsewhere and "310" not in elsewhere


def test_refusal_is_answered_as_its_own_question_not_as_money():
    text = answer("ask_refusal", "fi", "entä jos kieltäydyn, menetänkö työmarkkinatuen?")
    assert "ilman työttömyysetuutta" in text and "Kela" in text
    assert "9 €" not in text


@pytest.mark.parametrize("language", LANGS)
def test_contacts_before_guidance_give_local_contacts(language):
    assert "09 310 11111" in answer("ask_contacts", language, municipality="Helsinki")
    assert "https://tyomarkkinatori.fi" in answer("ask_contacts", language)


def test_contacts_after_guidance_are_those_of_the_first_step():
    text = answer("ask_contacts", "fi", municipality="Kempele", age=30, unemployed=True,
                  routes=["kempele_service_coordinator"])
    assert "040 569 2287" in text


@pytest.mark.parametrize("language", LANGS)
def test_privacy_answer_names_retention_and_forget_me(language):
    text = answer("ask_privacy", language)
    assert "30" in text
    assert {"fi": "unohda minut", "sv": "glöm mig", "en": "forget me"}[language] in text


@pytest.mark.parametrize("municipality,expected", [("Kempele", "pohde.fi"), ("Helsinki", "09 310 11111"),
                                                   ("Tampere", "pirha.fi"), (None, "https://tyomarkkinatori.fi")])
@pytest.mark.parametrize("language", LANGS)
def test_human_contact_by_municipality(language, municipality, expected):
    messages, _ = run_action(ActionHumanContact(), make_tracker(language, {"municipality": municipality}))
    assert expected in texts(messages) and "112" not in texts(messages)
    where = get_knowledge().text("dialogue.human_contact_where", language)
    payloads = [b["payload"] for b in messages[0].get("buttons") or []]
    if municipality is None:  # asked where the resident lives, with buttons that ask again
        assert where in texts(messages)
        assert payloads == ['/human_contact{"municipality":"Helsinki"}', '/human_contact{"municipality":"Kempele"}']
    else:
        assert where not in texts(messages) and payloads == []


HELSINKI = dict(municipality="Helsinki", age=45, unemployed=True, health_affects_work_ability=True,
                disability=False, referral="none", plan="none", client_of="none",
                routes=["regional_social_work", "work_ability_support"], last_answer="route")


@pytest.mark.parametrize("intent, fragment", [
    ("ask_why", {"fi": "Miksi", "sv": "Varför", "en": "Why"}),
    ("ask_other_options", {"fi": "Muut vaihtoehdot", "sv": "Andra alternativ", "en": "Other options"}),
    ("ask_next_steps", {"fi": "Mitä sitten", "sv": "Vad händer", "en": "What happens next"}),
    ("ask_sources", {"fi": "https://", "sv": "https://", "en": "https://"}),
])
@pytest.mark.parametrize("language", LANGS)
def test_route_details_on_request(intent, fragment, language):
    messages, events = run_action(ActionAnswerDetail(), make_tracker(language, HELSINKI, intent=intent))
    text = texts(messages)
    assert fragment[language] in text and count_words(text) <= MAX_WORDS
    assert slot_events(events) == {"last_answer": "route"}


def test_sources_after_a_topic_are_the_topic_sources():
    messages, _ = run_action(ActionAnswerDetail(),
                             make_tracker("en", {"last_answer": "absences"}, intent="ask_sources"))
    assert "https://www.kela.fi/da/jos-olet-poissa-tyollistymista-edistavasta-palvelusta" in texts(messages)


@pytest.mark.parametrize("language", LANGS)
def test_sources_before_any_answer_are_the_general_ones(language):
    """"Sources" typed in the middle of the interview: the pages about the activity itself."""
    messages, events = run_action(ActionAnswerDetail(), make_tracker(
        language, {"municipality": "Helsinki"}, intent="ask_sources", text="sources"))
    text = texts(messages)
    assert "https://finlex.fi" in text and "thl.fi" in text
    assert get_knowledge().text("answer.unknown_question", language) not in text
    assert count_words(text) <= MAX_WORDS


def test_a_detail_question_before_any_answer_is_answered_honestly():
    """"What happens after the work try-out?" as a first message is not a detail of a route
    answer: the assistant says it does not know, names who does, and offers the interview."""
    messages, events = run_action(ActionAnswerDetail(), make_tracker(
        "en", intent="ask_next_steps", text="What happens after the work try-out?"))
    assert get_knowledge().text("answer.unknown_question", "en") in texts(messages)
    assert "tyomarkkinatori.fi" in texts(messages)
    assert any(b["payload"] == "/start_guidance" for b in messages[0]["buttons"])
    assert slot_events(events) == {"last_answer": "fallback"}


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "voiko kuntouttavaa tehdä etänä", "sosiaalineuvonta"),
    ("en", "will they cut my benefit", "kela.fi"),
])
def test_unknown_question_is_answered_honestly_with_a_contact(language, text, expected):
    messages, events = run_action(ActionAnswerUnknown(),
                                  make_tracker(language, {"municipality": "Helsinki"}, intent="ask_other", text=text))
    assert get_knowledge().text("answer.unknown_question", language) in texts(messages)
    assert expected in texts(messages) and "112" not in texts(messages)
    assert slot_events(events) == {"last_answer": "fallback"}


@pytest.mark.parametrize("language", LANGS)
def test_fallback_admits_it_offers_buttons_and_a_person(language):
    messages, events = run_action(ActionDefaultFallback(), make_tracker(language, intent="nlu_fallback", text="xyz"))
    assert get_knowledge().text("answer.unknown_question", language) in texts(messages)
    assert messages[0]["buttons"] and "112" not in texts(messages)
    assert events[0] == {"event": "rewind", "timestamp": None}
    assert slot_events(events[1:]) == {"last_answer": "fallback"}


@pytest.mark.parametrize("language", LANGS)
def test_restart_forgets_answers_but_keeps_language(language):
    tracker = make_tracker(language, {"municipality": "Helsinki", "age": 45, "skipped": ["plan"],
                                      "for_someone_else": True})
    messages, events = run_action(ActionRestartGuidance(), tracker)
    slots = slot_events(events)
    assert slots["municipality"] is None and slots["age"] is None and slots["skipped"] == []
    assert slots["for_someone_else"] is False  # the questions are about the writer again
    assert "language" not in slots
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert messages[0]["buttons"][0]["payload"] == "/start_guidance"


@pytest.mark.parametrize("language", LANGS)
def test_forget_me_clears_answers_and_marks_the_conversation(language):
    tracker = make_tracker(language, {"municipality": "Helsinki", "age": 45})
    messages, events = run_action(ActionForgetMe(), tracker)
    slots = slot_events(events)
    assert slots["forget_me"] is True and slots["age"] is None
    assert any(m.get("custom") == {"forget_me": True} for m in messages)


@pytest.mark.parametrize("metadata,expected", [({"language": "sv-FI"}, "sv"), ({"language": "en"}, "en")])
def test_session_starts_in_the_page_language_without_speaking(metadata, expected):
    # The privacy notice comes with the reply to the first message, in its language
    # (tests/test_actions_language.py).
    tracker = make_tracker("fi", {"session_started_metadata": metadata})
    messages, events = run_action(ActionSessionStart(), tracker)
    assert events[0]["event"] == "session_started"
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    assert slot_events(events)["language"] == expected
    assert messages == []


def test_first_contact_without_page_language_keeps_the_default_language():
    messages, events = run_action(ActionSessionStart(), make_tracker("fi", {"session_started_metadata": {}}))
    assert messages == []
    assert "language" not in slot_events(events) or slot_events(events)["language"] == "fi"


def test_returning_resident_starts_in_the_earlier_language():
    tracker = make_tracker("sv", {"session_started_metadata": {}}, events=[{"event": "user", "text": "hej"}])
    _, events = run_action(ActionSessionStart(), tracker)
    assert slot_events(events)["language"] == "sv"


def test_session_start_carries_over_the_language_and_answers():
    tracker = make_tracker("sv", {"municipality": "Helsinki"})
    _, events = run_action(ActionSessionStart(), tracker)
    slots = slot_events(events)
    assert slots["language"] == "sv" and slots["municipality"] == "Helsinki"


# ------------------------------------------------------------------ whom to contact, after the answer

def _unsure(slots: dict, ranking: list, active_loop: str | None = None, language: str = "en"):
    from actions.answers import ActionAnswerUnknown

    tracker = make_tracker(language, slots, intent="nlu_fallback", text="who should he contact in Kempele",
                           ranking=[{"name": "nlu_fallback", "confidence": 0.44}, *ranking], active_loop=active_loop)
    messages, _ = run_action(ActionAnswerUnknown(), tracker)
    tags = [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]
    return tags, texts(messages)


KEMPELE_ANSWERED = {"municipality": "Kempele", "age": 44, "unemployed": True, "routes": ["kempele_service_coordinator"]}
HOW_TO_GET_IN = [{"name": "ask_how_to_apply", "confidence": 0.44}, {"name": "ask_contacts", "confidence": 0.38}]


def test_an_unsure_whom_to_contact_after_the_answer_gets_the_contacts():
    tags, said = _unsure(KEMPELE_ANSWERED, HOW_TO_GET_IN)
    assert tags == ["human_contact"]
    assert "Pohde" in said  # the first step's own contact: Kempele's coordinator


@pytest.mark.parametrize("slots,ranking,loop", [
    ({**KEMPELE_ANSWERED, "routes": []}, HOW_TO_GET_IN, None),  # no answer yet
    (KEMPELE_ANSWERED, [{"name": "ask_cost", "confidence": 0.44}], None),  # another question
    (KEMPELE_ANSWERED, [{"name": "ask_how_to_apply", "confidence": 0.2}], None),  # too unsure
    (KEMPELE_ANSWERED, HOW_TO_GET_IN, "guidance_form"),  # in the interview
])
def test_otherwise_the_honest_fallback(slots, ranking, loop):
    assert _unsure(slots, ranking, loop)[0] == ["fallback"]


def _unsure_text(slots: dict, text: str, ranking: list):
    from actions.answers import ActionAnswerUnknown

    tracker = make_tracker("en", slots, intent="nlu_fallback", text=text,
                           ranking=[{"name": "nlu_fallback", "confidence": 0.49}, *ranking])
    messages, _ = run_action(ActionAnswerUnknown(), tracker)
    return [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]


WHAT_THEY_DO = [{"name": "ask_what_participants_do", "confidence": 0.49},
                {"name": "ask_next_steps", "confidence": 0.35}]


@pytest.mark.parametrize("slots", [{"last_answer": "route", "routes": ["own_municipality"]},
                                   {"last_answer": "rehabilitative_work_activity"}])
def test_an_unsure_question_pointing_to_the_activity_after_an_answer_gets_its_topic(slots):
    assert _unsure_text(slots, "what do they do there?", WHAT_THEY_DO) == ["what_participants_do"]


@pytest.mark.parametrize("slots,text", [
    ({}, "what do they do there?"),  # no answer yet: "there" points nowhere
    ({"last_answer": "rehabilitative_work_activity"}, "what do they do at the embassy?"),  # not the activity
])
def test_otherwise_an_unsure_question_gets_the_honest_answer(slots, text):
    assert _unsure_text(slots, text, WHAT_THEY_DO) == ["fallback"]


def _elsewhere(text: str, confidence: float, named_service: str | None = None):
    from actions.answers import ActionAnswerUnknown

    tracker = make_tracker("fi", KEMPELE_ANSWERED, intent="ask_elsewhere", text=text,
                           ranking=[{"name": "ask_elsewhere", "confidence": confidence}, *HOW_TO_GET_IN])
    tracker.latest_message["intent"]["confidence"] = confidence
    if named_service:
        tracker.latest_message["elsewhere"] = named_service
    messages, _ = run_action(ActionAnswerUnknown(), tracker)
    return [m["custom"]["answer"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]


def test_the_classifiers_unsure_elsewhere_after_the_answer_is_doubt_too():
    # "miten se Kempeleessä menee, kehen pitää ottaa yhteyttä?": no other service named
    assert _elsewhere("miten se menee, kehen pitää ottaa yhteyttä?", 0.38) == ["human_contact"]


@pytest.mark.parametrize("text,confidence,named", [
    ("kehen pitää ottaa yhteyttä?", 0.8, None),  # the classifier is sure
    ("kehen pitää ottaa yhteyttä asumistuesta?", 0.38, "housing"),  # another service named (the scope gate)
    ("kehen otan yhteyttä Kelassa työmarkkinatuesta?", 0.38, None),  # a kind of question of asking.yml: Kela
])
def test_an_elsewhere_that_is_sure_or_names_another_service_stays_honest(text, confidence, named):
    assert _elsewhere(text, confidence, named) == ["fallback"]


@pytest.mark.parametrize("language,said", [("fi", "luvan"), ("sv", "lov"), ("en", "permission")])
def test_contacting_for_a_close_person_is_answered_for_any_place_with_its_social_services(language, said):
    # it had been Helsinki's social rehabilitation team's page, whatever the place
    text = answer("ask_contact_for_someone_else", language, municipality="Vantaa", for_someone_else=True)
    assert said in text
    assert "vakehyva.fi" in text and "Sosiaalinen kuntoutus" not in text


def _unknown_after_the_answer(slots: dict, text: str, language: str = "fi"):
    from actions.answers import ActionAnswerUnknown

    tracker = make_tracker(language, slots, intent="ask_other", text=text)
    messages, _ = run_action(ActionAnswerUnknown(), tracker)
    custom = next(m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer"))
    return custom, texts(messages)


def test_a_question_of_no_kind_after_the_answer_goes_to_the_first_steps_contact():
    custom, said = _unknown_after_the_answer(KEMPELE_ANSWERED, "voinko aloittaa jo ensi viikolla?")
    assert custom["answer"] == "fallback" and custom["contact"] == "social_services"
    assert "040 569 2287" in said  # Kempele's coordinator, not the county's general page
    assert get_knowledge().text("ask.first_step", "fi") in said


def test_the_employment_services_route_names_its_kind():
    slots = {"municipality": "Helsinki", "age": 40, "unemployed": True, "health_affects_work_ability": False,
             "disability": False, "plan": "none", "client_of": "employment_services"}
    from actions.tracker_profile import profile_of
    from bot.guidance.advice import decide

    routes = decide(profile_of(make_tracker("en", slots))).route_ids()
    assert routes[0] == "te_services"
    custom, _ = _unknown_after_the_answer({**slots, "routes": routes}, "do I need to speak Finnish there?", "en")
    assert custom["contact"] == "employment_services"


def test_before_the_answer_the_kinds_contact():
    _, said = _unknown_after_the_answer({**KEMPELE_ANSWERED, "routes": []}, "voinko aloittaa jo ensi viikolla?")
    assert get_knowledge().text("ask.first_step", "fi") not in said


def test_a_question_of_a_kind_of_its_own_keeps_that_contact_after_the_answer():
    custom, said = _unknown_after_the_answer(KEMPELE_ANSWERED, "milloin Kela maksaa työmarkkinatuen?")
    assert custom["contact"] == "kela" and "kela.fi" in said


# ------------------------------------------------------------------ "did you mean", under an honest answer

def _fallback_buttons(text: str, ranking: list, language: str = "fi", slots: dict | None = None):
    from actions.answers import ActionAnswerUnknown

    tracker = make_tracker(language, slots or {}, intent="nlu_fallback", text=text,
                           ranking=[{"name": "nlu_fallback", "confidence": 0.43}, *ranking])
    messages, _ = run_action(ActionAnswerUnknown(), tracker)
    with_buttons = next(m for m in messages if m.get("buttons"))
    return [(b["title"], b["payload"]) for b in with_buttons["buttons"]], texts(messages)


AFRAID_OF_LOSING_THE_BENEFIT = ("mua pelottaa et mun työmarkkinatuki katkee jos en jaksa käydä siellä "
                                "kuntouttavassa")
REFUSAL_NEAREST = [{"name": "ask_refusal", "confidence": 0.43}, {"name": "ask_who_is_it_for", "confidence": 0.31},
                   {"name": "ask_cost", "confidence": 0.12}]


def test_an_unsure_question_about_the_activity_offers_the_nearest_topics():
    kb = get_knowledge()
    shown, said = _fallback_buttons(AFRAID_OF_LOSING_THE_BENEFIT, REFUSAL_NEAREST)
    assert shown[:2] == [(kb.topics["refusal"].title.get("fi"), "/ask_refusal"),
                         (kb.topics["who_is_it_for"].title.get("fi"), "/ask_who_is_it_for")]
    assert ("Puhu ihmisen kanssa", "/human_contact") in shown  # a person stays on offer
    assert "/ask_cost" not in [p for _, p in shown]  # too unsure to offer
    assert kb.text("answer.unknown_question", "fi") in said  # still honest
    assert kb.text("answer.did_you_mean", "fi") in said


def test_a_suggested_topic_depends_on_the_municipality():
    kb = get_knowledge()
    shown, _ = _fallback_buttons("miten sinne pääsee jos en ole varma",
                                 [{"name": "ask_how_to_apply", "confidence": 0.4}], slots={"municipality": "Tampere"})
    assert shown[0] == (kb.topics["how_to_apply_elsewhere"].title.get("fi"), "/ask_how_to_apply")


@pytest.mark.parametrize("text,ranking", [
    # another service's matter, nothing of the activity: the contact is the answer
    ("paljonko peruspäiväraha on nykyään?", [{"name": "ask_cost", "confidence": 0.4}]),
    # no topic near enough
    (AFRAID_OF_LOSING_THE_BENEFIT, [{"name": "ask_refusal", "confidence": 0.25}]),
])
def test_no_suggestions_without_a_near_topic_of_the_activity(text, ranking):
    shown, said = _fallback_buttons(text, ranking)
    assert [p for _, p in shown] == [p for _, p in chat.FALLBACK_BUTTONS]
    assert get_knowledge().text("answer.did_you_mean", "fi") not in said
