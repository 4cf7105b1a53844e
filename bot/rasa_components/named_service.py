"""NLU component after the scope gate: a question that names a service by name is about it.

Long messages carry many words and one name: "Mut on siirretty TYP:iin ja en oikein tajuu
mikä se on. Siellä on kela ja sossu ja työkkäri..." came out as "what is done there", and
stories about a relative who once went to Duuri as the health or absence topics. When the
message names exactly one of the services in bot/nlu/named_services.yml and the classifier
chose one of the general question intents that service replaces, the message gets the
service's own question intent. Other intents (money, travel, refusal...) keep theirs: "saako
TYP:ssä kulukorvausta?" is a question about money. A service whose list names one of them
replaces it too: the disability work activity's money is its own, not the 9 euros. A fallback
for another service (``elsewhere``, set by the scope gate) is left alone.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.guidance.topics import TOPIC_OF_INTENT
from bot.nlu.named_services import load, named_service
from bot.rasa_components.intent_rule import IntentRule, override_intent
from bot.rasa_components.language_resolver import LANGUAGE
from bot.rasa_components.scope_gate import ELSEWHERE

TOPIC_INTENTS = frozenset(TOPIC_OF_INTENT)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class NamedService(IntentRule):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> NamedService:
        load()  # a broken list stops the model from loading, not a resident's message
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            name = intent.get("name") or ""
            if not text or text.startswith("/") or message.get(ELSEWHERE):
                continue
            language = (message.get(LANGUAGE) or {}).get("code") or "fi"
            naming = named_service(text, language)
            if naming and naming.intent != name and naming.may_replace(name, TOPIC_INTENTS):
                override_intent(message, {"name": naming.intent, "confidence": intent.get("confidence", 0.0)})
        return messages
