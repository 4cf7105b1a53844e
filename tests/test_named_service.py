"""A question that names a service by name (bot/nlu/named_services.py,
bot/rasa_components/named_service.py)."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.named_services import NAMES_FILE, NamedServicesError, load, named_service, parse
from bot.rasa_components.language_resolver import LANGUAGE
from bot.rasa_components.named_service import NamedService
from bot.rasa_components.scope_gate import ELSEWHERE


@pytest.mark.parametrize("language, text, intent", [
    ("fi", "Mut on siirretty TYP:iin ja en tajuu mikä se on", "ask_typ"),
    ("fi", "mikä on typ", "ask_typ"),
    ("sv", "Min kurator nämnde TYP. Vad betyder det och vem kan få det?", "ask_typ"),
    ("en", "what is the multisectoral joint service", "ask_typ"),
    ("sv", "För några år sedan gick min bror på Duuri i Helsingfors", "ask_duuri"),
    ("fi", "tarviiks kuntouttavaan b-lausunnon", "ask_b_statement"),
    ("sv", "vad är ett B-utlåtande", "ask_b_statement"),
    ("en", "my doctor mentioned a B statement", "ask_b_statement"),
    ("fi", "Ennen mulla oli oma virkailija TE-toimistossa, kuka nyt vastaa?", "ask_te_services"),
    ("sv", "vart tog TE-byrån vägen", "ask_te_services"),
    # Helsinki's work centres by name: where the activity is
    ("fi", "onko Pakilan työkeskus vielä auki", "ask_locations"),
    ("sv", "var ligger Uusix, finns den kvar", "ask_locations"),
    ("en", "which work centres are there", "ask_locations"),
    # ... but a work centre for someone with an intellectual disability is that service
    ("sv", "Min bror är utvecklingsstörd, finns det plats på en arbetscentral för honom?",
     "ask_disability_work_activity"),
    # the municipal employment pilots became the municipalities' employment services
    ("fi", "onko työllisyyden kuntakokeilu vielä käynnissä", "ask_te_services"),
    ("sv", "vad hände med kommunförsöken", "ask_te_services"),
    ("en", "is the municipal employment pilot still running in Turku", "ask_te_services"),
    ("fi", "Haluaisin lopettaa avotyön, mitä teen", "ask_disability_work_activity"),
    ("fi", "mitä vammaisten työtoiminnassa tehdään", "ask_disability_work_activity"),
    ("sv", "Vad gör man i öppet arbete?", "ask_disability_work_activity"),
    ("en", "who can get work activities for people with disabilities", "ask_disability_work_activity"),
    ("fi", "Mitä Työkykyisempi Stadi tarkoittaa ja kenelle se on suunnattu?", "ask_service_path"),
    ("sv", "vad är tyokykyisempi stadi", "ask_service_path"),
    ("fi", "Miten Helsingin palvelupolku etenee?", "ask_service_path"),
    ("sv", "berätta om servicestigen i Helsingfors", "ask_service_path"),
    ("en", "What is Helsinki's service path?", "ask_service_path"),
    # the Finnish name in a Swedish or English message
    ("en", "do I really need a B-lausunto before I start", "ask_b_statement"),
    ("sv", "Mikä on sosiaalinen kuntoutus? ja undrar om det passar mig", "ask_social_rehabilitation"),
    ("sv", "Passar social rehabilitering för någon med depression?", "ask_social_rehabilitation"),
    ("en", "is social rehab something for me after burnout", "ask_social_rehabilitation"),
    # appealing or complaining is a question of the client's rights, whatever it is about
    ("fi", "sain karenssin kun lopetin työtoiminnan kesken, miten siitä valitetaan", "ask_client_rights"),
    ("sv", "hur överklagar man beslutet om arbetsverksamhet", "ask_client_rights"),
    ("en", "can I appeal if they cut my benefit after I quit the activity", "ask_client_rights"),
    # how one is treated there is a question of the client's rights too
    ("fi", "ohjaaja huutaa meille joka päivä, kenelle voin kertoa", "ask_client_rights"),
    ("sv", "handledaren skriker åt oss på verkstaden, vad kan jag göra", "ask_client_rights"),
    ("en", "the instructor yells at us every day, who can I tell", "ask_client_rights"),
    # the work ability support services by name, in Finnish in an English message too
    ("en", "my instructor mentioned työkyvyn tuen palvelut, what are they", "ask_work_ability_support"),
    ("sv", "vad gör tjänsterna för stöd för arbetsförmågan", "ask_work_ability_support"),
    # the job-seeking duty is the employment services' decision, also during the activity
    ("fi", "onko mulla työnhakuvelvollisuus vaikka oon kuntouttavassa", "ask_elsewhere"),
    ("sv", "gäller sökskyldigheten fast jag är på arbetsverksamheten", "ask_elsewhere"),
    ("en", "do I still have to apply for four jobs every month during rehab work", "ask_elsewhere"),
    # an appeal of a rejected pension is for the pension's payer: when it names the client's
    # rights too, the other body's question wins
    ("fi", "Työkyvyttömyyseläkehakemus hylättiin, vaikka lääkäri sanoo etten pysty töihin. Voiko valittaa?",
     "ask_elsewhere"),
    ("fi", "Sain hylkäävän päätöksen työkyvyttömyyseläkkeestä, miten valitan?", "ask_elsewhere"),
    ("sv", "Jag fick avslag på sjukpensionen, kan jag överklaga?", "ask_elsewhere"),
    ("en", "My disability pension application was rejected, can I appeal?", "ask_elsewhere"),
    # Helsinki and its service path named apart
    ("fi", "Onko Helsingillä joku palvelupolku kuntouttavasta eteenpäin vai jääkö sinne jumiin?", "ask_service_path"),
    ("sv", "Har Helsingfors någon servicestig vidare från arbetsverksamheten?", "ask_service_path"),
    ("en", "Is there a service path onwards from rehab work here in Helsinki?", "ask_service_path"),
    # Kela's recovery of an overpaid benefit is Kela's, though the activity is named beside it
    ("fi", "Olin kuntouttavassa ja keikkatöissä, nyt Kela vaatii rahaa takasin. Mitä teen?", "ask_elsewhere"),
    ("sv", "FPA har skickat ett återkrav fast jag bara var på arbetsverksamheten", "ask_elsewhere"),
    ("en", "Kela says I was overpaid during rehab work and wants the money back", "ask_elsewhere"),
    # ... an appeal of the activity's own matters stays a question of the client's rights
    ("fi", "sain karenssin kun keskeytin kuntsarin, miten tästä valitetaan?", "ask_client_rights"),
    # a complaint about one's own social worker is the social ombudsman's, not the activity's rights
    ("fi", "haluan tehdä valituksen mun sosiaalityöntekijästä, hän ei vastaa viesteihin", "ask_elsewhere"),
    ("sv", "jag vill klaga på min socialarbetare som aldrig svarar", "ask_elsewhere"),
    ("en", "how do I complain about my social worker? she never answers", "ask_elsewhere"),
    # the social ombudsman as the question's subject: the client's rights, with the ombudsman
    ("fi", "mitä sosiaaliasiavastaava tekee", "ask_client_rights"),
    ("sv", "vad gör socialombudet egentligen", "ask_client_rights"),
    ("en", "what does the social ombudsman do for me", "ask_client_rights"),
    # rehabilitation in general, a whole word
    ("fi", "mistä tietää tarvitseeko kuntoutusta", "ask_health_and_pension"),
    ("sv", "hur vet jag om jag behöver rehabilitering", "ask_health_and_pension"),
    ("en", "how do I know if I need rehabilitation", "ask_health_and_pension"),
])
def test_the_service_a_question_names(language, text, intent):
    service = named_service(text, language)
    assert service is not None and service.intent == intent


@pytest.mark.parametrize("language, text", [
    ("sv", "får man välja vad man gör där? typ kök eller verkstad?"),  # Swedish "typ" = "like"
    ("sv", "hur länge håller en sån period på, typ nån månad"),
    ("en", "what types of work are there"),
    ("fi", "mikä on bussilippu"),
    ("en", "I need a B statement for TYP"),  # two services: the classifier decides
    ("fi", "työkkäristä tuli kirje kuntouttavasta"),  # colloquial for today's employment office too
    ("fi", "Mikä on Vantaan palvelupolku?"),  # another town's path is not Helsinki's project
    ("en", "what is the service path in Tampere"),
    ("fi", "valitettavasti en pääse huomenna paikalle"),  # "unfortunately" is no complaint
    ("fi", "selkä kiusaa, voinko silti osallistua kuntouttavaan"),  # a nagging back, not bullying
    # feeling humiliated by being sent there is no mistreatment there
    ("fi", "tuntuu nöyryyttävältä mennä kuntouttavaan, voinko kieltäytyä"),
    ("sv", "jag känner mig förnedrad, måste jag gå till arbetsverksamheten"),
    # Kela's rehabilitation allowance is Kela's, not rehabilitation in general
    ("fi", "paljonko kuntoutusrahaa saa"),
    # social rehabilitation names two: the classifier decides
    ("fi", "mikä ero on sosiaalisella kuntoutuksella ja kuntoutuksella"),
    ("en", "is rehabilitative work activity a kind of rehabilitation"),
])
def test_no_single_service_named(language, text):
    assert named_service(text, language) is None


def _message(text: str, intent: str, language: str = "fi") -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    message.set(LANGUAGE, {"code": language})
    return message


def test_a_general_question_about_a_named_service_gets_its_intent_and_the_rest_keep_theirs():
    general = _message("Mut on siirretty TYP:iin ja en oikein tajuu mikä se on", "ask_what_participants_do")
    money = _message("saako TYP:ssä kulukorvausta?", "ask_cost")              # a question about money
    duuri = _message("min bror gick på Duuri, får han ledigt om han är sjuk", "ask_absences", "sv")
    answer = _message("olen TYP:n asiakas", "inform")                        # an interview answer
    other = _message("Mulla on TYP ja toimeentulotuki", "nlu_fallback")
    other.set(ELSEWHERE, "toimeentulotu")                                     # another service's question
    plan = _message("TE-toimisto teki mulle aktivointisuunnitelman, mikä se on?", "ask_activation_plan")
    NamedService().process([general, money, duuri, answer, other, plan])
    assert plan.get(INTENT)["name"] == "ask_activation_plan"  # a question about the plan stays one
    assert general.get(INTENT) == {"name": "ask_typ", "confidence": 0.9}
    assert [r["name"] for r in general.get(INTENT_RANKING_KEY)] == ["ask_typ", "ask_what_participants_do"]
    assert money.get(INTENT)["name"] == "ask_cost"
    assert duuri.get(INTENT)["name"] == "ask_duuri"  # Duuri has ended: every question gets its history
    assert answer.get(INTENT)["name"] == "inform"
    assert other.get(INTENT)["name"] == "nlu_fallback"


def test_the_file_loads_and_general_stands_for_its_list():
    services = {s.intent: s for s in load(NAMES_FILE)}
    assert set(services) >= {"ask_typ", "ask_duuri", "ask_b_statement", "ask_te_services",
                             "ask_disability_work_activity"}
    # the money of the disability work activity is not the 9 euros of the rehabilitative one
    assert "ask_cost" in services["ask_disability_work_activity"].replaces
    assert "ask_cost" not in services["ask_typ"].replaces
    assert "ask_who_is_it_for" in services["ask_typ"].replaces and "general" not in services["ask_typ"].replaces
    assert services["ask_te_services"].replaces == services["ask_typ"].replaces | {"ask_reform"}
    assert services["ask_duuri"].replaces is None  # all topic questions


@pytest.mark.parametrize("data, problem", [
    ({}, "expected `services`"),
    ({"services": {"ask_typ": {"names": {"fi": ["typ$"], "sv": ["TYP$"]}, "replaces": "all"}}}, "en: expected a list"),
    ({"services": {"ask_typ": {"names": {"fi": ["typ"], "sv": ["typ"], "en": ["typ"]}, "replaces": 3}}},
     "replaces: expected"),
    ({"services": {"ask_typ": {"names": {"fi": ["typ"], "sv": ["typ"], "en": ["typ"]}, "replaces": "all",
                               "alone": "yes"}}}, "alone: expected"),
    ({"services": {"ask_typ": {"names": {"fi": ["*typ"], "sv": ["typ"], "en": ["typ"]}, "replaces": "all",
                               "alone": True}}}, "alone: expected"),
    ({"services": {"ask_typ": {"names": {"fi": ["typ"], "sv": ["typ"], "en": ["typ"]}, "replaces": "all",
                               "unless": {"fi": ["Iso"], "sv": ["x"], "en": ["x"]}}}}, "unless: fi: expected"),
])
def test_a_broken_file_names_the_problem(data, problem):
    with pytest.raises(NamedServicesError, match=problem.replace("`", ".")):
        parse(data)


def test_duuri_named_in_small_talk_and_the_b_statement_in_a_plan_question():
    duuri = _message("Muistelin tänään vanhaa Duuria, se oli hyvä paikka", "out_of_scope")
    b_statement = _message("Sossu pyysi B-lausunnon ennen suunnitelmaa, mistä sellaisen saa?", "ask_activation_plan")
    NamedService().process([duuri, b_statement])
    assert duuri.get(INTENT)["name"] == "ask_duuri"
    assert b_statement.get(INTENT)["name"] == "ask_b_statement"


@pytest.mark.parametrize("text, language, intent", [
    # a relative with an intellectual disability and the activity: the disability work activity,
    # whatever topic the words were nearest to
    ("Veljelläni on kehitysvamma ja hän on kotona. Voisiko hän päästä johonkin työtoimintaan?", "fi", "ask_absences"),
    ("Min son har Downs syndrom och vill jobba på dagarna, finns det nåt?", "sv", "ask_who_is_it_for"),
    ("my brother has an intellectual disability, is there work activity he could join", "en", "ask_elsewhere"),
    # named by name too ("avotyö"): the people widen what it replaces
    ("Poikani on kehitysvammainen. Pääsisikö hän avotyöhön ja saako siitä palkkaa?", "fi", "ask_refusal"),
])
def test_a_question_about_work_activity_for_someone_with_an_intellectual_disability(text, language, intent):
    message = _message(text, intent, language)
    NamedService().process([message])
    assert message.get(INTENT)["name"] == "ask_disability_work_activity"


@pytest.mark.parametrize("text, intent", [
    ("Mulla on kehitysvamma, paljonko kuntouttavasta maksetaan?", "ask_cost"),  # no word of the activity's
    ("Minulla on kehitysvamma ja asun Helsingissä, olen 30. Haluaisin töihin.", "inform"),  # one's own situation
    ("Haluaisin lopettaa avotyön, mutta se olisi noloa", "ask_refusal"),  # by name only: general questions
])
def test_the_people_alone_or_ones_own_situation_keep_their_intent(text, intent):
    message = _message(text, intent)
    NamedService().process([message])
    assert message.get(INTENT)["name"] == intent


def test_for_people_with_needs_every_language():
    data = {"services": {"ask_x": {"names": {"fi": ["x"], "sv": ["x"], "en": ["x"]}, "replaces": "all",
                                   "for_people_with": {"conditions": {"fi": ["a"], "sv": ["a"]},
                                                       "activity": {"fi": ["b"], "sv": ["b"], "en": ["b"]},
                                                       "replaces": "all"}}}}
    with pytest.raises(NamedServicesError, match="conditions: en: expected a list"):
        parse(data)


def test_a_relatives_situation_with_an_intellectual_disability_is_about_the_disability_work_activity():
    son = _message("Min son är 22 och har Downs syndrom. Vi bor i Helsingfors och han skulle vilja jobba.",
                   "inform", "sv")
    own = _message("Jag är 35, har en intellektuell funktionsnedsättning och bor i Helsingfors. Jag vill jobba.",
                   "inform", "sv")
    guidance = _message("Vår dotter har Downs syndrom, hon vill jobba. Vad finns det för henne?",
                        "start_guidance", "sv")
    NamedService().process([son, own, guidance])
    assert son.get(INTENT)["name"] == "ask_disability_work_activity"
    assert guidance.get(INTENT)["name"] == "ask_disability_work_activity"
    assert own.get(INTENT)["name"] == "inform"


def test_where_the_work_centres_are_but_not_what_is_done_there():
    where = _message("Where are the work centres for rehabilitative work activity in Helsinki?",
                     "ask_how_to_apply", "en")
    tasks = _message("I start next week at some work centre. What kind of tasks will I do there?",
                     "ask_what_participants_do", "en")
    NamedService().process([where, tasks])
    assert where.get(INTENT)["name"] == "ask_locations"
    assert tasks.get(INTENT)["name"] == "ask_what_participants_do"


def test_a_pension_named_without_a_decision_is_no_question_for_another_body():
    assert named_service("voiko kuntouttavassa olla työkyvyttömyyseläkkeellä", "fi") is None


def test_a_named_duty_replaces_a_request_for_guidance_only_where_listed():
    """"pitääkö mun hakee 4 työpaikkaa kuussa vaikka oon kuntsarissa? ... nyt pelottaa" sounded like a
    request for guidance: the job-search duty's own answer (ask the employment services) replaces it.
    A service that does not list ``start_guidance`` leaves a request for guidance alone."""
    duty = _message("pitääkö mun hakee 4 työpaikkaa kuussa vaikka oon kuntsarissa? nyt pelottaa", "start_guidance")
    typ = _message("haluan ohjausta, olen TYP:n asiakas", "start_guidance")
    NamedService().process([duty, typ])
    duuri = _message("min bror gick på Duuri, nu vill jag föreslå samma sak åt min kusin. Finns det kvar?",
                     "start_guidance", "sv")
    NamedService().process([duuri])
    assert duty.get(INTENT)["name"] == "ask_elsewhere"
    assert typ.get(INTENT)["name"] == "start_guidance"
    assert duuri.get(INTENT)["name"] == "ask_duuri"  # replaces every question, a request for guidance too


@pytest.mark.parametrize("language, text", [
    ("sv", "arbetsverksamhet?"),
    ("sv", "Arbetsverksamheten"),
    ("fi", "työtoiminta?"),
    ("fi", "kuntsari"),
    ("fi", "Kuntouttava työtoiminta!"),
    ("en", "work activity?"),
    ("en", "rehabilitative work"),
    # a one-word message's language is a guess: any language's name counts
    ("en", "arbetsverksamhet"),
])
def test_the_activitys_name_alone_asks_what_it_is(language, text):
    naming = named_service(text, language)
    assert naming is not None and naming.intent == "ask_rehabilitative_work_activity"
    # "arbetsverksamhet?" had got Helsinki's work centres, "työtoiminta?" the fallback
    assert naming.may_replace("ask_locations", frozenset({"ask_locations"}))
    assert naming.may_replace("nlu_fallback", frozenset())
    assert not naming.may_replace("inform", frozenset())  # an interview answer stays one


@pytest.mark.parametrize("language, text", [
    ("fi", "mikä on työtoiminta"),      # a question around the name: the classifier decides
    ("fi", "työtoiminta helsingissä"),
    ("sv", "arbetsverksamhet i Vasa, var?"),
    ("en", "work activity for my brother"),
])
def test_the_activitys_name_with_other_words_is_left_to_the_classifier(language, text):
    assert named_service(text, language) is None


def test_the_name_alone_is_no_other_service():
    assert named_service("avotyö", "fi").intent == "ask_disability_work_activity"
    assert named_service("sosiaalinen kuntoutus?", "fi").intent == "ask_social_rehabilitation"
    assert named_service("TYP", "sv").intent == "ask_typ"
