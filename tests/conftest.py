"""Shared fixtures: one trained model per test run, and a running stack on free ports.

Training happens once per run (Rasa's fingerprinting also skips it when config, domain and
data are unchanged since the last run), with the real config and fixed random seeds.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.settings import ROOT, Settings
from bot.stack import BASE_ENV, Stack, latest_model

TEST_DATA = ROOT / ".data" / "test"
MODEL_DIR = TEST_DATA / "models"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    rasa_port, action_port, gateway_port = free_port(), free_port(), free_port()
    return replace(
        Settings.from_env(),
        host="127.0.0.1",
        rasa_port=rasa_port,
        action_port=action_port,
        gateway_port=gateway_port,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_endpoint_url=f"http://127.0.0.1:{action_port}/webhook",
        rasa_token="test-rasa-token-" + os.urandom(8).hex(),
        action_server_token="test-action-token-" + os.urandom(8).hex(),
        tracker_db=str(tmp / "tracker.db"),
        data_dir=str(tmp),
    )


@pytest.fixture(scope="session")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    tmp = tmp_path_factory.mktemp("stack")
    running = Stack(stack_settings(tmp), trained_model, tmp / "logs")
    with running:
        yield running
