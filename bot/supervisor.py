"""`make run`: start the action server, Rasa and the web gateway, restart any of them that
crashes, and stop all three on Ctrl-C or SIGTERM.

    python -m bot.supervisor [--model models/xyz.tar.gz]

What `restart: unless-stopped` does in docker-compose, for the one-machine service: a
process that exits on its own (a crash, the kernel's OOM killer, `kill -9`) is started
again on the same port after a back-off delay (1 s, 2 s, 4 s ... at most
KO_RESTART_MAX_DELAY) while the others keep running. Meanwhile the gateway answers
residents with the human contacts (503) and keeps their sessions; conversations continue
from the SQL tracker store once Rasa is back. Only when one service crashes
KO_RESTART_MAX_CRASHES times within KO_RESTART_WINDOW seconds (default: 5 within 10 min)
does the supervisor give up loudly: it prints that service's log tail, stops everything
and exits with status 1 (so systemd or whoever started it sees the failure).

Every start, crash, restart and give-up is one line on stderr and in
``<KO_DATA_DIR>/logs/supervisor.log``, e.g. (the first line wrapped here)::

    2026-12-05 03:12:09 supervisor: rasa stopped unexpectedly (killed by SIGKILL) after 2 h 5 min;
        restart 1 in 1 s (crash 1 within 10 min, gives up at 5)
    2026-12-05 03:12:37 supervisor: rasa is back (pid 4242), healthy 27.2 s after restart 1

Start-up itself is not retried: a process that fails while the service starts is a
configuration problem, reported with its log tail (exit status 1).

Secrets: RASA_TOKEN (Rasa HTTP API), ACTION_SERVER_TOKEN (Rasa -> action server) and
GATEWAY_SESSION_SECRET (session tokens) are taken from the environment; when absent a
random value is generated once per supervisor run, which is right for one machine because
only these processes need them, and restarted processes get the same values (so sessions
survive a restart of the gateway).
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.gateway.channels import ChannelError
from bot.settings import ROOT, Settings
from bot.stack import Service, Stack, StartupError, latest_model

# --------------------------------------------------------------------------- restart policy


class RestartConfigError(ValueError):
    pass


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise RestartConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise RestartConfigError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


@dataclass(frozen=True)
class RestartSettings:
    """When to restart a crashed process and when to give up (README, "Configuration")."""

    max_crashes: int = 5          # KO_RESTART_MAX_CRASHES: this many crashes of one service ...
    window: float = 600.0         # KO_RESTART_WINDOW: ... within this many seconds: give up
    delay: float = 1.0            # KO_RESTART_DELAY: wait before the first restart, doubled per crash
    max_delay: float = 60.0       # KO_RESTART_MAX_DELAY: longest wait
    start_timeout: float = 240.0  # KO_START_TIMEOUT: a (re)started process must answer within this

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RestartSettings:
        env = os.environ if env is None else env
        d = cls()
        return cls(
            max_crashes=int(_number(env, "KO_RESTART_MAX_CRASHES", d.max_crashes, 1)),
            window=_number(env, "KO_RESTART_WINDOW", d.window, 1),
            delay=_number(env, "KO_RESTART_DELAY", d.delay, 0),
            max_delay=_number(env, "KO_RESTART_MAX_DELAY", d.max_delay, 0),
            start_timeout=_number(env, "KO_START_TIMEOUT", d.start_timeout, 1),
        )


@dataclass(frozen=True)
class Decision:
    restart: bool
    delay: float   # seconds to wait before starting again
    crashes: int   # crashes within the window, this one included


class RestartPolicy:
    """Exponential back-off and a crash budget for one service; pure (a clock is passed in).

    Crash n within the window (counting this one) waits ``delay * 2**(n-1)`` seconds, at
    most ``max_delay``; crash number ``max_crashes`` within the window is one too many.
    Crashes older than the window are forgotten, so the delay starts small again after a
    quiet period.
    """

    def __init__(self, settings: RestartSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._crashes: deque[float] = deque()

    def crashes_in_window(self) -> int:
        self._forget(self.clock())
        return len(self._crashes)

    def _forget(self, now: float) -> None:
        while self._crashes and now - self._crashes[0] >= self.settings.window:
            self._crashes.popleft()

    def crashed(self) -> Decision:
        now = self.clock()
        self._forget(now)
        self._crashes.append(now)
        n = len(self._crashes)
        if n >= self.settings.max_crashes:
            return Decision(False, 0.0, n)
        return Decision(True, min(self.settings.max_delay, self.settings.delay * 2 ** (n - 1)), n)


# --------------------------------------------------------------------------- the supervisor


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "still running"
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


def duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")
    return f"{seconds // 3600} h" + (f" {seconds % 3600 // 60} min" if seconds % 3600 // 60 else "")


class Log:
    """One line per event, with a timestamp, on stderr and in supervisor.log."""

    def __init__(self, path: Path | None, stream: TextIO = sys.stderr) -> None:
        self.path = path
        self.stream = stream

    def __call__(self, message: str) -> None:
        line = f"{datetime.now().strftime('%Y-%m-%d %H:%M:%S')} supervisor: {message}"
        print(line, file=self.stream, flush=True)
        if self.path is not None:
            try:
                with self.path.open("a", encoding="utf-8") as out:
                    out.write(line + "\n")
            except OSError:
                pass


@dataclass
class _State:
    phase: str = "running"      # running | waiting | starting
    due: float = 0.0            # waiting: when to start again
    started: float = 0.0        # when the process was (re)started
    restarts: int = 0


class Supervisor:
    """Watches the stack's processes and restarts the ones that exit (see module docstring)."""

    POLL = 0.5

    def __init__(self, stack: Stack, restart: RestartSettings, log: Log,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stack = stack
        self.restart = restart
        self.log = log
        self.clock = clock
        self.policies = {s.name: RestartPolicy(restart, clock) for s in stack.services}
        self.states = {s.name: _State(started=clock()) for s in stack.services}
        self.env = stack.environment()
        self.gave_up: str | None = None

    def step(self) -> bool:
        """One look at every process; False once the supervisor has given up."""
        for service in self.stack.services:
            state = self.states[service.name]
            now = self.clock()
            process = service.process
            if state.phase == "running":
                if process is not None and process.poll() is not None:
                    self._crashed(service, f"stopped unexpectedly ({describe_exit(process.returncode)}) "
                                           f"after {duration(now - state.started)}")
            elif state.phase == "waiting":
                if now >= state.due:
                    self._launch(service)
            elif state.phase == "starting":
                if process is not None and process.poll() is not None:
                    self._crashed(service, f"exited while starting ({describe_exit(process.returncode)})")
                elif self.stack.is_live(service):
                    assert process is not None  # "starting" follows a successful launch
                    state.phase = "running"
                    self.log(f"{service.name} is back (pid {process.pid}), healthy "
                             f"{self.clock() - state.started:.1f} s after restart {state.restarts}")
                elif now - state.started > self.restart.start_timeout:
                    self.stack.stop_service(service, grace=5, sig=signal.SIGKILL)
                    self._crashed(service, f"did not answer within {self.restart.start_timeout:.0f} s of "
                                           f"restart {state.restarts}")
            if self.gave_up:
                return False
        return True

    def _launch(self, service: Service) -> None:
        state = self.states[service.name]
        state.restarts += 1
        state.started = self.clock()
        try:
            self.stack.launch(service, self.env)
        except (StartupError, OSError) as exc:
            state.phase = "running"  # nothing to watch; counted as a crash right away
            self._crashed(service, f"could not be restarted: {exc}", process_exited=False)
            return
        state.phase = "starting"
        assert service.process is not None  # set by launch()
        self.log(f"restarting {service.name} (restart {state.restarts}, pid {service.process.pid})")

    def _crashed(self, service: Service, what: str, process_exited: bool = True) -> None:
        state = self.states[service.name]
        if process_exited:
            self.stack.kill_leftovers(service)
        decision = self.policies[service.name].crashed()
        window = duration(self.restart.window)
        if not decision.restart:
            self.gave_up = service.name
            self.log(f"{service.name} {what}; crash {decision.crashes} within {window} "
                     f"(KO_RESTART_MAX_CRASHES={self.restart.max_crashes}): GIVING UP, stopping everything.\n"
                     f"Last lines of {service.log_path}:\n{service.log_tail()}")
            return
        state.phase = "waiting"
        state.due = self.clock() + decision.delay
        self.log(f"{service.name} {what}; restart {state.restarts + 1} in {decision.delay:g} s "
                 f"(crash {decision.crashes} within {window}, gives up at {self.restart.max_crashes})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the assistant (actions + Rasa + gateway).")
    parser.add_argument("--model", help="model archive (default: newest in models/)")
    args = parser.parse_args(argv)

    try:
        restart = RestartSettings.from_env()
    except RestartConfigError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    settings = Settings.from_env()
    settings = replace(
        settings,
        rasa_token=settings.rasa_token or secrets.token_urlsafe(32),
        action_server_token=settings.action_server_token or secrets.token_urlsafe(32),
    )
    model = Path(args.model) if args.model else latest_model(settings.model_dir)
    if model is None or not model.exists():
        print("No trained model found. Run `make train` first.", file=sys.stderr)
        return 1

    # One session secret for every gateway process of this run: a restarted gateway still
    # accepts the residents' session tokens.
    extra_env = {}
    if not (os.environ.get("GATEWAY_SESSION_SECRET") or "").strip():
        extra_env["GATEWAY_SESSION_SECRET"] = secrets.token_urlsafe(32)
    try:
        stack = Stack(settings, model, Path(settings.data_dir) / "logs", extra_env=extra_env)
    except ChannelError as exc:  # a messaging channel is enabled without its secrets
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    log = Log(stack.log_dir / "supervisor.log")
    stopping = False

    def request_stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    print(f"Starting with model {model.name}; logs in {stack.log_dir}", flush=True)
    log(f"starting with model {model.name} (pid {os.getpid()})")
    try:
        for service in stack.services:
            print(f"  starting {service.name} ...", flush=True)
            stack.start(only=[service.name], timeout=restart.start_timeout)
            assert service.process is not None  # set by start()
            log(f"{service.name} started (pid {service.process.pid})")
            if stopping:
                break
    except StartupError as exc:
        print(f"\nStart-up failed: {exc}", file=sys.stderr)
        log(f"start-up failed: {str(exc).splitlines()[0]}")
        stack.stop()
        return 1

    if not stopping:
        url = (f"http://{'localhost' if settings.host in ('127.0.0.1', '0.0.0.0') else settings.host}"
               f":{settings.gateway_port}/")
        print(
            "\nThe assistant is running.\n"
            f"  Chat in the browser:  {url}\n"
            f"  REST API:             POST {url}api/chat   (docs: {url}docs)\n"
            f"  Health:               {url}healthz\n"
            f"A crashed process is restarted (up to {restart.max_crashes - 1} times within "
            f"{duration(restart.window)}); events in {log.path}.\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
    supervisor = Supervisor(stack, restart, log)
    exit_code = 0
    while not stopping:
        if not supervisor.step():
            exit_code = 1
            break
        time.sleep(Supervisor.POLL)

    print("\nStopping ...", flush=True)
    stack.stop()
    log("stopped" + (f" after giving up on {supervisor.gave_up}" if supervisor.gave_up else ""))
    print("Stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
