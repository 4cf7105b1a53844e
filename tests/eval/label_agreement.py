"""How far two labellings of the real messages agree, and what the assistant's answers score
under each (tests/eval/README.md, "Twenty-fourth stop").

    .venv/bin/python tests/eval/label_agreement.py
    .venv/bin/python tests/eval/label_agreement.py --second F --results R

Agreement: the second labelling's first choice among the first labelling's expected answers;
any expected answer in common; the same contact where both expect the honest answer. The
assistant's answers (a scorer's results file) are judged by answer id and contact only, without
the key-fact check of score_residents.py, so the two labellings are compared on equal terms.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def acceptable(got: str, contact: str | None, expect: list[str], fallback_contact: str | None) -> bool:
    """Is the answer ``got`` (with ``contact`` for an honest answer) one the labels accept?"""
    if got not in expect:
        return False
    return got != "fallback" or not fallback_contact or contact == fallback_contact


def compare(first: dict[str, dict], second: dict[str, dict], results: dict[str, dict]) -> dict[str, float]:
    ids = [i for i in second if i in first]
    n = len(ids)
    first_choice = sum(second[i]["expect"][0] in first[i]["expect"] for i in ids)
    overlap = sum(bool(set(second[i]["expect"]) & set(first[i]["expect"])) for i in ids)
    both_fallback = [i for i in ids if "fallback" in first[i]["expect"] and "fallback" in second[i]["expect"]]
    same_contact = sum(first[i].get("fallback_contact") == second[i].get("fallback_contact") for i in both_fallback)
    scored = [i for i in ids if i in results]
    under_first = sum(acceptable(results[i]["got"], results[i].get("contact"), first[i]["expect"],
                                 first[i].get("fallback_contact")) for i in scored)
    under_second = sum(acceptable(results[i]["got"], results[i].get("contact"), second[i]["expect"],
                                  second[i].get("fallback_contact")) for i in scored)
    return {
        "messages": n,
        "first_choice_agrees_pct": round(100 * first_choice / n, 1),
        "any_expected_in_common_pct": round(100 * overlap / n, 1),
        "both_honest_answer": len(both_fallback),
        "same_contact_pct": round(100 * same_contact / max(len(both_fallback), 1), 1),
        "answers_scored": len(scored),
        "acceptable_under_first_pct": round(100 * under_first / max(len(scored), 1), 1),
        "acceptable_under_second_pct": round(100 * under_second / max(len(scored), 1), 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", type=Path, default=HERE / "residents_dev.yml")
    parser.add_argument("--second", type=Path, default=HERE / "results" / "residents_dev_second_labels.yml")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "residents_dev.json")
    args = parser.parse_args(argv)
    first = {m["id"]: m for m in yaml.safe_load(args.first.read_text(encoding="utf-8"))["messages"]}
    second = {m["id"]: m for m in yaml.safe_load(args.second.read_text(encoding="utf-8"))["labels"]}
    results = {m["id"]: m for m in json.loads(args.results.read_text(encoding="utf-8"))["messages"]}
    print(json.dumps(compare(first, second, results), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
