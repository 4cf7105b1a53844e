"""Rule numbers written by hand in a text.

Ages, months, days, hours and euros that the rules use live once, as dated parameters
(``parameters.yml``); a sentence names them with a placeholder (``{rwa_expense_eur} €``), so a
changed amount or age limit is changed in one place. This finds numbers with such a unit that
were typed into a text instead (``9 euroa``, ``18–63-vuotiaille``, ``3-24 months``), so that
``check-content`` can refuse them. Dates (``1.1.2025``), law numbers (``189/2001``), phone
numbers and clock times carry no unit and are not matched.
"""
from __future__ import annotations

import re

_NUMBER = r"(?<![\d.,/])\d+(?:[.,]\d+)?(?:\s*[–-]\s*\d+)?"
_UNITS = {
    "fi": r"(?:-?\s?vuotia\w*|-?vuotta\b|kuukau\w*|kk\b|päiv[äa]\w*|tunti\w*|tuntia\b|h\b|euro\w*|€)",
    "sv": r"(?:-?\s?åring\w*|års?\b|månad\w*|dag(?:ar|en)?\b|timm\w*|tim\b|euro\b|€)",
    "en": r"(?:-?\s?years?\b|-?\s?year-olds?\b|months?\b|days?\b|hours?\b|euros?\b|€)",
}
#: English ages usually come without a unit: "aged 18–65", "under 18", "over 63".
_PREFIXED = {"en": rf"|\b(?:aged|under|over)\s+{_NUMBER}"}
_HAND_WRITTEN = {
    language: re.compile(rf"{_NUMBER}\s*{units}|(?:€|EUR)\s*\d+{_PREFIXED.get(language, '')}", re.IGNORECASE)
    for language, units in _UNITS.items()
}


def hand_written_numbers(text: str, language: str) -> list[str]:
    """The rule-like numbers with a unit in ``text`` (an empty list when there are none)."""
    return [match.group(0).strip() for match in _HAND_WRITTEN[language].finditer(text)]
