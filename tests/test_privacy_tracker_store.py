"""bot.privacy.tracker_store against real SQLite databases, real Rasa trackers and Rasa's
own tracker store factory: the database never holds what residents typed in the clear,
"forget me" deletes the conversation for good, and a database that cannot be used stops
the server instead of Rasa quietly keeping conversations in memory."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    EntitiesAdded,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.privacy.tracker_store import (
    FORGET_ME_SLOT,
    RedactingSQLTrackerStore,
    TrackerStoreUnavailable,
    forget_requested,
)
from bot.settings import ROOT

STORE_TYPE = "bot.privacy.tracker_store.RedactingSQLTrackerStore"

DOMAIN = Domain.from_yaml(textwrap.dedent("""
    version: "3.1"
    entities: [age, municipality, referral]
    slots:
      language: {type: categorical, values: [fi, sv, en], initial_value: fi, mappings: [{type: custom}]}
      age: {type: any, influence_conversation: false, mappings: [{type: from_entity, entity: age}]}
      municipality: {type: any, influence_conversation: false, mappings: [{type: from_entity, entity: municipality}]}
      referral: {type: any, influence_conversation: false, mappings: [{type: from_entity, entity: referral}]}
      note: {type: any, influence_conversation: false, mappings: [{type: custom}]}
      forget_me: {type: bool, initial_value: false, influence_conversation: false, mappings: [{type: custom}]}
    responses:
      utter_greet: [{text: "Hei"}]
