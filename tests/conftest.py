"""Shared fixtures: one trained model per test run, and a running stack on free ports.

Training happens at most once per run, with the real config and fixed random seeds, and
not at all when config, domain, data and component code are unchanged since the model in
.data/test/models was trained (`python -m bot.training`, what `make train` runs). On a clean
clone it takes about ten minutes, most of it one logistic regression on one core: so it starts
in the background as soon as the tests are collected, and the tests that do not need the model
run first, beside it (``pytest_collection_modifyitems``); the first test that needs the model
waits for it. Nothing depends on how long either takes: the wait is for the process to end.

The shared stack carries no rate budget: every test talks to it from 127.0.0.1, so with
the production limits (60/min, burst 30 per address) whether a test got a 429 depended on
how fast the tests before it ran. The limits themselves are tested on their own apps
(tests/test_gateway_rate_limit.py, test_gateway_unit.py, test_fuzz_gateway.py).
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bot.settings import ROOT, Settings
from bot.stack import BASE_ENV, Stack, latest_model, loopback_settings

# Property-based tests: no per-example deadline and no "data generation too slow" check,
# both wall-clock limits that a busy shared machine exceeds now and then (tests that need
# a bound on work assert CPU time). Derandomised: every run (CI's included) tries the same
# examples, so a run's result does not depend on the draw; new inputs come with new tests.
hypothesis_settings.register_profile("kuntoutusopas", deadline=None, derandomize=True,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("kuntoutusopas")

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


# The shared stack's gateway: no per-address or per-conversation budget that unrelated
# tests would drain, no concurrency cap, and a fixed session secret so that a test which
# restarts the gateway keeps its conversations. Its wait for Rasa is 50 s instead of 25 s,
# so that a slow turn on a busy machine is still an answer (the tests' own HTTP timeout is
# 60 s) and so that the answers with contacts that the faults tests expect within
# CONTACTS_WITHIN can only come from the mechanism under test, not from this timeout.
TEST_STACK_RASA_TIMEOUT = 50
TEST_STACK_ENV = {
    "GATEWAY_RATE_ADDRESS_PER_MINUTE": "0",
    "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
    "GATEWAY_MAX_CONCURRENT_PER_ADDRESS": "100000",
    "GATEWAY_RASA_TIMEOUT": str(TEST_STACK_RASA_TIMEOUT),
    "GATEWAY_SESSION_SECRET": "test-stack-" + secrets.token_urlsafe(24),
}


TRAINING_TIMEOUT = 1500


def training_argv(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "bot.training", "--config", "config/config.yml", "--domain", "config/domain",
            "--data", "data", "--out", str(out), *extra]


def train(out: Path, *extra: str, timeout: float = TRAINING_TIMEOUT) -> subprocess.CompletedProcess:
    """`make train` into ``out``: trains only when an input changed."""
    return subprocess.run(training_argv(out, *extra), cwd=ROOT, env=rasa_env(), capture_output=True, text=True,
                          timeout=timeout)


@dataclass
class BackgroundTraining:
    """The session's `make train` into MODEL_DIR, started when the tests were collected."""
    process: subprocess.Popen
    stdout: Path
    stderr: Path

    def result(self) -> subprocess.CompletedProcess:
        try:
            self.process.wait(timeout=TRAINING_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        return subprocess.CompletedProcess(self.process.args, self.process.returncode,
                                           self.stdout.read_text(errors="replace"),
                                           self.stderr.read_text(errors="replace"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


_background: list[BackgroundTraining] = []


def needs_model(item: pytest.Item) -> bool:
    return "trained_model" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that need the trained model go last, in their collected order; when there
    are any, training starts now in the background so that the others run beside it."""
    later = [item for item in items if needs_model(item)]
    if not later or config.option.collectonly:
        return
    items[:] = [item for item in items if not needs_model(item)] + later
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    stdout, stderr = TEST_DATA / "training.out", TEST_DATA / "training.err"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(training_argv(MODEL_DIR), cwd=ROOT, env=rasa_env(), stdout=out, stderr=err,
                                   text=True)
    _background.append(BackgroundTraining(process, stdout, stderr))


def pytest_unconfigure(config: pytest.Config) -> None:
    """An interrupted run does not leave the training behind."""
    for training in _background:
        training.stop()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    result = _background[0].result() if _background else train(MODEL_DIR)
    model = latest_model(MODEL_DIR)
    if result.returncode != 0 or model is None:
        pytest.fail(f"training failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return model


def stack_settings(tmp: Path) -> Settings:
    return loopback_settings(tmp, "test")


@pytest.fixture(scope="session")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Stack:
    tmp = tmp_path_factory.mktemp("stack")
    running = Stack(stack_settings(tmp), trained_model, tmp / "logs", extra_env=TEST_STACK_ENV)
    with running:
        yield running
