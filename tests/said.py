"""What the assistant says, read from the knowledge base, for tests that talk to it.

End-to-end tests look for the assistant's sentences in its replies. They take them from
bot/knowledge/messages.yml and topics.yml instead of copying them, so that staff can
reword a sentence without breaking a test that checks something else; a test still fails
when the reply is not the one it expects.
"""
from __future__ import annotations

from bot.knowledge import get_knowledge

#: Interview question ids by the short names the conversation tests use.
QUESTION_IDS = {
    "municipality": "question.municipality", "age": "question.age", "unemployed": "question.unemployed",
    "health": "question.health_affects_work_ability", "disability": "question.disability",
    "disability_pension": "question.disability_pension", "referral": "question.referral",
    "plan": "question.plan", "client_of": "question.client_of",
}


def _start(text: str, chars: int) -> str:
    """The first ``chars`` characters of ``text``, cut back to a whole word."""
    if len(text) <= chars:
        return text
    return text[:chars].rsplit(" ", 1)[0]


def said(message_id: str, language: str, chars: int = 40, **params: object) -> str:
    """The beginning of a message of messages.yml as the assistant says it."""
    return _start(get_knowledge().text(message_id, language, **params), chars)


def topic_said(topic_id: str, language: str, chars: int = 40) -> str:
    """The beginning of a topic's answer."""
    kb = get_knowledge()
    return _start(kb.fill(kb.topic(topic_id).body.get(language), None).strip(), chars)


def question(name: str, language: str) -> str:
    """The beginning of an interview question (``name``: a key of QUESTION_IDS)."""
    return said(QUESTION_IDS[name], language)


QUESTION = {language: {name: question(name, language) for name in QUESTION_IDS} for language in ("fi", "sv", "en")}
GREETING = {language: said("dialogue.greet", language) for language in ("fi", "sv", "en")}
