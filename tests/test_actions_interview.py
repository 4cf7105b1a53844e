"""Unit tests of the guidance interview (actions/interview.py), in fi/sv/en: questions in
order, answers in any order, "I don't know", and no question asked more than twice in a row."""
from __future__ import annotations

import re
from datetime import date

import pytest

from actions.interview import MISSES, ValidateGuidanceForm
from actions.questions import AskQuestion
from bot import clock
from bot.guidance.chat import topic_reply
from bot.knowledge import get_knowledge
from bot.profile import FIELD_ORDER
from tests.action_helpers import make_tracker, run_action, slot_events, texts

LANGS = ("fi", "sv", "en")
HELSINKI = {"municipality": "Helsinki"}


def text_of(message_id: str, language: str, **params) -> str:
    return get_knowledge().text(message_id, language, **params)


def validate(slots: dict, new: dict, language: str = "fi", requested: str | None = None, intent: str = "inform",
             text: str = "x", between: tuple = (), ranking: list | None = None, entities: list | None = None):
    """Run the form validation on a message that set the slots ``new`` (as Rasa's slot
    mappings would), with ``between`` = actions run after the message (a side question)."""
    events = ([{"event": "user", "text": text}] + [{"event": "action", "name": a} for a in between]
              + [{"event": "slot", "name": k, "value": v} for k, v in new.items()])
    tracker = make_tracker(language, {**slots, **new, "requested_slot": requested}, intent=intent, text=text,
                           events=events, active_loop="guidance_form", ranking=ranking, entities=entities)
    messages, result = run_action(ValidateGuidanceForm(), tracker)
    return messages, slot_events(result)


def test_first_question_is_the_municipality():
    _, events = validate({}, {})
    assert events["requested_slot"] == "municipality"


@pytest.mark.parametrize(
    "known,expected_next",
    [
        ({"municipality": "Helsinki"}, "age"),
        ({"municipality": "Helsinki", "age": 45}, "unemployed"),
        ({"municipality": "Helsinki", "age": 45, "unemployed": True}, "health_affects_work_ability"),
        ({"municipality": "Kempele"}, "age"),
        ({"municipality": "Espoo", "age": 45}, "unemployed"),  # other municipality: age and unemployment only
        ({"municipality": "Espoo", "age": 45, "unemployed": True}, None),
        ({"municipality": "Helsinki", "age": 15}, None),  # a minor: not_adult, nothing more to ask
    ],
)
def test_asks_only_what_changes_the_answer(known, expected_next):
    _, events = validate(known, {})
    assert events["requested_slot"] == expected_next


@pytest.mark.parametrize("value,expected", [("Helsingissä", "Helsinki"), ("Helsingfors", "Helsinki"),
                                            ("Kempeleessä", "Kempele"), ("Esbo", "Espoo")])
def test_municipality_is_normalised(value, expected):
    _, events = validate({}, {"municipality": value}, requested="municipality")
    assert events["municipality"] == expected


@pytest.mark.parametrize("language,word", [("fi", "En tunnistanut"), ("sv", "Jag kände inte igen"),
                                           ("en", "I did not recognise")])
def test_unknown_municipality_is_explained_in_the_residents_language(language, word):
    messages, events = validate({}, {"municipality": "Atlantis"}, language, requested="municipality")
    assert events["municipality"] is None
    assert word in texts(messages)


@pytest.mark.parametrize("raw,expected", [("45", 45), ("18", 18), (52, 52)])
def test_age_becomes_a_number(raw, expected):
    _, events = validate({"municipality": "Helsinki"}, {"age": raw}, requested="age")
    assert events["age"] == expected


@pytest.mark.parametrize("raw", ["999", "3", "abc", "-5"])
def test_implausible_age_is_rejected_with_a_message(raw):
    messages, events = validate({"municipality": "Helsinki"}, {"age": raw}, "en", requested="age")
    assert events["age"] is None
    assert "age" in texts(messages).lower()


@pytest.mark.parametrize("raw,expected", [("yes", True), ("no", False)])
def test_yes_no_answers_become_booleans(raw, expected):
    _, events = validate({"municipality": "Helsinki", "age": 40}, {"unemployed": raw}, requested="unemployed")
    assert events["unemployed"] is expected


