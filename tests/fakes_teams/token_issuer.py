"""A local stand-in for Microsoft's Bot Framework token keys: OpenID metadata and a JWKS, on loopback.

`TokenIssuer` makes an RSA key, publishes it (`metadata_url`) and signs RS256 JWTs the way the
Bot Framework channel does (`iss` https://api.botframework.com, `aud` the bot's app id,
`serviceurl`). `stall = True` makes the metadata endpoint hang, like a Microsoft outage.
`StaticCredentials` gives outgoing calls a fixed token, so a test never reaches Entra.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from botframework.connector.auth import ServiceClientCredentialsFactory
from cryptography.hazmat.primitives.asymmetric import rsa
from msrest.authentication import BasicTokenAuthentication

from bot.teams.auth import CHANNEL_ISSUER

APP_ID = "11111111-2222-3333-4444-555555555555"
KEY_ID = "test-key-1"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenIssuer:
    """`async with TokenIssuer() as issuer:`."""

    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    kid: str = KEY_ID
    stall: bool = False
    requests: int = 0
    _runner: web.AppRunner | None = None
    _port: int = 0
    _closing: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def metadata_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v1/.well-known/openidconfiguration"

    async def __aenter__(self) -> TokenIssuer:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/keys", self._keys)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        self._closing.set()
        await self._runner.cleanup()

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.stall:  # an outage: no answer in time (until the stand-in closes, at most a minute)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), 60)
        return web.json_response({"issuer": CHANNEL_ISSUER, "jwks_uri": f"http://127.0.0.1:{self._port}/v1/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return web.json_response({"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256",
                                            "endorsements": ["msteams", "webchat"]}]})

    def token(self, service_url: str, *, key: rsa.RSAPrivateKey | None = None, kid: str | None = None,
              expires_in: float = 3600, **claims: Any) -> str:
        """A channel token for `service_url`, signed with this issuer's key unless told otherwise."""
        now = int(time.time())
        payload = {"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": service_url, "nbf": now - 60,
                   "iat": now - 60, "exp": int(now + expires_in), **claims}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})


class StaticCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """Outgoing calls carry a fixed token (a test never asks Entra for one)."""

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == APP_ID

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> BasicTokenAuthentication:
        return BasicTokenAuthentication({"access_token": "outgoing-test-token"})
