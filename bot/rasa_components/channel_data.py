"""The assistant's own structured data reaches the web gateway only, never a messaging channel.

Custom actions send some bot messages as structured data for the gateway, the staff
report and the evaluation: the answer tag ``{"answer": ..., "routes": [...]}``, the turn's
``{"language": ...}``, ``{"feedback_question": ...}`` and ``{"forget_me": true}``. They are
kept in the conversation (the report reads them from the tracker store), and the REST
channel the gateway uses returns them as data. Rasa's other output channels do not know
what to do with them: Socket.IO crashed on ``sio.emit(event, **{"answer": ...})`` and
dropped the rest of the turn, Slack would post them as message fields and Bot Framework
as an empty alert. So :func:`install_internal_data_filter` makes every output channel
except Rasa's collecting (REST) one leave these payloads out; a message that has text
or buttons besides is still sent without them.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

#: The keys of the structured data the assistant's actions send (actions/answer_tag.py,
#: actions/language.py, actions/feedback.py, actions/session.py).
INTERNAL_KEYS = frozenset({"answer", "routes", "ask_next", "contact", "language", "feedback_question",
                           "forget_me"})
_MARK = "_kuntoutusopas_internal_data_filter"
_VISIBLE = ("text", "image", "buttons", "quick_replies", "elements", "attachment")


def is_internal(custom: Any) -> bool:
    return isinstance(custom, dict) and bool(custom) and set(custom) <= INTERNAL_KEYS


def without_internal_data(message: Dict[Text, Any]) -> Dict[Text, Any] | None:
    """The message as a channel other than REST should get it; None if nothing is left."""
    if not is_internal(message.get("custom")):
        return message
    rest = {key: value for key, value in message.items() if key != "custom"}
    return rest if any(rest.get(key) for key in _VISIBLE) else None


def install_internal_data_filter() -> bool:
    """Patch ``OutputChannel.send_response`` once per process; False if Rasa's code is not
    the expected shape (then nothing is changed)."""
    try:
        from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel
    except ImportError:  # pragma: no cover - Rasa missing
        return False
    original = OutputChannel.__dict__.get("send_response")
    if original is None:
        return False
    if getattr(original, _MARK, False):
        return True

    @functools.wraps(original)
    async def send_response(self: Any, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if not isinstance(self, CollectingOutputChannel):
            cleaned = without_internal_data(message)
            if cleaned is None:
                return
            message = cleaned
        await original(self, recipient_id, message)

    setattr(send_response, _MARK, True)
    OutputChannel.send_response = send_response
    return True
