"""The emergency safety net catches clear danger/suicide phrases and nothing ordinary."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_components.safety_net import EmergencySafetyNet
from bot.safety import is_emergency

EMERGENCIES = [
    "haluan tappaa itseni", "mä en jaksa enää elää", "olen ajatellut itsemurhaa", "haluan kuolla",
    "en halua elää", "mieheni uhkaa minua", "hatatilanne!!", "haluan päättää päiväni",
    "jag vill ta livet av mig", "jag tänker på självmord", "jag vill dö", "någon hotar mig", "Livsfara",
    "I want to kill myself", "I'm thinking about suicide", "I want to end my life", "I don't want to live anymore",
    "I want to die", "someone is hurting me", "I'm in danger", "I have been self-harming",
    "I think about death all the time", "ajattelen koko ajan kuolemaa", "jag tänker hela tiden på döden",
    # violence against someone else, happening now
    "naapuri lyö vaimoaan, kuulen huutoa", "grannen slår sin fru just nu", "a man is beating a woman outside",
    "my sister is being beaten by her boyfriend",
    # poisoning and intent to self-harm
    "tänä yönä teen itselleni jotain", "mun kaveri otti kaikki lääkkeet", "he swallowed a whole bottle of pills",
    "I think she has taken an overdose", "jag tror han har tagit en överdos", "hon svalde en hel burk tabletter",
    "I'm going to do something to myself tonight", "jag tänker göra något åt mig själv", "jag gör mig illa",
]
ORDINARY = [
    "olen 45v helsinkiläinen ja minulla on lähete", "mikä on kuntouttava työtoiminta", "haluan kuulla lisää",
    "kuolinpesän asiat", "jag vill veta mer", "vad kostar det", "I want to know more", "I live in Kempele",
    "is it dangerous work?", "I am in Helsinki", "my health affects my work ability", "",
    "jag behöver akut hjälp med hyran", "the activity is hitting my budget", "lyön vetoa että en pääse",
    "otin lääkkeet aamulla ennen työtoimintaa", "I took my pills this morning", "teen itselleni ruokaa",
    "teen itselleni jotain syötävää", "teen itselleni jotain hyvää ruokaa",
    '/inform{"municipality":"Helsinki"}',
    # a word that merely begins like a danger phrase
    "folkmassor gör mig illamående", "jag vill dokumentera mina frånvarodagar", "I want to diet before summer",
    "I'd like to end my lifelong unemployment",
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
