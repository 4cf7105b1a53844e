"""Talks to Rasa (REST channel, token-protected HTTP API, channel webhooks) and to the action
server's health check, all on the private network, each call with a bounded timeout."""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

import httpx

HEALTH_TIMEOUT = 3.0


class RasaUnavailable(Exception):
    """Rasa did not answer (down, restarting, or too slow)."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 25.0,
                 action_server_health_url: Optional[str] = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.action_server_health_url = action_server_health_url
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            # connect fails fast when Rasa is down; read waits for a slow turn, but not forever.
            timeout=httpx.Timeout(timeout, connect=2.0, pool=2.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def send(self, sender: str, text: str, metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        """The bot's messages for one user turn (Rasa's REST channel)."""
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=payload)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered something that is not JSON") from exc
        return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []

    async def conversation_language(self, sender: str) -> Optional[str]:
        """The conversation's current ``language`` slot (None when it cannot be read)."""
        try:
            response = await self._client.get(
                f"/conversations/{sender}/tracker",
                params={"token": self.token, "include_events": "NONE"},
                timeout=HEALTH_TIMEOUT,
            )
            if response.status_code != 200:
                return None
            slots = response.json().get("slots") or {}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        language = slots.get("language") if isinstance(slots, dict) else None
        return language if isinstance(language, str) else None

    async def forward_webhook(self, method: str, path: str, query: str, headers: Mapping[str, str],
                              body: bytes) -> httpx.Response:
        """Pass a messaging channel's webhook call to Rasa unchanged."""
        url = path + (f"?{query}" if query else "")
        try:
            return await self._client.request(method, url, headers=dict(headers), content=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc

    async def healthy(self) -> bool:
        try:
            response = await self._client.get("/status", params={"token": self.token}, timeout=HEALTH_TIMEOUT)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def action_server_healthy(self) -> bool:
        if not self.action_server_health_url:
            return False
        try:
            response = await self._client.get(self.action_server_health_url, timeout=HEALTH_TIMEOUT)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self._client.aclose()


def action_server_health_url(action_endpoint_url: str) -> str:
    """``http://actions:5055/webhook`` -> ``http://actions:5055/health``."""
    return action_endpoint_url.rsplit("/", 1)[0] + "/health"
