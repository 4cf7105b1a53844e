"""Refuse request bodies above a size limit before anything parses them (413), whether the
client announces the size (Content-Length) or streams it (chunked)."""
from __future__ import annotations

from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.gateway.errors import error_response, request_language


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so that FastAPI's body parsing
    passes it on unchanged and the error handlers answer 413 in the resident's language."""

    def __init__(self) -> None:
        super().__init__(413)


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, default_limit: int, limits: Sequence[tuple[str, int]] = ()) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = tuple(limits)  # (path prefix, bytes): e.g. larger for channel webhooks

    def limit_for(self, path: str) -> int:
        for prefix, limit in self.limits:
            if path.startswith(prefix):
                return limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        language = request_language(Request(scope))
        await error_response(413, "body_too_large", language)(scope, receive, send)
