"""Intent-classification benchmark on the held-out NLU set (not a pytest test).

Run:  .venv/bin/python tests/bench/nlu_eval.py [--model PATH] [--keep-model DIR] [--langs fi sv en]
          [--heldout DIR --tag NAME]

``--heldout tests/data/nlu_heldout/fresh --tag fresh`` evaluates the small fresh check set
(written after the main held-out set had been used for several tuning rounds) and writes
nlu_eval-fresh.{json,md}.

1. Trains an NLU-only model with the real pipeline:
   ``python -m rasa train nlu --config config/config.yml --nlu data/nlu --out <tmp>`` (the
   whole folder: data/nlu/<lang>/*.yml)
   (skipped with ``--model``).
2. Per language runs ``python -m rasa test nlu --model <model>
   --nlu tests/data/nlu_heldout/<lang>.yml --out <dir>`` and reads its per-example
   predictions (``intent_successes.json`` / ``intent_errors.json``).
3. Writes tests/bench/results/nlu_eval.{json,md}: per language the intent accuracy,
   macro-F1 and weighted F1, and the 10 worst intents with what they were confused with.

Scoring: the labels are the intents of the held-out file; accuracy, macro-F1 and weighted
F1 are computed over them from the per-example predictions. ``rasa test nlu`` reverts the
FallbackClassifier's ``nlu_fallback`` to the classifier's own top intent, so the headline
numbers are the classifier's. Because in production a prediction below the configured
FallbackClassifier threshold becomes ``nlu_fallback``, the script also reports how many
predictions fall below that threshold and a strict accuracy that counts them as wrong
(the ambiguity threshold is not applied: the runner-up score is not in Rasa's output).

The held-out set is written independently of data/nlu/; the script refuses to run when a
held-out example also occurs in the training data (case-insensitive).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "config.yml"
TRAIN_NLU = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "data" / "nlu_heldout"
RESULTS = Path(__file__).resolve().parent / "results"
LANGS = ("fi", "sv", "en")
TARGET_MACRO_F1 = 0.95
WORST_N = 10
FALLBACK = "nlu_fallback"


def pipeline_info() -> tuple[str, float | None]:
    """(intent classifier names, FallbackClassifier threshold) from config/config.yml."""
    config = yaml.safe_load(CONFIG.read_text()) or {}
    names = [str(c.get("name", "")) for c in config.get("pipeline") or []]
    classifiers = [n.rsplit(".", 1)[-1] for n in names if "Classifier" in n and "Fallback" not in n]
    threshold = next(
        (float(c.get("threshold", 0.3)) for c in config.get("pipeline") or []
         if str(c.get("name", "")).endswith("FallbackClassifier")),
        None,
    )
    return ", ".join(classifiers) or "?", threshold


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_rasa(*args: str, log: Path) -> float:
    """Runs ``python -m rasa <args>`` from the repo root; returns the wall time in seconds."""
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(
            [sys.executable, "-m", "rasa", *args],
            cwd=ROOT,
            env=rasa_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = log.read_text()[-4000:]
        raise SystemExit(f"rasa {' '.join(args[:2])} failed (exit {result.returncode}):\n{tail}")
    return elapsed


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs from a Rasa NLU YAML file or a folder of them."""
    files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    pairs = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((line[2:].strip(), block["intent"]))
    return pairs


def check_independent(langs: list[str], heldout: Path = HELDOUT) -> None:
    training = {text.lower() for text, _ in load_examples(TRAIN_NLU)}
    leaked = [
        (lang, text)
        for lang in langs
        for text, _ in load_examples(heldout / f"{lang}.yml")
        if text.lower() in training
    ]
    if leaked:
        listing = "\n".join(f"  {lang}: {text}" for lang, text in leaked[:20])
        raise SystemExit(f"{len(leaked)} held-out examples also occur in data/nlu/:\n{listing}")


