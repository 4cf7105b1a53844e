"""The answer (route advice) at the end of the guidance interview; the interview itself is
actions/interview.py."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_tag import tag_answer
from actions.tracker_profile import language_of, profile_of
from bot.content import get_knowledge
from bot.render import render_advice_sections
from bot.routes import decide

logger = logging.getLogger(__name__)


class ActionGiveGuidance(Action):
    """Names the route(s), says why, and gives contacts with sources and dates."""

    def name(self) -> Text:
        return "action_give_guidance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        profile = profile_of(tracker)
        advice = decide(profile, language)
        sections = render_advice_sections(advice, language)
        # One short message per route, then notices and next steps; the offer to explain
        # more (buttons) comes with the last one.
        for section in sections[:-1]:
            dispatcher.utter_message(text=section.strip())
        dispatcher.utter_message(text=sections[-1].strip(), buttons=follow_up_buttons(language))
        dispatcher.utter_message(json_message={"routes": advice.route_ids(), "ask_next": list(advice.ask_next)})
        return [SlotSet("routes", advice.route_ids()), *tag_answer(dispatcher, "route")]


def follow_up_buttons(language: str) -> List[Dict[str, str]]:
    kb = get_knowledge()
    return [
        {"title": kb.text(f"button.{intent}", language), "payload": f"/{intent}"}
        for intent in ("ask_rehabilitative_work_activity", "ask_duration", "ask_cost", "human_contact", "start_over")
    ]
