"""Split the residents' evaluation messages into a dev and a test file, reproducibly.

    .venv/bin/python tests/eval/split_residents.py            # re-split the two files in place
    .venv/bin/python tests/eval/split_residents.py --pool F   # split a new pool (ids assigned here)
    .venv/bin/python tests/eval/split_residents.py --add F    # split only the messages in F and append them
    .venv/bin/python tests/eval/split_residents.py --move-to-dev SHARE --round NAME
                                                              # move a random SHARE of each language's test
                                                              # messages to dev (a second reading)

The split is random, per language, with a fixed seed (``SEED``): the messages of one language
are sorted by id, shuffled with ``random.Random(f"{SEED}-{language}")`` and the first
``round(n * DEV_SHARE)`` go to the dev file, the rest to the test file. It is not chosen by
difficulty or by how the assistant does on a message. Re-running it on the two files gives the
same split; adding messages changes it only through the new ids (add messages at the end of a
language, then re-run, and say so in the commit).

``--add F`` keeps every message where it is and splits only the new messages of F the same way
(per language, sorted by id, shuffled with ``random.Random(f"{SEED}-{language}")``, the first
``round(n * DEV_SHARE)`` to dev), so scores of the old messages stay comparable message by message.

``--move-to-dev SHARE --round NAME`` makes more of the real messages readable when the read ones
no longer tell the developers why the held-out ones fail: per language, the test messages sorted
by id are shuffled with ``random.Random(f"{SEED}-{NAME}-{language}")`` and the first
``round(n * SHARE)`` move to dev. Again not chosen by difficulty or by results; the messages
that stay in test are never read. After a move, do not re-split in place (no arguments): that
would shuffle read messages back into the test set. Score the model on both parts before moving, so the
before numbers of the smaller test set are on record.

Never copy these messages into data/ (training data): tests/test_eval_set.py checks it.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DEV = HERE / "residents_dev.yml"
TEST = HERE / "residents_test.yml"
SEED = "kuntoutusopas-residents-2026"
DEV_SHARE = 0.25  # the intended 50 of 200: dev is a quarter of each language
LANGUAGES = ("fi", "sv", "en")

HEADER = """\
# Real residents' messages for evaluating the assistant ({kind} set).
# Found on public pages (FAQ pages of cities, wellbeing counties, Kela, THL, ministries;
# news stories and blogs quoting residents; Reddit threads). Each entry names its page.
# See tests/eval/README.md. {note}
# NEVER copy these messages into data/ (training data) - tests/test_eval_set.py checks it.
# Split by tests/eval/split_residents.py (seed {seed!r}, {share:.0%} of each language to dev,
# then a third of the test set moved to dev; see "The split" in tests/eval/README.md).
"""
NOTES = {
    "dev": "The lead engineer may read this set while improving the assistant.",
    "test": "Used only to measure: do not read it to tune the assistant.",
}


def load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("messages") or [])


def assign_ids(messages: list[dict]) -> None:
    counters: dict[str, int] = defaultdict(int)
    for message in messages:
        if message.get("id"):
            continue
        lang = message["language"]
        counters[lang] += 1
        message["id"] = f"{lang}-{counters[lang]:03d}"


def next_ids(existing: list[dict], new: list[dict]) -> None:
    """Give the new messages without an id the next free ids of their language."""
    last: dict[str, int] = defaultdict(int)
    for message in existing + new:
        if message.get("id"):
            lang, number = message["id"].split("-")
            last[lang] = max(last[lang], int(number))
    for message in new:
        if not message.get("id"):
            lang = message["language"]
            last[lang] += 1
            message["id"] = f"{lang}-{last[lang]:03d}"


def split(messages: list[dict]) -> dict[str, list[dict]]:
    by_lang: dict[str, list[dict]] = defaultdict(list)
    for message in messages:
        by_lang[message["language"]].append(message)
    out: dict[str, list[dict]] = {"dev": [], "test": []}
    for lang in LANGUAGES:
        items = sorted(by_lang.get(lang, []), key=lambda m: m["id"])
        random.Random(f"{SEED}-{lang}").shuffle(items)
        k = round(len(items) * DEV_SHARE)
        out["dev"] += items[:k]
        out["test"] += items[k:]
    for kind in out:
        out[kind].sort(key=lambda m: (LANGUAGES.index(m["language"]), m["id"]))
    return out


def move_to_dev(test: list[dict], share: float, name: str) -> tuple[list[dict], list[dict]]:
    """A seeded random share of each language's test messages: (moved to dev, kept in test)."""
    moved: list[dict] = []
    kept: list[dict] = []
    for lang in LANGUAGES:
        items = sorted((m for m in test if m["language"] == lang), key=lambda m: m["id"])
        random.Random(f"{SEED}-{name}-{lang}").shuffle(items)
        k = round(len(items) * share)
        moved += items[:k]
        kept += items[k:]
    return moved, kept


