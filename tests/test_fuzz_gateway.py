"""Bad input and abuse against the public gateway, in process with a fake Rasa (issue 7).

Property-based (hypothesis) requests to every public route: random unicode, 100 kB
messages, control characters and lone surrogates, emoji, right-to-left text and bidi
controls, HTML/script, SQL-looking strings, invalid JSON, wrong types, huge metadata,
arbitrary headers and query strings. The result must always be a 2xx or 4xx with a JSON
body (never a 5xx: with a working fake Rasa a 503 would mean the gateway's last-resort
error handler caught a bug), within a bounded time, and what reaches Rasa is always a
clean, bounded message. Plus schemathesis against the gateway's own OpenAPI document
(``/openapi.json``), every operation, check ``not_a_server_error``.

The hand-picked cases of tests/test_gateway_unit.py (each validation error, limits,
headers) are not repeated here; this file is about what nobody thought of.
"""
from __future__ import annotations

import json
import time
import unicodedata
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.gateway.app import create_app
from bot.gateway.config import RateLimit
from bot.gateway.validation import MAX_SYMBOL_RUN, has_control_characters, longest_symbol_run
from tests.said import topic_said
from tests.test_gateway_unit import FakeRasa, freeze_rate_limits, make_config

# One request, whatever it is, costs at most this much CPU time (seconds; typical answers
# take 1-20 ms). CPU time of this process (the app runs in it), not wall-clock time, so
# that other work on a shared 2-core machine cannot decide the outcome, while pathological
# work (catastrophic regex backtracking, quadratic parsing) still fails it.
MAX_SECONDS = 2.0
now = time.process_time
JSON = {"Content-Type": "application/json"}
HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]


class FuzzRasa(FakeRasa):
    """Echoes like the unit tests' fake, healthy, and remembers what reached it."""

    async def action_server_healthy(self):
        return True


def fuzz_client(**overrides) -> tuple[TestClient, FuzzRasa]:
    fake = FuzzRasa()
    # Rate limits off (their flood behaviour is tested in test_gateway_unit.py and below):
    # here every request must reach the code that parses and checks it.
    limits = dict(address_limit=RateLimit(0, 1), session_limit=RateLimit(0, 1), max_concurrent_per_address=1000)
    limits.update(overrides)
    app = create_app(config=make_config(**limits))
    app.state.rasa = fake
    freeze_rate_limits(app)
    return TestClient(app, raise_server_exceptions=True), fake


@pytest.fixture(scope="module")
def gw():
    client, fake = fuzz_client()
    with client:
        yield client, fake


@pytest.fixture(scope="module")
def webhook_gw():
    client, fake = fuzz_client(channels=("telegram", "slack", "botframework"))
    with client:
        yield client, fake


def checked(response, started: float) -> Any:
    """The invariants of every answer: 2xx/4xx, JSON (or the page/static file), quick,
    security headers on. Returns the parsed JSON body (or None)."""
    elapsed = now() - started
    assert response.status_code < 500, (response.status_code, response.text[:500])
    assert 200 <= response.status_code, response.status_code
    assert elapsed < MAX_SECONDS, f"{elapsed:.2f} s of CPU time"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers
    if response.request.method != "HEAD" and response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        if response.status_code >= 400:
            assert body["error"] and body["detail"] and body["language"] in ("fi", "sv", "en"), body
        return body
    return None


def accept_header(value: str | None) -> dict | None:
    # latin-1 bytes: what a client can really put in a header (httpx would refuse str > ASCII)
    return {"Accept-Language": value.encode("latin-1")} if value else None


def post_json(client: TestClient, path: str, body: Any, headers: dict | None = None):
    # ensure_ascii: lone surrogates travel as \udxxx escapes, as a hostile client may send them.
    content = json.dumps(body, ensure_ascii=True, allow_nan=True)
    started = now()
    response = client.post(path, content=content, headers={**JSON, **(headers or {})})
    return response, started


