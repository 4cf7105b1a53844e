"""NLU component after the scope gate: someone already in the activity is not asking how to get in.

A resident who takes part in the activity now ("asumistuki pieneni ku aloitin kuntsarin, voiko
ne tehä niin??", "en jaksa enää mitään... kuntouttavan ohjaaja soittelee perään", "Sitter här på
arbetsverksamheten och viker handdukar. 4 år nu.": ``participating`` in scope.yml) asks about
their benefit, their absence or their days there, or tells how it is. The classifier read the
activity's name and "started" as the way in: such messages got how to apply, or the
interview that finds a route into the activity. For such a writer the intents of getting in
(``GETTING_IN``) are taken out of the ranking and the best of the rest is the intent; when it
is no surer than the fallback threshold (``fallback_below``) the message is the honest answer
with the contact instead (``nlu_fallback``, with the rest of the ranking for "did you mean").
Who the activity is for stays: a participant may ask why they were sent there.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.scope import takes_part_now
from bot.rasa_components.intent_rule import IntentRule, override_intent
from bot.rasa_components.scope_gate import FALLBACK

#: The intents of getting into the activity: how to apply, and a request for guidance (the
#: interview, whose route is a way in).
GETTING_IN = frozenset({"ask_how_to_apply", "start_guidance"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class Participant(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # the FallbackClassifier's threshold in config.yml
        return {"fallback_below": 0.25}

    def __init__(self, fallback_below: float = 0.25) -> None:
        self.fallback_below = fallback_below

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> Participant:
        return cls(float({**cls.get_default_config(), **config}["fallback_below"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in GETTING_IN or text.startswith("/") or not takes_part_now(text):
                continue
            rest = sorted((r for r in message.get(INTENT_RANKING_KEY) or []
                           if r.get("name") not in GETTING_IN and r.get("name") != FALLBACK),
                          key=lambda r: -float(r.get("confidence") or 0.0))
            best = rest[0] if rest else {"name": FALLBACK, "confidence": 0.0}
            chosen = best if float(best.get("confidence") or 0.0) >= self.fallback_below else {
                "name": FALLBACK, "confidence": float(best.get("confidence") or 0.0)}
            # the ways in leave the ranking too: "did you mean" offers the rest
            message.set(INTENT_RANKING_KEY, rest, add_to_output=True)
            override_intent(message, chosen)
        return messages
