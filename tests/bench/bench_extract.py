"""Extraction benchmark on held-out interview answers (not a pytest test; no model needed).

Run:  .venv/bin/python tests/bench/bench_extract.py [--tag NAME] [--data DIR]

Reads tests/data/interview_answers/{fi,sv,en}.yml (answers a resident might type during
the interview, each with exactly the facts a correct reading gives and whether it says
"I don't know"), runs ``bot.nlu.extract.extract_facts(text, language)`` and
``bot.nlu.replies.is_dont_know(text, language)`` on each, and writes
tests/bench/results/extract[-TAG].{json,md}:

* facts: per language true positives (entity and value right), false positives (a fact
  not expected, or a wrong value), false negatives (an expected fact missing or wrong),
  precision, recall and F1, and the same per entity;
* "don't know": how many of the answers marked ``dont_know`` are recognised, and how many
  other answers are wrongly taken as "don't know";
* every miss, so a reader sees what kind of writing is not understood.

A wrong value counts as one false positive and one false negative.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot import municipalities  # noqa: E402
from bot.nlu.extract import ENTITIES, extract_facts  # noqa: E402

try:  # added with the interview's "don't know" handling; absent in older checkouts
    from bot.nlu.replies import is_dont_know  # noqa: E402
except ImportError:  # pragma: no cover - measuring an older version
    is_dont_know = None

DATA = ROOT / "tests" / "data" / "interview_answers"
RESULTS = Path(__file__).resolve().parent / "results"
LANGS = ("fi", "sv", "en")


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def scores(tp: int, fp: int, fn: int) -> dict:
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 3) if precision and recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def evaluate(language: str, items: list[dict]) -> dict:
    totals = defaultdict(int)
    per_entity = {e: defaultdict(int) for e in ENTITIES}
    misses = []
    dk = {"expected": 0, "found": 0, "false": 0, "measured": is_dont_know is not None}
    started = time.perf_counter()
    for item in items:
        text = item["text"]
        expected = {k: str(v) for k, v in (item.get("facts") or {}).items()}
        got = {f.entity: f.value for f in extract_facts(text, language)}
        for entity in set(expected) | set(got):
            e, g = expected.get(entity), got.get(entity)
            if e is not None and e == g:
                totals["tp"] += 1
                per_entity[entity]["tp"] += 1
                continue
            if g is not None:
                totals["fp"] += 1
                per_entity[entity]["fp"] += 1
            if e is not None:
                totals["fn"] += 1
                per_entity[entity]["fn"] += 1
        said_dk = bool(is_dont_know(text, language)) if is_dont_know else False
        if item.get("dont_know"):
            dk["expected"] += 1
            dk["found"] += said_dk
        elif said_dk:
            dk["false"] += 1
        if got != expected or said_dk != bool(item.get("dont_know")):
            misses.append({"text": text, "expected": expected, "got": got,
                           "dont_know": bool(item.get("dont_know")), "read_as_dont_know": said_dk})
    elapsed = time.perf_counter() - started
    return {
        "answers": len(items),
        "facts_expected": sum(len(i.get("facts") or {}) for i in items),
        "facts": scores(totals["tp"], totals["fp"], totals["fn"]),
        "per_entity": {e: scores(c["tp"], c["fp"], c["fn"]) for e, c in per_entity.items() if any(c.values())},
        "dont_know": {**dk, "recall": ratio(dk["found"], dk["expected"]) if dk["measured"] else None},
        "exact_answers": len(items) - len(misses),
        "ms_per_answer": round(1000 * elapsed / max(1, len(items)), 2),
        "misses": misses,
    }


def markdown(report: dict) -> str:
    def pct(v):
        return "n/a" if v is None else f"{100 * v:.1f} %"

    lines = [
        f"# Extraction benchmark{' (' + report['tag'] + ')' if report['tag'] else ''}",
        "",
        f"{report['generated']} · `tests/bench/bench_extract.py` on `{report['data']}/` "
        f"(held out, not training data).",
        "",
        f"Municipality lookup: {report.get('municipality_lookup_ms', 'n/a')} ms CPU per sentence after warm-up.",
        "",
        "| language | answers | facts expected | precision | recall | F1 | exact answers "
        "| \"don't know\" recognised | wrongly \"don't know\" |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for lang, r in report["languages"].items():
        f, dk = r["facts"], r["dont_know"]
        found = f"{dk['found']}/{dk['expected']}" if dk["measured"] else f"not measured (0/{dk['expected']})"
        lines.append(f"| {lang} | {r['answers']} | {r['facts_expected']} | {pct(f['precision'])} | "
                     f"{pct(f['recall'])} | {f['f1']:.3f} | {r['exact_answers']}/{r['answers']} | {found} | "
                     f"{dk['false']} |")
    lines += ["", "## Per entity (all languages)", "", "| entity | tp | fp | fn | precision | recall |",
              "| --- | --- | --- | --- | --- | --- |"]
    merged: dict = defaultdict(lambda: defaultdict(int))
    for r in report["languages"].values():
        for entity, s in r["per_entity"].items():
            for k in ("tp", "fp", "fn"):
                merged[entity][k] += s[k]
    for entity in ENTITIES:
        if entity in merged:
            s = scores(merged[entity]["tp"], merged[entity]["fp"], merged[entity]["fn"])
            lines.append(f"| {entity} | {s['tp']} | {s['fp']} | {s['fn']} | {pct(s['precision'])} | "
                         f"{pct(s['recall'])} |")
    lines += ["", "## Answers not read exactly", ""]
    for lang, r in report["languages"].items():
        lines.append(f"### {lang} ({len(r['misses'])})")
        lines.append("")
        for m in r["misses"]:
            extra = ""
            if m["dont_know"] != m["read_as_dont_know"]:
                extra = " · \"don't know\" " + ("missed" if m["dont_know"] else "read wrongly")
            lines.append(f"- `{m['text']}` expected {m['expected']}, got {m['got']}{extra}")
        lines.append("")
    return "\n".join(lines)


#: The sentence the municipality lookup is timed on (a long message naming two places).
LOOKUP_SENTENCE = "olen 45v helsinkiläinen ja minulla on lähete kuntouttavaan työtoimintaan Kempeleessä"


def municipality_lookup_ms(rounds: int = 200) -> float:
    """CPU milliseconds of one ``find_municipalities`` call after warm-up, its cache cleared
    each time (CPU time of this thread: other work on the machine does not count)."""
    municipalities.find_municipalities(LOOKUP_SENTENCE)  # loads simplemma and builds the tables
    started = time.thread_time()
    for _ in range(rounds):
        municipalities._resolve.cache_clear()
        municipalities.find_municipalities(LOOKUP_SENTENCE)
    return round(1000 * (time.thread_time() - started) / rounds, 3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default="", help="results go to extract-TAG.{json,md}")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    report = {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "tag": args.tag,
        "data": (str(args.data.resolve().relative_to(ROOT)) if args.data.resolve().is_relative_to(ROOT)
                 else str(args.data)),
        "python": platform.python_version(),
        "languages": {},
    }
    extract_facts("olen 45", "fi")  # load tokenizers and dictionaries before timing
    for lang in LANGS:
        data = yaml.safe_load((args.data / f"{lang}.yml").read_text(encoding="utf-8"))
        assert data["language"] == lang, f"{lang}.yml: language {data['language']!r}"
        report["languages"][lang] = evaluate(lang, data["answers"])
    report["municipality_lookup_ms"] = municipality_lookup_ms()
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"extract-{args.tag}" if args.tag else "extract"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(report) + "\n", encoding="utf-8")
    for lang, r in report["languages"].items():
        f = r["facts"]
        print(f"{lang}: precision {f['precision']} recall {f['recall']} F1 {f['f1']} "
              f"exact {r['exact_answers']}/{r['answers']} dont_know {r['dont_know']['found']}/"
              f"{r['dont_know']['expected']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
