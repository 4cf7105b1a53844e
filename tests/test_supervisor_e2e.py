"""The real supervisor (`make run` = `python -m bot.supervisor`) on free loopback ports with
the session's trained model: one resident's interview through the gateway while Rasa, then
the action server, then the gateway itself are killed with SIGKILL. Each comes back on its
own; meanwhile the gateway answers 503 with the human contacts (never a connection error
while the gateway itself runs); the same session continues and earlier answers are kept.

Waits are polls with generous upper bounds (a shared 2-core machine restarts Rasa in
20-60 s); no sleep decides the outcome. The times measured are printed (`pytest -rP`).
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.settings import ROOT
from bot.stack import free_port, http_ok
from tests.conftest import rasa_env
from tests.said import QUESTION
from tests.test_faults import assert_helpful_unavailable
from tests.test_gateway_e2e import chat, texts

pytestmark = pytest.mark.slow

Q = QUESTION["fi"]
UP_WITHIN = 600.0  # seconds: an upper bound for anything to come back, never reached when it works
POLL = 0.5


def wait_for(what: str, condition: Callable[[], object], within: float = UP_WITHIN) -> object:
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {within:.0f} s")
        time.sleep(POLL)


class Supervised:
    def __init__(self, tmp: Path, model: Path) -> None:
        self.tmp = tmp
        self.gateway_port = free_port()
        self.settings = SimpleNamespace(gateway_port=self.gateway_port)  # what chat() needs
        self.base = f"http://127.0.0.1:{self.gateway_port}"
        self.log_path = tmp / "logs" / "supervisor.log"
        self.output = tmp / "supervisor.out"
        env = rasa_env()
        for name in ("RASA_URL", "ACTION_ENDPOINT_URL", "RASA_TOKEN", "ACTION_SERVER_TOKEN", "TRACKER_DB",
                     "GATEWAY_SESSION_SECRET", "KO_CHANNELS", "KO_HOST"):
            env.pop(name, None)
        env.update({
            "KO_GATEWAY_PORT": str(self.gateway_port), "KO_RASA_PORT": str(free_port()),
            "KO_ACTION_PORT": str(free_port()), "KO_DATA_DIR": str(tmp),
            # the test polls the chat from one address and one conversation
            "GATEWAY_RATE_ADDRESS_PER_MINUTE": "0", "GATEWAY_RATE_SESSION_PER_MINUTE": "0",
        })
        with self.output.open("wb") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "bot.supervisor", "--model", str(model)],
                                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def pid(self, service: str) -> int | None:
        found = re.findall(rf"supervisor: {service} (?:started|is back) \(pid (\d+)\)", self.log())
        return int(found[-1]) if found else None

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        pids = [self.pid(name) for name in ("actions", "rasa", "gateway")]
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in filter(None, pids):  # nothing of ours may outlive the test
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="module")
def supervised(trained_model, tmp_path_factory):
    running = Supervised(tmp_path_factory.mktemp("supervised"), trained_model)
    try:
        wait_for("the supervisor's start-up",
                 lambda: "The assistant is running." in running.text() or not running.running())
        assert running.running(), running.text()[-4000:]
        yield running
    finally:
        running.stop()


def answer_when_back(supervised: Supervised, message: str, session: str, gateway_down: bool = False):
    """Send ``message`` until the bot answers (200); every other answer must be the 503 with
    contacts. Connection errors only count as expected while the gateway itself is down.
    Returns (data, number of 503s, number of refused connections, seconds)."""
    started = time.monotonic()
    unavailable = refused = 0
    deadline = started + UP_WITHIN
    while time.monotonic() < deadline:
        try:
            status, data, headers = chat(supervised, message, session=session)
        except (urllib.error.URLError, ConnectionError) as exc:
            if not gateway_down:
                raise AssertionError(f"the gateway did not answer: {exc}") from exc
            refused += 1
            time.sleep(POLL)
            continue
        if status == 200:
            assert data["session"] == session, data
            return data, unavailable, refused, time.monotonic() - started
        assert_helpful_unavailable(status, data, headers, session)
        unavailable += 1
        time.sleep(POLL)
    raise AssertionError(f"no answer within {UP_WITHIN:.0f} s; supervisor log:\n{supervised.log()[-3000:]}")


def kill(supervised: Supervised, service: str) -> int:
    pid = supervised.pid(service)
    assert pid, supervised.log()
    os.kill(pid, signal.SIGKILL)
    return pid


def wait_back(supervised: Supervised, service: str, old_pid: int) -> str:
    wait_for(f"{service} back in the supervisor's log",
             lambda: supervised.pid(service) not in (None, old_pid) and f"{service} is back" in supervised.log())
    assert supervised.running()
    return supervised.log()


def test_killed_processes_come_back_and_the_conversation_continues(supervised):
    status, first, _ = chat(supervised, "moi, mihin mä voisin hakeutua kuntouttavaan työtoimintaan?", language="fi")
    assert status == 200 and Q["municipality"] in texts(first)
    session = first["session"]
    status, data, _ = chat(supervised, "asun Helsingissä", session=session)
    assert status == 200 and Q["age"] in texts(data)
    status, data, _ = chat(supervised, "45", session=session)
    assert status == 200 and Q["unemployed"] in texts(data)

    # --- Rasa: contacts meanwhile, then the interview goes on from the tracker store
    old = kill(supervised, "rasa")
    data, unavailable, _, seconds = answer_when_back(supervised, "joo", session)
    print(f"Rasa killed: answers again after {seconds:.1f} s ({unavailable} answers with contacts meanwhile)")
    assert unavailable >= 1  # Rasa needs far longer than one request to load the model again
    reply = texts(data)
    assert Q["health"] in reply and not any(Q[k] in reply for k in ("municipality", "age", "unemployed")), reply
    log = wait_back(supervised, "rasa", old)
    assert re.search(r"supervisor: rasa stopped unexpectedly \(killed by SIGKILL\) after .*; restart 1 in 1 s "
                     r"\(crash 1 within 10 min, gives up at 5\)", log), log
    assert "restarting rasa (restart 1, pid" in log

    # --- action server
    old = kill(supervised, "actions")
    data, unavailable, _, seconds = answer_when_back(supervised, "kyllä", session)
    print(f"action server killed: answers again after {seconds:.1f} s ({unavailable} answers with contacts meanwhile)")
    reply = texts(data)
    assert Q["disability"] in reply and Q["health"] not in reply, reply
    log = wait_back(supervised, "actions", old)
    assert "supervisor: actions stopped unexpectedly (killed by SIGKILL)" in log

    # --- the gateway itself: back on the same port, the session token still valid
    old = kill(supervised, "gateway")
    data, unavailable, refused, seconds = answer_when_back(supervised, "ei", session, gateway_down=True)
    print(f"gateway killed: answers again after {seconds:.1f} s ({refused} refused connections meanwhile)")
    reply = texts(data)
    assert Q["referral"] in reply and Q["disability"] not in reply, reply
    log = wait_back(supervised, "gateway", old)
    assert "supervisor: gateway stopped unexpectedly (killed by SIGKILL)" in log

    # each question was asked once, in order, through three crashes: no answer was lost
    with urllib.request.urlopen(f"{supervised.base}/healthz", timeout=30) as response:
        assert json.loads(response.read())["status"] == "ok"
    assert supervised.running()
    for line in log.splitlines():
        if "supervisor:" in line:
            print(line)


def test_sigterm_stops_everything(supervised):
    """Runs last in this module: SIGTERM to the supervisor ends every process it started."""
    pids = {name: supervised.pid(name) for name in ("actions", "rasa", "gateway")}
    supervised.process.send_signal(signal.SIGTERM)
    assert supervised.process.wait(timeout=120) == 0

    def gone(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    assert all(gone(pid) for pid in pids.values()), pids
    assert not http_ok(f"{supervised.base}/livez", timeout=2)
    assert "supervisor: stopped" in supervised.log()
