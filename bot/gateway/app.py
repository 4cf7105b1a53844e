"""FastAPI gateway: the only public entry point of the assistant.

Routes: ``/`` chat page, ``POST /api/chat``, ``GET /healthz``, OpenAPI at ``/docs``.
"""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any, Optional

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, StrictStr

from bot.gateway.rasa_client import RasaClient, RasaUnavailable
from bot.gateway.sessions import SessionSigner
from bot.settings import Settings

logger = logging.getLogger("bot.gateway")
STATIC = Path(__file__).parent / "static"
MAX_MESSAGE_CHARS = 2000
COOKIE = "ko_session"
LANGS = ("fi", "sv", "en")

ERRORS = {
    "empty": {
        "fi": "Kirjoita viesti ennen lähettämistä.",
        "sv": "Skriv ett meddelande innan du skickar.",
        "en": "Please type a message before sending.",
    },
    "too_long": {
        "fi": f"Viesti on liian pitkä. Kirjoita enintään {MAX_MESSAGE_CHARS} merkkiä.",
        "sv": f"Meddelandet är för långt. Skriv högst {MAX_MESSAGE_CHARS} tecken.",
        "en": f"The message is too long. Please write at most {MAX_MESSAGE_CHARS} characters.",
    },
    "invalid": {
        "fi": "Pyyntöä ei voitu lukea.",
        "sv": "Begäran kunde inte läsas.",
        "en": "The request could not be read.",
    },
    "unavailable": {
        "fi": "Neuvontabotti ei juuri nyt vastaa. Yritä hetken päästä uudelleen.",
        "sv": "Rådgivningsboten svarar inte just nu. Försök igen om en stund.",
        "en": "The guidance bot is not answering right now. Please try again in a moment.",
    },
}


def pick_language(value: Optional[str]) -> str:
    value = (value or "").lower()[:2]
    return value if value in LANGS else "fi"


class ChatRequest(BaseModel):
    message: StrictStr = Field(..., description="What the resident typed (or a button payload).")
    language: Optional[StrictStr] = Field(None, description="Page language (<html lang>), e.g. fi, sv, en.")
    session: Optional[StrictStr] = Field(None, description="Session token from an earlier reply (if cookies are off).")


class BotMessage(BaseModel):
    text: Optional[str] = None
    buttons: list[dict[str, str]] = []
    # Structured data from custom actions, e.g. {"routes": [...]} with the route ids chosen.
    custom: Optional[dict[str, Any]] = None


class ChatResponse(BaseModel):
    session: str
    messages: list[BotMessage]


def error(kind: str, language: str, status: int) -> JSONResponse:
    return JSONResponse({"error": kind, "detail": ERRORS[kind][language]}, status_code=status)


def bot_messages(raw: list[dict[str, Any]]) -> list[BotMessage]:
    out = []
    for item in raw:
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in item.get("buttons") or []
            if isinstance(b, dict)
        ]
        text = item.get("text")
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
        if text or buttons or custom:
            out.append(BotMessage(text=text, buttons=buttons, custom=custom))
    return out


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or Settings.from_env()
    secret = os.environ.get("GATEWAY_SESSION_SECRET") or secrets.token_urlsafe(32)
    signer = SessionSigner(secret)
    app = FastAPI(title="Kuntoutusopas gateway", version="0.1.0")
    app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_token)

    @app.on_event("shutdown")
    async def _close() -> None:
        await app.state.rasa.close()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error("invalid", pick_language(request.headers.get("accept-language")), 422)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.post("/api/chat", response_model=ChatResponse)
    async def chat(body: ChatRequest, request: Request) -> Any:
        language = pick_language(body.language)
        text = body.message.strip()
        if not text:
            return error("empty", language, 400)
        if len(text) > MAX_MESSAGE_CHARS:
            return error("too_long", language, 413)
        sender = signer.verify(body.session or request.cookies.get(COOKIE))
        token = None
        if sender is None:
            sender, token = signer.new()
        metadata = {"language": body.language} if body.language else {}
        try:
            raw = await app.state.rasa.send(sender, text, metadata)
        except RasaUnavailable as exc:
            logger.warning("Rasa unavailable: %s", exc)
            return error("unavailable", language, 503)
        session = token or (body.session or request.cookies.get(COOKIE))
        response = JSONResponse(ChatResponse(session=session, messages=bot_messages(raw)).dict())
        response.set_cookie(COOKIE, session, httponly=True, samesite="lax", secure=request.url.scheme == "https")
        return response

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        rasa_ok = await app.state.rasa.healthy()
        action_ok = await _action_server_ok(settings)
        status = "ok" if rasa_ok and action_ok else "degraded"
        body = {"status": status, "gateway": "ok", "rasa": "ok" if rasa_ok else "down",
                "action_server": "ok" if action_ok else "down"}
        return JSONResponse(body, status_code=200 if status == "ok" else 503)

    return app


async def _action_server_ok(settings: Settings) -> bool:
    url = settings.action_endpoint_url.rsplit("/", 1)[0] + "/health"
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return (await client.get(url)).status_code == 200
    except httpx.HTTPError:
        return False


app = create_app()