def test_skipped_question_is_never_asked_again():
    base = {"municipality": "Helsinki", "age": 40}
    _, events = validate(base, {"unemployed": "skip"}, requested="unemployed")
    assert events["unemployed"] is None
    assert events["skipped"] == ["unemployed"]
    assert events["requested_slot"] != "unemployed"


def test_answer_after_skip_counts_again():
    base = {"municipality": "Helsinki", "age": 40, "skipped": ["unemployed"]}
    _, events = validate(base, {"unemployed": "yes"})
    assert events["unemployed"] is True
    assert events["skipped"] == []


def test_correction_replaces_the_age():
    base = {"municipality": "Helsinki", "age": 45, "unemployed": True}
    _, events = validate(base, {"age": "64"})
    assert events["age"] == 64


def test_invalid_enum_value_is_dropped():
    _, events = validate({"municipality": "Helsinki", "age": 40}, {"referral": "from_my_cat"})
    assert events["referral"] is None


# ------------------------------------------------------------------ "I don't know"

@pytest.mark.parametrize("language", LANGS)
def test_dont_know_is_unknown_and_never_asked_again(language):
    messages, events = validate(HELSINKI, {"age": "dont_know"}, language, requested="age", intent="dont_know")
    assert events["age"] is None
    assert events["skipped"] == ["age"]
    assert events["requested_slot"] not in (None, "age")
    assert text_of("dialogue.dont_know_ok", language) in texts(messages)


@pytest.mark.parametrize("language,text", [("fi", "en tiiä"), ("sv", "vet inte"), ("en", "dunno")])
def test_dont_know_read_as_no_by_the_classifier_is_still_unknown(language, text):
    # "en tiedä" starts like "en" (no): the deny mapping set "no", the words say "don't know"
    base = {"municipality": "Helsinki", "age": 40}
    messages, events = validate(base, {"unemployed": "no"}, language, requested="unemployed", intent="deny",
                                text=text)
    assert events["unemployed"] is None
    assert events["skipped"] == ["unemployed"]
    assert text_of("dialogue.dont_know_ok", language) in texts(messages)


def test_dont_know_with_nothing_extracted_still_counts():
    messages, events = validate(HELSINKI, {}, "fi", requested="age", intent="nlu_fallback", text="emmä tiiä")
    assert events["skipped"] == ["age"]
    assert events["requested_slot"] == "unemployed"


# ------------------------------------------------------------------ answers to another question

@pytest.mark.parametrize("language", LANGS)
def test_answer_to_another_question_is_taken_and_the_question_asked_again(language):
    messages, events = validate(HELSINKI, {"health_affects_work_ability": "yes"}, language, requested="age",
                                intent="affirm")
    assert events["health_affects_work_ability"] is True
    assert events["requested_slot"] == "age"
    assert events[MISSES] == {"slot": "age", "count": 1}
    assert text_of("dialogue.question_second_time", language, skip="x").split(".")[0] not in texts(messages)


@pytest.mark.parametrize("language", LANGS)
def test_first_answer_not_understood_offers_the_buttons_and_the_way_out(language):
    messages, events = validate(HELSINKI, {}, language, requested="age", intent="deny")
    assert events["requested_slot"] == "age"
    assert events[MISSES] == {"slot": "age", "count": 1}
    skip = text_of("answer.skip", language)
    assert texts(messages) == text_of("dialogue.question_second_time", language, skip=skip)
    assert skip in texts(messages)


@pytest.mark.parametrize("language", LANGS)
def test_second_answer_not_understood_skips_the_question(language):
    messages, events = validate({**HELSINKI, MISSES: {"slot": "age", "count": 1}}, {}, language,
                                requested="age", intent="affirm")
    assert events["age"] is None
    assert events["skipped"] == ["age"]
    assert events[MISSES] is None
    assert events["requested_slot"] == "unemployed", "the interview goes on"
    assert text_of("dialogue.question_skipped", language) in texts(messages)


def test_second_miss_after_another_fact_also_skips():
    known = {**HELSINKI, "unemployed": True, MISSES: {"slot": "age", "count": 1}}
    _, events = validate(known, {"client_of": "social_services"}, "sv", requested="age", intent="inform")
    assert events["client_of"] == "social_services"
    assert events["skipped"] == ["age"]


