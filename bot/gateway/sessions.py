"""Unguessable, signed conversation ids.

The gateway chooses the Rasa sender id (128 random bits) and hands the client a token
``<id>.<hmac>``; a client can neither pick nor forge an id, so nobody can read or continue
another person's conversation. The token travels in the JSON body (the embedded widget,
which runs on the city's origin and keeps it in sessionStorage) or in an HttpOnly cookie
(same-origin pages and API clients that keep cookies).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from starlette.responses import Response

ID_BYTES = 16
COOKIE = "ko_session"
_HEX = frozenset(string.hexdigits.lower())


class SessionSigner:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the session secret must be at least 16 characters")
        # A key used only for session tokens, even if the secret is reused elsewhere.
        self._key = hashlib.sha256(b"ko-session-token\0" + secret.encode()).digest()

    def _sign(self, conversation_id: str) -> str:
        return hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()[:32]

    def new(self) -> tuple[str, str]:
        """A fresh (conversation id, token)."""
        conversation_id = secrets.token_hex(ID_BYTES)
        return conversation_id, f"{conversation_id}.{self._sign(conversation_id)}"

    def verify(self, token: str | None) -> str | None:
        """The conversation id in a valid token, else None."""
        if not token or not isinstance(token, str) or len(token) > 100:
            return None
        conversation_id, dot, signature = token.partition(".")
        if not dot or len(conversation_id) != 2 * ID_BYTES or not set(conversation_id) <= _HEX:
            return None
        if not hmac.compare_digest(signature, self._sign(conversation_id)):
            return None
        return conversation_id


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    """A session cookie (no expiry: it ends with the browser session), invisible to scripts,
    not sent on cross-site subrequests, and https-only when the gateway is served over https."""
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=secure, path="/api/")


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=secure, path="/api/")
