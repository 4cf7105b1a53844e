"""Score the assistant on whole conversations: every turn of the interview (issue 13, part 3).

    .venv/bin/python tests/eval/score_conversations.py [--set dev|test] [--file F] [--model PATH]
                                                       [--url URL --rasa-url URL --rasa-token T] [--out DIR]

``score_residents.py`` sends each message as the first of a new conversation; it cannot tell
whether the assistant understands a resident's answers to its own questions, keeps what was
said, returns to the interview after a question in the middle, never asks the same thing over
and over, and answers the follow-ups after its advice. This scorer plays a resident who was
written down in advance (``conversations_<set>.yml``, see tests/eval/README.md, "Conversations"):

1. it sends the opening message (the conversation's language as the page language, no session);
2. while the assistant asks interview questions, it answers the question actually asked with
   this resident's answer to it (``answers.<field>``), or, the first time an ``asides`` field is
   asked, with the resident's own question instead; a topic answer with no question to the
   opening is followed by a press of its "find my service" button, as a resident would;
3. when the assistant gives its advice (a route answer without a question), it checks the
   routes against the pure route function (``bot.guidance.advice.decide``) on the facts the
   resident gave, i.e. what perfect understanding would have told;
4. it sends the follow-ups.

Classes per turn, as in score_residents.py (correct / partial / honest fallback / wrong):

- opening, aside, follow-up: ``score_residents.classify`` with the turn's ``expect`` (and, for
  the opening, its facts);
- an answer to a question: correct when every fact given so far is in the tracker's slots and
  the assistant goes on (the next question or its advice, in the resident's language); partial
  when it goes on but a fact of this answer was lost or it asks the same question once more;
  wrong when it leaves the interview (a topic, a fallback, small talk), asks the same question a
  third time in a row, shows another place's contacts or the emergency number.

Per conversation: reached the advice, the advice's routes equal the expected ones, the longest
run of the same question, the number of turns. Writes <out>/conversations_<set>.json and .md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for path in (ROOT, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from score_residents import (  # noqa: E402
    CLASSES,
    LANGUAGES,
    _head,
    add_target_arguments,
    asked_questions,
    classify,
    facts_understood,
    post_json,
    score_target,
    tracker_slots,
    without_notices,
)

from bot.profile import FIELD_ORDER, Profile, ProfileError  # noqa: E402

SETS = {"dev": HERE / "conversations_dev.yml", "test": HERE / "conversations_test.yml"}
#: A resident gives up long before this; the interview has nine questions at most.
MAX_TURNS = 20
#: The same question this many times in a row is a loop (issue 13: never more than twice).
LOOP = 3
START_GUIDANCE = "/start_guidance"


def load(path: Path) -> list[dict]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or []


def expected_routes(facts: dict[str, Any]) -> list[str] | None:
    from bot.guidance.advice import decide

    try:
        profile = Profile.from_mapping({k: v for k, v in facts.items() if k in FIELD_ORDER})
    except ProfileError:
        return None
    return decide(profile).route_ids()


class Session:
    """One conversation through the gateway (the session token carried from turn to turn)."""

    def __init__(self, gateway: str, language: str, rasa_url: str | None, rasa_token: str | None):
        self.chat = gateway.rstrip("/") + "/api/chat"
        self.language = language
        self.rasa_url, self.rasa_token = rasa_url, rasa_token
        self.session: str | None = None

    def send(self, text: str) -> tuple[int, list[dict]]:
        body: dict[str, Any] = {"message": text, "language": self.language}
        if self.session:
            body["session"] = self.session
        status, data = post_json(self.chat, body)
        if isinstance(data, dict) and data.get("session"):
            self.session = data["session"]
        if not isinstance(data, dict):
            return status, []
        messages = [m for m in data.get("messages") or [] if isinstance(m, dict)]
        return status, messages

    def slots(self) -> dict[str, Any] | None:
        return tracker_slots(self.rasa_url, self.rasa_token, self.session)


def _item(conversation: dict, expect: list[str], given: dict[str, Any], facts: dict | None = None,
          **extra: Any) -> dict:
    """A turn as score_residents.classify reads it. The place check (another place's contacts
    are wrong) applies once the resident has told their municipality: before that a Helsinki
    page's answer may name Helsinki's contacts."""
    if "interview" in expect and "route" not in expect:
        # the interview's own end: a message that tells enough gets the advice at once
        expect = [*expect, "route"]
    return {"language": conversation["language"], "expect": expect, "facts": facts or {},
            "municipality": given.get("municipality"), **extra}


def _final_route(messages: list[dict]) -> list[str] | None:
    """The routes of the assistant's advice (not a likely first step told before a question)."""
    for m in messages:
        custom = m.get("custom") if isinstance(m.get("custom"), dict) else {}
        if isinstance(custom.get("routes"), list) and not custom.get("provisional"):
            return [str(r) for r in custom["routes"]]
    return None


