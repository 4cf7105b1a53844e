"""Soak test (issue 7): 20 concurrent conversations through the gateway for N seconds, with
Rasa killed (SIGKILL) and started again in the middle. Not part of the test suite.

    .venv/bin/python tests/bench/soak.py                 # 300 s, 20 conversations
    .venv/bin/python tests/bench/soak.py --seconds 60 --name soak-60s

It starts its own stack (bot.stack.Stack: action server, Rasa with a fresh SQLite tracker
store, gateway) on free loopback ports in a temporary folder, with the newest trained
model (models/ or .data/test/models; --model PATH, or --train to train one first). Traffic
goes to 127.0.0.1 only; the run is bounded by --seconds (plus the restart and a drain of at
most --timeout seconds) and stops by itself.

Each simulated resident runs guidance interviews (fi/sv/en scripts, a new conversation per
interview) with a think time between messages. A reply is

* answered: HTTP 200 with at least one bot message;
* retry: a clear message to try again - 503 with human contacts (Rasa restarting) or 429
  with Retry-After; the resident sends the same message again after a short wait;
* lost: anything else - no HTTP answer (timeout, connection error), another status, a 200
  without messages, a body that is not the gateway's JSON. Target: 0.

Afterwards every conversation is read back through Rasa's tracker API (token-protected)
and each message that got a 200 must be among its stored user messages, in order (the
tracker store redacts personal data; the scripts contain none). Results: messages sent,
answered, retried, lost, errors by kind, latency percentiles (answered and retry replies),
the restart's timing, process memory over time; written to
tests/bench/results/<name>.json and <name>.md.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.stack import BASE_ENV, Stack, latest_model, loopback_settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import async_client  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

# All residents come from 127.0.0.1 here; in production they have their own addresses.
# The per-address and per-session limits are tested elsewhere (tests/test_gateway_*.py,
# tests/test_fuzz_gateway.py), so they are off for the soak.
GATEWAY_ENV = {
    "GATEWAY_RATE_ADDRESS_PER_MINUTE": "0",
    "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
    "GATEWAY_MAX_CONCURRENT_PER_ADDRESS": "1000",
    "GATEWAY_SESSION_SECRET": "soak-" + secrets.token_urlsafe(24),
}

# Guidance interviews as residents type them (the last turns are a side question and
# thanks). Answers to questions that are not asked are harmless: the bot says it did not
# understand, or takes them as a correction.
SCRIPTS = {
    "fi": ["moi, mihin mä voisin hakeutua kuntouttavaan työtoimintaan?", "asun Helsingissä", "45", "joo", "kyllä",
           "ei", "mulla on lähete sosiaalityöntekijältä", "ei oo", '/inform{"client_of":"social_services"}',
           "kauanko kuntouttava työtoiminta kestää?", "kiitos"],
    "sv": ["hej, jag är 30 år och bor i Kempele och är arbetslös", "nej", "ja", "nej", "jag har ingen remiss", "nej",
           "vad kostar det?", "tack"],
    "en": ["which service is right for me?", "I live in Espoo", "I'm 52", "yes", "no", "I'd rather not say",
           "I have a referral from a social worker", "no", "how long does it last?", "thanks"],
}
LANGUAGES = list(SCRIPTS)


def find_model(explicit: str | None, train_dir: Path | None) -> Path:
    if explicit:
        return Path(explicit)
    if train_dir is not None:
        env = dict(os.environ, **BASE_ENV)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        subprocess.run([sys.executable, "-m", "rasa", "train", "--config", "config/config.yml", "--domain",
                        "config/domain", "--data", "data", "--out", str(train_dir)], cwd=ROOT, env=env, check=True)
        model = latest_model(train_dir)
    else:
        candidates = [m for d in (ROOT / "models", ROOT / ".data" / "test" / "models") if (m := latest_model(d))]
        model = max(candidates, key=lambda p: p.stat().st_mtime) if candidates else None
    if model is None:
        sys.exit("no trained model: run `make train` or pass --train / --model")
    return model


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 3)

    return {"count": len(ordered), "p50": pick(0.5), "p90": pick(0.9), "p95": pick(0.95), "p99": pick(0.99),
            "max": round(ordered[-1], 3), "mean": round(sum(ordered) / len(ordered), 3)}


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (/proc)."""
    total, stack_ = 0, [pid]
    while stack_:
        current = stack_.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            stack_.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Record:
    conversation: str  # Rasa sender id ("" until the first answer)
    text: str
    outcome: str  # answered | retry | lost
    kind: str  # 200, 503_unavailable, 429, timeout, ...
    seconds: float
    at: float  # seconds since the start
    turn: int = 0  # the resident message this attempt belongs to


