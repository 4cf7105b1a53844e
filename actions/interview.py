"""The guidance interview: which question comes next, and what an answer means.

``ValidateGuidanceForm`` asks only what the route engine still needs (``ask_next``), in
its natural order, and turns the raw slot values (entities, yes/no intents, button
payloads) into the profile's types. How an answer is taken:

* **Facts in any order.** Every profile fact in the message counts, also facts for other
  questions than the one asked, and corrections of earlier answers ("actually I'm 52").
* **Read with the question in mind** (bot/nlu/question_answers.py): "sossu" or "TYP" to the
  question whose client one is, an age in words ("nelkytviis"), a yes/no answer's first word
  ("no joo, puoltoist vuotta" is yes) or the question's own verb ("Vaikuttaa.", "det påverkar
  inte"), a pension denied in passing ("ei, eikä eläkettä"). The classifier sees no question
  and took such answers for topics or for the opposite; a fact the extractor reads wins.
* **"I'd rather not say"** (the skip button or intent) and **"I don't know"** (the
  ``dont_know`` intent, or a message that ``bot.nlu.replies.is_dont_know`` recognises,
  whatever the classifier made of it: "en tiedä" starts like a "no") mark the question
  as skipped: it stays unknown and is never asked again. "I don't know" gets a short
  "that's fine".
* **Not understood.** An answer that does not answer the question asked (nothing
  understood, or only facts for other questions) counts as a miss for that question. After
  the first miss the question is asked once more, with a short "I didn't understand:
  choose a button or 'I'd rather not say'" when nothing at all was understood (when
  another fact was, the question simply comes again). After the second miss the question
  is skipped with a short note, and the interview goes on. So no question is asked more
  than twice in a row. Misses are counted in the ``question_misses`` slot
  (``{"slot": "age", "count": 1}``); a side question answered instead counts too
  (``side_turn``). "Why do you ask?" gets why, and counts nothing.

**Written for someone else.** When the first message tells the situation of a close person
it is written for ("Min son är 22 och sitter mest hemma i Ekenäs"), the facts taken are that
person's (bot/rasa_components/profile_extractor.py), and the interview first says that it
answers for their situation; its questions are then asked about them ("How old are they?",
the ``for_someone_else`` slot). So it is when such a message got a topic's answer and the
interview starts later, and the answers are then read as that person's ("Hän on 31").

**A situation told at once.** When the message that starts the interview already gives the
municipality and at least two more main facts ("I'm 45, live in Helsinki, out of work for two
years, bad back"), the likely first step is answered at once, and the remaining questions
follow to make it exact (``bot.guidance.interview.describes_situation``). Outside Helsinki the
municipality alone decides the likely first step, so it comes with the place. In Helsinki
the first step needs more facts; when the first message asks how to get in there, how one gets
in and whom to contact come first, then the questions. So does how one gets in anywhere when the
first message asks it without a place, before the question for the municipality.

A message that is no answer at all (a greeting, thanks, a question about a topic, a question the
classifier was unsure of) is left to the rules in data/rules/interview.yml: the form rejects
it, the rule answers it and the form asks its question again. Such a turn counts toward the
question's two times (``side_turn``, called by the rule's action: a topic, an unsure question,
details, "talk to a person", the privacy notice, a greeting or thanks).
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import INTERVIEW_FORM, active_loop_name
from actions.replies import send
from actions.tracker_profile import DONT_KNOW, FOR_SOMEONE_ELSE, SKIP, language_of, profile_of, skipped_of, stated_facts
from bot.guidance.advice import decide, next_questions
from bot.guidance.chat import provisional_reply, topic_reply
from bot.guidance.interview import INTERVIEW_MESSAGE_IDS, QUESTION_WITH_SITUATION, describes_situation
from bot.guidance.topics import topic_for
from bot.knowledge import get_knowledge
from bot.knowledge.areas import display_name
from bot.municipalities import normalise_municipality
from bot.nlu.extract import ABOUT_SOMEONE_ELSE, extract_facts
from bot.nlu.extract.municipality import named_municipality
from bot.nlu.question_answers import answer_to, asks, asks_why_asked, denied_in_passing
from bot.nlu.replies import is_dont_know
from bot.profile import BOOLEAN_FIELDS, ENUM_FIELDS, FIELD_ORDER, ProfileError, parse_age, parse_bool

logger = logging.getLogger(__name__)

HOW_TO_APPLY_INTENT = "ask_how_to_apply"
#: A message that starts the interview asks how to get in too when the classifier gave the
#: how-to-apply question at least this much (it is then the runner-up of start_guidance:
#: "miten pääsen kuntouttavaan työtoimintaan helsingissä" 0.18).
HOW_TO_APPLY_MIN_CONFIDENCE = 0.1


def asks_how_to_get_in(parse_data: dict[str, Any]) -> bool:
    """Does the message ask how to get in (the classifier's top intent or a runner-up)?"""
    if ((parse_data.get("text") or "").startswith("/")):
        return False  # a button: "Which service suits me?" asks nothing about getting in
    return any(r.get("name") == HOW_TO_APPLY_INTENT and (r.get("confidence") or 0) >= HOW_TO_APPLY_MIN_CONFIDENCE
               for r in parse_data.get("intent_ranking") or [])

MISSES = "question_misses"  # slot: {"slot": <field>, "count": <misses in a row>}
MAX_MISSES = 2  # the question is asked at most twice in a row
# Intents with which a resident answers (or tries to answer) the question asked; any other
# intent (greet, thanks, ask_*, human_contact, ...) is no answer and is left to the rules.
ANSWER_INTENTS = frozenset({"inform", "affirm", "deny", "skip", "dont_know", "nlu_fallback", "out_of_scope"})
# Actions Rasa runs between the resident's message and the form's validation of it.
_SAME_TURN = frozenset({"action_listen", "action_extract_slots", "action_validate_slot_mappings",
                        "guidance_form", "validate_guidance_form"})

assert {"dialogue.dont_know_ok", "dialogue.question_second_time", "dialogue.question_skipped",
        "dialogue.question_left_out"} <= INTERVIEW_MESSAGE_IDS


def _about_someone_else(tracker: Tracker) -> bool:
    """Was a message of this session written for a close person (the profile extractor's mark)?"""
    if (tracker.latest_message or {}).get(ABOUT_SOMEONE_ELSE):
        return True
    for event in reversed(tracker.events or []):
        if event.get("event") in ("restart", "session_started"):
            return False
        if event.get("event") == "user" and (event.get("parse_data") or {}).get(ABOUT_SOMEONE_ELSE):
            return True
    return False


def side_turn(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """A side question answered in the middle of the interview (a topic, a question for another
    service) instead of the question asked counts toward that question's two times in a row,
    like an answer not understood: the second time the question is left out and the interview
    goes on. Without this, an answer the classifier took for a question ("selkä vähän
    reistailee" for the topic of health) got the topic and the same question, as often as the
    resident answered so. Called by the rule's action (actions/answers.py) after the form let
    the message go, before the form asks again."""
    requested = tracker.get_slot("requested_slot")
    if active_loop_name(tracker) != INTERVIEW_FORM or requested not in FIELD_ORDER:
        return []
    count = _misses_with_this_one(tracker, requested)
    if count < MAX_MISSES:
        return [SlotSet(MISSES, {"slot": requested, "count": count})]
    say(dispatcher, tracker, "dialogue.question_left_out")
    skipped = ValidateGuidanceForm._skip(requested, tracker)
    return [SlotSet(name, value) for name, value in skipped.items()] + [SlotSet(MISSES, None)]


def _misses_with_this_one(tracker: Tracker, requested: str) -> int:
    """Misses in a row for the question asked, this message included."""
    previous = tracker.get_slot(MISSES)
    return 1 + (previous.get("count", 0) if isinstance(previous, dict) and previous.get("slot") == requested else 0)


def say(dispatcher: CollectingDispatcher, tracker: Tracker, message_id: str, **params: Any) -> None:
    """Utter a sentence from bot/knowledge/messages.yml in the resident's language."""
    dispatcher.utter_message(text=get_knowledge().text(message_id, language_of(tracker), **params))


def fresh_answer(tracker: Tracker) -> bool:
    """True when the form validates the resident's latest message itself, not when it
    comes back to its question after a side question or chit-chat."""
    for event in reversed(tracker.events or []):
        kind = event.get("event")
        if kind == "user":
            return True
        if kind == "action" and event.get("name") not in _SAME_TURN:
            return False
    return False


def _topic_before_the_questions(dispatcher: CollectingDispatcher, tracker: Tracker,
                                intent: str) -> list[dict[str, Any]]:
    """The answer to the topic question ``intent`` at the start of the interview, for the
    resident's municipality: without its buttons and its own question for the place (the
    interview's question follows, with its buttons), and without its contact when the first
    step follows in the same turn (the step's contact is the one to take: the turn had named
    the same social counselling page twice)."""
    profile = profile_of(tracker)
    topic_id = topic_for(intent, profile.municipality)
    if topic_id is None:
        return []
    step_follows = not next_questions(profile) or describes_situation(profile)
    reply = topic_reply(topic_id, language_of(tracker), profile.municipality, place_question=False,
                        with_contact=not step_follows)
    return send(dispatcher, replace(reply, buttons=()))


class ValidateGuidanceForm(FormValidationAction):
    """See the module docstring."""

    def name(self) -> str:
        return "validate_guidance_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return next_questions(profile_of(tracker))

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Validate every profile answer in this message, not only the ones still asked
        (rasa_sdk would skip a correction of a known answer, "actually I'm 52", because it
        is no longer in ``required_slots``), then count a miss for the question asked."""
        requested = tracker.get_slot("requested_slot")
        fresh = fresh_answer(tracker) and requested in FIELD_ORDER
        if fresh and asks_why_asked((tracker.latest_message or {}).get("text") or ""):
            # "miks sä kysyt tätä": why, then the same question (the slot set to its own value
            # keeps the form from letting the message go to the "not understood" rule)
            say(dispatcher, tracker, "dialogue.why_we_ask")
            return [SlotSet(MISSES, tracker.get_slot(MISSES))]
        candidates = {name: value for name, value in tracker.slots_to_validate().items() if name in FIELD_ORDER}
        latest = tracker.latest_message or {}
        if fresh and is_dont_know(latest.get("text") or "", language_of(tracker)):
            candidates[requested] = DONT_KNOW  # "en tiedä" is no "no", whatever the classifier said
        elif fresh and requested not in stated_facts(tracker):
            # The answer to the question asked, read with the question in mind (bot/nlu/
            # question_answers.py): "sossu" or "TYP" to "whose client are you?", "nelkytviis" to
            # "how old are you?", "no joo, puoltoist vuotta" (well, yes) to "are you unemployed?".
            # It wins over the classifier's yes/no ("no joo" is no "no"), not over a fact the
            # message states ("en ole työtön").
            read = answer_to(requested, latest.get("text") or "", language_of(tracker))
            if read is not None:
                candidates[requested] = read
        if fresh and tracker.get_slot(FOR_SOMEONE_ELSE):
            # In a conversation for a close person, an answer tells that person's facts: "Vantaalla
            # asuu, Tikkurilassa omassa yksiössä. Hän on 31" (the extractor reads a message as the
            # writer's own unless it is short or names the person by a noun)
            for fact in extract_facts(latest.get("text") or "", language_of(tracker), about_the_person=True):
                if candidates.get(fact.entity) is None:
                    candidates[fact.entity] = fact.value
        if fresh:
            # "ei, eikä eläkettä" to the disability question also answers the pension question
            for name, value in denied_in_passing(latest.get("text") or "", requested).items():
                if candidates.get(name) is None and tracker.get_slot(name) is None:
                    candidates[name] = value
        about_them: list[dict[str, Any]] = []
        if requested is None and not tracker.get_slot(FOR_SOMEONE_ELSE) and _about_someone_else(tracker):
            # "Min son är 22 och sitter mest hemma...": the facts taken are the son's, and the
            # questions are asked about him. Also when that message got a topic answer and the
            # interview starts later ("Kirjoitan poikani puolesta... Voisiko hän päästä
            # kuntouttavaan?", then the "Which service suits me?" button)
            say(dispatcher, tracker, "dialogue.for_someone_else")
            about_them = [SlotSet(FOR_SOMEONE_ELSE, True)]
        if requested is None and "municipality" not in candidates and not tracker.get_slot("municipality") \
                and "municipality" not in skipped_of(tracker):
            # The first message names the place it asks about without saying "I live there"
            # ("miten pääsen kuntouttavaan työtoimintaan helsingissä", "siskoni asuu
            # Raaseporissa"): the guidance is for that place, not a question about it again.
            place = named_municipality(latest.get("text") or "", language_of(tracker))
            if place is not None:
                candidates["municipality"] = place
                say(dispatcher, tracker, "dialogue.place_from_question",
                    municipality=display_name(place, language_of(tracker)))
        spoken = len(dispatcher.messages)
        validated: dict[str, Any] = {}
        for name, value in candidates.items():
            result = getattr(self, f"validate_{name}")(value, dispatcher, tracker, domain)
            validated.update(result)
            tracker.slots.update(result)
        events = about_them + [SlotSet(name, value) for name, value in validated.items()]
        if fresh:
            events += self._count_miss(requested, validated, len(dispatcher.messages) > spoken, dispatcher, tracker)
        elif requested is None:
            events += self._question_with_situation(dispatcher, tracker)
            first_step = self._likely_first_step(dispatcher, tracker)
            events += first_step or self._how_to_get_in(dispatcher, tracker)
        return events

    @staticmethod
    def _question_with_situation(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """The interview starts with a description of one's situation that also asks a topic
        question ("Äitini on 59, asuu Jyväskylässä... voiko hän saada lääkärinlausunnon
        polvista?"): answer the question first, short and without its buttons, then the first
        step or the interview's next question. The route alone had left the question unanswered."""
        intent = (tracker.latest_message or {}).get(QUESTION_WITH_SITUATION)
        return _topic_before_the_questions(dispatcher, tracker, intent) if isinstance(intent, str) else []

    @staticmethod
    def _how_to_get_in(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """The interview starts with "how do I get in" but too few facts for a likely first
        step: say now how one gets in (there, with a place: Helsinki's first step depends on
        age and health) and whom to contact, then ask the remaining questions. "miten pääsen
        kuntouttavaan työtoimintaan helsingissä" had got only "How old are you?", and "miten
        pääset toimintaan mukaan?" only "Which municipality do you live in?". Without a place
        the general answer leaves out its own question for the municipality: the interview's
        question comes next."""
        if not asks_how_to_get_in(tracker.latest_message or {}):
            return []
        return _topic_before_the_questions(dispatcher, tracker, HOW_TO_APPLY_INTENT)

    @staticmethod
    def _likely_first_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        """The interview starts with a message that already describes the resident's
        situation: answer it with the likely first step now, and let the remaining questions
        refine it. (Without questions left, the full answer follows at once anyway.)"""
        profile = profile_of(tracker)
        if not describes_situation(profile) or not next_questions(profile):
            return []
        advice = decide(profile)
        reply = provisional_reply(advice, language_of(tracker))
        return [SlotSet("routes", advice.route_ids()), *send(dispatcher, reply)] if reply else []

    # -- misses ----------------------------------------------------------------------
    def _count_miss(self, requested: str, validated: dict[str, Any], explained: bool,
                    dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        previous = tracker.get_slot(MISSES)
        answered = validated.get(requested) is not None or requested in (validated.get("skipped") or [])
        if answered:
            return [SlotSet(MISSES, None)] if previous else []
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        understood = any(value is not None for name, value in validated.items() if name in FIELD_ORDER)
        if intent == "nlu_fallback" and not understood and asks((tracker.latest_message or {}).get("text") or ""):
            # a question the classifier was unsure of ("what happens if I can't make it some
            # days?"): no answer, so not "I didn't understand your answer" - the form lets it go
            # and the rule's action gives the honest answer (actions/sayings.py)
            return []
        if intent not in ANSWER_INTENTS and not understood:
            # no answer (a greeting, a topic question): the form lets it go, a rule answers it
            # and counts it (side_turn). With a fact for another question the form keeps it and
            # asks again: that counts here.
            return []
        count = _misses_with_this_one(tracker, requested)
        if count >= MAX_MISSES:
            say(dispatcher, tracker, "dialogue.question_skipped")
            skipped = self._skip(requested, tracker)
            tracker.slots.update(skipped)
            return [SlotSet(name, value) for name, value in skipped.items()] + [SlotSet(MISSES, None)]
        if not understood and not explained:
            say(dispatcher, tracker, "dialogue.question_second_time",
                skip=get_knowledge().text("answer.skip", language_of(tracker)))
        return [SlotSet(MISSES, {"slot": requested, "count": count})]

    # -- helpers ---------------------------------------------------------------------
    @staticmethod
    def _skip(slot: str, tracker: Tracker) -> dict[str, Any]:
        skipped = skipped_of(tracker)
        if slot not in skipped:
            skipped = skipped + [slot]
        return {slot: None, "skipped": skipped}

    @staticmethod
    def _unskip(slot: str, value: Any, tracker: Tracker) -> dict[str, Any]:
        """A real answer given after a skip (e.g. a later correction) counts."""
        skipped = skipped_of(tracker)
        out: dict[str, Any] = {slot: value}
        if slot in skipped:
            out["skipped"] = [s for s in skipped if s != slot]
        return out

    def _unknown(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                 tracker: Tracker) -> dict[str, Any] | None:
        """"I'd rather not say" and "I don't know": unknown, never asked again."""
        if value == SKIP:
            return self._skip(slot, tracker)
        if value == DONT_KNOW:
            say(dispatcher, tracker, "dialogue.dont_know_ok")
            return self._skip(slot, tracker)
        return None

    # -- validators ------------------------------------------------------------------
    def validate_municipality(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        unknown = self._unknown("municipality", value, dispatcher, tracker)
        if unknown is not None:
            return unknown
        name = normalise_municipality(str(value)) if value is not None else None
        if name is None:
            say(dispatcher, tracker, "dialogue.unknown_municipality", text=str(value)[:60])
            return {"municipality": None}
        return self._unskip("municipality", name, tracker)

    def validate_age(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        unknown = self._unknown("age", value, dispatcher, tracker)
        if unknown is not None:
            return unknown
        try:
            age = parse_age(value)
        except ProfileError:
            age = None
        if age is None or not 10 <= age <= 110:
            say(dispatcher, tracker, "dialogue.invalid_age")
            return {"age": None}
        return self._unskip("age", age, tracker)

    def _validate_bool(self, slot: str, value: Any, dispatcher, tracker: Tracker) -> dict[str, Any]:
        unknown = self._unknown(slot, value, dispatcher, tracker)
        if unknown is not None:
            return unknown
        try:
            parsed = parse_bool(slot, value)
        except ProfileError:
            parsed = None
        return {slot: None} if parsed is None else self._unskip(slot, parsed, tracker)

    def _validate_enum(self, slot: str, value: Any, dispatcher, tracker: Tracker) -> dict[str, Any]:
        unknown = self._unknown(slot, value, dispatcher, tracker)
        if unknown is not None:
            return unknown
        return self._unskip(slot, value, tracker) if value in ENUM_FIELDS[slot] else {slot: None}

    def validate_unemployed(self, value, dispatcher, tracker, domain):
        return self._validate_bool("unemployed", value, dispatcher, tracker)

    def validate_health_affects_work_ability(self, value, dispatcher, tracker, domain):
        return self._validate_bool("health_affects_work_ability", value, dispatcher, tracker)

    def validate_disability(self, value, dispatcher, tracker, domain):
        return self._validate_bool("disability", value, dispatcher, tracker)

    def validate_disability_pension(self, value, dispatcher, tracker, domain):
        return self._validate_bool("disability_pension", value, dispatcher, tracker)

    def validate_referral(self, value, dispatcher, tracker, domain):
        return self._validate_enum("referral", value, dispatcher, tracker)

    def validate_plan(self, value, dispatcher, tracker, domain):
        return self._validate_enum("plan", value, dispatcher, tracker)

    def validate_client_of(self, value, dispatcher, tracker, domain):
        return self._validate_enum("client_of", value, dispatcher, tracker)


assert set(BOOLEAN_FIELDS) | set(ENUM_FIELDS) | {"age", "municipality"} == set(FIELD_ORDER)
