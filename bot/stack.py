"""Starts and stops the three processes of the assistant on one machine.

Used by `make run` (via bot.supervisor) and by the end-to-end tests, so both exercise the
same start-up: the action server, Rasa (private, token-protected API on loopback) and the
public web gateway. Each process logs to its own file; start-up waits for each health
check so a broken process fails loudly with the tail of its log.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.gateway.channels import write_credentials
from bot.settings import ROOT, Settings, rasa_environment

# Quiet, offline, reproducible child processes.
BASE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONUNBUFFERED": "1",
    "PYTHONHASHSEED": "0",
}


def latest_model(model_dir: str | Path) -> Path | None:
    models = sorted(Path(model_dir).glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


@dataclass
class Service:
    name: str
    argv: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)
    # Answers when the process itself is up, whatever the others do (the gateway's /livez;
    # its /healthz is 503 while Rasa is down). Default: health_url.
    live_url: str | None = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class StartupError(RuntimeError):
    pass


class Stack:
    # Seconds between health checks while a service starts (benchmarks poll faster to
    # time cold starts).
    HEALTH_POLL = 0.5

    def __init__(
        self,
        settings: Settings,
        model: Path,
        log_dir: Path,
        with_gateway: bool = True,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.model = model
        self.log_dir = log_dir
        self.extra_env = extra_env or {}
        py = sys.executable
        s = settings
        self.services = [
            Service(
                "actions",
                [py, "-m", "actions.server", "--host", "127.0.0.1", "--port", str(s.action_port)],
                f"http://127.0.0.1:{s.action_port}/health",
                log_dir / "actions.log",
            ),
            Service(
                "rasa",
                [
                    py, "-m", "rasa", "run",
                    "--model", str(model),
                    "--endpoints", str(ROOT / "config" / "endpoints.yml"),
                    # config/credentials.yml, plus the messaging channels named in KO_CHANNELS
                    # (their secrets from the environment; see README "Web widget and channels").
                    "--credentials", str(write_credentials(Path(s.data_dir) / "credentials.yml")),
                    "--interface", "127.0.0.1",
                    "--port", str(s.rasa_port),
                    "--enable-api",
                    # One argument with "=": a random token may begin with "-", and argparse
                    # would then take it for an option ("expected one argument").
                    f"--auth-token={s.rasa_token}",
                    "--response-timeout", "20",
                ],
                f"http://127.0.0.1:{s.rasa_port}/status?token={s.rasa_token}",
                log_dir / "rasa.log",
            ),
        ]
        if with_gateway:
            self.services.append(
                Service(
                    "gateway",
                    [
                        py, "-m", "uvicorn", "bot.gateway.app:app",
                        "--host", s.host, "--port", str(s.gateway_port),
                        "--no-access-log", "--no-server-header",
                        # No websockets in the gateway (uvicorn's websockets support needs a
                        # newer `websockets` than the one Rasa pins).
                        "--ws", "none",
                    ],
                    f"http://127.0.0.1:{s.gateway_port}/healthz",
                    log_dir / "gateway.log",
                    live_url=f"http://127.0.0.1:{s.gateway_port}/livez",
                )
            )

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(BASE_ENV)
        env.update(rasa_environment(self.settings))
        env.update(
            {
                "RASA_URL": self.settings.rasa_url,
                "RASA_TOKEN": self.settings.rasa_token,
                "KO_RASA_PORT": str(self.settings.rasa_port),
                "KO_ACTION_PORT": str(self.settings.action_port),
                "KO_GATEWAY_PORT": str(self.settings.gateway_port),
                "KO_DATA_DIR": self.settings.data_dir,
            }
        )
        env.update(self.extra_env)
        # The repository root must be importable (custom NLU components, actions).
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        return env

    def start(self, timeout: float = 240.0, only: list[str] | None = None) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        Path(self.settings.tracker_db).parent.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        for service in self.services:
            if only is not None and service.name not in only:
                continue
            self.start_service(service, env, timeout)

    def start_service(self, service: Service, env: dict | None = None, timeout: float = 240.0) -> None:
        self.launch(service, env)
        self._wait_healthy(service, timeout)

    def launch(self, service: Service, env: dict | None = None) -> None:
        """Start the process without waiting for it (bot.supervisor polls is_live)."""
        # A leftover process on the port would answer the health check in our place.
        port = urllib.parse.urlsplit(service.health_url).port
        if port and port_in_use(port):
            raise StartupError(
                f"{service.name}: port {port} is already in use (another instance still running?). "
                f"Stop it or choose other ports (KO_GATEWAY_PORT, KO_RASA_PORT, KO_ACTION_PORT)."
            )
        log = open(service.log_path, "ab")
        service.process = subprocess.Popen(
            service.argv,
            cwd=ROOT,
            env=env or self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches the supervisor only
        )
        log.close()

    def is_live(self, service: Service) -> bool:
        return http_ok(service.live_url or service.health_url, timeout=2.0)

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def _wait_healthy(self, service: Service, timeout: float) -> None:
        process = service.process
        assert process is not None  # launched by start_service
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StartupError(
                    f"{service.name} exited with code {process.returncode} during start-up.\n"
                    f"Last lines of {service.log_path}:\n{service.log_tail()}"
                )
            if http_ok(service.health_url, timeout=min(2.0, 20 * self.HEALTH_POLL)):
                return
            time.sleep(self.HEALTH_POLL)
        raise StartupError(
            f"{service.name} did not become healthy within {timeout:.0f} s.\n"
            f"Last lines of {service.log_path}:\n{service.log_tail()}"
        )

    def stop_service(self, service: Service, grace: float = 15.0, sig: int = signal.SIGTERM) -> None:
        proc = service.process
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def kill_leftovers(self, service: Service) -> None:
        """After the process exited: kill anything it left in its process group (a child
        still holding its port would keep a restart from binding it)."""
        if service.process is None or service.process.poll() is None:
            return
        try:
            os.killpg(service.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        for service in reversed(self.services):
            self.stop_service(service)

    def dead_services(self) -> list[Service]:
        return [s for s in self.services if s.process is not None and s.process.poll() is not None]

    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loopback_settings(data_dir: Path, label: str) -> Settings:
    """Settings for a throwaway stack (tests, benchmarks, soak): free loopback ports, fresh
    random secrets named after ``label``, its tracker store and logs in ``data_dir``."""
    rasa_port, action_port, gateway_port = free_port(), free_port(), free_port()
    return replace(
        Settings.from_env(),
        host="127.0.0.1",
        rasa_port=rasa_port,
        action_port=action_port,
        gateway_port=gateway_port,
        rasa_url=f"http://127.0.0.1:{rasa_port}",
        action_endpoint_url=f"http://127.0.0.1:{action_port}/webhook",
        rasa_token=f"{label}-rasa-{secrets.token_hex(8)}",
        action_server_token=f"{label}-actions-{secrets.token_hex(8)}",
        tracker_db=str(data_dir / "tracker.db"),
        data_dir=str(data_dir),
    )


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False
