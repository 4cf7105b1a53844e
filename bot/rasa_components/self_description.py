"""NLU component after the classifier: a message that tells where the writer lives and how
old they are is a description of their situation, and the interview starts with it.

Residents often open with their story and end with a general question ("Asun Oulussa, olen
61 ja ollut työttömänä vuodesta 2021. Selkä on huono... Mitä vaihtoehtoja minulla on?").
The intent classifier reads the story's words and picks the nearest topic (there: the
client's rights), often confidently, because long messages add up many features. When the
profile extractor found both the writer's age and municipality, the message gets the
intent ``inform`` instead: the interview takes the facts, asks only what is missing and
gives the route answer with its first step and contact. Intents that are not questions
(emergency, talk to a person, language, feedback, forget me, yes/no) keep theirs.

The other way round, ``inform`` with no fact found is no description of one's situation:
"Kuulunko TYP:n asiakkaaksi, jos olen ollut yli vuoden työtön?" came out as ``inform`` and
started the interview, and so did a request for a pie recipe. Such a message gets the
classifier's best question intent instead (here: the question about TYP), or
``out_of_scope`` when the runner-up is no question.

The municipality with another fact of the situation (unemployment, health, a disability, a
referral) also
makes a message a description of the situation when the classifier saw no topic question in
it ("Jag sitter i rullstol och bor i Kempele. Vad kan jag göra?" was small talk to it). And a
longer message with a question mark is a question even when the classifier took it for a
short answer ("var finns TE-byrån nu? ja hittar den int längre" came out as "skip", from
Finland-Swedish "ja" for "jag" and "int"): it gets the best question intent when that has
some confidence.

A fact of the writer's own situation (age, unemployment, health, a disability) with an open
request for guidance ("what should I do?", "vad ska jag göra?": ``open_guidance`` in
bot/nlu/scope.yml) makes a message a description of the situation too, whatever topic its
words are nearest to: "mulla on mielenterveysongelmia enkä oo ollu töissä pitkään aikaan, mitä
mä voisin tehdä" is no question about health and pensions, and "ja bor i Vasa å e arbetslös sen
länge, vad ska ja göra?" no question for another service.

A message written for a close person that tells their working-life situation (their
unemployment, health or disability: see bot/rasa_components/profile_extractor.py) is a
description of a situation too, when the classifier took it for a question for another
service, small talk, doubt or whether one can join ("asking for a friend... he's been out of
work for years... could he get into rehabilitative work?"): "My partner has
been unemployed for ages and barely leaves the house. He's 38. What could help him?" and "Min
son är 22 och sitter mest hemma i Ekenäs... har fått utkomststöd... Vart kan vi vända oss?"
had got "ask Kela".

A description of one's situation that also asks a topic question the classifier was sure of
("Olen 33 ja asun Oulussa... kuntoutustuki loppui... pitäisikö taistella eläkkeestä?", the health
and pension question 0.66) keeps that question: the message's ``question_with_situation`` names
its intent, and the interview answers it before the first step (actions/interview.py). Not for
the questions the route answers itself (who is it for, can I join, how do I get in), nor for an
open request for guidance ("what are my options?"), nor when the classifier was unsure: a
long story's words lead it to a topic, which is why the story became ``inform``.

"Can I join / how do I get in" from a writer who says they are unemployed and that their
health or a disability affects their work is a request for their own way in, even without the
municipality ("oon ollut 4 vuotta työtön, ahdistusta ja uniongelmia... en tiedä miten sinne
pääsee"): ``inform``, with the question kept in ``question_with_situation`` so that its answer
comes first.

A greeting with a fact of the situation ("hej, jag bor i Vasa", "moi, oon 28") is the fact: the
guidance starts with it (the greeting alone had been answered, and the place forgotten). So is
one the classifier took for a goodbye: "hej" is both in Swedish, and one it took for small talk
or was unsure of with a greeting among its best guesses ("Hyvää päivää, kirjoittelen täältä
Porista" had got "I can't help with that") when it asks nothing.

A reply made of facts and particles only ("no hesa sit", "ok vantaa") answers a question (the
interview's, or a topic's "which municipality do you live in?"): ``inform``, whatever topic the
particles were nearest to ("sit", then, read as the next steps).

An open request for guidance with no fact at all ("en tiedä mitä teen, oon ollu kotona pari
vuotta", "I don't know what to do") that the classifier took for "I don't know", small talk,
doubt or a request for help with the assistant starts the guidance: its first question comes,
not "Can I help with anything else?".

A message the classifier takes for a question for another service (``ask_elsewhere``) that
states a fact of the writer's situation and asks nothing is an answer too: "joo oon työtön ja
saan työmarkkinatukea" names a benefit, which is what the classifier saw, but in the interview
it answers the question about unemployment. Such a short message gets ``inform``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.guidance import interview
from bot.guidance.topics import TOPIC_OF_INTENT
from bot.nlu.extract import ABOUT_SOMEONE_ELSE, asks_something
from bot.nlu.scope import asks_open_guidance
from bot.rasa_components.intent_rule import IntentRule, override_intent
from bot.rasa_components.language_resolver import LANGUAGE
from bot.rasa_components.scope_gate import ASK_ELSEWHERE

INFORM = "inform"
GREET = "greet"
#: A greeting with a fact of the situation is the fact. The Swedish "hej" is hello and goodbye
#: alike, so "Hej! Ja e från Ingå" was a goodbye to the classifier ("Tack för samtalet").
GREETINGS = frozenset({GREET, "goodbye"})
START_GUIDANCE = "start_guidance"
#: The facts that together make a message a description of the writer's situation.
SITUATION = frozenset({"age", "municipality"})
#: Intents a situation message may have been given instead of ``inform``.
REPLACEABLE = frozenset({"start_guidance", "out_of_scope", "help", "greet", "dont_know", "nlu_fallback"})
#: Facts that with the municipality describe the situation too ("Jag sitter i rullstol och bor
#: i Kempele. Vad kan jag göra?"); without the age such a message keeps a topic question's
#: intent ("olen työtön helsinkiläinen, paljonko siitä maksetaan?" asks about the money).
SITUATION_FACTS = frozenset(interview.SITUATION_FACTS)
#: With the municipality a referral is a fact of the situation too ("I got out of prison... live in
#: Kempele now. My Criminal Sanctions Agency worker made a referral for work activity. What do I
#: do next?" was doubt to the classifier, and got "I don't know"): the referral is the way in.
WITH_THE_PLACE = SITUATION_FACTS | {"referral"}
#: What makes a message written for someone else a situation for this guidance although the
#: classifier took it for another service's question: their unemployment, health or disability
#: ("My partner has been unemployed for ages... He's 38"). An age alone is not: "Äiti (83v) ei
#: enää pärjää kotona... miten saadaan kotihoito?" and "Min dotter e 16 o vill jobba i sommar"
#: are questions for other services.
WORKING_LIFE_FACTS = frozenset({"unemployed", "health_affects_work_ability", "disability"})
#: "Can I join / who is it for / how do I get in" with the municipality and another fact of the
#: writer's situation is a request for their route ("Olen ollut työttömänä... Voiko minä mennä
#: kuntouttava työtoiminta? Asun Vantaalla."): the route answer says whether it suits them and
#: where to turn. Questions about money, refusal or health keep their intent.
CAN_I_JOIN = frozenset({"ask_who_is_it_for", "ask_rehabilitative_work_activity", "ask_how_to_apply"})
#: "Can I join / how do I get in" from a writer who is unemployed and whose health or a disability
#: affects their work asks for their own way in, even without the municipality: "oon ollut 4
#: vuotta työtön, ahdistusta ja uniongelmia, ei sosiaalityöntekijää... en tiedä miten sinne pääsee"
#: had got who the activity is for alone; now that answer comes first, then the likely first step
#: and the interview's questions (``question_with_situation``). A healthy job seeker asking why
#: they are sent there keeps the answer of who it is for alone (on the read sets five such
#: questions had become the interview when any two facts counted).
UNWELL = frozenset({"health_affects_work_ability", "disability"})
#: What a request for guidance with no fact of the situation may have been taken for: "en tiedä
#: mitä teen, oon ollu kotona pari vuotta" came out as "I don't know" (the answer to a question).
UNSURE_OR_SMALL_TALK = frozenset({"dont_know", "out_of_scope", "nlu_fallback", "help"})
#: A message the classifier was unsure of or took for small talk greets when a greeting is among
#: its best intents with some confidence ("Hyvää päivää, kirjoittelen täältä Porista": small talk
#: 0.49, the greeting 0.21). A topic guess keeps its intent: "God dag, jag skriver från Kimito"
#: (absences 0.44, the greeting third with 0.16) is left to the unsure-topic handling.
GREETING_IN_TOP = 3
GREETING_MIN_CONFIDENCE = 0.15
#: A reply of facts and particles ("no hesa sit"): at most this many words, and every word
#: outside the facts at most this many letters ("no", "sit", "ok", "ja", "joo").
PARTICLES_MAX_WORDS = 4
PARTICLE_MAX_LETTERS = 3
#: Short answers to the interview's questions; a longer message with a question mark is a question.
ANSWERS = frozenset({"affirm", "deny", "skip", "dont_know"})
QUESTION_MIN_WORDS = 5
#: An answer that names a benefit and asks nothing is at most this long (see ``_short``).
ANSWER_MAX_WORDS = 12
QUESTION_MIN_CONFIDENCE = 0.2
#: How sure the classifier must be of a topic question asked with a description of one's
#: situation for it to be answered too (see the module docstring; tests/eval/README.md,
#: "Eighteenth stop").
SITUATION_QUESTION_MIN_CONFIDENCE = 0.6


def replaceable(intent: str) -> bool:
    return intent.startswith("ask_") or intent in REPLACEABLE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SelfDescription(IntentRule):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if (message.get(TEXT) or "").startswith("/"):
                continue  # button payloads carry their own intent
            intent = (message.get(INTENT) or {}).get("name") or ""
            stated = {entity.get(ENTITY_ATTRIBUTE_TYPE) for entity in message.get(ENTITIES) or []}
            if replaceable(intent) and SITUATION <= stated:
                if _asked_topic(message, intent):
                    message.set(interview.QUESTION_WITH_SITUATION, intent, add_to_output=True)
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif ((intent in REPLACEABLE or intent in CAN_I_JOIN)
                  and "municipality" in stated and stated & WITH_THE_PLACE):
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif intent in CAN_I_JOIN and not message.get(ABOUT_SOMEONE_ELSE) and _unemployed_and_unwell(message):
                # "oon ollut 4 vuotta työtön, ahdistusta ja uniongelmia... en tiedä miten sinne pääsee":
                # the question's own answer first, then the likely first step and the interview
                message.set(interview.QUESTION_WITH_SITUATION, intent, add_to_output=True)
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif replaceable(intent) and stated & SITUATION_FACTS and asks_open_guidance(message.get(TEXT) or ""):
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif (message.get(ABOUT_SOMEONE_ELSE) and intent in (*REPLACEABLE, *CAN_I_JOIN, ASK_ELSEWHERE)
                  and stated & WORKING_LIFE_FACTS):
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif (intent == ASK_ELSEWHERE and stated - {None} and _short(message.get(TEXT) or "")
                  and not asks_something(message.get(TEXT) or "", _language(message))):
                # "joo oon työtön ja saan työmarkkinatukea" names a benefit but asks nothing
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif intent in GREETINGS and stated - {None}:
                # "hej, jag bor i Vasa": the greeting is politeness, the fact starts the guidance
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif (intent in UNSURE_OR_SMALL_TALK and stated - {None} and _greeting_seen(message)
                  and not asks_something(message.get(TEXT) or "", _language(message))):
                # "Hyvää päivää, kirjoittelen täältä Porista" was small talk (0.49, the greeting
                # 0.21) and got "I can't help with that": a greeting and a fact all the same
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif replaceable(intent) and stated - {None} and _only_facts(message):
                # "no hesa sit", "ok vantaa": the place and a particle answer a question
                override_intent(message, {"name": INFORM, "confidence": 1.0})
            elif intent in UNSURE_OR_SMALL_TALK and not stated - {None} and asks_open_guidance(message.get(TEXT) or ""):
                # "en tiedä mitä teen, oon ollu kotona pari vuotta": a request for guidance
                override_intent(message, {"name": START_GUIDANCE, "confidence": 1.0})
            elif intent == INFORM and not stated - {None}:
                override_intent(message, _best_question(message))
            elif intent in ANSWERS and _asks(message.get(TEXT) or ""):
                question = _best_question(message)
                if question["name"] != "out_of_scope" and question.get("confidence", 0) >= QUESTION_MIN_CONFIDENCE:
                    override_intent(message, question)
        return messages


def _greeting_seen(message: Message) -> bool:
    """Is a greeting among the classifier's ``GREETING_IN_TOP`` best intents with at least
    ``GREETING_MIN_CONFIDENCE`` (the message greets, though the classifier chose small talk)?"""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"]
    return any(r.get("name") in GREETINGS and (r.get("confidence") or 0.0) >= GREETING_MIN_CONFIDENCE
               for r in ranking[:GREETING_IN_TOP])


def _asked_topic(message: Message, intent: str) -> bool:
    """Does the description of a situation also ask the topic question ``intent`` (see the
    module docstring)?"""
    text = message.get(TEXT) or ""
    return (intent in TOPIC_OF_INTENT and intent not in CAN_I_JOIN
            and ((message.get(INTENT) or {}).get("confidence") or 0.0) >= SITUATION_QUESTION_MIN_CONFIDENCE
            and asks_something(text, _language(message)) and not asks_open_guidance(text))


def _unemployed_and_unwell(message: Message) -> bool:
    """Does the message say the writer is unemployed and that their health or a disability
    affects their work (see ``UNWELL``)?"""
    facts = {(e.get(ENTITY_ATTRIBUTE_TYPE), str(e.get("value")).lower()) for e in message.get(ENTITIES) or []}
    return ("unemployed", "yes") in facts and any((name, "yes") in facts for name in UNWELL)


def _only_facts(message: Message) -> bool:
    """A reply of facts and particles only ("no hesa sit", "ok vantaa", "ja 45"): at most
    ``PARTICLES_MAX_WORDS`` words, no question mark, and every word outside the facts at most
    ``PARTICLE_MAX_LETTERS`` letters long. The classifier reads the particles ("sit": then)
    and picks a topic; "kempele työtoiminta" names a topic beside the place and keeps it."""
    text = message.get(TEXT) or ""
    if "?" in text or len(text.split()) > PARTICLES_MAX_WORDS:
        return False
    spans = [(e.get("start", 0), e.get("end", 0)) for e in message.get(ENTITIES) or []]
    rest = "".join(ch if not any(s <= i < e for s, e in spans) else " " for i, ch in enumerate(text))
    return all(len(word.strip(".,!")) <= PARTICLE_MAX_LETTERS for word in rest.split())


def _short(text: str) -> bool:
    """As long as an answer to the interview's question: a longer story that names a benefit
    and asks nothing plainly ("Jouduin pulaan aktiivimallin takia. Olen ansiosidonnaisella...")
    is still a matter for the benefit's office, and colloquial questions often lack the
    question mark ("va e de där arbetsförmågestödet ... e de nåt för mej")."""
    return len(text.split()) <= ANSWER_MAX_WORDS


def _language(message: Message) -> str:
    return (message.get(LANGUAGE) or {}).get("code") or "fi"


def _asks(text: str) -> bool:
    """A question, not a short answer: "var finns TE-byrån nu? ja hittar den int" is no "yes"."""
    return "?" in text and len(text.split()) >= QUESTION_MIN_WORDS


def _best_question(message: Message) -> Dict[Text, Any]:
    """The classifier's best question intent: a topic question or a request for guidance
    ("Min son är 22 och sitter mest hemma... Vart kan vi vända oss?" tells no fact of the
    writer's own, and is a request for guidance, not small talk); else small talk."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
               if r.get("name") not in (INFORM, "nlu_fallback", *ANSWERS)]
    if ranking and ((ranking[0].get("name") or "").startswith("ask_") or ranking[0].get("name") == START_GUIDANCE):
        return dict(ranking[0])
    return {"name": "out_of_scope", "confidence": 1.0}