def test_skipping_the_last_question_leads_to_the_answer():
    known = {"municipality": "Kempele", "age": 30, "unemployed": True, MISSES: {"slot": "plan", "count": 1}}
    _, events = validate(known, {}, "en", requested="plan", intent="nlu_fallback")
    assert events["skipped"] == ["plan"]
    assert events["requested_slot"] is None


def test_a_miss_on_another_question_does_not_count():
    _, events = validate({**HELSINKI, MISSES: {"slot": "municipality", "count": 1}}, {}, "fi", requested="age",
                         intent="deny")
    assert events[MISSES] == {"slot": "age", "count": 1}
    assert "skipped" not in events


def test_an_answer_clears_the_count():
    _, events = validate({**HELSINKI, MISSES: {"slot": "age", "count": 1}}, {"age": "45"}, "fi", requested="age")
    assert events["age"] == 45
    assert events[MISSES] is None


def test_invalid_age_says_why_and_counts_without_a_second_message():
    messages, events = validate(HELSINKI, {"age": "999"}, "en", requested="age")
    assert events[MISSES] == {"slot": "age", "count": 1}
    assert texts(messages) == text_of("dialogue.invalid_age", "en")


@pytest.mark.parametrize("intent", ["greet", "thanks", "ask_duration", "human_contact"])
def test_no_answer_at_all_is_left_to_the_rules(intent):
    # only requested_slot comes back, so Rasa's form rejects the message and a rule answers it
    messages, events = validate(HELSINKI, {}, "fi", requested="age", intent=intent)
    assert set(events) == {"requested_slot"} and not messages


def test_coming_back_after_a_side_question_counts_nothing():
    _, events = validate({**HELSINKI, MISSES: {"slot": "age", "count": 1}}, {}, "fi", requested="age",
                         intent="inform", between=("action_answer_topic",))
    assert set(events) == {"requested_slot"}
    assert events["requested_slot"] == "age"


# ------------------------------------------------------------------ answers read with the question in mind

KNOWN_TO_CLIENT_OF = {"municipality": "Helsinki", "age": 30, "unemployed": True, "health_affects_work_ability": True,
                      "disability": False, "referral": "none", "plan": "none"}


@pytest.mark.parametrize("language,text,intent,expected", [
    # the classifier took these for questions about a service (a rule would have answered them
    # and asked again, as often as the resident answered so)
    ("fi", "sossu", "ask_elsewhere", "social_services"),
    ("sv", "socialen", "ask_elsewhere", "social_services"),
    ("en", "social worker", "ask_elsewhere", "social_services"),
    ("fi", "TYP", "ask_typ", "typ"),
    ("fi", "työkkäri", "ask_te_services", "employment_services"),
    ("en", "none of these", "skip", "none"),
])
def test_a_choice_named_in_a_word_answers_the_question_asked(language, text, intent, expected):
    messages, events = validate(KNOWN_TO_CLIENT_OF, {}, language, requested="client_of", intent=intent, text=text)
    assert events["client_of"] == expected
    assert events.get(MISSES) is None


@pytest.mark.parametrize("language,text,age", [
    ("fi", "nelkytviis", 45), ("fi", "viiskytkahdeksan. kohta neljä vuotta ilman töitä", 58),
    ("sv", "fyrtiosju, och arbetslös sen 2019", 47), ("en", "thirty nine", 39), ("en", "fifty-six", 56),
])
def test_an_age_in_words_answers_the_age_question(language, text, age):
    messages, events = validate(HELSINKI, {}, language, requested="age", intent="nlu_fallback", text=text)
    assert events["age"] == age
    assert events["requested_slot"] != "age"


def test_finnish_no_joo_is_yes_whatever_the_classifier_said():
    # "no joo" is "well, yes"; the deny mapping had set "no", and the route changed with it
    base = {"municipality": "Helsinki", "age": 45}
    _, events = validate(base, {"unemployed": "no"}, "fi", requested="unemployed", intent="deny",
                         text="no joo, puoltoist vuotta")
    assert events["unemployed"] is True


@pytest.mark.parametrize("language,text,expected", [
    ("fi", "Kyllä on, koulun jälkeen vain pari kesätyötä", True),
    ("sv", "ja, jag är anmäld som arbetssökande", True),
    ("en", "no, I work two days a week", False),
])
def test_a_long_answer_starting_with_yes_or_no_answers_the_question(language, text, expected):
    _, events = validate({"municipality": "Helsinki", "age": 45}, {}, language, requested="unemployed",
                         intent="inform", text=text)
    assert events["unemployed"] is expected


