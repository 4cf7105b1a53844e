"""Log records without the personal data residents type.

``RedactingFilter`` is a ``logging.Filter`` that redacts a record's message, arguments,
exception text and stack text in place (``bot.privacy.redact``). Attach it to a handler,
or reference it from a ``logging.config.dictConfig`` file::

    filters:
      redact: {"()": bot.privacy.logging_filter.RedactingFilter}
    handlers:
      console: {class: logging.StreamHandler, filters: [redact]}

``install_redacting_filter()`` applies the same redaction to **every** record of the
process, whatever logger or handler it goes to (also handlers configured later, e.g. by
uvicorn or Sanic at start-up), by wrapping the log record factory. It is idempotent.
Installed by: the action server (actions/server.py), Rasa (when it loads
``bot.privacy.tracker_store.RedactingSQLTrackerStore``); the gateway calls it at start-up.

Patterns cannot recognise free-text health details, so message text must not be logged
at all in production: Rasa prints user messages and tracker states at DEBUG level, so
run it at INFO or above (the default; bot.supervisor and docker-compose do not pass
``--debug``/``-v``; ``LOG_LEVEL`` must not be DEBUG).
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from bot.privacy.redact import redact

_DONE = "_ko_redacted"
_PRIMITIVES = (int, float, bool, type(None))


def _redact_arg(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, _PRIMITIVES):
        return value
    # Trackers, dicts, exceptions...: their text is what would be logged.
    text = str(value)
    redacted = redact(text)
    return value if redacted == text else redacted


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redacts ``record`` in place (once) and returns it."""
    if getattr(record, _DONE, False):
        return record
    try:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        elif record.msg is not None and not isinstance(record.msg, _PRIMITIVES):
            text = str(record.msg)
            if redact(text) != text:
                record.msg = redact(text)
        args = record.args
        if isinstance(args, tuple):
            record.args = tuple(_redact_arg(a) for a in args)
        elif isinstance(args, dict):
            record.args = {k: _redact_arg(v) for k, v in args.items()}
        if record.args:
            # Personal data split between the message and its arguments.
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken record is logging's problem
                message = None
            if message is not None and redact(message) != message:
                record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            # Formatters print exc_text when it is set; without exc_info they cannot
            # render the original (unredacted) exception again.
            record.exc_text = redact(record.exc_text)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
    except Exception:  # noqa: BLE001 - logging must never fail because of redaction
        record.msg, record.args = "[log record could not be redacted]", ()
        record.exc_info = record.exc_text = record.stack_info = None
    setattr(record, _DONE, True)
    return record


class RedactingFilter(logging.Filter):
    """Redacts personal data in every record it sees; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_redacting_filter() -> None:
    """Redact every log record created in this process from now on (idempotent).

    Call it once at start-up, before serving requests (the gateway: in its app factory
    or lifespan start)."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, _DONE, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(current(*args, **kwargs))

    setattr(factory, _DONE, True)
    logging.setLogRecordFactory(factory)
    # Records that bypass the factory (logging.makeLogRecord) are caught by the handlers
    # that exist now.
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def is_installed() -> bool:
    return bool(getattr(logging.getLogRecordFactory(), _DONE, False))
