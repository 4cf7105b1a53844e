"""Language detection and resolution for the fi/sv/en assistant (no Rasa imports).

* :func:`detect` - which of fi/sv/en a chat message is written in, or None.
* :func:`explicit_request` - the language a message explicitly asks for.
* :func:`resolve_language` - the reply language for a message in a conversation.
"""
from .detect import SUPPORTED, Detection, detect, explicit_request, preload
from .resolve import Resolution, normalise_language_tag, resolve_language

__all__ = [
    "SUPPORTED",
    "Detection",
    "Resolution",
    "detect",
    "explicit_request",
    "normalise_language_tag",
    "preload",
    "resolve_language",
]
