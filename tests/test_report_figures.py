"""The staff report's computations on synthetic event lists (fast, no servers): sessions,
every figure, the grouping of messages not understood, the output formats and the command
line on a small SQLite tracker store."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from bot.report import figures
from bot.report.cli import period_days
from bot.report.formats import groups_to_nlu_yaml, to_csv, to_markdown, training_example
from bot.report.groups import Message, group_messages, normalise
from bot.report.sessions import split_sessions, summarise

HELSINKI = ZoneInfo("Europe/Helsinki")
DAY = date(2026, 11, 30)
T0 = datetime(2026, 11, 30, 10, 0, tzinfo=HELSINKI).timestamp()


class Events:
    """Builds a session's stored events the way Rasa and our actions write them."""

    def __init__(self, start: float = T0, language: str | None = "fi") -> None:
        self.t = start
        self.events: list[dict] = [self._e({"event": "action", "name": "action_session_start"}),
                                   self._e({"event": "session_started"})]
        if language:
            self.slot("language", language)

    def _e(self, event: dict) -> dict:
        self.t += 1
        return {**event, "timestamp": self.t}

    def user(self, text: str, intent: str = "greet", confidence: float = 0.9, ranking: list | None = None,
             language: str | None = None) -> Events:
        parse = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                 "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [(intent, confidence)])]}
        self.events.append(self._e({"event": "user", "text": text, "parse_data": parse}))
        if language:
            self.slot("language", language)
        return self

    def slot(self, name: str, value) -> Events:
        self.events.append(self._e({"event": "slot", "name": name, "value": value}))
        return self

    def action(self, name: str) -> Events:
        self.events.append(self._e({"event": "action", "name": name}))
        return self

    def loop(self, name: str | None) -> Events:
        self.events.append(self._e({"event": "active_loop", "name": name}))
        return self

    def bot(self, text: str | None = None, **custom) -> Events:
        data = {"custom": custom} if custom else {}
        self.events.append(self._e({"event": "bot", "text": text, "data": data}))
        return self

    def answer(self, answer_id: str, ask: bool = False) -> Events:
        self.bot("answer text").bot(answer=answer_id).slot("last_answer", answer_id)
        return self.bot("Oliko tästä apua?", feedback_question=answer_id) if ask else self

    def question(self, slot: str) -> Events:
        return self.slot("requested_slot", slot).bot("question?")

    def summary(self, now: float | None = None):
        return summarise(self.events, HELSINKI, now=now)


def period(days: int = 1) -> figures.Period:
    return figures.Period(DAY - timedelta(days=days - 1), DAY, "Europe/Helsinki")


# ------------------------------------------------------------------------ sessions


def test_split_sessions_at_session_started():
    a, b = Events(), Events(start=T0 + 5000)
    a.user("hei")
    b.user("moi")
    sessions = split_sessions(a.events + b.events)
    assert [len(s) for s in sessions] == [len(a.events), len(b.events)]
    assert split_sessions([]) == []


def test_a_session_without_resident_messages_is_not_a_conversation():
    assert Events().summary() is None


def test_day_is_the_local_day_of_the_first_message():
    late = Events(start=datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc).timestamp())
    late.user("hei")
    assert late.summary().day == date(2026, 12, 1)  # 01:30 in Helsinki


def test_the_language_of_each_message_and_the_switches():
    s = (Events(language="fi").user("hei").user("Hej, vad kostar det?", "ask_cost", language="sv")
         .user("/ask_duration", "ask_duration").user("thanks", "thanks", language="en")).summary()
    assert s.language == "fi"
    assert s.languages == ["fi", "sv", "sv", "en"]
    assert s.switches == [("fi", "sv"), ("sv", "en")]


def test_carried_over_slots_of_the_previous_session_are_ignored():
    s = (Events().slot("feedback", {"answer": "typ", "helpful": "no"}).slot("feedback_comment", "vanha")
         .user("hei")).summary()
    assert s.ratings == []


def test_completed_interview():
    e = Events().user("/start_guidance", "start_guidance").action("guidance_form").loop("guidance_form")
    e.question("municipality").user("Helsinki", "inform").question("age").user("45", "inform")
    e.slot("requested_slot", None).loop(None).action("action_give_guidance").bot(routes=["typ"]).answer("route")
    s = e.summary()
    assert [(i.outcome, i.stopped_at) for i in s.interviews] == [("completed", None)]
    assert s.routes == [["typ"]] and s.answers == ["route"]


