"""Talks to Rasa (REST channel, token-protected HTTP API, channel webhooks) and to the action
server's health check, all on the private network, each call with a bounded timeout."""
from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

HEALTH_TIMEOUT = 3.0
# Rasa 3.6 waits up to 300 s for a custom action (a constant in rasa.core.actions.action that
# endpoints.yml cannot change), so a hung action server (stopped, deadlocked, overloaded
# host) would keep the resident waiting for the whole GATEWAY_RASA_TIMEOUT. When Rasa has
# not answered after this many seconds, the gateway asks the action server's /health; if
# that fails too, the resident gets the answer with human contacts at once (about 4-7 s)
# and Rasa's turn is cancelled, so the retry is processed normally once it is back.
ACTION_PROBE_AFTER = 4.0


class RasaUnavailable(Exception):
    """Rasa did not answer (down, restarting, or too slow)."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 25.0,
                 action_server_health_url: str | None = None,
                 action_probe_after: float | None = ACTION_PROBE_AFTER) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.action_server_health_url = action_server_health_url
        self.action_probe_after = action_probe_after
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            # connect fails fast when Rasa is down; read waits for a slow turn, but not forever.
            timeout=httpx.Timeout(timeout, connect=2.0, pool=2.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def send(self, sender: str, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The bot's messages for one user turn (Rasa's REST channel). Raises
        :class:`RasaUnavailable` when Rasa does not answer, or when it is slow and the
        action server does not answer its health check (see ACTION_PROBE_AFTER)."""
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        if not self.action_server_health_url or not self.action_probe_after:
            return await self._post_message(payload)
        turn = asyncio.ensure_future(self._post_message(payload))
        probe: asyncio.Future[bool] | None = None
        try:
            while True:
                done, _ = await asyncio.wait({turn}, timeout=self.action_probe_after)
                if done:
                    return turn.result()
                probe = asyncio.ensure_future(self.action_server_healthy())
                racing: set[asyncio.Future[Any]] = {turn, probe}
                done, _ = await asyncio.wait(racing, return_when=asyncio.FIRST_COMPLETED)
                if turn in done:
                    return turn.result()
                if not probe.result():
                    raise RasaUnavailable("Rasa is waiting for the action server, which does not answer")
        finally:
            for task in (turn, probe):
                if task is not None and not task.done():
                    task.cancel()  # the turn's connection closes: Rasa cancels the turn

    async def _post_message(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
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

    async def conversation_language(self, sender: str) -> str | None:
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
