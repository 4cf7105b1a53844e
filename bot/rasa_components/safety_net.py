"""Last NLU component: messages about immediate danger or suicide are always `emergency`.

See bot/safety.py for why and what is matched.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_components.intent_rule import IntentRule, override_intent
from bot.safety import is_emergency

EMERGENCY = "emergency"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencySafetyNet(IntentRule):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_emergency(message.get(TEXT) or ""):
                override_intent(message, {"name": EMERGENCY, "confidence": 1.0})
        return messages