def test_a_fact_the_answer_states_wins_over_its_first_word():
    # "joo, mut en oo työtön enää": the extractor's fact (not unemployed) is the answer
    entity = [{"entity": "unemployed", "value": "no", "start": 13, "end": 26}]
    _, events = validate({"municipality": "Helsinki", "age": 45}, {"unemployed": "no"}, "fi",
                         requested="unemployed", intent="inform", text="joo, mut en oo työtön enää", entities=entity)
    assert events["unemployed"] is False


def test_a_pension_denied_in_passing_answers_the_next_question_too():
    base = {"municipality": "Helsinki", "age": 40, "unemployed": True, "health_affects_work_ability": True}
    _, events = validate(base, {"disability": "no"}, "fi", requested="disability", intent="deny",
                         text="ei, eikä mitään eläkettä")
    assert events["disability"] is False and events["disability_pension"] is False
    assert events["requested_slot"] != "disability_pension"


@pytest.mark.parametrize("text", ["mikä on TYP?", "mikä on TYP", "en halua kertoa"])
def test_a_question_or_a_refusal_is_no_choice(text):
    _, events = validate(KNOWN_TO_CLIENT_OF, {}, "fi", requested="client_of", intent="ask_typ", text=text)
    assert events.get("client_of") is None


def test_the_swedish_conversation_of_issue_13_moves_on():
    """Helsinki, 45 and unemployed in one sentence; then answers to other questions."""
    first, events = validate({}, {"municipality": "Helsinki", "age": "45", "unemployed": "yes"}, "sv")
    assert (events["municipality"], events["age"], events["unemployed"]) == ("Helsinki", 45, True)
    asked = events["requested_slot"]
    assert asked == "health_affects_work_ability"
    known = {"municipality": "Helsinki", "age": 45, "unemployed": True}
    # "nej" to the health question is an answer
    _, events = validate(known, {"health_affects_work_ability": "no"}, "sv", requested=asked, intent="deny")
    assert events["health_affects_work_ability"] is False
    assert events["requested_slot"] not in (None, asked)


def _tags(messages: list) -> list[dict]:
    """The answer tags the action sent (actions/answer_tag.py)."""
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("answer")]


def _route_tags(messages: list) -> list[dict]:
    return [tag for tag in _tags(messages) if tag["answer"] == "route"]


@pytest.mark.parametrize("language", LANGS)
def test_a_situation_told_at_once_gets_the_likely_first_step_before_the_next_question(language):
    messages, events = validate({}, {"municipality": "Vantaa", "age": "38", "health_affects_work_ability": "yes"},
                                language)
    tags = _route_tags(messages)
    assert len(tags) == 1 and tags[0]["provisional"] is True and tags[0]["routes"]
    said = texts(messages)
    assert text_of("answer.provisional_more", language) in said
    assert re.search(r"https?://|\d{2,3} \d{3}", said), said  # a way to take the step
    assert events["last_answer"] == "route"
    assert events["requested_slot"] == "unemployed"  # the interview goes on


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("municipality, contact", [("Kempele", "040 569 2287"), ("Tampere", "pirha.fi")])
def test_outside_helsinki_the_place_alone_gives_the_likely_first_step(language, municipality, contact):
    messages, events = validate({}, {"municipality": municipality}, language)
    tags = _route_tags(messages)
    assert len(tags) == 1 and tags[0]["provisional"] is True
    assert contact in texts(messages)
    assert events["requested_slot"] == "age"  # the questions still find whom the activity is not for


@pytest.mark.parametrize("known,new,requested", [
    ({}, {"municipality": "Helsinki"}, None),                        # Helsinki alone: just the next question
    ({}, {"age": "45", "unemployed": "yes"}, None),                   # no municipality: no first step yet
    ({"municipality": "Helsinki", "unemployed": True}, {"age": "45"}, "age"),  # an answer in the interview
    ({"age": 45}, {"municipality": "Tampere"}, "municipality"),       # the place given as an answer
])
def test_no_likely_first_step_without_a_situation_told_at_once(known, new, requested):
    messages, _ = validate(known, new, requested=requested)
    assert not _route_tags(messages)


