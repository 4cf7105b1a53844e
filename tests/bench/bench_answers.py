"""What a resident reads, measured over whole conversations through the public gateway
(issue 12): words per reply, replies over 150 words, route answers whose first step carries a
phone number or a web address, sentence length, and any bot text naming an internal file.

A reply is everything the bot sends back for one message (the gateway's ``messages`` of one
``POST /api/chat``). The conversations: a guidance interview over a grid of profiles in
Finnish, Swedish and English (the bot's questions are recognised by their text in
``bot/knowledge/messages.yml`` and answered with the matching button), the details a
resident can ask for after the answer (why, other options, what next, sources), and every
question topic as the first message of a new conversation.

Standalone on purpose (only ``bot.stack`` from the code under test), so that the same script
measures an older checkout too:

    python tests/bench/bench_answers.py                       # this checkout, results/answers.json
    cd /path/to/old && .venv/bin/python /path/to/bench_answers.py --root . --label before
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

WORD_LIMIT = 150
FIRST_REPLY_TARGET = 90
# "09 310 11111", "040 569 2287", "+358 9 3104 2286", "+358 40 123 4567"
PHONE = re.compile(r"(?<![\d.])(?:\+358 ?|0)\d{1,3}(?:[ -]?\d{2,5}){1,3}(?![\d.])")
URL = re.compile(r"https?://\S+")
INTERNAL = re.compile(r"seeds/|knowledge-notes|tietomuistiinpan|faktaanteckning|knowledge notes|\.ya?ml\b|\.txt\b",
                      re.IGNORECASE)
SOURCES_LINE = re.compile(r"^\s*(Lähteet|Källor|Sources):")
SECOND_ROUTE = re.compile(r"^\s*2\. ", re.MULTILINE)
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n+")
LANGUAGES = ("fi", "sv", "en")

# The interview's answers per profile: slot -> button payload (the same for old and new code).
GRID = {
    "municipality": ("Helsinki", "Kempele", "Tampere"),
    "age": ("17", "45", "70"),
    "unemployed": ("/affirm", "/deny"),
    "health_affects_work_ability": ("/affirm", "/deny"),
    "disability": ("/deny", "/affirm"),
    "referral": ('/inform{"referral":"none"}', '/inform{"referral":"social_welfare"}'),
    "client_of": ('/inform{"client_of":"none"}', '/inform{"client_of":"employment_services"}',
                  '/inform{"client_of":"social_services"}'),
}
FIXED = {"disability_pension": "/affirm", "plan": '/inform{"plan":"none"}'}
DETAILS = ("/ask_why", "/ask_other_options", "/ask_next_steps", "/ask_sources")


def profiles() -> list[dict[str, str]]:
    keys = list(GRID)
    out = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        profile = dict(zip(keys, values))
        # keep the grid affordable: the interview-only branches once per municipality/age
        if profile["municipality"] != "Helsinki" and (profile["health_affects_work_ability"] == "/deny"
                                                       or profile["referral"] != '/inform{"referral":"none"}'):
            continue
        out.append({**profile, **FIXED})
    return out[::2]


def post(port: int, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/chat", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return json.loads(exc.read())


def reply_text(data: dict[str, Any]) -> str:
    return "\n".join(m["text"] for m in data.get("messages", []) if m.get("text"))


def is_route_answer(data: dict[str, Any]) -> bool:
    return any(isinstance(m.get("custom"), dict) and "routes" in m["custom"] for m in data.get("messages", []))


def questions(root: Path) -> dict[str, dict[str, str]]:
    """language -> question text -> slot, from the checkout's messages.yml."""
    data = yaml.safe_load((root / "bot" / "knowledge" / "messages.yml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for message in data["messages"]:
        if message["id"].startswith("question."):
            for lang in LANGUAGES:
                out[lang][message[lang].strip()] = message["id"].split(".", 1)[1]
    return out


def asked_slot(text: str, known: dict[str, str]) -> str | None:
    for question, slot in known.items():
        if question in text:
            return slot
    return None


def interview(port: int, language: str, profile: dict[str, str], known: dict[str, str]) -> list[dict[str, Any]]:
    """One conversation: start, answer every question, then ask for each detail. (The
    conversation starts with a button, so no privacy line precedes the answers' first message.)"""
    turns = []
    session = None

    def send(message: str) -> dict[str, Any]:
        nonlocal session
        body: dict[str, Any] = {"message": message, "language": language}
        if session:
            body["session"] = session
        data = post(port, body)
        session = data.get("session") or session
        text = reply_text(data)
        turns.append({"sent": message, "text": text, "route": is_route_answer(data),
                      # the first step: the answer up to its second route ("2. ..." in the old
                      # design, which listed every route; the new one names one first step)
                      "first_step": SECOND_ROUTE.split(text, maxsplit=1)[0],
                      "status": "error" if "error" in data else "ok"})
        return data

    data = send("/start_guidance")
    for _ in range(12):
        if is_route_answer(data):
            break
        slot = asked_slot(reply_text(data), known)
        if slot is None:
            break
        data = send(profile.get(slot, "/skip"))
    if is_route_answer(data):
        for detail in DETAILS:
            send(detail)
    return turns


def topics(port: int, language: str, root: Path) -> list[dict[str, Any]]:
    """Every question intent of the domain, as the first message of a new conversation."""
    intents = []
    for path in sorted((root / "config" / "domain").glob("*.yml")):
        intents += [i for i in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", [])
                    if isinstance(i, str) and i.startswith("ask_") and i not in DETAILS]
    turns = []
    for intent in sorted(set(intents)):
        data = post(port, {"message": f"/{intent}", "language": language})
        turns.append({"sent": f"/{intent}", "text": reply_text(data), "route": False,
                      "status": "error" if "error" in data else "ok"})
    return turns


def has_contact(text: str) -> bool:
    """A phone number or a web address to take the step with (a "Sources:" line does not count)."""
    lines = [line for line in text.splitlines() if not SOURCES_LINE.match(line)]
    return any(PHONE.search(line) or URL.search(line) for line in lines)


def sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in SENTENCE_END.split(text)) if len(s.split()) >= 2]


