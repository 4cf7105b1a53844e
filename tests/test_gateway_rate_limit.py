"""Token buckets and the concurrency cap in bot.gateway.rate_limit, with a fake clock."""
from __future__ import annotations

import asyncio

import pytest

from bot.gateway.config import RateLimit
from bot.gateway.rate_limit import ConcurrencyLimiter, RateLimited, TokenBucketLimiter, address_key


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_at_the_configured_rate():
    clock = Clock()
    limiter = TokenBucketLimiter(RateLimit(per_minute=60, burst=3), clock=clock)
    for _ in range(3):
        limiter.check("a")
    with pytest.raises(RateLimited) as exc:
        limiter.check("a")
    assert exc.value.retry_after == 1  # one token per second
    clock.now += 1.0
    limiter.check("a")
    with pytest.raises(RateLimited):
        limiter.check("a")


def test_retry_after_is_whole_seconds_until_the_next_token():
    clock = Clock()
    limiter = TokenBucketLimiter(RateLimit(per_minute=6, burst=1), clock=clock)
    limiter.check("a")
    with pytest.raises(RateLimited) as exc:
        limiter.check("a")
    assert exc.value.retry_after == 10
    clock.now += 4
    with pytest.raises(RateLimited) as exc:
        limiter.check("a")
    assert exc.value.retry_after == 6


def test_refused_requests_do_not_extend_the_wait():
    clock = Clock()
    limiter = TokenBucketLimiter(RateLimit(per_minute=60, burst=1), clock=clock)
    limiter.check("a")
    for _ in range(50):
        with pytest.raises(RateLimited):
            limiter.check("a")
    clock.now += 1.0
    limiter.check("a")


def test_keys_are_independent():
    limiter = TokenBucketLimiter(RateLimit(per_minute=1, burst=1), clock=Clock())
    limiter.check("flooder")
    with pytest.raises(RateLimited):
        limiter.check("flooder")
    limiter.check("neighbour")


def test_zero_per_minute_disables_the_limit():
    limiter = TokenBucketLimiter(RateLimit(per_minute=0, burst=1), clock=Clock())
    for _ in range(1000):
        limiter.check("a")
    assert len(limiter) == 0


def test_table_is_bounded():
    limiter = TokenBucketLimiter(RateLimit(per_minute=60, burst=5), clock=Clock(), max_keys=100)
    for i in range(1000):
        limiter.check(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter) == 100


def test_concurrency_cap_per_key():
    limiter = ConcurrencyLimiter(2)

    async def scenario():
        async with limiter.slot("a"), limiter.slot("a"):
            with pytest.raises(RateLimited) as exc:
                async with limiter.slot("a"):
                    pass
            assert exc.value.key == "busy"
            async with limiter.slot("b"):
                pass
        async with limiter.slot("a"):  # released again
            pass
        return limiter._active

    assert asyncio.run(scenario()) == {}


@pytest.mark.parametrize(
    "host,key",
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_address_keys(host, key):
    assert address_key(host) == key