def _has_start_button(messages: list[dict]) -> bool:
    return any(b.get("payload") == START_GUIDANCE for m in messages for b in m.get("buttons") or []
               if isinstance(b, dict))


def run_conversation(conversation: dict, session: Session) -> dict[str, Any]:
    turns: list[dict[str, Any]] = []
    given: dict[str, Any] = {}
    answers = conversation.get("answers") or {}
    asides = {a["instead_of"]: a for a in conversation.get("asides") or []}
    outcome: dict[str, Any] = {"reached_advice": False, "routes": None, "expected_routes": None,
                               "longest_repeat": 0, "stopped": None}

    def record(kind: str, text: str, status: int, messages: list[dict], result: dict[str, Any], **extra: Any) -> None:
        if status != 200 or not messages:
            result = {"class": "wrong", "reasons": [f"HTTP {status}"], "got": "error", "reply": ""}
        turns.append({"kind": kind, "text": text, **extra, "class": result["class"], "got": result.get("got"),
                      "reasons": result.get("reasons") or [], "reply": _head(result.get("reply") or "", 300)})

    # 1. the opening
    opening = conversation["opening"]
    given.update(opening.get("gives") or {})
    status, messages = session.send(opening["text"])
    slots = session.slots()
    result = classify(_item(conversation, list(opening["expect"]), given, opening.get("gives")), messages, slots)
    record("opening", opening["text"], status, messages, result, expect=list(opening["expect"]))

    # 2. the interview
    last_field: str | None = None
    repeat = 0
    pending: str | None = None  # a question the resident put aside to ask their own
    started_by_button = False
    for _ in range(MAX_TURNS):
        shown = without_notices(messages)
        routes = _final_route(shown)
        asked = asked_questions(shown)
        if routes is not None and not asked:
            outcome.update(reached_advice=True, routes=routes, expected_routes=expected_routes(given))
            break
        field = asked[-1] if asked else None
        if field is None and pending is not None:
            turns[-1]["reasons"].append("did not return to the interview")
            if turns[-1]["class"] == "correct":
                turns[-1]["class"] = "partial"
            field = pending  # the resident answers the question they were asked before
        if field is None:
            if not started_by_button and _has_start_button(shown) and len(turns) == 1:
                started_by_button = True
                status, messages = session.send(START_GUIDANCE)
                continue
            outcome["stopped"] = "neither a question nor advice"
            break
        pending = None
        repeat = repeat + 1 if field == last_field else 1
        last_field = field
        outcome["longest_repeat"] = max(outcome["longest_repeat"], repeat)
        if repeat >= LOOP:
            turns[-1]["class"] = "wrong"
            turns[-1]["reasons"].append(f"asked {field} {repeat} times in a row")
            outcome["stopped"] = f"loop on {field}"
            break
        if field in asides:
            aside = asides.pop(field)
            status, messages = session.send(aside["text"])
            result = classify(_item(conversation, list(aside["expect"]), given,
                                    fallback_contact=aside.get("fallback_contact")), messages, None)
            record("aside", aside["text"], status, messages, result, field=field, expect=list(aside["expect"]))
            pending = field
            repeat -= 1  # the resident did not answer; asking again is not a repeat
            continue
        answer = answers.get(field)
        if answer is None:
            outcome["stopped"] = f"the set has no answer for {field}"
            break
        given.update(answer.get("gives") or {})
        status, messages = session.send(answer["text"])
        record("answer", answer["text"], status, messages, judge_answer(conversation, answer, given, messages,
                                                                        session.slots(), field),
               field=field, gives=answer.get("gives") or {})
    else:
        outcome["stopped"] = f"no advice after {MAX_TURNS} turns"

    if outcome["reached_advice"]:
        expected = outcome["expected_routes"]
        outcome["routes_ok"] = expected is not None and sorted(expected) == sorted(outcome["routes"] or [])
    else:
        outcome["routes_ok"] = False

    # 3. the follow-ups (asked whether or not the advice came: a resident asks them anyway)
    for follow in conversation.get("follow_ups") or []:
        status, messages = session.send(follow["text"])
        result = classify(_item(conversation, list(follow["expect"]), given,
                                fallback_contact=follow.get("fallback_contact")), messages, None)
        record("follow_up", follow["text"], status, messages, result, expect=list(follow["expect"]))

    slots = session.slots() or {}
    understood = [key for key in given if key in FIELD_ORDER and facts_understood({key: given[key]}, slots, [])[0]]
    outcome["facts_given"] = len([key for key in given if key in FIELD_ORDER])
    outcome["facts_understood"] = len(understood)
    outcome["for_someone_else_ok"] = bool(slots.get("for_someone_else")) == bool(conversation.get("for_someone_else"))
    outcome["started_by_button"] = started_by_button
    return {"id": conversation["id"], "language": conversation["language"], **outcome, "turns": turns}