def ordered(message: dict) -> dict:
    keys = ("id", "language", "text", "source", "expect", "related", "fallback_contact", "facts",
            "key_fact", "key_patterns", "municipality", "notes")
    return {k: message[k] for k in keys if k in message} | {k: v for k, v in message.items() if k not in keys}


def write(path: Path, kind: str, messages: list[dict]) -> None:
    body = yaml.safe_dump({"messages": [ordered(m) for m in messages]}, allow_unicode=True,
                          sort_keys=False, width=120)
    path.write_text(HEADER.format(kind=kind, note=NOTES[kind], seed=SEED, share=DEV_SHARE) + body,
                    encoding="utf-8")


def report(parts: dict[str, list[dict]], lead: str = "") -> None:
    """How many messages each part has, per language."""
    for kind, items in parts.items():
        counts = {lang: sum(m["language"] == lang for m in items) for lang in LANGUAGES}
        print(f"{lead}{kind}: {len(items)} {counts}")


def write_both(parts: dict[str, list[dict]]) -> None:
    """Write the dev and test files, each sorted by language and id, and report their sizes."""
    for kind in parts:
        parts[kind].sort(key=lambda m: (LANGUAGES.index(m["language"]), m["id"]))
    write(DEV, "dev", parts["dev"])
    write(TEST, "test", parts["test"])
    report(parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pool", type=Path, help="a YAML file {messages: [...]} to split (ids assigned if missing)")
    parser.add_argument("--add", type=Path, help="a YAML file {messages: [...]} of new messages: split only these "
                                                 "and append them, leaving the existing ones where they are")
    parser.add_argument("--move-to-dev", type=float, metavar="SHARE",
                        help="move this share of each language's test messages to dev (with --round)")
    parser.add_argument("--round", help="the name of this second reading; it seeds the shuffle")
    args = parser.parse_args(argv)
    if args.move_to_dev:
        if not args.round or not 0 < args.move_to_dev < 1:
            print("--move-to-dev needs a share between 0 and 1 and --round NAME", file=sys.stderr)
            return 1
        dev, test = load(DEV), load(TEST)
        moved, kept = move_to_dev(test, args.move_to_dev, args.round)
        report({"moved to dev": moved}, "")
        write_both({"dev": dev + moved, "test": kept})
        return 0
    if args.add:
        dev, test, new = load(DEV), load(TEST), load(args.add)
        next_ids(dev + test, new)
        ids = [m["id"] for m in dev + test + new]
        if len(ids) != len(set(ids)):
            print("duplicate ids", file=sys.stderr)
            return 1
        parts = split(new)
        report(parts, "added to ")
        write_both({"dev": dev + parts["dev"], "test": test + parts["test"]})
        return 0
    if args.pool:
        messages = load(args.pool)
        assign_ids(messages)
    else:
        messages = load(DEV) + load(TEST)
    ids = [m["id"] for m in messages]
    if len(ids) != len(set(ids)):
        print("duplicate ids", file=sys.stderr)
        return 1
    parts = split(messages)
    write(DEV, "dev", parts["dev"])
    write(TEST, "test", parts["test"])
    report(parts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
