"""Score the assistant on real residents' messages (issue 13, part 4).

    .venv/bin/python tests/eval/score_residents.py [--set test|dev|all] [--url http://127.0.0.1:8000]
                                                   [--out tests/eval/results/] [--model PATH]

Without --url it starts its own stack (action server, Rasa, gateway) on free loopback ports
with the newest model in models/, the gateway's rate limits switched off. Every message is the
first message of a NEW conversation: ``POST /api/chat {"message": text, "language": <the
message's language>}``, no session, no cookies. Each reply is classified:

- correct: the answer id is in ``expect`` and, for a topic or a fallback, one of
  ``key_patterns`` matches the reply; for the interview, every fact in ``facts`` was understood;
  and the reply is in the message's language (lingua, fi/sv/en only, on the longest bot text);
- partial: the answer id is expected but the key fact, a fact or the language is missing, or
  the answer id is in ``related``;
- honest fallback: a fallback / human-contact / out-of-scope answer that names a contact (a
  phone number or a web address) for a message that expected a topic, a route or the interview;
- wrong: anything else; also, whatever the answer id, the emergency number 112 for a message
  that is not about danger, and another place's contacts (Helsinki's for a message naming
  another municipality, Kempele's for one naming a municipality other than Kempele).

The answer id. The redesigned assistant tags each answer with a bot message whose ``custom``
is ``{"answer": "<id>"}`` (plus ``"contact"`` for a fallback). Until then
``legacy_answer_ids`` infers it from the current replies: topic answers begin with the topic's
title (bot/knowledge/topics.yml), route answers carry ``custom.routes``, interview questions
are bot/knowledge/messages.yml ``question.*`` texts, "not understood" (``dialogue.not_understood``)
counts as a fallback, ``dialogue.human_contact_intro`` and ``dialogue.contacts_need_guidance``
as human contact, and the out-of-scope, emergency, greeting, help, thanks and goodbye
answers are the utter_* texts of config/domain/responses.yml.

Facts of the interview. The gateway returns no slots, so after the turn the scorer reads the
conversation's slots from Rasa's tracker (``GET /conversations/<id>/tracker``; the
conversation id is the part of the session token before the dot; the stack's Rasa URL and
token, or --rasa-url/--rasa-token, or RASA_URL/RASA_TOKEN). When the tracker cannot be read
(an external gateway without Rasa's token) it falls back to checking that the bot did not ask
for a fact the message already gave (the next question is not ``question.<fact>``).

Writes <out>/residents_<set>.json (every message: id, text, expected, got, class, reply) and
<out>/residents_<set>.md (per-language table, overall, the wrong ones), prints the summary.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.profile import FIELD_ORDER  # noqa: E402
from tests.reply_language import reply_language as detect_language  # noqa: E402

PROFILE_FACTS = frozenset(FIELD_ORDER)

HERE = Path(__file__).resolve().parent
SETS = {"dev": [HERE / "residents_dev.yml"], "test": [HERE / "residents_test.yml"],
        "all": [HERE / "residents_dev.yml", HERE / "residents_test.yml"]}
LANGUAGES = ("fi", "sv", "en")
CLASSES = ("correct", "partial", "honest_fallback", "wrong")

TOPICS = {
    "rehabilitative_work_activity", "goals", "what_participants_do", "who_is_it_for", "refusal",
    "expense_compensation", "travel_costs", "absences", "duration_and_hours", "plan_requirement",
    "client_rights", "accident_insurance", "rules_changing", "health_and_pension", "b_statement",
    "how_to_apply", "helsinki_workplaces", "kempele", "work_ability_support", "social_rehabilitation",
    "work_activity_for_people_with_disabilities", "typ", "duuri", "employment_services_reform",
    "helsinki_service_path", "corona_arrangements_2021", "privacy",
}
FALLBACK_LIKE = {"fallback", "human_contact", "out_of_scope"}
SUBSTANTIVE = TOPICS | {"route", "interview"}

# Gateway settings for a scoring run: every message comes from 127.0.0.1 as fast as answers
# come back, so the per-address and per-session limits are off.
GATEWAY_ENV = {
    "GATEWAY_RATE_ADDRESS_PER_MINUTE": "0",
    "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
    "GATEWAY_MAX_CONCURRENT_PER_ADDRESS": "100000",
    "GATEWAY_RASA_TIMEOUT": "60",
}

PHONE = re.compile(r"(?<![\w.])(?:\+358|0)[\s-]?\d{1,3}(?:[\s-]?\d){4,9}(?!\d)")
WEB = re.compile(r"https?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:fi|com|org|net|eu)\b", re.IGNORECASE)
EMERGENCY_NUMBER = re.compile(r"(?<!\d)(?<!\d[\s-])\b112\b(?![\s-]?\d)")
# Contacts that belong to one place: shown to a resident of another municipality they are wrong.
PLACE_MARKERS = {
    "Helsinki": re.compile(r"hel\.fi|\bHelsin|\bHelsingfors|\bUusix|\bPakila|\bBaggböle|Hopeatie|"
                           r"(?:\+358\s?9|\b09)\s?310\b", re.IGNORECASE),
    "Kempele": re.compile(r"kempele\.fi|\bKempele", re.IGNORECASE),
}


# ------------------------------------------------------------------------------- the set

def load_set(name: str, paths: list[Path] | None = None) -> list[dict]:
    messages: list[dict] = []
    for path in paths if paths is not None else SETS[name]:
        messages += (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or []
    return messages


# ------------------------------------------------------------------------------- texts

@dataclass
class Texts:
    """Known bot texts, to recognise answers in the current assistant (legacy tagger)."""

    topic_titles: list[tuple[str, str]] = field(default_factory=list)  # (title, answer id)
    questions: dict[str, list[str]] = field(default_factory=dict)      # fact -> question texts
    not_understood: list[str] = field(default_factory=list)
    human_contact: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)                   # privacy notice etc.
    responses: dict[str, list[str]] = field(default_factory=dict)      # answer id -> texts


# Topic ids of the current knowledge base that answer to another id of the contract.
LEGACY_TOPIC_IDS = {
    "how_to_apply_helsinki": "how_to_apply",
    "regional_social_work": "how_to_apply",
    "emergency": "emergency",
}
# The same topic answered for the place the question names (bot/guidance/topics.py,
# TOPIC_FOR_MUNICIPALITY and TOPIC_ELSEWHERE): "how do I apply in Vantaa?" is answered with
# how_to_apply_elsewhere, which is the how-to-apply answer for that place.
PLACE_VARIANTS = {
    "how_to_apply_helsinki": "how_to_apply",
    "how_to_apply_elsewhere": "how_to_apply",
    # Not a place's variant but also a narrower form of how to get in: getting in touch for a
    # close person (added after the sets were written; counted only where a label names
    # how_to_apply, like the place variants).
    "contact_for_someone_else": "how_to_apply",
}
RESPONSE_IDS = {
    "utter_out_of_scope": "out_of_scope",
    "utter_emergency": "emergency",
    "utter_greet": "greet",
    "utter_help": "help",
    "utter_thanks": "thanks",
    "utter_goodbye": "goodbye",
}


def _head(text: str, n: int = 60) -> str:
    return " ".join(text.split())[:n]


@lru_cache(maxsize=1)
def known_texts() -> Texts:
    from bot.knowledge import get_knowledge

    kb = get_knowledge()
    texts = Texts()
    for topic in kb.topics.values():
        answer = LEGACY_TOPIC_IDS.get(topic.id, topic.id)
        for title in topic.title.values():
            texts.topic_titles.append((title.strip(), answer))
    texts.topic_titles.sort(key=lambda t: -len(t[0]))  # the longest title that matches wins
    for message_id, message in kb.messages.items():
        values = [v for v in message.text.values() if v]
        if message_id.startswith("question."):  # question.<fact>, question.<fact>.someone_else
            texts.questions.setdefault(message_id.split(".")[1], []).extend(values)
        elif message_id == "dialogue.not_understood":
            texts.not_understood = values
        elif message_id in ("dialogue.human_contact_intro", "dialogue.contacts_need_guidance"):
            texts.human_contact += values
        elif message_id in ("dialogue.privacy_notice", "dialogue.privacy_line"):  # a session's first message
            texts.ignored += values
        elif message_id == "dialogue.restarted":
            texts.responses.setdefault("restart", []).extend(values)
    responses_file = ROOT / "config" / "domain" / "responses.yml"  # the assistant before issue 15
    responses = yaml.safe_load(responses_file.read_text(encoding="utf-8")) if responses_file.exists() else {}
    for name, answer in RESPONSE_IDS.items():
        for variation in (responses.get("responses") or {}).get(name) or []:
            if variation.get("text"):
                texts.responses.setdefault(answer, []).append(variation["text"])
    return texts


def _starts(text: str, candidates: Iterable[str], n: int = 40) -> bool:
    body = " ".join(text.split()).lstrip("*#_ ")
    return any(c and body.startswith(" ".join(c.split())[:n]) for c in candidates)


def _contains(text: str, candidates: Iterable[str], n: int = 40) -> bool:
    body = " ".join(text.split())
    return any(c and " ".join(c.split())[:n] in body for c in candidates)


def legacy_answer_ids(messages: list[dict]) -> list[str]:
    """Answer ids recognised in the current assistant's replies, most specific first."""
    t = known_texts()
    found: list[str] = []

    def add(answer: str) -> None:
        if answer not in found:
            found.append(answer)

    for message in messages:
        text = message.get("text") or ""
        custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
        if isinstance(custom.get("routes"), list):
            add("route")
        if not text:
            continue
        if _contains(text, t.responses.get("emergency", [])):
            add("emergency")
        for title, answer in t.topic_titles:
            if _starts(text, [title], n=len(title)):
                add(answer)
                break
        if _contains(text, t.responses.get("out_of_scope", [])):
            add("out_of_scope")
        if _contains(text, t.not_understood):
            add("fallback")
        if _contains(text, t.human_contact):
            add("human_contact")
        if any(_contains(text, qs) for qs in t.questions.values()):
            add("interview")
        for answer in ("greet", "help", "thanks", "goodbye", "restart"):
            if _contains(text, t.responses.get(answer, [])):
                add(answer)
    priority = ["emergency"] + sorted(TOPICS) + ["route", "out_of_scope", "fallback", "human_contact",
                                                  "interview", "help", "greet", "thanks", "goodbye", "restart"]
    return sorted(found, key=lambda a: priority.index(a) if a in priority else len(priority))


