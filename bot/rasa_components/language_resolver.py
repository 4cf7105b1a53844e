"""First NLU component: decides the language of each message and of the reply.

Puts ``language`` into the parse output (``add_to_output``) as
``{"code", "source", "detected", "confidence"}``. The custom action
``action_validate_slot_mappings`` (actions/language.py) copies ``code`` into the ``language`` slot, which selects
the fi/sv/en response variations. Later components (tokenizer, entity extractor) read
the same property so they use the right language.

The order of precedence lives in :func:`bot.language.resolve_language`; this component
only gathers its inputs: the text, the channel metadata of this message and of the
previous one, and the conversation's current language from the tracker.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language import resolve_language
from bot.language.tags import metadata_language
from bot.rasa_components.fingerprint import CodeFingerprint

LANGUAGE = "language"
LANGUAGE_SLOT = "language"
def conversation_state(tracker: Optional[DialogueStateTracker]) -> tuple[Optional[str], Optional[str]]:
    """(current language, previous message's metadata language) before this message.

    The slot has a default value, so the language only counts as established once an
    earlier user message exists in the conversation.
    """
    if tracker is None:
        return None, None
    previous = [e for e in tracker.events if isinstance(e, UserUttered)]
    if not previous:
        return None, None
    current = tracker.get_slot(LANGUAGE_SLOT)
    return (current if isinstance(current, str) else None), metadata_language(previous[-1].metadata)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class LanguageResolver(CodeFingerprint, GraphComponent):
    """Resolves fi/sv/en per message; see module docstring."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"default_language": "fi"}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._default = config.get("default_language", "fi")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageResolver:
        return cls(config)

    def _resolve(self, message: Message, tracker: Optional[DialogueStateTracker]) -> None:
        text = message.get(TEXT) or ""
        current, previous_meta = conversation_state(tracker)
        resolution = resolve_language(
            text,
            metadata_language=metadata_language(message.get("metadata")),
            previous_metadata_language=previous_meta,
            current_language=current,
            default=self._default,
        )
        message.set(
            LANGUAGE,
            {
                "code": resolution.language,
                "source": resolution.source,
                "detected": resolution.detected,
                "confidence": round(float(resolution.confidence), 3),
            },
            add_to_output=True,
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):
                self._resolve(example, None)
        return training_data

    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        for message in messages:
            self._resolve(message, tracker)
        return messages
