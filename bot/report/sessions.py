"""One session's stored events -> what happened in it (pure Python, no database).

Input: the serialised events of one Rasa session in stored order (``Event.as_dict()`` as
the tracker store keeps them: user texts already redacted). A session starts at
``session_started`` (Rasa starts a new one after ``session_expiration_time`` idle
minutes); the events of one sender id are split by :func:`split_sessions`.

What is read:

* user messages (``user``): text, intent and its confidence, the NLU's ranking; a text
  starting with ``/`` is a button payload, the rest are typed;
* the language of each message: the ``language`` slot at the end of its turn (set by
  ``action_validate_slot_mappings`` right after the message);
* answers: bot messages ``{"custom": {"answer": id}}`` (actions/answer_tag.py); route answers:
  ``action_give_guidance`` with the ``routes`` list of its tag (empty when no route applies);
  feedback questions: ``{"custom": {"feedback_question": id}}``;
* the interview: ``active_loop`` guidance_form, ``requested_slot`` while it runs, and
  ``action_give_guidance``;
* feedback: slot ``feedback`` (``{"answer", "helpful"}``) and slot ``feedback_comment``.
  Slot events before the first user message of a session are the previous session's
  values carried over by ``action_session_start`` and are ignored.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any

INTERVIEW_FORM = "guidance_form"
GIVE_GUIDANCE = "action_give_guidance"
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ANSWER = "fallback"
DEFAULT_LANGUAGE = "fi"  # the language slot's initial value (config/domain/core.yml)
#: A session whose last event is more recent than this is still going on.
SESSION_IDLE_SECONDS = 60 * 60

Event = dict[str, Any]


@dataclass
class Turn:
    """One resident message and what the assistant did with it."""

    text: str
    payload: bool
    intent: str | None
    confidence: float
    suggestion: str | None  # the NLU's best guess other than nlu_fallback
    day: date
    language: str = DEFAULT_LANGUAGE
    answers: list[str] = field(default_factory=list)
    comment: bool = False  # taken as a feedback comment

    @property
    def not_understood(self) -> bool:
        return not self.payload and not self.comment and (
            self.intent == FALLBACK_INTENT or FALLBACK_ANSWER in self.answers)


@dataclass
class Interview:
    outcome: str  # "completed" | "abandoned" | "in_progress"
    stopped_at: str | None  # the last question asked (requested_slot), for abandoned ones


@dataclass
class Rating:
    answer: str
    helpful: str  # "yes" | "no"
    language: str
    comment: str | None = None


@dataclass
class SessionSummary:
    day: date  # day of the first resident message (local time)
    language: str  # language of the first resident message
    turns: list[Turn]
    interviews: list[Interview] = field(default_factory=list)
    routes: list[list[str]] = field(default_factory=list)  # route ids of each route answer
    answers: list[str] = field(default_factory=list)
    feedback_asked: list[str] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return [turn.language for turn in self.turns]

    @property
    def switches(self) -> list[tuple[str, str]]:
        langs = self.languages
        return [(a, b) for a, b in zip(langs, langs[1:]) if a != b]


def split_sessions(events: Iterable[Event]) -> list[list[Event]]:
    """A sender's stored events split into sessions at ``session_started``."""
    sessions: list[list[Event]] = []
    current: list[Event] = []
    for event in events:
        if event.get("event") == "session_started" and current:
            # Rasa logs ActionExecuted(action_session_start) just before it: it belongs to
            # the new session.
            carried = [current.pop()] if current[-1].get("name") == "action_session_start" else []
            if current:
                sessions.append(current)
            current = carried
        current.append(event)
    if current:
        sessions.append(current)
    return sessions


def local_day(timestamp: float | None, tz: tzinfo) -> date:
    return datetime.fromtimestamp(float(timestamp or 0.0), tz=timezone.utc).astimezone(tz).date()


def _custom(event: Event) -> dict[str, Any]:
    data = event.get("data")
    custom = data.get("custom") if isinstance(data, dict) else None
    return custom if isinstance(custom, dict) else {}


def _intent(event: Event) -> tuple[str | None, float, str | None]:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    confidence = float(intent.get("confidence") or 0.0) if isinstance(intent, dict) else 0.0
    suggestion = None
    for ranked in parse.get("intent_ranking") or []:
        if isinstance(ranked, dict) and ranked.get("name") and ranked["name"] != FALLBACK_INTENT:
            suggestion = ranked["name"]
            break
    return name, confidence, suggestion