def answer_ids(messages: list[dict]) -> tuple[list[str], str | None, str]:
    """(answer ids, fallback contact, how they were found). The redesigned assistant's
    ``custom.answer`` tag wins; otherwise the legacy tagger."""
    tagged = [m["custom"] for m in messages
              if isinstance(m.get("custom"), dict) and isinstance(m["custom"].get("answer"), str)]
    if tagged:
        ids: list[str] = []
        for c in tagged:
            if c["answer"] not in ids:
                ids.append(c["answer"])
        contact = next((c.get("contact") for c in tagged if c.get("contact")), None)
        # A likely first step told before the interview's next question (a situation told at
        # once): the question is untagged, and the reply is both answers.
        if "interview" not in ids and asked_questions(messages):
            ids.append("interview")
        return ids, contact, "tag"
    return legacy_answer_ids(messages), None, "legacy"


def asked_questions(messages: list[dict]) -> list[str]:
    t = known_texts()
    return [fact for m in messages for fact, qs in t.questions.items() if _contains(m.get("text") or "", qs)]


# ------------------------------------------------------------------------------- language



# ------------------------------------------------------------------------------- classification

def _norm_fact(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip().casefold()
    return {"true": "yes", "false": "no", "kyllä": "yes", "ja": "yes", "ei": "no", "nej": "no"}.get(text, text)


def facts_understood(expected: dict[str, Any], slots: dict[str, Any] | None,
                     asked: list[str]) -> tuple[bool, str]:
    """Were the facts the message gives understood? From the tracker's slots if available,
    otherwise: the bot did not ask for any of them."""
    # Only the facts the assistant's profile holds are checked: a label may also note facts it
    # does not ask about (housing, the benefit received, education), which no slot can hold.
    expected = {key: value for key, value in expected.items() if key in PROFILE_FACTS}
    if not expected:
        return True, ""
    if slots is not None:
        missing = []
        for key, value in expected.items():
            got = slots.get(key)
            if got is None or _norm_fact(got) != _norm_fact(value):
                if key == "age":
                    try:
                        if int(float(str(got))) == int(value):
                            continue
                    except (TypeError, ValueError):
                        pass
                missing.append(f"{key}={value!r} (slot {got!r})")
        return not missing, "; ".join(missing)
    again = [fact for fact in expected if fact in asked]
    return not again, ("asked again for " + ", ".join(again)) if again else ""


def has_contact(text: str) -> bool:
    return bool(PHONE.search(text) or WEB.search(text))


def without_notices(messages: list[dict]) -> list[dict]:
    """The bot's messages without the privacy notice every new conversation starts with (it is
    in the page's language and would decide the reply language and match key patterns)."""
    ignored = known_texts().ignored

    def answer_text(k: int) -> bool:
        # the privacy notice is also the answer to "is this chat saved?": then the
        # assistant's answer tag follows it (actions/replies.py sends the text, then the tag)
        following = messages[k + 1].get("custom") if k + 1 < len(messages) else None
        return isinstance(following, dict) and bool(following.get("answer"))

    return [m for k, m in enumerate(messages)
            if m.get("custom") or answer_text(k) or not _contains(m.get("text") or "", ignored)]


def classify(item: dict, messages: list[dict], slots: dict[str, Any] | None) -> dict[str, Any]:
    messages = without_notices(messages)
    ids, contact, how = answer_ids(messages)
    got = ids[0] if ids else "none"
    texts = [m.get("text") or "" for m in messages if m.get("text")]
    reply = "\n\n".join(texts)
    longest = max(texts, key=len) if texts else ""
    reply_language = detect_language(longest)
    expect: list[str] = list(item["expect"])
    related: list[str] = list(item.get("related") or [])
    patterns: list[str] = list(item.get("key_patterns") or [])
    reasons: list[str] = []

    language_ok = reply_language in (None, item["language"])
    if not language_ok:
        reasons.append(f"reply in {reply_language}")

    # A place's variant of a topic counts as the topic when the label names the topic (and not
    # the variant itself: a label that expects the close person's contact and relates how to get in
    # is answered right by the close person's contact).
    ids = [PLACE_VARIANTS[a] if a in PLACE_VARIANTS and a not in expect and PLACE_VARIANTS[a] in expect + related
           else a for a in ids]
    # The best of the answer ids found (a reply may hold a topic and an interview question).
    chosen = next((a for a in ids if a in expect), None) or next((a for a in ids if a in related), None) or got
    if chosen in expect:
        ok = True
        if chosen in TOPICS or chosen == "fallback":
            if patterns and not any(re.search(p, reply, re.IGNORECASE) for p in patterns):
                ok = False
                reasons.append("key fact missing")
            if (chosen == "fallback" and item.get("fallback_contact") and contact
                    and contact != item["fallback_contact"]):
                ok = False
                reasons.append(f"contact {contact} instead of {item['fallback_contact']}")
        elif chosen == "interview":
            understood, detail = facts_understood(item.get("facts") or {}, slots, asked_questions(messages))
            if not understood:
                ok = False
                reasons.append("facts not understood: " + detail)
        label = "correct" if ok and language_ok else "partial"
    elif chosen in related:
        label = "partial"
        reasons.append("related answer")
    elif chosen in FALLBACK_LIKE and has_contact(reply) and set(expect) & SUBSTANTIVE:
        label = "honest_fallback"
    else:
        label = "wrong"
        reasons.append(f"answered {chosen}")

    # Wrong whatever the answer id.
    if "emergency" not in expect and (chosen == "emergency" or EMERGENCY_NUMBER.search(reply)):
        label = "wrong"
        reasons.append("emergency number for a message that is not about danger")
    place = item.get("municipality")
    if place:
        for other, marker in PLACE_MARKERS.items():
            if place.casefold() != other.casefold() and marker.search(reply):
                label = "wrong"
                reasons.append(f"{other}'s contacts for a resident of {place}")
    return {"got": got, "answer_ids": ids, "tagged_by": how, "contact": contact, "class": label,
            "reasons": reasons, "reply_language": reply_language, "reply": reply}


# ------------------------------------------------------------------------------- HTTP

def post_json(url: str, body: dict, timeout: float = 90.0) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # no cookie jar: no session
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"null")
        except ValueError:
            return exc.code, None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return 0, {"error": str(exc)}


