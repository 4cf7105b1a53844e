"""The report as Markdown, JSON or CSV, and the not-understood messages as Rasa NLU YAML."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from bot.report.groups import Group

FORMATS = ("md", "json", "csv", "yaml")


def _fi_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day}.{day.month}.{day.year}"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _cell(value: Any) -> str:
    text = "–" if value is None else str(value)
    return " ".join(text.replace("|", "\\|").split())


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    rows = list(rows)
    if not rows:
        return ["(none)", ""]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _languages(counts: dict[str, int]) -> str:
    return ", ".join(f"{lang} {n}" for lang, n in counts.items() if n)


# --------------------------------------------------------------------------- Markdown


def to_markdown(report: dict[str, Any]) -> str:
    meta = report["report"]
    out: list[str] = [
        f"# Kuntoutusopas: staff report {_fi_date(meta['first_day'])}–{_fi_date(meta['last_day'])} "
        f"({meta['days']} day{'s' if meta['days'] != 1 else ''})",
        "",
        f"Generated {_fi_date(meta['generated'])} from `{meta.get('database') or 'the tracker store'}`; days in "
        f"{meta['timezone']}. A conversation is a chat session (Rasa starts a new one after an hour "
        "without messages). Messages are shown as stored: personal data redacted. No conversation ids.",
        "",
        "## Summary",
        "",
    ]
    now, before = report["summary"], report.get("previous_period")
    rows = [
        ("conversations", now["conversations"], before and before["conversations"]),
        ("messages not understood", _pct(now["not_understood_share"]), before and _pct(before["not_understood_share"])),
        ("interviews completed", _pct(now["interview_completion_rate"]),
         before and _pct(before["interview_completion_rate"])),
        ("answers rated helpful", _pct(now["helpful_share"]), before and _pct(before["helpful_share"])),
    ]
    out += _table(["", "this period",
                   f"previous {meta['days']} day{'s' if meta['days'] != 1 else ''}" if before else "previous period"],
                  rows)

    conv = report["conversations"]
    out += ["## Conversations per day and language", ""]
    langs = [k for k in conv["by_language"]]
    out += _table(["day", *langs, "total"],
                  [(_fi_date(r["day"]), *(r.get(lang, 0) for lang in langs), r["total"]) for r in conv["per_day"]]
                  + [("**total**", *(conv["by_language"][lang] for lang in langs), conv["total"])])
    out += [f"Messages from residents: {conv['messages']} ({conv['typed_messages']} typed, the rest buttons); "
            f"{_cell(conv['messages_per_conversation'])} per conversation.", ""]

    iv = report["interview"]
    out += ["## The guidance interview", "",
            f"Started {iv['started']}, completed {iv['completed']}, abandoned {iv['abandoned']}, still going "
            f"{iv['in_progress']}; completion rate {_pct(iv['completion_rate'])} (completed / finished).", "",
            "Where residents stopped (the last question asked in an abandoned interview):", ""]
    out += _table(["question", "abandoned"], iv["stopped_at"].items())

    rt = report["routes"]
    out += ["## Routes given", "",
            f"Route answers: {rt['answers']} (no route found: {rt['no_route']}).", ""]
    out += _table(["route", "times given"], rt["given"].items())

    an = report["answers"]
    out += ["## Topics asked", ""]
    out += _table(["topic", "answers"], an["topics"].items())
    out += ["Other answers (route advice, contacts, not understood, ...):", ""]
    out += _table(["answer", "times"], an["other"].items())

    nu = report["not_understood"]
    out += ["## Not understood", "",
            f"{nu['messages']} of {nu['typed_messages']} typed messages ({_pct(nu['share'])}) were not understood "
            f"(intent nlu_fallback or the \"not understood\" answer). "
            f"Languages: {_languages(nu['by_language']) or '–'}.",
            ""]
    out += _table(["day", "typed", "not understood", "share"],
                  [(_fi_date(r["day"]), r["typed_messages"], r["not_understood"], _pct(r["share"]))
                   for r in nu["per_day"]])
    out += ["### The messages, similar ones grouped, most frequent first", "",
            "Turn them into knowledge and training data: `python -m bot report --unanswered --format yaml "
            "> review.yml` (README \"From review to fix\").", ""]
    out += _table(["#", "messages", "texts", "languages", "closest intent"],
                  [(n, g["count"], " / ".join(g["examples"]), _languages(g["languages"]), g["suggested_intent"])
                   for n, g in enumerate(nu["groups"], 1)])

    fb = report["feedback"]
    out += ["## Feedback from residents", "",
            f"Asked {fb['asked']} times, answered {fb['answered']} (response rate {_pct(fb['response_rate'])}): "
            f"helpful {fb['yes']}, not helpful {fb['no']} ({_pct(fb['helpful_share'])} helpful).", ""]
    out += _table(["answer", "asked", "helpful", "not helpful", "comments", "helpful share"],
                  [(r["answer"], r["asked"], r["yes"], r["no"], r["comments"], _pct(r["helpful_share"]))
                   for r in fb["per_answer"]])
    out += ["### Comments (\"What was missing?\")", ""]
    out += [f"- **{c['answer']}** ({c['language']}): {_cell(c['text'])}" for c in fb["comments"]] or ["(none)"]
    out += [""]

    ls = report["language_switches"]
    out += ["## Language switches", "",
            f"{ls['conversations']} conversations changed language ({ls['switches']} switches).", ""]
    out += _table(["from -> to", "times"], ls["pairs"].items())
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- JSON


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- CSV

CSV_COLUMNS = ("section", "item", "day", "language", "value", "text")


def _csv(rows: Iterable[Sequence[Any]], columns: Sequence[str] = CSV_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if c is None else c for c in row])
    return buffer.getvalue()


def report_rows(report: dict[str, Any]) -> Iterable[Sequence[Any]]:
    """One row per figure: (section, item, day, language, value, text)."""
    for key, value in report["report"].items():
        yield ("report", key, None, None, value, None)
    for section in ("summary", "previous_period"):
        for key, value in (report.get(section) or {}).items():
            yield (section, key, None, None, value, None)
    conv = report["conversations"]
    for key in ("total", "messages", "typed_messages", "messages_per_conversation"):
        yield ("conversations", key, None, None, conv[key], None)
    for lang, n in conv["by_language"].items():
        yield ("conversations", "by_language", None, lang, n, None)
    for row in conv["per_day"]:
        for lang, n in row.items():
            if lang not in ("day", "total"):
                yield ("conversations_per_day", "conversations", row["day"], lang, n, None)
        yield ("conversations_per_day", "conversations", row["day"], None, row["total"], None)
    iv = report["interview"]
    for key in ("started", "completed", "abandoned", "in_progress", "completion_rate"):
        yield ("interview", key, None, None, iv[key], None)
    for question, n in iv["stopped_at"].items():
        yield ("interview_stopped_at", question, None, None, n, None)
    rt = report["routes"]
    yield ("routes", "answers", None, None, rt["answers"], None)
    yield ("routes", "no_route", None, None, rt["no_route"], None)
    for route, n in rt["given"].items():
        yield ("routes_given", route, None, None, n, None)
    for topic, n in report["answers"]["topics"].items():
        yield ("topics", topic, None, None, n, None)
    for answer, n in report["answers"]["other"].items():
        yield ("answers_other", answer, None, None, n, None)
    nu = report["not_understood"]
    for key in ("messages", "typed_messages", "share"):
        yield ("not_understood", key, None, None, nu[key], None)
    for row in nu["per_day"]:
        yield ("not_understood_per_day", "not_understood", row["day"], None, row["not_understood"], None)
        yield ("not_understood_per_day", "typed_messages", row["day"], None, row["typed_messages"], None)
    for n, group in enumerate(nu["groups"], 1):
        yield ("not_understood_groups", f"group {n}", None, _languages(group["languages"]), group["count"],
               " / ".join(group["examples"]))
    fb = report["feedback"]
    for key in ("asked", "answered", "response_rate", "yes", "no", "helpful_share"):
        yield ("feedback", key, None, None, fb[key], None)
    for row in fb["per_answer"]:
        for key in ("asked", "yes", "no", "comments"):
            yield ("feedback_per_answer", f"{row['answer']}:{key}", None, None, row[key], None)
    for comment in fb["comments"]:
        yield ("feedback_comments", comment["answer"], None, comment["language"], None, comment["text"])
    ls = report["language_switches"]
    yield ("language_switches", "conversations", None, None, ls["conversations"], None)
    yield ("language_switches", "switches", None, None, ls["switches"], None)
    for pair, n in ls["pairs"].items():
        yield ("language_switches", pair, None, None, n, None)


def to_csv(report: dict[str, Any]) -> str:
    return _csv(report_rows(report))


def groups_to_csv(groups: Sequence[Group]) -> str:
    return _csv(((g.count, g.text, " / ".join(g.examples), _languages(g.languages), g.suggested_intent or "")
                 for g in groups), ("count", "text", "examples", "languages", "suggested_intent"))


def groups_to_markdown(groups: Sequence[Group], first_day: str, last_day: str) -> str:
    out = [f"# Not understood {_fi_date(first_day)}–{_fi_date(last_day)}: {sum(g.count for g in groups)} messages "
           f"in {len(groups)} groups", ""]
    out += _table(["#", "messages", "texts", "languages", "closest intent"],
                  [(n, g.count, " / ".join(g.examples), _languages(g.languages), g.suggested_intent)
                   for n, g in enumerate(groups, 1)])
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- Rasa NLU YAML

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# "[PHONE][EMAIL]" or "[PHONE](x)" would read as an entity annotation in Rasa's format.
_ANNOTATION_LIKE = re.compile(r"\](?=[\[({])")


def training_example(text: str) -> str:
    """A stored message as one line of Rasa's ``examples: |`` block."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return _ANNOTATION_LIKE.sub("] ", text)