def test_route_answers_with_and_without_a_route():
    e = Events().user("/start_guidance", "start_guidance").loop("guidance_form").loop(None)
    e.action("action_give_guidance").bot("first step").bot(answer="route", routes=["typ"], ask_next=[])
    e.user("/ask_why", "ask_why").action("action_answer_detail").bot("why").bot(answer="route")
    e.user("/start_over", "start_over").loop(None).user("/start_guidance", "start_guidance").loop("guidance_form")
    e.loop(None).action("action_give_guidance").bot("no route yet").bot(answer="route")
    s = e.summary()
    assert s.routes == [["typ"], []]
    assert s.answers == ["route", "route", "route"]  # the "why" detail is tagged route too
    assert [i.outcome for i in s.interviews] == ["completed", "completed"]


def test_abandoned_interviews_stop_at_the_last_question():
    # left: the session ended with the question unanswered (report run long after)
    left = Events().user("/start_guidance", "start_guidance").loop("guidance_form").question("municipality")
    left.user("Helsinki", "inform").question("age")
    assert [(i.outcome, i.stopped_at) for i in left.summary(now=left.t + 7200).interviews] == [("abandoned", "age")]
    # still going: the last event is recent
    assert [i.outcome for i in left.summary(now=left.t + 60).interviews] == ["in_progress"]
    # started over: the form ended without the guidance
    over = Events().user("/start_guidance", "start_guidance").loop("guidance_form").question("municipality")
    over.user("/start_over", "start_over").action("action_restart_guidance").loop(None).slot("requested_slot", None)
    over.user("hei")
    assert [(i.outcome, i.stopped_at) for i in over.summary(now=over.t).interviews] == [("abandoned", "municipality")]
    # stopped before any question was asked
    none = Events().user("/start_guidance", "start_guidance").loop("guidance_form").loop(None)
    assert [(i.outcome, i.stopped_at) for i in none.summary().interviews] == [("abandoned", None)]


def test_not_understood_typed_messages_only_and_never_a_feedback_comment():
    e = Events().user("qwerty", "nlu_fallback", 0.2, ranking=[("nlu_fallback", 0.8), ("ask_cost", 0.2)])
    e.bot(answer="fallback").action("action_default_fallback").events.append({"event": "rewind", "timestamp": e.t})
    e.user("blah", "inform", 0.6).answer("fallback")  # core fallback: an intent, but the fallback answer
    e.user("/ask_cost", "ask_cost", 1.0).answer("expense_compensation", ask=True)
    e.user("/feedback{\"helpful\":\"no\"}", "feedback", 1.0).slot("feedback", {"answer": "expense_compensation",
                                                                             "helpful": "no"})
    e.user("puuttui [PHONE]", "nlu_fallback", 0.1).slot("feedback_comment", "puuttui [PHONE]")
    s = e.summary()
    assert [t.not_understood for t in s.turns] == [True, True, False, False, False]
    assert s.turns[0].suggestion == "ask_cost"
    assert [(r.answer, r.helpful, r.comment) for r in s.ratings] == [("expense_compensation", "no", "puuttui [PHONE]")]
    assert s.feedback_asked == ["expense_compensation"]


# ------------------------------------------------------------------------ figures


def sample_sessions():
    a = Events().user("hei").user("/start_guidance", "start_guidance").loop("guidance_form").question("age")
    a.user("45", "inform").slot("requested_slot", None).loop(None).action("action_give_guidance")
    a.bot(routes=["typ", "work_ability_support"]).answer("route", ask=True)
    a.user("/feedback", "feedback").slot("feedback", {"answer": "route", "helpful": "yes"})
    b = Events(language="sv").user("hej").user("/start_guidance", "start_guidance").loop("guidance_form")
    b.question("municipality").user("/start_over", "start_over").loop(None).user("vad kostar det", "ask_cost")
    b.answer("expense_compensation", ask=True).user("hjälpte inte", "feedback")
    b.slot("feedback", {"answer": "expense_compensation", "helpful": "no"})
    b.slot("feedback_comment", "priset saknades")
    c = Events(start=T0 - 86400, language="en").user("asdf", "nlu_fallback", 0.1).answer("fallback")
    c.user("asdf!", "nlu_fallback", 0.1).answer("fallback").user("¿hola?", "nlu_fallback", 0.1, language="fi")
    c.answer("fallback")
    return [x.summary(now=x.t + 7200) for x in (a, b, c)]


