"""Reading stored conversations from the SQL tracker store, read-only.

The database is the one of ``tracker_store`` in the Rasa endpoints file (the SQLite file
of config/endpoints.yml by default; PostgreSQL with config/endpoints.docker.yml), turned
into the same SQLAlchemy URL Rasa's ``SQLTrackerStore`` builds, or any SQLAlchemy URL
given with ``--db-url``. Nothing is written: SQLite is opened with ``mode=ro`` and
``PRAGMA query_only``, PostgreSQL with ``default_transaction_read_only``, and no table is
created (a missing SQLite file is reported, not created).

Sender ids are used only to put a conversation's events together; they never leave this
module.
"""
from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.report.sessions import Event, split_sessions


class SourceError(RuntimeError):
    """The tracker store cannot be read."""


@dataclass(frozen=True)
class Source:
    url: str  # SQLAlchemy URL
    label: str  # printable, password hidden

    @property
    def is_sqlite(self) -> bool:
        return sa.engine.make_url(self.url).get_backend_name() == "sqlite"


def _label(url: Any) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<database URL>"


def source_from_endpoints(endpoints: Path) -> Source:
    """The tracker store database of a Rasa endpoints file (environment variables
    substituted like Rasa does; see bot.privacy.retention.tracker_store_config)."""
    # Rasa's import-time deprecation warnings are not the staff's business (its dependencies
    # add their own warning filters while importing, so they are muted at the source).
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    with warnings.catch_warnings():
        warnings.showwarning = lambda *args, **kwargs: None
        from rasa.core.tracker_store import SQLTrackerStore

        from bot.privacy.retention import RetentionError, tracker_store_config

        try:
            config = tracker_store_config(endpoints)
        except RetentionError as error:
            raise SourceError(str(error).replace("retention works on", "the report reads")) from None
        url = SQLTrackerStore.get_db_url(
            str(config.get("dialect", "sqlite")), config.get("host"), config.get("port"),
            str(config.get("db", "rasa.db")), config.get("username"), config.get("password"),
            config.get("login_db"), config.get("query"),
        )
    return Source(str(url) if not isinstance(url, str) else url, _label(url))


def source_from_url(url: str) -> Source:
    try:
        sa.engine.make_url(url)
    except Exception as error:  # noqa: BLE001
        raise SourceError(f"not an SQLAlchemy database URL: {error}") from None
    return Source(url, _label(url))


def _sqlite_path(url: sa.engine.URL) -> Path | None:
    database = url.database
    return Path(database) if database and database != ":memory:" else None


def read_only_engine(source: Source) -> sa.engine.Engine:
    url = sa.engine.make_url(source.url)
    if source.is_sqlite:
        path = _sqlite_path(url)
        if path is None or not path.is_file():
            raise SourceError(f"no tracker store database at {source.label} (nothing stored yet?)")
        uri = f"file:{path.resolve()}?mode=ro"
        engine = sa.create_engine("sqlite://", creator=lambda: _sqlite_connect(uri))
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        connect_args["options"] = "-c default_transaction_read_only=on"
        connect_args["connect_timeout"] = 10
    return sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True)


def _sqlite_connect(uri: str):
    import sqlite3

    connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5.0)
    connection.execute("PRAGMA query_only = ON")
    return connection


def _events_table(engine: sa.engine.Engine) -> sa.Table:
    """The tracker store's ``events`` table (Rasa's SQLTrackerStore schema); PostgreSQL's
    schema from ``POSTGRESQL_SCHEMA`` like Rasa."""
    schema = os.environ.get("POSTGRESQL_SCHEMA") if engine.dialect.name == "postgresql" else None
    metadata = sa.MetaData()
    return sa.Table(
        "events", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("type_name", sa.String(255)),
        sa.Column("timestamp", sa.Float),
        sa.Column("data", sa.Text),
        schema=schema,
    )


def read_sessions(source: Source, since: float | None = None, until: float | None = None,
                  batch: int = 2000) -> Iterator[list[Event]]:
    """Every stored session of every conversation that has an event in [since, until),
    each as its list of event dicts (the caller keeps those that started in the window)."""
    engine = read_only_engine(source)
    try:
        table = _events_table(engine)
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events", schema=table.schema):
                return
            active = sa.select(table.c.sender_id).distinct()
            if since is not None:
                active = active.where(table.c.timestamp >= since)
            if until is not None:
                active = active.where(table.c.timestamp < until)
            query = (
                sa.select(table.c.sender_id, table.c.data)
                .where(table.c.sender_id.in_(active.scalar_subquery()))
                .order_by(table.c.sender_id, table.c.id)
            )
            result = connection.execution_options(stream_results=True).execute(query)
            sender: str | None = None
            events: list[Event] = []
            for row in result.yield_per(batch):
                if row[0] != sender:
                    if events:
                        yield from split_sessions(events)
                    sender, events = row[0], []
                try:
                    events.append(json.loads(row[1]))
                except (TypeError, ValueError):
                    continue
            if events:
                yield from split_sessions(events)
    except sa.exc.SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise SourceError(f"cannot read {source.label}: {type(reason).__name__}: {reason}") from None
    finally:
        engine.dispose()
