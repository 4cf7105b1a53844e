"""FastAPI gateway: the only public entry point of the assistant.

    python -m uvicorn bot.gateway.app:app --ws none --no-server-header ...

Routes: ``/`` chat page with the widget (``/static/widget.js`` to embed elsewhere),
``POST /api/chat``, ``POST /api/route``, ``GET /api/services/{id}``, ``GET /healthz``,
``/webhooks/{telegram,slack,botframework}/webhook`` for enabled channels, docs at ``/docs``.
Configuration: bot.gateway.config (environment variables, see the README).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.gateway import chat, guidance, health, pages, webhooks
from bot.gateway.body_limit import BodySizeLimitMiddleware
from bot.gateway.config import GatewayConfig
from bot.gateway.context import Gateway
from bot.gateway.errors import UnexpectedErrorMiddleware, error_response, install_error_handlers, request_language
from bot.gateway.rasa_client import RasaClient, action_server_health_url
from bot.gateway.rate_limit import RateLimited
from bot.gateway.security import DOCS_PATH, SecurityHeadersMiddleware, docs_csp, docs_page
from bot.settings import Settings

logger = logging.getLogger("bot.gateway")

TITLE = "Kuntoutusopas gateway"
OPENAPI_URL = "/openapi.json"
# Chat and route requests are small; channel webhooks (Slack events, Bot Framework
# activities) can be larger.
MAX_BODY_BYTES = 16 * 1024


def _install_log_redaction() -> None:
    """Mask personal data (identity codes, phone numbers, ...) in log records, when the
    privacy module that provides it is installed."""
    try:
        from bot.privacy.logging_filter import install_redacting_filter
    except ImportError:
        logger.info("bot.privacy.logging_filter not available: log redaction not installed")
        return
    install_redacting_filter()


def create_app(settings: Settings | None = None, config: GatewayConfig | None = None) -> FastAPI:
    config = config or GatewayConfig.from_env(settings)
    _install_log_redaction()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # In the background: the gateway answers (health, chat) while this loads.
        asyncio.get_running_loop().run_in_executor(None, guidance.warm_up)
        yield
        await app.state.rasa.close()

    app = FastAPI(
        title=TITLE,
        version="1.0.0",
        description="Public entry point of the rehabilitative work activity guidance assistant: "
                    "chat with the bot, the route engine and service contacts as JSON.",
        docs_url=None,
        redoc_url=None,
        openapi_url=OPENAPI_URL,
        lifespan=lifespan,
    )
    app.state.gateway = Gateway.from_config(config)
    app.state.rasa = RasaClient(
        config.settings.rasa_url,
        config.settings.rasa_token,
        timeout=config.rasa_timeout,
        action_server_health_url=action_server_health_url(config.settings.action_endpoint_url),
    )

    install_error_handlers(app)

    @app.exception_handler(RateLimited)
    async def _rate_limited(request: Request, exc: RateLimited) -> JSONResponse:
        return error_response(429, exc.key, request_language(request),
                              headers={"Retry-After": str(exc.retry_after)}, seconds=exc.retry_after)

    @app.get(DOCS_PATH, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return docs_page(OPENAPI_URL, TITLE)

    for module in (pages, chat, guidance, health, webhooks):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")

    # Added innermost first: security headers wrap everything, including error answers.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, default_limit=MAX_BODY_BYTES,
                       limits=[("/webhooks/", webhooks.MAX_WEBHOOK_BYTES)])
    if config.allowed_origins:
        # The widget runs on the city's pages and calls the API from there; it sends the
        # session token in the body, so no credentials (cookies) cross origins.
        app.add_middleware(CORSMiddleware, allow_origins=list(config.allowed_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept-Language"],
                           allow_credentials=False, max_age=600)
    app.add_middleware(SecurityHeadersMiddleware, frame_ancestors=config.frame_ancestors,
                       docs_policy=docs_csp(OPENAPI_URL, TITLE))
    logger.info("gateway ready: Rasa at %s; channels: %s; allowed origins: %s", config.settings.rasa_url,
                ", ".join(config.channels) or "none", ", ".join(config.allowed_origins) or "same origin only")
    return app


app = create_app()
