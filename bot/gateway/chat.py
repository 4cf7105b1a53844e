"""``POST /api/chat``: one resident message to the bot (Rasa's REST channel) and its answer.

The gateway picks the conversation id (see sessions.py); the page language goes to Rasa
as channel metadata, where the language resolver treats it as the conversation's starting
language. The answer's `language` (the conversation's language after the turn) comes with
the bot's messages: the gateway sets the `report_language` metadata flag and the language
action adds `{"custom": {"language": ...}}`, which is stripped here; only when it is
missing is Rasa's tracker read. If Rasa is down or slow, or answers nothing at all (a custom action failed
because the action server is down), the resident gets a 503 with human contacts instead
of silence; the conversation continues once the bot is back.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from bot.gateway.context import client_address, gateway, limit_address, rasa
from bot.gateway.errors import unavailable_response
from bot.gateway.rasa_client import RasaUnavailable
from bot.gateway.sessions import COOKIE, clear_session_cookie, set_session_cookie
from bot.gateway.texts import from_accept_language, pick_language
from bot.gateway.validation import clean_message, clean_metadata
from bot.language.tags import REPORT_LANGUAGE, normalise_language_tag

logger = logging.getLogger("bot.gateway")
router = APIRouter(tags=["chat"])

MetadataValue = StrictStr | StrictInt | StrictFloat | StrictBool | None


class ChatRequest(BaseModel):
    message: StrictStr = Field(..., description="What the resident typed, or a button's payload (e.g. /human_contact).")
    language: StrictStr | None = Field(
        None, description="Page language (<html lang>): fi, sv or en. Starts the conversation in that language "
                          "and selects the language of the gateway's own error messages.")
    session: StrictStr | None = Field(
        None, description="The session token from an earlier answer (or keep the cookie). Clients cannot "
                          "choose a conversation id.")
    metadata: dict[StrictStr, MetadataValue] | None = Field(
        None, description="Optional flat context from the embedding page (at most 10 keys, 1 KB), passed to "
                          "Rasa under metadata.client.")

    class Config:
        extra = "forbid"
        schema_extra = {"example": {"message": "Hej, vad är rehabiliterande arbetsverksamhet?", "language": "sv"}}


class Button(BaseModel):
    title: str
    payload: str


class BotMessage(BaseModel):
    text: str | None = None
    buttons: list[Button] = []
    # Structured data from custom actions, e.g. {"routes": [...]} or {"forget_me": true}.
    custom: dict[str, Any] | None = None


class ChatResponse(BaseModel):
    session: str | None = Field(
        None, description="Send back as `session` to continue; null after the conversation was deleted.")
    language: str | None = Field(None, description="The conversation's language after this turn (fi, sv, en).")
    messages: list[BotMessage]


class ErrorBody(BaseModel):
    error: str
    detail: str = Field(..., description="A readable message in the resident's language.")
    language: str
    field: str | None = None
    session: str | None = None
    contacts: list[dict[str, Any]] | None = Field(None, description="Human contacts (503 only).")


def bot_messages(raw: list[dict[str, Any]]) -> list[BotMessage]:
    out = []
    for item in raw:
        buttons = [
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        text = item.get("text") if isinstance(item.get("text"), str) else None
        custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
        if text or buttons or custom:
            out.append(BotMessage(text=text, buttons=buttons, custom=custom))
    return out


def split_language_report(messages: list[BotMessage]) -> tuple[str | None, list[BotMessage]]:
    """The language the bot reported for this turn (a message whose only content is
    ``custom: {"language": ...}``), and the messages without that report."""
    reported = None
    kept = []
    for message in messages:
        custom = message.custom
        if not message.text and not message.buttons and isinstance(custom, dict) and set(custom) == {"language"}:
            reported = normalise_language_tag(custom["language"]) if isinstance(custom["language"], str) else None
            continue
        kept.append(message)
    return reported, kept


def _forgotten(messages: list[BotMessage]) -> bool:
    return any(m.custom and m.custom.get("forget_me") is True for m in messages)


@router.post(
    "/api/chat",
    response_model=ChatResponse,
    responses={code: {"model": ErrorBody} for code in (400, 413, 422, 429, 503)},
    summary="Send a message to the bot",
)
async def chat(body: ChatRequest, request: Request) -> Any:
    gw = gateway(request)
    accept_language = request.headers.get("accept-language")
    language = pick_language(body.language, accept_language)
    request.state.language = language
    limit_address(request)

    token = body.session or request.cookies.get(COOKIE)
    sender = gw.signer.verify(token)
    if sender is not None:
        # In a running conversation `language` stays the page's (Rasa's starting language);
        # the gateway's own messages (errors, "not answering") follow Accept-Language, where
        # the widget sends the conversation's current language.
        language = from_accept_language(accept_language) or language
        request.state.language = language
    text = clean_message(body.message, gw.config.max_message_chars, language)
    client_metadata = clean_metadata(body.metadata, language)

    if sender is None:
        sender, token = gw.signer.new()
    else:
        assert token is not None  # verify() accepted it
        gw.session_limiter.check(sender)

    # The language action reports the turn's language as a message (actions/language.py).
    metadata: dict[str, Any] = {REPORT_LANGUAGE: True}
    page_language = normalise_language_tag(body.language) if body.language else None
    if page_language:
        metadata["language"] = page_language
    if client_metadata:
        metadata["client"] = client_metadata

    secure = gw.cookie_secure(request)
    async with gw.in_flight.slot(client_address(request)):
        try:
            reported_language, messages = split_language_report(
                bot_messages(await rasa(request).send(sender, text, metadata)))
        except RasaUnavailable as exc:
            logger.warning("Rasa unavailable: %s", exc)
            messages = None
        if not messages:
            if messages is not None:
                logger.warning("Rasa gave no answer to a message (is the action server down?)")
            response = unavailable_response(language, {"session": token})
            set_session_cookie(response, token, secure)
            return response
        forgotten = _forgotten(messages)
        conversation_language = None
        if not forgotten:
            # Without the report (action server trouble mid-turn), ask Rasa's tracker.
            conversation_language = reported_language or await rasa(request).conversation_language(sender)

    result = ChatResponse(session=None if forgotten else token, language=conversation_language, messages=messages)
    response = JSONResponse(result.dict())
    if forgotten:
        # The conversation was deleted: the next message starts a new one with a new id.
        clear_session_cookie(response, secure)
    else:
        set_session_cookie(response, token, secure)
    return response
