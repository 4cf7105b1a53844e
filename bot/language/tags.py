"""The assistant's languages, and normalising language tags from channels, payloads and
configuration. Every module that needs the list of languages or reads a language from
channel metadata imports it from here."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: The languages of every text, response and answer (in this order in the data files).
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
#: Keys a channel may use for the user's language: our widget sends "language" (from
#: <html lang>); Telegram's user object has "language_code"; others use "locale".
METADATA_KEYS: tuple[str, ...] = ("language", "lang", "locale", "language_code")

# Every spelling a channel or a payload may use for the three supported languages:
# BCP 47 / ISO 639-1 and 639-2 codes and the languages' names in fi/sv/en.
_TAG_ALIASES = {
    "fi": ("fi", "fin", "finnish", "suomi", "finska", "finsk"),
    "sv": ("sv", "swe", "swedish", "svenska", "svensk", "ruotsi"),
    "en": ("en", "eng", "english", "englanti", "engelska", "engelsk"),
}
_ALIAS_TO_CODE = {alias: code for code, aliases in _TAG_ALIASES.items() for alias in aliases}
# "fi-FI", "sv_FI", "en-GB", "fi_FI.UTF-8", "sv@latin": the language is the first subtag.
_SUBTAG_SEPARATORS = re.compile(r"[-_.@\s]+")


def normalise_language_tag(tag: str | None) -> str | None:
    """Map a language tag or name to "fi", "sv" or "en"; anything else to None.

    Note "se" is Northern Sami, not Swedish, so it maps to None like any other language.
    """
    if not isinstance(tag, str):
        return None
    primary = _SUBTAG_SEPARATORS.split(tag.strip().lower(), maxsplit=1)[0]
    return _ALIAS_TO_CODE.get(primary)


# Channel metadata flag the web gateway sends with each message: the language action then
# reports the turn's language as a message `{"custom": {"language": ...}}`, which the
# gateway strips (bot/gateway/chat.py), instead of reading Rasa's tracker after every turn.
REPORT_LANGUAGE = "report_language"


def metadata_language(metadata: Mapping[str, Any] | None) -> str | None:
    """The supported language named in a message's channel metadata, if any."""
    if not isinstance(metadata, Mapping):
        return None
    for key in METADATA_KEYS:
        code = normalise_language_tag(metadata.get(key))
        if code:
            return code
    return None
