"""Rasa NLU component: what the resident tells about themselves, as entities.

A thin wrapper around :func:`bot.nlu.extract.extract_facts` (rule-based, no training): for
each message it adds ``age``, ``municipality``, ``unemployed``,
``health_affects_work_ability``, ``disability``, ``referral``, ``plan`` and
``client_of`` entities, at most one of each, with character offsets, confidence 1.0 and
``"extractor": "ProfileEntityExtractor"``. It reads the message language that the
LanguageResolver put on the message (``message.get("language")["code"]``), so it must
come after the LanguageResolver in the pipeline.

A message written for a close person that tells none of the writer's own facts ("Min son är
22 och sitter mest hemma i Ekenäs...") gives that person's facts instead
(:func:`bot.nlu.extract.facts_about_someone_else`), and ``"about_someone_else": true`` in the
parse data, so the interview says whose situation it answers for.

Messages starting with "/" are button payloads ("/inform{...}") that Rasa's
RegexMessageHandler parses itself; they are left alone.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.extract import (
    ABOUT_SOMEONE_ELSE,
    LANGUAGES,
    extract_facts,
    facts_about_someone_else,
    warm_up,
    written_for_someone_else,
)
from bot.nlu.extract import ENTITIES as PROFILE_ENTITIES
from bot.rasa_components.fingerprint import CodeFingerprint

LANGUAGE = "language"  # set by bot.rasa_components.language_resolver.LanguageResolver


def message_language(message: Message) -> Optional[str]:
    info = message.get(LANGUAGE)
    code = info.get("code") if isinstance(info, dict) else None
    return code if code in LANGUAGES else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class ProfileEntityExtractor(CodeFingerprint, GraphComponent, EntityExtractorMixin):
    """Rule-based profile entities; see the module docstring and bot/nlu/extract/."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # which of bot.nlu.extract.ENTITIES to emit
            "entities": list(PROFILE_ENTITIES),
            # load spaCy tokenizers, simplemma dictionaries and the municipality tables
            # when the model loads, instead of during the first resident's message
            "warm_up": True,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        unknown = set(self._config["entities"]) - set(PROFILE_ENTITIES)
        if unknown:
            raise ValueError(f"ProfileEntityExtractor: unknown entities {sorted(unknown)}")
        self._entities = frozenset(self._config["entities"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProfileEntityExtractor:
        component = cls(config)
        if component._config["warm_up"]:
            warm_up()
        return component

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Nothing to learn and nothing to add: training examples keep their annotations."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip() or text.lstrip().startswith("/"):
                continue
            language = message_language(message)
            facts = extract_facts(text, language)
            # (it reads the writer's own facts as the person's only when the message says
            # outright that it is written for them; otherwise it wants no own facts but the home)
            for_someone = facts_about_someone_else(text, language, own=facts)
            if for_someone:
                facts = for_someone
                message.set(ABOUT_SOMEONE_ELSE, True, add_to_output=True)
            elif not facts and written_for_someone_else(text, language):
                # "kysyn veljen puolesta... voinko mä hakee sille kuntouttavaa?": no fact of the
                # brother's was read, but the interview's questions are about him, not the writer
                message.set(ABOUT_SOMEONE_ELSE, True, add_to_output=True)
            entities = [
                {
                    ENTITY_ATTRIBUTE_TYPE: fact.entity,
                    ENTITY_ATTRIBUTE_VALUE: fact.value,
                    ENTITY_ATTRIBUTE_START: fact.start,
                    ENTITY_ATTRIBUTE_END: fact.end,
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                }
                for fact in facts
                if fact.entity in self._entities
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(entities),
                add_to_output=True,
            )
        return messages
