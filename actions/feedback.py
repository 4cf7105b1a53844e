"""Residents' feedback on answers: "Was this helpful?" after a route or topic answer.

**Asking.** The answer actions call :func:`ask_feedback` once, at their end. It sends one
short question with two buttons (payloads ``/feedback{"helpful":"yes"}`` and
``/feedback{"helpful":"no"}``, so it works in every channel) and a structured message
``{"custom": {"feedback_question": "<answer id>"}}``, unless one of these holds:

* the answer is not a route answer (``"route"``) or a topic answer (a topic id of
  bot/knowledge/topics.yml): no question after "not understood", contacts, privacy, ...;
* the interview is running (active loop ``guidance_form``) or the assistant is waiting
  for a feedback comment (``feedback_form``);
* this answer id was already asked about in this session (rated or not);
* a question was asked within the last :data:`FEEDBACK_GAP` route or topic answers of
  this session (at most one question per ``FEEDBACK_GAP + 1`` such answers).

A session is Rasa's (``session_expiration_time`` in config/domain/core.yml): the action
server sees only the current session's events.

**Answering.** Intent ``feedback`` with entity ``helpful`` (``yes``/``no``) from the
buttons; typed "ei auttanut" / "hjälpte inte" / "not helpful" / "kiitos, auttoi" carry no
entity and their polarity is read from the words (:func:`helpfulness`). A button rates the
answer of the latest question; typed feedback rates the latest answer (``last_answer``),
or ``"conversation"`` before any answer. Each answer is rated once per session; a second
rating is thanked but not recorded.

**Comment.** After "no" the form ``feedback_form`` asks "What was missing?" (optional).
The next message is the comment unless it is a button payload or another request
(:func:`is_comment`: a confident intent outside :data:`COMMENT_INTENTS`, and for topic
intents only when worded as a question): then no comment is stored, the form steps aside
(``ActionExecutionRejection``) and the message is answered by the normal rules.

**Storage.** Everything is tracker events of the conversation, so retention and "forget
me" delete it with the rest: the question (bot message), the rating (slot ``feedback`` =
``{"answer": id, "helpful": "yes"|"no"}``) and the comment (slot ``feedback_comment``,
which the tracker store redacts like the user message itself: bot/privacy/events.py).
The staff report (``python -m bot report``, bot/report/) reads them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import send
from actions.tracker_profile import language_of
from bot.guidance.chat import Reply
from bot.knowledge import get_knowledge

FEEDBACK_INTENT = "feedback"
ENTITY = "helpful"
QUESTION_KEY = "feedback_question"  # custom message key of the question
RATING_SLOT = "feedback"
COMMENT_SLOT = "feedback_comment"
FORM = "feedback_form"
INTERVIEW_FORM = "guidance_form"
#: Answers between two feedback questions, at least.
FEEDBACK_GAP = 3
#: What can be rated besides topic ids.
RATED_KINDS = ("route",)
#: Rating of the conversation as a whole (typed feedback before any answer).
CONVERSATION = "conversation"
#: While waiting for a comment, messages with these intents are the comment ...
COMMENT_INTENTS = frozenset({"nlu_fallback", "feedback", "out_of_scope", "inform"})
#: ... and so is any other message the NLU is less sure about than this.
REQUEST_CONFIDENCE = 0.5
MAX_COMMENT_CHARS = 500

# The texts (bot/knowledge/messages.yml) are in the knowledge contract: bot/contract.py.

YES_PAYLOAD = '/feedback{"helpful":"yes"}'
NO_PAYLOAD = '/feedback{"helpful":"no"}'

# Words that turn typed feedback into "did not help". Words in _OWN_LANGUAGE_ONLY count only
# when the conversation is in that language (Finnish "en" is an article in Swedish, English
# "no" is "well" in Finnish).
_NEGATIVE = {
    "fi": ("ei", "en", "eikä", "eivät", "ette", "emme", "huono", "huonosti", "turha", "turhaa",
           "hyödytön", "väärä", "väärin", r"puuttu\w*", r"epäselv\w*"),
    "sv": ("inte", "ej", "icke", "ingen", "inget", "inga", "dålig", "dåligt", "fel", r"oklar\w*",
           r"saknade\w*", r"onödig\w*"),
    "en": ("not", "no", "never", "nothing", "useless", "unhelpful", "wrong", "bad", "unclear",
           "missing", r"\w+n't"),
}
_OWN_LANGUAGE_ONLY = {"fi": {"en"}, "en": {"no", "bad"}}


def _negative_re(language: str, own: bool) -> re.Pattern:
    words = [w for w in _NEGATIVE[language] if own or w not in _OWN_LANGUAGE_ONLY.get(language, ())]
    return re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


# ------------------------------------------------------------------ reading the session


def _custom(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data") or {}
    custom = data.get("custom") if isinstance(data, dict) else None
    return custom if isinstance(custom, dict) else {}


def session_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the current session (after the last ``session_started``)."""
    current: list[dict[str, Any]] = []
    for event in events or []:
        if event.get("event") == "session_started":
            current = []
        else:
            current.append(event)
    return current


