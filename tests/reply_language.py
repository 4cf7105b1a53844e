"""Which of fi/sv/en a bot text is written in, judged by lingua independently of the
assistant's own detector (bot/language). Used by the reply-language benchmark and the
residents' evaluation."""
from __future__ import annotations

import re
from functools import lru_cache

#: Texts with fewer words than this are not judged ("OK", "Helsinki", a phone number).
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder
    return LanguageDetectorBuilder.from_languages(Language.FINNISH, Language.SWEDISH, Language.ENGLISH).build()


def reply_language(text: str) -> str | None:
    """fi/sv/en of a bot text (addresses left out), or None when it has too few words."""
    words = _WORD.findall(re.sub(r"https?://\S+|\S+@\S+", " ", text))
    if len(words) < MIN_WORDS:
        return None
    language = _detector().detect_language_of(" ".join(words))
    return {"FINNISH": "fi", "SWEDISH": "sv", "ENGLISH": "en"}.get(language.name) if language else None
