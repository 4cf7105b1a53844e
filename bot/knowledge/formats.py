"""Formats of single values in the knowledge files: dates, phone numbers, e-mail, web.

Each checker returns ``None`` when the value is fine, or a short English description of what
is wrong; the loader (``bot.knowledge.loader``) adds the file, item id and field name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# --------------------------------------------------------------------------- source dates


@dataclass(frozen=True)
class PartialDate:
    """A source date with the precision the source gives: ``2021-02-25``, ``2020-12`` or ``2025``.

    Some public sources are dated only by month or year (e.g. "uusix.fi, 12/2020"); we keep
    that precision instead of inventing a day.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Accept ``date``, ``2025`` (int) or an ISO string ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``."""
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not an ISO date")
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not an ISO date")
        text = value.strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not match:
            raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")
        year = int(match.group(1))
        month, day = (int(g) if g else None for g in match.groups()[1:])
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid calendar date") from None
        return cls(year, month, day)

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Finnish-style date used in all three languages (the city pages do the same)."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.month}/{self.year}"
        return f"{self.day}.{self.month}.{self.year}"

    def __str__(self) -> str:
        return self.iso()


def display_date(value: date) -> str:
    """``2021-04-30`` -> ``30.4.2021``."""
    return f"{value.day}.{value.month}.{value.year}"


# --------------------------------------------------------------------------- phone numbers

#: Numbers that are valid although they are not ordinary subscriber numbers.
SPECIAL_NUMBERS = frozenset({"112"})

# +358 9 310 73392 / +358 (0)9 3103 2515: country code, optional "(0)", area code, groups.
_INTERNATIONAL = re.compile(r"\+358 (?:\(0\))?[1-9]\d{0,3}(?: \d{2,5})+")
# 040 6126 052 / 0295 020 701: leading 0, area or operator code, groups.
_NATIONAL = re.compile(r"0[1-9]\d{0,3}(?: \d{2,5})+")


def phone_problem(value: object) -> str | None:
    """Finnish phone number, written with spaces between groups."""
    if not isinstance(value, str) or not value.strip():
        return "must be a phone number in Finnish format, e.g. '+358 9 310 73392' or '040 6126 052'"
    text = value.strip()
    if text in SPECIAL_NUMBERS:
        return None
    if _INTERNATIONAL.fullmatch(text):
        national = re.sub(r"\D", "", text.replace("(0)", ""))[3:]
    elif _NATIONAL.fullmatch(text):
        national = re.sub(r"\D", "", text)[1:]
    else:
        return (
            f"{value!r} is not a phone number in Finnish format "
            "(e.g. '+358 9 310 73392', '+358 (0)9 3103 2515', '040 6126 052', '0295 020 701')"
        )
    if not 6 <= len(national) <= 10:
        return f"{value!r} has {len(national)} digits without the leading 0 or +358; expected 6-10"
    return None


# --------------------------------------------------------------------------- e-mail and web

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?::\d+)?(?:/\S*)?")


def email_problem(value: object) -> str | None:
    if isinstance(value, str) and _EMAIL.fullmatch(value.strip()):
        return None
    return f"{value!r} is not an e-mail address (name@example.fi)"


def url_problem(value: object) -> str | None:
    if isinstance(value, str) and _URL.fullmatch(value.strip()):
        return None
    return f"{value!r} is not a web address starting with https:// or http://"
