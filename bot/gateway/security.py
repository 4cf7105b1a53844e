"""Security headers on every response, and the API docs page (the one page that loads
third-party assets).

* Content-Security-Policy: scripts and styles only from this origin (no inline script),
  requests only to this origin, and ``frame-ancestors`` from GATEWAY_FRAME_ANCESTORS so
  the city can embed the chat page in an iframe on its own pages.
* The widget files under /static may be loaded by other sites (that is how it is embedded),
  so they are ``Cross-Origin-Resource-Policy: cross-origin``; everything else same-origin.
* API answers are personal conversation data: ``Cache-Control: no-store``.
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from fastapi.openapi.docs import get_swagger_ui_html
from starlette.datastructures import MutableHeaders
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DOCS_PATH = "/docs"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
        "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "sync-xhr", "usb",
        "xr-spatial-tracking",
    )
)


def page_csp(frame_ancestors: Iterable[str]) -> str:
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors " + " ".join(frame_ancestors),
    ])


def docs_page(openapi_url: str, title: str) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url=openapi_url, title=title, oauth2_redirect_url=None)


def docs_csp(openapi_url: str, title: str) -> str:
    """The docs page's CSP: Swagger UI from its CDN, plus FastAPI's one inline start-up
    script allowed by its hash (not by 'unsafe-inline')."""
    html = bytes(docs_page(openapi_url, title).body).decode()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", html, re.S)
    ]
    return "; ".join([
        "default-src 'none'",
        f"script-src {SWAGGER_CDN} " + " ".join(hashes),
        f"style-src {SWAGGER_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ])


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, frame_ancestors: Iterable[str], docs_policy: str) -> None:
        self.app = app
        self.page_policy = page_csp(frame_ancestors)
        self.docs_policy = docs_policy

    def headers_for(self, path: str, https: bool) -> list[tuple[str, str]]:
        static = path.startswith("/static/")
        headers = [
            ("Content-Security-Policy", self.docs_policy if path == DOCS_PATH else self.page_policy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "cross-origin" if static else "same-origin"),
            # Static files revalidate (ETag) so a new widget version reaches every page.
            ("Cache-Control", "no-cache" if static else "no-store"),
        ]
        if https:
            headers.append(("Strict-Transport-Security", "max-age=31536000"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope.get("path", ""), scope.get("scheme") == "https")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers[name] = value
                if "server" in headers:
                    del headers["server"]
            await send(message)

        await self.app(scope, receive, send_with_headers)
