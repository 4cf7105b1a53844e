"""The report's figures from session summaries: a plain dict, which is also the JSON output
(keys documented in README "Staff report"). Pure Python apart from the grouping
(scikit-learn, bot/report/groups.py)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.language.tags import LANGUAGES
from bot.report.groups import Group, Message, group_messages
from bot.report.sessions import SessionSummary

#: Question order of the interview (bot/profile.py FIELD_ORDER), for the "stopped at" table.
QUESTIONS = ("municipality", "age", "unemployed", "health_affects_work_ability", "disability",
             "referral", "plan", "client_of")
NO_QUESTION = "(none)"  # abandoned before the first question was asked


@dataclass(frozen=True)
class Period:
    start: date  # first day, inclusive (local)
    end: date  # last day, inclusive (local)
    timezone: str

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _counts(counter: Counter) -> dict[str, int]:
    """Most frequent first, ties alphabetical."""
    return {k: v for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))}


def _language_row(counter: Counter) -> dict[str, int]:
    row = {lang: counter.get(lang, 0) for lang in LANGUAGES}
    row.update({k: v for k, v in sorted(counter.items()) if k not in LANGUAGES})
    return row


def conversations(sessions: Sequence[SessionSummary], period: Period) -> dict[str, Any]:
    per_day: dict[date, Counter] = {day: Counter() for day in period.days}
    messages = typed = 0
    for s in sessions:
        per_day.setdefault(s.day, Counter())[s.language] += 1
        messages += len(s.turns)
        typed += sum(1 for t in s.turns if not t.payload)
    by_language = Counter(s.language for s in sessions)
    return {
        "total": len(sessions),
        "by_language": _language_row(by_language),
        "per_day": [{"day": day.isoformat(), **_language_row(c), "total": sum(c.values())}
                    for day, c in sorted(per_day.items())],
        "messages": messages,
        "typed_messages": typed,
        "messages_per_conversation": round(messages / len(sessions), 1) if sessions else None,
    }


def interview(sessions: Sequence[SessionSummary]) -> dict[str, Any]:
    outcomes = Counter(i.outcome for s in sessions for i in s.interviews)
    stopped = Counter(i.stopped_at or NO_QUESTION for s in sessions for i in s.interviews if i.outcome == "abandoned")
    order = {q: n for n, q in enumerate((NO_QUESTION,) + QUESTIONS)}
    started = sum(outcomes.values())
    finished = outcomes["completed"] + outcomes["abandoned"]
    return {
        "started": started,
        "completed": outcomes["completed"],
        "abandoned": outcomes["abandoned"],
        "in_progress": outcomes["in_progress"],
        "completion_rate": share(outcomes["completed"], finished),
        "stopped_at": {q: stopped[q] for q in sorted(stopped, key=lambda q: (order.get(q, 99), q))},
    }


def routes(sessions: Sequence[SessionSummary]) -> dict[str, Any]:
    answers = [r for s in sessions for r in s.routes]
    return {
        "answers": len(answers),
        "no_route": sum(1 for r in answers if not r),
        "given": _counts(Counter(route for r in answers for route in r)),
    }


def answers(sessions: Sequence[SessionSummary], topic_ids: Iterable[str] = ()) -> dict[str, Any]:
    """Answer tags (actions/answer_tag.py): knowledge-base topics, and the other kinds
    (route, human_contact, fallback, privacy, ...)."""
    counts = Counter(a for s in sessions for a in s.answers)
    known = set(topic_ids)
    return {
        "total": sum(counts.values()),
        "topics": _counts(Counter({a: n for a, n in counts.items() if a in known})),
        "other": _counts(Counter({a: n for a, n in counts.items() if a not in known})),
    }


def not_understood(sessions: Sequence[SessionSummary], period: Period,
                   groups: list[Group] | None = None) -> dict[str, Any]:
    per_day: dict[date, Counter] = {day: Counter() for day in period.days}
    for s in sessions:
        for t in s.turns:
            if not t.payload:
                per_day.setdefault(t.day, Counter())["typed"] += 1
                if t.not_understood:
                    per_day[t.day]["not_understood"] += 1
    typed = sum(c["typed"] for c in per_day.values())
    missed = sum(c["not_understood"] for c in per_day.values())
    if groups is None:
        groups = group_messages(unanswered_messages(sessions))
    return {
        "messages": missed,
        "typed_messages": typed,
        "share": share(missed, typed),
        "per_day": [{"day": day.isoformat(), "typed_messages": c["typed"], "not_understood": c["not_understood"],
                     "share": share(c["not_understood"], c["typed"])} for day, c in sorted(per_day.items())],
        "by_language": _language_row(Counter(t.language for s in sessions for t in s.turns if t.not_understood)),
        "groups": [g.to_dict() for g in groups],
    }


def unanswered_messages(sessions: Sequence[SessionSummary]) -> list[Message]:
    return [Message(t.text, t.language, t.suggestion) for s in sessions for t in s.turns if t.not_understood]


def feedback(sessions: Sequence[SessionSummary]) -> dict[str, Any]:
    asked = Counter(a for s in sessions for a in s.feedback_asked)
    ratings = [r for s in sessions for r in s.ratings]
    yes = Counter(r.answer for r in ratings if r.helpful == "yes")
    no = Counter(r.answer for r in ratings if r.helpful == "no")
    comments = Counter(r.answer for r in ratings if r.comment)
    ids = sorted(set(asked) | set(yes) | set(no), key=lambda a: (-(yes[a] + no[a]), -asked[a], a))
    return {
        "asked": sum(asked.values()),
        "answered": len(ratings),
        "response_rate": share(sum(1 for r in ratings if r.answer in asked), sum(asked.values())),
        "yes": sum(yes.values()),
        "no": sum(no.values()),
        "helpful_share": share(sum(yes.values()), len(ratings)),
        "per_answer": [{"answer": a, "asked": asked[a], "yes": yes[a], "no": no[a], "comments": comments[a],
                        "helpful_share": share(yes[a], yes[a] + no[a])} for a in ids],
        "comments": sorted(({"answer": r.answer, "language": r.language, "text": r.comment}
                            for r in ratings if r.comment), key=lambda c: (c["answer"], c["language"], c["text"])),
    }


def language_switches(sessions: Sequence[SessionSummary]) -> dict[str, Any]:
    pairs = Counter(f"{a}->{b}" for s in sessions for a, b in s.switches)
    return {
        "conversations": sum(1 for s in sessions if s.switches),
        "switches": sum(pairs.values()),
        "pairs": _counts(pairs),
    }


def headline(sessions: Sequence[SessionSummary]) -> dict[str, Any]:
    """The few numbers compared with the previous period."""
    typed = sum(1 for s in sessions for t in s.turns if not t.payload)
    missed = sum(1 for s in sessions for t in s.turns if t.not_understood)
    outcomes = Counter(i.outcome for s in sessions for i in s.interviews)
    ratings = [r for s in sessions for r in s.ratings]
    return {
        "conversations": len(sessions),
        "not_understood_share": share(missed, typed),
        "interview_completion_rate": share(outcomes["completed"], outcomes["completed"] + outcomes["abandoned"]),
        "helpful_share": share(sum(1 for r in ratings if r.helpful == "yes"), len(ratings)),
    }


def build_report(sessions: Sequence[SessionSummary], period: Period, topic_ids: Iterable[str] = (),
                 previous: Sequence[SessionSummary] | None = None, generated: date | None = None,
                 database: str | None = None) -> dict[str, Any]:
    """Every figure of the report (the JSON output)."""
    groups = group_messages(unanswered_messages(sessions))
    report: dict[str, Any] = {
        "report": {
            "generated": (generated or date.today()).isoformat(),
            "first_day": period.start.isoformat(),
            "last_day": period.end.isoformat(),
            "days": len(period.days),
            "timezone": period.timezone,
            "database": database,
        },
        "summary": headline(sessions),
        "previous_period": headline(previous) if previous is not None else None,
        "conversations": conversations(sessions, period),
        "interview": interview(sessions),
        "routes": routes(sessions),
        "answers": answers(sessions, topic_ids),
        "not_understood": not_understood(sessions, period, groups),
        "feedback": feedback(sessions),
        "language_switches": language_switches(sessions),
    }
    return report