def tracker_slots(rasa_url: str | None, token: str | None, session: str | None) -> dict[str, Any] | None:
    if not (rasa_url and token and session and "." in session):
        return None
    conversation_id = session.split(".", 1)[0]
    query = urllib.parse.urlencode({"token": token, "include_events": "NONE"})
    url = f"{rasa_url.rstrip('/')}/conversations/{urllib.parse.quote(conversation_id)}/tracker?{query}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = json.loads(response.read() or b"null")
    except (urllib.error.URLError, OSError, ValueError):
        return None
    slots = data.get("slots") if isinstance(data, dict) else None
    return slots if isinstance(slots, dict) else None


def score(gateway: str, items: list[dict], rasa_url: str | None = None,
          rasa_token: str | None = None) -> list[dict[str, Any]]:
    rows = []
    chat = gateway.rstrip("/") + "/api/chat"
    for n, item in enumerate(items, 1):
        t0 = time.monotonic()
        status, data = post_json(chat, {"message": item["text"], "language": item["language"]})
        messages = ([m for m in (data or {}).get("messages") or [] if isinstance(m, dict)]
                    if isinstance(data, dict) else [])
        row = {"id": item["id"], "language": item["language"], "text": item["text"],
               "expected": item["expect"], "related": item.get("related") or [],
               "municipality": item.get("municipality"), "http_status": status,
               "seconds": round(time.monotonic() - t0, 2)}
        if status != 200 or not messages:
            row.update({"got": "error", "answer_ids": [], "class": "wrong", "tagged_by": None, "contact": None,
                        "reasons": [f"HTTP {status}"], "reply_language": None,
                        "reply": json.dumps(data, ensure_ascii=False)[:500] if data else ""})
        else:
            slots = tracker_slots(rasa_url, rasa_token, data.get("session")) if item.get("facts") else None
            row.update(classify(item, messages, slots))
            if item.get("facts"):
                row["facts_checked_with"] = "tracker" if slots is not None else "questions asked"
        rows.append(row)
        print(f"[{n}/{len(items)}] {item['id']} {row['class']:<15} got={row['got']}", flush=True)
    return rows