@dataclass
class Soak:
    base: str
    seconds: float
    think: tuple[float, float]
    timeout: float
    started: float = field(default_factory=time.monotonic)
    records: list[Record] = field(default_factory=list)
    answered_texts: dict = field(default_factory=lambda: defaultdict(list))  # sender -> texts with 200
    conversations: set = field(default_factory=set)
    stop_at: float = 0.0
    turns: int = 0

    def now(self) -> float:
        return time.monotonic() - self.started

    async def send(self, client: httpx.AsyncClient, session: str | None, text: str, language: str):
        body = {"message": text, "language": language}
        if session:
            body["session"] = session
        sent = time.monotonic()
        at = self.now()
        try:
            response = await client.post(f"{self.base}/api/chat", json=body, timeout=self.timeout)
        except httpx.TimeoutException:
            return Record("", text, "lost", "timeout", time.monotonic() - sent, at), None
        except httpx.HTTPError as exc:
            return Record("", text, "lost", f"http_error:{type(exc).__name__}", time.monotonic() - sent, at), None
        seconds = time.monotonic() - sent
        try:
            data = response.json()
        except ValueError:
            return Record("", text, "lost", f"{response.status_code}_not_json", seconds, at), None
        token = data.get("session") if isinstance(data, dict) else None
        sender = token.split(".", 1)[0] if isinstance(token, str) else ""
        status = response.status_code
        if status == 200 and data.get("messages"):
            return Record(sender, text, "answered", "200", seconds, at), token
        if status == 200:
            return Record(sender, text, "lost", "200_without_messages", seconds, at), token
        if status == 503 and data.get("error") == "unavailable" and data.get("contacts") and data.get("detail"):
            return Record(sender, text, "retry", "503_unavailable_with_contacts", seconds, at), token or session
        if status == 429 and response.headers.get("retry-after"):
            return Record(sender, text, "retry", f"429_{data.get('error')}", seconds, at), session
        return Record(sender, text, "lost", f"{status}_{data.get('error')}", seconds, at), token or session

    async def resident(self, number: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(number)
        language = LANGUAGES[number % len(LANGUAGES)]
        await asyncio.sleep(rng.uniform(0, 2))  # residents do not all start at once
        while time.monotonic() < self.stop_at:
            session: str | None = None
            for text in SCRIPTS[language]:
                attempts = 0
                self.turns += 1
                turn = self.turns
                while time.monotonic() < self.stop_at:
                    record, token = await self.send(client, session, text, language)
                    record.turn = turn
                    self.records.append(record)
                    session = token or session
                    if record.conversation:
                        self.conversations.add(record.conversation)
                    if record.outcome == "answered":
                        self.answered_texts[record.conversation].append(unicodedata.normalize("NFC", text).strip())
                        break
                    attempts += 1
                    # like a resident who reads "try again in a moment" and sends again
                    await asyncio.sleep(min(2.0 * attempts, 6.0))
                else:
                    return
                await asyncio.sleep(rng.uniform(*self.think))
            language = LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)]


async def run_traffic(soak: Soak, residents: int) -> None:
    # No cookie jar: the gateway also sets the session as a cookie, and a shared jar would
    # put every new interview into whichever conversation set the cookie last.
    async with async_client(connections=residents + 5, timeout=soak.timeout) as client:
        await asyncio.gather(*(soak.resident(i, client) for i in range(residents)))


def restart_rasa(stack: Stack, events: dict, soak: Soak) -> None:
    rasa = stack.service("rasa")
    events["kill_at"] = round(soak.now(), 2)
    stack.stop_service(rasa, sig=signal.SIGKILL)
    events["exit_code"] = rasa.process.returncode
    started = time.monotonic()
    stack.start_service(rasa)
    events["restart_seconds"] = round(time.monotonic() - started, 2)
    events["healthy_at"] = round(soak.now(), 2)


def user_texts_in_tracker(stack: Stack, sender: str) -> list[str]:
    response = httpx.get(f"{stack.settings.rasa_url}/conversations/{sender}/tracker",
                         params={"token": stack.settings.rasa_token, "include_events": "ALL"}, timeout=30)
    response.raise_for_status()
    return [e.get("text") or "" for e in response.json().get("events", []) if e.get("event") == "user"]


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


