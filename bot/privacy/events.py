"""Redaction of serialised Rasa events (the dicts ``Event.as_dict()`` returns). Pure Python.

Only what the resident sent is redacted:

* ``user`` events: ``text``, every string in ``parse_data`` except what the model
  produced (intent, intent ranking, response selector) and the ids, the ``metadata``;
  entity values that overlap a redacted part of the text become that part's token
  (``"value": "[PHONE]"``), and entity ``start``/``end`` offsets are moved to the
  redacted text. Slots are already set from the raw text in the running turn; later
  turns restore them from the ``slot`` events.
* ``entities`` events (entities added by actions) and ``slot`` events: string values.
  The assistant's slot values are categories, ages and municipality names, which
  redaction leaves alone; a free-text slot would be protected too.

Bot messages (``bot``), actions and every other event are returned unchanged: the
assistant names service addresses and phone numbers on purpose.

Nothing is modified in place: ``UserUttered.as_dict()`` returns the event's own
``parse_data`` dict, which the running conversation still uses.
"""
from __future__ import annotations

from typing import Any

from bot.privacy.redact import Span, map_offset, overlapping, redact, redact_with_spans

# parse_data keys the NLU model produced (not the resident), kept as they are.
_MODEL_KEYS = frozenset({"intent", "intent_ranking", "response_selector", "message_id"})


def redact_value(value: Any) -> Any:
    """A copy of ``value`` with every string in it redacted (dicts, lists, tuples)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(item) for item in value]
    return value


def _redact_entity(entity: Any, spans: list[Span]) -> Any:
    if not isinstance(entity, dict):
        return redact_value(entity)
    result = dict(entity)
    start, end = entity.get("start"), entity.get("end")
    hit: Span | None = None
    if spans and isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool):
        hit = overlapping(spans, start, end)
        result["start"] = map_offset(spans, start)
        result["end"] = map_offset(spans, end, end=True)
    for key in ("value", "text"):
        if key not in entity:
            continue
        value = entity[key]
        redacted = redact_value(value)
        if hit is not None and redacted == value:
            # A part of a code or number ("123A" of a henkilötunnus): still personal.
            redacted = hit.token
        result[key] = redacted
    return result


def _redact_entities(entities: Any, spans: list[Span]) -> Any:
    if not isinstance(entities, list):
        return redact_value(entities)
    return [_redact_entity(entity, spans) for entity in entities]


def redact_user_event(data: dict[str, Any]) -> dict[str, Any]:
    result = dict(data)
    text = data.get("text")
    spans: list[Span] = []
    if isinstance(text, str):
        result["text"], spans = redact_with_spans(text)
    if "metadata" in data:
        result["metadata"] = redact_value(data["metadata"])
    parse_data = data.get("parse_data")
    if isinstance(parse_data, dict):
        parsed: dict[str, Any] = {}
        parse_text = parse_data.get("text")
        if parse_text == text:
            parse_spans = spans
        elif isinstance(parse_text, str):
            parse_spans = redact_with_spans(parse_text)[1]
        else:
            parse_spans = []
        for key, value in parse_data.items():
            if key in _MODEL_KEYS:
                parsed[key] = value
            elif key == "text" and isinstance(value, str):
                parsed[key] = result["text"] if value == text else redact(value)
            elif key == "entities":
                parsed[key] = _redact_entities(value, parse_spans)
            else:
                parsed[key] = redact_value(value)
        result["parse_data"] = parsed
    return result


def redact_event_dict(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the serialised event with the resident's personal data redacted."""
    kind = data.get("event")
    if kind == "user":
        return redact_user_event(data)
    if kind == "entities":
        result = dict(data)
        result["entities"] = _redact_entities(data.get("entities"), [])
        return result
    if kind == "slot":
        result = dict(data)
        result["value"] = redact_value(data.get("value"))
        return result
    return data
