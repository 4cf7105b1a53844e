"""The gateway in front of the real action server and Rasa: chat, sessions, route and
service APIs, health, and what residents get while the action server is down and after it
comes back."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from bot.knowledge import get_knowledge
from bot.stack import Stack, http_ok
from tests.conftest import TEST_STACK_RASA_TIMEOUT
from tests.said import GREETING

pytestmark = pytest.mark.slow

KB = get_knowledge()
HUMAN_CONTACT = KB.contact("job_market_finland").web.fi  # in every "talk to a person" answer


def call(stack: Stack, method: str, path: str, body: dict | None = None,
         headers: dict | None = None) -> tuple[int, dict, dict]:
    url = f"http://127.0.0.1:{stack.settings.gateway_port}{path}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), {k.lower(): v for k, v in exc.headers.items()}


def chat(stack: Stack, message: str, session: str | None = None, language: str | None = None):
    body = {"message": message}
    if session:
        body["session"] = session
    if language:
        body["language"] = language
    return call(stack, "POST", "/api/chat", body)


def texts(data: dict) -> str:
    return " ".join(m.get("text") or "" for m in data.get("messages", []))


def test_conversation_through_the_gateway_keeps_session_and_language(stack):
    status, first, headers = chat(stack, "/greet", language="sv")
    assert status == 200 and GREETING["sv"] in texts(first)
    assert first["language"] == "sv" and "server" not in headers
    status, second, _ = chat(stack, "vad är rehabiliterande arbetsverksamhet", session=first["session"])
    assert status == 200 and second["session"] == first["session"]
    assert KB.topic("rehabilitative_work_activity").body.get("sv")[:40] in texts(second)


def test_errors_reach_the_resident_in_their_language(stack):
    status, data, _ = chat(stack, "   ", language="en")
    assert status == 400 and data["detail"] == "Please type a message before sending."
    status, data, _ = call(stack, "POST", "/api/chat", {"message": "x", "sender": "abc"},
                           headers={"Accept-Language": "sv"})
    assert status == 422 and "”sender”" in data["detail"]


def test_route_and_service_apis(stack):
    status, data, _ = call(stack, "POST", "/api/route",
                           {"profile": {"municipality": "Kempele", "age": 40, "unemployed": "kyllä"}, "language": "fi"})
    assert status == 200 and "kempele_service_coordinator" in [r["id"] for r in data["routes"]]
    status, data, _ = call(stack, "GET", "/api/services/kempele_service_coordinator?language=sv")
    assert status == 200 and data["language"] == "sv" and data["sources"]
    status, data, _ = call(stack, "GET", "/api/services/nope?language=en")
    assert status == 404 and "nope" in data["detail"]


def test_health_reports_every_component(stack):
    status, data, _ = call(stack, "GET", "/healthz")
    assert status == 200 and data == {"status": "ok", "gateway": "ok", "rasa": "ok", "action_server": "ok"}


def test_action_server_down_then_back(stack):
    status, first, _ = chat(stack, "Hei, tarvitsisin apua", language="fi")
    assert status == 200
    session = first["session"]
    actions = stack.service("actions")
    stack.stop_service(actions)
    try:
        status, health, _ = call(stack, "GET", "/healthz")
        assert status == 503 and health["action_server"] == "down" and health["rasa"] == "ok"
        # "Talk to a person" runs a custom action: without the action server Rasa answers
        # nothing, and the resident gets the human contacts instead of silence, quickly.
        started = time.monotonic()
        status, data, headers = chat(stack, "/human_contact", session=session)
        assert status == 503, data
        assert HUMAN_CONTACT in data["detail"] and "ei juuri nyt vastaa" in data["detail"]
        assert data["session"] == session and "retry-after" in headers
        # well below the stack's GATEWAY_RASA_TIMEOUT: Rasa gave up on the action at once
        assert time.monotonic() - started < TEST_STACK_RASA_TIMEOUT - 15
    finally:
        stack.start_service(actions)
    assert http_ok(f"http://127.0.0.1:{stack.settings.gateway_port}/healthz")
    status, data, _ = chat(stack, "/human_contact", session=session)
    assert status == 200 and KB.text("dialogue.human_contact_intro", "fi") in texts(data)
    assert HUMAN_CONTACT in texts(data)
