"""Work that Rasa 3.6 repeats on every custom action call, done once instead.

Installed when Rasa imports the custom components (``bot/rasa_components/__init__.py``), so
it applies in ``rasa run``, ``rasa shell``, ``rasa test`` and training alike, and nowhere
else.

``RemoteAction._validate_action_result`` (rasa/core/actions/action.py) checks every answer
of the action server with ``jsonschema.validate(result, schema)``. That function first
validates the *schema itself* against the JSON Schema meta-schema and builds a new
validator, each time; with Rasa's large event schema this was about half of the Rasa
process's CPU time per turn (py-spy with tests/bench/profile_stack.py; findings in
tests/bench/README.md), because a form turn makes two or three action calls. Here the
constant schema is checked once and one validator is kept: a valid result is accepted
after exactly the same instance validation, and an invalid one still goes through Rasa's
own method, so it raises the same ``ValidationError`` with the same message.

``Event.resolve_by_type`` (rasa/shared/core/events.py) walks the whole Event class tree,
calling ``inspect.isabstract`` on every class, for every event it deserialises: each turn
reads the conversation's stored events back (several hundred events in a long
conversation). The class found for a type name is remembered; unknown names and
fall-backs to ``default`` still go through Rasa's own method.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

logger = logging.getLogger(__name__)

_MARK = "_kuntoutusopas_cached_validator"


def install_cached_action_result_validation() -> bool:
    """Patch RemoteAction once per process; returns False when Rasa's code is not the
    expected shape (then nothing is changed)."""
    try:
        from jsonschema import validators
        from rasa.core.actions.action import RemoteAction
    except ImportError:  # pragma: no cover - Rasa/jsonschema missing
        return False
    original = RemoteAction.__dict__.get("_validate_action_result")
    spec = RemoteAction.__dict__.get("action_response_format_spec")
    if original is None or spec is None:
        return False
    if getattr(original, _MARK, False):
        return True

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate() does on every call
    validator = validator_class(schema)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        if type(self).action_response_format_spec is RemoteAction.action_response_format_spec \
                and validator.is_valid(result):
            return True
        # Invalid (or a subclass with another schema): Rasa's own path raises as before.
        return original(self, result)

    setattr(_validate_action_result, _MARK, True)
    _validate_action_result.__doc__ = original.__doc__
    RemoteAction._validate_action_result = _validate_action_result
    logger.debug("Rasa action result validation: schema checked once, validator cached")
    return True


def install_event_type_cache() -> bool:
    """Remember Event.resolve_by_type's answer per type name; returns False when Rasa's
    code is not the expected shape (then nothing is changed)."""
    try:
        from rasa.shared.core import events
        from rasa.shared.utils.common import all_subclasses
    except ImportError:  # pragma: no cover
        return False
    method = events.Event.__dict__.get("resolve_by_type")
    if not isinstance(method, staticmethod):
        return False
    original = method.__func__
    if getattr(original, _MARK, False):
        return True
    found: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        cls = found.get(type_name)
        if cls is not None:
            return cls
        cls = original(type_name, default)
        # Only a class Rasa found among the Event subclasses is remembered (not a default).
        if cls is not None and getattr(cls, "type_name", None) == type_name \
                and cls in all_subclasses(events.Event):
            found[type_name] = cls
        return cls

    setattr(resolve_by_type, _MARK, True)
    resolve_by_type.__doc__ = original.__doc__
    events.Event.resolve_by_type = staticmethod(resolve_by_type)
    return True