def verify_tracker(stack: Stack, soak: Soak) -> dict:
    missing = {}
    foreign = 0
    checked = 0
    for sender, texts in soak.answered_texts.items():
        stored = user_texts_in_tracker(stack, sender)
        checked += len(texts)
        # another resident's message in this conversation would be a leak between sessions
        foreign += sum(1 for t in stored if t not in set(texts))
        if not is_subsequence(texts, stored):
            absent = [t for t in texts if t not in stored]
            missing[sender] = {"answered": len(texts), "stored": len(stored), "absent": absent[:5]}
    return {"conversations": len(soak.answered_texts), "messages_checked": checked,
            "conversations_with_missing_messages": len(missing), "missing": missing,
            "messages_from_other_conversations": foreign}


def write_results(name: str, result: dict) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
    json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    t, r, lat = result["totals"], result["restart"], result["latency_seconds"]
    lines = [
        f"# Soak test: {result['config']['residents']} conversations for {result['config']['seconds']} s, "
        f"Rasa killed once",
        "",
        f"Run {result['finished_utc']} on {result['machine']}; model `{result['config']['model']}`; "
        f"`tests/bench/soak.py {' '.join(result['config']['argv'])}`.",
        "",
        "| | count |",
        "| --- | ---: |",
        f"| messages sent (each attempt) | {t['sent']} |",
        f"| answered (200 with bot messages) | {t['answered']} |",
        f"| retry asked (503 with human contacts, 429) | {t['retry']} |",
        f"| **lost** (no answer and no retry message) | **{t['lost']}** |",
        f"| resident messages (turns, retries not counted) | {t['turns']} |",
        f"| turns answered (possibly after retries) | {t['turns_answered']} |",
        f"| turns still waiting for a retry when the run stopped | {t['turns_unanswered_at_stop']} |",
        f"| conversations | {t['conversations']} |",
        f"| answered messages missing from the tracker store | {result['tracker_check']['messages_missing']} "
        f"(of {result['tracker_check']['messages_checked']}) |",
        f"| stored messages that belong to another conversation | "
        f"{result['tracker_check']['messages_from_other_conversations']} |",
        "",
        "Replies by kind: " + ", ".join(f"{k}: {v}" for k, v in sorted(result["replies_by_kind"].items())) + ".",
        "",
        "| latency (s) | count | p50 | p90 | p95 | p99 | max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, key in (("answered, whole run", "answered"), ("answered, before the kill", "answered_before_kill"),
                       ("answered, after Rasa was back", "answered_after_restart"),
                       ("503 while Rasa was down", "retry")):
        p = lat[key]
        if p.get("count"):
            lines.append(f"| {label} | {p['count']} | {p['p50']} | {p['p90']} | {p['p95']} | {p['p99']} | {p['max']} |")
    lines += [
        "",
        f"Rasa restart: SIGKILL at {r.get('kill_at')} s (exit code {r.get('exit_code')}), healthy again after "
        f"{r.get('restart_seconds')} s (at {r.get('healthy_at')} s); the first 200 after the kill came at "
        f"{r.get('first_answer_after_kill_at')} s. {r.get('conversations_answered_before_and_after')} conversations "
        "got answers both before the kill and after the restart (same session token).",
        "",
        "Memory (RSS MiB, start → end): " + ", ".join(
            f"{name} {v['start']} → {v['end']}" for name, v in result["memory_mib"].items()) + ".",
        "",
    ]
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return json_path, md_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300.0, help="traffic duration (default 300)")
    parser.add_argument("--residents", type=int, default=20, help="concurrent conversations (default 20)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds between a reply and the next message (default 1 3)")
    parser.add_argument("--restart-at", type=float, default=None, help="seconds into the run (default: half)")
    parser.add_argument("--timeout", type=float, default=60.0, help="client timeout per request (default 60)")
    parser.add_argument("--model", help="model archive (default: the newest in models/ or .data/test/models)")
    parser.add_argument("--train", action="store_true", help="train a model into the temporary folder first")
    parser.add_argument("--name", default="soak", help="results file name (default soak)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, tracker.db)")
    args = parser.parse_args()
    if args.seconds <= 0 or args.seconds > 3600 or not 1 <= args.residents <= 200:
        parser.error("--seconds must be in (0, 3600] and --residents in [1, 200]")

    tmp = Path(tempfile.mkdtemp(prefix="kuntoutusopas-soak-"))
    model = find_model(args.model, tmp / "models" if args.train else None)
    stack = Stack(loopback_settings(tmp, "soak"), model, tmp / "logs", extra_env=GATEWAY_ENV)
    print(f"starting the stack ({model.name}) in {tmp} ...", flush=True)
    started = time.monotonic()
    with stack:
        startup = round(time.monotonic() - started, 1)
        base = f"http://127.0.0.1:{stack.settings.gateway_port}"
        soak = Soak(base=base, seconds=args.seconds, think=tuple(args.think), timeout=args.timeout)
        soak.stop_at = soak.started + args.seconds
        restart_at = args.restart_at if args.restart_at is not None else args.seconds / 2
        restart: dict = {}
        memory: dict = defaultdict(list)

        async def orchestrate() -> None:
            loop = asyncio.get_running_loop()
            traffic = asyncio.ensure_future(run_traffic(soak, args.residents))

            async def sample_memory() -> None:
                while not traffic.done():
                    for service in stack.services:
                        if service.process is not None and service.process.poll() is None:
                            memory[service.name].append((round(soak.now(), 1), tree_rss_kib(service.process.pid)))
                    await asyncio.sleep(10)

            sampler = asyncio.ensure_future(sample_memory())
            await asyncio.sleep(restart_at)
            print(f"{soak.now():.0f} s: SIGKILL Rasa ({len(soak.records)} messages so far)", flush=True)
            await loop.run_in_executor(None, restart_rasa, stack, restart, soak)
            print(f"{soak.now():.0f} s: Rasa healthy again after {restart['restart_seconds']} s", flush=True)
            await traffic
            sampler.cancel()

        asyncio.run(orchestrate())
        elapsed = round(soak.now(), 1)
        print(f"traffic done after {elapsed} s; checking the tracker store ...", flush=True)
        tracker_check = verify_tracker(stack, soak)
        dead = [s.name for s in stack.dead_services()]

    records = soak.records
    kill_at = restart.get("kill_at", float("inf"))
    healthy_at = restart.get("healthy_at", float("inf"))
    answered = [r for r in records if r.outcome == "answered"]
    by_conversation_phase = defaultdict(set)
    for r in answered:
        by_conversation_phase[r.conversation].add("before" if r.at < kill_at
                                                  else "after" if r.at >= healthy_at else "during")
    # a turn is one resident message with all its attempts (retries after a 503)
    turns = {r.turn for r in records}
    turns_answered = {r.turn for r in answered}
    result = {
        "config": {"residents": args.residents, "seconds": args.seconds, "think_seconds": list(args.think),
                   "restart_at": restart_at, "client_timeout": args.timeout, "model": model.name,
                   "gateway_env": {k: v for k, v in GATEWAY_ENV.items() if "SECRET" not in k},
                   "argv": sys.argv[1:]},
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
                   f"Python {platform.python_version()}",
        "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "stack_startup_seconds": startup,
        "elapsed_seconds": elapsed,
        "totals": {
            "sent": len(records), "answered": len(answered),
            "retry": sum(r.outcome == "retry" for r in records),
            "lost": sum(r.outcome == "lost" for r in records),
            "turns": len(turns), "turns_answered": len(turns_answered),
            "turns_unanswered_at_stop": len(turns - turns_answered),
            "conversations": len(soak.conversations),
        },
        "replies_by_kind": dict(Counter(r.kind for r in records)),
        "lost_examples": [r.__dict__ for r in records if r.outcome == "lost"][:20],
        "latency_seconds": {
            "answered": percentiles([r.seconds for r in answered]),
            "answered_before_kill": percentiles([r.seconds for r in answered if r.at < kill_at]),
            "answered_after_restart": percentiles([r.seconds for r in answered if r.at >= healthy_at]),
            "retry": percentiles([r.seconds for r in records if r.outcome == "retry"]),
        },
        "restart": {
            **restart,
            "first_answer_after_kill_at": min((round(r.at + r.seconds, 2) for r in answered if r.at >= kill_at),
                                              default=None),
            "replies_between_kill_and_healthy": dict(Counter(r.kind for r in records if kill_at <= r.at < healthy_at)),
            "conversations_answered_before_and_after": sum(1 for p in by_conversation_phase.values()
                                                           if {"before", "after"} <= p),
        },
        "tracker_check": {**tracker_check,
                          "messages_missing": sum(len(v["absent"]) for v in tracker_check["missing"].values())},
        "dead_services_at_end": dead,
        "memory_mib": {name: {"start": round(samples[0][1] / 1024), "end": round(samples[-1][1] / 1024),
                              "max": round(max(s[1] for s in samples) / 1024), "samples": samples}
                       for name, samples in memory.items() if samples},
    }
    json_path, md_path = write_results(args.name, result)
    print(md_path.read_text(encoding="utf-8"))
    print(f"written: {json_path.relative_to(ROOT)}, {md_path.relative_to(ROOT)}")
    if not args.keep:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"kept: {tmp}")
    ok = (result["totals"]["lost"] == 0 and tracker_check["conversations_with_missing_messages"] == 0
          and tracker_check["messages_from_other_conversations"] == 0 and not dead)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
