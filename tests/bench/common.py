"""Shared helpers of the benchmark suite (not a pytest module).

- ``BenchStack``: the real three-process stack (bot.stack.Stack) on free loopback ports in a
  temporary folder, started the way ``make run`` starts it, that also records per process
  the seconds from process start to its first answered request/message (cold start).
- the conversation scripts (a full guidance interview per language, ending in the route
  answer, then a side question and thanks), and the three ways of sending one turn: the
  public gateway (``POST /api/chat``), Rasa's REST channel (the baseline) and Rasa's
  ``/model/parse`` (the NLU floor);
- percentiles, memory of a process tree (/proc VmRSS/VmHWM), small JSON helpers.
"""
from __future__ import annotations

import json
import os
import platform
import secrets
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.stack import (  # noqa: E402
    Service,
    Stack,
    StartupError,
    free_port,  # noqa: E402,F401 - the bench scripts take it from here
    loopback_settings,
)

RESULTS = Path(__file__).resolve().parent / "results"

# The gateway's per-address and per-session rate limits are meant for residents typing;
# the load generator sends every message from 127.0.0.1 as fast as answers come back, so
# they are switched off for the benchmark (their own cost is a dict lookup per request).
GATEWAY_BENCH_ENV = {
    "GATEWAY_RATE_ADDRESS_PER_MINUTE": "0",
    "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
    "GATEWAY_MAX_CONCURRENT_PER_ADDRESS": "100000",
    "GATEWAY_RASA_TIMEOUT": "60",
}


# ---------------------------------------------------------------------------------------
# Conversations
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Script:
    language: str
    turns: tuple[str, ...]
    # index of the turn whose answer carries the route advice (custom.routes)
    route_turn: int
    # index of the turn that gives the municipality (validated by the action server)
    municipality_turn: int


# A whole guidance interview per language (each question answered the way people type),
# the route advice, then a side question answered from the knowledge base, then thanks.
# Checked by ``check_script``: the answer to ``route_turn`` must carry custom.routes.
SCRIPTS: tuple[Script, ...] = (
    Script("fi", (
        "moi, mihin mä voisin hakeutua kuntouttavaan työtoimintaan?",
        "asun Helsingissä",
        "45",
        "joo",
        "kyllä",
        "ei",
        "mulla on lähete sosiaalityöntekijältä",
        "ei oo",
        "kauanko kuntouttava työtoiminta kestää?",
        "kiitos",
    ), route_turn=7, municipality_turn=1),
    Script("sv", (
        "hej, vilken tjänst passar mig?",
        "jag bor i Helsingfors",
        "jag är 28",
        "ja",
        "ja, hälsan påverkar min arbetsförmåga",
        "nej",
        "nej, ingen remiss",
        "nej",
        "nej, jag är inte klient någonstans",
        "vad kostar det?",
        "tack",
    ), route_turn=8, municipality_turn=1),
    Script("en", (
        "hi, which service would suit me?",
        "I live in Kempele",
        "I'm 34",
        "yes",
        "no, I don't have a plan",
        "how long does it last?",
        "thanks",
    ), route_turn=4, municipality_turn=1),
)


def routes_of(messages: list[dict]) -> list[str]:
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("routes"), list):
            return custom["routes"]
    return []


# ---------------------------------------------------------------------------------------
# Targets: one turn over HTTP (async, httpx)
# ---------------------------------------------------------------------------------------

def async_client(connections: int = 100, timeout: float = 60.0):
    """An httpx client that keeps no cookies: the gateway also sets the session as a
    cookie, and one shared cookie jar would merge every simulated resident into one
    conversation. Each conversation sends its session token in the body instead."""
    import httpx

    class NoCookies(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))

        async def handle_async_request(self, request):
            response = await self.inner.handle_async_request(request)
            if "set-cookie" in response.headers:
                del response.headers["set-cookie"]
            return response

        async def aclose(self) -> None:
            await self.inner.aclose()

    return httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=10.0, pool=timeout), transport=NoCookies())


class Target:
    """Sends the turns of one conversation. ``new_conversation`` returns per-conversation
    state; ``turn`` returns (ok, messages, error kind)."""

    name = "target"

    def new_conversation(self, language: str) -> dict:
        return {"language": language}

    async def turn(self, client, state: dict, text: str) -> tuple[bool, list[dict], str]:
        raise NotImplementedError


class GatewayTarget(Target):
    name = "gateway"

    def __init__(self, base_url: str) -> None:
        self.url = base_url.rstrip("/") + "/api/chat"

    async def turn(self, client, state, text):
        body = {"message": text, "language": state["language"]}
        if state.get("session"):
            body["session"] = state["session"]
        response = await client.post(self.url, json=body)
        if response.status_code != 200:
            return False, [], f"http_{response.status_code}"
        data = response.json()
        state["session"] = data.get("session")
        messages = data.get("messages") or []
        return bool(messages), messages, "" if messages else "empty"


class RestTarget(Target):
    """Rasa's REST channel directly, with the same channel metadata the gateway sends."""

    name = "rasa_rest"

    def __init__(self, rasa_url: str) -> None:
        self.url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"

    def new_conversation(self, language):
        return {"language": language, "sender": uuid.uuid4().hex}

    async def turn(self, client, state, text):
        body = {"sender": state["sender"], "message": text, "metadata": {"language": state["language"]}}
        response = await client.post(self.url, json=body)
        if response.status_code != 200:
            return False, [], f"http_{response.status_code}"
        messages = [m for m in response.json() if isinstance(m, dict)]
        return bool(messages), messages, "" if messages else "empty"


