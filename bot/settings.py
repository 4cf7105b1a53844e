"""Runtime settings from environment variables, with the embedded single-machine defaults.

Every process (supervisor, Rasa, action server, gateway, tests) reads its configuration
through here so that defaults live in one place. Secrets have no defaults in production:
the supervisor generates a per-run token when none is given.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"environment variable {name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    host: str
    gateway_port: int
    rasa_port: int
    action_port: int
    rasa_url: str
    action_endpoint_url: str
    rasa_token: str
    action_server_token: str
    tracker_db: str
    model_dir: str
    data_dir: str
    retention_days: int

    @classmethod
    def from_env(cls) -> Settings:
        host = _env("KO_HOST", "127.0.0.1")
        rasa_port = _env_int("KO_RASA_PORT", 5005)
        action_port = _env_int("KO_ACTION_PORT", 5055)
        data_dir = _env("KO_DATA_DIR", str(ROOT / ".data"))
        return cls(
            host=host,
            gateway_port=_env_int("KO_GATEWAY_PORT", 8000),
            rasa_port=rasa_port,
            action_port=action_port,
            rasa_url=_env("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
            action_endpoint_url=_env("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{action_port}/webhook"),
            rasa_token=os.environ.get("RASA_TOKEN", ""),
            action_server_token=os.environ.get("ACTION_SERVER_TOKEN", ""),
            tracker_db=_env("TRACKER_DB", str(Path(data_dir) / "tracker.db")),
            model_dir=_env("KO_MODEL_DIR", str(ROOT / "models")),
            data_dir=data_dir,
            # Conversations older than this are deleted (python -m bot retention).
            retention_days=_env_int("KO_RETENTION_DAYS", 30),
        )


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Variables that config/endpoints.yml interpolates (Rasa fails on undefined ones)."""
    return {
        "ACTION_ENDPOINT_URL": settings.action_endpoint_url,
        "TRACKER_DB": settings.tracker_db,
        "ACTION_SERVER_TOKEN": settings.action_server_token,
    }


if __name__ == "__main__":
    # `eval "$(python -m bot.settings --export)"`: the variables config/endpoints.yml needs,
    # for running Rasa by hand (make shell).
    import shlex
    import sys

    if sys.argv[1:] != ["--export"]:
        sys.exit("usage: python -m bot.settings --export")
    for key, value in rasa_environment(Settings.from_env()).items():
        print(f"export {key}={shlex.quote(value)}")