def asked_answers(events: Iterable[dict[str, Any]]) -> list[str]:
    """Answer ids a feedback question was asked about, in order."""
    return [str(_custom(e)[QUESTION_KEY]) for e in events
            if e.get("event") == "bot" and QUESTION_KEY in _custom(e)]


def previous_reply(tracker: Tracker) -> list[dict[str, Any]]:
    """The events between the resident's previous message and the latest one: the actions and
    messages that answered the previous message, which the latest one may reply to (for the
    first message, the events before it)."""
    users = 0
    reply: list[dict[str, Any]] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            users += 1
            if users == 2:
                break
        elif users == 1:
            reply.append(event)
    return reply[::-1]


def question_just_asked(tracker: Tracker) -> bool:
    """Whether the bot's reply to the resident's previous message asked "Was this helpful?"
    (so a plain "yes" or "no" now answers it)."""
    return any(event.get("event") == "bot" and QUESTION_KEY in _custom(event) for event in previous_reply(tracker))


def answers_since_last_question(events: Iterable[dict[str, Any]]) -> int | None:
    """Route and topic answers after the latest feedback question (greetings, "not
    understood" and the like do not count); None when none was asked."""
    count: int | None = None
    for event in events:
        if event.get("event") != "bot":
            continue
        custom = _custom(event)
        if QUESTION_KEY in custom:
            count = 0
        elif "answer" in custom and count is not None and ratable(str(custom["answer"])):
            count += 1
    return count


def rated_answers(events: Iterable[dict[str, Any]]) -> list[str]:
    """Answer ids rated in these events (slot ``feedback``)."""
    return [str(e["value"].get("answer")) for e in events
            if e.get("event") == "slot" and e.get("name") == RATING_SLOT and isinstance(e.get("value"), dict)]


def ratable(answer_id: str | None) -> bool:
    """Route answers and topic answers (a topic of the knowledge base) can be rated; other
    answers (greetings, "not understood", contacts, privacy, ...) cannot."""
    if not answer_id:
        return False
    return answer_id in RATED_KINDS or answer_id in get_knowledge().topics


def active_loop_name(tracker: Tracker) -> str | None:
    loop = tracker.active_loop or {}
    return loop.get("name") if isinstance(loop, dict) else None


def should_ask(tracker: Tracker, answer_id: str) -> bool:
    """Whether the answer just given gets a feedback question (see the module doc)."""
    if not ratable(answer_id) or active_loop_name(tracker) in (INTERVIEW_FORM, FORM):
        return False
    events = session_events(tracker.events)
    if answer_id in asked_answers(events) or answer_id in rated_answers(events):
        return False
    since = answers_since_last_question(events)
    return since is None or since >= FEEDBACK_GAP


def feedback_buttons(language: str) -> list[dict[str, str]]:
    kb = get_knowledge()
    return [
        {"title": kb.text("feedback.button_yes", language), "payload": YES_PAYLOAD},
        {"title": kb.text("feedback.button_no", language), "payload": NO_PAYLOAD},
    ]


def ask_feedback(dispatcher: CollectingDispatcher, tracker: Tracker, language: str,
                 answer_id: str) -> list[dict[str, Any]]:
    """Call once at the end of an answer action, after tagging the answer: asks "Was this
    helpful?" when :func:`should_ask` allows it. Returns the events to add (none today;
    the question itself is the stored record)."""
    if not should_ask(tracker, answer_id):
        return []
    dispatcher.utter_message(
        text=get_knowledge().text("feedback.question", language),
        buttons=feedback_buttons(language),
        json_message={QUESTION_KEY: answer_id},
    )
    return []


# ------------------------------------------------------------------ the resident's answer


