"""Health: ``/healthz`` reports the gateway, Rasa and the action server separately (503 when
any is down, for monitoring); ``/livez`` is the gateway alone (for the container's own
health check, so a Rasa restart does not make the gateway look broken)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.gateway.context import rasa

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Gateway, Rasa and action server status")
async def healthz(request: Request) -> JSONResponse:
    client = rasa(request)
    rasa_ok, actions_ok = await asyncio.gather(client.healthy(), client.action_server_healthy())
    status = "ok" if rasa_ok and actions_ok else "degraded"
    body = {
        "status": status,
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "down",
        "action_server": "ok" if actions_ok else "down",
    }
    return JSONResponse(body, status_code=200 if status == "ok" else 503)


@router.get("/livez", summary="The gateway process is up")
async def livez() -> dict:
    return {"status": "ok"}
