"""Grouping the messages the assistant did not understand, most frequent first.

Why character n-grams: residents type Finnish with inflections, typos and without
diacritics ("kuntouttavan työtoiminnan hinta", "kuntouttava tyotoiminta hinta?"), so word
tokens rarely match while character 2-4-grams (TF-IDF, within word boundaries, the same
features the NLU pipeline uses) do. Identical texts after normalisation (case, spacing,
punctuation) are merged first; the distinct texts are then clustered with average-linkage
agglomerative clustering on cosine distance, cut at :data:`DISTANCE_THRESHOLD`, so no number
of groups has to be chosen. Deterministic (no random state). Beyond :data:`MAX_CLUSTERED`
distinct texts (quadratic memory) the rarest are kept as groups of their own.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.privacy.redact import TOKENS

DISTANCE_THRESHOLD = 0.5
MAX_CLUSTERED = 3000
MAX_EXAMPLES = 5

# Redaction tokens ([PHONE], [HETU], ...) survive lower-casing.
_TOKEN = re.compile("|".join(re.escape(t.lower()) for t in TOKENS))
_NOT_WORD = re.compile(r"[^\w\[\]]+", re.UNICODE)


@dataclass(frozen=True)
class Message:
    text: str
    language: str
    suggestion: str | None = None  # the NLU's closest intent


@dataclass
class Group:
    count: int
    text: str  # the most frequent text of the group
    examples: list[str]  # distinct texts, most frequent first (at most MAX_EXAMPLES)
    languages: dict[str, int]
    suggested_intent: str | None
    texts: list[str] = field(default_factory=list)  # every distinct text (for the YAML export)

    def to_dict(self) -> dict:
        return {"count": self.count, "text": self.text, "examples": self.examples,
                "languages": self.languages, "suggested_intent": self.suggested_intent}


def normalise(text: str) -> str:
    """Case, spacing and punctuation folded; redaction tokens kept."""
    text = _TOKEN.sub(lambda m: m.group(0).upper(), unicodedata.normalize("NFKC", text).lower())
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _cluster(keys: Sequence[str], threshold: float) -> list[int]:
    """Cluster labels of ``keys`` (distinct normalised texts)."""
    if len(keys) < 2:
        return [0] * len(keys)
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(keys)
    distances = cosine_distances(vectors)
    kwargs = dict(n_clusters=None, linkage="average", distance_threshold=threshold)
    try:
        model = AgglomerativeClustering(metric="precomputed", **kwargs)  # scikit-learn >= 1.2
    except TypeError:
        model = AgglomerativeClustering(affinity="precomputed", **kwargs)  # scikit-learn 1.1 (Rasa 3.6)
    return [int(label) for label in model.fit_predict(distances)]


def group_messages(messages: Sequence[Message], threshold: float = DISTANCE_THRESHOLD) -> list[Group]:
    """Similar messages together, the largest group first (ties: alphabetical)."""
    by_key: dict[str, list[Message]] = {}
    for message in messages:
        key = normalise(message.text)
        if key:
            by_key.setdefault(key, []).append(message)
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), k))
    clustered, rest = keys[:MAX_CLUSTERED], keys[MAX_CLUSTERED:]
    labels = _cluster(clustered, threshold)
    members: dict[int, list[str]] = {}
    for key, label in zip(clustered, labels):
        members.setdefault(label, []).append(key)
    clusters = list(members.values()) + [[key] for key in rest]

    groups: list[Group] = []
    for cluster in clusters:
        items = [m for key in cluster for m in by_key[key]]
        texts = Counter(m.text for m in items)
        ordered = [t for t, _ in sorted(texts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))]
        suggestions = Counter(m.suggestion for m in items if m.suggestion)
        groups.append(Group(
            count=len(items),
            text=ordered[0],
            examples=ordered[:MAX_EXAMPLES],
            languages=dict(sorted(Counter(m.language for m in items).items())),
            suggested_intent=(sorted(suggestions.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                              if suggestions else None),
            texts=ordered,
        ))
    return sorted(groups, key=lambda g: (-g.count, g.text))