# ------------------------------------------------------------------------------- report

def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def table(subset: list[dict[str, Any]]) -> dict[str, Any]:
        counts = Counter(r["class"] for r in subset)
        n = len(subset)
        return {"n": n, **{c: counts.get(c, 0) for c in CLASSES},
                **{f"{c}_pct": round(100 * counts.get(c, 0) / n, 1) if n else None for c in CLASSES}}
    out = {lang: table([r for r in rows if r["language"] == lang]) for lang in LANGUAGES}
    out["all"] = table(rows)
    return out


def write_results(name: str, rows: list[dict[str, Any]], folder: Path, meta: dict[str, Any]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(rows)
    json_path = folder / f"residents_{name}.json"
    json_path.write_text(json.dumps({"set": name, **meta, "summary": summary, "messages": rows},
                                    ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Residents' messages, {name} set", "",
             f"Generated by `tests/eval/score_residents.py` on {meta['date']} against {meta['target']}. "
             "Each message is the first message of a new conversation. Classes: see tests/eval/README.md.", "",
             "| language | n | correct | partial | honest fallback | wrong |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for key in (*LANGUAGES, "all"):
        s = summary[key]
        if not s["n"]:
            continue
        lines.append(f"| {'**all**' if key == 'all' else key} | {s['n']} | {s['correct_pct']} % | "
                     f"{s['partial_pct']} % | {s['honest_fallback_pct']} % | {s['wrong_pct']} % |")
    tagged = Counter(r.get("tagged_by") for r in rows)
    lines += ["", f"Answer ids from: {dict(tagged)} (`tag` = the assistant's own custom.answer, "
              "`legacy` = inferred from the current replies).", "", "## Wrong", ""]
    for r in rows:
        if r["class"] == "wrong":
            lines.append(f"- {r['id']} “{_head(r['text'], 90)}” — expected {', '.join(r['expected'])}; "
                         f"got {r['got']} ({'; '.join(r['reasons'])}): “{_head(r['reply'], 110)}”")
    if not any(r["class"] == "wrong" for r in rows):
        lines.append("none")
    lines += ["", "## Partial", ""]
    for r in rows:
        if r["class"] == "partial":
            lines.append(f"- {r['id']} “{_head(r['text'], 90)}” — expected {', '.join(r['expected'])}; "
                         f"got {r['got']} ({'; '.join(r['reasons'])})")
    md_path = folder / f"residents_{name}.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return json_path, md_path


def print_summary(name: str, summary: dict[str, Any]) -> None:
    print(f"\nresidents' messages, {name} set")
    print(f"{'':6}{'n':>5}{'correct':>10}{'partial':>10}{'honest fb':>11}{'wrong':>8}")
    for key in (*LANGUAGES, "all"):
        s = summary[key]
        if s["n"]:
            print(f"{key:6}{s['n']:>5}{s['correct_pct']:>9}%{s['partial_pct']:>9}%"
                  f"{s['honest_fallback_pct']:>10}%{s['wrong_pct']:>7}%")


# ------------------------------------------------------------------------------- main

def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """What to score against: a running gateway (--url, with Rasa's API to read slots) or a stack
    of its own (--model); where the results go. Shared with score_conversations.py."""
    parser.add_argument("--url", help="a running gateway (default: start a stack on free loopback ports)")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL"),
                        help="with --url: Rasa's HTTP API, to read slots")
    parser.add_argument("--rasa-token", default=os.environ.get("RASA_TOKEN"), help="with --url: Rasa's API token")
    parser.add_argument("--model", type=Path, help="model archive (default: the newest in models/)")
    parser.add_argument("--out", type=Path, default=HERE / "results")


#: ``score_fn(gateway, items, rasa_url, rasa_token)``: score_residents.score or score_conversations.score.
ScoreFn = Callable[..., list[dict[str, Any]]]


def score_target(args: argparse.Namespace, items: list[dict],
                 score_fn: ScoreFn) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``score_fn(gateway, items, rasa_url, rasa_token)`` against the target ``args`` name; the
    rows and the results' meta data (date, target, model)."""
    if args.url:
        rows = score_fn(args.url, items, args.rasa_url, args.rasa_token)
        target, model_name = args.url, None
    else:
        rows, target, model_name = run_with_own_stack(items, args.model, score_fn)
    return rows, {"date": time.strftime("%Y-%m-%d %H:%M"), "target": target, "model": model_name}


def run_with_own_stack(items: list[dict], model: Path | None,
                       score_fn: ScoreFn | None = None) -> tuple[list[dict[str, Any]], str, str]:
    from bot.stack import Stack, latest_model, loopback_settings

    model = model or latest_model(ROOT / "models")
    if model is None:
        raise SystemExit("no model in models/: run `make train` first")
    with tempfile.TemporaryDirectory(prefix="ko-eval-") as folder:
        tmp = Path(folder)
        settings = loopback_settings(tmp, "eval")
        env = {**GATEWAY_ENV, "GATEWAY_SESSION_SECRET": secrets.token_urlsafe(24)}
        stack = Stack(settings, model, tmp / "logs", extra_env=env)
        try:
            stack.start()
            gateway = f"http://127.0.0.1:{settings.gateway_port}"
            rows = (score_fn or score)(gateway, items, settings.rasa_url, settings.rasa_token)
        finally:
            stack.stop()
    return rows, f"its own stack (model {model.name})", model.name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--file", type=Path,
                        help="score this file instead of a set (same format; results named after the file)")
    add_target_arguments(parser)
    args = parser.parse_args(argv)

    name = args.file.stem if args.file else args.set
    items = load_set(name, [args.file] if args.file else None)
    rows, meta = score_target(args, items, score)
    json_path, md_path = write_results(name, rows, args.out, meta)
    print_summary(name, summarise(rows))
    print(f"\n{json_path}\n{md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
