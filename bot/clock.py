"""Today's date for every time-dependent answer (notices, validity of contacts, history).

One place decides what "today" is, so that tests and staff previews can move it:

* ``set_today(date)`` / ``frozen_today(date)`` override it inside the process (tests);
* the environment variable ``KUNTOUTUSOPAS_TODAY=YYYY-MM-DD`` overrides it for a whole run
  (staff preview: "what will the assistant say on 1.1.2027?");
* otherwise it is the machine's local date.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

ENV_VAR = "KUNTOUTUSOPAS_TODAY"

log = logging.getLogger(__name__)

_override: date | None = None


def parse_iso_date(text: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` date; raise ``ValueError`` with a readable message."""
    raw = str(text).strip()
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def today() -> date:
    """The date answers are computed for (override > environment > system clock)."""
    if _override is not None:
        return _override
    raw = os.environ.get(ENV_VAR, "").strip()
    if raw:
        try:
            return parse_iso_date(raw)
        except ValueError as exc:
            log.warning("ignoring %s: %s; using the system date", ENV_VAR, exc)
    return date.today()


def set_today(value: date | None) -> None:
    """Pin today's date for this process (``None`` removes the pin)."""
    global _override
    if value is not None and not isinstance(value, date):
        raise TypeError("set_today expects a datetime.date or None")
    _override = value


@contextmanager
def frozen_today(value: date) -> Iterator[date]:
    """Context manager: pin today's date, restoring the previous pin afterwards."""
    previous = _override
    set_today(value)
    try:
        yield value
    finally:
        set_today(previous)
