"""Gateway configuration from environment variables (documented in the README,
section "Web widget and channels").

Everything has a safe default for one machine; production sets at least
``GATEWAY_SESSION_SECRET`` and ``GATEWAY_ALLOWED_ORIGINS``/``GATEWAY_FRAME_ANCESTORS``.
Invalid values stop the gateway at start-up with a message naming the variable.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.gateway.channels import enabled_channels
from bot.settings import Settings

logger = logging.getLogger("bot.gateway")

# scheme://host[:port], nothing else (no path, no wildcard): what CORS and CSP compare.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
_CSP_KEYWORDS = ("'self'", "'none'")
PLACEHOLDER_PREFIX = "change-me"


class ConfigError(ValueError):
    """A gateway environment variable has an invalid value."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be positive, got {raw!r}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _origins(env: Mapping[str, str], name: str, keywords: tuple[str, ...] = ()) -> tuple[str, ...]:
    items = [item.strip().rstrip("/") for item in (env.get(name) or "").split(",") if item.strip()]
    for item in items:
        if item not in keywords and not _ORIGIN.match(item):
            allowed = " or ".join(keywords + ("an origin such as https://www.example.fi",))
            raise ConfigError(f"{name}: {item!r} is not {allowed}")
    return tuple(items)


@dataclass(frozen=True)
class RateLimit:
    """A token bucket: ``burst`` requests at once, refilled at ``per_minute``. 0 = off."""

    per_minute: int
    burst: int

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0


@dataclass(frozen=True)
class GatewayConfig:
    settings: Settings
    session_secret: str
    # True when no secret was configured (sessions end when the gateway restarts).
    session_secret_generated: bool = False
    allowed_origins: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ("'self'",)
    address_limit: RateLimit = RateLimit(60, 30)
    session_limit: RateLimit = RateLimit(20, 10)
    max_concurrent_per_address: int = 4
    max_message_chars: int = 2000
    rasa_timeout: float = 25.0
    cookie_secure: bool | None = None  # None: Secure exactly when served over https
    channels: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls, settings: Settings | None = None, env: Mapping[str, str] | None = None) -> GatewayConfig:
        env = os.environ if env is None else env
        secret = (env.get("GATEWAY_SESSION_SECRET") or "").strip()
        generated = not secret
        if generated:
            logger.warning(
                "GATEWAY_SESSION_SECRET is not set: using a random secret, so conversations "
                "cannot be continued after the gateway restarts. Set it in production."
            )
            secret = secrets.token_urlsafe(32)
        elif len(secret) < 16 or secret.startswith(PLACEHOLDER_PREFIX):
            raise ConfigError("GATEWAY_SESSION_SECRET must be a random value of at least 16 characters "
                              "(not the example placeholder)")
        cookie = (env.get("GATEWAY_COOKIE_SECURE") or "").strip()
        return cls(
            settings=settings or Settings.from_env(),
            session_secret=secret,
            session_secret_generated=generated,
            allowed_origins=_origins(env, "GATEWAY_ALLOWED_ORIGINS"),
            frame_ancestors=_origins(env, "GATEWAY_FRAME_ANCESTORS", _CSP_KEYWORDS) or ("'self'",),
            address_limit=RateLimit(
                _int(env, "GATEWAY_RATE_ADDRESS_PER_MINUTE", 60),
                _int(env, "GATEWAY_RATE_ADDRESS_BURST", 30, minimum=1),
            ),
            session_limit=RateLimit(
                _int(env, "GATEWAY_RATE_SESSION_PER_MINUTE", 20),
                _int(env, "GATEWAY_RATE_SESSION_BURST", 10, minimum=1),
            ),
            max_concurrent_per_address=_int(env, "GATEWAY_MAX_CONCURRENT_PER_ADDRESS", 4, minimum=1),
            max_message_chars=_int(env, "GATEWAY_MAX_MESSAGE_CHARS", 2000, minimum=1),
            rasa_timeout=_float(env, "GATEWAY_RASA_TIMEOUT", 25.0),
            cookie_secure=_bool(env, "GATEWAY_COOKIE_SECURE", False) if cookie else None,
            channels=enabled_channels(env),
        )