def summarise(turns: list[dict[str, Any]]) -> dict[str, Any]:
    words = [len(t["text"].split()) for t in turns if t["text"]]
    routes = [t for t in turns if t["route"]]
    route_words = [len(t["text"].split()) for t in routes]
    all_sentences = [s for t in turns for s in sentences(t["text"])]
    internal = sorted({m.group(0) for t in turns for m in INTERNAL.finditer(t["text"])})
    return {
        "replies": len(words),
        "words_median": statistics.median(words) if words else 0,
        "words_p95": sorted(words)[int(0.95 * (len(words) - 1))] if words else 0,
        "words_max": max(words) if words else 0,
        "replies_over_150": sum(w > WORD_LIMIT for w in words),
        "route_answers": len(routes),
        "route_answer_words_median": statistics.median(route_words) if route_words else 0,
        "route_answer_words_max": max(route_words) if route_words else 0,
        "route_answers_with_phone_or_address": sum(has_contact(t["first_step"]) for t in routes),
        "sentence_words_mean": round(statistics.mean(len(s.split()) for s in all_sentences), 1)
        if all_sentences else 0,
        "internal_file_mentions": internal,
        "errors": sum(t["status"] != "ok" for t in turns),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parents[2]), help="checkout to measure")
    parser.add_argument("--label", default="after")
    parser.add_argument("--out", default=None, help="results file (default tests/bench/results/answers[-label].json)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    sys.path.insert(0, str(root))
    from bot.stack import Stack, latest_model, loopback_settings  # the code under test

    model = latest_model(root / "models") or latest_model(root / ".data" / "test" / "models")
    if model is None:
        print("no trained model: run `make train` first", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bench-answers-"))
    settings = loopback_settings(tmp, "answers")
    env = {"GATEWAY_RATE_ADDRESS_PER_MINUTE": "0", "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
           "GATEWAY_MAX_CONCURRENT_PER_ADDRESS": "1000", "KUNTOUTUSOPAS_TODAY": "2026-12-05"}
    known = questions(root)
    started = time.monotonic()
    per_language: dict[str, dict[str, Any]] = {}
    worst: list[dict[str, Any]] = []
    with Stack(settings, model, tmp / "logs", extra_env=env):
        for language in LANGUAGES:
            turns: list[dict[str, Any]] = []
            for profile in profiles():
                turns += interview(settings.gateway_port, language, profile, known[language])
            turns += topics(settings.gateway_port, language, root)
            per_language[language] = summarise(turns)
            worst += sorted(({"language": language, **t} for t in turns),
                            key=lambda t: -len(t["text"].split()))[:2]
    overall_keys = ("replies", "replies_over_150", "route_answers", "route_answers_with_phone_or_address", "errors")
    result = {
        "label": args.label,
        "root": str(root),
        "model": model.name,
        "seconds": round(time.monotonic() - started, 1),
        "per_language": per_language,
        "overall": {k: sum(per_language[lang][k] for lang in LANGUAGES) for k in overall_keys},
        "longest_replies": [{"language": t["language"], "sent": t["sent"], "words": len(t["text"].split()),
                             "text": t["text"][:1500]} for t in worst],
    }
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / "results" / (
        "answers.json" if args.label == "after" else f"answers-{args.label}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("label", "seconds", "overall")}, ensure_ascii=False))
    for language in LANGUAGES:
        print(language, json.dumps(per_language[language], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
