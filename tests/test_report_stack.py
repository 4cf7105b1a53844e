"""The staff report and residents' feedback on a tracker store filled by real conversations
(issue 14): a stack of its own on free loopback ports (its own SQLite tracker store), residents
talking to the public gateway in Finnish, Swedish and English — a completed interview, an
abandoned one and one still going, topic questions, messages the assistant does not
understand, feedback yes and no with a comment holding a phone number, a resident who
ignores the comment question, a language switch, and a resident who asks to be forgotten.

What each resident saw (answer tags, routes, feedback questions, the turn's language, all in
the gateway's replies) gives the expected figures; the report computes them from the stored
events. Every figure of the report is checked, in JSON, Markdown, CSV, the charts and the
``--unanswered --format yaml`` export (loaded with Rasa's own reader).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge import get_knowledge
from bot.profile import FIELD_ORDER
from bot.settings import ROOT
from bot.stack import Stack, loopback_settings

pytestmark = pytest.mark.slow

KB = get_knowledge()
QUESTION_SLOTS = FIELD_ORDER
# One resident's answers (button payloads, as the widget sends them); "skip" for any other question.
ANSWERS = {
    "municipality": '/inform{"municipality":"Helsinki"}',
    "age": '/inform{"age":"45"}',
    "unemployed": "/affirm",
    "health_affects_work_ability": "/affirm",
    "disability": "/deny",
    "referral": '/inform{"referral":"social_welfare"}',
    "plan": '/inform{"plan":"none"}',
    "client_of": '/inform{"client_of":"social_services"}',
    "disability_pension": "/deny",
}
NO, YES = '/feedback{"helpful":"no"}', '/feedback{"helpful":"yes"}'
GIBBERISH = {"en": "qwertyuiop asdfghjkl", "fi": "qwertyuiop asdfghjklö"}
COMMENT = "puhelinnumero puuttui, soita minulle 040 123 4567"


class Resident:
    """One browser tab on the city's page: talks to the gateway like the widget does and
    remembers what it was shown."""

    def __init__(self, stack: Stack, page_language: str) -> None:
        self.base = f"http://127.0.0.1:{stack.settings.gateway_port}"
        self.page_language = page_language
        self.session = None
        self.sent: list[str] = []
        self.languages: list[str] = []  # the conversation's language after each turn
        self.answers: list[str] = []
        self.routes: list[list[str]] = []
        self.feedback_questions: list[str] = []
        self.fallbacks: list[str] = []  # typed messages answered "not understood"
        self.questions: list[str] = []  # interview questions asked
        self.replies: list[dict] = []

    def say(self, message: str) -> str:
        body = {"message": message, "language": self.page_language}
        if self.session:
            body["session"] = self.session
        request = urllib.request.Request(f"{self.base}/api/chat", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            data = json.loads(response.read())
        self.session = data.get("session") or self.session
        self.sent.append(message)
        # (after "forget me" the gateway cannot tell the deleted conversation's language)
        self.languages.append(data.get("language") or (self.languages or [self.page_language])[-1])
        self.replies = data["messages"]
        for reply in self.replies:
            custom = reply.get("custom") or {}
            if "answer" in custom:
                self.answers.append(custom["answer"])
                if custom["answer"] == "fallback":
                    self.fallbacks.append(message)
            if "routes" in custom:
                self.routes.append(custom["routes"])
            if "feedback_question" in custom:
                self.feedback_questions.append(custom["feedback_question"])
        asked = self.question()
        if asked:
            self.questions.append(asked)
        return " ".join(r.get("text") or "" for r in self.replies)

    def question(self) -> str | None:
        """The interview question in the latest reply, if any."""
        text = " ".join(r.get("text") or "" for r in self.replies)
        for slot in QUESTION_SLOTS:
            if KB.text(f"question.{slot}", self.languages[-1]).split("?")[0] in text:
                return slot
        return None

    def interview(self, stop_before: str | None = None) -> None:
        """Answers the interview's questions until the route answer (or until ``stop_before``
        is asked)."""
        self.say("/start_guidance")
        for _ in range(len(QUESTION_SLOTS) + 1):
            slot = self.question()
            if slot is None or slot == stop_before:
                return
            self.say(ANSWERS.get(slot, "/skip"))

    @property
    def typed(self) -> list[str]:
        return [m for m in self.sent if not m.startswith("/")]


@pytest.fixture(scope="module")
def seeded(trained_model, tmp_path_factory):
    """The residents' conversations on a stack of its own; the stack is stopped before the
    report reads the database (nothing else writes to it)."""
    tmp = tmp_path_factory.mktemp("report-stack")
    settings = loopback_settings(tmp, "report")
    stack = Stack(settings, trained_model, tmp / "logs",
                  extra_env={"GATEWAY_RATE_ADDRESS_PER_MINUTE": "0", "GATEWAY_RATE_SESSION_PER_MINUTE": "0"})
    residents: dict[str, Resident] = {}
    with stack:
        # A: Finnish, completed interview, "not helpful" with a comment holding a phone number.
        a = residents["a"] = Resident(stack, "fi")
        a.say("hei")
        a.interview()
        assert a.routes and a.feedback_questions == ["route"], a.replies
        assert KB.text("feedback.ask_comment", "fi")[:20] in a.say(NO)
        assert KB.text("feedback.thanks_comment", "fi") in a.say(COMMENT)
        # B: Swedish, interview abandoned (start over) after the municipality.
        b = residents["b"] = Resident(stack, "sv")
        b.say("hej")
        b.interview(stop_before="age")
        assert b.questions[-1] == "age"
        b.say("/start_over")
        # C: English topic question, "helpful", then something not understood.
        c = residents["c"] = Resident(stack, "en")
        c.say("Do I get paid for rehabilitative work activity?")
        assert c.answers == ["expense_compensation"] and c.feedback_questions == ["expense_compensation"]
        assert KB.text("feedback.thanks", "en") in c.say(YES)
        c.say(GIBBERISH["en"])
        assert c.fallbacks == [GIBBERISH["en"]], c.replies
        # D: Finnish, not understood first; typed "not helpful"; ignores the comment question
        # and asks something else: answered normally, no comment stored.
        d = residents["d"] = Resident(stack, "fi")
        d.say(GIBBERISH["fi"])
        assert d.fallbacks == [GIBBERISH["fi"]], d.replies
        d.say("mitä on kuntouttava työtoiminta?")
        assert d.feedback_questions == ["rehabilitative_work_activity"]
        assert KB.text("feedback.ask_comment", "fi")[:20] in d.say("ei auttanut")
        d.say("kuinka kauan kuntouttava työtoiminta kestää?")
        assert d.answers[-1] == "duration_and_hours", d.replies
        assert d.feedback_questions == ["rehabilitative_work_activity"], "one question per answer, not every answer"
        # E: starts in Finnish, switches to Swedish; leaves the feedback question unanswered.
        e = residents["e"] = Resident(stack, "fi")
        e.say("hei")
        e.say("Hej, vad innebär rehabiliterande arbetsverksamhet?")
        assert e.languages[-1] == "sv" and e.feedback_questions == ["rehabilitative_work_activity"]
        # F: English interview still going when the report runs.
        f = residents["f"] = Resident(stack, "en")
        f.interview(stop_before="age")
        # G: rates an answer, then asks to be forgotten: nothing of it may remain.
        g = residents["g"] = Resident(stack, "fi")
        g.say("mitä on kuntouttava työtoiminta?")
        g.say(YES)
        g.say("/forget_me")
    return {"db": Path(settings.tracker_db), "residents": residents, "tmp": tmp}


def report_cli(db: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "report", "--until", "today", "--since", "1d", *args]
        + ([] if "--endpoints" in args else ["--db-url", f"sqlite:///{db}"]),
        cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def report(seeded) -> dict:
    return json.loads(report_cli(seeded["db"], "--format", "json").stdout)


def stored(db: Path, sql: str) -> list:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


# ------------------------------------------------------------------------ every figure


def test_conversations_per_day_and_language(seeded, report):
    r = seeded["residents"]
    talked = [r[k] for k in "abcdef"]
    first_languages = Counter(x.languages[0] for x in talked)
    conv = report["conversations"]
    assert conv["total"] == 6, "G asked to be forgotten: not counted"
    assert conv["by_language"] == {lang: first_languages.get(lang, 0) for lang in ("fi", "sv", "en")}
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date().isoformat()
    assert conv["per_day"] == [{"day": today, **conv["by_language"], "total": 6}]
    assert conv["messages"] == sum(len(x.sent) for x in talked)
    assert conv["typed_messages"] == sum(len(x.typed) for x in talked)
    assert report["summary"]["conversations"] == 6
    assert report["previous_period"]["conversations"] == 0
    assert report["report"]["first_day"] == report["report"]["last_day"] == today


def test_interview_completion_and_where_residents_stop(seeded, report):
    iv = report["interview"]
    assert iv == {"started": 3, "completed": 1, "abandoned": 1, "in_progress": 1, "completion_rate": 0.5,
                  "stopped_at": {"age": 1}}
    assert report["summary"]["interview_completion_rate"] == 0.5


def test_routes_given(seeded, report):
    routes = seeded["residents"]["a"].routes
    assert report["routes"] == {"answers": 1, "no_route": 0, "given": {route: 1 for route in routes[0]}}


def test_topics_asked_and_other_answers(seeded, report):
    r = seeded["residents"]
    answers = Counter(a for k in "abcdef" for a in r[k].answers)
    topics = {a: n for a, n in answers.items() if a in KB.topics}
    assert report["answers"]["topics"] == dict(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0])))
    assert topics == {"expense_compensation": 1, "rehabilitative_work_activity": 2, "duration_and_hours": 1}
    assert report["answers"]["other"] == {a: n for a, n in answers.items() if a not in KB.topics}
    assert report["answers"]["other"]["fallback"] == 2 and report["answers"]["other"]["route"] == 1
    assert report["answers"]["total"] == sum(answers.values())


def test_share_not_understood_and_the_grouped_messages(seeded, report):
    r = seeded["residents"]
    typed = sum(len(r[k].typed) for k in "abcdef")
    nu = report["not_understood"]
    # The comment "puhelinnumero puuttui ..." is feedback, not a message the bot failed on.
    assert nu["messages"] == 2 and nu["typed_messages"] == typed
    assert nu["share"] == round(2 / typed, 4)
    assert nu["per_day"][0]["not_understood"] == 2
    assert sum(nu["by_language"].values()) == 2
    assert len(nu["groups"]) == 1, nu["groups"]
    group = nu["groups"][0]
    assert group["count"] == 2 and sorted(group["examples"]) == sorted(GIBBERISH.values())
    assert report["summary"]["not_understood_share"] == nu["share"]


def test_feedback_counts_per_answer_and_the_redacted_comment(seeded, report):
    fb = report["feedback"]
    assert fb["asked"] == 4  # A route, C, D, E; not D's second answer; G forgotten
    assert (fb["answered"], fb["yes"], fb["no"]) == (3, 1, 2)
    assert fb["response_rate"] == 0.75 and fb["helpful_share"] == round(1 / 3, 4)
    per_answer = {row["answer"]: row for row in fb["per_answer"]}
    assert per_answer["route"] == {"answer": "route", "asked": 1, "yes": 0, "no": 1, "comments": 1,
                                   "helpful_share": 0.0}
    assert per_answer["expense_compensation"] == {"answer": "expense_compensation", "asked": 1, "yes": 1, "no": 0,
                                                  "comments": 0, "helpful_share": 1.0}
    assert per_answer["rehabilitative_work_activity"] == {"answer": "rehabilitative_work_activity", "asked": 2,
                                                          "yes": 0, "no": 1, "comments": 0, "helpful_share": 0.0}
    assert fb["comments"] == [{"answer": "route", "language": "fi",
                               "text": "puhelinnumero puuttui, soita minulle [PHONE]"}]


def test_the_comment_is_stored_redacted_and_only_once(seeded):
    rows = stored(seeded["db"], "select data from events")
    everything = "\n".join(row[0] for row in rows)
    assert "040 123 4567" not in everything and "0401234567" not in everything
    comments = [json.loads(row[0])["value"] for row in rows
                if json.loads(row[0]).get("event") == "slot" and json.loads(row[0]).get("name") == "feedback_comment"
                and json.loads(row[0]).get("value")]
    assert comments == ["puhelinnumero puuttui, soita minulle [PHONE]"]


def test_language_switches(seeded, report):
    r = seeded["residents"]
    pairs = Counter(f"{a}->{b}" for k in "abcdef" for a, b in zip(r[k].languages, r[k].languages[1:]) if a != b)
    assert pairs["fi->sv"] >= 1  # E
    ls = report["language_switches"]
    assert ls["pairs"] == dict(sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])))
    assert ls["switches"] == sum(pairs.values())
    assert ls["conversations"] == sum(1 for k in "abcdef" if len(set(r[k].languages)) > 1)


# ------------------------------------------------------------------------ nothing identifying


def test_no_conversation_ids_or_times_in_any_output(seeded, report):
    senders = [row[0] for row in stored(seeded["db"], "select distinct sender_id from events")]
    assert len(senders) == 6
    outputs = [json.dumps(report)] + [report_cli(seeded["db"], "--format", f).stdout for f in ("md", "csv")]
    outputs.append(report_cli(seeded["db"], "--unanswered", "--format", "yaml").stdout)
    for text in outputs:
        assert not any(sender in text for sender in senders)
        assert not re.search(r"\b\d{1,2}:\d{2}\b", text), "a time of day"
        assert not re.search(r"\b1[6-9]\d{8}(\.\d+)?\b", text), "a Unix timestamp"


# ------------------------------------------------------------------------ formats and charts


def test_markdown_has_every_section(seeded, report):
    md = report_cli(seeded["db"], "--format", "md").stdout
    for heading in ("## Summary", "## Conversations per day and language", "## The guidance interview",
                    "## Routes given", "## Topics asked", "## Not understood", "## Feedback from residents",
                    "## Language switches"):
        assert heading in md
    assert "puhelinnumero puuttui, soita minulle [PHONE]" in md
    assert "| age | 1 |" in md
    assert "2 of " in md and "qwertyuiop" in md


def test_csv_holds_the_same_figures(seeded, report):
    rows = list(csv.DictReader(io.StringIO(report_cli(seeded["db"], "--format", "csv").stdout)))
    value = {(r["section"], r["item"]): r["value"] for r in rows if not r["day"] and not r["language"]}
    assert value[("conversations", "total")] == "6"
    assert value[("interview", "completed")] == "1" and value[("interview_stopped_at", "age")] == "1"
    assert value[("feedback", "no")] == "2" and value[("feedback_per_answer", "route:comments")] == "1"
    assert value[("not_understood", "messages")] == "2"
    comments = [r for r in rows if r["section"] == "feedback_comments"]
    assert [(c["item"], c["language"], c["text"]) for c in comments] == [
        ("route", "fi", "puhelinnumero puuttui, soita minulle [PHONE]")]


def test_charts(seeded, report):
    out = seeded["tmp"] / "charts"
    result = report_cli(seeded["db"], "--format", "json", "--plot", str(out))
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == ["conversations_per_day.png", "feedback_per_answer.png", "interview_stops.png",
                     "not_understood_per_day.png"]
    assert all((out / n).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for n in names)
    assert "chart:" in result.stderr


def test_unanswered_yaml_loads_with_rasas_reader(seeded):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    text = report_cli(seeded["db"], "--unanswered", "--format", "yaml").stdout
    assert 'intent: ""' in text and "qwertyuiop asdfghjkl" in text
    RasaYAMLReader().validate(text)  # Rasa's NLU schema: raises on an invalid file
    with pytest.warns(Warning):  # empty intents are skipped with a warning until staff fill them in
        assert RasaYAMLReader().reads(text).intent_examples == []
    labelled = RasaYAMLReader().reads(text.replace('intent: ""', "intent: out_of_scope"))
    assert sorted(m.get("text") for m in labelled.intent_examples) == sorted(GIBBERISH.values())
    assert {m.get("intent") for m in labelled.intent_examples} == {"out_of_scope"}
    finnish = report_cli(seeded["db"], "--unanswered", "--format", "yaml", "--language", "fi").stdout
    labelled = RasaYAMLReader().reads(finnish.replace('intent: ""', "intent: out_of_scope"))
    assert [m.get("text") for m in labelled.intent_examples] == [GIBBERISH["fi"]]


def test_reads_the_store_of_the_endpoints_file_like_rasa(seeded, report):
    """Same figures when the database comes from config/endpoints.yml (TRACKER_DB)."""
    result = report_cli(seeded["db"], "--format", "json", "--endpoints", str(ROOT / "config" / "endpoints.yml"),
                        env={"TRACKER_DB": str(seeded["db"])})
    via_endpoints = json.loads(result.stdout)
    assert via_endpoints["report"]["database"] == f"sqlite:///{seeded['db']}"
    for key in report:
        if key != "report":
            assert via_endpoints[key] == report[key], key


def test_the_report_does_not_write_to_the_database(seeded):
    db = seeded["db"]
    before = (db.stat().st_mtime_ns, db.read_bytes())
    report_cli(db, "--format", "json")
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before


# ------------------------------------------------------------------------ retention


def test_retention_deletes_feedback_with_the_conversation(seeded):
    from bot.privacy.retention import purge

    copy = seeded["tmp"] / "copy.db"
    with sqlite3.connect(seeded["db"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    assert stored(copy, "select count(*) from events where data like '%\"feedback_comment\"%'")[0][0] > 0
    import time

    result = purge({"dialect": "sqlite", "db": str(copy)}, days=1, now=time.time() + 2 * 24 * 3600)
    assert result.conversations == 6
    assert stored(copy, "select count(*) from events")[0][0] == 0
    after = json.loads(report_cli(copy, "--format", "json").stdout)
    assert after["feedback"]["answered"] == 0 and after["feedback"]["comments"] == []


# ------------------------------------------------------------------------ PostgreSQL


PG_BIN = Path("/usr/lib/postgresql")


def _pg_tool(name: str) -> str | None:
    import shutil

    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server on a free loopback port (Debian's postgresql package);
    skipped when it is not installed."""
    import shutil
    import tempfile

    from bot.stack import free_port

    if not (_pg_tool("initdb") and _pg_tool("pg_ctl")):
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="ko-report-pg-"))
    as_postgres = ((lambda argv: ["runuser", "-u", "postgres", "--", *argv]) if os.geteuid() == 0
                   else (lambda argv: argv))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"
    try:
        subprocess.run(as_postgres([_pg_tool("initdb"), "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8",
                                    "--no-instructions"]), check=True, capture_output=True)
        subprocess.run(as_postgres([_pg_tool("pg_ctl"), "-D", str(data), "-o", f"-p {port} -h 127.0.0.1 -k {folder}",
                                    "-l", str(folder / "pg.log"), "-w", "start"]), check=True, capture_output=True)
    except (subprocess.CalledProcessError, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start PostgreSQL: {error}")
    try:
        subprocess.run(as_postgres([_pg_tool("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "rasa", "rasa"]),
                       check=True, capture_output=True)
        yield {"port": port, "folder": folder}
    finally:
        subprocess.run(as_postgres([_pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_same_report_from_postgresql_read_only(seeded, report, postgres):
    """The seeded conversations in PostgreSQL (the production store of docker-compose), the
    table created by the tracker store itself: the report reads them through an endpoints file
    like config/endpoints.docker.yml, gives the same figures, and cannot write."""
    import sqlalchemy as sa

    from bot.privacy.tracker_store import RedactingSQLTrackerStore

    port = postgres["port"]
    store = RedactingSQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=port, db="rasa",
                                     username="rasa", password="unused", redact_logs=False)
    rows = stored(seeded["db"], "select sender_id, type_name, timestamp, intent_name, action_name, data "
                                "from events order by id")
    with store.engine.begin() as connection:
        connection.execute(store.SQLEvent.__table__.insert(), [
            dict(zip(("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data"), row))
            for row in rows])
    store.engine.dispose()
    endpoints = postgres["folder"] / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n"
        "  type: bot.privacy.tracker_store.RedactingSQLTrackerStore\n"
        "  dialect: postgresql\n"
        "  url: ${POSTGRES_HOST}\n"
        f"  port: {port}\n"
        "  db: rasa\n"
        "  username: rasa\n"
        "  password: ${POSTGRES_PASSWORD}\n"
    )
    result = report_cli(seeded["db"], "--format", "json", "--endpoints", str(endpoints),
                        env={"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PASSWORD": "secret-in-env"})
    from_postgres = json.loads(result.stdout)
    assert from_postgres["report"]["database"].startswith("postgresql://rasa:***@127.0.0.1")
    assert "secret-in-env" not in result.stdout + result.stderr
    for key in report:
        if key != "report":
            assert from_postgres[key] == report[key], key

    from bot.report.source import read_only_engine, source_from_url

    engine = read_only_engine(source_from_url(f"postgresql://rasa@127.0.0.1:{port}/rasa"))
    try:
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            with engine.begin() as connection:
                connection.execute(sa.text("delete from events"))
    finally:
        engine.dispose()
