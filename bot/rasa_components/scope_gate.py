"""NLU component after the classifier: a question about another service is a fallback.

A question that names another service or benefit and nothing of the assistant's subject
(bot/nlu/scope.py) gets the intent ``nlu_fallback`` instead of the nearest question intent,
so the assistant says it does not know and names who does, instead of answering another
topic. Only question intents are checked (``ask_*``, ``out_of_scope``, ``start_guidance``):
answers in the interview, greetings and feedback keep their intent.

A message with no letter or digit at all ("???", an emoji) carries nothing the classifier
can read: its intent would be whichever class the model leans to ("???" came out as the
question about money). It gets the intent ``help`` instead: what the assistant can do, or
the interview's question again.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.scope import load, names_another_service
from bot.rasa_components.fingerprint import CodeFingerprint

FALLBACK = "nlu_fallback"
#: The intent of a message without words (see the module's docstring).
WORDLESS = "help"
#: The property the component adds to the parse result: the other service named.
ELSEWHERE = "elsewhere"


def is_question_intent(name: str) -> bool:
    return name.startswith("ask_") or name in ("out_of_scope", "start_guidance")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ScopeGate(CodeFingerprint, GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ScopeGate:
        load()  # a broken word list stops the model from loading, not a resident's message
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if text and not text.startswith("/") and not any(ch.isalnum() for ch in text):
                _replace_intent(message, {"name": WORDLESS, "confidence": 1.0})
                continue
            if not is_question_intent(intent.get("name") or ""):
                continue
            other = names_another_service(text)
            if other is None:
                continue
            _replace_intent(message, {"name": FALLBACK, "confidence": intent.get("confidence", 0.0)})
            message.set(ELSEWHERE, other, add_to_output=True)
        return messages


def _replace_intent(message: Message, intent: Dict[Text, Any]) -> None:
    """``intent`` becomes the message's intent and the first of its ranking."""
    ranking = [intent] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent["name"]]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
