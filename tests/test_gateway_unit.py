"""Gateway behaviour with a fake Rasa: input checks, sessions, Rasa being down or silent,
rate limits, security headers, CORS, the route and service APIs, the channel webhook proxy."""
from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.config import GatewayConfig, RateLimit
from bot.gateway.rasa_client import RasaClient, RasaUnavailable
from bot.gateway.sessions import COOKIE, SessionSigner
from bot.guidance.advice import decide
from bot.guidance.rules import ROUTE_IDS
from bot.guidance.views import advice_to_dict
from bot.knowledge import get_knowledge
from bot.profile import Profile
from bot.settings import Settings

HUMAN_CONTACT = get_knowledge().contact("job_market_finland").web.fi
SECRET = "unit-test-session-secret-0123456789"


class FakeRasa:
    def __init__(self) -> None:
        self.down = False
        self.silent = False
        self.crash = False
        self.delay = 0.0
        self.gate: asyncio.Event | None = None  # turns wait until it is set
        self.reply: list | None = None
        self.language = "fi"
        self.tracker_reads = 0
        self.calls: list[tuple[str, str, dict]] = []
        self.webhooks: list[tuple] = []

    async def send(self, sender, text, metadata=None):
        if self.gate is not None:
            await self.gate.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.crash:
            raise RuntimeError("bug in the client")
        if self.down:
            raise RasaUnavailable("connection refused")
        self.calls.append((sender, text, metadata))
        if self.silent:
            return []
        if self.reply is not None:
            return self.reply
        return [{"recipient_id": sender, "text": f"echo: {text}", "buttons": [{"title": "A", "payload": "/a"}]}]

    async def conversation_language(self, sender):
        self.tracker_reads += 1
        return self.language

    async def forward_webhook(self, method, path, query, headers, body):
        if self.down:
            raise RasaUnavailable("connection refused")
        self.webhooks.append((method, path, query, headers, body))
        return httpx.Response(200, json={"ok": True}, headers={"X-Upstream": "rasa", "Server": "Sanic"})

    async def healthy(self):
        return not self.down

    async def action_server_healthy(self):
        return False

    async def close(self):
        pass


def make_config(**overrides) -> GatewayConfig:
    settings = replace(Settings.from_env(), action_endpoint_url="http://127.0.0.1:9/webhook")
    base = GatewayConfig(settings=settings, session_secret=SECRET)
    return replace(base, **overrides)


def freeze_rate_limits(app, now: float = 1000.0) -> None:
    """The app's token buckets see a clock that stands still: whether a request is refused
    depends on the requests before it, never on how fast a busy machine ran them (refills
    are tested with a fake clock in tests/test_gateway_rate_limit.py)."""
    gateway = app.state.gateway
    gateway.address_limiter.clock = gateway.session_limiter.clock = lambda: now


def make_client(fake: FakeRasa, address: str = "192.0.2.1", base_url: str = "http://testserver",
                **overrides) -> TestClient:
    app = create_app(config=make_config(**overrides))
    app.state.rasa = fake
    freeze_rate_limits(app)
    return TestClient(app, client=(address, 50000), base_url=base_url)


@pytest.fixture()
def fake():
    return FakeRasa()


@pytest.fixture()
def client(fake):
    return make_client(fake)


# ------------------------------------------------------------------------ chat basics


def test_chat_returns_bot_messages_and_a_session(client, fake):
    r = client.post("/api/chat", json={"message": "hei", "language": "fi"})
    assert r.status_code == 200
    data = r.json()
    assert data["messages"][0]["text"] == "echo: hei"
    assert data["messages"][0]["buttons"] == [{"title": "A", "payload": "/a"}]
    assert data["language"] == "fi"
    assert fake.calls[0][2] == {"language": "fi", "report_language": True}


