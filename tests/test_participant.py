"""Someone who takes part in the activity now is not asking how to get in
(bot/rasa_components/participant.py). Fast: the component alone."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.scope import takes_part_now
from bot.rasa_components.participant import Participant


def _message(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def _process(message: Message) -> Message:
    Participant.create(Participant.get_default_config(), None, None, None).process([message])
    return message


@pytest.mark.parametrize("text", [
    "oon kuntsarissa nyt kolme päivää viikossa, mut asumistuki pieneni. voiko ne tehä niin?",
    "Jag går på arbetsverksamhet i Vasa och undrar om resorna",
    "I'm in work activity now and my housing allowance went down, can they do that?",
    "kuntouttavan ohjaaja soitti taas eilen, en jaksa",
])
def test_the_writer_takes_part_now(text):
    assert takes_part_now(text)


@pytest.mark.parametrize("text", [
    "Miten pääsen kuntouttavaan työtoimintaan?",
    "olin kuntouttavassa pari vuotta sitten, voinko hakea uudestaan?",  # took part, not now
    "Hur kommer jag in i arbetsverksamheten?",
    "how do I get into rehabilitative work activity?",
])
def test_someone_asking_the_way_in_does_not_take_part(text):
    assert not takes_part_now(text)


def test_a_participants_question_gets_the_next_intent_not_how_to_apply():
    message = _process(_message("oon kuntsarissa nyt ja asumistuki pieneni, voiko ne tehä niin?",
                                [("ask_how_to_apply", 0.81), ("ask_elsewhere", 0.87), ("ask_absences", 0.01)]))
    assert message.get(INTENT) == {"name": "ask_elsewhere", "confidence": 0.87}
    assert "ask_how_to_apply" not in [r["name"] for r in message.get(INTENT_RANKING_KEY)]


def test_a_participant_with_nothing_sure_left_gets_the_honest_answer():
    message = _process(_message("Sitter här på arbetsverksamheten och viker handdukar. 4 år nu.",
                                [("start_guidance", 0.75), ("ask_goals", 0.09), ("ask_duration", 0.03)]))
    assert message.get(INTENT)["name"] == "nlu_fallback"
    # the rest stays for "did you mean": the best guess first after the fallback
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["nlu_fallback", "ask_goals", "ask_duration"]


@pytest.mark.parametrize("text, ranking", [
    # not a participant: the way in is the question
    ("Miten pääsen kuntouttavaan?", [("ask_how_to_apply", 0.9), ("ask_goals", 0.05)]),
    # a participant asking another topic keeps it
    ("oon kuntsarissa ja sairastuin, mitä teen?", [("ask_absences", 0.7), ("ask_how_to_apply", 0.2)]),
    # who it is for stays: a participant may ask why they were sent there
    ("oon kuntsarissa vaikka pystyisin töihin, kenelle tää on tarkoitettu?", [("ask_who_is_it_for", 0.8)]),
    # a button's payload carries its intent
    ("/ask_how_to_apply", [("ask_how_to_apply", 1.0)]),
])
def test_other_messages_keep_their_intent(text, ranking):
    message = _process(_message(text, ranking))
    assert message.get(INTENT)["name"] == ranking[0][0]
