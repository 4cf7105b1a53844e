"""The conversation scorer (tests/eval/score_conversations.py) against a scripted assistant:
it answers the question actually asked, finds loops and compares the advice's routes with the
route function. Fast: no model, no servers."""
from __future__ import annotations

from typing import Any

from bot.guidance.advice import decide
from bot.knowledge import get_knowledge
from bot.profile import Profile
from tests.eval import score_conversations as sc

KB = get_knowledge()


def question(field: str) -> dict:
    return {"text": KB.text(f"question.{field}", "fi")}


class Scripted:
    """A fake assistant: asks ``order`` (a field may repeat), remembering what it was told as
    ``reads`` says, then advises ``routes`` (None: the routes of what it understood)."""

    def __init__(self, order: list[str], reads: dict[str, dict[str, Any]], routes: list[str] | None = None):
        self.order, self.reads, self.routes = list(order), reads, routes
        self.slots: dict[str, Any] = {}
        self.sent: list[str] = []

    def send(self, text: str) -> tuple[int, list[dict]]:
        self.sent.append(text)
        self.slots.update(self.reads.get(text, {}))
        if self.order:
            return 200, [question(self.order.pop(0))]
        routes = self.routes if self.routes is not None else decide(Profile.from_mapping(self.slots)).route_ids()
        return 200, [{"text": "Ensimmäinen askel: ...", "custom": {"routes": routes}},
                     {"custom": {"answer": "route"}}]

    def slots_(self) -> dict[str, Any]:
        return dict(self.slots)


class Session(sc.Session):
    def __init__(self, assistant: Scripted):
        self.assistant = assistant

    def send(self, text: str) -> tuple[int, list[dict]]:
        return self.assistant.send(text)

    def slots(self) -> dict[str, Any] | None:
        return self.assistant.slots_()


CONVERSATION = {
    "id": "fi-t1", "language": "fi",
    "opening": {"text": "moi", "gives": {}, "expect": ["interview"]},
    "answers": {
        "municipality": {"text": "espoossa", "gives": {"municipality": "Espoo"}},
        "age": {"text": "nelkytviis", "gives": {"age": 45}},
        "unemployed": {"text": "joo", "gives": {"unemployed": True}},
    },
    "asides": [{"instead_of": "age", "text": "paljonko maksetaan?", "expect": ["fallback"]}],
}
UNDERSTOOD = {"espoossa": {"municipality": "Espoo"}, "nelkytviis": {"age": 45}, "joo": {"unemployed": True}}


def test_the_resident_answers_the_question_asked_and_the_routes_are_compared():
    assistant = Scripted(["municipality", "age", "age", "unemployed"], UNDERSTOOD)
    row = sc.run_conversation(CONVERSATION, Session(assistant))
    # the aside comes instead of the first age question; then the age answer
    assert assistant.sent == ["moi", "espoossa", "paljonko maksetaan?", "nelkytviis", "joo"]
    assert row["reached_advice"] and row["routes_ok"]
    assert row["facts_given"] == row["facts_understood"] == 3
    assert [t["class"] for t in row["turns"] if t["kind"] == "answer"] == ["correct"] * 3


def test_a_fact_not_understood_and_asked_again_is_partial_and_a_third_time_is_a_loop():
    assistant = Scripted(["municipality", "age", "age", "age", "age"], {"espoossa": {"municipality": "Espoo"}})
    row = sc.run_conversation({**CONVERSATION, "asides": []}, Session(assistant))
    answers = [t for t in row["turns"] if t["kind"] == "answer"]
    assert [t["class"] for t in answers] == ["correct", "partial", "wrong"]
    assert row["stopped"] == "loop on age" and not row["reached_advice"]
    assert row["longest_repeat"] == 3


def test_other_routes_than_the_facts_give_are_counted():
    assistant = Scripted(["municipality", "age", "unemployed"], UNDERSTOOD, routes=["helsinki_typ"])
    row = sc.run_conversation({**CONVERSATION, "asides": []}, Session(assistant))
    assert row["reached_advice"] and not row["routes_ok"]
    assert row["expected_routes"] == decide(Profile.from_mapping({"municipality": "Espoo", "age": 45,
                                                                   "unemployed": True})).route_ids()


def test_the_summary_counts_conversations_and_turns():
    good = sc.run_conversation({**CONVERSATION, "asides": []},
                               Session(Scripted(["municipality", "age", "unemployed"], UNDERSTOOD)))
    looped = sc.run_conversation({**CONVERSATION, "asides": []},
                                 Session(Scripted(["age", "age", "age"], {})))
    summary = sc.summarise([good, looped])["all"]
    assert summary["conversations"] == 2
    assert summary["reached_advice_pct"] == 50.0 and summary["no_loop_pct"] == 50.0