# --------------------------------------------------------------------------- strategies

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # includes surrogates and controls
CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])
EMOJI = st.sampled_from(["😀", "👩🏽‍⚕️", "🇫🇮", "❤️", "🧑‍🤝‍🧑", "\U0001F9D1\u200D\U0001F4BB", "\uFE0F", "🏳️‍🌈"])
RTL = st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), min_size=1, max_size=40)
BIDI = st.sampled_from(["\u202E", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069", "\u200F", "\u200E", "\u061C"])
HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "</textarea><svg/onload=x>",
    "{{7*7}}", "${jndi:ldap://127.0.0.1/a}", "%s%s%s%n", "{0.__class__}", "{language}", "{}",
    "'; DROP TABLE events; --", "\" OR 1=1 --", "1; SELECT * FROM events WHERE '1'='1", "admin'--",
    "../../../../etc/passwd", "%00", "\\x00", "\\u0000", "/restart", "/forget_me", "/inform{\"age\": -1}",
    '/inform{"municipality": "' + "A" * 300 + '"}', "/" + "x" * 200, "/set_language{\"language\":\"de\"}",
    "/greet{" * 50, "[" * 500, "hetu 010190-123M puh 040 123 4567", "ä" * 1999, "\u0301" * 500, "ﷺ" * 100,
    "𒐫" * 300, "Z̸̛͍̞͙̭̊a̶̢̧͈͍̓l̵̢̛g̷o̴", "\u00ad" * 50, "\ufeffhei", "\U000E0001", "\U0010FFFF",
])
MESSAGE_PIECE = st.one_of(st.text(max_size=30), st.text(ANY_CHAR, max_size=10), CONTROL, EMOJI, RTL, BIDI, HOSTILE)
MESSAGES = st.one_of(
    st.text(),
    st.text(ANY_CHAR, max_size=200),
    st.lists(MESSAGE_PIECE, max_size=12).map("".join),
    # long: around the 2000-character limit, and far beyond (the 16 kB body limit)
    st.tuples(MESSAGE_PIECE, st.integers(1, 3000)).map(lambda t: (t[0] or "a") * t[1]),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=50),
                         st.text(ANY_CHAR, max_size=20))
JSON_VALUES = st.recursive(JSON_SCALARS,
                           lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                   st.dictionaries(st.text(max_size=10), inner, max_size=5)),
                           max_leaves=20)
LANGUAGES = st.one_of(st.none(), st.sampled_from(["fi", "sv", "en", "sv-FI", "EN_gb", "de", "", " ", "fi" * 5000]),
                      st.text(max_size=20), JSON_VALUES)
# Header values: httpx sends latin-1; anything a client can put there.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=200)
ACCEPT_LANGUAGE = st.one_of(st.none(), HEADER_TEXT, st.sampled_from([
    "sv-FI,sv;q=0.9", "en;q=nan, fi;q=inf", "fi;q=-1", ";;;,,,", "*", "x" * 600, "sv;q=1e999", "en;q=0x10"]))


def chat_bodies():
    """Mostly well-formed bodies with hostile values, plus everything else JSON can be."""
    fields = st.fixed_dictionaries(
        {"message": st.one_of(MESSAGES, JSON_VALUES)},
        optional={
            "language": LANGUAGES,
            "session": st.one_of(st.text(max_size=120), JSON_VALUES, st.just("0" * 32 + "." + "0" * 32)),
            "metadata": st.one_of(
                JSON_VALUES,
                st.dictionaries(st.text(ANY_CHAR, max_size=15), JSON_SCALARS, max_size=15),
                st.integers(0, 3000).map(lambda n: {f"k{i}": "v" * 10 for i in range(n)}),  # huge metadata
            ),
            "sender": st.text(max_size=20),
            "stream": st.booleans(),
        },
    )
    return st.one_of(fields, fields, JSON_VALUES)


# --------------------------------------------------------------------------- /api/chat


@settings(max_examples=300, deadline=None, suppress_health_check=HEALTH)
@given(body=chat_bodies(), accept=ACCEPT_LANGUAGE)
@example(body={"message": "a" * 100_000}, accept=None)  # 100 kB message
@example(body={"message": "😀" * 25_000, "language": "sv"}, accept=None)
@example(body={"message": "\u202Eolleh\u202C <b>hei</b>", "language": "fi"}, accept=None)
@example(body={"message": "hei", "metadata": {f"k{i}": "v" * 1000 for i in range(100)}}, accept=None)
@example(body={"message": "\ud800\udfff\udbff"}, accept=None)
@example(body={"message": "hei", "language": "\ud800"}, accept="sv")
@example(body={"message": "hei", "metadata": {"\ud800": "x"}}, accept=None)
@example(body={"message": "hei", "metadata": {"a": float("nan"), "b": float("inf")}}, accept=None)
@example(body={"message": "hei", "metadata": {"a": 10 ** 400}}, accept=None)
def test_chat_answers_anything_with_2xx_or_4xx(gw, body, accept):
    client, fake = gw
    before = len(fake.calls)
    response, started = post_json(client, "/api/chat", body, accept_header(accept))
    data = checked(response, started)
    if response.status_code == 200:
        assert data["messages"] and data["session"]
        sender, text, metadata = fake.calls[-1]
        # What reaches Rasa: one bounded, clean, normalised message.
        assert len(fake.calls) == before + 1
        assert isinstance(text, str) and 0 < len(text) <= 2000 and text == text.strip()
        assert not has_control_characters(text) and unicodedata.is_normalized("NFC", text)
        assert longest_symbol_run(text) <= MAX_SYMBOL_RUN
        assert len(json.dumps(metadata.get("client", {}))) <= 4 * 1024
        assert set(metadata) <= {"language", "client", "report_language"} and metadata["report_language"] is True
    else:
        assert len(fake.calls) == before, "a refused request must not reach Rasa"