def test_every_figure_on_sample_sessions():
    report = figures.build_report(sample_sessions(), period(2), topic_ids={"expense_compensation"},
                                  previous=[], generated=DAY, database="sqlite:///x.db")
    assert report["report"] == {"generated": "2026-11-30", "first_day": "2026-11-29", "last_day": "2026-11-30",
                                "days": 2, "timezone": "Europe/Helsinki", "database": "sqlite:///x.db"}
    conv = report["conversations"]
    assert conv["total"] == 3 and conv["by_language"] == {"fi": 1, "sv": 1, "en": 1}
    assert conv["per_day"] == [{"day": "2026-11-29", "fi": 0, "sv": 0, "en": 1, "total": 1},
                               {"day": "2026-11-30", "fi": 1, "sv": 1, "en": 0, "total": 2}]
    assert (conv["messages"], conv["typed_messages"], conv["messages_per_conversation"]) == (12, 8, 4.0)
    assert report["interview"] == {"started": 2, "completed": 1, "abandoned": 1, "in_progress": 0,
                                   "completion_rate": 0.5, "stopped_at": {"municipality": 1}}
    assert report["routes"] == {"answers": 1, "no_route": 0, "given": {"typ": 1, "work_ability_support": 1}}
    assert report["answers"] == {"total": 5, "topics": {"expense_compensation": 1},
                                 "other": {"fallback": 3, "route": 1}}
    nu = report["not_understood"]
    assert (nu["messages"], nu["typed_messages"], nu["share"]) == (3, 8, 0.375)
    assert nu["per_day"] == [{"day": "2026-11-29", "typed_messages": 3, "not_understood": 3, "share": 1.0},
                             {"day": "2026-11-30", "typed_messages": 5, "not_understood": 0, "share": 0.0}]
    assert nu["by_language"] == {"fi": 1, "sv": 0, "en": 2}
    assert [(g["count"], g["text"]) for g in nu["groups"]] == [(2, "asdf"), (1, "¿hola?")]
    fb = report["feedback"]
    assert (fb["asked"], fb["answered"], fb["yes"], fb["no"], fb["response_rate"], fb["helpful_share"]) == \
        (2, 2, 1, 1, 1.0, 0.5)
    assert fb["per_answer"] == [
        {"answer": "expense_compensation", "asked": 1, "yes": 0, "no": 1, "comments": 1, "helpful_share": 0.0},
        {"answer": "route", "asked": 1, "yes": 1, "no": 0, "comments": 0, "helpful_share": 1.0}]
    assert fb["comments"] == [{"answer": "expense_compensation", "language": "sv", "text": "priset saknades"}]
    assert report["language_switches"] == {"conversations": 1, "switches": 1, "pairs": {"en->fi": 1}}
    assert report["summary"] == {"conversations": 3, "not_understood_share": 0.375,
                                 "interview_completion_rate": 0.5, "helpful_share": 0.5}
    assert report["previous_period"] == {"conversations": 0, "not_understood_share": None,
                                         "interview_completion_rate": None, "helpful_share": None}


def test_empty_period():
    report = figures.build_report([], period(3), previous=None, generated=DAY)
    assert report["conversations"]["total"] == 0 and len(report["conversations"]["per_day"]) == 3
    assert report["not_understood"]["share"] is None and report["not_understood"]["groups"] == []
    assert report["previous_period"] is None
    assert "## Summary" in to_markdown(report) and to_csv(report).startswith("section,item,day,language,value,text")


# ------------------------------------------------------------------------ grouping


def test_similar_messages_are_grouped_most_frequent_first():
    texts = ["paljonko maksaa", "Paljonko maksaa?", "paljonko se maksaa", "kuntouttavan työtoiminnan hinta",
             "kuntouttava tyotoiminta hinta", "voinko tuoda koiran", "where is the library", "qwertyuiop"]
    groups = group_messages([Message(t, "fi", "ask_cost" if "maksaa" in t else None) for t in texts])
    assert [g.count for g in groups] == [3, 2, 1, 1, 1]
    assert groups[0].text == "paljonko maksaa" and groups[0].suggested_intent == "ask_cost"
    assert set(groups[1].examples) == {"kuntouttavan työtoiminnan hinta", "kuntouttava tyotoiminta hinta"}
    assert groups == group_messages([Message(t, "fi", "ask_cost" if "maksaa" in t else None) for t in texts])


def test_normalise_keeps_redaction_tokens():
    assert normalise("  Soita  MULLE: [PHONE]!! ") == "soita mulle [PHONE]"
    assert group_messages([]) == [] and group_messages([Message("?!", "fi")]) == []


