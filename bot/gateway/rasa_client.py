"""Talks to Rasa's REST channel and private HTTP API on loopback."""
from __future__ import annotations

from typing import Any, Optional

import httpx


class RasaUnavailable(Exception):
    """Rasa did not answer (down, restarting, or too slow)."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 25.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=2.0),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
        )

    async def send(self, sender: str, text: str, metadata: Optional[dict[str, Any]] = None) -> list[dict]:
        payload = {"sender": sender, "message": text, "metadata": metadata or {}}
        try:
            response = await self._client.post("/webhooks/rest/webhook", json=payload)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(str(exc)) from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        data = response.json()
        return data if isinstance(data, list) else []

    async def tracker(self, sender: str) -> Optional[dict]:
        try:
            response = await self._client.get(
                f"/conversations/{sender}/tracker", params={"token": self.token, "include_events": "NONE"}
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(str(exc)) from exc
        return response.json() if response.status_code == 200 else None

    async def healthy(self) -> bool:
        try:
            response = await self._client.get("/status", params={"token": self.token}, timeout=3.0)
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def close(self) -> None:
        await self._client.aclose()
