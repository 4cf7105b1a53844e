"""Gateway behaviour with a fake Rasa: input checks, sessions, Rasa being down."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import MAX_MESSAGE_CHARS, create_app
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.sessions import SessionSigner
from bot.settings import Settings


class FakeRasa:
    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.calls: list[tuple[str, str, dict]] = []

    async def send(self, sender, text, metadata=None):
        if self.down:
            raise RasaUnavailable("connection refused")
        self.calls.append((sender, text, metadata))
        return [{"recipient_id": sender, "text": f"echo: {text}", "buttons": [{"title": "A", "payload": "/a"}]}]

    async def healthy(self):
        return not self.down

    async def close(self):
        pass


@pytest.fixture()
def fake():
    return FakeRasa()


@pytest.fixture()
def client(fake):
    settings = replace(Settings.from_env(), action_endpoint_url="http://127.0.0.1:9/webhook")
    app = create_app(settings)
    app.state.rasa = fake
    return TestClient(app)


def test_chat_returns_bot_messages_and_a_session(client, fake):
    r = client.post("/api/chat", json={"message": "hei", "language": "fi"})
    assert r.status_code == 200
    data = r.json()
    assert data["messages"][0]["text"] == "echo: hei"
    assert data["messages"][0]["buttons"] == [{"title": "A", "payload": "/a"}]
    assert fake.calls[0][2] == {"language": "fi"}


def test_session_is_kept_via_cookie_and_token(client, fake):
    first = client.post("/api/chat", json={"message": "a"}).json()["session"]
    client.post("/api/chat", json={"message": "b"})
    client.post("/api/chat", json={"message": "c", "session": first})
    senders = {c[0] for c in fake.calls}
    assert len(senders) == 1


def test_forged_or_foreign_session_gets_a_new_conversation(client, fake):
    forged = "0" * 32 + ".deadbeef"
    fresh = TestClient(client.app)
    r = fresh.post("/api/chat", json={"message": "x", "session": forged})
    assert r.status_code == 200
    assert fake.calls[-1][0] != "0" * 32
    other = SessionSigner("another-secret-0123456789").new()[1]
    fresh2 = TestClient(client.app)
    fresh2.post("/api/chat", json={"message": "y", "session": other})
    assert fake.calls[-1][0] != other.split(".")[0]


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_message_is_a_clear_400(client, message):
    r = client.post("/api/chat", json={"message": message, "language": "sv"})
    assert r.status_code == 400
    assert "Skriv" in r.json()["detail"]


def test_too_long_message_is_rejected_with_a_message(client):
    r = client.post("/api/chat", json={"message": "a" * (MAX_MESSAGE_CHARS + 1), "language": "en"})
    assert r.status_code == 413
    assert "too long" in r.json()["detail"]


@pytest.mark.parametrize(
    "body,content_type",
    [("{not json", "application/json"), ("[]", "application/json"), ('{"message": 5}', "application/json"),
     ('{"message": null}', "application/json"), ("message=hi", "application/x-www-form-urlencoded")],
)
def test_invalid_bodies_are_4xx_never_5xx(client, body, content_type):
    r = client.post("/api/chat", content=body, headers={"Content-Type": content_type})
    assert 400 <= r.status_code < 500
    assert "detail" in r.json()


def test_rasa_down_gives_a_helpful_503(client, fake):
    fake.down = True
    r = client.post("/api/chat", json={"message": "hei", "language": "fi"})
    assert r.status_code == 503
    assert "ei juuri nyt vastaa" in r.json()["detail"]
    fake.down = False
    assert client.post("/api/chat", json={"message": "hei"}).status_code == 200


def test_html_is_passed_as_text_not_interpreted(client, fake):
    r = client.post("/api/chat", json={"message": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert fake.calls[-1][1] == "<script>alert(1)</script>"


def test_healthz_reports_each_component(client, fake):
    r = client.get("/healthz")
    assert r.json()["rasa"] == "ok"
    assert r.json()["action_server"] == "down"
    assert r.status_code == 503