"""))

# What a resident might type, and the raw values that must never reach the database.
MESSAGE = ("olen 45v helsinkiläinen ja minulla on lähete, hetu 010190-123M, puh 040 123 4567, "
           "matti.meikalainen@example.fi, tili FI21 1234 5600 0007 85, asun Mannerheimintie 12 B 34")
SECRETS = ["010190-123M", "123M", "040 123 4567", "1234567", "matti.meikalainen", "@example.fi",
           "FI21", "5600 0007", "Mannerheimintie 12", "12 B 34"]
# The assistant's own message names a service address and phone number: stored as it is.
BOT_TEXT = "Työkykypalvelut, Hopeatie 6, 00440 Helsinki, puh. 09 310 12345"


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(autouse=True)
def _restore_log_record_factory():
    # Stores built with redact_logs=True install log redaction for the whole process.
    factory = logging.getLogRecordFactory()
    yield
    logging.setLogRecordFactory(factory)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db) -> RedactingSQLTrackerStore:
    store = RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db), redact_logs=False)
    yield store
    store.engine.dispose()


def rows(db: Path, sender: str | None = None) -> list[dict]:
    with sqlite3.connect(db) as connection:
        query = "SELECT sender_id, type_name, data FROM events"
        params: tuple = ()
        if sender is not None:
            query += " WHERE sender_id = ?"
            params = (sender,)
        return [
            {"sender_id": s, "type_name": t, "data": json.loads(d), "raw": d}
            for s, t, d in connection.execute(query + " ORDER BY id", params)
        ]


def raw_file(db: Path) -> str:
    """Everything SQLite keeps on disk for the database: the file and its write-ahead log."""
    files = [db, db.with_name(db.name + "-wal")]
    return "".join(f.read_bytes().decode("utf-8", errors="replace") for f in files if f.exists())


def user_turn(tracker: DialogueStateTracker, text: str, entities: list, slots: dict) -> None:
    """What Rasa's processor does in one turn: NLU on the raw text, slots from the
    entities, a bot answer, listen."""
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.98}, entities,
                               metadata={"language": "fi", "note": text}))
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered(BOT_TEXT, metadata={"utter_action": "utter_greet"}))
    tracker.update(ActionExecuted("action_listen"))


def entities_of(text: str) -> list:
    def span(fragment: str, entity: str, value: str) -> dict:
        start = text.index(fragment)
        return {"entity": entity, "value": value, "start": start, "end": start + len(fragment),
                "extractor": "ProfileEntityExtractor"}
    return [
        span("45v", "age", "45"),
        span("helsinkiläinen", "municipality", "Helsinki"),
        span("lähete", "referral", "social_welfare"),
        # an over-eager extractor copying part of the identity code
        span("123M", "note", "123M"),
    ]


async def first_turn(store: RedactingSQLTrackerStore, sender: str = "resident-1") -> DialogueStateTracker:
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    user_turn(tracker, MESSAGE, entities_of(MESSAGE),
              {"age": "45", "municipality": "Helsinki", "referral": "social_welfare"})
    await store.save(tracker)
    return tracker


# --------------------------------------------------------------------------- loading by Rasa

def test_rasa_loads_the_store_from_the_projects_endpoints_file(db, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "x")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "config" / "endpoints.yml"))
    assert endpoints.tracker_store.type == STORE_TYPE
    store = TrackerStore.create(endpoints.tracker_store, domain=DOMAIN)
    assert type(store) is RedactingSQLTrackerStore
    assert store.engine.url.database == str(db)
    assert db.exists()
    store.engine.dispose()


def test_docker_endpoints_use_the_store_with_postgresql():
    import yaml

    config = yaml.safe_load((ROOT / "config" / "endpoints.docker.yml").read_text())["tracker_store"]
    assert config["type"] == STORE_TYPE
    assert config["dialect"] == "postgresql"
    url = RedactingSQLTrackerStore.get_db_url(
        config["dialect"], config["url"], config["port"], "rasa", "rasa", "pw")
    assert str(url) == "postgresql://rasa:pw@postgres:5432/rasa"


# --------------------------------------------------------------------------- redaction

def test_the_database_never_holds_what_the_resident_typed(store, db):
    run(first_turn(store))
    stored = rows(db)
    user_rows = [r for r in stored if r["type_name"] == "user"]
    assert len(user_rows) == 1
    for secret in SECRETS:
        assert secret not in raw_file(db), secret
        for row in stored:
            assert secret not in row["raw"], (secret, row["type_name"])
    data = user_rows[0]["data"]
    assert data["text"].startswith("olen 45v helsinkiläinen ja minulla on lähete, hetu [HETU], puh [PHONE], [EMAIL]")
    assert data["text"].endswith("tili [IBAN], asun [ADDRESS]")
    assert data["parse_data"]["text"] == data["text"]
    assert data["metadata"] == {"language": "fi", "note": data["text"]}
    # entity values the resident typed stay (age, municipality); a part of the code does not
    entities = {e["entity"]: e for e in data["parse_data"]["entities"]}
    assert entities["age"]["value"] == "45"
    assert entities["municipality"]["value"] == "Helsinki"
    assert entities["note"]["value"] == "[HETU]"
    # offsets point into the redacted text
    for entity in entities.values():
        fragment = data["text"][entity["start"]:entity["end"]]
        assert fragment in ("45v", "helsinkiläinen", "lähete", "[HETU]")
    assert data["parse_data"]["intent"] == {"name": "inform", "confidence": 0.98}


def test_bot_messages_are_stored_unchanged(store, db):
    run(first_turn(store))
    (bot,) = [r for r in rows(db) if r["type_name"] == "bot"]
    assert bot["data"]["text"] == BOT_TEXT


def test_the_running_turn_keeps_the_raw_text(store):
    tracker = run(first_turn(store))
    # NLU, actions and the reply of this turn still see what was typed
    assert tracker.latest_message.text == MESSAGE
    assert tracker.latest_message.parse_data["text"] == MESSAGE
    assert {e["value"] for e in tracker.latest_message.entities} >= {"45", "123M"}


def test_slots_come_back_in_the_next_turn(store):
    run(first_turn(store))
    tracker = run(store.retrieve("resident-1"))
    assert tracker.get_slot("age") == "45"
    assert tracker.get_slot("municipality") == "Helsinki"
    assert tracker.get_slot("referral") == "social_welfare"
    assert "[HETU]" in tracker.latest_message.text
    assert tracker.latest_message.intent["name"] == "inform"


def test_later_turns_append_and_are_redacted(store, db):
    async def conversation():
        await first_turn(store)
        tracker = await store.retrieve("resident-1")
        user_turn(tracker, "Minun numeroni on +358 50 765 4321", [], {"note": "soita +358 50 765 4321"})
        await store.save(tracker)
        await store.save(tracker)  # saving twice adds nothing
        return await store.retrieve_full_tracker("resident-1")

    tracker = run(conversation())
    stored = rows(db, "resident-1")
    assert len(stored) == len(tracker.events)
    assert [r["type_name"] for r in stored].count("user") == 2
    assert "765 4321" not in raw_file(db)
    assert tracker.get_slot("note") == "soita [PHONE]"
    assert tracker.get_slot("age") == "45"


def test_entities_added_by_actions_are_redacted(store, db):
    async def conversation():
        tracker = await store.get_or_create_tracker("resident-2", append_action_listen=True)
        tracker.update(EntitiesAdded([{"entity": "note", "value": "hetu 010190-123M"}]))
        await store.save(tracker)

    run(conversation())
    (added,) = [r for r in rows(db) if r["type_name"] == "entities"]
    assert added["data"]["entities"][0]["value"] == "hetu [HETU]"


def test_events_sent_to_an_event_broker_are_redacted(db):
    class Broker:
        def __init__(self):
            self.published = []

        def publish(self, event):
            self.published.append(event)

    broker = Broker()
    store = RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db), event_broker=broker, redact_logs=False)
    run(first_turn(store))
    user = [e for e in broker.published if e["event"] == "user"]
    assert len(user) == 1 and "[HETU]" in user[0]["text"]
    assert all(secret not in json.dumps(broker.published) for secret in SECRETS)


# --------------------------------------------------------------------------- forget me

def test_forget_me_deletes_every_stored_event_of_the_conversation(store, db):
    async def conversation():
        await first_turn(store, "resident-1")
        await first_turn(store, "someone-else")
        # a second session of resident-1, then "forget me"
        tracker = await store.retrieve("resident-1")
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        tracker = await store.retrieve("resident-1")
        tracker.update(UserUttered("unohda minut", {"name": "forget_me", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_forget_me"))
        tracker.update(BotUttered("Keskustelu on poistettu.", data={"custom": {"forget_me": True}}))
        tracker.update(ActiveLoop(None))
        tracker.update(SlotSet("age", None))
        tracker.update(SlotSet(FORGET_ME_SLOT, True))
        tracker.update(ActionExecuted("action_listen"))
        assert forget_requested(tracker)
        await store.save(tracker)
        assert rows(db, "resident-1") == []
        # Rasa may save the same tracker again in the turn: still nothing is stored
        await store.save(tracker)
        assert rows(db, "resident-1") == []
        assert await store.retrieve("resident-1") is None
        assert "resident-1" not in await store.keys()

    run(conversation())
    assert rows(db, "someone-else")  # other conversations are untouched
    assert all(r["sender_id"] == "someone-else" for r in rows(db))


def test_after_forget_me_the_next_message_starts_a_fresh_conversation(store, db):
    async def conversation():
        tracker = await first_turn(store, "resident-1")
        tracker.update(UserUttered("unohda minut", {"name": "forget_me", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_forget_me"))
        tracker.update(SlotSet(FORGET_ME_SLOT, True))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)

        # The next message, as Rasa's processor handles it (get_tracker + session start)
        fresh = await store.get_or_create_tracker("resident-1", append_action_listen=False)
        assert len(fresh.events) == 0
        fresh.update(ActionExecuted("action_session_start"))
        fresh.update(SessionStarted())
        fresh.update(ActionExecuted("action_listen"))
        user_turn(fresh, "hei", [], {})
        await store.save(fresh)
        return await store.retrieve_full_tracker("resident-1")

    tracker = run(conversation())
    stored = rows(db, "resident-1")
    assert [r["data"].get("text") for r in stored if r["type_name"] == "user"] == ["hei"]
    assert len(stored) == len(tracker.events)
    assert tracker.get_slot(FORGET_ME_SLOT) is False
    assert tracker.get_slot("age") is None
    assert "olen 45v" not in raw_file(db)


def test_deleted_text_does_not_linger_in_the_sqlite_file(store, db):
    async def conversation():
        tracker = await store.get_or_create_tracker("resident-3", append_action_listen=True)
        tracker.update(UserUttered("hyvin yksityinen terveystieto xyzzy", {"name": "inform", "confidence": 1.0}))
        await store.save(tracker)
        assert "xyzzy" in raw_file(db)
        tracker.update(SlotSet(FORGET_ME_SLOT, True))
        await store.save(tracker)

    run(conversation())
    # PRAGMA secure_delete overwrote it in the database; the write-ahead log was emptied.
    assert "xyzzy" not in raw_file(db)


# --------------------------------------------------------------------------- failing loudly

def test_unopenable_sqlite_file_raises(tmp_path):
    with pytest.raises(TrackerStoreUnavailable, match="unable to open database file"):
        RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "missing" / "tracker.db"),
                                 redact_logs=False)


def test_read_only_sqlite_database_raises(db, store):
    # The table exists (created by the fixture); a read-only connection cannot write.
    with pytest.raises(TrackerStoreUnavailable, match="readonly"):
        RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=f"file:{db}", query={"mode": "ro", "uri": "true"},
                                 redact_logs=False)


def test_rasa_factory_does_not_fall_back_to_memory(tmp_path):
    """Rasa replaces a custom store whose constructor raises ImportError/AttributeError by
    an InMemoryTrackerStore; these errors must stop start-up instead."""
    cases = [
        {"dialect": "sqlite", "db": str(tmp_path / "missing" / "tracker.db")},
        {"dialect": "mysql", "url": "127.0.0.1", "db": "rasa"},  # no driver installed: ImportError
        {"dialect": "sqlite", "db": str(tmp_path / "t.db"), "port": "not-a-port"},
    ]
    for kwargs in cases:
        config = EndpointConfig(type=STORE_TYPE, **kwargs)
        with pytest.raises(TrackerStoreUnavailable):
            store = TrackerStore.create(config, domain=DOMAIN)
            assert not isinstance(store, InMemoryTrackerStore), kwargs


def test_unreachable_postgresql_raises_after_the_wait():
    start = time.monotonic()
    with pytest.raises(TrackerStoreUnavailable) as error:
        RedactingSQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1", port=1, db="rasa",
                                 username="rasa", password="s3cret-pw", startup_wait=1, redact_logs=False)
    assert time.monotonic() - start < 30
    message = str(error.value)
    assert "postgresql://rasa:***@127.0.0.1:1/rasa" in message
    assert "s3cret-pw" not in message
    assert "attempt" in message


def test_the_store_installs_log_redaction_in_rasa(db, caplog):
    from bot.privacy import logging_filter

    factory = logging.getLogRecordFactory()
    try:
        store = RedactingSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
        assert logging_filter.is_installed()
        with caplog.at_level(logging.INFO):
            logging.getLogger("rasa.core.processor").info("Received user message '%s'", "hetu 010190-123M")
        assert "010190-123M" not in caplog.text and "[HETU]" in caplog.text
        store.engine.dispose()
    finally:
        logging.setLogRecordFactory(factory)


# --------------------------------------------------------------------------- rasa run

def _rasa_run(endpoints: Path, tmp_path: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update({"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))})
    return subprocess.run(
        [sys.executable, "-m", "rasa", "run", "--enable-api", "--model", str(tmp_path / "no-model"),
         "--endpoints", str(endpoints), "--interface", "127.0.0.1", "--port", "0"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout,
    )


@pytest.mark.slow
@pytest.mark.parametrize("settings, expected", [
    ({"dialect": '"sqlite"', "db": "{tmp}/missing/tracker.db"}, "unable to open database file"),
    ({"dialect": "postgresql", "url": "127.0.0.1", "port": "1", "db": "rasa", "username": "rasa",
      "password": "pw", "startup_wait": "2"}, "Connection refused"),
])
def test_rasa_run_exits_when_the_database_cannot_be_used(tmp_path, settings, expected):
    lines = [f"  {key}: {value.format(tmp=tmp_path)}" for key, value in settings.items()]
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: " + STORE_TYPE + "\n" + "\n".join(lines) + "\n")
    result = _rasa_run(endpoints, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert "TrackerStoreUnavailable: Cannot use the tracker store database" in output, output[-3000:]
    assert expected in output
    assert "Rasa server is up and running" not in output


# --------------------------------------------------------------------------- the real stack

def _rest(stack, sender: str, message: str) -> list:
    import urllib.request

    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(f"{stack.settings.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_end_to_end_redaction_and_forget_me(stack):
    """Rasa with config/endpoints.yml (this store), the action server and a trained model."""
    import uuid

    db = Path(stack.settings.tracker_db)
    sender = uuid.uuid4().hex
    typed = "Hei, olen 45-vuotias helsinkiläinen. Hetuni on 010190-123M ja puhelin 040 123 4567"
    replies = _rest(stack, sender, typed)
    assert replies, "the turn is answered"

    stored = rows(db, sender)
    user_texts = [r["data"]["text"] for r in stored if r["type_name"] == "user"]
    assert user_texts == ["Hei, olen 45-vuotias helsinkiläinen. Hetuni on [HETU] ja puhelin [PHONE]"]
    for secret in ("010190-123M", "040 123 4567"):
        assert all(secret not in r["raw"] for r in stored), secret
        for name in ("rasa", "actions"):
            assert secret not in stack.service(name).log_path.read_text(errors="replace"), name

    replies = _rest(stack, sender, "/forget_me")
    assert any(r.get("custom", {}).get("forget_me") is True for r in replies), replies
    assert rows(db, sender) == []

    _rest(stack, sender, "/greet")
    stored = rows(db, sender)
    assert [r["data"]["text"] for r in stored if r["type_name"] == "user"] == ["/greet"]
    assert not any(r["type_name"] == "slot" and r["data"]["name"] == FORGET_ME_SLOT and r["data"]["value"]
                   for r in stored)
