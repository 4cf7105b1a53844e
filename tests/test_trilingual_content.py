"""Every intent is trained in all three languages (every sentence: tests/test_knowledge.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import ROOT

LANGS = {"fi", "sv", "en"}
DOMAIN_DIR = ROOT / "config" / "domain"
NLU_DIR = ROOT / "data" / "nlu"
MIN_EXAMPLES_PER_LANGUAGE = 8


def domain_files() -> list[Path]:
    return sorted(DOMAIN_DIR.glob("*.yml"))


def merged_domain() -> dict:
    merged: dict = {"intents": [], "responses": {}}
    for path in domain_files():
        data = yaml.safe_load(path.read_text()) or {}
        merged["intents"] += [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents", [])]
        merged["responses"].update(data.get("responses", {}))
    return merged


def nlu_files(language: str) -> list[Path]:
    """Every YAML file under data/nlu/<language>/ (Rasa merges an intent's examples across files)."""
    return sorted((NLU_DIR / language).glob("**/*.yml"))


def examples_by_intent(language: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in nlu_files(language):
        data = yaml.safe_load(path.read_text()) or {}
        for block in data.get("nlu", []):
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
                out.setdefault(block["intent"], []).extend(lines)
    return out


def test_every_language_has_its_interview_file():
    for language in sorted(LANGS):
        assert (NLU_DIR / language / "interview.yml").exists(), language


def test_every_nlu_file_has_a_language():
    """Rasa trains on every file under data/nlu/; the checks here only see data/nlu/<lang>.yml
    and data/nlu/<lang>/ (e.g. fi/feedback.yml, sv/interview.yml)."""
    every = sorted(p for p in NLU_DIR.glob("**/*.yml") if p.is_file())
    checked = {p for language in LANGS for p in nlu_files(language)}
    assert every, "no NLU files in data/nlu"
    unknown = [str(p.relative_to(ROOT)) for p in every if p not in checked]
    assert not unknown, f"NLU files outside data/nlu/<lang>.yml and data/nlu/<lang>/: {unknown}"


DOMAIN = merged_domain()


def test_domain_has_intents_and_no_responses():
    """Every sentence lives in bot/knowledge/messages.yml (checked in three languages by
    tests/test_knowledge.py); the domain holds none that staff could not edit without retraining."""
    assert DOMAIN["intents"], "no intents found in config/domain"
    assert DOMAIN["responses"] == {}


@pytest.mark.parametrize("language", sorted(LANGS))
def test_every_intent_has_examples_in_each_language(language):
    examples = examples_by_intent(language)
    missing = [i for i in DOMAIN["intents"] if len(examples.get(i, [])) < MIN_EXAMPLES_PER_LANGUAGE]
    assert not missing, f"data/nlu/{language}(.yml|/): too few examples (<{MIN_EXAMPLES_PER_LANGUAGE}) for {missing}"


@pytest.mark.parametrize("language", sorted(LANGS))
def test_nlu_files_only_use_domain_intents(language):
    unknown = set(examples_by_intent(language)) - set(DOMAIN["intents"])
    assert not unknown, f"data/nlu/{language}(.yml|/) uses intents missing from the domain: {unknown}"


def test_no_example_is_duplicated_across_intents():
    seen: dict[str, str] = {}
    clashes = []
    for language in sorted(LANGS):
        for intent, lines in examples_by_intent(language).items():
            for line in lines:
                key = line.lower()
                if key in seen and seen[key] != intent:
                    clashes.append((line, seen[key], intent))
                seen[key] = intent
    assert not clashes, f"examples labelled with two intents: {clashes[:10]}"


def test_training_data_does_not_contain_held_out_examples():
    """tests/bench/nlu_eval.py refuses to run when a held-out example is also trained on."""
    heldout_dir = ROOT / "tests" / "data" / "nlu_heldout"
    heldout = {
        line[2:].strip().lower()
        for path in heldout_dir.glob("**/*.yml")
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", [])
        for line in str(block.get("examples", "")).splitlines()
        if line.strip().startswith("- ")
        for line in [line.strip()]
    }
    trained = {example.lower()
               for lang in LANGS for examples in examples_by_intent(lang).values() for example in examples}
    assert not heldout & trained, f"held-out examples in data/nlu: {sorted(heldout & trained)[:10]}"
