"""Questions about other services (bot/nlu/scope.py, bot/rasa_components/scope_gate.py)."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import beginnings
from bot.nlu.scope import SCOPE_FILE, ScopeWordsError, load, names_another_service, parse
from bot.rasa_components.scope_gate import ELSEWHERE, ScopeGate


@pytest.mark.parametrize("text,other", [
    ("Miten perustoimeentulotuki lasketaan?", "perustoimeentulotu"),
    ("voiko vanhempainvapaalla olla töissä", "vanhempainvapa"),
    ("Hur ansöker man om bostadsbidrag?", "bostadsbidrag"),
    ("Vad är aktiveringsmodellen?", "aktiveringsmodell"),
    ("how do I apply for HOUSING allowance", "housing allowance"),
    ("what happens after my work try-out", "work try"),
    ("I want to study Finnish full-time while I'm unemployed, will I keep my benefit?", "study"),
    ("Saanko opiskella lähihoitajaksi ja pitää silti työttömyysetuuden?", "opiskel"),
    # losing one's job soon: register as a job seeker (not the interview for the unemployed)
    ("Jään työttömäksi maaliskuussa. Mitä mun kannattaa tehdä?", "jaan tyottom"),
    ("Mitt jobb tar slut och jag kommer att bli arbetslös i vår, vad gör jag?", "kommer att bli arbetslos"),
    ("I'm about to lose my job at the warehouse. What should I do?", "about to lose my job"),
    # Kela's words for its benefits' details
    ("Saako lapsikorotusta, jos lapsi asuu toisella vanhemmalla?", "lapsikorotu"),
    ("Hur fyller jag i en efterhandsutredning?", "efterhandsutredning"),
    ("Kela says I was overpaid and must pay it back, what now?", "overpaid"),
    ("Milloin on seuraava maksupäivä?", "maksupaiv"),
    # a complaint about child protection is no question of the activity's rights
    ("Haluun valittaa lastensuojelun työntekijästä, kohteli tosi huonosti", "lastensuojel"),
    ("Var klagar man på barnskyddet?", "barnskydd"),
    ("the child welfare worker was rude to me, where do I complain", "child welfare"),
    ("Får jag resekostnadsersättning för läkarbesök?", "lakarbesok"),
    # a pension decision is the payer's, its appeal too; a partner's income is Kela's matter
    ("Eläkehakemukseni hylättiin, vaikka lääkäri sanoi etten pysty töihin. Mitä nyt?", "elakehakemukseni hylattiin"),
    ("Jag fick avslag på min pension fast läkaren skrev att jag inte kan jobba", "avslag pa min pension"),
    ("My pension application was rejected even though my doctor says I can't work",
     "pension application was rejected"),
    ("Vaikuttaako puolison tulot mun työmarkkinatukeen?", "puolison tulot"),
    ("My partner earns 2500 a month, will my benefit be cut?", "partner earns"),
])
def test_a_question_about_another_service(text, other):
    assert names_another_service(text) == other


@pytest.mark.parametrize("text", [
    # the assistant's own subject named beside another service: the classifier decides
    "Saanko toimeentulotukea, jos olen kuntouttavassa työtoiminnassa?",
    "Minskar verksamhetspengen mitt utkomststöd?",
    "If I refuse, will my social assistance be cut?",
    # nothing named at all
    "mitä siellä oikein tehdään",
    "What types of work are there?",   # "typ$" is the whole word TYP only
    "Mikä on TYP:n puhelinnumero?",
    "menetänkö työmarkkinatuen jos en mene",  # the unemployment benefit is ours to answer
    "voiko kuntouttavan aikana opiskella",     # studying during the activity is ours
    "voinko opiskella kuntsarin ohella",       # the colloquial name is ours too
    "does rehab work affect my housing allowance",
    "olen jäämässä työttömäksi, voinko päästä kuntouttavaan?",  # asks about the activity
    "olen ollut työtön kaksi vuotta, mitä teen?",               # unemployed now: the interview
    # the activity's own money and travel costs, with Kela's words
    "Mikä on kuntouttavan työtoiminnan kulukorvauksen maksupäivä?",
    "Jos olen lääkärikäynnillä, onko se poissaolo kuntouttavasta?",
    # the activity's 9 euros, its days and workshops name it, whatever benefit comes with them
    "Saanko toimeentulotuella silti sen 9e päivältä?",
    "Får jag 9 euro om dagen fast jag har utkomststöd?",
    "If I'm on social assistance do I still get the 9 euros a day?",
    "Kela kysyy toimintapäivistä, mitä vastaan",
    "I missed two activity days, will Kela cut my allowance?",
    # the days one is there, with social assistance: the activity allowance
    "Jag får bara utkomststöd, får jag något extra för dagarna jag är där",
    "I'm only on social assistance, is there any extra money for the days I attend",
    "toimeentulotuella oon, saako osallistumispäiviltä jotain lisää",
    # how taking part affects a pension application is the health and pension topic
    "Does taking part affect my disability pension application?",
    "Vaikuttaako osallistuminen mun eläkehakemukseen?",
    "Vem betalar om jag skadar handen på verkstaden och har ingen försäkring via arbetsgivare?",
])
def test_not_another_service(text):
    assert names_another_service(text) is None


def test_word_beginnings():
    words = beginnings.folded_words("TE-toimiston Työkokeilu, TYP:n")
    assert words == " te toimiston tyokokeilu typ n "
    assert beginnings.beginning("te-toimisto") == "te toimisto"
    assert beginnings.beginning("typ$") == "typ "
    assert beginnings.first_match(words, ("työkokeilu",)) is None  # entries must be made by beginning()
    assert beginnings.first_match(words, ("kokeilu", "te toimisto")) == "te toimisto"  # beginnings only
    assert beginnings.first_match(words, (beginnings.beginning("työkokeilu"),)) == "tyokokeilu"
    assert beginnings.first_match(words, ("typ ",)) == "typ "
    assert beginnings.first_match(" types ", ("typ ",)) is None


def test_the_file_loads_and_lists_every_language():
    words = load(SCOPE_FILE)
    assert words.ours and words.elsewhere
    assert not set(words.ours) & set(words.elsewhere)


@pytest.mark.parametrize("data,problem", [
    ({"fi": {"ours": ["a"], "elsewhere": ["b"]}}, "sv: expected the lists"),
    ({"fi": {"ours": ["a"], "elsewhere": ["B"]}, "sv": {"ours": ["a"], "elsewhere": ["b"]},
      "en": {"ours": ["a"], "elsewhere": ["b"]}}, "'B': write it in lower case"),
    ({"fi": {"ours": [], "elsewhere": ["b"]}, "sv": {"ours": ["a"], "elsewhere": ["b"]},
      "en": {"ours": ["a"], "elsewhere": ["b"]}, "de": {}}, "fi: ours: expected a list"),
    ("nonsense", "expected the languages"),
])
def test_a_broken_file_names_the_problem(data, problem):
    with pytest.raises(ScopeWordsError, match=problem.replace("(", r"\(")):
        parse(data)


def _message(text: str, intent: str, confidence: float = 0.9) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "ask_duration", "confidence": 0.05}])
    return message


def test_the_gate_makes_another_service_a_fallback_and_leaves_the_rest():
    gate = ScopeGate()
    about_other = _message("Miten perustoimeentulotuki lasketaan?", "ask_cost")
    ours = _message("Paljonko kuntouttavasta työtoiminnasta maksetaan?", "ask_cost")
    answer = _message("en saa toimeentulotukea", "deny")  # an interview answer keeps its intent
    gate.process([about_other, ours, answer])
    assert about_other.get(INTENT) == {"name": "ask_elsewhere", "confidence": 0.9}
    assert [r["name"] for r in about_other.get(INTENT_RANKING_KEY)] == ["ask_elsewhere", "ask_cost", "ask_duration"]
    assert about_other.get(ELSEWHERE) == "perustoimeentulotu"
    assert ours.get(INTENT)["name"] == "ask_cost" and ours.get(ELSEWHERE) is None
    assert answer.get(INTENT)["name"] == "deny"


@pytest.mark.parametrize("text", ["???", "🙂", "👍👍", " ... !"])
def test_a_message_without_words_asks_for_help_instead_of_a_guessed_topic(text):
    message = _message(text, "ask_cost")  # "???" came out as the question about money
    ScopeGate().process([message])
    assert message.get(INTENT) == {"name": "help", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == ["help", "ask_cost"]


@pytest.mark.parametrize("text", ["45", "/ask_cost", "ok?"])
def test_numbers_button_payloads_and_words_keep_their_intent(text):
    message = _message(text, "inform")
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "inform"


def test_asking_file_edits_are_read_again_and_a_broken_one_keeps_the_last_good(tmp_path, caplog):
    from bot.guidance import asking

    path = tmp_path / "asking.yml"
    original = asking.ASKING_FILE.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    assert asking._load(path).default.id == "social_services"
    path.write_text(original.replace("default: social_services", "default: kela"), encoding="utf-8")
    assert asking._load(path).default.id == "kela", "a staff edit is used without a restart"
    path.write_text(original + "\n  - id: [broken\n", encoding="utf-8")
    assert asking._load(path).default.id == "kela"
    assert "still using the last good version" in caplog.text


@pytest.mark.parametrize("text, confidence, expected", [
    ("Mikä on uusi asiakaspalvelumalli?", 0.36, "nlu_fallback"),           # unsure, nothing of ours
    ("Vilka arbetslöshetsförmåner betalar FPA ut?", 0.58, "nlu_fallback"),
    ("Mikä on uusi asiakaspalvelumalli?", 0.75, "ask_locations"),          # sure enough
    ("är det gratis", 0.36, "ask_locations"),                              # short: the classifier's
    ("Missä kuntouttavaa työtoimintaa järjestetään?", 0.36, "ask_locations"),  # names our subject
])
def test_an_unsure_topic_question_outside_our_subject_is_a_fallback(text, confidence, expected):
    message = _message(text, "ask_locations", confidence)
    ScopeGate(unsure_below=0.6, min_words=4).process([message])
    assert message.get(INTENT)["name"] == expected
    assert message.get(ELSEWHERE) is None


@pytest.mark.parametrize("text, confidence, expected", [
    ("Hur påverkar arbetslöshet förmånerna från FPA?", 0.85, "nlu_fallback"),  # next to the subject only
    ("Hur påverkar arbetslöshet förmånerna från FPA?", 0.95, "ask_cost"),      # sure enough
    ("varför ska jag dit, jag kan ju jobba. fattar inte", 0.85, "ask_cost"),   # points to the activity
    ("Vad för jobb gör man på en sån plats egentligen", 0.85, "ask_cost"),    # ... as a place one goes to
    ("jos olen työtön, saanko kulukorvausta", 0.85, "ask_cost"),               # names our subject
    ("Mikä on uusi asiakaspalvelumalli?", 0.85, "ask_cost"),                   # nothing near: the 0.7 limit
])
def test_a_question_next_to_the_subject_needs_a_surer_classifier(text, confidence, expected):
    message = _message(text, "ask_cost", confidence)
    ScopeGate(unsure_below=0.7, min_words=4, near_unsure_below=0.9).process([message])
    assert message.get(INTENT)["name"] == expected


def test_the_unsure_check_is_off_by_default_and_only_for_topics():
    message = _message("Mikä on uusi asiakaspalvelumalli?", "ask_locations", 0.3)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "ask_locations"
    meta = _message("why did you suggest this to me", "ask_why", 0.3)
    ScopeGate(unsure_below=0.6).process([meta])
    assert meta.get(INTENT)["name"] == "ask_why"


@pytest.mark.parametrize("language, text, expected", [
    # the most specific words decide who can answer
    ("fi", "Kuinka haen täydentävää toimeentulotukea silmälaseihin?", "social_services"),
    ("fi", "Miten perustoimeentulotuki lasketaan?", "kela"),
    ("en", "I need help to apply preventive social assistance for my kid's hobby", "social_services"),
    ("sv", "Hur söker jag kompletterande utkomststöd?", "social_services"),
    ("en", "Can I get a startup grant to open my own small restaurant?", "employment_services"),
    ("sv", "Vilken roll har arbets- och näringsbyrån i aktiveringsmodellen?", "employment_services"),
    ("fi", "entä jos kieltäydyn, menetänkö työmarkkinatuen", "kela"),
    # the earnings-related allowance is the resident's own fund's, not Kela's
    ("fi", "maksaako kassa ansiosidonnaista kuntouttavan ajalta", "unemployment_fund"),
    ("sv", "betalar a-kassan inkomstrelaterad dagpenning under arbetsverksamheten", "unemployment_fund"),
    ("en", "does my unemployment fund keep paying the earnings-related allowance", "unemployment_fund"),
    # what the employment services decide, though the question names Kela's benefit too
    ("fi", "voinko opiskella omaehtoisesti niin että työttömyysetuus säilyy", "employment_services"),
    ("sv", "får jag studera på eget initiativ och behålla arbetsmarknadsstödet", "employment_services"),
    ("en", "does volunteering at the Red Cross affect my labour market subsidy", "employment_services"),
    ("en", "How does an employer apply for a pay subsidy?", "employment_services"),
    # pensions by age are no question for the social services
    ("fi", "milloin pääsen vanhuuseläkkeelle", "kela"),
    ("sv", "när kan jag gå i ålderspension", "kela"),
])
def test_who_can_answer_is_chosen_by_the_most_specific_words(language, text, expected):
    from bot.guidance import asking
    kind = asking.named_kind(text)
    assert kind is not None and kind.id == expected


@pytest.mark.parametrize("text, expected", [
    ("How much is unemployment benefit from Kela per month?", "ask_elsewhere"),
    ("Hur stort är arbetsmarknadsstödet per dag år 2025?", "ask_elsewhere"),
    ("paljonko peruspäiväraha on nykyään", "ask_elsewhere"),
    # the activity's own money, named or pointed to, stays with the topic
    ("paljonko kuntouttavasta maksetaan työmarkkinatuen lisäksi", "ask_cost"),
    ("how much do I get on top of the labour market subsidy there", "ask_cost"),
    ("hur mycket e den dagliga ersättningen, får man arbetsmarknadsstöd samtidigt", "ask_cost"),
    ("does this affect my labour market subsidy", "ask_cost"),              # no amount asked
    # the amount asked in one sentence, "siihen" (it) in the next points to the benefit
    ("paljonko peruspäiväraha on päivässä? ja vaikuttaako puolison palkka siihen", "ask_elsewhere"),
    # ... but pointing in the amount's own sentence keeps the topic
    ("paljonko työmarkkinatuki on siellä ollessa? kysyn vaan", "ask_cost"),
])
def test_how_much_a_benefit_is_goes_to_kela_not_to_the_activitys_money(text, expected):
    message = _message(text, "ask_cost", 0.95)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == expected


def test_the_benefit_amount_check_is_only_for_the_money_topic():
    message = _message("How much is unemployment benefit from Kela per month?", "ask_duration", 0.95)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "ask_duration"


def test_asking_file_words_and_decides_must_be_lists_per_language():
    from bot.guidance import asking
    kind = {"id": "kela", "lead": "ask.kela", "contacts": {"other": "kela_service_numbers"},
            "words": {"fi": ["kela"], "sv": [], "en": []}}
    good, errors = asking.parse({"default": "kela", "kinds": [{**kind, "decides": {"fi": ["omaehtoi"]}}]})
    assert good is not None and not errors and good.kinds[0].decides["fi"] == ("omaehtoi",)
    broken, errors = asking.parse({"default": "kela", "kinds": [{**kind, "decides": {"fi": "omaehtoi"}}]})
    assert broken is None and any("decides" in e for e in errors)


@pytest.mark.parametrize("text, expected", [
    # a long "help" message that names something next to the subject: who can answer it
    ("Can someone help me, I lost my job and have no idea what to do about my unemployment benefit?",
     "ask_elsewhere"),
    # ... one that names nothing of it: small talk, whose action names a contact when it can
    ("Could you please help me with this thing I have been wondering about for a long time now?",
     "out_of_scope"),
    # a request for help with the assistant itself stays one
    ("en tiedä mitä tältä botilta voi kysyä", "help"),
    ("I don't know what I can ask", "help"),
])
def test_a_long_help_message_is_a_question_of_the_residents_own(text, expected):
    message = _message(text, "help", 0.8)
    ScopeGate(help_max_words=10).process([message])
    assert message.get(INTENT)["name"] == expected


def test_help_messages_are_left_alone_by_default():
    message = _message("Can someone help me, I lost my job and have no idea what to do about my benefit?", "help", 0.8)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "help"


@pytest.mark.parametrize("text, intent", [
    ("write me a python script to find job ads on the employment office site", "ask_te_services"),
    ("kirjoita minulle runo työttömyydestä ja Kelasta", "out_of_scope"),
    ("Kan du översätta mitt CV till svenska åt mig?", "ask_other"),
])
def test_a_request_to_make_something_is_small_talk_whatever_it_names(text, intent):
    message = _message(text, intent, 0.6)
    ScopeGate(help_max_words=10).process([message])
    assert message.get(INTENT)["name"] == "out_of_scope"


@pytest.mark.parametrize("text", [
    "9 euroa päivässä, onko tää joku vitsi? menetänkö tuen jos en mene", "Can I write my CV during the activity?"])
def test_a_question_that_mentions_writing_or_a_joke_is_no_task(text):
    from bot.nlu.scope import asks_for_a_task

    assert not asks_for_a_task(text)


@pytest.mark.parametrize("text, expected", [
    ("Kuinka kauan hakemuksen käsittely kestää?", "ask_elsewhere"),
    ("Hur lång tid tar det att handlägga ansökan?", "ask_elsewhere"),
    ("How long does it take to get a decision?", "ask_elsewhere"),
    # the activity's own duration, named or pointed to
    ("kauanko kuntouttava kestää päätöksen jälkeen", "ask_duration"),
    ("how long does it last after the decision", "ask_duration"),
    ("How many months does it last?", "ask_duration"),
])
def test_how_long_a_decision_takes_is_not_how_long_the_activity_lasts(text, expected):
    message = _message(text, "ask_duration", 0.95)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == expected


@pytest.mark.parametrize("text, expected", [
    ("Milloin saan rahat tilille?", "ask_elsewhere"),
    ("När kommer pengarna, vilken dag i månaden?", "ask_elsewhere"),
    ("When do I get my money?", "ask_elsewhere"),
    # the activity's money named or pointed to: its answer (paid with the benefit)
    ("Milloin kulukorvaus maksetaan?", "ask_cost"),
    ("when do I get paid for it", "ask_cost"),
    ("Hur mycket får jag per dag?", "ask_cost"),
])
def test_when_money_comes_is_not_how_much_the_activity_pays(text, expected):
    message = _message(text, "ask_cost", 0.95)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == expected


@pytest.mark.parametrize("text, confidence, expected", [
    # long, names the subject and a benefit, and the classifier is unsure: who can answer
    ("Kela ei ole maksanut kulukorvausta kuukauteen vaikka päivät on ilmoitettu, kenelle soitan?", 0.38,
     "nlu_fallback"),
    # ... sure enough: the topic
    ("Kela ei ole maksanut kulukorvausta kuukauteen vaikka päivät on ilmoitettu, kenelle soitan?", 0.8,
     "ask_absences"),
    # short, or naming nothing next to the subject: the topic
    ("saanko kulukorvausta Kelalta?", 0.38, "ask_absences"),
    ("mitä kuntouttavassa työtoiminnassa tehdään ihan tavallisena päivänä, kerro vähän", 0.38, "ask_absences"),
])
def test_an_unsure_long_question_about_the_subject_and_a_benefit_names_who_can_answer(text, confidence, expected):
    message = _message(text, "ask_absences", confidence)
    ScopeGate(mixed_unsure_below=0.5, mixed_min_words=10).process([message])
    assert message.get(INTENT)["name"] == expected


def test_the_mixed_check_is_off_by_default():
    message = _message("Kela ei ole maksanut kulukorvausta kuukauteen vaikka päivät on ilmoitettu, kenelle soitan?",
                       "ask_absences", 0.38)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "ask_absences"


@pytest.mark.parametrize("text", [
    "I'm a python developer, unemployed for two years, what do participants do in the activity?",
    "Olen python-koodari ja työtön, mitä kuntouttavassa tehdään?"])
def test_a_programmer_asking_about_the_activity_is_no_task(text):
    message = _message(text, "ask_what_participants_do", 0.9)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "ask_what_participants_do"


def _elsewhere(text: str, confidence: float, runner_up: str, runner_up_confidence: float) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": "ask_elsewhere", "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": "ask_elsewhere", "confidence": confidence},
                                     {"name": "inform", "confidence": 0.001},
                                     {"name": runner_up, "confidence": runner_up_confidence}])
    return message


@pytest.mark.parametrize("text, expected", [
    # names the activity or points to it as a place: the next question intent (not the
    # interview answer), with its confidence among the rest
    ("Mulla on työmarkkinatuki ja asumistuki ja nyt pitäis alkaa käydä kuntouttavassa, saanko siitä lisää rahaa?",
     "ask_cost"),
    ("Miten mä pääsen sinne ja kuka maksaa matkat, bussi on kallis?", "ask_cost"),
    ("måst ja gå dit om ja int vill?? FPA-stödet kan sänkas", "ask_cost"),
    ("this bureaucracy is killing me, how long does the whole thing last anyway", "ask_cost"),
    # "this", "it" and "tällä" point to no place: still a question for another service
    ("when does kela pay the labour market subsidy this month, mine is late", "ask_elsewhere"),
    ("Kuinka suuri työmarkkinatuki on tällä hetkellä päivää kohden?", "ask_elsewhere"),
    ("Får man läsa kurser vid öppna universitetet och ändå behålla arbetslöshetsersättningen?", "ask_elsewhere"),
])
def test_a_question_for_another_service_that_names_or_points_to_the_activity_is_about_it(text, expected):
    message = _elsewhere(text, 0.9, "ask_cost", 0.08)
    ScopeGate(unsure_below=0.7, near_unsure_below=0.9).process([message])
    confidence = 0.8 if expected == "ask_cost" else 0.9
    assert message.get(INTENT) == {"name": expected, "confidence": pytest.approx(confidence)}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == expected


def test_a_mixed_long_question_taken_back_from_elsewhere_is_still_checked_for_doubt():
    # names the activity and a benefit; among the rest the topic has 0.3: who can answer
    text = "Jos sairastun pidemmäks aikaa kesken kuntouttavan, saanko sairauspäivärahaa vai jatkuuko työmarkkinatuki?"
    message = _elsewhere(text, 0.9, "ask_cost", 0.03)
    ScopeGate(mixed_unsure_below=0.5, mixed_min_words=10).process([message])
    assert message.get(INTENT)["name"] == "nlu_fallback"


@pytest.mark.parametrize("text, intent", [
    ("kiitos paljon, soitan sinne huomenna", "out_of_scope"), ("cheers mate", "nlu_fallback"),
    ("tack för hjälpen, jag ringer dit i morgon", "ask_how_to_apply"),
    ("thank you so much, that helps", "nlu_fallback"),
])
def test_thanks_that_ask_nothing_are_thanks(text, intent):
    message = _message(text, intent, 0.5)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "thanks"


@pytest.mark.parametrize("text, intent", [
    ("kiitos, mutta miten sinne pääsee?", "ask_how_to_apply"),  # asks something
    ("thanks but I still want to know what I would actually be doing there every day", "ask_what_participants_do"),
    ("kiitos ei", "deny"),  # an answer: not a question intent, left alone
    ("typ", "ask_typ"),  # "ty" is a whole word only
])
def test_thanks_with_a_question_or_an_answer_keep_their_intent(text, intent):
    message = _message(text, intent, 0.5)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == intent


@pytest.mark.parametrize("text", [
    "Can they force my husband to go there?",  # being made to go is the activity's own question
    "my social worker wants to make me go, is that allowed",
    "måste ja gå på den där arbetsverksamhten?",  # misspelt, the beginning still names it
    # not going, in everyday words, and the activity named in other words
    "jos en mene niin lähteekö työmarkkinatuki",
    "om jag inte går, förlorar jag stödet då",
    "social worker says I must go to this rehabilitation work thing or I lose my money",
])
def test_being_made_to_go_and_misspelt_names_are_our_subject(text):
    from bot.nlu.scope import names_our_subject

    assert names_our_subject(text)


@pytest.mark.parametrize("text, expected", [
    # venting about the activity that the classifier took for small talk
    ("ei jaksa enää. taas yks aamu kierrätyskeskuksessa lajittelemassa roskia yhdeksällä eurolla", "nlu_fallback"),
    ("I am so done with this rehab work nonsense honestly", "nlu_fallback"),
    # small talk that names nothing of the activity, or is too short, stays small talk
    ("what's the weather like in Oulu today", "out_of_scope"),
    ("kuntouttava?", "out_of_scope"),
    # a request to make something stays small talk whatever it names
    ("write me a poem about rehabilitative work activity", "out_of_scope"),
])
def test_small_talk_about_the_activity_itself_gets_the_honest_answer(text, expected):
    message = _message(text, "out_of_scope", 0.6)
    ScopeGate(min_words=4).process([message])
    assert message.get(INTENT)["name"] == expected


@pytest.mark.parametrize("text, confidence, expected", [
    # venting about the activity, placed unsurely in a topic: thanked for with the contact
    ("Taas koko päivä kuntsarissa lajiteltiin muovipusseja hyllyyn. Yhdeksän euroa päivä. Tällaista tää on.",
     0.3, "nlu_fallback"),
    ("we sit in the rehab workshop all day doing nothing useful and call it rehabilitation honestly", 0.3,
     "nlu_fallback"),
    # sure enough: the topic
    ("Taas koko päivä kuntsarissa lajiteltiin muovipusseja hyllyyn. Yhdeksän euroa päivä. Tällaista tää on.",
     0.6, "ask_duration"),
    # a question, however unsure: the classifier's (the other checks decide)
    ("Kuinka monta tuntia päivässä kuntouttavassa työtoiminnassa ollaan yleensä?", 0.3, "ask_duration"),
    # short: no statement of its own
    ("kuntsari 4 päivää viikossa", 0.3, "ask_duration"),
])
def test_an_unsure_topic_for_a_message_that_asks_nothing_is_the_honest_answer(text, confidence, expected):
    message = _message(text, "ask_duration", confidence)
    ScopeGate(statement_unsure_below=0.4).process([message])
    assert message.get(INTENT)["name"] == expected


def test_the_statement_check_is_off_by_default():
    message = _message("Taas koko päivä kuntsarissa lajiteltiin muovipusseja hyllyyn. Tällaista tää on nyt.",
                       "ask_duration", 0.2)
    ScopeGate().process([message])
    assert message.get(INTENT)["name"] == "ask_duration"