def helpfulness(message: dict[str, Any], language: str) -> str:
    """"yes" or "no": the ``helpful`` entity (buttons), a plain yes or no ("kyllä", "nej"),
    else the words of the message."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == ENTITY and str(entity.get("value")).lower() in ("yes", "no"):
            return str(entity["value"]).lower()
    plain = {"affirm": "yes", "deny": "no"}.get(str((message.get("intent") or {}).get("name")))
    if plain:
        return plain
    text = str(message.get("text") or "").replace("\u2019", "'")
    negative = any(_negative_re(lang, own=lang == language).search(text) for lang in _NEGATIVE)
    return "no" if negative else "yes"


def is_payload(text: str | None) -> bool:
    return bool(text) and str(text).lstrip().startswith("/")


def rated_answer(tracker: Tracker) -> str:
    """Which answer the feedback is about: a button rates the latest question's answer,
    typed feedback the latest answer."""
    events = session_events(tracker.events)
    asked = asked_answers(events)
    if is_payload((tracker.latest_message or {}).get("text")) and asked:
        return asked[-1]
    return tracker.get_slot("last_answer") or (asked[-1] if asked else CONVERSATION)


class ActionFeedback(Action):
    """Records a rating; after "no" the feedback form asks what was missing."""

    def name(self) -> str:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        helpful = helpfulness(tracker.latest_message or {}, language)
        answer_id = rated_answer(tracker)
        if answer_id in rated_answers(session_events(tracker.events)):
            dispatcher.utter_message(text=kb.text("feedback.thanks", language))
            return []
        events: list[dict[str, Any]] = [SlotSet(RATING_SLOT, {"answer": answer_id, "helpful": helpful})]
        if helpful == "yes" and answer_id == CONVERSATION:
            # Praise before any answer ("thanks a lot, this was more helpful than my social
            # worker") is thanks: the resident gets "you're welcome, ask more", not a form.
            return events + send(dispatcher, Reply(kb.text("dialogue.thanks", language), (), "thanks"))
        if helpful == "yes" or active_loop_name(tracker) == INTERVIEW_FORM:
            dispatcher.utter_message(text=kb.text("feedback.thanks", language))
            return events
        return events + [SlotSet(COMMENT_SLOT, None), FollowupAction(FORM)]


# ------------------------------------------------------------------ the optional comment


# A question rather than a remark: a question mark, a question word first, or a Finnish
# question verb (-ko/-kö: "voinko", "onko", "saako").
_QUESTION = re.compile(
    r"\?|^\W*(mi(kä|tä|ssä|hin|stä|llä|ksi|llainen|ten)|milloin|kuka|ke(nelle|neen|ltä)|paljonko|kuinka|"
    r"kauanko|montako|\w+k[oö]|kerro|vad|hur|var(för|t|ifrån)?|vem|när|vilk(en|et|a)|kan|får|finns|är|"
    r"måste|ska|berätta|what|how|where|who|when|which|why|can|could|do|does|is|are|will|should|may|tell)\b",
    re.IGNORECASE)


def is_comment(message: dict[str, Any]) -> bool:
    """Whether a message sent while a comment is awaited is the comment (see module doc):
    not a button; a message the NLU did not recognise (or recognised as feedback, out of
    scope or telling about oneself) or recognised with less than REQUEST_CONFIDENCE; or
    one it matched to a topic question that is not worded as a question ("the phone number
    was missing" matches ask_contacts). Other confident intents (greetings, "talk to a
    person", "start over", emergency, ...) are requests."""
    text = str(message.get("text") or "").strip()
    if not text or is_payload(text) or not re.search(r"\w\w", text):
        return False
    intent = message.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence") or 0.0
    if name in COMMENT_INTENTS or name is None or float(confidence) < REQUEST_CONFIDENCE:
        return True
    return str(name).startswith("ask_") and not _QUESTION.search(text)


def awaiting_comment(tracker: Tracker) -> bool:
    """The form has asked for the comment and the latest message answers that question (at
    the form's activation the question has not been asked yet: requested_slot is unset)."""
    return active_loop_name(tracker) == FORM and tracker.get_slot("requested_slot") == COMMENT_SLOT


class ActionAskFeedbackComment(Action):
    """The feedback form's question: what was missing? (optional)."""

    def name(self) -> str:
        return "action_ask_feedback_comment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(
            text=kb.text("feedback.ask_comment", language),
            buttons=[{"title": kb.text("feedback.button_no_comment", language), "payload": "/deny"}],
        )
        return []


class ValidateFeedbackForm(FormValidationAction):
    """Takes the message after "What was missing?" as the comment, unless it is a button or
    another request: then nothing is extracted, Rasa rejects the form for this message
    (the normal rules answer it) and the form ends when it is run again."""

    def name(self) -> str:
        return "validate_feedback_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> list[str]:
        moved_on = awaiting_comment(tracker) and not is_comment(tracker.latest_message or {})
        return [] if moved_on else domain_slots

    def extract_feedback_comment(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        if not awaiting_comment(tracker) or not is_comment(tracker.latest_message or {}):
            return {}
        text = " ".join(str(tracker.latest_message.get("text")).split())
        return {COMMENT_SLOT: text[:MAX_COMMENT_CHARS]}

    def validate_feedback_comment(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        return {COMMENT_SLOT: value if isinstance(value, str) and value.strip() else None}


class ActionFeedbackComment(Action):
    """After the feedback form: thanks for a comment (stored as the slot event, redacted by
    the tracker store) and clears the slot for the next time."""

    def name(self) -> str:
        return "action_feedback_comment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot(COMMENT_SLOT):
            dispatcher.utter_message(text=get_knowledge().text("feedback.thanks_comment", language_of(tracker)))
        return [SlotSet(COMMENT_SLOT, None)]
