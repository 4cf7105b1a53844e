"""The residents' evaluation set (tests/eval/residents_*.yml) is well formed and kept apart
from the training data. Fast: no model, no servers."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from tests.eval import score_residents

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "eval"
FILES = {"dev": EVAL / "residents_dev.yml", "test": EVAL / "residents_test.yml"}
LANGUAGES = {"fi", "sv", "en"}

# The answer ids the scorer knows (one list, in the scorer).
TOPICS = score_residents.TOPICS
OTHER = {"interview", "route", "fallback", "human_contact", "out_of_scope", "emergency",
         "greet", "thanks", "goodbye", "help", "bot_challenge"}
ANSWER_IDS = TOPICS | OTHER
# the kinds of bot/knowledge/asking.yml (working_life: wages, contracts, the workplace)
CONTACTS = {"kela", "social_ombudsman", "social_services", "employment_services", "unemployment_fund", "municipality",
            "working_life"}
FACT_KEYS = {"municipality", "age", "unemployed", "health_affects_work_ability", "disability",
             "referral", "plan", "client_of"}
REQUIRED = ("id", "language", "text", "source", "expect", "key_fact")
ALLOWED = set(REQUIRED) | {"related", "key_patterns", "municipality", "notes", "facts", "fallback_contact"}
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", re.IGNORECASE)


def load(path: Path) -> list[dict]:
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or [])


SETS: dict[str, list[dict]] = {name: load(path) for name, path in FILES.items()}
ALL = [m for messages in SETS.values() for m in messages]


def normalise(text: str) -> str:
    """Case, accents' composition, punctuation and spacing do not make a message new."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def test_both_files_exist_and_are_not_empty():
    for name, messages in SETS.items():
        assert messages, f"{FILES[name]} has no messages"


def test_every_language_is_in_both_sets():
    for name, messages in SETS.items():
        assert {m.get("language") for m in messages} == LANGUAGES, name


@pytest.mark.parametrize("message", ALL, ids=lambda m: str(m.get("id")))
def test_message_fields(message):
    missing = [f for f in REQUIRED if not message.get(f)]
    assert not missing, f"missing {missing}"
    unknown = set(message) - ALLOWED
    assert not unknown, f"unknown fields {sorted(unknown)}"
    assert message["language"] in LANGUAGES
    assert re.fullmatch(rf"{message['language']}-\d{{3}}", message["id"]), message["id"]
    assert isinstance(message["text"], str) and message["text"].strip()

    source = message["source"]
    assert isinstance(source, dict) and set(source) <= {"url", "title", "date"}
    assert URL.match(source.get("url") or ""), f"not an http(s) address: {source.get('url')!r}"
    assert (source.get("title") or "").strip(), "source.title is empty"
    if "date" in source:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(source["date"])), source["date"]

    expect = message["expect"]
    assert isinstance(expect, list) and expect and all(a in ANSWER_IDS for a in expect), expect
    related = message.get("related") or []
    assert isinstance(related, list) and all(a in ANSWER_IDS for a in related), related
    assert not set(expect) & set(related), "an id is both expected and related"

    patterns = message.get("key_patterns") or []
    assert isinstance(patterns, list)
    for pattern in patterns:
        re.compile(pattern, re.IGNORECASE)
    if set(expect) & (TOPICS | {"fallback"}):
        assert patterns, "a topic or fallback answer needs key_patterns to check the key fact"

    if "fallback" in expect:
        assert message.get("fallback_contact") in CONTACTS, "fallback needs fallback_contact"
    elif "fallback_contact" in message:
        assert message["fallback_contact"] in CONTACTS

    if "facts" in message:  # the facts the message states, checked when the answer is the interview
        assert isinstance(message["facts"], dict) and message["facts"], "facts must be a non-empty mapping"
        assert set(message["facts"]) <= FACT_KEYS, message["facts"]
    if "municipality" in message:
        assert isinstance(message["municipality"], str) and message["municipality"].strip()