def groups_to_nlu_yaml(groups: Sequence[Group], first_day: str, last_day: str) -> str:
    """Rasa NLU training data (version 3.1), one block per group with an empty intent for
    staff to fill in (Rasa skips blocks whose intent is empty, with a warning)."""
    total = sum(g.count for g in groups)
    out = [
        f"# Messages the assistant did not understand, {_fi_date(first_day)}–{_fi_date(last_day)}: "
        f"{total} messages in {len(groups)} groups, most frequent first, as stored (redacted).",
        "# For staff (README \"From review to fix\"): for each group write the intent it should have",
        "# (config/domain/*.yml lists them), delete lines that are not a resident's question or still",
        "# contain personal data, delete groups you leave out (a block with an empty intent is",
        "# skipped by Rasa with a warning, and make test fails on warnings), then save the file as",
        "# data/nlu/<fi|sv|en>/review-<date>.yml (one language per file: --language) and run:",
        "# make train && make test",
        'version: "3.1"',
        "nlu:",
    ]
    for n, group in enumerate(groups, 1):
        guess = f"; the model's closest guess: {group.suggested_intent}" if group.suggested_intent else ""
        out.append(f"# {n}. {group.count} message{'s' if group.count != 1 else ''} "
                   f"({_languages(group.languages)}){guess}")
        out.append('- intent: ""')
        out.append("  examples: |")
        seen = set()
        for text in group.texts:
            line = training_example(text)
            if line and line not in seen:
                seen.add(line)
                out.append(f"    - {line}")
    if not groups:
        out[-1] = "nlu: []"
    return "\n".join(out) + "\n"
