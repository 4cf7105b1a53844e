"""Answers from the knowledge base: topic questions, human contacts, not understood."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_tag import tag_answer
from actions.feedback import ask_feedback
from actions.guidance import follow_up_buttons
from actions.tracker_profile import language_of, profile_of
from bot import clock
from bot.content import get_knowledge
from bot.settings import Settings
from bot.render import render_contact_list, render_contacts, render_topic
from bot.routes import ContactAdvice, decide

# Which knowledge-base topic answers which question intent (bot/knowledge/topics.yml).
TOPIC_OF_INTENT = {
    "ask_rehabilitative_work_activity": "rehabilitative_work_activity",
    "ask_duration": "duration_and_hours",
    "ask_cost": "expense_compensation",
    "ask_activation_plan": "plan_requirement",
    "ask_b_statement": "b_statement",
    "ask_typ": "typ",
    "ask_duuri": "duuri",
    "ask_te_services": "employment_services_reform",
    "ask_work_ability_support": "work_ability_support",
    "ask_social_rehabilitation": "social_rehabilitation",
    # seeds/001: "contact can be made by a close relative or friend of the customer, or an
    # employee working with the customer in another service" - told in that topic.
    "ask_contact_for_someone_else": "social_rehabilitation",
    "ask_locations": "helsinki_workplaces",
    "ask_corona": "corona_arrangements_2021",
    "ask_reform": "rules_changing",
    "ask_disability_work_activity": "work_activity_for_people_with_disabilities",
    "ask_service_path": "helsinki_service_path",
}
# Where the answer depends on the resident's municipality.
TOPIC_FOR_MUNICIPALITY = {("ask_locations", "Kempele"): "kempele"}


def latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


class ActionAnswerTopic(Action):
    """Answers a knowledge question in the resident's language, with sources and dates.
    Ended arrangements (e.g. the 2021 corona changes) are told only as history."""

    def name(self) -> Text:
        return "action_answer_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        intent = latest_intent(tracker) or ""
        kb = get_knowledge()
        if intent == "ask_contacts":
            dispatcher.utter_message(text=contacts_answer(tracker, language))
            return tag_answer(dispatcher, "human_contact")
        if intent == "ask_privacy":
            dispatcher.utter_message(text=kb.text("dialogue.privacy_notice", language, days=Settings.from_env().retention_days))
            return tag_answer(dispatcher, "privacy")
        if intent in TOPIC_OF_INTENT:
            municipality = profile_of(tracker).municipality
            topic_id = TOPIC_FOR_MUNICIPALITY.get((intent, municipality), TOPIC_OF_INTENT[intent])
            dispatcher.utter_message(text=render_topic(topic_id, language))
            return [*tag_answer(dispatcher, topic_id), *ask_feedback(dispatcher, tracker, language, topic_id)]
        dispatcher.utter_message(response="utter_help")
        return []


def contacts_answer(tracker: Tracker, language: str) -> str:
    """Contacts of the routes already given, else the municipality's human contacts."""
    routes = tracker.get_slot("routes") or []
    if routes:
        advice = decide(profile_of(tracker), language)
        return render_contacts([r for r in advice.routes if r.id in routes], language)
    kb = get_knowledge()
    return kb.text("dialogue.contacts_need_guidance", language) + "\n\n" + human_contacts(tracker, language)


def human_contacts(tracker: Tracker, language: str) -> str:
    """The people to talk to in the resident's municipality (or the general ones)."""
    contacts = get_knowledge().fallback_contacts(profile_of(tracker).municipality, clock.today())
    return render_contact_list([ContactAdvice.of(c, language) for c in contacts], language)


class ActionHumanContact(Action):
    """A person to talk to, chosen by the resident's municipality when known."""

    def name(self) -> Text:
        return "action_human_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(text=kb.text("dialogue.human_contact_intro", language) + "\n\n"
                                 + human_contacts(tracker, language))
        return tag_answer(dispatcher, "human_contact")


class ActionDefaultFallback(Action):
    """Admits not understanding, offers buttons and a human contact, and forgets the
    message it did not understand so the conversation can continue where it was."""

    def name(self) -> Text:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        kb = get_knowledge()
        dispatcher.utter_message(
            text=kb.text("dialogue.not_understood", language) + "\n\n" + human_contacts(tracker, language),
            buttons=follow_up_buttons(language),
        )
        return [UserUtteranceReverted(), *tag_answer(dispatcher, "fallback")]
