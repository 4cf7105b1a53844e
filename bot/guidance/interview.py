"""The interview's questions and their answer buttons, in the profile's field order.

Texts are ``question.<field>`` (``question.<field>.someone_else`` when the conversation is for a
close person) and ``answer.*`` in ``bot/knowledge/messages.yml`` (staff can reword them without
retraining); the payloads are what the Rasa domain's slot mappings read.
Every question can be skipped ("I'd rather not say"): a skipped question is never asked again.
"""
from __future__ import annotations

from bot.guidance.rules import HELSINKI
from bot.profile import FIELD_ORDER, Profile

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
    "dialogue.dont_know_ok", "dialogue.question_second_time", "dialogue.question_skipped", "dialogue.question_left_out",
    "dialogue.why_we_ask",
    "dialogue.unknown_municipality", "dialogue.invalid_age", "dialogue.place_from_question",
    "dialogue.for_someone_else",
})


#: A message's parse data key (set by bot/rasa_components/self_description.py): the topic
#: question intent a description of one's situation also asked ("Olen 33, asun Oulussa...
#: kuntoutustuki loppui... pitäisikö hakea eläkettä?"). The interview takes the facts; the
#: question is answered first (actions/interview.py), not lost.
QUESTION_WITH_SITUATION = "question_with_situation"

#: Facts that, with Helsinki as the municipality, describe a situation well enough for a likely first step.
SITUATION_FACTS = ("age", "unemployed", "health_affects_work_ability", "disability")
#: How many of them a first message must give for the likely first step to come at once.
SITUATION_MIN_FACTS = 2


def describes_situation(profile: Profile) -> bool:
    """Does the resident's first message say enough for a likely first step, which then comes
    at once, before the remaining questions? In Helsinki the first step depends on age,
    health and the rest, so it takes the municipality and at least two more main facts ("I'm
    45, live in Helsinki and have been out of work for two years..."). Everywhere else the
    municipality decides it (Kempele: Pohde's coordinator; elsewhere the county's social
    services); the questions only find the few residents the activity is not for (a minor,
    past working age, in work), so "kempeleen työtoiminta, kenelle soitan" gets the number
    first, not four questions."""
    if profile.municipality is None:
        return False
    if profile.municipality != HELSINKI:
        return True
    known = sum(getattr(profile, name) is not None for name in SITUATION_FACTS)
    return known >= SITUATION_MIN_FACTS


def question_id(field: str, for_someone_else: bool = False) -> str:
    """The message id of the question for ``field``: asked of the writer ("How old are you?"),
    or of the close person the conversation is for ("How old are they?")."""
    return f"question.{field}.someone_else" if for_someone_else else f"question.{field}"


def message_ids() -> set[str]:
    """The questions', buttons' and interview's message ids (for the content contract)."""
    return ({question_id(field, other) for field in FIELD_ORDER for other in (False, True)}
            | {title for row in BUTTONS.values() for title, _ in row}
            | INTERVIEW_MESSAGE_IDS | {"answer.provisional", "answer.provisional_more"})