@pytest.mark.parametrize("reported", ["sv", "en"])
def test_language_reported_in_the_turn_is_used_and_stripped(client, fake, reported):
    fake.reply = [{"text": "hej"}, {"custom": {"language": reported}}, {"text": "och", "custom": {"routes": []}}]
    data = client.post("/api/chat", json={"message": "hej", "language": "fi"}).json()
    assert data["language"] == reported and fake.tracker_reads == 0
    assert [m["text"] for m in data["messages"]] == ["hej", "och"]


def test_without_a_language_report_the_tracker_is_read(client, fake):
    fake.language = "en"
    fake.reply = [{"text": "hello"}, {"custom": {"language": 5}}]
    data = client.post("/api/chat", json={"message": "hello", "language": "fi"}).json()
    assert data["language"] == "en" and fake.tracker_reads == 1
    assert [m["text"] for m in data["messages"]] == ["hello"]


def test_page_language_is_normalised_and_client_metadata_nested(client, fake):
    client.post("/api/chat", json={"message": "hej", "language": "sv-FI", "metadata": {"page": "/sv/tjanster"}})
    assert fake.calls[-1][2] == {"language": "sv", "client": {"page": "/sv/tjanster"}, "report_language": True}
    client.post("/api/chat", json={"message": "hallo", "language": "de"})
    assert fake.calls[-1][2] == {"report_language": True}  # unsupported page language: the bot detects it


def test_custom_payloads_are_passed_through(client, fake):
    fake.reply = [{"text": "Routes", "custom": {"routes": ["helsinki_typ"]}}, {"image": "x.png"}]
    data = client.post("/api/chat", json={"message": "/start_guidance"}).json()
    assert data["messages"] == [{"text": "Routes", "buttons": [], "custom": {"routes": ["helsinki_typ"]}}]


def test_session_is_kept_via_cookie_and_token(client, fake):
    first = client.post("/api/chat", json={"message": "a"}).json()["session"]
    client.post("/api/chat", json={"message": "b"})
    client.post("/api/chat", json={"message": "c", "session": first})
    assert len({c[0] for c in fake.calls}) == 1


def test_session_cookie_is_httponly_lax_and_secure_over_https(fake):
    plain = make_client(fake).post("/api/chat", json={"message": "a"})
    cookie = plain.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    secure = make_client(fake, base_url="https://testserver").post("/api/chat", json={"message": "a"})
    assert "Secure" in secure.headers["set-cookie"] and "HttpOnly" in secure.headers["set-cookie"]
    forced = make_client(fake, cookie_secure=True).post("/api/chat", json={"message": "a"})
    assert "Secure" in forced.headers["set-cookie"]


def test_forged_or_foreign_session_gets_a_new_conversation(client, fake):
    forged = "0" * 32 + ".deadbeef"
    fresh = TestClient(client.app)
    r = fresh.post("/api/chat", json={"message": "x", "session": forged})
    assert r.status_code == 200
    assert fake.calls[-1][0] != "0" * 32
    other = SessionSigner("another-secret-0123456789").new()[1]
    TestClient(client.app).post("/api/chat", json={"message": "y", "session": other})
    assert fake.calls[-1][0] != other.split(".")[0]


def test_client_cannot_choose_the_rasa_sender_id(client, fake):
    r = client.post("/api/chat", json={"message": "x", "sender": "someone-else"})
    assert r.status_code == 422
    assert r.json()["field"] == "sender"
    assert not fake.calls


def test_signed_ids_are_random_hex_and_verified_strictly():
    signer = SessionSigner(SECRET)
    ids = {signer.new()[0] for _ in range(50)}
    assert len(ids) == 50 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    sender, token = signer.new()
    assert signer.verify(token) == sender
    assert signer.verify(token.upper()) is None
    assert signer.verify(token + "0") is None
    assert signer.verify("z" * 32 + token[32:]) is None
    assert signer.verify(None) is None and signer.verify("x" * 500) is None


def test_forget_me_ends_the_session(client, fake):
    client.post("/api/chat", json={"message": "hei"})
    fake.reply = [{"text": "Poistettu.", "custom": {"forget_me": True}}]
    r = client.post("/api/chat", json={"message": "/forget_me"})
    assert r.status_code == 200 and r.json()["session"] is None
    assert f'{COOKIE}=""' in r.headers["set-cookie"]
    fake.reply = None
    senders = [c[0] for c in fake.calls]
    client.post("/api/chat", json={"message": "hei taas"})
    assert fake.calls[-1][0] not in senders