@pytest.mark.parametrize("language, text, place, shown", [
    ("fi", "miten pääsen kuntouttavaan työtoimintaan helsingissä", "Helsinki", "Helsinki"),
    ("fi", "Kysyn siskoni puolesta: hän asuu Raaseporissa. Mistä hän voisi aloittaa?", "Raasepori", "Raasepori"),
    ("sv", "Hur kommer man med i arbetsverksamheten i Helsingfors?", "Helsinki", "Helsingfors"),
    ("en", "How do I get into rehabilitative work activity in Tampere?", "Tampere", "Tampere"),
])
def test_the_place_a_first_message_asks_about_is_taken_and_said(language, text, place, shown):
    messages, events = validate({}, {}, language, text=text)
    assert events["municipality"] == place
    said = texts(messages)
    assert text_of("dialogue.place_from_question", language, municipality=shown) in said
    assert events["requested_slot"] == "age"  # not "where do you live?" again


@pytest.mark.parametrize("slots, new, requested, text", [
    ({}, {}, None, "haluan kuntouttavaan työtoimintaan"),                        # no place named
    ({"municipality": "Espoo"}, {}, None, "entä Helsingissä?"),                  # the place is known
    ({}, {}, "municipality", "en asu Helsingissä"),                             # an answer in the interview
])
def test_no_place_is_taken_when_none_is_asked_about_or_one_is_known(slots, new, requested, text):
    messages, events = validate(slots, new, requested=requested, text=text)
    assert events.get("municipality") in (None, slots.get("municipality"))
    assert text_of("dialogue.place_from_question", "fi", municipality="Helsinki") not in texts(messages)


# "How do I get in" with a place but too few facts for a likely first step (Helsinki's
# depends on age and health): how one gets in there and whom to call come first.
GET_IN = [{"name": "start_guidance", "confidence": 0.72}, {"name": "ask_how_to_apply", "confidence": 0.18}]
ONLY_GUIDANCE = [{"name": "start_guidance", "confidence": 0.97}, {"name": "ask_how_to_apply", "confidence": 0.02}]


def _answer_tags(messages: list) -> list[str]:
    return [tag["answer"] for tag in _tags(messages)]


@pytest.mark.parametrize("language, text", [
    ("fi", "miten pääsen kuntouttavaan työtoimintaan helsingissä"),
    ("sv", "Hur kommer man med i arbetsverksamheten i Helsingfors?"),
])
def test_how_to_get_in_with_the_place_says_whom_to_contact_before_the_questions(language, text):
    messages, events = validate({}, {}, language, intent="start_guidance", text=text, ranking=GET_IN)
    assert _answer_tags(messages) == ["how_to_apply_helsinki"]
    said = texts(messages)
    assert re.search(r"\d{2,3} \d{3}|https://", said), said  # a number to call or a contact page
    assert not any(m.get("buttons") for m in messages)  # the question's own buttons come with it
    assert events["requested_slot"] == "age"  # and the interview goes on


@pytest.mark.parametrize("language, text", [
    ("fi", "miten pääsen kuntouttavaan työtoimintaan"),
    ("sv", "hur kommer man med i arbetsverksamheten?"),
    ("en", "how do I get in?"),
])
def test_how_to_get_in_without_a_place_says_how_then_asks_the_place_once(language, text):
    # "miten pääset toimintaan mukaan?" had got only "Which municipality do you live in?"
    messages, events = validate({}, {}, language, intent="start_guidance", text=text, ranking=GET_IN)
    assert _answer_tags(messages) == ["how_to_apply"]
    said = texts(messages)
    assert get_knowledge().topic("how_to_apply").body.get(language).split(".")[0] in said
    assert get_knowledge().topic("how_to_apply").place_question.get(language) not in said  # the interview asks it
    assert events["requested_slot"] == "municipality"


def test_the_how_to_get_in_answer_asks_the_place_when_no_interview_follows():
    reply = topic_reply("how_to_apply", "en")
    assert reply.text.endswith(get_knowledge().topic("how_to_apply").place_question.get("en"))
    assert get_knowledge().topic("how_to_apply").place_question.get("en") not in topic_reply(
        "how_to_apply", "en", "Vantaa").text


