"""Bot Framework's bearer tokens, checked without ever holding up the rest of the server.

Every activity Teams posts carries a JWT signed with one of the keys Microsoft publishes
(OpenID metadata -> JWKS). botbuilder's own check fetches those keys with a blocking call,
no timeout, on the event loop, and again after every failure; a stalled Microsoft endpoint
then froze Slack and `/healthz` too. Here:

- keys are fetched with aiohttp under a time limit, one fetch at a time for all requests;
- they are cached (refreshed daily) and a stale set is still used while a refresh fails;
- after a failed fetch no new one is tried for a while (doubling, up to five minutes);
- an unknown key id triggers at most one refresh every few minutes, so junk tokens can't
  make the server hammer Microsoft;
- signature checks run in a worker thread.

Any token problem is `Unauthorized` (401); keys that can't be had at all are
`KeysUnavailable` (503). Only Teams sees either.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

log = logging.getLogger(__name__)

#: Where Microsoft publishes the keys that sign the Bot Framework channel's tokens.
MICROSOFT_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
#: The issuer of those tokens.
CHANNEL_ISSUER = "https://api.botframework.com"
ALGORITHMS = ("RS256", "RS384", "RS512")
#: Clock skew allowed on `exp`/`nbf` (botbuilder allows five minutes too).
LEEWAY_SECONDS = 300
#: Largest metadata or key-set document read.
MAX_DOCUMENT_BYTES = 256 * 1024


class Unauthorized(Exception):
    """The request's token is missing, malformed, forged, expired or not for this bot."""


class KeysUnavailable(Exception):
    """Microsoft's signing keys can't be had right now, so no token can be checked."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    key: Any
    #: Channels this key may sign for (Bot Framework's "endorsements"); empty: any.
    endorsements: frozenset[str]


@dataclass(frozen=True, slots=True)
class KeyTiming:
    """How long things may take and how often keys are fetched."""

    #: The whole fetch (metadata, then key set) must finish within this.
    fetch_timeout: float = 5.0
    #: Keys are refreshed after this long (Microsoft rotates them rarely, with notice).
    refresh_after: float = 24 * 3600.0
    #: After a failed fetch, wait this long before the next one, doubling up to `longest_backoff`.
    first_backoff: float = 5.0
    longest_backoff: float = 300.0
    #: An unknown key id refreshes the keys at most this often.
    unknown_key_refresh: float = 300.0


class ChannelKeys:
    """Microsoft's published signing keys, fetched politely and cached."""

    def __init__(self, metadata_url: str = MICROSOFT_METADATA_URL, timing: KeyTiming | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.metadata_url = metadata_url
        self.timing = timing or KeyTiming()
        self._now = monotonic
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failures = 0
        self._next_try = 0.0
        self._fetch: asyncio.Task[None] | None = None
        self.fetches = 0

    async def find(self, kid: str) -> SigningKey:
        """The key with id `kid`; `Unauthorized` if Microsoft has none, `KeysUnavailable` if keys can't be had."""
        now = self._now()
        stale = self._fetched_at is None or now - self._fetched_at >= self.timing.refresh_after
        unknown = kid not in self._keys
        recently = self._fetched_at is not None and now - self._fetched_at < self.timing.unknown_key_refresh
        if (stale or (unknown and not recently)) and now >= self._next_try:
            await self._refresh()
        key = self._keys.get(kid)
        if key is not None:
            return key
        if not self._keys:
            raise KeysUnavailable("Microsoft's signing keys could not be fetched")
        raise Unauthorized("the token is signed with a key Microsoft does not publish")

    async def _refresh(self) -> None:
        """One fetch shared by every waiting request, never longer than the timeout."""
        if self._fetch is None or self._fetch.done():
            self._fetch = asyncio.create_task(self._fetch_keys(), name="teams-signing-keys")
        try:
            await asyncio.wait_for(asyncio.shield(self._fetch), self.timing.fetch_timeout + 0.5)
        except Exception as error:  # failures are counted in _fetch_keys; keep the cached keys
            log.debug("teams: key refresh not finished (%s)", type(error).__name__)

    async def _fetch_keys(self) -> None:
        self.fetches += 1
        try:
            async with asyncio.timeout(self.timing.fetch_timeout):
                timeout = aiohttp.ClientTimeout(total=self.timing.fetch_timeout)
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    metadata = await _get_json(session, self.metadata_url)
                    jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
                    if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
                        raise ValueError("the OpenID metadata has no jwks_uri")
                    keys = _read_key_set(await _get_json(session, jwks_uri))
        except Exception as error:  # network, timeout, bad JSON: all mean "try later"
            self._failures += 1
            wait = min(self.timing.first_backoff * 2 ** (self._failures - 1), self.timing.longest_backoff)
            self._next_try = self._now() + wait
            log.warning("teams: couldn't fetch Microsoft's signing keys (%s); next try in %.0f s",
                        type(error).__name__, wait)
            return
        self._keys = keys
        self._fetched_at = self._now()
        self._failures = 0
        self._next_try = 0.0


async def _get_json(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url, allow_redirects=False) as response:
        response.raise_for_status()
        body = await response.content.read(MAX_DOCUMENT_BYTES + 1)
        if len(body) > MAX_DOCUMENT_BYTES:
            raise ValueError("document too large")
        return json.loads(body)


def _read_key_set(document: Any) -> dict[str, SigningKey]:
    keys: dict[str, SigningKey] = {}
    items = document.get("keys") if isinstance(document, dict) else None
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("kid"), str):
            continue
        try:
            key = jwt.PyJWK(item).key
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            continue  # a key type we don't use
        endorsements = item.get("endorsements")
        allowed = frozenset(e for e in endorsements if isinstance(e, str)) if isinstance(endorsements, list) else ()
        keys[item["kid"]] = SigningKey(key, frozenset(allowed))
    if not keys:
        raise ValueError("the key set has no usable keys")
    return keys


class TokenValidator:
    """Checks the `Authorization` header of one activity for this bot."""

    def __init__(self, app_id: str, keys: ChannelKeys, issuer: str = CHANNEL_ISSUER) -> None:
        self.app_id = app_id
        self.keys = keys
        self.issuer = issuer

    async def validate(
        self, auth_header: str | None, channel_id: str | None, service_url: str | None
    ) -> dict[str, Any]:
        """The token's claims; raises `Unauthorized` or `KeysUnavailable`."""
        scheme, _, token = (auth_header or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 16384:
            raise Unauthorized("no bearer token")
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise Unauthorized("the token is not a JWT") from error
        if header.get("alg") not in ALGORITHMS:
            raise Unauthorized("the token is not signed with an accepted algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("the token names no key")
        key = await self.keys.find(kid)
        if key.endorsements and channel_id not in key.endorsements:
            raise Unauthorized("the signing key is not endorsed for this channel")
        claims = await asyncio.to_thread(self._decode, token, key)
        if claims.get("serviceurl") != service_url:
            raise Unauthorized("the token was issued for another service URL")
        return claims

    def _decode(self, token: str, key: SigningKey) -> dict[str, Any]:
        try:
            claims = jwt.decode(
                token, key.key, algorithms=list(ALGORITHMS), audience=self.app_id, issuer=self.issuer,
                leeway=LEEWAY_SECONDS, options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise Unauthorized(f"the token was refused ({type(error).__name__})") from error
        return dict(claims)
