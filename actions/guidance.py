"""The guidance interview (form validation) and the answer (route advice)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import ask_feedback
from actions.replies import send
from actions.tracker_profile import SKIP, language_of, profile_of, skipped_of
from bot.guidance.advice import decide, next_questions
from bot.guidance.chat import first_reply
from bot.knowledge import get_knowledge
from bot.municipalities import normalise_municipality
from bot.profile import BOOLEAN_FIELDS, ENUM_FIELDS, FIELD_ORDER, ProfileError, parse_age, parse_bool

logger = logging.getLogger(__name__)


def say(dispatcher: CollectingDispatcher, tracker: Tracker, message_id: str, **params: Any) -> None:
    """Utter a sentence from bot/knowledge/messages.yml in the resident's language."""
    dispatcher.utter_message(text=get_knowledge().text(message_id, language_of(tracker), **params))


class ValidateGuidanceForm(FormValidationAction):
    """Asks only what the route engine still needs (``ask_next``), in its natural order,
    and turns the raw slot values (entities, yes/no intents, button payloads) into the
    profile's types. "I'd rather not say" marks a question as skipped: never asked again."""

    def name(self) -> Text:
        return "validate_guidance_form"

    async def required_slots(
        self,
        domain_slots: List[Text],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        return next_questions(profile_of(tracker))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Validate every profile answer in this message, not only the ones still asked:
        rasa_sdk would skip a correction of a known answer ("actually I'm 52") because it
        is no longer in ``required_slots``."""
        validated: Dict[Text, Any] = {}
        for name, value in tracker.slots_to_validate().items():
            if name not in FIELD_ORDER:
                continue
            result = getattr(self, f"validate_{name}")(value, dispatcher, tracker, domain)
            validated.update(result)
            tracker.slots.update(result)
        return [SlotSet(name, value) for name, value in validated.items()]

    # -- helpers ---------------------------------------------------------------------
    @staticmethod
    def _skip(slot: str, tracker: Tracker) -> Dict[Text, Any]:
        skipped = skipped_of(tracker)
        if slot not in skipped:
            skipped = skipped + [slot]
        return {slot: None, "skipped": skipped}

    @staticmethod
    def _unskip(slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        """A real answer given after a skip (e.g. a later correction) counts."""
        skipped = skipped_of(tracker)
        out: Dict[Text, Any] = {slot: value}
        if slot in skipped:
            out["skipped"] = [s for s in skipped if s != slot]
        return out

    # -- validators ------------------------------------------------------------------
    def validate_municipality(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value == SKIP:
            return self._skip("municipality", tracker)
        name = normalise_municipality(str(value)) if value is not None else None
        if name is None:
            say(dispatcher, tracker, "dialogue.unknown_municipality", text=str(value)[:60])
            return {"municipality": None}
        return self._unskip("municipality", name, tracker)

    def validate_age(self, value: Any, dispatcher, tracker, domain) -> Dict[Text, Any]:
        if value == SKIP:
            return self._skip("age", tracker)
        try:
            age = parse_age(value)
        except ProfileError:
            age = None
        if age is None or not 10 <= age <= 110:
            say(dispatcher, tracker, "dialogue.invalid_age")
            return {"age": None}
        return self._unskip("age", age, tracker)

    def _validate_bool(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        if value == SKIP:
            return self._skip(slot, tracker)
        try:
            parsed = parse_bool(slot, value)
        except ProfileError:
            parsed = None
        return {slot: None} if parsed is None else self._unskip(slot, parsed, tracker)

    def _validate_enum(self, slot: str, value: Any, tracker: Tracker) -> Dict[Text, Any]:
        if value == SKIP:
            return self._skip(slot, tracker)
        return self._unskip(slot, value, tracker) if value in ENUM_FIELDS[slot] else {slot: None}

    def validate_unemployed(self, value, dispatcher, tracker, domain):
        return self._validate_bool("unemployed", value, tracker)

    def validate_health_affects_work_ability(self, value, dispatcher, tracker, domain):
        return self._validate_bool("health_affects_work_ability", value, tracker)

    def validate_disability(self, value, dispatcher, tracker, domain):
        return self._validate_bool("disability", value, tracker)

    def validate_referral(self, value, dispatcher, tracker, domain):
        return self._validate_enum("referral", value, tracker)

    def validate_plan(self, value, dispatcher, tracker, domain):
        return self._validate_enum("plan", value, tracker)

    def validate_client_of(self, value, dispatcher, tracker, domain):
        return self._validate_enum("client_of", value, tracker)


assert set(BOOLEAN_FIELDS) | set(ENUM_FIELDS) | {"age", "municipality"} == set(FIELD_ORDER)


class ActionGiveGuidance(Action):
    """The answer after the interview: one first step, why, and how to take it; details
    (why, other options, what happens next, sources) come on request (actions/answers.py)."""

    def name(self) -> Text:
        return "action_give_guidance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        advice = decide(profile_of(tracker))
        events = send(dispatcher, first_reply(advice, language))
        return [SlotSet("routes", advice.route_ids()), *events, *ask_feedback(dispatcher, tracker, language, "route")]