def test_ids_are_unique_across_both_sets():
    ids = [m.get("id") for m in ALL]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, duplicates


def test_no_message_is_in_both_sets():
    dev = {normalise(m["text"]) for m in SETS["dev"]}
    both = [m["id"] for m in SETS["test"] if normalise(m["text"]) in dev]
    assert not both, f"same text in dev and test: {both}"


def training_examples() -> dict[str, Path]:
    examples: dict[str, Path] = {}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                text = re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}",
                              lambda m: m.group(1) or m.group(2), stripped[2:])
                examples.setdefault(normalise(text), path)
    return examples


def test_no_message_is_copied_into_the_training_data():
    """The set measures how the assistant generalises: none of its messages may be a training
    example (compared after normalising case, punctuation and spacing; entity annotations
    removed)."""
    examples = training_examples()
    assert examples, "no training examples found under data/"
    leaked = [f"{m['id']} ({examples[normalise(m['text'])].relative_to(ROOT)}): {m['text']}"
              for m in ALL if normalise(m["text"]) in examples]
    assert not leaked, "messages of the evaluation set found in the training data:\n" + "\n".join(leaked)


PROBE_FILES = sorted(EVAL.glob("written_probes*.yml"))


def test_the_written_probe_sets_are_there():
    assert len(PROBE_FILES) >= 4
    assert len(load(EVAL / "written_probes.yml")) >= 270


@pytest.mark.parametrize("path", PROBE_FILES, ids=lambda p: p.name)
def test_no_written_probe_is_copied_into_the_training_data(path):
    """The written probes (development sets, tests/eval/written_probes*.yml) find what the
    assistant misreads only while none of them is a training example."""
    probes = load(path)
    assert probes and {p["language"] for p in probes} <= LANGUAGES
    examples = training_examples()
    leaked = [f"{p['id']}: {p['text']}" for p in probes if normalise(p["text"]) in examples]
    assert not leaked, f"written probes of {path.name} found in the training data:\n" + "\n".join(leaked)


# ------------------------------------------------------------------ whole conversations

CONVERSATION_FILES = {"dev": EVAL / "conversations_dev.yml", "test": EVAL / "conversations_test.yml"}


def load_conversations(path: Path) -> list[dict]:
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or [])


def _conversation_problems(conversation: dict) -> list[str]:
    """What is wrong with one conversation (by field, without its texts: the test set is not read)."""
    from bot.profile import FIELD_ORDER, Profile, ProfileError

    problems = []
    if conversation.get("language") not in LANGUAGES:
        problems.append("language")
    turns = [conversation.get("opening") or {}, *(conversation.get("asides") or []),
             *(conversation.get("follow_ups") or [])]
    for turn in turns:
        if not isinstance(turn.get("text"), str) or not turn["text"].strip():
            problems.append("a turn without text")
        if not turn.get("expect") or not set(turn["expect"]) <= ANSWER_IDS:
            problems.append(f"expect {turn.get('expect')}")
        if turn.get("fallback_contact") not in (None, *CONTACTS):
            problems.append(f"fallback_contact {turn.get('fallback_contact')}")
    answers = conversation.get("answers") or {}
    if set(answers) != set(FIELD_ORDER):
        problems.append(f"answers for {sorted(answers)}")
    given = dict(conversation.get("opening", {}).get("gives") or {})
    for field, answer in answers.items():
        if not isinstance(answer.get("text"), str) or not answer["text"].strip():
            problems.append(f"answers.{field} without text")
        given.update(answer.get("gives") or {})
    for aside in conversation.get("asides") or []:
        if aside.get("instead_of") not in FIELD_ORDER:
            problems.append(f"aside instead of {aside.get('instead_of')}")
    try:
        Profile.from_mapping(given)
    except ProfileError as exc:
        problems.append(f"facts: {exc}")
    return problems


