"""Shared fixtures: one trained model per test run, and a running stack on free ports.

Training happens once per run (Rasa's fingerprinting also skips it when config, domain and
data are unchanged since the last run), with the real config and fixed random seeds.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ROOT, Settings
from bot.stack import BASE_ENV, Stack, latest_model, loopback_settings

TEST_DATA = ROOT / ".data" / "test"
MODEL_DIR = TEST_DATA / "models"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(BASE_ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_rasa(*args: str, timeout: float = 1500) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rasa", *args],
        cwd=ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def trained_model() -> Path:
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    result = run_rasa(
        "train", "--config", "config/config.yml", "--domain", "config/domain",
        "--data", "data", "--out", str(MODEL_DIR),
    )
    model = latest_model(MODEL_DIR)
    if result.returncode != 0 or model is None:
        pytest.fail(f"rasa train failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return model


def stack_settings(tmp: Path) -> Settings:
    return loopback_settings(tmp, "test")


@pytest.fixture(scope="session")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    tmp = tmp_path_factory.mktemp("stack")
    running = Stack(stack_settings(tmp), trained_model, tmp / "logs")
    with running:
        yield running
