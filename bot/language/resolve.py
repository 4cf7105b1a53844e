"""Choosing the reply language for one message of a conversation.

Precedence, first match wins:

1. ``explicit``  - the message asks for a language ("på svenska", a language button);
2. ``metadata``  - the channel reports a language that is new for the conversation:
   nothing is established yet, or it changed since the previous message (the resident
   moved from the Finnish to the Swedish page);
3. ``detected``  - the message itself is clearly written in a language. Against an
   established language (the conversation's, or a page language new in step 2) this
   needs stronger evidence than picking a language when none is set, so short replies
   such as "thanks" or "ok" never flip the conversation;
4. ``current``   - the conversation's language so far;
5. ``default``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .detect import SUPPORTED, Detection, detect, explicit_request
from .tags import normalise_language_tag

__all__ = ["Resolution", "normalise_language_tag", "resolve_language", "SWITCH_MIN_CONFIDENCE", "SWITCH_MIN_WORDS"]

# Leaving an established language needs a detection at least this confident ...
SWITCH_MIN_CONFIDENCE = 0.75
# ... on at least this many language-bearing words. One word ("thanks", "hej", "joo")
# is routinely borrowed across these languages, so it never switches by itself; the
# resident can still switch with an explicit request ("svenska", "in English").
SWITCH_MIN_WORDS = 2


@dataclass(frozen=True)
class Resolution:
    """The reply language for a message and why it was chosen.

    ``detected`` and ``confidence`` describe what :func:`detect` found in the text
    (None and 0.0 when it had too little signal), whatever the ``source``.
    """

    language: str
    source: str  # "explicit" | "metadata" | "detected" | "current" | "default"
    detected: str | None
    confidence: float


def strong_enough_to_switch(detection: Detection) -> bool:
    """Whether ``detection`` may override an established language."""
    return (
        detection.language is not None
        and detection.words >= SWITCH_MIN_WORDS
        and detection.confidence >= SWITCH_MIN_CONFIDENCE
    )


def _baseline(metadata: str | None, previous_metadata: str | None, current: str | None) -> tuple[str | None, str]:
    """The established language before looking at the text, and where it comes from."""
    metadata_is_new = metadata is not None and (current is None or metadata != previous_metadata)
    if metadata_is_new:
        return metadata, "metadata"
    return current, "current"


def resolve_language(
    text: str,
    *,
    metadata_language: str | None,
    previous_metadata_language: str | None,
    current_language: str | None,
    default: str = "fi",
) -> Resolution:
    """Decide the reply language for ``text``; see the module docstring for the order."""
    fallback = normalise_language_tag(default)
    if fallback not in SUPPORTED:
        raise ValueError(f"default language must be one of {SUPPORTED}, got {default!r}")

    detection = detect(text or "")

    def result(language: str, source: str) -> Resolution:
        return Resolution(language, source, detection.language, detection.confidence)

    requested = explicit_request(text or "")
    if requested:
        return result(requested, "explicit")

    baseline, source = _baseline(
        normalise_language_tag(metadata_language),
        normalise_language_tag(previous_metadata_language),
        normalise_language_tag(current_language),
    )
    detected = detection.language
    if detected is not None:
        if baseline is None or (detected == baseline and source == "current"):
            return result(detected, "detected")
        if detected != baseline and strong_enough_to_switch(detection):
            return result(detected, "detected")
    if baseline is not None:
        return result(baseline, source)
    return result(fallback, "default")
