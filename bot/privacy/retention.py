"""Retention: delete conversations with no activity for the retention period.

    python -m bot retention [--days N] [--dry-run] [--endpoints config/endpoints.yml]

Works on the SQL tracker store configured in the endpoints file (``tracker_store`` of
type ``SQL`` or ``bot.privacy.tracker_store.RedactingSQLTrackerStore``): the SQLite file
of config/endpoints.yml by default, PostgreSQL with config/endpoints.docker.yml (its
``${POSTGRES_*}`` variables come from the environment, e.g. inside the rasa container).
A conversation (sender id) is deleted, every event of every session, when its **latest**
event is older than N days (default ``Settings.retention_days``, ``KO_RETENTION_DAYS``,
30), so an ongoing conversation is never cut. Run it daily (cron, a systemd timer or a
scheduled container); the privacy notice tells residents the period.

Exit status: 0 done (also when there is no database yet), 1 the database cannot be used,
2 invalid arguments.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.settings import ROOT, Settings, rasa_environment

DEFAULT_ENDPOINTS = ROOT / "config" / "endpoints.yml"
SQL_TYPES = {"sql", "bot.privacy.tracker_store.redactingsqltrackerstore"}
DAY = 24 * 60 * 60


class RetentionError(RuntimeError):
    pass


@dataclass(frozen=True)
class RetentionResult:
    database: str
    cutoff: float
    conversations: int
    events: int
    dry_run: bool

    def summary(self, days: int) -> str:
        when = datetime.fromtimestamp(self.cutoff, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        verb = "Would delete" if self.dry_run else "Deleted"
        return (f"{verb} {self.conversations} conversation{'s' if self.conversations != 1 else ''} "
                f"({self.events} event{'s' if self.events != 1 else ''}) with no activity for {days} days "
                f"(last event before {when}) in {self.database}.")


def tracker_store_config(endpoints: Path) -> dict[str, Any]:
    """The ``tracker_store`` section of ``endpoints``, environment variables substituted
    the way Rasa does (the single-machine defaults fill the variables Rasa needs)."""
    from rasa.utils.endpoints import read_endpoint_config

    if not endpoints.is_file():
        raise RetentionError(f"endpoints file not found: {endpoints}")
    missing = {k: v for k, v in rasa_environment(Settings.from_env()).items() if k not in os.environ}
    os.environ.update(missing)
    try:
        config = read_endpoint_config(str(endpoints), "tracker_store")
    finally:
        for key in missing:
            os.environ.pop(key, None)
    if config is None:
        raise RetentionError(f"{endpoints} has no tracker_store: conversations are not stored")
    if (config.type or "").lower() not in SQL_TYPES:
        raise RetentionError(f"{endpoints}: retention works on an SQL tracker store, not {config.type!r}")
    return {"host": config.url, **config.kwargs}


def _sqlite_file(config: dict[str, Any]) -> Path | None:
    if (str(config.get("dialect", "sqlite")).lower() != "sqlite"
            or (config.get("host") and "://" in str(config["host"]))):
        return None
    return Path(str(config.get("db", "rasa.db")))


def purge(config: dict[str, Any], days: int, dry_run: bool = False, now: float | None = None) -> RetentionResult:
    """Deletes (or, with ``dry_run``, counts) conversations whose latest event is older
    than ``days`` days before ``now``."""
    cutoff = (time.time() if now is None else now) - days * DAY
    sqlite_file = _sqlite_file(config)
    if sqlite_file is not None and not sqlite_file.exists():
        return RetentionResult(f"sqlite:///{sqlite_file} (no database yet)", cutoff, 0, 0, dry_run)

    from bot.privacy.tracker_store import RedactingSQLTrackerStore

    store = RedactingSQLTrackerStore(**{**config, "redact_logs": False})
    try:
        if dry_run:
            senders, events = store.conversations_older_than(cutoff)
            conversations = len(senders)
        else:
            conversations, events = store.delete_conversations_older_than(cutoff)
    finally:
        store.engine.dispose()
    return RetentionResult(store.db_url, cutoff, conversations, events, dry_run)


def _positive_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError("the retention period must be at least 1 day")
    return days


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=_positive_days, default=None,
                        help="delete conversations whose last event is older than this many days "
                             "(default: KO_RETENTION_DAYS, 30)")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    parser.add_argument("--endpoints", type=Path, default=DEFAULT_ENDPOINTS,
                        help="Rasa endpoints file whose tracker_store to clean (default: config/endpoints.yml)")


def run(args: argparse.Namespace) -> int:
    from rasa.shared.exceptions import RasaException

    from bot.privacy.tracker_store import TrackerStoreUnavailable

    days = args.days if args.days is not None else Settings.from_env().retention_days
    if days < 1:
        print(f"retention: the retention period must be at least 1 day, got {days} (KO_RETENTION_DAYS)",
              file=sys.stderr)
        return 1
    try:
        config = tracker_store_config(args.endpoints)
        result = purge(config, days, dry_run=args.dry_run)
    except (RetentionError, TrackerStoreUnavailable, RasaException) as error:
        print(f"retention: {error}", file=sys.stderr)
        return 1
    print(result.summary(days))
    return 0
