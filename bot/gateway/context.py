"""What the routes share: configuration, session signer, rate limiters and the Rasa client
(``app.state.rasa``, replaceable by a fake in tests)."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from bot.gateway.config import GatewayConfig
from bot.gateway.rasa_client import RasaClient
from bot.gateway.rate_limit import ConcurrencyLimiter, TokenBucketLimiter, address_key
from bot.gateway.sessions import SessionSigner


@dataclass
class Gateway:
    config: GatewayConfig
    signer: SessionSigner
    address_limiter: TokenBucketLimiter
    session_limiter: TokenBucketLimiter
    in_flight: ConcurrencyLimiter

    @classmethod
    def from_config(cls, config: GatewayConfig) -> Gateway:
        return cls(
            config=config,
            signer=SessionSigner(config.session_secret),
            address_limiter=TokenBucketLimiter(config.address_limit),
            session_limiter=TokenBucketLimiter(config.session_limit),
            in_flight=ConcurrencyLimiter(config.max_concurrent_per_address),
        )

    def cookie_secure(self, request: Request) -> bool:
        if self.config.cookie_secure is not None:
            return self.config.cookie_secure
        return request.url.scheme == "https"


def gateway(request: Request) -> Gateway:
    return request.app.state.gateway


def rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


def client_address(request: Request) -> str:
    return address_key(request.client.host if request.client else None)


def limit_address(request: Request) -> None:
    """One token from the client address's bucket (raises RateLimited). Called by the
    routes once they know the request's language, so the 429 message is in it."""
    gateway(request).address_limiter.check(client_address(request))