def judge_answer(conversation: dict, answer: dict, given: dict[str, Any], messages: list[dict],
                 slots: dict[str, Any] | None, field: str) -> dict[str, Any]:
    """An answer to the question asked: understood (all facts so far in the slots) and going on."""
    shown = without_notices(messages)
    # The assistant goes on: its next question or its advice. Classify with both as expected;
    # the facts are checked on the whole conversation so far (a fact lost later counts too).
    # The facts are this answer's: a fact missed earlier was counted at its own turn.
    gives = answer.get("gives") or {}
    result = classify(_item(conversation, ["interview", "route"], given, gives), messages, slots)
    asked = asked_questions(shown)
    if result["got"] == "route" or "route" in result.get("answer_ids", []):
        understood, detail = facts_understood(gives, slots, asked)
        if not understood and result["class"] == "correct":
            result["class"] = "partial"
            result["reasons"].append("facts not understood: " + detail)
    if asked and asked[-1] == field and answer.get("gives"):
        if result["class"] == "correct":
            result["class"] = "partial"
        result["reasons"].append(f"asked {field} again")
    return result


def score(gateway: str, conversations: list[dict], rasa_url: str | None, rasa_token: str | None) -> list[dict]:
    rows = []
    for n, conversation in enumerate(conversations, 1):
        t0 = time.monotonic()
        row = run_conversation(conversation, Session(gateway, conversation["language"], rasa_url, rasa_token))
        row["seconds"] = round(time.monotonic() - t0, 1)
        rows.append(row)
        classes = Counter(t["class"] for t in row["turns"])
        print(f"[{n}/{len(conversations)}] {row['id']} advice={row['reached_advice']} routes_ok={row['routes_ok']} "
              + " ".join(f"{c}={classes.get(c, 0)}" for c in CLASSES), flush=True)
    return rows


# ------------------------------------------------------------------------------- report

def _pct(k: int, n: int) -> float | None:
    return round(100 * k / n, 1) if n else None


def summarise(rows: list[dict]) -> dict[str, Any]:
    def table(subset: list[dict]) -> dict[str, Any]:
        out: dict[str, Any] = {"conversations": len(subset)}
        out["reached_advice_pct"] = _pct(sum(r["reached_advice"] for r in subset), len(subset))
        out["routes_ok_pct"] = _pct(sum(r["routes_ok"] for r in subset), len(subset))
        out["facts_understood_pct"] = _pct(sum(r["facts_understood"] for r in subset),
                                           sum(r["facts_given"] for r in subset))
        out["no_loop_pct"] = _pct(sum(r["longest_repeat"] < LOOP for r in subset), len(subset))
        out["all_turns_correct_pct"] = _pct(sum(all(t["class"] == "correct" for t in r["turns"]) for r in subset),
                                            len(subset))
        for kind in ("opening", "answer", "aside", "follow_up"):
            turns = [t for r in subset for t in r["turns"] if t["kind"] == kind]
            counts = Counter(t["class"] for t in turns)
            out[kind] = {"n": len(turns), **{f"{c}_pct": _pct(counts.get(c, 0), len(turns)) for c in CLASSES}}
        return out
    summary = {lang: table([r for r in rows if r["language"] == lang]) for lang in LANGUAGES}
    summary["all"] = table(rows)
    return summary