@pytest.mark.parametrize("slots, text, ranking", [
    ({}, "haluan selvittää mikä palvelu sopii minulle helsingissä", ONLY_GUIDANCE),  # no "how do I get in"
    ({}, "/start_guidance", GET_IN),                                             # the button
])
def test_no_how_to_get_in_answer_without_the_question(slots, text, ranking):
    messages, _ = validate(slots, {}, "fi", intent="start_guidance", text=text, ranking=ranking)
    assert "how_to_apply_helsinki" not in _answer_tags(messages)
    assert "how_to_apply" not in _answer_tags(messages)


def test_elsewhere_the_likely_first_step_comes_instead_not_both():
    messages, _ = validate({}, {}, "en", intent="start_guidance",
                           text="How do I get into rehabilitative work activity in Tampere?", ranking=GET_IN)
    assert _route_tags(messages) and "how_to_apply_elsewhere" not in _answer_tags(messages)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_first_message_written_for_someone_else_says_whose_situation_is_answered(language):
    text = "Min son är 22 och sitter mest hemma i Ekenäs. Vart kan vi vända oss?"
    events = [{"event": "user", "text": text}] + [{"event": "slot", "name": k, "value": v}
                                                  for k, v in {"age": 22, "municipality": "Raasepori"}.items()]
    tracker = make_tracker(language, {"age": 22, "municipality": "Raasepori", "requested_slot": None},
                           text=text, events=events, active_loop="guidance_form")
    tracker.latest_message["about_someone_else"] = True
    messages, events = run_action(ValidateGuidanceForm(), tracker)
    said = texts(messages)
    assert said.startswith(text_of("dialogue.for_someone_else", language))
    assert slot_events(events).get("for_someone_else") is True  # the questions are then about him
    # without the mark, the message is the writer's own
    own = make_tracker(language, {"age": 22, "municipality": "Raasepori", "requested_slot": None},
                       text=text, events=events, active_loop="guidance_form")
    own_messages, own_events = run_action(ValidateGuidanceForm(), own)
    assert text_of("dialogue.for_someone_else", language) not in texts(own_messages)
    assert "for_someone_else" not in slot_events(own_events)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("field", FIELD_ORDER)
def test_the_questions_are_asked_about_the_person_the_conversation_is_for(language, field):
    ask = next(cls for cls in AskQuestion.__subclasses__() if cls.slot == field)()
    own = texts(run_action(ask, make_tracker(language, {}))[0])
    theirs = texts(run_action(ask, make_tracker(language, {"for_someone_else": True}))[0])
    assert own == text_of(f"question.{field}", language)
    assert theirs == text_of(f"question.{field}.someone_else", language)
    assert theirs != own


# ------------------------------------------------------------------ side questions count too

def _side(slots: dict, language: str = "fi", intent: str = "ask_cost", text: str = "paljonko maksetaan"):
    from actions.answers import ActionAnswerTopic

    tracker = make_tracker(language, slots, intent=intent, text=text, active_loop="guidance_form")
    messages, result = run_action(ActionAnswerTopic(), tracker)
    return messages, slot_events(result)


@pytest.mark.parametrize("language", LANGS)
def test_a_side_question_is_answered_and_the_question_comes_once_more(language):
    messages, events = _side({**HELSINKI, "requested_slot": "age"}, language)
    assert events[MISSES] == {"slot": "age", "count": 1}
    assert "skipped" not in events
    assert text_of("dialogue.question_left_out", language) not in texts(messages)


@pytest.mark.parametrize("language", LANGS)
def test_the_second_side_turn_in_a_row_leaves_the_question_out(language):
    # "selkä vähän reistailee" twice to the health question: the classifier took it for the
    # topic of health both times, and the same question had come again and again
    slots = {**HELSINKI, "age": 40, "unemployed": True, "requested_slot": "health_affects_work_ability",
             MISSES: {"slot": "health_affects_work_ability", "count": 1}}
    messages, events = _side(slots, language, intent="ask_health_and_pension", text="selkä vähän reistailee")
    assert events["skipped"] == ["health_affects_work_ability"]
    assert events[MISSES] is None
    assert texts(messages).endswith(text_of("dialogue.question_left_out", language))


def test_a_side_question_outside_the_interview_counts_nothing():
    from actions.answers import ActionAnswerTopic

    tracker = make_tracker("fi", {**HELSINKI}, intent="ask_cost", text="paljonko maksetaan")
    _, result = run_action(ActionAnswerTopic(), tracker)
    assert MISSES not in slot_events(result)