def train(out_dir: Path) -> tuple[Path, float]:
    out_dir.mkdir(parents=True, exist_ok=True)
    seconds = run_rasa(
        "train", "nlu", "--config", str(CONFIG), "--nlu", str(TRAIN_NLU),
        "--out", str(out_dir), "--fixed-model-name", "nlu-eval",
        log=out_dir / "train.log",
    )
    models = sorted(out_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise SystemExit(f"no model written to {out_dir}")
    return models[-1], seconds


def predictions(run_dir: Path) -> list[dict]:
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = run_dir / name
        if path.exists():
            for item in json.loads(path.read_text()):
                prediction = item.get("intent_prediction") or {}
                rows.append(
                    {
                        "text": item["text"],
                        "gold": item["intent"],
                        "predicted": prediction.get("name") or "None",
                        "confidence": round(float(prediction.get("confidence") or 0.0), 3),
                    }
                )
    return rows


def score(rows: list[dict], labels: list[str], threshold: float | None = None) -> dict:
    """Accuracy, per-intent P/R/F1, macro and support-weighted F1 over the gold labels."""
    tp, fp, fn = Counter(), Counter(), Counter()
    confused: dict[str, Counter] = defaultdict(Counter)
    errors: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        gold, predicted = row["gold"], row["predicted"]
        if gold == predicted:
            tp[gold] += 1
        else:
            fn[gold] += 1
            fp[predicted] += 1
            confused[gold][predicted] += 1
            errors[gold].append(row)
    per_intent = {}
    for label in labels:
        support = tp[label] + fn[label]
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        # intents that took this intent's examples (false positives by source)
        stolen_from = Counter(
            {g: c[label] for g, c in confused.items() if c.get(label)}
        )
        per_intent[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
            "confused_with": dict(confused[label].most_common()),
            "false_positives_from": dict(stolen_from.most_common()),
            "errors": [
                {"text": r["text"], "predicted": r["predicted"], "confidence": r["confidence"]}
                for r in errors[label]
            ],
        }
    total = len(rows)
    supported = [label for label in labels if per_intent[label]["support"]]
    macro = sum(per_intent[label]["f1"] for label in supported) / len(supported) if supported else 0.0
    weighted = (
        sum(per_intent[label]["f1"] * per_intent[label]["support"] for label in supported) / total if total else 0.0
    )
    accuracy = sum(tp.values()) / total if total else 0.0
    low = [r for r in rows if threshold is not None and r["confidence"] < threshold]
    below = len(low)
    strict = sum(1 for r in rows if r["gold"] == r["predicted"] and r not in low)
    return {
        "n": total,
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "weighted_f1": round(weighted, 4),
        "fallbacks": sum(1 for r in rows if r["predicted"] == FALLBACK),
        "fallback_threshold": threshold,
        "below_fallback_threshold": below,
        "strict_accuracy": round(strict / total, 4) if total else 0.0,
        "per_intent": per_intent,
    }


def worst(per_intent: dict, n: int = WORST_N) -> list[dict]:
    ranked = sorted(per_intent.items(), key=lambda kv: (kv[1]["f1"], kv[1]["recall"], kv[0]))
    return [{"intent": name, **values} for name, values in ranked[:n]]


def evaluate(model: Path, lang: str, work: Path, folder: Path = HELDOUT) -> dict:
    heldout = folder / f"{lang}.yml"
    run_dir = work / f"test-{lang}"
    run_dir.mkdir(parents=True, exist_ok=True)
    seconds = run_rasa(
        "test", "nlu", "--model", str(model), "--nlu", str(heldout), "--out", str(run_dir),
        "--successes", "--no-plot", log=run_dir / "test.log",
    )
    rows = predictions(run_dir)
    labels = sorted({intent for _, intent in load_examples(heldout)})
    if len(rows) != len(load_examples(heldout)):
        raise SystemExit(f"{lang}: {len(rows)} predictions for {len(load_examples(heldout))} examples")
    result = score(rows, labels, pipeline_info()[1])
    rasa_report = run_dir / "intent_report.json"
    if rasa_report.exists():
        report = json.loads(rasa_report.read_text())
        result["rasa_report_macro_f1"] = round(report.get("macro avg", {}).get("f1-score", 0.0), 4)
    result["test_seconds"] = round(seconds, 1)
    result["worst"] = worst(result["per_intent"])
    return result


def write_markdown(summary: dict, path: Path) -> None:
    lines = [
        "# NLU intent benchmark (held-out set)",
        "",
        f"Generated by `tests/bench/nlu_eval.py` on {summary['generated']} "
        f"(Python {summary['python']}). Training data: `data/nlu/` "
        f"({summary['training_examples']} examples); held-out: `{summary['heldout']}/`.",
        f"Intent classifier: {summary['classifier']}. NLU training took "
        f"{summary['training_seconds']} s. `rasa test nlu` reverts FallbackClassifier "
        "predictions, so the scores are the classifier's own; *below fallback* counts "
        f"predictions under the FallbackClassifier threshold ({summary['fallback_threshold']}), "
        "which in production would become `nlu_fallback`, and *strict accuracy* counts them as wrong.",
        f"Target: intent macro-F1 ≥ {summary['target_macro_f1']} in each language.",
        "",
        "| language | n | accuracy | macro-F1 | weighted F1 | below fallback | strict accuracy | target met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for lang, res in summary["languages"].items():
        met = "yes" if res["macro_f1"] >= summary["target_macro_f1"] else "no"
        lines.append(
            f"| {lang} | {res['n']} | {res['accuracy']:.3f} | {res['macro_f1']:.3f} | "
            f"{res['weighted_f1']:.3f} | {res['below_fallback_threshold']} | "
            f"{res['strict_accuracy']:.3f} | {met} |"
        )
    for lang, res in summary["languages"].items():
        lines += [
            "",
            f"## {lang}: worst {WORST_N} intents",
            "",
            "| intent | P | R | F1 | n | confused with (gold → predicted) | taken from |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for item in res["worst"]:
            confused = ", ".join(f"{k} ×{v}" for k, v in item["confused_with"].items()) or "–"
            taken = ", ".join(f"{k} ×{v}" for k, v in item["false_positives_from"].items()) or "–"
            lines.append(
                f"| {item['intent']} | {item['precision']:.2f} | {item['recall']:.2f} | "
                f"{item['f1']:.2f} | {item['support']} | {confused} | {taken} |"
            )
        errors = [
            (item["intent"], e) for item in res["worst"] for e in item["errors"]
        ]
        if errors:
            lines += ["", "Misclassified examples of these intents:", ""]
            for intent, e in errors:
                lines.append(
                    f"- `{e['text']}` — {intent} → {e['predicted']} ({e['confidence']:.2f})"
                )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="evaluate this model instead of training one")
    parser.add_argument("--keep-model", type=Path, help="copy the trained model into this folder")
    parser.add_argument("--langs", nargs="+", default=list(LANGS), choices=LANGS)
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    parser.add_argument("--heldout", type=Path, default=HELDOUT, help="folder with <lang>.yml")
    parser.add_argument("--tag", default="", help="suffix for the result file names")
    args = parser.parse_args()

    heldout = args.heldout.resolve()
    check_independent(args.langs, heldout)
    with tempfile.TemporaryDirectory(prefix="nlu-eval-") as tmp:
        work = Path(tmp)
        if args.model:
            model, training_seconds = args.model.resolve(), None
        else:
            print("training NLU model ...", flush=True)
            model, training_seconds = train(work / "models")
            print(f"  trained in {training_seconds:.0f} s", flush=True)
            if args.keep_model:
                args.keep_model.mkdir(parents=True, exist_ok=True)
                shutil.copy2(model, args.keep_model / model.name)
        languages = {}
        for lang in args.langs:
            print(f"testing {lang} ...", flush=True)
            languages[lang] = evaluate(model, lang, work, heldout)
            res = languages[lang]
            print(
                f"  {lang}: accuracy {res['accuracy']:.3f}  macro-F1 {res['macro_f1']:.3f}  "
                f"weighted F1 {res['weighted_f1']:.3f}  below fallback threshold "
                f"{res['below_fallback_threshold']}  strict accuracy {res['strict_accuracy']:.3f}",
                flush=True,
            )

    summary = {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "config": str(CONFIG.relative_to(ROOT)),
        "classifier": pipeline_info()[0],
        "fallback_threshold": pipeline_info()[1],
        "heldout": str(heldout.relative_to(ROOT)) if heldout.is_relative_to(ROOT) else str(heldout),
        "training_examples": len(load_examples(TRAIN_NLU)),
        "training_seconds": round(training_seconds, 1) if training_seconds is not None else None,
        "target_macro_f1": TARGET_MACRO_F1,
        "target_met": all(r["macro_f1"] >= TARGET_MACRO_F1 for r in languages.values()),
        "languages": languages,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"nlu_eval-{args.tag}" if args.tag else "nlu_eval"
    (args.out / f"{stem}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_markdown(summary, args.out / f"{stem}.md")
    print(f"wrote {args.out / (stem + '.json')} and {args.out / (stem + '.md')}")
    if not summary["target_met"]:
        print(f"target macro-F1 {TARGET_MACRO_F1} not met in every language")


if __name__ == "__main__":
    main()
