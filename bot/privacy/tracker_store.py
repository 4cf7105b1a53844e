"""A Rasa SQL tracker store that never stores what residents type in the clear, deletes a
conversation on "forget me", and stops the server when its database cannot be used.

    # config/endpoints.yml
    tracker_store:
      type: bot.privacy.tracker_store.RedactingSQLTrackerStore
      dialect: "sqlite"            # or postgresql with url/port/db/username/password
      db: ${TRACKER_DB}
      # startup_wait: 30           # seconds to wait for a database server (default 30; SQLite 0)
      # redact_logs: true          # also redact this process's log records (default true)

Rasa (3.6) loads it by module path (``rasa.core.tracker_store.
_load_from_module_name_in_endpoint_config``) and passes the endpoint's ``url`` as
``host`` plus the other keys, exactly like the built-in ``type: SQL`` store, so every
SQLTrackerStore setting (``dialect``, ``url``, ``port``, ``db``, ``username``,
``password``, ``login_db``, ``query``, the ``POSTGRESQL_SCHEMA``/pool variables) works.

**Redaction.** ``save`` writes the serialised events through
``bot.privacy.events.redact_event_dict``: the text, parse data, metadata and entity
values of user events are redacted (bot messages are not). The in-memory tracker of the
running turn is not touched: NLU has already read the raw text and the slots it filled
are stored as ``slot`` events, which restore them in later turns.

**Forget me.** When the tracker being saved contains ``SlotSet("forget_me", True)``
(``action_forget_me``), every stored event of that conversation (all sessions) is
deleted and nothing is written. Saving the same tracker again in the same turn deletes
again (``SQLTrackerStore.save`` only inserts events beyond the stored count, which would
otherwise re-insert the whole conversation). The next message from the same sender id
finds no tracker and starts a fresh conversation.

**Fail loudly.** Rasa's own SQL store retries a database it cannot reach forever, logs
and carries on when it cannot create its table (every save then fails and
``FailSafeTrackerStore`` keeps the conversation in memory only), and a custom store that
raises ``ImportError`` (a missing database driver) is silently replaced by an in-memory
store. This store instead checks at start-up that it can create its table and write a
(rolled back) row, waiting up to ``startup_wait`` seconds for a database server, and
raises ``TrackerStoreUnavailable`` — a ``RasaException``, which ``rasa run`` reports as
``TrackerStoreUnavailable: ...`` and exits with status 1.

SQLite deletes are made with ``PRAGMA secure_delete`` so deleted conversations do not
linger in free pages of the file.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc
import sqlalchemy.orm
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    is_postgresql_url,
    validate_port,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy.events import redact_event_dict
from bot.privacy.logging_filter import install_redacting_filter

logger = logging.getLogger(__name__)

FORGET_ME_SLOT = "forget_me"  # set by actions.session.ActionForgetMe
PROBE_SENDER_ID = "__kuntoutusopas_write_probe__"
DEFAULT_SERVER_WAIT = 30.0


class TrackerStoreUnavailable(ConnectionException):
    """The tracker store's database cannot be used (Rasa exits instead of falling back
    to an in-memory store)."""


def forget_requested(tracker: DialogueStateTracker, slot: str = FORGET_ME_SLOT) -> bool:
    return any(isinstance(e, SlotSet) and e.key == slot and e.value is True for e in tracker.events)


def _safe_url(url: Any) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<database URL>"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per SQLite connection: deleted rows are overwritten (secure_delete); write-ahead log
    with synchronous=NORMAL, so a commit is an append without an fsync (a process crash,
    even SIGKILL, loses nothing; only a power cut could lose the last turns), which was the
    largest single cost of a turn (tests/bench/results/profile); readers such as the
    retention command do not block Rasa, and a writer waits instead of failing at once."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 5000")
    finally:
        cursor.close()


def _sqlite_truncate_wal(engine: sa.engine.Engine) -> None:
    """Copies the write-ahead log into the database and empties it, so deleted
    conversations do not linger in the -wal file (secure_delete covers the database)."""
    if engine.dialect.name != "sqlite":
        return
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlalchemy.exc.SQLAlchemyError as error:  # retried by SQLite at the next checkpoint
        logger.warning("Could not empty the SQLite write-ahead log: %s", error)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with redaction, "forget me" and a start-up check (see module doc)."""

    def __init__(
        self,
        domain: Domain | None = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: EventBroker | None = None,
        login_db: str | None = None,
        query: dict | None = None,
        startup_wait: float | None = None,
        redact_logs: bool = True,
        forget_slot: str = FORGET_ME_SLOT,
        **kwargs: Any,
    ) -> None:
        # Deliberately not SQLTrackerStore.__init__: it retries forever and tolerates a
        # table it cannot create. The rest of SQLTrackerStore is used as it is.
        if redact_logs:
            install_redacting_filter()
        self.forget_slot = forget_slot
        try:
            port = validate_port(port)
            url = self.get_db_url(dialect, host, port, db, username, password, login_db, query)
            self.db_url = _safe_url(url)
            self.engine = self._create_engine(url)
            is_server = self.engine.dialect.name != "sqlite"
            wait = float(startup_wait) if startup_wait is not None else (DEFAULT_SERVER_WAIT if is_server else 0.0)
            self._connect(db, url, login_db, wait)
        except TrackerStoreUnavailable:
            raise
        except Exception as error:
            # Rasa replaces a custom store that raises ImportError or AttributeError (a
            # missing database driver, a bad setting) by an in-memory store without a
            # word: turn every problem into an error that stops the server.
            detail = f"{type(error).__name__}: {error}"
            if password:
                detail = detail.replace(str(password), "***")
            raise TrackerStoreUnavailable(
                f"Cannot set up the tracker store database ({detail}). "
                f"Check tracker_store in the endpoints file."
            ) from None  # the chained error could show the password
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        logger.info("Tracker store: %s at %s (user messages redacted before storage).",
                    type(self).__name__, self.db_url)

    # ------------------------------------------------------------------ start-up

    @staticmethod
    def _create_engine(url: Any) -> sa.engine.Engine:
        kwargs: dict[str, Any] = dict(create_engine_kwargs(url))
        if is_postgresql_url(url):
            # Fail an attempt quickly instead of hanging on an unreachable host.
            connect_args = dict(kwargs.get("connect_args", {}))
            connect_args.setdefault("connect_timeout", 10)
            kwargs["connect_args"] = connect_args
        # Replace connections the server closed (database restart) instead of failing a save.
        kwargs["pool_pre_ping"] = True
        if sa.engine.make_url(url).get_backend_name() == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection for every session (NullPool);
            # keep a few open instead. Rasa uses them from its event loop thread, the
            # retention command from its own.
            kwargs["poolclass"] = sa.pool.QueuePool
            connect_args = dict(kwargs.get("connect_args", {}))
            connect_args["check_same_thread"] = False
            kwargs["connect_args"] = connect_args
        engine = sa.create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_on_connect)
        return engine

    def _connect(self, db: str, url: Any, login_db: str | None, wait: float) -> None:
        deadline = time.monotonic() + wait
        attempt = 0
        while True:
            attempt += 1
            try:
                if login_db:
                    self._create_database_and_update_engine(db, url)
                self.Base.metadata.create_all(self.engine)
                self._check_writable()
                return
            except sqlalchemy.exc.SQLAlchemyError as error:
                reason = getattr(error, "orig", None) or error
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TrackerStoreUnavailable(
                        f"Cannot use the tracker store database {self.db_url} "
                        f"(after {attempt} attempt{'s' if attempt > 1 else ''}, "
                        f"{wait:g} s): {type(reason).__name__}: {' '.join(str(reason).split())} "
                        f"-- conversations cannot be stored, so the server does not start."
                    ) from None
                logger.warning("Tracker store database %s not usable yet (%s); retrying.",
                               self.db_url, str(reason).strip().splitlines()[0] if str(reason).strip() else reason)
                time.sleep(min(2.0, max(remaining, 0.1)))

    def _check_writable(self) -> None:
        """Writes a row and rolls it back: a read-only SQLite file or a user without
        INSERT rights fails here instead of on every save."""
        table = self.SQLEvent.__table__
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.execute(table.insert().values(
                    sender_id=PROBE_SENDER_ID, type_name="probe", timestamp=0.0, data="{}",
                ))
            finally:
                transaction.rollback()

    # ------------------------------------------------------------------ saving

    @staticmethod
    def serialise_event(event: Event) -> dict[str, Any]:
        """The stored form of ``event``: ``as_dict()`` with personal data redacted."""
        return redact_event_dict(event.as_dict())

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forget_requested(tracker, self.forget_slot):
            deleted = self.delete_conversation(tracker.sender_id)
            logger.info("Conversation deleted at the resident's request (%d stored events).", deleted)
            return

        await self.stream_events(tracker)

        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = self.serialise_event(event)
                intent = (data.get("parse_data") or {}).get("intent", {}) or {}
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent.get(INTENT_NAME_KEY) if isinstance(intent, dict) else None,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("Tracker stored (redacted).")

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: list[Event], sender_id: str
    ) -> None:
        """Events published to an event broker are redacted like stored ones."""
        for event in new_events:
            body = {"sender_id": sender_id}
            body.update(self.serialise_event(event))
            event_broker.publish(body)

    # ------------------------------------------------------------------ deleting

    def delete_conversation(self, sender_id: str, attempts: int = 3) -> int:
        """Deletes every stored event (all sessions) of ``sender_id``; returns how many.
        A transient database error (a locked SQLite file, a dropped connection) is
        retried: the resident has been told the conversation is deleted."""
        for attempt in range(1, attempts + 1):
            try:
                with self.session_scope() as session:
                    deleted = (
                        session.query(self.SQLEvent)
                        .filter(self.SQLEvent.sender_id == sender_id)
                        .delete(synchronize_session=False)
                    )
                    session.commit()
                _sqlite_truncate_wal(self.engine)
                return int(deleted or 0)
            except sqlalchemy.exc.OperationalError:
                if attempt == attempts:
                    logger.error("Could not delete a conversation the resident asked to forget.")
                    raise
                time.sleep(0.5 * attempt)
        return 0  # not reached

    def conversations_older_than(self, cutoff: float) -> tuple[list[str], int]:
        """Sender ids whose latest event is older than ``cutoff`` (a Unix time), and how
        many events they have. Events without a timestamp count as old."""
        last = sa.func.max(sa.func.coalesce(self.SQLEvent.timestamp, 0.0))
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent.sender_id, sa.func.count(self.SQLEvent.id))
                .group_by(self.SQLEvent.sender_id)
                .having(last < cutoff)
                .all()
            )
        return [row[0] for row in rows], sum(int(row[1]) for row in rows)

    def delete_conversations_older_than(self, cutoff: float) -> tuple[int, int]:
        """Deletes conversations whose latest event is older than ``cutoff``, in one
        statement (a conversation that got a new event meanwhile is kept). Returns
        (conversations, events) deleted."""
        events = self.SQLEvent
        last = sa.func.max(sa.func.coalesce(events.timestamp, 0.0))
        stale = sa.select(events.sender_id).group_by(events.sender_id).having(last < cutoff)
        with self.session_scope() as session:
            senders = {row[0] for row in session.execute(stale)}
            if not senders:
                return 0, 0
            result = session.execute(
                sa.delete(events)
                .where(events.sender_id.in_(stale.scalar_subquery()))
                .execution_options(synchronize_session=False)
            )
            session.commit()
        _sqlite_truncate_wal(self.engine)
        return len(senders), int(result.rowcount or 0)
