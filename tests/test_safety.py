"""The emergency safety net catches clear danger/suicide phrases and nothing ordinary."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_components.safety_net import EmergencySafetyNet
from bot.safety import is_emergency

EMERGENCIES = [
    # someone collapsing in front of the writer
    "kaveri lyyhistyi lattialle eikä herää", "työkaveri pyörtyi ja hengittää oudosti, mitä teen",
    "min kollega segnade ihop på verkstaden", "en deltagare föll ihop, vad gör vi",
    "a guy at the workshop just collapsed", "my dad fainted and is breathing weirdly",
    "haluan tappaa itseni", "mä en jaksa enää elää", "olen ajatellut itsemurhaa", "haluan kuolla",
    "en halua elää", "mieheni uhkaa minua", "hatatilanne!!", "haluan päättää päiväni",
    "jag vill ta livet av mig", "jag tänker på självmord", "jag vill dö", "någon hotar mig", "Livsfara",
    "I want to kill myself", "I'm thinking about suicide", "I want to end my life", "I don't want to live anymore",
    "I want to die", "someone is hurting me", "I'm in danger", "I have been self-harming",
    "I think about death all the time",
    # no sense in living; how to make it all end, with words of hopelessness
    "en jaksa enää mitään. mietin vaan miten saisin tän kaiken loppumaan", "ei oo mitään järkeä elää",
    "ei ole enää mitään järkeä elää", "jag orkar inte mer, tänker på hur jag ska få allt att ta slut",
    "det är ingen idé att leva", "I can't take it anymore, thinking about how to make it all stop",
    "ajattelen koko ajan kuolemaa", "jag tänker hela tiden på döden",
    # someone says they will kill the writer
    "exä huutaa oven takana et se tappaa mut", "han skriker att han ska döda mig",
    "my ex is outside screaming that he'll kill me", "hän sanoi että tappaa minut jos lähden",
    "he is going to kill us, please help", "min sambo sa att hon skulle döda mig",
    # violence against someone else, happening now
    "naapuri lyö vaimoaan, kuulen huutoa", "grannen slår sin fru just nu", "a man is beating a woman outside",
    "my sister is being beaten by her boyfriend",
    # poisoning and intent to self-harm
    "tänä yönä teen itselleni jotain", "mun kaveri otti kaikki lääkkeet", "he swallowed a whole bottle of pills",
    "I think she has taken an overdose", "jag tror han har tagit en överdos", "hon svalde en hel burk tabletter",
    "I'm going to do something to myself tonight", "jag tänker göra något åt mig själv", "jag gör mig illa",
    # intentions told in other words
    "aion ottaa kaikki pillerit kerralla", "mietin että söisin koko purkin nappeja yhdellä kertaa",
    "en halua enää herätä aamulla", "hyppään sillalta", "kirjoitin jäähyväiskirjeen",
    "jag orkar inte leva längre", "jag ska göra slut på mig själv", "jag vill ta mitt liv",
    "tänker svälja alla mina tabletter", "I'm gonna take all my meds", "I can't go on living like this",
    "there's no reason to live", "I will end it tonight", "I want to hurt myself", "jag skadar mig själv varje kväll",
    "jos satutan itseni taas tänä yönä",
    # indirect words: others better off without me, no reason to live
    "olisi kaikille parempi jos minua ei olisi", "ei ole yhtään syytä elää", "det vore lättare för alla utan mig",
    "jag har ingen anledning att leva", "jag har gett bort alla mina saker", "my family is better off without me",
    "there's no reason to wake up anymore", "I gave away all my things last week",
    "en halua enää olla olemassa", "toivon että kuolisin pois", "olen viillellyt itseäni", "jag vill inte finnas mer",
    "jag önskar att jag vore död", "jag vill avsluta mitt liv", "I wish I were dead",
    "I'm thinking to take my own life",
    "mun siskoni on ottanu kaikki sen pillerit", "I have been cutting myself again",
    # pills named first, then the intention to take them all
    "mulla on unilääkkeet tässä ja meinaan ottaa ne kaikki", "jag har tabletterna här och ska ta alla ikväll",
    "the pills are on the table and I'm going to take them all",
    # a medical emergency happening now
    "isä ei hengitä", "vauva hengittää todella vaivalloisesti", "hänen huulet ovat sinertävät",
    "mies makaa tajuttomana", "min pappa andas inte", "han har blåa läppar", "my friend is not breathing",
    "her lips are blue", "he is unconscious",
    # wishing to be dead, ending everything tonight, violence and a break-in now, heart symptoms
    "olisi parempi olla kuollut", "teen tänään lopun kaikesta", "lopetan tämän kaiken tänä yönä", "isä lyö äitiä",
    "joku yrittää murtautua sisään", "mulla on rintakipua ja vasen käsi puutuu", "det vore bättre om jag var död",
    "pappa slår mamma", "någon försöker bryta sig in", "jag har ont i bröstet och kan inte andas",
    "I'd be better off dead", "someone is trying to break in", "I have chest pain and my arm is numb",
    "I can't breathe",
    # hopelessness together with a sign of acting on it now
    "en jaksa enää mitään, kirjoitin viestit valmiiksi ja tänään loppuu.",
    "Jag har sparat mina tabletter länge och i kväll tänker jag ta alla.",
    "I don't see the point anymore. I'm standing on the balcony of my 10th floor flat right now.",
    "I can't take it anymore, I wrote goodbye letters to my kids",
    # someone else about to jump or to kill themselves
    "my friend from our work activity group just texted me goodbye and says he is standing on the bridge"
    " and going to jump. what do i do",
    "my brother says he is going to kill himself", "she threatened to jump off the balcony",
    "kaveri laittoi viestin että on hyppäämässä sillalta, mitä teen", "veljeni uhkaa tappaa itsensä",
    "min vän står på bron och säger att han ska hoppa", "han tänker ta livet av sig",
    # a threat with a weapon or to kill, whoever makes it
    "Min sambo hotar mig med kniv just nu, jag har låst in mig i badrummet", "han hotade att döda oss",
    "avopuoliso uhkaa mua veitsellä", "exä uhkailee tappaa minut", "my boyfriend is threatening me with a knife",
    "he threatened to kill us tonight",
    # not waking up any more, wished for; a whole pack of pills taken
    "oon alkanu ajatella et ois helpompaa jos en heräis enää koskaan",
    "toivon etten heräisi enää huomenna",
    "ibland tänker jag att det vore skönt om jag inte vaknade igen",
    "sometimes I think it would be better if I just didn't wake up at all.",
    "I just hope I don't wake up tomorrow",
    "my brother swallowed the whole packet of painkillers an hour ago",
    "min sambo svalde en hel ask tabletter och svarar inte",
    "kaveri nieli koko paketin unilääkkeitä ja on tosi sekava",
    "she took a handful of pills and is very sleepy",
]
ORDINARY = [
    # "killing me" as an idiom: no one says they will kill the writer
    "tää odottelu tappaa mut", "tylsyys tappaa minut siellä kuntsarissa", "jobbet kommer att döda mig",
    "this job is killing me", "my back is killing me", "the waiting will kill me", "my mum will kill me if I quit",
    "olen 45v helsinkiläinen ja minulla on lähete",
    "ei oo mitään järkeä tässä kuntsarissa", "en jaksa tätä byrokratiaa, miten saan tän kaiken loppumaan ja töihin",
    "jag orkar inte med pappersarbetet, hur får jag det att sluta komma brev",
    "mikä on kuntouttava työtoiminta", "haluan kuulla lisää",
    "kuolinpesän asiat", "jag vill veta mer", "vad kostar det", "I want to know more", "I live in Kempele",
    "is it dangerous work?", "I am in Helsinki", "my health affects my work ability", "",
    "jag behöver akut hjälp med hyran", "the activity is hitting my budget", "lyön vetoa että en pääse",
    "otin lääkkeet aamulla ennen työtoimintaa", "I took my pills this morning", "teen itselleni ruokaa",
    "teen itselleni jotain syötävää", "teen itselleni jotain hyvää ruokaa",
    "Kela hotar att dra in mitt stöd", "the letter threatens me with a cut to my benefit",
    "sossu uhkaa minua karenssilla",
    '/inform{"municipality":"Helsinki"}',
    # a word that merely begins like a danger phrase
    "folkmassor gör mig illamående", "jag vill dokumentera mina frånvarodagar", "I want to diet before summer",
    "I'd like to end my lifelong unemployment",
    # the same words in ordinary use
    "otan kaikki lääkkeet aamulla", "en jaksa enää tätä byrokratiaa", "hyppään bussiin",
    "jag orkar inte mer med det här", "vi gjorde slut förra året", "jag gör slut på pengarna",
    "I take all my pills in the morning", "I will end it with him",
    "this bureaucracy is killing me lol",
    # an accident at the activity, not self-harm
    "mitä jos satutan itseni työtoiminnassa", "om jag skadar mig själv på verkstaden, vem betalar",
    "what if I injure myself at work",
    "olisi helpompaa jos minulla olisi auto", "bättre utan mig på mötet, jag kommer inte", "I gave away my old bike",
    "no reason to wake up early on Saturday", "olisi parempi jos minä olisin ajoissa",
    "I cut myself a slice of bread", "jag vill inte finnas till hands hela dagen",
    "mulla on lääkkeet laukussa, aion ottaa ne kaikki mukaan", "jag har medicinerna här och ska ta alla med mig",
    "I have pills for my back, will take them all with me", "hengittää huonosti kun on flunssa",
    "are breathing exercises part of it", "I was unconscious for a moment last year",
    "olisi parempi olla ajoissa", "lopetan tämän kaiken byrokratian", "isä lyö vetoa",
    "mulla oli rintakipuja viime vuonna, voinko osallistua?", "jag kan inte andas ut förrän beslutet kommer",
    "someone broke into my car last year", "chest pain history, can I still join?",
    "I can't breathe a word of this to my family", "det vore bättre om jag var där i tid",
    "pappa slår ihjäl tiden med korsord", "I'd be better off with a job",
    # hopelessness alone, or with harmless plans: complaints about the activity
    "en jaksa enää tätä kuntsaria, onneks tää jakso loppuu tänään.",
    "en jaksa enää siivota, annoin kissan naapurille hoitoon",
    "en jaksa enää, kirjoitin hakemukset valmiiksi",
    "I don't see the point of this activity, I'm on the balcony smoking",
    "I can't take it anymore, my letters are ready to send to the employers today",
    "orkar inte med arbetsverksamheten, breven är klara och skickade",
    "Jag tänker ta alla mina tabletter med mig på resan",
    # jumping and goodbyes in everyday use
    "lapset hyppää sillalta uimaan kesällä", "barnen hoppar från bron och badar på sommaren",
    "I'm going to jump at the chance to join", "the group texted me goodbye when I moved to Oulu",
    "my friend is standing on the bridge waiting for the bus", "he wants to jump into the workshop team",
    # mornings, not a wish to die; collapses that are not a person's
    "tee mulle runo kissasta joka ei halua herätä aamulla", "en jaksa herätä aamulla kuntsariin",
    "I don't want to wake up early for the activity", "the roof of the old workshop collapsed last winter",
    "my plans collapsed when the course was cancelled", "min plan föll ihop i våras",
    # waking up and packs of pills in everyday use
    "kissa ei herää enää aamuisin ruokaa pyytämään",
    "en heräisi ajoissa kuntsariin ilman herätyskelloa",
    "I hope I don't wake up late tomorrow for the activity",
    "I wish I didn't wake up so early every day",
    "I took a pack of pills to the activity place for my headache",
    "jag hoppas att jag inte vaknar för sent i morgon",
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_emergencies_are_caught(text):
    assert is_emergency(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_are_not(text):
    assert not is_emergency(text)


def test_component_overrides_the_classifier():
    component = EmergencySafetyNet.create({}, None, None, None)
    message = Message(data={"text": "I think about suicide all the time",
                            "intent": {"name": "forget_me", "confidence": 0.28},
                            "intent_ranking": [{"name": "forget_me", "confidence": 0.28}]})
    component.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "emergency"


def test_component_leaves_other_messages_alone():
    component = EmergencySafetyNet.create({}, None, None, None)
    intent = {"name": "greet", "confidence": 0.9}
    message = Message(data={"text": "hei", "intent": intent})
    component.process([message])
    assert message.get("intent") == intent
