"""In-memory rate limits: token buckets per client address and per conversation, and a cap
on concurrent bot requests per address.

Each key has its own bucket, so a flood from one address exhausts only that address's
bucket and others are served as usual. The tables are bounded (least recently used keys
are dropped; a dropped bucket was full or nearly so), so a flood of new addresses or
sessions cannot exhaust memory. Per process: with several gateway replicas each enforces
its own limits (put a shared limiter in the reverse proxy if that matters).
"""
from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from bot.gateway.config import RateLimit

MAX_KEYS = 50_000


class RateLimited(Exception):
    def __init__(self, retry_after: float, key: str = "rate_limited") -> None:
        super().__init__(key)
        self.retry_after = max(1, math.ceil(retry_after))
        self.key = key


class TokenBucketLimiter:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = MAX_KEYS) -> None:
        self.limit = limit
        self.rate = limit.per_minute / 60.0  # tokens per second
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, stamp)

    def check(self, key: str) -> None:
        """Take one token for ``key`` or raise :class:`RateLimited` with the wait in seconds."""
        if not self.limit.enabled:
            return
        now = self.clock()
        tokens, stamp = self._buckets.pop(key, (float(self.limit.burst), now))
        tokens = min(float(self.limit.burst), tokens + (now - stamp) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            raise RateLimited((1.0 - tokens) / self.rate)
        self._buckets[key] = (tokens - 1.0, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)


class ConcurrencyLimiter:
    """At most ``limit`` requests in flight per key (one slow flood cannot hold every
    connection to Rasa)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._active: dict[str, int] = {}

    @asynccontextmanager
    async def slot(self, key: str) -> AsyncIterator[None]:
        if self._active.get(key, 0) >= self.limit:
            raise RateLimited(2, key="busy")
        self._active[key] = self._active.get(key, 0) + 1
        try:
            yield
        finally:
            remaining = self._active[key] - 1
            if remaining:
                self._active[key] = remaining
            else:
                del self._active[key]


def address_key(host: str | None) -> str:
    """The rate-limit key of a client address; IPv6 by /64 (one host usually owns a whole
    /64, so counting single addresses would let it rotate past the limit)."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address.ipv4_mapped or address) if address.version == 6 else str(address)
