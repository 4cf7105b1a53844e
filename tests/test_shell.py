"""`make shell` beside the running service (issue 11): the command it runs
(`python -m bot.shell`), driven through a pseudo-terminal as staff would type, while the
session's stack runs with the environment `make run` would have (its action server's and
Rasa's ports as KO_ACTION_PORT/KO_RASA_PORT, its tracker store as TRACKER_DB). The shell
must answer, leave the running service alone and store nothing in its tracker store."""
from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time

import pytest

from bot.settings import ROOT
from bot.stack import http_ok
from tests.conftest import rasa_env

pytestmark = pytest.mark.slow

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\r")
LOADED = "Bot loaded. Type a message and press enter"
QUESTION = "mitä on kuntouttava työtoiminta"
ANSWER = "Kuntouttava työtoiminta on toimintaa pitkään työttömänä olleille"
WITHIN = 600.0  # upper bound for each wait; never reached when it works


class Terminal:
    """A child process on a pseudo-terminal (its controlling terminal, 200 columns)."""

    def __init__(self, argv: list[str], env: dict) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))

        def controlling_terminal() -> None:
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave,
                                        start_new_session=True, preexec_fn=controlling_terminal)
        os.close(slave)
        self.raw = b""

    def text(self) -> str:
        return ANSI.sub("", self.raw.decode("utf-8", errors="replace"))

    def expect(self, needle: str, after: int = 0, within: float = WITHIN) -> int:
        """Read until ``needle`` appears after position ``after``; its end position."""
        deadline = time.monotonic() + within
        while True:
            found = self.text().find(needle, after)
            if found >= 0:
                return found + len(needle)
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not seen within {within:.0f} s:\n{self.text()[-4000:]}")
            if not self._read(1.0):
                raise AssertionError(f"{needle!r} not seen; the shell closed its terminal:\n{self.text()[-4000:]}")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True  # nothing yet, still open
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        os.close(self.master)


def conversations(db: str) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def test_shell_answers_beside_the_running_service(stack, trained_model, tmp_path):
    env = rasa_env()
    for name in ("RASA_URL", "ACTION_ENDPOINT_URL", "RASA_TOKEN", "ACTION_SERVER_TOKEN"):
        env.pop(name, None)
    env.update({"KO_ACTION_PORT": str(stack.settings.action_port), "KO_RASA_PORT": str(stack.settings.rasa_port),
                "TRACKER_DB": stack.settings.tracker_db, "KO_DATA_DIR": str(tmp_path), "TERM": "xterm"})
    before = conversations(stack.settings.tracker_db)
    shell = Terminal([sys.executable, "-m", "bot.shell", "--model", str(trained_model)], env)
    try:
        at = shell.expect(LOADED)
        shell.type(QUESTION)
        at = shell.expect(ANSWER, after=at)
        shell.type("/stop")
        assert shell.process.wait(timeout=WITHIN) == 0, shell.text()[-3000:]
    finally:
        shell.close()
    log = (tmp_path / "logs" / "shell" / "actions.log").read_text(errors="replace")
    # a refused call shows as status 401 standing alone; a port or a pid may contain the digits
    # ("127.0.0.1:40143"), so match the number, not the substring
    assert not re.search(r"(?<![\d.:])401(?![\d.])", log) and "unauthorised" not in log, log[-3000:]
    # nothing of the shell left behind: its throwaway tracker store is gone, the service's
    # tracker store holds no test conversation, and the service still answers
    assert list((tmp_path / "shell").iterdir()) == []
    assert conversations(stack.settings.tracker_db) == before
    assert not stack.dead_services()
    assert http_ok(f"http://127.0.0.1:{stack.settings.gateway_port}/healthz")
