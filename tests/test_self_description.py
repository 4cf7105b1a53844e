"""A message that tells the writer's age and municipality starts the interview
(bot/rasa_components/self_description.py). Fast: the component alone."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extract import ABOUT_SOMEONE_ELSE
from bot.rasa_components.self_description import SelfDescription


def _message(text: str, intent: str, entities: list[str]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}, {"name": "inform", "confidence": 0.05}])
    message.set(ENTITIES, [{"entity": name, "value": "x", "start": 0, "end": 1} for name in entities])
    return message


@pytest.mark.parametrize("intent", ["ask_client_rights", "ask_who_is_it_for", "out_of_scope", "nlu_fallback",
                                    "start_guidance", "greet"])
def test_age_and_municipality_make_the_message_a_description_of_ones_situation(intent):
    # "Olen 61-vuotias oululainen, työttömänä vuodesta 2021 ... Mitä vaihtoehtoja minulla on?"
    # came out as the question about client's rights
    message = _message("Olen 61-vuotias oululainen ... Mitä vaihtoehtoja minulla on?", intent,
                       ["age", "municipality", "unemployed"])
    SelfDescription().process([message])
    assert message.get(INTENT) == {"name": "inform", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["inform", intent]


@pytest.mark.parametrize("entities", [["municipality"], ["age"],
                                      ["municipality", "unemployed", "health_affects_work_ability"]])
def test_without_both_facts_the_question_keeps_its_intent(entities):
    message = _message("Onko Tampereella kuntouttavaa työtoimintaa?", "ask_locations", entities)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_locations"


@pytest.mark.parametrize("intent", ["emergency", "human_contact", "forget_me", "set_language", "affirm", "feedback"])
def test_what_is_not_a_question_keeps_its_intent(intent):
    message = _message("olen 45 ja asun Espoossa, haluan puhua ihmisen kanssa", intent, ["age", "municipality"])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == intent


def test_button_payloads_are_left_alone():
    message = _message('/ask_cost', "ask_cost", ["age", "municipality"])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_cost"


def test_inform_without_any_fact_becomes_the_best_question():
    # "Kuulunko TYP:n asiakkaaksi, jos olen ollut yli vuoden työtön?" came out as inform
    message = _message("Kuulunko TYP:n asiakkaaksi, jos olen ollut yli vuoden työtön?", "inform", [])
    message.set(INTENT_RANKING_KEY, [{"name": "inform", "confidence": 0.93}, {"name": "ask_typ", "confidence": 0.05}])
    SelfDescription().process([message])
    assert message.get(INTENT) == {"name": "ask_typ", "confidence": 0.05}


def test_a_story_of_someone_else_without_the_writers_facts_is_a_request_for_guidance():
    # no fact of the writer's own, and the runner-up is a request for guidance: not small talk
    message = _message("Min son är 22 och sitter mest hemma. Han vill göra något men vågar inte ta första "
                       "steget. Vart kan vi vända oss?", "inform", [])
    message.set(INTENT_RANKING_KEY, [{"name": "inform", "confidence": 0.6},
                                     {"name": "start_guidance", "confidence": 0.3},
                                     {"name": "out_of_scope", "confidence": 0.1}])
    SelfDescription().process([message])
    assert message.get(INTENT) == {"name": "start_guidance", "confidence": 0.3}


def test_inform_without_any_fact_or_question_is_out_of_scope():
    message = _message("anna resepti karjalanpiirakoihin", "inform", [])
    message.set(INTENT_RANKING_KEY, [{"name": "inform", "confidence": 0.3}, {"name": "greet", "confidence": 0.2}])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "out_of_scope"


def test_inform_with_a_fact_stays_inform():
    message = _message("olen työtön", "inform", ["unemployed"])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "inform"


@pytest.mark.parametrize("intent, becomes", [("out_of_scope", "inform"), ("start_guidance", "inform"),
                                             ("ask_who_is_it_for", "inform"), ("ask_how_to_apply", "inform"),
                                             ("ask_cost", "ask_cost"),
                                             ("ask_health_and_pension", "ask_health_and_pension"),
                                             ("ask_refusal", "ask_refusal")])
def test_the_municipality_with_another_fact_describes_the_situation_unless_a_topic_is_asked(intent, becomes):
    message = _message("Jag sitter i rullstol och bor i Kempele. Måste jag gå dit varje dag?", intent,
                       ["municipality", "disability"])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == becomes


@pytest.mark.parametrize("text, language, facts", [
    ("mulla on mielenterveysongelmia enkä oo ollu töissä pitkään aikaan, mitä mä voisin tehdä", "fi",
     ["health_affects_work_ability"]),
    ("Jag sitter i rullstol och bor i Kempele. Vad kan jag göra?", "sv", ["municipality", "disability"]),
    ("I'm 23 and never had a job, what are my options?", "en", ["age"]),
    # learners' English and "who can help me?" ask for guidance too
    ("no work three years already, i have bad back. what i can do?", "en",
     ["unemployed", "health_affects_work_ability"]),
    ("I live in Pori and I'm depressed, been unemployed since spring. Who can help me?", "en",
     ["municipality", "health_affects_work_ability", "unemployed"]),
    ("oon ollu työttömänä kauan ja selkä on huono, mistä saan apua?", "fi",
     ["unemployed", "health_affects_work_ability"]),
    ("ja e arbetslös sen två år å mår dåligt, vem kan hjälpa mig?", "sv",
     ["unemployed", "health_affects_work_ability"]),
    ("I'm on a disability pension and work one day a week. Is there any activity for someone like me?", "en",
     ["disability_pension", "health_affects_work_ability", "unemployed"]),
    # "should I apply to something?" asks what there is for one too
    ("ahdistus on niin paha etten pysty kuin pariin tuntiin töitä. Pitäiskö mun hakeutua johonkin?", "fi",
     ["health_affects_work_ability"]),
    ("Jag har varit utan jobb i tre år och mår dåligt. Borde jag söka någon rehabilitering?", "sv",
     ["unemployed", "health_affects_work_ability"]),
    ("out of work for ages with a bad knee, should I apply for some kind of program?", "en",
     ["unemployed", "health_affects_work_ability"]),
])
@pytest.mark.parametrize("intent", ["ask_health_and_pension", "ask_refusal", "ask_elsewhere", "out_of_scope"])
def test_a_fact_of_ones_situation_with_an_open_request_for_guidance_starts_the_interview(text, language, facts,
                                                                                         intent):
    message = _message(text, intent, facts)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "inform"


@pytest.mark.parametrize("text, facts", [
    # an open question without a fact of the writer's own situation: their own topic
    ("Vad ska jag göra om jag blir sjuk mitt under en period?", []),
    # a fact that is no situation of one's own (a client relationship) does not make it one
    ("Sosiaalityöntekijä kohteli minua epäasiallisesti. Mitä minun pitäisi tehdä?", ["client_of"]),
    # a fact with a question of a topic, not an open one
    ("olen työtön, paljonko siitä maksetaan?", ["unemployed"]),
])
def test_an_open_question_alone_or_a_topic_question_keeps_its_topic(text, facts):
    message = _message(text, "ask_absences", facts)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_absences"


def test_a_longer_message_with_a_question_mark_is_no_short_answer():
    message = _message("var finns TE-byrån nu? ja hittar den int längre", "skip", [])
    message.set(INTENT_RANKING_KEY, [{"name": "skip", "confidence": 0.5},
                                     {"name": "ask_te_services", "confidence": 0.47}])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_te_services"


@pytest.mark.parametrize("text, runner_up", [
    ("ei", ("ask_cost", 0.4)),                                   # a short answer stays an answer
    ("en halua kertoa sitä teille", ("ask_cost", 0.4)),          # no question mark
    ("en tiedä, mitä tarkoitat?", ("ask_cost", 0.1)),            # no question the classifier believes in
])
def test_short_answers_stay_answers(text, runner_up):
    message = _message(text, "skip", [])
    message.set(INTENT_RANKING_KEY, [{"name": "skip", "confidence": 0.6},
                                     {"name": runner_up[0], "confidence": runner_up[1]}])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "skip"


@pytest.mark.parametrize("language, text, entities, expected", [
    # a fact and no question: an answer that names a benefit
    ("fi", "joo oon työtön ja saan työmarkkinatukea", ["unemployed"], "inform"),
    ("sv", "ja e arbetslös o får arbetsmarknadsstöd från FPA", ["unemployed"], "inform"),
    ("en", "no job, I get labour market subsidy from kela", ["unemployed"], "inform"),
    # a question: for another service, whatever the facts
    ("fi", "oon työtön, paljonko työmarkkinatuki on kuussa?", ["unemployed"], "ask_elsewhere"),
    ("fi", "oon työtön, voinko opiskella työttömyysetuudella", ["unemployed"], "ask_elsewhere"),
    ("en", "I'm unemployed. How much is the labour market subsidy?", ["unemployed"], "ask_elsewhere"),
    # no fact: nothing to answer with
    ("fi", "kela maksaa työmarkkinatuen", [], "ask_elsewhere"),
])
def test_a_benefit_named_in_an_answer_that_asks_nothing_is_an_answer(language, text, entities, expected):
    message = _message(text, "ask_elsewhere", entities)
    message.set("language", {"code": language})
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == expected


def test_a_long_story_that_names_a_benefit_stays_a_matter_for_its_office():
    text = ("Jouduin reippaasti pulaan aktiivimallin takia. Olen ansiosidonnaisella, josta leikkuri puraisi "
            "sellaisen rahan, että jäin juuri köyhyysrajan yläpuolelle")
    message = _message(text, "ask_elsewhere", ["unemployed"])
    message.set("language", {"code": "fi"})
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_elsewhere"


@pytest.mark.parametrize("intent, becomes", [
    ("ask_elsewhere", "inform"), ("nlu_fallback", "inform"), ("out_of_scope", "inform"),
    # "could he get into it?": whether it suits that person is their route
    ("ask_how_to_apply", "inform"), ("ask_who_is_it_for", "inform"),
    ("ask_cost", "ask_cost"),  # a question about the money keeps its answer
])
def test_the_situation_of_someone_the_message_is_written_for_starts_the_interview(intent, becomes):
    # "My partner has been unemployed for ages and barely leaves the house. He's 38. What could
    # help him?" had got "ask Kela"
    message = _message("My partner has been unemployed for ages ... He's 38. What could help him?", intent,
                       ["unemployed", "age"])
    message.set("about_someone_else", True)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == becomes
    alone = _message("My partner has been unemployed for ages ... He's 38. What could help him?", intent,
                     ["unemployed", "age"])
    SelfDescription().process([alone])
    assert alone.get(INTENT)["name"] == intent  # the writer's own facts need more (see above)


def test_an_age_alone_of_someone_else_keeps_another_services_question():
    # "Äiti (83v) ei enää pärjää kotona yksin... Miten saadaan kotihoito?"
    message = _message("Äiti (83v) ei enää pärjää kotona yksin. Miten saadaan kotihoito?", "ask_elsewhere", ["age"])
    message.set("about_someone_else", True)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_elsewhere"


@pytest.mark.parametrize("text", [
    "en tiedä mitä teen, oon ollu kotona pari vuotta",
    "vet inte vad jag ska göra längre",
    "honestly I don't know what to do anymore",
])
@pytest.mark.parametrize("intent", ["dont_know", "out_of_scope", "nlu_fallback", "help"])
def test_an_open_request_for_guidance_without_facts_starts_the_guidance(text, intent):
    message = _message(text, intent, [])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "start_guidance"


@pytest.mark.parametrize("text, intent", [
    ("en tiedä", "dont_know"),                        # an answer, not a request
    ("vet inte vad det är", "dont_know"),             # asks what something is
    ("en tiedä mitä teen", "ask_absences"),           # a topic question keeps its topic
])
def test_i_dont_know_alone_or_with_a_topic_keeps_its_intent(text, intent):
    message = _message(text, intent, [])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == intent


def _with_entity(text: str, intent: str, value: str) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}])
    start = text.lower().index(value.lower())
    message.set(ENTITIES, [{"entity": "municipality", "value": "x", "start": start, "end": start + len(value)}])
    return message


@pytest.mark.parametrize("text, value", [("no hesa sit", "hesa"), ("ok vantaa", "vantaa"), ("ja Vasa.", "Vasa")])
def test_a_reply_of_the_place_and_particles_is_an_answer(text, value):
    message = _with_entity(text, "ask_next_steps", value)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "inform"


@pytest.mark.parametrize("text, value", [
    ("kempele työtoiminta", "kempele"),        # a topic word beside the place
    ("entä vantaa?", "vantaa"),               # a question
    ("mitä tehdään sitten vantaalla", "vantaa"),
])
def test_a_place_with_a_topic_or_a_question_keeps_its_intent(text, value):
    message = _with_entity(text, "ask_next_steps", value)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_next_steps"


@pytest.mark.parametrize("intent, becomes", [("nlu_fallback", "inform"), ("ask_how_to_apply", "inform"),
                                             ("ask_cost", "ask_cost")])
def test_the_municipality_with_a_referral_describes_the_situation_unless_a_topic_is_asked(intent, becomes):
    message = _message("I got out of prison and live in Kempele now. My Criminal Sanctions Agency worker made a "
                       "referral for work activity. What do I do next?", intent, ["municipality", "referral"])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == becomes


@pytest.mark.parametrize("text, intent, entities", [("hej, jag bor i Vasa", "greet", ["municipality"]),
                                                    ("moi, oon 28", "greet", ["age"]),
                                                    # "hej" is goodbye too
                                                    ("Hej! Ja e från Ingå", "goodbye", ["municipality"])])
def test_a_greeting_with_a_fact_starts_the_guidance(text, intent, entities):
    message = _message(text, intent, entities)
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "inform"


def _ranked(text: str, ranking: list[tuple[str, float]], entities: list[str]) -> Message:
    message = _message(text, ranking[0][0], entities)
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def test_a_greeting_the_classifier_took_for_small_talk_with_a_fact_starts_the_guidance():
    # "Hyvää päivää, kirjoittelen täältä Porista" had got "I can't help with that"
    greeting = _ranked("Hyvää päivää, kirjoittelen täältä Porista",
                       [("out_of_scope", 0.49), ("greet", 0.21), ("ask_absences", 0.15)], ["municipality"])
    unsure = _ranked("God dag, jag skriver från Kimito",
                     [("nlu_fallback", 0.44), ("ask_absences", 0.44), ("ask_privacy", 0.16), ("greet", 0.16)],
                     ["municipality"])
    # no greeting among the best guesses, or a question: left alone
    small_talk = _ranked("täällä Porissa sataa taas", [("out_of_scope", 0.8), ("ask_absences", 0.1),
                                                        ("thanks", 0.05), ("greet", 0.04)], ["municipality"])
    question = _ranked("Hei, mitä Porissa tehdään?", [("out_of_scope", 0.4), ("greet", 0.3)], ["municipality"])
    SelfDescription().process([greeting, unsure, small_talk, question])
    assert greeting.get(INTENT)["name"] == "inform" and unsure.get(INTENT)["name"] == "inform"
    assert small_talk.get(INTENT)["name"] == "out_of_scope" and question.get(INTENT)["name"] == "out_of_scope"


@pytest.mark.parametrize("text, intent", [("hej hej", "greet"), ("hej då", "goodbye")])
def test_a_greeting_alone_stays_a_greeting(text, intent):
    message = _message(text, intent, [])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == intent


# A description of one's situation that also asks a topic question the classifier is sure of
# keeps the question for the interview to answer first (question_with_situation).
SITUATION = ["age", "municipality", "unemployed"]


@pytest.mark.parametrize("text, intent, confidence, kept", [
    # the question with the story: kept
    ("Olen 33, asun Oulussa ja kuntoutustuki loppui. Pitäisikö hakea eläkettä?", "ask_health_and_pension", 0.66,
     True),
    ("I'm 50 and live in Vantaa, unemployed for 4 years. What happens if I refuse?", "ask_refusal", 0.9, True),
    # the classifier unsure: the story's words, not a question
    ("Olen 33, asun Oulussa ja kuntoutustuki loppui. Pitäisikö hakea eläkettä?", "ask_health_and_pension", 0.45,
     False),
    # the route answers "can I join / who is it for / how do I get in" itself
    ("Jag är 45 och bor i Vasa. Kan jag få arbetsverksamhet?", "ask_who_is_it_for", 0.95, False),
    # an open request for guidance gets the route, whatever topic its words are nearest to
    ("Olen 61-vuotias oululainen, työttömänä vuodesta 2021. Mitä vaihtoehtoja minulla on?", "ask_client_rights",
     0.9, False),
    # a story that asks nothing
    ("Olen 61-vuotias oululainen ja olen ollut työttömänä vuodesta 2021", "ask_client_rights", 0.9, False),
    # small talk and doubt are no topic question
    ("olen 45 ja asun Espoossa, mitä kuuluu?", "out_of_scope", 0.9, False),
])
def test_a_topic_question_asked_with_the_situation_is_kept_for_the_interview(text, intent, confidence, kept):
    message = _message(text, intent, SITUATION)
    message.set(INTENT, {"name": intent, "confidence": confidence})
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "inform"
    assert message.get("question_with_situation") == (intent if kept else None)


@pytest.mark.parametrize("intent, entities, becomes", [
    # unemployed, and health or a disability affects the work: "how do I get in" / "is it for me"
    # asks for their own way in
    ("ask_how_to_apply", {"unemployed": "yes", "health_affects_work_ability": "yes"}, "inform"),
    ("ask_who_is_it_for", {"unemployed": "yes", "disability": "yes"}, "inform"),
    # a healthy job seeker asking why they are sent there keeps who it is for
    ("ask_who_is_it_for", {"unemployed": "yes", "health_affects_work_ability": "no"}, "ask_who_is_it_for"),
    ("ask_how_to_apply", {"unemployed": "yes"}, "ask_how_to_apply"),
    # other questions keep their topic
    ("ask_refusal", {"unemployed": "yes", "health_affects_work_ability": "yes"}, "ask_refusal"),
])
def test_how_to_get_in_when_unemployed_and_unwell_starts_the_interview(intent, entities, becomes):
    message = _message("oon ollut 4 vuotta työtön, ahdistusta ja uniongelmia. en tiedä miten sinne pääsee",
                       intent, list(entities))
    message.set(ENTITIES, [{"entity": k, "value": v, "start": 0, "end": 1} for k, v in entities.items()])
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == becomes
    # the question itself is answered first, before the interview's questions
    assert message.get("question_with_situation") == (intent if becomes == "inform" else None)


def test_how_to_get_in_for_someone_else_keeps_its_intent_without_their_working_life_facts():
    message = _message("my brother is unemployed and has depression, how does he get in?", "ask_how_to_apply",
                       ["age"])
    message.set(ABOUT_SOMEONE_ELSE, {"unemployed": "yes"})
    SelfDescription().process([message])
    assert message.get(INTENT)["name"] == "ask_how_to_apply"
