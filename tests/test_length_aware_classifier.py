"""The intent classifier with a model of its own for long messages
(bot/rasa_components/length_aware_classifier.py)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_components.length_aware_classifier import LengthAwareLogisticRegressionClassifier as Classifier
from bot.rasa_components.length_aware_classifier import scale

# Three "words": 0 and 1 belong to intent a, 2 to intent b.
VOCABULARY = 3
LONG = 4  # words from which a message is long, in these tests


def counts(*rows: list[float]) -> scipy.sparse.csr_matrix:
    return scipy.sparse.csr_matrix(np.array(rows, dtype=float))


def test_counts_become_sublinear_and_each_row_unit_length():
    scaled = scale(counts([4, 0, 0], [1, 1, 0]), sublinear_tf=True, norm="l2").toarray()
    assert scaled[0] == pytest.approx([1.0, 0.0, 0.0])  # 1 + log 4, then scaled to length 1
    assert scaled[1] == pytest.approx([2 ** -0.5, 2 ** -0.5, 0.0])
    assert scale(counts([4, 0, 0]), sublinear_tf=False, norm=None).toarray()[0] == pytest.approx([4.0, 0.0, 0.0])
    assert scale(counts([np.e ** 2, 1, 0]), sublinear_tf=True, norm=None).toarray()[0] == pytest.approx([3.0, 1.0, 0.0])


def test_scaling_leaves_the_input_alone():
    original = counts([4, 1, 0])
    scale(original, sublinear_tf=True, norm="l2")
    assert original.toarray()[0].tolist() == [4.0, 1.0, 0.0]


def message(row: list[int], intent: str | None = None) -> Message:
    """A message whose text has as many words as its counts add up to."""
    words = " ".join(f"w{k}" for k, n in enumerate(row) for _ in range(n))
    msg = Message(data={TEXT: words, **({INTENT: intent} if intent else {})})
    msg.add_features(Features(scipy.sparse.coo_matrix(np.zeros((1, VOCABULARY))), FEATURE_TYPE_SEQUENCE, TEXT, "c"))
    msg.add_features(Features(scipy.sparse.coo_matrix(np.array([row], dtype=float)), FEATURE_TYPE_SENTENCE, TEXT, "c"))
    return msg


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "model")


@pytest.fixture
def trained(tmp_path) -> Classifier:
    config = {**Classifier.get_default_config(), "long_message_words": LONG, "long_C": 10.0, "max_iter": 500}
    component = Classifier.create(config, LocalModelStorage(tmp_path), Resource("classifier"), context())
    examples = [message([1, 0, 0], "a"), message([0, 1, 0], "a"), message([1, 1, 0], "a"),
                message([0, 0, 1], "b"), message([0, 0, 2], "b"), message([1, 0, 2], "b")]
    component.train(TrainingData(examples))
    return component


def predict(component: Classifier, *rows: list[int]) -> list[tuple[str, float]]:
    messages = [message(row) for row in rows]
    component.process(messages)
    return [(m.get(INTENT)["name"], m.get(INTENT)["confidence"]) for m in messages]


def test_a_long_message_is_no_surer_than_a_shorter_one_saying_the_same(trained):
    (intent, confidence), = predict(trained, [1, 0, 1])  # short: Rasa's model on raw counts
    (raw_intent, raw_confidence), = predict(trained, [5, 0, 5])
    # the same words five times over (10 words, long): raw counts would push the score to ~1.0
    assert raw_intent == intent == "b"
    assert raw_confidence < 0.95
    (long_intent, long_confidence), = predict(trained, [2, 0, 2])  # 4 words: long too, same proportions
    assert long_confidence == pytest.approx(raw_confidence, abs=0.03)


def test_short_messages_keep_the_raw_count_model(trained):
    short, long = predict(trained, [0, 0, 3], [2, 1, 0, ])
    assert short[0] == "b"
    assert long[0] == "a"
    raw = trained.clf.predict_proba(counts([0, 0, 3]))[0]
    assert short[1] == pytest.approx(max(raw))


def test_the_configuration_reaches_both_models(trained):
    assert trained.long_clf.C == 10.0 and trained.long_clf.max_iter == 1000
    assert trained.clf.C == 1.0 and trained.clf.max_iter == 500


def test_both_models_are_persisted_and_loaded(trained, tmp_path):
    loaded = Classifier.load(trained.config, LocalModelStorage(tmp_path), Resource("classifier"), context())
    rows = ([1, 0, 1], [5, 0, 5], [0, 2, 3])
    assert predict(loaded, *rows) == predict(trained, *rows)


def test_a_bad_configuration_is_refused():
    with pytest.raises(ValueError, match="norm"):
        Classifier.validate_config({"norm": "l3"})
    with pytest.raises(ValueError, match="long_C must be positive"):
        Classifier.validate_config({"long_C": 0})
    with pytest.raises(ValueError, match="long_message_words"):
        Classifier.validate_config({"long_message_words": 0})
    Classifier.validate_config({"norm": None, "long_C": 0.5})


def test_is_a_registered_trainable_intent_classifier():
    registered = DefaultV1Recipe._registered_components[Classifier.__name__]
    assert registered.clazz is Classifier
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable is True