@settings(max_examples=200, deadline=None, suppress_health_check=HEALTH)
@given(raw=st.one_of(st.binary(max_size=3000),
                     st.text(ANY_CHAR, max_size=500).map(lambda s: s.encode("utf-8", "surrogatepass"))),
       content_type=st.one_of(st.none(),
                              st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                               "multipart/form-data", "multipart/form-data; boundary=x",
                                               "application/json; charset=latin-1", "application/json; charset=utf-16",
                                               "application/xml", "*/*", "application/json; charset=nope"]),
                              HEADER_TEXT))
@example(raw=b'{"message": "hei"', content_type="application/json")
@example(raw=b'{"message": "\xff\xfe"}', content_type="application/json")
@example(raw=b"\xef\xbb\xbf{\"message\": \"hei\"}", content_type="application/json")  # UTF-8 BOM
@example(raw=b'{"message": "a", "message": 5}', content_type="application/json")
@example(raw=b"[" * 3000, content_type="application/json")  # deep nesting
@example(raw=b'{"message": "hei", "metadata": {"a": 1e999}}', content_type="application/json")
@example(raw=b'{"message": NaN}', content_type="application/json")
@example(raw=b"--x\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhei\r\n--x--\r\n",
         content_type="multipart/form-data; boundary=x")
def test_chat_with_arbitrary_bytes_is_never_a_server_error(gw, raw, content_type):
    client, _ = gw
    headers = {"Content-Type": content_type.encode("latin-1")} if content_type is not None else {}
    started = now()
    checked(client.post("/api/chat", content=raw, headers=headers), started)


@settings(max_examples=40, deadline=None, suppress_health_check=HEALTH)
@given(size=st.sampled_from([16 * 1024 - 1, 16 * 1024 + 1, 100_000, 1_000_000]),
       fill=st.sampled_from(["a", "ä", "😀", "\u202E", "<", "\\u0000"]),
       chunked=st.booleans())
