"""Rasa's logistic regression intent classifier, with a second model for long messages.

Rasa's ``LogisticRegressionClassifier`` reads the featurizers' raw counts. A resident's long
message (a story of several sentences, its question added again ``question_focus`` times:
bot/rasa_components/tokenizer.py) has hundreds of word and character n-gram counts, so its
scores grow with its length: such a message came out near certain (0.99-1.0) of whatever
intent its story's words pulled to, also when that was wrong, and the "unsure" checks after
the classifier (scope_gate.py) never saw the doubt.

So a message of ``long_message_words`` words or more is classified by a second logistic
regression, trained on the same examples with scaled features: each count becomes
``1 + log(count)`` (``sublinear_tf``: a word said five times is not five times the evidence)
and each message's feature vector has unit length (``norm``), as in a tf-idf text
classifier; its scores depend on what the message says rather than on how long it is.
Scaled features are small, so its regularisation is weaker (``long_C``) and lbfgs needs more
iterations (``long_max_iter``). Shorter messages keep Rasa's model: on them the scaled one
was worse (small talk read as questions for another service), and the thresholds after the
classifier were measured with it. Measured in tests/eval/README.md ("Eleventh stop": "Long
messages get a classifier of their own").

Everything else is Rasa's component: the shared configuration, prediction, the ranking and
the persisted scikit-learn models (skops).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix
from sklearn.base import clone
from sklearn.preprocessing import normalize

from bot.rasa_components.fingerprint import CodeFingerprint
from bot.rasa_components.tokenizer import QUESTION_FOCUS_WORDS

logger = logging.getLogger(__name__)

NORMS = ("l1", "l2", "max")


def scale(counts: csr_matrix, sublinear_tf: bool, norm: str | None) -> csr_matrix:
    """Counts to ``1 + log(count)`` (with ``sublinear_tf``), then each row to unit ``norm``."""
    features = csr_matrix(counts, dtype=np.float64, copy=True)
    if sublinear_tf:
        positive = features.data > 0
        features.data[positive] = 1.0 + np.log(features.data[positive])
    return normalize(features, norm=norm) if norm else features


def word_count(message: Message) -> int:
    return len((message.get(TEXT) or "").split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LengthAwareLogisticRegressionClassifier(CodeFingerprint, LogisticRegressionClassifier):
    """``LogisticRegressionClassifier``; long messages get a model on scaled features."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(),
                # the length from which the tokenizer weighs a message's question more
                "long_message_words": QUESTION_FOCUS_WORDS,
                "long_C": 1000.0,  # scikit-learn's inverse regularisation strength
                "long_max_iter": 1000,
                "sublinear_tf": True,
                "norm": "l2"}  # l1 | l2 | max | null (no scaling)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        norm = config.get("norm", "l2")
        if norm is not None and norm not in NORMS:
            raise ValueError(f"norm must be one of {NORMS} or null, not {norm!r}")
        if float(config.get("long_C", 1.0)) <= 0:
            raise ValueError("long_C must be positive")
        if int(config.get("long_message_words", 1)) < 1:
            raise ValueError("long_message_words must be at least 1")

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.validate_config(self.config)
        self.long_clf = clone(self.clf).set_params(C=float(self.config["long_C"]),
                                                   max_iter=int(self.config["long_max_iter"]))

    def _scaled(self, counts: csr_matrix) -> csr_matrix:
        return scale(counts, bool(self.config["sublinear_tf"]), self.config["norm"])

    def train(self, training_data: TrainingData) -> Resource:
        X, y = self._create_training_matrix(training_data)
        if X.shape[0] == 0:
            logger.debug(f"Cannot train '{self.__class__.__name__}'. No data was provided.")
            return self._resource
        # The two fits are independent: in two threads they take about a quarter less time
        # on two cores (scikit-learn and scipy release the GIL for much of the work).
        with ThreadPoolExecutor(max_workers=2) as pool:
            fits = [pool.submit(self.clf.fit, X, y), pool.submit(self.long_clf.fit, self._scaled(X), y)]
            for fit in fits:
                fit.result()
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if not messages:
            return messages
        counts = self._create_X(messages)
        probabilities = self.clf.predict_proba(counts)
        is_long = np.array([word_count(m) >= int(self.config["long_message_words"]) for m in messages])
        if is_long.any():
            probabilities[is_long] = self.long_clf.predict_proba(self._scaled(counts[is_long]))
        # both models were fitted on the same labels, so their classes_ are the same
        for message, row in zip(messages, probabilities):
            ranking = sorted(({"name": name, "confidence": float(p)} for name, p in zip(self.clf.classes_, row)),
                             key=lambda e: -e["confidence"])
            intent = ranking[0]
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set(INTENT, intent, add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        import skops.io as sio

        super().persist()
        with self._model_storage.write_to(self._resource) as model_dir:
            sio.dump(self.long_clf, model_dir / f"{self._resource.name}.long.skops")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> LengthAwareLogisticRegressionClassifier:
        import skops.io as sio

        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                path = model_dir / f"{resource.name}.long.skops"
                if sio.get_untrusted_types(file=path):  # as Rasa's own model: only scikit-learn's types
                    raise ValueError(f"untrusted types in {path}")
                component.long_clf = sio.load(path, trusted=[])
        except (ValueError, FileNotFoundError):
            logger.debug(f"No long-message model in '{resource.name}'; untrained classifier.")
            return cls.create(config, model_storage, resource, execution_context)
        return component
