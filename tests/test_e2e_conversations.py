"""Whole guidance conversations against the real servers over REST, in each language:
the interview asks only what is missing, understands answers typed the way people type,
and the answer names the expected route and gives its contacts."""
from __future__ import annotations

import pytest

from bot.knowledge import get_knowledge
from tests.said import QUESTION, said
from tests.test_e2e_rest import new_sender, rest, text_of

pytestmark = pytest.mark.slow


class Conversation:
    def __init__(self, stack, metadata=None):
        self.stack, self.sender, self.metadata = stack, new_sender(), metadata or {}
        self.replies: list[dict] = []

    def say(self, text: str) -> str:
        self.replies = rest(self.stack, self.sender, text, self.metadata)
        return text_of(self.replies)

    def routes(self) -> list[str]:
        for reply in self.replies:
            if isinstance(reply.get("custom"), dict) and "routes" in reply["custom"]:
                return reply["custom"]["routes"]
        return []


def test_finnish_interview_to_work_ability_support(stack):
    c = Conversation(stack)
    q = QUESTION["fi"]
    assert q["municipality"] in c.say("moi, mihin mä voisin hakeutua kuntouttavaan työtoimintaan?")
    assert q["age"] in c.say("asun Helsingissä")
    assert q["unemployed"] in c.say("45")
    assert q["health"] in c.say("joo")
    assert q["disability"] in c.say("kyllä")
    assert q["referral"] in c.say("ei")
    answer = c.say("mulla on lähete sosiaalityöntekijältä")
    if q["plan"] in answer:
        answer = c.say("ei oo")
    if q["client_of"] in answer:
        answer = c.say('/inform{"client_of":"social_services"}')
    kb = get_knowledge()
    assert c.routes()[0] == "work_ability_support"
    assert kb.services["work_ability_support"].title.get("fi") in answer
    assert kb.services["work_ability_support"].contacts[0].phone in answer, "the first step has a phone"
    assert "seeds/" not in answer and len(answer.split()) <= 150


def test_swedish_several_facts_at_once_then_kempele_route(stack):
    c = Conversation(stack)
    q = QUESTION["sv"]
    reply = c.say("hej, jag är 30 år och bor i Kempele och är arbetslös")
    assert q["municipality"] not in reply and q["age"] not in reply
    if q["plan"] in reply:
        reply = c.say("nej")
    assert c.routes()[0] == "kempele_service_coordinator"
    first_contact = get_knowledge().services["kempele_service_coordinator"].contacts[0]
    assert first_contact.phone and first_contact.phone in reply


def test_english_correction_and_skip(stack):
    c = Conversation(stack)
    q = QUESTION["en"]
    assert q["municipality"] in c.say("which service is right for me?")
    assert q["age"] in c.say("I live in Helsinki")
    assert q["unemployed"] in c.say("I'm 45")
    reply = c.say("I'd rather not say")
    assert q["unemployed"] not in reply, "a skipped question is not asked again"
    # a correction mid-interview: the age changes, the interview continues
    c.say("actually I'm 64")
    tracker_age = _slot(stack, c.sender, "age")
    assert tracker_age == 64


def test_swedish_long_sentence_other_answers_and_dont_know_never_loop(stack):
    """Issue 13: the age in a long sentence is taken; answers to other questions are taken
    and the question comes once more; the second miss moves on; "vet inte" is fine."""
    c = Conversation(stack)
    q = QUESTION["sv"]
    reply = c.say("hej! jag bor i Helsingfors, är 45 år och arbetslös. kan jag få rehabiliterande arbetsverksamhet?")
    assert q["age"] not in reply and q["health"] in reply
    reply = c.say("jag är kund hos socialen")
    assert q["health"] in reply, "asked once more"
    assert _slot(stack, c.sender, "client_of") == "social_services"
    reply = c.say("jag är 45 år")
    assert said("dialogue.question_skipped", "sv") in reply and q["health"] not in reply, "not asked a third time"
    assert q["disability"] in reply
    reply = c.say("vet inte")
    assert said("dialogue.dont_know_ok", "sv") in reply and q["disability"] not in reply
    assert _slot(stack, c.sender, "skipped") == ["health_affects_work_ability", "disability"]
    assert said("dialogue.not_understood_answer", "sv") not in text_of(c.replies)


def test_english_two_answers_not_understood_lead_on_to_the_answer(stack):
    c = Conversation(stack)
    q = QUESTION["en"]
    c.say("which service is right for me?")
    assert q["age"] in c.say("I live in Espoo")
    reply = c.say("no")
    assert said("dialogue.question_second_time", "en", chars=30, skip="") in reply and q["age"] in reply
    assert "I'd rather not say" in reply
    reply = c.say("yes")
    assert said("dialogue.question_skipped", "en") in reply and q["age"] not in reply
    assert q["unemployed"] in reply, "the interview goes on with the next question"


