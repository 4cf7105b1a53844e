"""Unguessable, signed conversation ids.

The gateway chooses the Rasa sender id (128 random bits) and hands the client a token
``<id>.<hmac>``; a client can neither pick nor forge an id, so nobody can read or continue
another person's conversation.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Optional

ID_BYTES = 16


class SessionSigner:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the session secret must be at least 16 characters")
        self._key = secret.encode()

    def _sign(self, conversation_id: str) -> str:
        return hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()[:32]

    def new(self) -> tuple[str, str]:
        """A fresh (conversation id, token)."""
        conversation_id = secrets.token_hex(ID_BYTES)
        return conversation_id, f"{conversation_id}.{self._sign(conversation_id)}"

    def verify(self, token: Optional[str]) -> Optional[str]:
        """The conversation id in a valid token, else None."""
        if not token or not isinstance(token, str) or len(token) > 200 or "." not in token:
            return None
        conversation_id, _, signature = token.partition(".")
        if len(conversation_id) != 2 * ID_BYTES:
            return None
        if not hmac.compare_digest(signature, self._sign(conversation_id)):
            return None
        return conversation_id
