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
from tests.said import GREETING, topic_said

pytestmark = pytest.mark.slow

socketio = pytest.importorskip("socketio")

REPLY_TIMEOUT = 60
# The start of the knowledge base's Swedish answer to "what is rehabilitative work activity".
RWA_ANSWER_SV = topic_said("rehabilitative_work_activity", "sv")


class Conversation:
    """One Socket.IO connection bound to a persistent session id."""

    def __init__(self, stack: Stack, session_id: str) -> None:
        self.session_id = session_id
        self.received: list[dict] = []
        self.replies: queue.Queue[dict] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
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
        return self.wait_for(expect)

    def wait_for(self, expect: str) -> list[str]:
        """Collect replies until one contains ``expect``."""
        texts: list[str] = []
        while not any(expect in t for t in texts):
            try:
                reply = self.replies.get(timeout=REPLY_TIMEOUT)
                self.received.append(reply)
                texts.append(reply.get("text") or "")
            except queue.Empty:
                pytest.fail(f"no reply containing {expect!r} over Socket.IO; got {texts}")
        return texts

    def close(self) -> None:
        self.client.disconnect()


def test_swedish_conversation_over_socketio(stack):
    session_id = uuid.uuid4().hex
    talk = Conversation(stack, session_id)
    try:
        talk.say("Hej, jag behöver hjälp", GREETING["sv"])
        talk.say("Vad är rehabiliterande arbetsverksamhet?", RWA_ANSWER_SV)
        # The answer is followed by "Was this helpful?", which carries the assistant's own
        # data: the client gets the question and its buttons, not the data.
        question = get_knowledge().text("feedback.question", "sv")
        talk.wait_for(question)
        assert all("answer" not in reply and "custom" not in reply for reply in talk.received)
    finally:
        talk.close()

    # Session persistence: a new connection with the same session id continues the same
    # conversation (still Swedish, although "/greet" carries no language).
    again = Conversation(stack, session_id)
    try:
        again.say("/greet", GREETING["sv"])
    finally:
        again.close()


def test_page_language_metadata_over_socketio(stack):
    talk = Conversation(stack, uuid.uuid4().hex)
    try:
        talk.say("/greet", GREETING["sv"], metadata={"language": "sv"})
    finally:
        talk.close()


def test_socketio_is_not_published_through_the_gateway(stack):
    url = f"http://127.0.0.1:{stack.settings.gateway_port}/socket.io/?EIO=4&transport=polling"
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(url, timeout=10)
    assert exc.value.code == 404
