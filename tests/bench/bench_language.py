"""Benchmark of bot.language.detect on labelled short utterances (not a pytest test).

Run:  .venv/bin/python tests/bench/bench_language.py [--repeats N]

For each labelled file (tuning set and held-out set) and each detector (ours, lingua
alone, langdetect alone) it reports accuracy overall and by length (1-2 / 3-6 words),
precision/recall per label including ``none`` (no language signal), and the
per-message cost. Results go to tests/bench/results/language.{json,md}.

Scoring: an utterance labelled ``none`` is correct only when the detector returns
None; a language utterance detected as None is wrong.
"""
from __future__ import annotations

import argparse
import importlib
import json
import platform
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.language.detect import SUPPORTED, detect  # noqa: E402

# The package exports the function ``detect``, which shadows the submodule attribute.
detect_module = importlib.import_module("bot.language.detect")

DATA = ROOT / "tests" / "data"
FILES = {
    "tuning": DATA / "language_utterances.tsv",
    "heldout": DATA / "language_utterances_heldout.tsv",
}
RESULTS = Path(__file__).resolve().parent / "results"
LABELS = (*SUPPORTED, "none")
LENGTH_BUCKETS = (("1-2 words", 1, 2), ("3-6 words", 3, 6))
TARGET_ACCURACY = 0.98

Detector = Callable[[str], "str | None"]