class _InterviewTracker:
    """Follows guidance_form through a session: opened by its activation, completed by
    the route answer, abandoned when it ends otherwise (start over, emergency, goodbye,
    or the resident just leaves)."""

    def __init__(self) -> None:
        self.done: list[Interview] = []
        self.open = False
        self.closing = False  # the form ended; completed if the guidance follows this turn
        self.last_question: str | None = None

    def event(self, event: Event) -> None:
        kind = event.get("event")
        if kind == "active_loop":
            if event.get("name") == INTERVIEW_FORM:
                if not self.open:
                    self.open, self.closing, self.last_question = True, False, None
                else:
                    self.closing = False
            elif self.open:
                self.closing = True
        elif kind == "slot" and event.get("name") == "requested_slot" and self.open and not self.closing:
            if event.get("value"):
                self.last_question = str(event["value"])
        elif kind == "action" and event.get("name") == GIVE_GUIDANCE and self.open:
            self.done.append(Interview("completed", None))
            self.open = self.closing = False

    def user_message(self) -> None:
        if self.open and self.closing:
            self._abandon()

    def _abandon(self) -> None:
        self.done.append(Interview("abandoned", self.last_question))
        self.open = self.closing = False

    def finish(self, still_going: bool) -> list[Interview]:
        if self.open:
            if still_going and not self.closing:
                self.done.append(Interview("in_progress", self.last_question))
                self.open = False
            else:
                self._abandon()
        return self.done


def summarise(events: list[Event], tz: tzinfo, now: float | None = None) -> SessionSummary | None:
    """What happened in one session; None when the resident sent no message in it."""
    turns: list[Turn] = []
    interviews = _InterviewTracker()
    summary_routes: list[list[str]] = []
    answers: list[str] = []
    asked: list[str] = []
    ratings: list[Rating] = []
    language = DEFAULT_LANGUAGE
    last_time = 0.0
    awaiting_routes = False

    def close_turn() -> None:
        if turns:
            turns[-1].language = language

    for event in events:
        kind = event.get("event")
        last_time = max(last_time, float(event.get("timestamp") or 0.0))
        if kind == "user":
            close_turn()
            awaiting_routes = False
            interviews.user_message()
            text = " ".join(str(event.get("text") or "").split())
            name, confidence, suggestion = _intent(event)
            turns.append(Turn(text=text, payload=text.startswith("/"), intent=name, confidence=confidence,
                              suggestion=suggestion, day=local_day(event.get("timestamp"), tz), language=language))
            continue
        if kind == "slot":
            name, value = event.get("name"), event.get("value")
            if name == "language" and isinstance(value, str) and value:
                language = value
            elif not turns:
                pass  # carried over from the previous session by action_session_start
            elif name == "feedback" and isinstance(value, dict) and value.get("answer"):
                helpful = str(value.get("helpful") or "").lower()
                if helpful in ("yes", "no"):
                    ratings.append(Rating(str(value["answer"]), helpful, language))
            elif name == "feedback_comment" and isinstance(value, str) and value.strip():
                turns[-1].comment = True
                if ratings and ratings[-1].comment is None:
                    ratings[-1].comment = value.strip()
                else:
                    ratings.append(Rating("unknown", "no", language, value.strip()))
        if kind == "action" and event.get("name") == GIVE_GUIDANCE and turns:
            # A route answer; its routes come in its answer tag (none when no route applies).
            summary_routes.append([])
            awaiting_routes = True
        if kind == "bot" and turns:
            custom = _custom(event)
            if "answer" in custom:
                answers.append(str(custom["answer"]))
                turns[-1].answers.append(str(custom["answer"]))
            if isinstance(custom.get("routes"), list):
                routes = [str(r) for r in custom["routes"]]
                if awaiting_routes:
                    summary_routes[-1] = routes
                else:
                    summary_routes.append(routes)
                awaiting_routes = False
            if "feedback_question" in custom:
                asked.append(str(custom["feedback_question"]))
        interviews.event(event)
    close_turn()
    if not turns:
        return None
    still_going = now is not None and now - last_time < SESSION_IDLE_SECONDS
    return SessionSummary(
        day=turns[0].day, language=turns[0].language, turns=turns,
        interviews=interviews.finish(still_going), routes=summary_routes, answers=answers,
        feedback_asked=asked, ratings=ratings,
    )
