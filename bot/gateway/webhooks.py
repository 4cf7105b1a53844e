"""Messaging channel webhooks: Telegram, Slack and Bot Framework call
``https://<gateway>/webhooks/<channel>/webhook``; the gateway (the only public service)
passes the call to Rasa unchanged — body and the headers the channels sign or authenticate
with (X-Slack-Signature, Authorization, ...) — for the channels enabled in KO_CHANNELS only.
Rasa's rest and socketio endpoints are never proxied: there a client would choose the
conversation id.
"""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response

from bot.gateway.context import gateway, rasa
from bot.gateway.errors import ApiError
from bot.gateway.rasa_client import RasaUnavailable

logger = logging.getLogger("bot.gateway")
router = APIRouter()

# Connection-level headers are not forwarded (RFC 9110 section 7.6.1), nor the caller's
# cookies, nor the host (httpx sets Rasa's).
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length", "cookie",
})
# httpx has already decoded the body, so its content-encoding no longer applies.
RESPONSE_DROP = HOP_BY_HOP | {"server", "date", "set-cookie", "content-encoding"}
MAX_WEBHOOK_BYTES = 1024 * 1024


@router.api_route("/webhooks/{channel}/webhook", methods=["GET", "POST"], include_in_schema=False)
async def channel_webhook(channel: str, request: Request) -> Response:
    if channel not in gateway(request).config.channels:
        raise ApiError(404, "not_found")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    body = await request.body()
    try:
        upstream = await rasa(request).forward_webhook(
            request.method, f"/webhooks/{channel}/webhook", request.url.query, headers, body)
    except RasaUnavailable as exc:
        logger.warning("%s webhook: Rasa unavailable: %s", channel, exc)
        raise ApiError(503, "unavailable") from None
    passed = {k: v for k, v in upstream.headers.items() if k.lower() not in RESPONSE_DROP}
    return Response(content=upstream.content, status_code=upstream.status_code, headers=passed)
