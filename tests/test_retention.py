"""python -m bot retention: conversations whose latest event is older than the retention
period are deleted from a real SQLite tracker store written by Rasa's store classes."""
from __future__ import annotations

import asyncio
import sqlite3
import textwrap
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.__main__ import main
from bot.privacy.retention import DAY, purge, tracker_store_config
from bot.privacy.tracker_store import RedactingSQLTrackerStore
from bot.settings import ROOT

DOMAIN = Domain.from_yaml(textwrap.dedent("""
    version: "3.1"
    slots:
      age: {type: any, mappings: [{type: custom}]}
"""))
NOW = time.time()


async def _conversation(store, sender: str, *ages_in_days: float) -> None:
    """One session per age: events stamped that many days ago."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for days in ages_in_days:
        stamp = NOW - days * DAY
        for event in (
            ActionExecuted("action_session_start", timestamp=stamp),
            SessionStarted(timestamp=stamp),
            ActionExecuted("action_listen", timestamp=stamp),
            UserUttered("hei", {"name": "greet", "confidence": 1.0}, timestamp=stamp + 1),
            SlotSet("age", "45", timestamp=stamp + 1),
            BotUttered("Hei!", timestamp=stamp + 2),
            ActionExecuted("action_listen", timestamp=stamp + 2),
        ):
            tracker.update(event)
        await store.save(tracker)


@pytest.fixture
def db(tmp_path) -> Path:
    """A tracker database with four conversations (written through Rasa's SQL store and
    the redacting store, which use the same table)."""
    path = tmp_path / "tracker.db"

    async def fill():
        plain = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path))
        await _conversation(plain, "old", 45)
        await _conversation(plain, "very-old", 400, 200)
        redacting = RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path), redact_logs=False)
        await _conversation(redacting, "recent", 1)
        # started long ago, but the resident came back yesterday: kept whole
        await _conversation(redacting, "returning", 90, 1)
        plain.engine.dispose()
        redacting.engine.dispose()

    asyncio.run(fill())
    return path


def senders(db: Path) -> dict:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def endpoints_file(tmp_path: Path, db: Path) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(textwrap.dedent(f"""
        tracker_store:
          type: bot.privacy.tracker_store.RedactingSQLTrackerStore
          dialect: "sqlite"
          db: {db}
    """))
    return path


def test_purge_deletes_only_conversations_idle_for_the_period(db):
    before = senders(db)
    assert before == {"old": 7, "very-old": 14, "recent": 7, "returning": 14}
    config = {"dialect": "sqlite", "db": str(db)}

    dry = purge(config, 30, dry_run=True, now=NOW)
    assert (dry.conversations, dry.events, dry.dry_run) == (2, 21, True)
    assert senders(db) == before

    result = purge(config, 30, now=NOW)
    assert (result.conversations, result.events) == (2, 21)
    assert senders(db) == {"recent": 7, "returning": 14}

    assert purge(config, 30, now=NOW).conversations == 0


def test_the_period_is_measured_from_the_last_event(db):
    config = {"dialect": "sqlite", "db": str(db)}
    assert purge(config, 100, dry_run=True, now=NOW).conversations == 1  # only very-old (last 200 days ago)
    assert purge(config, 500, dry_run=True, now=NOW).conversations == 0
    # 2 days later with a 2-day period the two active ones are due too
    assert purge(config, 2, dry_run=True, now=NOW + 2 * DAY).conversations == 4


def test_events_without_a_timestamp_count_as_old(db):
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO events (sender_id, type_name, timestamp, data) "
                           "VALUES ('unknown', 'user', NULL, '{}')")
    result = purge({"dialect": "sqlite", "db": str(db)}, 30, now=NOW)
    assert result.conversations == 3
    assert "unknown" not in senders(db)


def test_command_line(db, tmp_path, capsys):
    endpoints = endpoints_file(tmp_path, db)
    assert main(["retention", "--endpoints", str(endpoints), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Would delete 2 conversations (21 events) with no activity for 30 days")
    assert str(db) in out
    assert len(senders(db)) == 4

    assert main(["retention", "--endpoints", str(endpoints), "--days", "60"]) == 0
    assert capsys.readouterr().out.startswith("Deleted 1 conversation (14 events) with no activity for 60 days")
    assert set(senders(db)) == {"old", "recent", "returning"}


def test_default_period_comes_from_the_settings(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KO_RETENTION_DAYS", "40")
    assert main(["retention", "--endpoints", str(endpoints_file(tmp_path, db))]) == 0
    assert "Deleted 2 conversations (21 events) with no activity for 40 days" in capsys.readouterr().out


def test_the_projects_endpoints_file_is_the_default(db, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_DB", str(db))
    config = tracker_store_config(ROOT / "config" / "endpoints.yml")
    assert config["db"] == str(db)
    assert main(["retention", "--dry-run"]) == 0
    assert "Would delete 2 conversations" in capsys.readouterr().out


def test_no_database_yet(tmp_path, capsys):
    endpoints = endpoints_file(tmp_path, tmp_path / "none.db")
    assert main(["retention", "--endpoints", str(endpoints)]) == 0
    assert "Deleted 0 conversations" in capsys.readouterr().out
    assert not (tmp_path / "none.db").exists()


def test_errors(tmp_path, capsys):
    other = tmp_path / "redis.yml"
    other.write_text("tracker_store:\n  type: redis\n  url: localhost\n")
    assert main(["retention", "--endpoints", str(other)]) == 1
    assert "SQL tracker store" in capsys.readouterr().err

    (tmp_path / "a-directory").mkdir()
    unusable = endpoints_file(tmp_path, tmp_path / "a-directory")
    assert main(["retention", "--endpoints", str(unusable)]) == 1
    assert "Cannot use the tracker store database" in capsys.readouterr().err

    with pytest.raises(SystemExit) as exit_:
        main(["retention", "--days", "0"])
    assert exit_.value.code == 2