def load_utterances(path: Path) -> list[tuple[str, str]]:
    """(text, expected) pairs; expected is fi/sv/en or none."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or number == 1 and line.startswith("text\t"):
            continue
        text, expected = line.rsplit("\t", 1)
        if expected not in LABELS:
            raise ValueError(f"{path.name}:{number}: unknown label {expected!r}")
        rows.append((text, expected))
    return rows


def ours(text: str) -> str | None:
    return detect(text).language


def lingua_alone(text: str) -> str | None:
    """lingua restricted to fi/sv/en, as it comes (it returns None without letters)."""
    language = detect_module._lingua().detect_language_of(text)
    return language.iso_code_639_1.name.lower() if language else None


def langdetect_alone(text: str) -> str | None:
    """langdetect restricted to fi/sv/en; None when it raises (no letters)."""
    scores = detect_module.langdetect_scores(text)
    best = max(SUPPORTED, key=scores.get)
    return best if scores[best] > 0 else None


DETECTORS: dict[str, Detector] = {
    "ours": ours,
    "lingua_alone": lingua_alone,
    "langdetect_alone": langdetect_alone,
}


def label_of(language: str | None) -> str:
    return language or "none"


def accuracy(pairs: list[tuple[str, str]]) -> dict:
    correct = sum(expected == predicted for expected, predicted in pairs)
    return {"n": len(pairs), "correct": correct, "accuracy": round(correct / len(pairs), 4) if pairs else None}


def per_label(pairs: list[tuple[str, str]]) -> dict:
    report = {}
    for label in LABELS:
        true_pos = sum(e == label and p == label for e, p in pairs)
        predicted = sum(p == label for _, p in pairs)
        actual = sum(e == label for e, _ in pairs)
        report[label] = {
            "support": actual,
            "precision": round(true_pos / predicted, 4) if predicted else None,
            "recall": round(true_pos / actual, 4) if actual else None,
        }
    return report


def evaluate(detector: Detector, rows: list[tuple[str, str]]) -> dict:
    predictions = [(text, expected, label_of(detector(text))) for text, expected in rows]
    pairs = [(e, p) for _, e, p in predictions]
    by_length = {}
    for name, low, high in LENGTH_BUCKETS:
        bucket = [(e, p) for text, e, p in predictions if low <= len(text.split()) <= high]
        by_length[name] = accuracy(bucket)
    return {
        **accuracy(pairs),
        "by_length": by_length,
        "per_label": per_label(pairs),
        "confusion": {f"{e}->{p}": n for (e, p), n in sorted(Counter(pairs).items()) if e != p},
        "errors": [{"text": t, "expected": e, "got": p} for t, e, p in predictions if e != p],
    }


def timing(detector: Detector, texts: list[str], repeats: int) -> dict:
    """Per-call cost in microseconds, measured after one warm-up pass."""
    for text in texts:
        detector(text)
    samples = []
    for _ in range(repeats):
        for text in texts:
            start = time.perf_counter_ns()
            detector(text)
            samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    return {
        "calls": len(samples),
        "mean_us": round(statistics.fmean(samples), 1),
        "p50_us": round(samples[len(samples) // 2], 1),
        "p95_us": round(samples[int(len(samples) * 0.95)], 1),
    }


def load_time() -> float:
    """Seconds to build the lexicon and both statistical detectors."""
    start = time.perf_counter()
    detect_module.preload()
    return round(time.perf_counter() - start, 3)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown(results: dict) -> str:
    lines = [
        "# Language detection benchmark",
        "",
        f"Generated by `tests/bench/bench_language.py` (Python {results['python']}). "
        "An utterance labelled `none` is correct only when the detector returns None.",
        f"Detector load time (lexicon + lingua fi/sv/en + langdetect fi/sv/en): "
        f"{results['load_seconds']} s; peak RSS {results['peak_rss_mb']} MB.",
        "",
        "## Accuracy",
        "",
        "| file | detector | n | accuracy | 1-2 words | 3-6 words |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for file_name, per_detector in results["accuracy"].items():
        for name, result in per_detector.items():
            cells = [result["accuracy"], *(result["by_length"][bucket]["accuracy"] for bucket, _, _ in LENGTH_BUCKETS)]
            lines.append(f"| {file_name} | {name} | {result['n']} | " + " | ".join(map(fmt, cells)) + " |")
    lines += ["", "## Precision / recall of `ours` per label", ""]
    lines += ["| file | label | support | precision | recall |", "| --- | --- | ---: | ---: | ---: |"]
    for file_name, per_detector in results["accuracy"].items():
        for label, scores in per_detector["ours"]["per_label"].items():
            precision, recall = fmt(scores["precision"]), fmt(scores["recall"])
            lines.append(f"| {file_name} | {label} | {scores['support']} | {precision} | {recall} |")
    lines += ["", "## Cost per message (after warm-up)", ""]
    lines += ["| detector | mean µs | p50 µs | p95 µs |", "| --- | ---: | ---: | ---: |"]
    for name, cost in results["cost"].items():
        lines.append(f"| {name} | {cost['mean_us']} | {cost['p50_us']} | {cost['p95_us']} |")
    lines += ["", "## Errors of `ours`", ""]
    for file_name, per_detector in results["accuracy"].items():
        errors = per_detector["ours"]["errors"]
        lines.append(f"- {file_name}: {len(errors)}")
        lines += [f"  - `{e['text']}`: expected {e['expected']}, got {e['got']}" for e in errors]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed passes over the utterances")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    args = parser.parse_args()

    seconds = load_time()
    datasets = {name: load_utterances(path) for name, path in FILES.items()}
    results = {
        "python": platform.python_version(),
        "load_seconds": seconds,
        "target_accuracy": TARGET_ACCURACY,
        "files": {name: {"path": str(FILES[name].relative_to(ROOT)), "n": len(rows)}
                  for name, rows in datasets.items()},
        "accuracy": {
            file_name: {name: evaluate(detector, rows) for name, detector in DETECTORS.items()}
            for file_name, rows in datasets.items()
        },
    }
    texts = [text for rows in datasets.values() for text, _ in rows]
    results["cost"] = {name: timing(detector, texts, args.repeats) for name, detector in DETECTORS.items()}
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "language.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    report = markdown(results)
    (args.out / "language.md").write_text(report, encoding="utf-8")
    print(report)

    ours_ok = all(results["accuracy"][name]["ours"]["accuracy"] >= TARGET_ACCURACY for name in datasets)
    return 0 if ours_ok else 1


if __name__ == "__main__":
    sys.exit(main())