# ------------------------------------------------------------------------ input checks


@pytest.mark.parametrize("message", ["", "   ", "\n\t"])
def test_empty_message_is_a_clear_400(client, message):
    r = client.post("/api/chat", json={"message": message, "language": "sv"})
    assert r.status_code == 400
    assert "Skriv" in r.json()["detail"]


def test_too_long_message_is_rejected_with_a_message(client):
    limit = client.app.state.gateway.config.max_message_chars
    r = client.post("/api/chat", json={"message": "a" * (limit + 1), "language": "en"})
    assert r.status_code == 413
    assert "too long" in r.json()["detail"] and str(limit) in r.json()["detail"]


@pytest.mark.parametrize("body", ['{"message": "hei\\u0000"}', '{"message": "a\\u001bb"}',
                                  '{"message": "\\ud800"}', '{"message": "x\\u0085"}'])
def test_control_characters_and_lone_surrogates_are_refused(client, fake, body):
    r = client.post("/api/chat", content=body, headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert r.status_code == 400
    assert "characters" in r.json()["detail"]
    assert not fake.calls


def test_newlines_and_tabs_are_ordinary_text(client, fake):
    assert client.post("/api/chat", json={"message": "rivi 1\nrivi\t2"}).status_code == 200


@pytest.mark.parametrize(
    "body,content_type,status,error",
    [
        ("{not json", "application/json", 400, "invalid_json"),
        ("[]", "application/json", 422, "not_object"),
        ('"hei"', "application/json", 422, "not_object"),
        ('{"message": 5}', "application/json", 422, "field_type"),
        ('{"message": null}', "application/json", 422, "field_type"),
        ('{"language": "fi"}', "application/json", 422, "field_missing"),
        ('{"message": "a", "metadata": {"a": {"b": 1}}}', "application/json", 422, "field_type"),
        ('{"message": "a", "metadata": [1]}', "application/json", 422, "field_type"),
        ("message=hi", "application/x-www-form-urlencoded", 422, "not_object"),
        ("", "application/json", 422, "not_object"),
    ],
)
def test_invalid_bodies_are_4xx_never_5xx(client, body, content_type, status, error):
    r = client.post("/api/chat", content=body, headers={"Content-Type": content_type})
    assert r.status_code == status, r.text
    assert r.json()["error"] == error
    assert r.json()["detail"]


def test_error_messages_follow_the_body_language_then_accept_language(client):
    sv = client.post("/api/chat", json={"message": 5, "language": "sv"})
    assert sv.json()["language"] == "sv" and "Fältet ”message”" in sv.json()["detail"]
    en = client.post("/api/chat", content="{bad", headers={"Content-Type": "application/json",
                                                           "Accept-Language": "de, en-GB;q=0.8, fi;q=0.5"})
    assert en.json()["language"] == "en" and "not valid JSON" in en.json()["detail"]
    fi = client.post("/api/chat", content="{bad", headers={"Content-Type": "application/json"})
    assert fi.json()["language"] == "fi"


def test_huge_metadata_is_refused(client, fake):
    many = {f"k{i}": "v" for i in range(20)}
    r = client.post("/api/chat", json={"message": "a", "metadata": many, "language": "en"})
    assert r.status_code == 413 and r.json()["field"] == "metadata"
    big = {"page": "x" * 2000}
    assert client.post("/api/chat", json={"message": "a", "metadata": big}).status_code == 413
    assert not fake.calls


def test_oversized_body_is_refused_before_parsing(client, fake):
    body = json.dumps({"message": "a", "padding": "x" * 100_000})
    r = client.post("/api/chat", content=body, headers={"Content-Type": "application/json", "Accept-Language": "sv"})
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    assert "för stor" in r.json()["detail"]

    def chunks():  # no Content-Length: counted while reading
        for _ in range(40):
            yield b"x" * 1000

    r = client.post("/api/chat", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert not fake.calls


def test_html_is_passed_as_text_not_interpreted(client, fake):
    r = client.post("/api/chat", json={"message": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert fake.calls[-1][1] == "<script>alert(1)</script>"
    assert r.headers["content-type"].startswith("application/json")


# ------------------------------------------------------------------------ Rasa down, slow, silent


def test_rasa_down_gives_a_helpful_503_with_a_human_contact(client, fake):
    fake.down = True
    r = client.post("/api/chat", json={"message": "hei", "language": "fi"})
    assert r.status_code == 503
    data = r.json()
    assert "ei juuri nyt vastaa" in data["detail"] and HUMAN_CONTACT in data["detail"]
    assert any(c.get("web") == HUMAN_CONTACT for c in data["contacts"])
    assert data["session"] and r.headers["retry-after"]
    fake.down = False
    r = client.post("/api/chat", json={"message": "hei", "session": data["session"]})
    assert r.status_code == 200 and r.json()["session"] == data["session"]


def test_gateway_messages_in_a_running_conversation_follow_its_language(client, fake):
    # Page in Finnish, the resident switched to Swedish: the widget sends the conversation's
    # language as Accept-Language, and errors come in it; without a session the page's.
    session = client.post("/api/chat", json={"message": "hej", "language": "fi"}).json()["session"]
    fake.down = True
    data = client.post("/api/chat", json={"message": "x", "language": "fi", "session": session},
                       headers={"Accept-Language": "sv"}).json()
    assert data["language"] == "sv" and "svarar inte just nu" in data["detail"]
    empty = client.post("/api/chat", json={"message": " ", "language": "fi", "session": session},
                        headers={"Accept-Language": "sv"}).json()
    assert empty["language"] == "sv"
    client.cookies.clear()  # the session also travels as a cookie
    fresh = client.post("/api/chat", json={"message": "x", "language": "fi"}, headers={"Accept-Language": "sv"}).json()
    assert fresh["language"] == "fi"


@pytest.mark.parametrize("language,sentence", [("sv", "svarar inte just nu"), ("en", "not answering right now")])
def test_unavailable_message_is_in_the_users_language(client, fake, language, sentence):
    fake.down = True
    data = client.post("/api/chat", json={"message": "x", "language": language}).json()
    assert sentence in data["detail"] and HUMAN_CONTACT in data["detail"]


def test_no_answer_from_rasa_is_not_silence(client, fake):
    fake.silent = True  # e.g. a custom action failed because the action server is down
    r = client.post("/api/chat", json={"message": "/human_contact", "language": "en"})
    assert r.status_code == 503
    assert HUMAN_CONTACT in r.json()["detail"]
    fake.silent = False
    assert client.post("/api/chat", json={"message": "/human_contact"}).json()["messages"]


def test_unexpected_error_is_a_503_with_contacts_never_a_500(fake):
    fake.crash = True
    client = make_client(fake)
    r = client.post("/api/chat", json={"message": "hei", "language": "sv"})
    assert r.status_code == 503
    assert "svarar inte just nu" in r.json()["detail"] and HUMAN_CONTACT in r.json()["detail"]
    assert r.headers["x-content-type-options"] == "nosniff"


class SilentServer:
    """Accepts connections and never answers: a hung Rasa."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns: list = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self) -> None:
        self.sock.close()
        for c in self.conns:
            c.close()


def test_slow_rasa_is_cut_off_by_the_timeout():
    server = SilentServer()
    try:
        app = create_app(config=make_config(rasa_timeout=0.5))
        app.state.rasa = RasaClient(f"http://127.0.0.1:{server.port}", "token", timeout=0.5)
        client = TestClient(app)
        started = time.monotonic()
        r = client.post("/api/chat", json={"message": "hei", "language": "fi"})
        assert r.status_code == 503 and HUMAN_CONTACT in r.json()["detail"]
        assert time.monotonic() - started < 5
    finally:
        server.close()


def test_rasa_refusing_connections_answers_quickly():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(config=make_config())
    app.state.rasa = RasaClient(f"http://127.0.0.1:{port}", "token")
    started = time.monotonic()
    r = TestClient(app).post("/api/chat", json={"message": "hei"})
    assert r.status_code == 503 and time.monotonic() - started < 5


# ------------------------------------------------------------------------ rate limits


def test_rate_limit_per_address_with_retry_after_and_others_unaffected(fake):
    limits = dict(address_limit=RateLimit(per_minute=6, burst=3), session_limit=RateLimit(0, 1))
    flooder = make_client(fake, address="198.51.100.7", **limits)
    statuses = [flooder.post("/api/chat", json={"message": "x", "language": "en"}).status_code for _ in range(10)]
    assert statuses[:3] == [200, 200, 200] and set(statuses[3:]) == {429}
    r = flooder.post("/api/chat", json={"message": "x", "language": "en"})
    assert 1 <= int(r.headers["retry-after"]) <= 11
    assert r.json()["error"] == "rate_limited" and "wait" in r.json()["detail"]
    # Same app, another address: served normally while the flood goes on.
    neighbour = TestClient(flooder.app, client=("203.0.113.9", 40000))
    assert neighbour.post("/api/chat", json={"message": "x"}).status_code == 200
    assert flooder.post("/api/chat", json={"message": "x"}).status_code == 429


def test_rate_limit_per_session(fake):
    client = make_client(fake, address_limit=RateLimit(0, 1), session_limit=RateLimit(per_minute=2, burst=2))
    session = client.post("/api/chat", json={"message": "a"}).json()["session"]
    statuses = [client.post("/api/chat", json={"message": "b", "session": session}).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[2:] == [429, 429]
    other = TestClient(client.app)  # a new conversation from the same address is not blocked
    assert other.post("/api/chat", json={"message": "c"}).status_code == 200


def test_route_api_is_rate_limited_per_address(fake):
    client = make_client(fake, address_limit=RateLimit(per_minute=1, burst=2))
    statuses = [client.post("/api/route", json={"profile": {}}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_concurrent_requests_per_address_are_capped(fake):
    """Five turns at once from one address with a cap of two: the two admitted ones wait in
    the (fake) bot until the other three have been refused, whatever the machine's speed;
    meanwhile another address is admitted."""
    app = create_app(config=make_config(max_concurrent_per_address=2, address_limit=RateLimit(0, 1)))
    app.state.rasa = fake

    async def burst():
        fake.gate = asyncio.Event()
        flood = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("198.51.100.7", 1)),
                                  base_url="http://testserver")
        other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("203.0.113.9", 1)),
                                  base_url="http://testserver")
        async with flood, other:
            tasks = [asyncio.ensure_future(flood.post("/api/chat", json={"message": "x", "language": "en"}))
                     for _ in range(5)]
            tasks.append(asyncio.ensure_future(other.post("/api/chat", json={"message": "y"})))
            deadline = time.monotonic() + 60  # an upper bound only; met at once when it works
            while sum(t.done() for t in tasks) < 3 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            refused_while_held = [t.result().status_code for t in tasks if t.done()]
            fake.gate.set()
            return refused_while_held, await asyncio.gather(*tasks)

    refused_while_held, responses = asyncio.run(burst())
    assert refused_while_held == [429, 429, 429]
    flood, neighbour = responses[:5], responses[5]
    assert sorted(r.status_code for r in flood) == [200, 200, 429, 429, 429]
    assert {r.json()["error"] for r in flood if r.status_code == 429} == {"busy"}
    assert neighbour.status_code == 200


# ------------------------------------------------------------------------ headers, CORS, pages


def test_security_headers_on_page_api_and_static(client):
    for path in ("/", "/static/widget.js", "/healthz", "/api/services/duuri"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "camera=()" in r.headers["permissions-policy"] and "geolocation=()" in r.headers["permissions-policy"]
        assert "server" not in r.headers
    assert client.get("/static/widget.js").headers["cross-origin-resource-policy"] == "cross-origin"
    assert client.get("/").headers["cross-origin-resource-policy"] == "same-origin"
    assert client.post("/api/chat", json={"message": "a"}).headers["cache-control"] == "no-store"


def test_frame_ancestors_and_hsts_follow_config(fake):
    client = make_client(fake, base_url="https://testserver",
                         frame_ancestors=("'self'", "https://www.example.fi"))
    r = client.get("/")
    assert "frame-ancestors 'self' https://www.example.fi" in r.headers["content-security-policy"]
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_docs_page_allows_only_its_own_inline_script(client):
    r = client.get("/docs")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "'sha256-" in csp
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/route", "/api/services/{service_id}", "/healthz"} <= set(paths)


def test_cors_allows_only_configured_origins(fake):
    client = make_client(fake, allowed_origins=("https://www.example.fi",))
    ok = client.post("/api/chat", json={"message": "a"}, headers={"Origin": "https://www.example.fi"})
    assert ok.headers["access-control-allow-origin"] == "https://www.example.fi"
    assert "access-control-allow-credentials" not in ok.headers
    bad = client.post("/api/chat", json={"message": "a"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in bad.headers
    preflight = client.options("/api/chat", headers={"Origin": "https://www.example.fi",
                                                    "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    none = make_client(fake).post("/api/chat", json={"message": "a"}, headers={"Origin": "https://www.example.fi"})
    assert "access-control-allow-origin" not in none.headers


@pytest.mark.parametrize("query,accept,lang", [("?lang=sv", None, "sv"), ("?lang=en", "fi", "en"),
                                               ("", "sv-FI,sv;q=0.9", "sv"), ("", None, "fi"),
                                               ("?lang=xx", None, "fi")])
def test_chat_page_language(client, query, accept, lang):
    r = client.get("/" + query, headers={"Accept-Language": accept} if accept else {})
    assert f'<html lang="{lang}">' in r.text
    assert 'src="/static/widget.js"' in r.text


def test_page_and_widget_have_no_inline_script_and_no_html_injection_sinks(client):
    page = client.get("/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script on the page"
    assert " style=" not in page
    widget = client.get("/static/widget.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in widget, sink
    assert "textContent" in widget and "sessionStorage" in widget
    assert "/human_contact" in widget and "/forget_me" in widget


def test_widget_config(client):
    data = client.get("/api/widget-config").json()
    assert data["retention_days"] == client.app.state.gateway.config.settings.retention_days
    assert data["languages"] == ["fi", "sv", "en"]


def test_unknown_path_is_a_localised_404(client):
    r = client.get("/nope", headers={"Accept-Language": "sv"})
    assert r.status_code == 404 and r.json()["language"] == "sv" and r.json()["detail"]
    assert client.put("/api/chat").status_code == 405


# ------------------------------------------------------------------------ health


def test_healthz_reports_each_component(client, fake):
    r = client.get("/healthz")
    assert r.json() == {"status": "degraded", "gateway": "ok", "rasa": "ok", "action_server": "down"}
    assert r.status_code == 503
    fake.down = True
    assert client.get("/healthz").json()["rasa"] == "down"
    assert client.get("/livez").json() == {"status": "ok"}


# ------------------------------------------------------------------------ route and services APIs


def test_route_api_matches_the_route_engine(client):
    profile = {"municipality": "Helsingfors", "age": 45, "unemployed": True, "health_affects_work_ability": "yes"}
    r = client.post("/api/route", json={"profile": profile, "language": "sv", "today": "2026-01-15"})
    assert r.status_code == 200
    from datetime import date
    expected = advice_to_dict(decide(Profile.from_mapping(profile), today=date(2026, 1, 15)), "sv")
    assert r.json() == json.loads(json.dumps(expected))
    assert {route["id"] for route in r.json()["routes"]} <= set(ROUTE_IDS)


def test_route_api_with_empty_profile_asks_for_municipality(client):
    data = client.post("/api/route", json={}).json()
    assert data["ask_next"][0] == "municipality" and data["language"] == "fi"


@pytest.mark.parametrize(
    "body,field,error,fragment",
    [
        ({"profile": {"age": "abc"}, "language": "en"}, "profile.age", "field_invalid", "whole number 0–120"),
        ({"profile": {"age": 200}, "language": "fi"}, "profile.age", "field_invalid", "0–120"),
        ({"profile": {"unemployed": "maybe"}, "language": "sv"}, "profile.unemployed", "field_invalid", "ja eller nej"),
        ({"profile": {"referral": "doctor"}, "language": "en"}, "profile.referral", "field_invalid", "social_welfare"),
        ({"profile": {"municipality": 5}, "language": "en"}, "profile.municipality", "field_invalid",
         "Finnish municipality"),
        ({"profile": {"shoe_size": 42}, "language": "en"}, "profile.shoe_size", "field_unknown", "shoe_size"),
        ({"profile": {"skipped": ["age", "shoe"]}, "language": "en"}, "profile.skipped", "field_invalid", "age"),
        ({"profile": {"skipped": [1]}, "language": "en"}, "profile.skipped", "field_type", "list"),
        ({"profile": {}, "language": "de"}, "language", "field_invalid", "fi"),
        ({"profile": {}, "today": "15.1.2026", "language": "en"}, "today", "field_invalid", "YYYY-MM-DD"),
        ({"profile": [], "language": "en"}, "profile", "field_type", "JSON object"),
        ({"profile": {}, "extra": 1, "language": "en"}, "extra", "field_unknown", "extra"),
    ],
)
def test_route_api_invalid_values_are_422_naming_the_field(client, body, field, error, fragment):
    r = client.post("/api/route", json=body)
    assert r.status_code == 422, r.text
    data = r.json()
    assert data["field"] == field and data["error"] == error
    assert fragment in data["detail"], data["detail"]


def test_route_api_refuses_control_characters(client):
    r = client.post("/api/route", json={"profile": {"municipality": "Hel\u0000sinki"}})
    assert r.status_code == 400 and r.json()["field"] == "profile.municipality"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_service_api_gives_contacts_and_sources_per_language(client, language):
    kb = get_knowledge()
    service_id = next(s.id for s in kb.services.values() if kb.current_contacts(s))
    data = client.get(f"/api/services/{service_id}?language={language}").json()
    service = kb.service(service_id)
    assert data["title"] == service.title.get(language) and data["language"] == language
    assert data["contacts"] and all(c["sources"] for c in data["contacts"])
    assert data["contacts"][0]["name"] == kb.current_contacts(service)[0].name.get(language)
    assert data["sources"]


def test_service_api_unknown_id_is_404(client):
    r = client.get("/api/services/no_such_service?language=sv")
    assert r.status_code == 404 and "no_such_service" in r.json()["detail"] and r.json()["language"] == "sv"
    assert client.get("/api/services/..%2Fsecret").status_code == 404
    assert client.get("/api/services/duuri?language=de").status_code == 422


# ------------------------------------------------------------------------ channel webhooks


def test_webhooks_only_for_enabled_channels(fake):
    client = make_client(fake, channels=("slack",))
    assert client.post("/webhooks/telegram/webhook", json={}).status_code == 404
    assert client.post("/webhooks/rest/webhook", json={"sender": "x", "message": "hi"}).status_code == 404
    assert client.post("/webhooks/socketio/webhook", json={}).status_code == 404
    assert not fake.webhooks


def test_webhook_proxy_passes_body_and_signature_headers(fake):
    client = make_client(fake, channels=("slack", "botframework"))
    body = b'{"type": "event_callback", "event": {"text": "hei"}}'
    r = client.post("/webhooks/slack/webhook?x=1", content=body,
                    headers={"Content-Type": "application/json", "X-Slack-Signature": "v0=abc",
                             "X-Slack-Request-Timestamp": "123", "Cookie": "a=b"})
    assert r.status_code == 200 and r.json() == {"ok": True}
    assert r.headers["x-upstream"] == "rasa" and "server" not in r.headers
    method, path, query, headers, forwarded = fake.webhooks[-1]
    assert (method, path, query, forwarded) == ("POST", "/webhooks/slack/webhook", "x=1", body)
    assert headers["x-slack-signature"] == "v0=abc" and headers["x-slack-request-timestamp"] == "123"
    assert "cookie" not in headers and "host" not in headers
    client.post("/webhooks/botframework/webhook", content=b"{}", headers={"Authorization": "Bearer jwt"})
    assert fake.webhooks[-1][3]["authorization"] == "Bearer jwt"


def test_webhook_with_rasa_down_is_503(fake):
    fake.down = True
    r = make_client(fake, channels=("telegram",)).post("/webhooks/telegram/webhook", json={})
    assert r.status_code == 503


# ------------------------------------------------------------------------ configuration


def test_config_from_env():
    env = {
        "GATEWAY_SESSION_SECRET": "a-real-secret-of-enough-length",
        "GATEWAY_ALLOWED_ORIGINS": "https://www.example.fi, https://example.fi/",
        "GATEWAY_FRAME_ANCESTORS": "'self',https://www.example.fi",
        "GATEWAY_RATE_ADDRESS_PER_MINUTE": "100",
        "GATEWAY_RATE_SESSION_BURST": "3",
        "GATEWAY_RASA_TIMEOUT": "12.5",
        "GATEWAY_COOKIE_SECURE": "true",
        "KO_CHANNELS": "telegram, slack",
    }
    config = GatewayConfig.from_env(Settings.from_env(), env)
    assert config.allowed_origins == ("https://www.example.fi", "https://example.fi")
    assert config.frame_ancestors == ("'self'", "https://www.example.fi")
    assert config.address_limit.per_minute == 100 and config.session_limit.burst == 3
    assert config.rasa_timeout == 12.5 and config.cookie_secure is True
    assert config.channels == ("telegram", "slack") and not config.session_secret_generated


@pytest.mark.parametrize(
    "env,message",
    [
        ({"GATEWAY_SESSION_SECRET": "short"}, "GATEWAY_SESSION_SECRET"),
        ({"GATEWAY_SESSION_SECRET": "change-me-at-least-16-chars"}, "placeholder"),
        ({"GATEWAY_ALLOWED_ORIGINS": "*"}, "GATEWAY_ALLOWED_ORIGINS"),
        ({"GATEWAY_ALLOWED_ORIGINS": "https://x.fi/path"}, "GATEWAY_ALLOWED_ORIGINS"),
        ({"GATEWAY_FRAME_ANCESTORS": "*"}, "GATEWAY_FRAME_ANCESTORS"),
        ({"GATEWAY_RATE_ADDRESS_PER_MINUTE": "lots"}, "GATEWAY_RATE_ADDRESS_PER_MINUTE"),
        ({"GATEWAY_RASA_TIMEOUT": "0"}, "GATEWAY_RASA_TIMEOUT"),
        ({"KO_CHANNELS": "whatsapp"}, "KO_CHANNELS"),
    ],
)
def test_invalid_config_fails_at_start_naming_the_variable(env, message):
    with pytest.raises(ValueError, match=message):
        GatewayConfig.from_env(Settings.from_env(), env)


def test_missing_session_secret_is_random_with_a_warning(caplog):
    with caplog.at_level("WARNING", logger="bot.gateway"):
        one = GatewayConfig.from_env(Settings.from_env(), {})
        two = GatewayConfig.from_env(Settings.from_env(), {})
    assert one.session_secret_generated and one.session_secret != two.session_secret
    assert "GATEWAY_SESSION_SECRET" in caplog.text


def test_gateway_installs_the_redacting_log_filter(fake):
    import logging

    pytest.importorskip("bot.privacy.logging_filter")
    make_client(fake)
    record = logging.getLogRecordFactory()("bot.gateway", logging.WARNING, "x.py", 1,
                                           "identity code %s", ("131052-308T",), None)
    assert "131052-308T" not in record.getMessage()
