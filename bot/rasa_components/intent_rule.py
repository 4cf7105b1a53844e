"""What the NLU components that correct the classifier's intent by rule have in common
(the emergency safety net, the scope gate, the self-description): no training, and one way
to put the rule's intent first."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_components.fingerprint import CodeFingerprint


class IntentRule(CodeFingerprint, GraphComponent):
    """Base of a rule component: created without configuration, leaves training data alone."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentRule:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def override_intent(message: Message, intent: Dict[Text, Any]) -> None:
    """``intent`` becomes the message's intent and the first of its ranking (the classifier's
    own ranking follows, so the report still shows what it thought)."""
    ranking = [intent] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent["name"]]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
