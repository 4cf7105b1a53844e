"""bot.supervisor: the restart policy and the supervisor's decisions, with a fake clock and
fake processes (the real processes: tests/test_supervisor_e2e.py)."""
from __future__ import annotations

import io
import signal
from pathlib import Path

import pytest

from bot.stack import Service, StartupError
from bot.supervisor import (
    Log,
    RestartConfigError,
    RestartPolicy,
    RestartSettings,
    Supervisor,
    describe_exit,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- policy


def test_backoff_doubles_up_to_the_maximum_then_gives_up():
    clock = Clock()
    policy = RestartPolicy(RestartSettings(max_crashes=5, window=600, delay=1, max_delay=5), clock)
    decisions = []
    for _ in range(5):
        decisions.append(policy.crashed())
        clock.now += 10
    assert [(d.restart, d.delay, d.crashes) for d in decisions] == [
        (True, 1, 1), (True, 2, 2), (True, 4, 3), (True, 5, 4), (False, 0, 5)]


def test_crashes_older_than_the_window_are_forgotten():
    clock = Clock()
    policy = RestartPolicy(RestartSettings(max_crashes=3, window=600, delay=1, max_delay=60), clock)
    assert policy.crashed().delay == 1
    clock.now += 300
    assert policy.crashed().delay == 2
    clock.now += 300  # the first crash is now 600 s old
    decision = policy.crashed()
    assert decision.restart and decision.crashes == 2 and decision.delay == 2
    clock.now += 1
    assert not policy.crashed().restart  # three within 600 s
    clock.now += 10_000
    assert policy.crashes_in_window() == 0 and policy.crashed().delay == 1


def test_one_crash_a_day_is_restarted_forever():
    clock = Clock()
    policy = RestartPolicy(RestartSettings(), clock)
    for _ in range(100):
        decision = policy.crashed()
        assert decision.restart and decision.delay == 1
        clock.now += 24 * 3600


def test_settings_from_the_environment():
    assert RestartSettings.from_env({}) == RestartSettings(5, 600, 1, 60, 240)
    settings = RestartSettings.from_env({"KO_RESTART_MAX_CRASHES": "3", "KO_RESTART_WINDOW": "120",
                                         "KO_RESTART_DELAY": "0.5", "KO_RESTART_MAX_DELAY": "8",
                                         "KO_START_TIMEOUT": "90"})
    assert settings == RestartSettings(3, 120, 0.5, 8, 90)
    for name, value in (("KO_RESTART_MAX_CRASHES", "0"), ("KO_RESTART_WINDOW", "ten"), ("KO_RESTART_DELAY", "-1")):
        with pytest.raises(RestartConfigError, match=name):
            RestartSettings.from_env({name: value})


def test_exit_descriptions():
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(1) == "exit code 1"
    assert describe_exit(0) == "exit code 0"


# --------------------------------------------------------------------------- supervisor


class FakeProcess:
    pids = iter(range(100, 10_000))

    def __init__(self) -> None:
        self.pid = next(self.pids)
        self.returncode = None

    def poll(self):
        return self.returncode


class FakeStack:
    """Services whose processes the test kills; launch() can fail, is_live() is set."""

    def __init__(self, tmp: Path) -> None:
        self.services = [Service(name, [], f"http://127.0.0.1:1/{name}", tmp / f"{name}.log")
                         for name in ("actions", "rasa", "gateway")]
        for service in self.services:
            service.log_path.write_text(f"{service.name} line 1\n{service.name} last line\n")
            service.process = FakeProcess()
        self.live = {s.name: True for s in self.services}
        self.launch_error: str | None = None
        self.launched: list[str] = []

    def environment(self):
        return {}

    def launch(self, service, env=None):
        if self.launch_error:
            raise StartupError(self.launch_error)
        service.process = FakeProcess()
        self.launched.append(service.name)

    def is_live(self, service):
        return self.live[service.name]

    def kill_leftovers(self, service):
        pass

    def stop_service(self, service, grace=15.0, sig=signal.SIGTERM):
        service.process.returncode = -sig


def make_supervisor(tmp_path, **settings):
    clock = Clock()
    stack = FakeStack(tmp_path)
    out = io.StringIO()
    restart = RestartSettings(**{"max_crashes": 5, "window": 600, "delay": 1, "max_delay": 60,
                                 "start_timeout": 100, **settings})
    supervisor = Supervisor(stack, restart, Log(tmp_path / "supervisor.log", out), clock)
    return supervisor, stack, clock, out


def test_a_crashed_service_is_restarted_after_the_delay_and_logged(tmp_path):
    supervisor, stack, clock, out = make_supervisor(tmp_path)
    rasa = stack.services[1]
    clock.now += 3600
    assert supervisor.step()
    rasa.process.returncode = -signal.SIGKILL
    stack.live["rasa"] = False
    assert supervisor.step() and stack.launched == []
    assert ("rasa stopped unexpectedly (killed by SIGKILL) after 1 h; restart 1 in 1 s "
            "(crash 1 within 10 min, gives up at 5)") in out.getvalue()
    clock.now += 0.9
    supervisor.step()
    assert stack.launched == []
    clock.now += 0.1
    supervisor.step()
    assert stack.launched == ["rasa"] and "restarting rasa (restart 1, pid" in out.getvalue()
    clock.now += 25
    supervisor.step()
    assert supervisor.states["rasa"].phase == "starting"
    stack.live["rasa"] = True
    supervisor.step()
    assert supervisor.states["rasa"].phase == "running"
    assert "rasa is back (pid" in out.getvalue() and "healthy 25.0 s after restart 1" in out.getvalue()
    assert out.getvalue() == (tmp_path / "supervisor.log").read_text()
    # the others were never touched
    assert [s.name for s in stack.services if s.process.returncode is not None] == []


def test_gives_up_after_repeated_crashes_with_the_log_tail(tmp_path):
    supervisor, stack, clock, out = make_supervisor(tmp_path, max_crashes=3)
    actions = stack.services[0]
    for crash in range(1, 3):
        actions.process.returncode = 1
        assert supervisor.step()
        clock.now += 2 ** (crash - 1)
        supervisor.step()  # relaunched
        assert supervisor.states["actions"].phase == "starting"
        supervisor.step()  # live
        assert supervisor.states["actions"].phase == "running"
    actions.process.returncode = 1
    assert not supervisor.step()
    assert supervisor.gave_up == "actions"
    text = out.getvalue()
    assert "actions stopped unexpectedly (exit code 1)" in text
    assert "crash 3 within 10 min (KO_RESTART_MAX_CRASHES=3): GIVING UP, stopping everything." in text
    assert "actions last line" in text


def test_a_process_that_dies_while_starting_or_never_answers_counts_as_a_crash(tmp_path):
    supervisor, stack, clock, out = make_supervisor(tmp_path, start_timeout=100)
    gateway = stack.services[2]
    gateway.process.returncode = -signal.SIGKILL
    stack.live["gateway"] = False
    supervisor.step()
    clock.now += 1
    supervisor.step()
    gateway.process.returncode = 1  # dies during start-up
    supervisor.step()
    assert "gateway exited while starting (exit code 1); restart 2 in 2 s (crash 2" in out.getvalue()
    clock.now += 2
    supervisor.step()
    clock.now += 101  # starts, never answers
    supervisor.step()
    assert gateway.process.returncode == -signal.SIGKILL
    assert "gateway did not answer within 100 s of restart 2; restart 3 in 4 s (crash 3" in out.getvalue()


def test_a_port_taken_meanwhile_counts_as_a_crash_and_is_retried(tmp_path):
    supervisor, stack, clock, out = make_supervisor(tmp_path)
    rasa = stack.services[1]
    rasa.process.returncode = -signal.SIGSEGV
    supervisor.step()
    stack.launch_error = "rasa: port 5005 is already in use"
    clock.now += 1
    supervisor.step()
    assert "rasa could not be restarted: rasa: port 5005 is already in use; restart 2 in 2 s" in out.getvalue()
    stack.launch_error = None
    clock.now += 2
    supervisor.step()
    supervisor.step()
    assert stack.launched == ["rasa"] and supervisor.states["rasa"].phase == "running"


# --------------------------------------------------------------------------- command line


@pytest.mark.parametrize("token", ["-Ab3_secret", "--looks-like-an-option", "plain_token-123"])
def test_rasa_accepts_the_token_in_its_command_line_even_when_it_begins_with_a_dash(tmp_path, token):
    """secrets.token_urlsafe() begins with "-" one time in 64; once CI's random token did, and
    `rasa run --auth-token -xyz` stopped with "expected one argument"."""
    from dataclasses import replace

    from rasa.__main__ import create_argument_parser

    from bot.stack import Stack, loopback_settings

    settings = replace(loopback_settings(tmp_path, "cli"), rasa_token=token)
    stack = Stack(settings, tmp_path / "model.tar.gz", tmp_path / "logs")
    command = stack.service("rasa").argv
    args = create_argument_parser().parse_args(command[command.index("rasa") + 1:])
    assert args.auth_token == token
    assert args.enable_api and args.model == str(tmp_path / "model.tar.gz")
