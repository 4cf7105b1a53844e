"""Checks on what residents and clients send, beyond JSON types (which pydantic checks):
message length, empty messages, control characters, long runs of symbols and the size of
client metadata."""
from __future__ import annotations

import json
import unicodedata
from typing import Any

from bot.gateway.errors import ApiError
from bot.nlu.spacy_text import longest_symbol_run

# Client metadata is passed to Rasa (and stored with the conversation): keep it small.
MAX_METADATA_KEYS = 10
MAX_METADATA_BYTES = 1024
# Ordinary whitespace is fine in a message; other control characters are not text.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}
# A resident never types more than a few punctuation marks or symbols in a row; a longer
# run is noise or an attempt to load the NLU (spaCy is quadratic in such runs, which
# bot/nlu/spacy_text.py works around for the channels that bypass the gateway). Refused with a
# readable message instead of a meaningless answer.
MAX_SYMBOL_RUN = 100


def has_control_characters(value: str) -> bool:
    """C0/C1 control characters (except tab and newlines) and lone surrogates, which JSON's
    ``\\ud800`` escapes can smuggle in and which cannot be encoded as UTF-8."""
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs")) and ch not in _ALLOWED_CONTROLS
        for ch in value
    )


def clean_message(message: str, limit: int, language: str) -> str:
    if has_control_characters(message):
        raise ApiError(400, "control_characters", language=language, extra={"field": "message"})
    text = unicodedata.normalize("NFC", message).strip()
    if not text:
        raise ApiError(400, "empty", language=language, extra={"field": "message"})
    if len(text) > limit:
        raise ApiError(413, "too_long", language=language, extra={"field": "message"}, limit=limit)
    if longest_symbol_run(text) > MAX_SYMBOL_RUN:
        raise ApiError(400, "symbol_run", language=language, extra={"field": "message"})
    return text


def clean_metadata(metadata: dict[str, Any] | None, language: str) -> dict[str, Any]:
    """Small flat client metadata (e.g. ``{"page": "/sosiaalipalvelut"}``); nested values are
    rejected by the request model already."""
    if not metadata:
        return {}
    encoded = json.dumps(metadata, ensure_ascii=False).encode("utf-8", "surrogatepass")
    if len(metadata) > MAX_METADATA_KEYS or len(encoded) > MAX_METADATA_BYTES:
        raise ApiError(413, "metadata_too_large", language=language, extra={"field": "metadata"},
                       keys=MAX_METADATA_KEYS, size=MAX_METADATA_BYTES)
    if any(has_control_characters(k) or (isinstance(v, str) and has_control_characters(v))
           for k, v in metadata.items()):
        raise ApiError(400, "control_characters", language=language, extra={"field": "metadata"})
    return dict(metadata)