def test_oversized_bodies_are_413_quickly(gw, size, fill, chunked):
    client, fake = gw
    before = len(fake.calls)
    message = fill * max(1, size // len(fill.encode()))
    body = json.dumps({"message": message}, ensure_ascii=False).encode()

    def chunks():
        for i in range(0, len(body), 8192):
            yield body[i:i + 8192]

    started = now()
    response = client.post("/api/chat", content=chunks() if chunked else body, headers=JSON)
    checked(response, started)
    assert response.status_code in (200, 400, 413), response.status_code
    if len(body) > 16 * 1024:
        assert response.status_code == 413
        assert len(fake.calls) == before


@settings(max_examples=80, deadline=None, suppress_health_check=HEALTH)
@given(symbol=st.sampled_from(list("(?)'\"€😀…!.,-°؟«*#") + ["🇫🇮", "👩🏽‍⚕️"]), count=st.integers(1, 1900),
       before=st.text(st.characters(categories=["L", "N", "Zs"]), max_size=30),
       language=st.sampled_from(["fi", "sv", "en"]))
@example(symbol="😀", count=1358, before="00" + "\xa0" * 9, language="fi")  # just over 16 kB with the language
def test_long_runs_of_symbols_are_refused_before_rasa(gw, symbol, count, before, language):
    """A run of more than MAX_SYMBOL_RUN punctuation/symbol characters costs Rasa's spaCy
    tokenizer seconds (tests/test_fuzz_nlu.py): refused with a readable 400."""
    client, fake = gw
    message = (before + symbol * count)[:2000]
    before_calls = len(fake.calls)
    body = {"message": message, "language": language}
    response, started = post_json(client, "/api/chat", body)
    data = checked(response, started)
    if response.status_code == 413:  # the body limit (16 kB) comes first: \uXXXX escapes are long
        # the whole body as post_json sends it (the language field too: a message of 16,367
        # bytes escaped had failed the check although its body was over the limit)
        assert data["error"] == "body_too_large" and len(json.dumps(body, ensure_ascii=True)) > 16 * 1024
    elif longest_symbol_run(message) > MAX_SYMBOL_RUN:
        assert response.status_code == 400 and data["error"] == "symbol_run" and data["field"] == "message"
        assert len(fake.calls) == before_calls
    elif message.strip():
        assert response.status_code == 200


def test_symbol_runs_are_counted_through_emoji_modifiers():
    assert longest_symbol_run("hei!!! 😀😀 ok") == 3
    assert longest_symbol_run("a" * 50 + "?" * 100 + "b") == 100
    assert longest_symbol_run("👩🏽‍⚕️") == 3  # woman, skin tone, staff of aesculapius (joiner, selector neutral)
    assert longest_symbol_run("a\u0301" * 500) == 0  # combining accents on letters
    assert longest_symbol_run("?? ??") == 2


# --------------------------------------------------------------------------- the other routes


ROUTE_FIELDS = ["municipality", "age", "unemployed", "health_affects_work_ability", "disability", "referral", "plan",
                "client_of", "skipped", "language"]
PROFILE_VALUES = st.one_of(JSON_VALUES, MESSAGES, st.integers(-10 ** 30, 10 ** 30),
                           st.sampled_from(["kyllä", "ei", "yes", "nej", "Helsingissä", "Helsingfors", "45", "45v",
                                            "social_welfare", "typ", "age,municipality", "", "null", "NaN"]))


@settings(max_examples=200, deadline=None, suppress_health_check=HEALTH)
@given(profile=st.one_of(st.dictionaries(st.one_of(st.sampled_from(ROUTE_FIELDS), st.text(max_size=15)), PROFILE_VALUES,
                                         max_size=8), JSON_VALUES),
       language=LANGUAGES, today=st.one_of(st.none(), st.dates().map(str), st.text(max_size=20), JSON_VALUES),
       accept=ACCEPT_LANGUAGE)
@example(profile={"skipped": ["age"] * 200}, language="fi", today=None, accept=None)
@example(profile={"municipality": "Helsinki" * 30}, language="en", today=None, accept=None)
@example(profile={"age": 1e308}, language=None, today="9999-12-31", accept=None)
@example(profile={"age": float("nan")}, language=None, today="0001-01-01", accept=None)
@example(profile={"age": True, "unemployed": 1, "skipped": "age,,,"}, language=None, today=None, accept=None)
@example(profile={"municipality": ["Helsinki"], "skipped": [None, "age"]}, language=None, today=None, accept=None)
def test_route_api_answers_anything_with_2xx_or_4xx(gw, profile, language, today, accept):
    client, _ = gw
    body: dict = {"profile": profile}
    if language is not None:
        body["language"] = language
    if today is not None:
        body["today"] = today
    response, started = post_json(client, "/api/route", body, accept_header(accept))
    data = checked(response, started)
    if response.status_code == 200:
        assert "routes" in data and data["language"] in ("fi", "sv", "en")


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(service_id=st.one_of(st.text(ANY_CHAR.filter(lambda c: not 0xD800 <= ord(c) <= 0xDFFF), max_size=80)
                            .map(lambda s: quote(s, safe="")),
                            st.sampled_from(["duuri", "DUURI", "duuri ", "..", "%2e%2e", "a" * 65, "__init__",
                                             "constructor", "%00", "duuri%0a"])),
       language=st.one_of(st.none(), st.text(max_size=60), st.sampled_from(["fi", "sv", "en", "xx", "fi" * 100])),
       accept=ACCEPT_LANGUAGE)
def test_service_api_answers_anything_with_2xx_or_4xx(gw, service_id, language, accept):
    client, _ = gw
    started = now()
    response = client.get(f"/api/services/{service_id}",
                          params={"language": language} if language is not None else None,
                          headers=accept_header(accept))
    checked(response, started)


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(path=st.one_of(st.sampled_from(["/", "/healthz", "/livez", "/api/widget-config", "/static/widget.js",
                                       "/static/../app.py", "/static/%2e%2e/app.py", "/docs", "/openapi.json",
                                       "/api/chat", "/api/route", "/webhooks/rest/webhook", "/webhooks/x/webhook",
                                       "/static/", "//", "/%00", "/api/services/", "/api/services/duuri/x"]),
                      # "//host:port..." would be read by the test client as another host's
                      # address (httpx.InvalidURL before any request): generated paths start
                      # with one slash; "//" itself is sampled above
                      st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="#?"),
                              max_size=60).map(lambda s: "/" + s.lstrip("/"))),
       method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]),
       query=st.one_of(st.none(), st.dictionaries(st.sampled_from(["lang", "language", "token", "x"]),
                                                  st.text(max_size=60), max_size=3)),
       accept=ACCEPT_LANGUAGE)