@pytest.mark.parametrize("name", sorted(CONVERSATION_FILES))
def test_the_conversation_sets_are_well_formed(name):
    conversations = load_conversations(CONVERSATION_FILES[name])
    assert len(conversations) >= 20
    assert {c["language"] for c in conversations} == LANGUAGES
    ids = [c["id"] for c in conversations]
    assert len(ids) == len(set(ids))
    broken = {c["id"]: problems for c in conversations if (problems := _conversation_problems(c))}
    assert not broken, broken


@pytest.mark.parametrize("name", sorted(CONVERSATION_FILES))
def test_no_conversation_turn_is_copied_into_the_training_data(name):
    """Short answers ("joo", "nej", "Helsinki", "thanks") and the buttons' titles typed ("I'd
    rather not say") are the answers' own vocabulary and training examples too; any other turn
    of four words or more must not be one."""
    from bot.knowledge import get_knowledge

    titles = {normalise(text) for m in get_knowledge().messages.values() for text in m.text.values() if text}
    examples = {text: path for text, path in training_examples().items() if text not in titles}
    leaked = []
    for c in load_conversations(CONVERSATION_FILES[name]):
        texts = [c["opening"]["text"], *(a["text"] for a in c["answers"].values()),
                 *(t["text"] for t in (c.get("asides") or []) + (c.get("follow_ups") or []))]
        leaked += [c["id"] for text in texts if len(normalise(text).split()) >= 4 and normalise(text) in examples]
    assert not leaked, f"turns of these conversations are training examples: {sorted(set(leaked))}"


def test_the_second_reading_moves_a_seeded_share_of_each_language_and_keeps_the_rest():
    """split_residents.move_to_dev: the same messages move on every run (seeded per language),
    a third of each language, none lost or doubled, whatever order the messages come in."""
    from tests.eval import split_residents

    messages = [{"id": f"{lang}-{i:03d}", "language": lang} for lang in ("fi", "sv", "en")
                for i in range(1, 31 if lang == "fi" else 13)]
    moved, kept = split_residents.move_to_dev(messages, 1 / 3, "a-round")
    again, _ = split_residents.move_to_dev(list(reversed(messages)), 1 / 3, "a-round")
    other, _ = split_residents.move_to_dev(messages, 1 / 3, "another-round")
    assert [m["id"] for m in moved] == [m["id"] for m in again]
    assert {m["id"] for m in moved} != {m["id"] for m in other}
    assert sorted(m["id"] for m in moved + kept) == sorted(m["id"] for m in messages)
    assert [sum(m["language"] == lang for m in moved) for lang in ("fi", "sv", "en")] == [10, 4, 4]


def test_label_agreement_compares_two_labellings_and_judges_answers_by_id_and_contact():
    from tests.eval import label_agreement

    first = {"a": {"expect": ["refusal"]}, "b": {"expect": ["fallback"], "fallback_contact": "kela"},
             "c": {"expect": ["fallback"], "fallback_contact": "kela"}}
    second = {"a": {"expect": ["absences", "refusal"]}, "b": {"expect": ["fallback"], "fallback_contact": "kela"},
              "c": {"expect": ["fallback"], "fallback_contact": "social_services"}}
    results = {"a": {"got": "refusal"}, "b": {"got": "fallback", "contact": "kela"},
               "c": {"got": "fallback", "contact": "social_services"}}
    numbers = label_agreement.compare(first, second, results)
    assert numbers["first_choice_agrees_pct"] == round(200 / 3, 1)  # "absences" is not among a's first labels
    assert numbers["any_expected_in_common_pct"] == 100.0
    assert numbers["both_honest_answer"] == 2 and numbers["same_contact_pct"] == 50.0
    assert numbers["acceptable_under_first_pct"] == round(200 / 3, 1)  # c names another contact
    assert numbers["acceptable_under_second_pct"] == 100.0
    assert not label_agreement.acceptable("fallback", "kela", ["fallback"], "employment_services")