def test_a_miss_on_another_question_starts_the_count_again():
    slots = {**HELSINKI, "requested_slot": "age", MISSES: {"slot": "municipality", "count": 1}}
    _, events = _side(slots)
    assert events[MISSES] == {"slot": "age", "count": 1}


def test_a_fact_for_another_question_in_a_side_question_counts_a_miss():
    # "kevyitä hommia pystyn tekee. eläkettä ei oo" (a topic to the classifier, with a pension
    # denied in passing) to the health question: the form keeps the fact and asks again, which
    # counts; the same message once more is the second time and leaves the question out
    base = {"municipality": "Helsinki", "age": 58, "unemployed": True}
    _, events = validate(base, {}, "fi", requested="health_affects_work_ability", intent="ask_health_and_pension",
                         text="kevyitä hommia kyl pystyn tekee. eläkettä ei oo")
    assert events["disability_pension"] is False
    assert events[MISSES] == {"slot": "health_affects_work_ability", "count": 1}


def test_a_condition_named_answers_the_health_question_with_the_fact_in_passing():
    # the same with the back named: that is the answer (the health affects the work)
    base = {"municipality": "Helsinki", "age": 58, "unemployed": True}
    _, events = validate(base, {}, "fi", requested="health_affects_work_ability", intent="ask_health_and_pension",
                         text="selkä vähän reistailee mut kevyitä hommia pystyn tekee. eläkettä ei oo")
    assert events["health_affects_work_ability"] is True
    assert events["disability_pension"] is False
    assert MISSES not in events or events[MISSES] is None


def test_a_choice_in_a_clause_without_a_negation_answers():
    base = {"municipality": "Helsinki", "age": 40, "unemployed": True, "health_affects_work_ability": False,
            "disability": False, "referral": "none", "plan": "none"}
    _, events = validate(base, {}, "fi", requested="client_of", intent="inform",
                         text="työkkärin kanssa olen tekemisissä, sossussa en ole käynyt")
    assert events["client_of"] == "employment_services"


@pytest.mark.parametrize("language,text,facts", [
    ("fi", "Vantaalla asuu, Tikkurilassa omassa yksiössä. Hän on 31", {"municipality": "Vantaa", "age": 31}),
    ("sv", "han bor i Esbo och är arbetslös sedan i våras", {"municipality": "Espoo", "unemployed": True}),
])
def test_in_a_conversation_for_someone_else_an_answer_tells_their_facts(language, text, facts):
    slots = {"for_someone_else": True}
    _, events = validate(slots, {}, language, requested="municipality", intent="inform", text=text)
    assert {k: events.get(k) for k in facts} == facts


def test_for_the_writer_the_persons_reading_is_not_used():
    _, events = validate({}, {}, "en", requested="age", intent="inform", text="he is 44 and out of work for years")
    assert events.get("age") is None


def test_an_unsure_question_is_let_go_for_the_rule_to_answer():
    # counted as a miss it had got "I didn't understand the answer" (the rule's action answers
    # it honestly instead: actions/sayings.py, ActionNotUnderstoodAnswer)
    messages, events = validate(HELSINKI, {}, "en", requested="age", intent="nlu_fallback",
                                text="what happens if I can't make it some days?")
    assert set(events) == {"requested_slot"} and not messages


@pytest.mark.parametrize("language", LANGS)
def test_an_earlier_message_for_someone_else_makes_the_interview_theirs(language):
    # "Kirjoitan poikani puolesta... Voisiko hän päästä kuntouttavaan?" got the topic's answer;
    # the "Which service suits me?" button then started the interview, which asked "How old are
    # you?" about the writer
    earlier = {"event": "user", "text": "Kirjoitan poikani puolesta...",
               "parse_data": {"about_someone_else": True, "intent": {"name": "ask_who_is_it_for"}}}
    events = [{"event": "session_started"}, earlier, {"event": "action", "name": "action_answer_topic"},
              {"event": "user", "text": "/start_guidance"}]
    tracker = make_tracker(language, {"unemployed": True, "requested_slot": None}, intent="start_guidance",
                           text="/start_guidance", events=events, active_loop="guidance_form")
    messages, result = run_action(ValidateGuidanceForm(), tracker)
    assert slot_events(result).get("for_someone_else") is True
    assert texts(messages).startswith(text_of("dialogue.for_someone_else", language))