def test_any_path_method_and_query_is_never_a_server_error(gw, path, method, query, accept):
    client, _ = gw
    started = now()
    response = client.request(method, path, params=query, headers=accept_header(accept))
    checked(response, started)


@settings(max_examples=60, deadline=None, suppress_health_check=HEALTH)
@given(channel=st.one_of(st.sampled_from(["telegram", "slack", "botframework", "rest", "socketio", "callback"]),
                         st.text(st.characters(min_codepoint=0x30, max_codepoint=0x7A), min_size=1, max_size=20)),
       raw=st.binary(max_size=2000), method=st.sampled_from(["GET", "POST"]))
def test_channel_webhooks_never_a_server_error(webhook_gw, channel, raw, method):
    client, fake = webhook_gw
    before = len(fake.webhooks)
    started = now()
    response = client.request(method, f"/webhooks/{channel}/webhook", content=raw if method == "POST" else None)
    checked(response, started)
    if channel not in ("telegram", "slack", "botframework"):
        assert response.status_code == 404 and len(fake.webhooks) == before


# --------------------------------------------------------------------------- flood


def test_flood_from_one_address_does_not_starve_others_or_the_process():
    """The default limits (60/min, burst 30, 4 in flight per address): 500 requests from
    one address in a loop (each a new conversation) get 429s after the burst, cheaply; another address and a new
    conversation are served throughout; the limiter's memory stays bounded. The limiters'
    clock stands still, so no token is refilled however long the loop takes on a busy
    machine (the refill itself: tests/test_gateway_rate_limit.py).
    (Per-session limits, Retry-After and the concurrency cap: tests/test_gateway_unit.py.)"""
    fake = FuzzRasa()
    app = create_app(config=make_config(address_limit=RateLimit(60, 30), session_limit=RateLimit(20, 10)))
    app.state.rasa = fake
    freeze_rate_limits(app)
    flooder = TestClient(app, client=("198.51.100.66", 1))
    neighbours = [TestClient(app, client=(f"203.0.113.{i}", 1)) for i in range(1, 6)]
    statuses: list[int] = []
    served_neighbours = 0
    started = now()
    for i in range(500):
        flooder.cookies.clear()  # a new conversation each time: only the address limit holds it
        statuses.append(flooder.post("/api/chat", json={"message": f"spam {i}"}).status_code)
        if i % 100 == 50:
            for neighbour in neighbours:
                assert neighbour.post("/api/chat", json={"message": "hei"}).status_code == 200
                served_neighbours += 1
    elapsed = now() - started
    assert statuses == [200] * 30 + [429] * 470
    assert served_neighbours == 25
    assert elapsed < 60, f"{elapsed:.1f} s of CPU time for 525 requests"
    gateway = app.state.gateway
    assert len(gateway.address_limiter) <= 6
    # the flood also spawned 500 new conversations: each is rate-limited on its own
    # and the table is bounded (MAX_KEYS)
    assert len(gateway.session_limiter) <= 500


# --------------------------------------------------------------------------- schemathesis

try:
    import schemathesis
    from schemathesis.checks import not_a_server_error
except ImportError:  # an optional test dependency (bot/privacy/SECURITY.md names the pin)
    schemathesis = None

if schemathesis is not None:
    _SCHEMA_CLIENT, _SCHEMA_FAKE = fuzz_client()
    schema = schemathesis.openapi.from_asgi("/openapi.json", _SCHEMA_CLIENT.app)

    @schema.parametrize()
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def test_openapi_operations_never_answer_a_server_error(case):
        """Every operation in /openapi.json, with schemathesis' generated valid and invalid
        requests: never a 5xx, and bounded time."""
        started = now()
        response = case.call_and_validate(checks=[not_a_server_error])
        assert now() - started < MAX_SECONDS
        assert response.status_code < 500
