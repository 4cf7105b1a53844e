"""The interview's questions and their answer buttons, in the profile's field order.

Texts are ``question.<field>`` and ``answer.*`` in ``bot/knowledge/messages.yml`` (staff can
reword them without retraining); the payloads are what the Rasa domain's slot mappings read.
Every question can be skipped ("I'd rather not say"): a skipped question is never asked again.
"""
from __future__ import annotations

from bot.profile import FIELD_ORDER

Button = tuple[str, str]  # (message id of the title, payload)
SKIP: Button = ("answer.skip", "/skip")
YES_NO_SKIP: tuple[Button, ...] = (("answer.yes", "/affirm"), ("answer.no", "/deny"), SKIP)


def _inform(entity: str, value: str) -> Button:
    return f"answer.{entity}.{value.lower()}", f'/inform{{"{entity}":"{value}"}}'


BUTTONS: dict[str, tuple[Button, ...]] = {
    "municipality": (_inform("municipality", "Helsinki"), _inform("municipality", "Kempele"), SKIP),
    "age": (SKIP,),
    "unemployed": YES_NO_SKIP,
    "health_affects_work_ability": YES_NO_SKIP,
    "disability": YES_NO_SKIP,
    "disability_pension": YES_NO_SKIP,
    "referral": (*(_inform("referral", v) for v in ("social_welfare", "criminal_sanctions", "none")), SKIP),
    "plan": (*(_inform("plan", v) for v in ("activation_plan", "multisectoral_plan", "none")), SKIP),
    "client_of": (*(_inform("client_of", v) for v in ("social_services", "typ", "employment_services", "none")), SKIP),
}
assert set(BUTTONS) == set(FIELD_ORDER), "every profile field needs its question's buttons"


#: What the interview says besides its questions (actions/interview.py).
INTERVIEW_MESSAGE_IDS = frozenset({
    "dialogue.dont_know_ok", "dialogue.question_second_time", "dialogue.question_skipped",
    "dialogue.unknown_municipality", "dialogue.invalid_age",
})


def message_ids() -> set[str]:
    """The questions', buttons' and interview's message ids (for the content contract)."""
    return ({f"question.{field}" for field in FIELD_ORDER} | {title for row in BUTTONS.values() for title, _ in row}
            | INTERVIEW_MESSAGE_IDS)
