"""Every error the gateway returns is JSON with a readable message in the resident's
language: ``{"error": <code>, "detail": <text>, "language": <fi|sv|en>, ...}``.

Invalid input is a 4xx naming the field; an unexpected failure is logged and answered
with 503 and human contacts — a resident never sees a bare 500.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.gateway.fallback import unavailable_answer
from bot.gateway.texts import expected, pick_language, text

logger = logging.getLogger("bot.gateway")

# Shown in "must be a JSON object" messages.
EXAMPLE_BODY = '{"message": "…", "language": "fi"}'


class ApiError(Exception):
    """An answer to the client: HTTP ``status`` with the message ``key`` from bot.gateway.texts."""

    def __init__(self, status: int, key: str, *, language: str | None = None,
                 headers: Mapping[str, str] | None = None, extra: dict[str, Any] | None = None,
                 **params: object) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.language = language
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})
        self.params = params


def request_language(request: Request, body: Any = None) -> str:
    """The language the route settled on, else the body's ``language``, else Accept-Language."""
    chosen = getattr(request.state, "language", None)
    if chosen:
        return chosen
    explicit = body.get("language") if isinstance(body, dict) else None
    if explicit is None:
        explicit = request.query_params.get("language")
    return pick_language(explicit, request.headers.get("accept-language"))


def error_response(status: int, key: str, language: str, headers: Mapping[str, str] | None = None,
                   extra: dict[str, Any] | None = None, **params: object) -> JSONResponse:
    body: dict[str, Any] = {"error": key, "detail": text(key, language, **params), "language": language}
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def unavailable_response(language: str, extra: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": "unavailable", "language": language, **unavailable_answer(language)}
    body.update(extra or {})
    return JSONResponse(body, status_code=503, headers={"Retry-After": "30"})


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


_TYPE_EXPECTED = {"str": "text", "dict": "object", "list": "list", "none": "text"}


def validation_response(request: Request, exc: RequestValidationError) -> JSONResponse:
    body = exc.body
    language = request_language(request, body)
    errors = exc.errors()
    if any(e.get("type") in ("json_invalid", "value_error.jsondecode") for e in errors):
        return error_response(400, "invalid_json", language)
    if not isinstance(body, dict) and any(e.get("loc", ())[:1] == ("body",) for e in errors):
        return error_response(422, "not_object", language, example=EXAMPLE_BODY)
    first = errors[0] if errors else {"loc": ("body",), "type": ""}
    field = _field_name(tuple(first.get("loc", ())))
    kind = str(first.get("type", ""))
    extra = {"field": field}
    if kind == "value_error.missing":
        return error_response(422, "field_missing", language, extra=extra, field=field)
    if kind == "value_error.extra":
        return error_response(422, "field_unknown", language, extra=extra, field=field)
    if kind.startswith("type_error."):
        what = _TYPE_EXPECTED.get(kind.split(".")[1], "scalar")
        return error_response(422, "field_type", language, extra=extra, field=field,
                              expected=expected(what, language))
    return error_response(422, "field_invalid", language, extra=extra, field=field,
                          expected=expected("scalar", language))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        language = exc.language or request_language(request)
        if exc.status == 503 and exc.key == "unavailable":
            response = unavailable_response(language, exc.extra)
            response.headers.update(exc.headers)
            return response
        return error_response(exc.status, exc.key, language, exc.headers, exc.extra, **exc.params)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        language = request_language(request)
        key = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}.get(exc.status_code)
        if key is None:
            body = {"error": "http_error", "detail": str(exc.detail), "language": language}
            return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return error_response(exc.status_code, key, language, getattr(exc, "headers", None))


class UnexpectedErrorMiddleware:
    """Last line of defence: log the exception (not the request body, which may hold
    personal data) and answer 503 with human contacts instead of a 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            logger.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # too late for a clean answer; the server closes the connection
                raise
            request = Request(scope)
            await unavailable_response(request_language(request))(scope, receive, send)
