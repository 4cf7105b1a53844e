"""Tests that need the trained model: Rasa's own story evaluation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TEST_DATA, run_rasa

pytestmark = pytest.mark.slow


def test_rasa_test_stories_pass(trained_model: Path):
    out = TEST_DATA / "results" / "core"
    result = run_rasa(
        "test", "core", "--model", str(trained_model), "--stories", "tests/test_stories.yml",
        "--out", str(out), "--no-plot", timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    failed = out / "failed_test_stories.yml"
    text = failed.read_text() if failed.exists() else ""
    assert "story:" not in text, f"failed test stories:\n{text[:4000]}"
    report = json.loads((out / "story_report.json").read_text())
    assert report["accuracy"] == 1.0 if "accuracy" in report else report["weighted avg"]["f1-score"] == 1.0