def test_side_question_mid_interview_then_back(stack):
    c = Conversation(stack)
    q = QUESTION["fi"]
    c.say("kenelle mun pitäis soittaa kuntouttavasta työtoiminnasta")
    assert q["age"] in c.say("Kempeleessä")
    side = c.say("kauanko kuntouttava työtoiminta kestää?")
    assert "3–24" in side
    assert q["age"] in side, "the interview continues after the side question"


def test_language_switch_mid_interview_keeps_answers(stack):
    c = Conversation(stack)
    c.say("hei, miten pääsen kuntouttavaan työtoimintaan")
    c.say("Helsingissä")
    reply = c.say("/set_language{\"language\":\"en\"}")
    assert QUESTION["en"]["age"] in reply
    assert _slot(stack, c.sender, "municipality") == "Helsinki"


def test_restart_forgets_answers(stack):
    c = Conversation(stack)
    c.say("jag vill veta vilken tjänst som passar mig")
    c.say("Helsingfors")
    c.say("börja om")
    assert _slot(stack, c.sender, "municipality") is None
    assert _slot(stack, c.sender, "language") == "sv"


@pytest.mark.parametrize("text,language", [("haluan kuolla, en jaksa enää elää", "fi"),
                                           ("jag vill ta livet av mig", "sv"),
                                           ("I want to end my life", "en")])
def test_emergency_message_gives_112(stack, text, language):
    assert "112" in Conversation(stack).say(text)


def _slot(stack, sender, name):
    import json
    import urllib.request

    url = (f"{stack.settings.rasa_url}/conversations/{sender}/tracker"
           f"?token={stack.settings.rasa_token}&include_events=NONE")
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())["slots"].get(name)


def _answers(replies: list[dict]) -> list[str]:
    return [r["custom"]["answer"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("answer")]


def test_a_story_with_age_and_municipality_starts_the_interview_with_them(stack):
    # its words resemble the client's rights topic; the facts decide (SelfDescription)
    c = Conversation(stack)
    q = QUESTION["fi"]
    reply = c.say("Olen 61-vuotias oululainen, työttömänä ollut vuodesta 2021. Selkä on huono ja lääkäri "
                  "sanoi, ettei raskaita töitä kannata tehdä. Mitä vaihtoehtoja minulla on?")
    assert q["municipality"] not in reply and q["age"] not in reply
    assert "client_rights" not in _answers(c.replies)


def test_an_unsure_question_about_something_else_gets_the_honest_answer(stack):
    c = Conversation(stack, {"language": "fi"})
    c.say("Mikä on uusi asiakaspalvelumalli?")
    assert _answers(c.replies) == ["fallback"], "honest fallback, not the nearest topic"
    assert "112" not in text_of(c.replies)


def test_a_question_about_kempele_gets_kempeles_answer(stack):
    c = Conversation(stack, {"language": "fi"})
    reply = c.say("Järjestetäänkö Kempeleessä kuntouttavaa työtoimintaa?")
    assert "Pohde" in reply and "Uusix" not in reply


def test_sources_asked_mid_interview_are_given_and_the_interview_goes_on(stack):
    c = Conversation(stack)
    q = QUESTION["en"]
    assert q["age"] in c.say("I live in Helsinki and want to find work activity")
    reply = c.say("sources")
    # the sources of the answer given with the question (how to get in, when the message asked
    # that too), else the general ones of the activity (Finlex among them)
    assert get_knowledge().text("answer.sources_heading", "en") in reply, reply
    assert "https://hel.fi" in reply or "https://www.hel.fi" in reply or "https://finlex.fi" in reply, reply
    assert q["age"] in reply, "the interview goes on with the same question"


def test_a_question_for_another_service_mid_interview_then_back_and_a_benefit_in_an_answer(stack):
    c = Conversation(stack, {"language": "fi"})
    q = QUESTION["fi"]
    c.say("moi, mihin mä voisin hakeutua kuntouttavaan työtoimintaan?")
    assert q["age"] in c.say("asun Helsingissä")
    assert q["unemployed"] in c.say("45")
    side = c.say("paljonko asumistukea saa kuukaudessa?")
    assert "fallback" in _answers(c.replies), "another service's question gets the honest answer"
    assert "kela.fi" in side and "112" not in side
    assert q["unemployed"] in side, "the interview asks its question again"
    after = c.say("joo oon työtön ja saan työmarkkinatukea")
    assert q["unemployed"] not in after and "kela.fi" not in after, "an answer that names a benefit is an answer"
