"""`make train` trains only when an input of the model changed (bot/training.py, issue 11).

Rasa 3.6's `rasa train` writes a new model on every run, even when every component comes
from its cache; bot.training fingerprints the inputs by content and skips training when
they match the newest model's record. The components' `fingerprint_addon` makes Rasa's
cache notice changes in the code behind them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot import training
from bot.settings import ROOT
from tests.conftest import MODEL_DIR, rasa_env, train

CONFIG = ROOT / "config" / "config.yml"


def copy_inputs(tmp: Path) -> tuple[Path, Path, list[Path]]:
    shutil.copy(CONFIG, tmp / "config.yml")
    shutil.copytree(ROOT / "config" / "domain", tmp / "domain")
    shutil.copytree(ROOT / "data", tmp / "data")
    return tmp / "config.yml", tmp / "domain", [tmp / "data"]


def test_component_code_includes_what_the_components_run_and_nothing_else():
    files = {p.relative_to(ROOT).as_posix() for p in training.source_files(*training.custom_modules(CONFIG))}
    for expected in ("bot/nlu/extract/__init__.py", "bot/nlu/words/fi.yml", "bot/language/detect.py",
                     "bot/language/lexicon.yml", "bot/nlu/lemmas.py",
                     "bot/reference/municipalities.csv", "bot/rasa_components/tokenizer.py", "bot/safety.py",
                     "bot/rasa_components/__init__.py", "bot/__init__.py"):
        assert expected in files
    assert not [f for f in files if f.startswith(("bot/gateway", "bot/privacy", "bot/knowledge", "actions"))]
    assert "bot/training.py" not in files and "bot/supervisor.py" not in files


def test_fingerprint_follows_content_not_modification_times(tmp_path):
    config, domain, data = copy_inputs(tmp_path)
    first = training.training_inputs(config, domain, data)
    nlu = data[0] / "nlu" / "fi" / "questions.yml"
    os.utime(nlu, (1, 1))
    assert training.training_inputs(config, domain, data) == first
    nlu.write_text(nlu.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    changed = training.training_inputs(config, domain, data)
    assert changed.fingerprint != first.fingerprint
    assert [k for k in first.files if first.files[k] != changed.files[k]] == [training._rel(nlu)]


def test_code_fingerprint_is_the_same_in_every_process():
    """No dependence on PYTHONHASHSEED, set ordering or the working directory."""
    script = "from bot.training import code_fingerprint as f; print(f('bot.rasa_components.profile_extractor'))"
    outputs = set()
    for seed, cwd in (("0", ROOT), ("1", "/"), ("random", ROOT / "bot")):
        env = {**rasa_env(), "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True,
                                   text=True, check=True).stdout.strip())
    assert len(outputs) == 1 and len(outputs.pop()) == 64


def test_reasons_to_train(tmp_path):
    config, domain, data = copy_inputs(tmp_path)
    out = tmp_path / "models"
    out.mkdir()
    inputs = training.training_inputs(config, domain, data)
    assert training.why_training(inputs, out) == [f"no model in {out}"]
    model = out / "20260101-000000-x.tar.gz"
    model.write_bytes(b"model")
    assert "no fingerprint recorded" in training.why_training(inputs, out)[0]
    training.write_record(out, model, inputs)
    assert training.why_training(inputs, out) == []
    changed = domain / "feedback.yml"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert training.why_training(training.training_inputs(config, domain, data), out) == [
        training._rel(changed) + " changed"]
    newer = out / "20260102-000000-y.tar.gz"  # trained by hand with `rasa train`
    newer.write_bytes(b"model")
    os.utime(newer, (model.stat().st_mtime + 10,) * 2)
    assert "no fingerprint recorded" in training.why_training(inputs, out)[0]


@pytest.mark.slow
def test_second_training_with_nothing_changed_writes_no_model(trained_model):
    """The session's model was just trained (or kept) by `python -m bot.training`, as
    `make train` runs it: the same command again writes nothing."""
    before = {p.name: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()}
    record = (MODEL_DIR / training.RECORD).read_text()
    assert json.loads(record)["model"] == trained_model.name
    result = train(MODEL_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Nothing changed" in result.stdout and "not training" in result.stdout
    assert {p.name: p.stat().st_mtime_ns for p in MODEL_DIR.iterdir()} == before
    check = train(MODEL_DIR, "--check")
    assert check.returncode == 0 and "Nothing changed" in check.stdout
