"""Tests that need the trained model: Rasa's own story evaluation."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import TEST_DATA, run_rasa

pytestmark = pytest.mark.slow


def test_rasa_test_stories_pass(trained_model: Path):
    """Every test story in tests/ (tests/test_stories*.yml) passes: intents, entities and
    the dialogue's actions, in all three languages."""
    out = TEST_DATA / "results" / "core"
    result = run_rasa(
        "test", "core", "--model", str(trained_model), "--stories", "tests/",
        "--out", str(out), "--no-plot", timeout=900,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    failed = (out / "failed_test_stories.yml").read_text()
    assert "story:" not in failed, f"failed test stories:\n{failed[:6000]}"
    evaluated = re.search(r"Evaluating (\d+) stories", log)
    assert evaluated and int(evaluated.group(1)) >= 12, "the test stories were not all found"
    report = json.loads((out / "story_report.json").read_text())
    assert report["accuracy"] == 1.0