else:
    @pytest.mark.skip(reason="schemathesis is not installed (pip install schemathesis==4.30.1)")
    def test_openapi_operations_never_answer_a_server_error():
        pass


# --------------------------------------------------------------------------- the real stack

NASTY_MESSAGES = [
    "/restart", "/session_start", "/action_listen", "/action_restart", "/action_session_start", '/inform{"age": 999}',
    '/inform{"municipality": "<script>alert(1)</script>"}', '/set_language{"language":"xx"}', "/inform{", "/", "/nope",
    "/EXTERNAL_x", '/greet{"language": [1,2]}', '/inform{"age": "x"}', '/inform{"client_of": 5}',
    '/inform{"skipped": "all"}', "/inform[]", '/inform{"age": 45} extra', "/emergency", "/skip",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE events; --", '" OR 1=1 --',
    "{{7*7}} ${jndi:ldap://127.0.0.1/a} %s%n", "a" * 2000, ("?" * 100 + " ") * 19, "😀" * 100 + " 👩🏽‍⚕️🇫🇮",
    "\u202Eolleh\u202C שלום مرحبا \u2067abc\u2069", "hetu 010190-123M puh 040 123 4567 FI21 1234 5600 0007 85",
    "Z̸̛͍̞͙̭̊a̶̢̧͈͍̓l̵̢̛g̷o̴ ﷺ 𒐫 \ufeff", ("olen 45v työtön ja asun Helsingissä " * 60)[:2000],
]
NASTY_BODIES = [  # refused by the gateway before Rasa
    (b'{"message": "hei\\u0000"}', 400), (b'{"message": "\\ud800"}', 400), (b"{not json", 400),
    (b'{"message": 5}', 422), (b'{"message": "x", "sender": "abc"}', 422), (b"[]", 422),
    (json.dumps({"message": "a" * 2001}).encode(), 413), (json.dumps({"message": "x" * 20_000}).encode(), 413),
    (json.dumps({"message": "€" * 101}).encode(), 400),
    (json.dumps({"message": "hei", "metadata": {f"k{i}": "v" for i in range(50)}}).encode(), 413),
]


@pytest.mark.slow
def test_nasty_inputs_through_the_real_stack(stack):
    """Gateway -> Rasa -> action server: every answer is 2xx/4xx, quick enough, no process
    dies, and the conversations still work afterwards."""
    import urllib.error
    import urllib.request

    base = f"http://127.0.0.1:{stack.settings.gateway_port}"

    def post(body: bytes) -> tuple[int, dict, float]:
        # The shared stack has no rate limits (tests/conftest.py); any 429 here is a failure.
        request = urllib.request.Request(f"{base}/api/chat", data=body, headers=JSON)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, data = response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            status, data = exc.code, json.loads(exc.read())
        return status, data, time.monotonic() - started

    # "Quick enough" is the gateway's own bound (GATEWAY_RASA_TIMEOUT): a slower turn is a
    # 503, which fails the status check; the slowest turn is printed, not asserted.
    slowest = 0.0
    sessions = []
    for group in range(0, len(NASTY_MESSAGES), 8):  # a few conversations, 8 messages each
        session = None
        for message in NASTY_MESSAGES[group:group + 8]:
            body = {"message": message, "language": "fi", **({"session": session} if session else {})}
            status, data, seconds = post(json.dumps(body).encode())
            slowest = max(slowest, seconds)
            assert status < 500 and status in (200, 400, 413, 422), (message[:60], status, data)
            if status == 200:
                assert data["messages"], message[:60]
                session = data["session"] or session
        sessions.append(session)
    for body, expected in NASTY_BODIES:
        status, data, _ = post(body)
        assert status == expected, (body[:60], status, data)
    print(f"slowest nasty message: {slowest:.2f} s")

    assert not stack.dead_services()
    for session in sessions:
        status, data, _ = post(json.dumps({"message": "mitä on kuntouttava työtoiminta", "session": session}).encode())
        assert status == 200 and data["session"] == session
        assert topic_said("rehabilitative_work_activity", "fi") in " ".join(m["text"] or "" for m in data["messages"])
    with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
        assert json.loads(response.read())["status"] == "ok"
