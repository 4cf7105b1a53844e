"""A Socket.IO client (python-socketio) holds a Swedish conversation with the running Rasa
server over the socketio channel of config/credentials.yml (session persistence on)."""
from __future__ import annotations

import queue
import urllib.error
import urllib.request
import uuid

import pytest

from bot.knowledge import get_knowledge
from bot.stack import Stack

pytestmark = pytest.mark.slow

socketio = pytest.importorskip("socketio")

REPLY_TIMEOUT = 60
# The start of the knowledge base's Swedish answer to "what is rehabilitative work activity".
RWA_ANSWER_SV = get_knowledge().topic("rehabilitative_work_activity").body.get("sv")[:40]


class Conversation:
    """One Socket.IO connection bound to a persistent session id."""

    def __init__(self, stack: Stack, session_id: str) -> None:
        self.session_id = session_id
        self.replies: "queue.Queue[dict]" = queue.Queue()
        self.confirmed: "queue.Queue[str]" = queue.Queue()
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.connect(stack.settings.rasa_url, socketio_path="/socket.io", wait_timeout=20)
        self.client.emit("session_request", {"session_id": session_id})
        assert self.confirmed.get(timeout=20) == session_id

    def say(self, text: str, expect: str, metadata: dict | None = None) -> list[str]:
        """Send ``text``; collect replies until one contains ``expect``."""
        payload = {"message": text, "session_id": self.session_id}
        if metadata:
            payload["metadata"] = metadata
        self.client.emit("user_uttered", payload)
        texts: list[str] = []
        while not any(expect in t for t in texts):
            try:
                texts.append(self.replies.get(timeout=REPLY_TIMEOUT).get("text") or "")
            except queue.Empty:
                pytest.fail(f"no reply containing {expect!r} over Socket.IO; got {texts}")
        return texts

    def close(self) -> None:
        self.client.disconnect()


def test_swedish_conversation_over_socketio(stack):
    session_id = uuid.uuid4().hex
    talk = Conversation(stack, session_id)
    try:
        talk.say("Hej, jag behöver hjälp", "Jag är en rådgivningsbot")
        talk.say("Vad är rehabiliterande arbetsverksamhet?", RWA_ANSWER_SV)
    finally:
        talk.close()

    # Session persistence: a new connection with the same session id continues the same
    # conversation (still Swedish, although "/greet" carries no language).
    again = Conversation(stack, session_id)
    try:
        again.say("/greet", "Jag är en rådgivningsbot")
    finally:
        again.close()


def test_page_language_metadata_over_socketio(stack):
    talk = Conversation(stack, uuid.uuid4().hex)
    try:
        talk.say("/greet", "Jag är en rådgivningsbot", metadata={"language": "sv"})
    finally:
        talk.close()


def test_socketio_is_not_published_through_the_gateway(stack):
    url = f"http://127.0.0.1:{stack.settings.gateway_port}/socket.io/?EIO=4&transport=polling"
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url, timeout=10)
    assert exc.value.code == 404