def test_a_message_for_someone_else_before_a_restart_does_not_count():
    earlier = {"event": "user", "text": "Kirjoitan poikani puolesta...", "parse_data": {"about_someone_else": True}}
    events = [earlier, {"event": "restart"}, {"event": "user", "text": "/start_guidance"}]
    tracker = make_tracker("fi", {"requested_slot": None}, intent="start_guidance", text="/start_guidance",
                           events=events, active_loop="guidance_form")
    _, result = run_action(ValidateGuidanceForm(), tracker)
    assert "for_someone_else" not in slot_events(result)


@pytest.mark.parametrize("language,text", [("fi", "miks sä kysyt tätä"), ("sv", "varför frågar du det"),
                                           ("en", "why do you need to know that")])
def test_why_do_you_ask_is_answered_and_the_question_comes_again(language, text):
    messages, events = validate(HELSINKI, {}, language, requested="age", intent="inform", text=text)
    assert texts(messages) == text_of("dialogue.why_we_ask", language)
    assert events["requested_slot"] == "age"
    assert events.get(MISSES) is None  # no miss: the resident asked, and may answer now


def test_a_year_of_birth_answers_the_age_question():
    with clock.frozen_today(date(2026, 12, 6)):
        _, events = validate({"municipality": "Helsinki"}, {}, "fi", requested="age", intent="inform",
                             text="synnyin 1985")
    assert events["age"] == 41


@pytest.mark.parametrize("language", LANGS)
@pytest.mark.parametrize("facts, then", [
    # Helsinki: the likely first step follows, then the remaining questions
    ({"age": 50, "municipality": "Helsinki", "unemployed": True}, ["route"]),
    # elsewhere these facts are enough: the full answer follows (action_give_guidance)
    ({"age": 50, "municipality": "Vantaa", "unemployed": True}, []),
])
def test_a_topic_question_asked_with_the_situation_is_answered_before_the_first_step(language, facts, then):
    # "I'm 50 and live in Vantaa, unemployed for 4 years. What happens if I refuse?" had got
    # only the first step: the question was lost
    text = f"I'm 50 and live in {facts['municipality']}, unemployed for 4 years. What happens if I refuse?"
    events = [{"event": "user", "text": text}] + [{"event": "slot", "name": k, "value": v} for k, v in facts.items()]
    tracker = make_tracker(language, {**facts, "requested_slot": None}, text=text, events=events,
                           active_loop="guidance_form")
    tracker.latest_message["question_with_situation"] = "ask_refusal"
    messages, result = run_action(ValidateGuidanceForm(), tracker)
    tags = _answer_tags(messages)
    assert tags[0] == "refusal"  # the question first
    refusal = messages[0]
    assert not refusal.get("buttons")  # its buttons would come between the answer and the step
    # the first step follows with its contact: the one contact of the turn to take
    assert not re.search(r"https://|\d{2,3} \d{3}", refusal["text"])
    assert tags[1:] == then
    # without the mark, no topic answer
    plain = make_tracker(language, {**facts, "requested_slot": None}, text=text, events=events,
                         active_loop="guidance_form")
    plain_messages, _ = run_action(ValidateGuidanceForm(), plain)
    assert "refusal" not in _answer_tags(plain_messages)


def test_the_question_asked_with_a_situation_keeps_its_contact_when_questions_come_before_a_step():
    # Helsinki with only the age: no first step yet, the interview's question comes next
    text = "I'm 50 and live in Helsinki. What happens if I refuse?"
    facts = {"age": 50, "municipality": "Helsinki"}
    events = [{"event": "user", "text": text}] + [{"event": "slot", "name": k, "value": v} for k, v in facts.items()]
    tracker = make_tracker("en", {**facts, "requested_slot": None}, text=text, events=events,
                           active_loop="guidance_form")
    tracker.latest_message["question_with_situation"] = "ask_refusal"
    messages, _ = run_action(ValidateGuidanceForm(), tracker)
    assert _answer_tags(messages) == ["refusal"]
    assert re.search(r"https://|\d{2,3} \d{3}", messages[0]["text"])  # whom to ask (Kela decides)
