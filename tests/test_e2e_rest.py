"""End to end: the real action server + Rasa + gateway on loopback, over HTTP.

The reply comes in the resident's language, the language survives short messages, the
page language from channel metadata starts the conversation, and conversations are kept
apart.
"""
from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from bot.stack import Stack
from tests.said import GREETING, said, topic_said

pytestmark = pytest.mark.slow


def rest(stack: Stack, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata or {}}).encode()
    request = urllib.request.Request(
        f"{stack.settings.rasa_url}/webhooks/rest/webhook", data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def text_of(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def new_sender() -> str:
    return uuid.uuid4().hex


@pytest.mark.parametrize(
    "greeting,language",
    [("Hei, tarvitsisin apua", "fi"), ("Hej, jag behöver hjälp", "sv"), ("Hello, I need some help", "en")],
)
def test_greeting_is_answered_in_the_same_language(stack, greeting, language):
    assert GREETING[language] in text_of(rest(stack, new_sender(), greeting))


@pytest.mark.parametrize(
    "question,language",
    [
        ("mitä on kuntouttava työtoiminta", "fi"),
        ("vad är rehabiliterande arbetsverksamhet", "sv"),
        ("what is rehabilitative work activity", "en"),
    ],
)
def test_guidance_answer_in_each_language(stack, question, language):
    assert topic_said("rehabilitative_work_activity", language) in text_of(rest(stack, new_sender(), question))


def test_page_language_starts_the_conversation(stack):
    sender = new_sender()
    # "ok"-like messages carry no language: the page language decides.
    assert GREETING["sv"] in text_of(rest(stack, sender, "/greet", {"language": "sv"}))


def test_short_message_does_not_flip_language(stack):
    sender = new_sender()
    assert GREETING["sv"] in text_of(rest(stack, sender, "Hej, jag behöver hjälp"))
    assert GREETING["sv"] in text_of(rest(stack, sender, "/greet"))


def test_explicit_language_choice_switches_and_sticks(stack):
    sender = new_sender()
    rest(stack, sender, "Hei, tarvitsisin apua")
    assert said("dialogue.language_changed", "en") in text_of(rest(stack, sender, '/set_language{"language":"en"}'))
    assert GREETING["en"] in text_of(rest(stack, sender, "/greet"))


def test_conversations_do_not_share_language(stack):
    a, b = new_sender(), new_sender()
    rest(stack, a, "Hej, jag behöver hjälp")
    rest(stack, b, "Hello, I need some help")
    assert GREETING["sv"] in text_of(rest(stack, a, "/greet"))
    assert GREETING["en"] in text_of(rest(stack, b, "/greet"))


def test_gateway_chat_round_trip(stack):
    base = f"http://127.0.0.1:{stack.settings.gateway_port}"
    body = json.dumps({"message": "Hej, jag behöver hjälp", "language": "sv"}).encode()
    request = urllib.request.Request(f"{base}/api/chat", data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.loads(response.read())
    assert data["session"] and "." in data["session"]
    assert GREETING["sv"] in " ".join(m["text"] or "" for m in data["messages"])


def test_rasa_http_api_requires_token(stack):
    url = f"{stack.settings.rasa_url}/conversations/{new_sender()}/tracker"
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url, timeout=10)
    assert exc.value.code == 401


def test_action_server_rejects_calls_without_the_shared_secret(stack):
    url = f"http://127.0.0.1:{stack.settings.action_port}/webhook"
    body = json.dumps({"next_action": "action_validate_slot_mappings", "tracker": {}, "domain": {}}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(request, timeout=10)
    assert exc.value.code == 401


def _topic_titles() -> list[tuple[str, str, str]]:
    from bot.knowledge import get_knowledge

    return [(topic.id, language, topic.title.get(language))
            for topic in get_knowledge().topics.values() for language in ("fi", "sv", "en")]


def test_a_topics_title_typed_gets_the_topics_answer(stack):
    """Under an honest "I don't know", the nearest topics come as buttons titled with the
    topic's question (bot/guidance/chat.py, unknown_reply); typed as text, in a channel without
    buttons, each title must get the same answer as the button."""
    from bot.guidance.topics import TOPIC_OF_INTENT, topic_for

    wrong = []
    for topic_id, language, title in _topic_titles():
        replies = rest(stack, new_sender(), title, {"language": language})
        tags = {r["custom"].get("answer") for r in replies if isinstance(r.get("custom"), dict)}
        # a place's variant is chosen by the place the resident names or lives in
        accepted = {topic_id} | {TOPIC_OF_INTENT[i] for i in TOPIC_OF_INTENT
                                 if topic_id in {topic_for(i, m) for m in ("Helsinki", "Kempele", "Tampere")}}
        if not tags & accepted:
            wrong.append(f"{language}: {title!r} -> {sorted(t for t in tags if t)}")
    assert not wrong, "typed topic titles answered otherwise:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language, text, topic", [
    ("en", "I'm 50 and live in Vantaa, unemployed for four years. What happens if I refuse the work activity?",
     "refusal"),
    ("sv", "Jag är 50 år och bor i Vanda, arbetslös i fyra år. Vad händer om jag vägrar delta i arbetsverksamheten?",
     "refusal"),
    ("fi", "Olen 50-vuotias ja asun Vantaalla, työttömänä neljä vuotta. Mitä tapahtuu jos kieltäydyn "
           "kuntouttavasta työtoiminnasta?", "refusal"),
])
def test_a_question_asked_with_the_situation_is_answered_and_the_route_follows(stack, language, text, topic):
    """A situation told with a topic question (bot/rasa_components/self_description.py,
    question_with_situation): the question's answer first, then the route for the facts."""
    replies = rest(stack, new_sender(), text, {"language": language})
    tags = [r["custom"]["answer"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("answer")]
    assert topic in tags and "route" in tags, tags
    assert tags.index(topic) < tags.index("route"), tags