def write_results(name: str, rows: list[dict], folder: Path, meta: dict[str, Any]) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(rows)
    json_path = folder / f"conversations_{name}.json"
    json_path.write_text(json.dumps({"set": name, **meta, "summary": summary, "conversations": rows},
                                    ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    lines = [f"# Conversations, {name} set", "",
             f"Generated by `tests/eval/score_conversations.py` on {meta['date']} against {meta['target']}. "
             "Classes and checks: see tests/eval/README.md, \"Conversations\".", "",
             "| language | conversations | advice reached | routes right | facts understood | no loop "
             "| every turn right |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key in (*LANGUAGES, "all"):
        s = summary[key]
        if s["conversations"]:
            label = "**all**" if key == "all" else key
            lines.append(f"| {label} | {s['conversations']} | {s['reached_advice_pct']} % | "
                         f"{s['routes_ok_pct']} % | {s['facts_understood_pct']} % | {s['no_loop_pct']} % | "
                         f"{s['all_turns_correct_pct']} % |")
    lines += ["", "Turns: correct / partial / honest fallback / wrong", "",
              "| language | kind | n | correct | partial | honest fallback | wrong |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for key in (*LANGUAGES, "all"):
        for kind in ("opening", "answer", "aside", "follow_up"):
            t = summary[key][kind]
            if t["n"]:
                lines.append(f"| {key} | {kind} | {t['n']} | {t['correct_pct']} % | {t['partial_pct']} % | "
                             f"{t['honest_fallback_pct']} % | {t['wrong_pct']} % |")
    lines += ["", "## Turns that were not right", ""]
    for r in rows:
        bad = [t for t in r["turns"] if t["class"] != "correct"]
        problems = [f"stopped: {r['stopped']}"] if r["stopped"] else []
        if r["reached_advice"] and not r["routes_ok"]:
            problems.append(f"routes {r['routes']} instead of {r['expected_routes']}")
        if not bad and not problems:
            continue
        lines.append(f"- **{r['id']}** " + "; ".join(problems))
        for t in bad:
            where = f" ({t['field']})" if t.get("field") else ""
            lines.append(f"  - {t['kind']}{where} “{_head(t['text'], 70)}” — {t['class']}: "
                         f"{'; '.join(t['reasons']) or 'got ' + str(t['got'])} → “{_head(t['reply'], 90)}”")
    md_path = folder / f"conversations_{name}.md"
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return json_path, md_path


def print_summary(name: str, summary: dict[str, Any]) -> None:
    print(f"\nconversations, {name} set")
    print(f"{'':6}{'n':>4}{'advice':>8}{'routes':>8}{'facts':>8}{'no loop':>9}{'all ok':>8}   answers c/p/h/w")
    for key in (*LANGUAGES, "all"):
        s = summary[key]
        if s["conversations"]:
            a = s["answer"]
            print(f"{key:6}{s['conversations']:>4}{s['reached_advice_pct']:>7}%{s['routes_ok_pct']:>7}%"
                  f"{s['facts_understood_pct']:>7}%"
                  f"{s['no_loop_pct']:>8}%{s['all_turns_correct_pct']:>7}%   "
                  f"{a['correct_pct']}/{a['partial_pct']}/{a['honest_fallback_pct']}/{a['wrong_pct']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--file", type=Path, help="score this file instead of a set")
    add_target_arguments(parser)
    args = parser.parse_args(argv)

    path = args.file or SETS[args.set]
    name = args.file.stem.removeprefix("conversations_") if args.file else args.set
    rows, meta = score_target(args, load(path), score)
    json_path, md_path = write_results(name, rows, args.out, meta)
    print_summary(name, summarise(rows))
    print(f"\n{json_path}\n{md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
