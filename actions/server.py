"""Starts the rasa_sdk action server bound to a chosen interface, accepting only Rasa.

`rasa run actions` listens on every interface and has no authentication. This launcher
uses the same rasa_sdk application but binds to KO_ACTION_HOST (loopback by default) and,
when ACTION_SERVER_TOKEN is set, rejects webhook calls that do not carry it as
``Authorization: Bearer <token>`` (config/endpoints.yml makes Rasa send it).

    python -m actions.server [--port 5055] [--host 127.0.0.1]
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import response

from bot.privacy.logging_filter import install_redacting_filter

logger = logging.getLogger(__name__)
PUBLIC_PATHS = {"/health"}


def build_app(token: str | None):
    app = create_app("actions", cors_origins=[])

    if token:
        expected = f"Bearer {token}"

        @app.middleware("request")
        async def require_token(request):  # noqa: ANN001 - sanic signature
            if request.path in PUBLIC_PATHS:
                return None
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), expected.encode()):
                return response.json({"error": "unauthorised"}, status=401)
            return None

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the action server.")
    parser.add_argument("--host", default=os.environ.get("KO_ACTION_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("KO_ACTION_PORT", "5055")))
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    # Trackers reach the action server with the resident's messages: keep identity codes,
    # phone numbers etc. out of its logs (bot/privacy/README.md).
    install_redacting_filter()
    token = os.environ.get("ACTION_SERVER_TOKEN") or None
    if token is None:
        logger.warning("ACTION_SERVER_TOKEN is not set: the action server accepts any caller "
                       "that can reach %s:%s", args.host, args.port)
    app = build_app(token)
    warm_up()
    app.run(host=args.host, port=args.port, workers=1, access_log=False)


def warm_up() -> None:
    """Load the knowledge base and the fact extractor's tokenizers and dictionaries before the
    server answers its health check. Loaded by the first turn instead, they took 8 s on a
    fresh machine, during which the server (one worker) did not answer the gateway's health
    probe either: the first resident after every start got "not answering right now"."""
    from bot.knowledge import get_knowledge
    from bot.nlu.extract import warm_up as load_extractor

    get_knowledge()
    load_extractor()


if __name__ == "__main__":
    main()