# ------------------------------------------------------------------------ formats


def test_markdown_and_csv_of_the_sample():
    report = figures.build_report(sample_sessions(), period(2), topic_ids={"expense_compensation"}, previous=[],
                                  generated=DAY)
    md = to_markdown(report)
    assert md.startswith("# Kuntoutusopas: staff report 29.11.2026–30.11.2026 (2 days)")
    assert "| municipality | 1 |" in md and "- **expense_compensation** (sv): priset saknades" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert {"section": "interview", "item": "completed", "day": "", "language": "", "value": "1", "text": ""} in rows
    assert {"section": "conversations_per_day", "item": "conversations", "day": "2026-11-29", "language": "en",
            "value": "1", "text": ""} in rows
    assert json.dumps(report, ensure_ascii=False)  # serialisable as it is


def test_nlu_yaml_loads_with_rasas_reader_and_has_empty_intents():
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    groups = group_messages([Message("paljonko maksaa", "fi", "ask_cost"), Message("paljonko se maksaa", "fi"),
                             Message("soita [PHONE][EMAIL]", "fi"), Message("mikä on [x](y)", "fi")])
    text = groups_to_nlu_yaml(groups, "2026-11-29", "2026-11-30")
    RasaYAMLReader().validate(text)
    assert text.count('- intent: ""') == len(groups)
    data = RasaYAMLReader().reads(text.replace('intent: ""', "intent: ask_cost"))
    assert sorted(m.get("text") for m in data.intent_examples) == [
        "mikä on [x] (y)", "paljonko maksaa", "paljonko se maksaa", "soita [PHONE] [EMAIL]"]
    assert data.entity_examples == [], "no text reads as an entity annotation"
    assert training_example("a\u2028b\tc") == "a b c"
    empty = groups_to_nlu_yaml([], "2026-11-29", "2026-11-30")
    RasaYAMLReader().validate(empty)


# ------------------------------------------------------------------------ command line


@pytest.mark.parametrize("since,until,expected", [
    ("7d", "yesterday", (date(2026, 11, 23), date(2026, 11, 29))),
    ("1d", "today", (date(2026, 11, 30), date(2026, 11, 30))),
    ("2w", "2026-11-15", (date(2026, 11, 2), date(2026, 11, 15))),
    ("2026-11-01", "yesterday", (date(2026, 11, 1), date(2026, 11, 29))),
])
def test_period(since, until, expected):
    assert period_days(since, until, today=DAY) == expected


def tracker_db(path: Path, sessions: list[tuple[str, list[dict]]]) -> Path:
    """An SQLite file with Rasa's SQLTrackerStore table."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                           "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                           "action_name VARCHAR(255), data TEXT)")
        for sender, events in sessions:
            for event in events:
                connection.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                                   (sender, event["event"], event["timestamp"], json.dumps(event)))
    return path


def test_cli_json_md_csv_and_unanswered(tmp_path, capsys):
    now = datetime.now(HELSINKI).timestamp()
    today = datetime.now(HELSINKI).date().isoformat()
    a = Events(start=now - 3 * 3600).user("hei").user("asdf", "nlu_fallback", 0.1).answer("fallback")
    old = Events(start=now - 40 * 86400).user("hei")
    db = tracker_db(tmp_path / "t.db", [("sender-secret-1", a.events), ("sender-secret-2", old.events)])
    url = f"sqlite:///{db}"
    assert main(["report", "--db-url", url, "--until", "today", "--since", "7d", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["conversations"]["total"] == 1 and report["report"]["last_day"] == today
    assert report["not_understood"]["groups"][0]["text"] == "asdf"
    for fmt in ("md", "csv"):
        assert main(["report", "--db-url", url, "--until", "today", "--format", fmt]) == 0
        assert "sender-secret" not in capsys.readouterr().out
    assert main(["report", "--db-url", url, "--until", "today", "--unanswered", "--format", "yaml",
                 "--out", str(tmp_path / "review.yml")]) == 0
    assert "    - asdf" in (tmp_path / "review.yml").read_text()
    assert main(["report", "--db-url", url, "--until", "today", "--unanswered", "--language", "sv"]) == 0
    assert "0 messages in 0 groups" in capsys.readouterr().out


def test_cli_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--format", "yaml"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--since", "0d"])
    assert exit_info.value.code == 2
    capsys.readouterr()
    assert main(["report", "--db-url", f"sqlite:///{tmp_path / 'missing.db'}"]) == 1
    assert "no tracker store database" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists(), "the report never creates a database"