class RestAndTrackerTarget(RestTarget):
    """What the gateway asks Rasa for per turn: the REST turn, then the conversation's
    ``language`` slot from ``GET /conversations/<id>/tracker``. Separates the gateway's own
    overhead from the cost of that second request."""

    name = "rasa_rest+tracker"

    def __init__(self, rasa_url: str, token: str) -> None:
        super().__init__(rasa_url)
        self.base = rasa_url.rstrip("/")
        self.token = token

    async def turn(self, client, state, text):
        ok, messages, error = await super().turn(client, state, text)
        if ok:
            response = await client.get(f"{self.base}/conversations/{state['sender']}/tracker",
                                        params={"token": self.token, "include_events": "NONE"})
            if response.status_code != 200:
                return False, messages, f"tracker_http_{response.status_code}"
        return ok, messages, error


class ParseTarget(Target):
    """Rasa's NLU alone (``/model/parse``): the floor under any turn."""

    name = "model_parse"

    def __init__(self, rasa_url: str, token: str) -> None:
        self.url = rasa_url.rstrip("/") + "/model/parse"
        self.token = token

    async def turn(self, client, state, text):
        response = await client.post(self.url, params={"token": self.token}, json={"text": text})
        if response.status_code != 200:
            return False, [], f"http_{response.status_code}"
        return True, [], ""


# ---------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------

def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def summarise(values_ms: list[float]) -> dict:
    values = sorted(values_ms)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "mean_ms": round(sum(values) / len(values), 1),
        "p50_ms": round(percentile(values, 0.50), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "p99_ms": round(percentile(values, 0.99), 1),
        "max_ms": round(values[-1], 1),
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# ---------------------------------------------------------------------------------------
# Processes and memory
# ---------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                out += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int) -> dict:
    """Current RSS and peak RSS (VmHWM) of a process and its children, in MB."""
    pids = process_tree(pid)
    return {
        "rss_mb": round(sum(_status_kb(p, "VmRSS") for p in pids) / 1024, 1),
        "peak_rss_mb": round(sum(_status_kb(p, "VmHWM") for p in pids) / 1024, 1),
        "processes": len(pids),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return round(total, 2)


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------------------------------
# HTTP (blocking, for start-up probes)
# ---------------------------------------------------------------------------------------

def post_json(url: str, body: dict, timeout: float = 60.0) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, OSError, ValueError):
        return 0, None


# ---------------------------------------------------------------------------------------
# The stack
# ---------------------------------------------------------------------------------------

def bench_settings(tmp: Path, **overrides: Any) -> Settings:
    return replace(loopback_settings(tmp, "bench"), **overrides)


class BenchStack(Stack):
    """bot.stack.Stack that polls health every 50 ms and records cold starts:
    ``cold_start[name] = {"healthy_s", "first_answer_s"}``, seconds from Popen."""

    HEALTH_POLL = 0.05

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        extra = {**GATEWAY_BENCH_ENV, "GATEWAY_SESSION_SECRET": secrets.token_urlsafe(24)}
        extra.update(kwargs.pop("extra_env", None) or {})
        super().__init__(*args, extra_env=extra, **kwargs)
        self.cold_start: dict[str, dict] = {}

    def first_answer(self, service: Service) -> Callable[[], bool]:
        s = self.settings
        if service.name.startswith("rasa"):
            url = service.health_url.split("/status")[0] + "/webhooks/rest/webhook"
            return lambda: post_json(url, {"sender": "cold-" + uuid.uuid4().hex, "message": "/greet",
                                           "metadata": {"language": "fi"}})[0] == 200
        if service.name == "gateway":
            url = f"http://127.0.0.1:{s.gateway_port}/api/chat"

            def chat() -> bool:
                status, data = post_json(url, {"message": "/greet", "language": "fi"})
                return status == 200 and bool(data and data.get("messages"))
            return chat
        # the action server answers no message of its own: its first answered request
        return lambda: True

    def start_service(self, service: Service, env: dict | None = None, timeout: float = 300.0) -> None:
        t0 = time.monotonic()
        super().start_service(service, env, timeout)
        healthy = time.monotonic() - t0
        probe = self.first_answer(service)
        deadline = time.monotonic() + 120
        while not probe():
            if time.monotonic() > deadline:
                raise StartupError(f"{service.name}: no first answer within 120 s after health")
            time.sleep(self.HEALTH_POLL)
        self.cold_start[service.name] = {
            "healthy_s": round(healthy, 2),
            "first_answer_s": round(time.monotonic() - t0, 2),
        }

    def memory(self) -> dict:
        out = {}
        for service in self.services:
            if service.process is not None and service.process.poll() is None:
                out[service.name] = memory_mb(service.process.pid)
        out["total_rss_mb"] = round(sum(v["rss_mb"] for v in out.values()), 1)
        out["total_peak_rss_mb"] = round(sum(v["peak_rss_mb"] for k, v in out.items() if isinstance(v, dict)), 1)
        return out

    def cpu(self) -> dict:
        return {s.name: cpu_seconds(s.process.pid) for s in self.services
                if s.process is not None and s.process.poll() is None}


def machine_info() -> dict:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": loadavg(),
        "platform": platform.platform(),
    }


def write_json(name: str, data: dict, folder: Path = RESULTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
