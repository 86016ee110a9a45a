"""Who a Slack user is: the directory's Slack id, else the email Slack reports (users.info), cached.

The email comes from Slack's own `users.info` (scope `users:read.email`), never from a
message; `Runtime.meet` matches it to the staff directory and records the account.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Person
from bot.runtime import Runtime
from bot.slack.adapter import PLATFORM, Place, conversation_for

log = logging.getLogger(__name__)

#: How long a users.info answer is trusted (people change email rarely; strangers ask often).
LOOKUP_TTL_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class _Lookup:
    email: str | None
    display_name: str | None
    at: float


class SlackIdentity:
    """Turns the verified Slack user of a request into a `Person`."""

    def __init__(self, runtime: Runtime, ttl_seconds: float = LOOKUP_TTL_SECONDS) -> None:
        self.runtime = runtime
        self.ttl_seconds = ttl_seconds
        self._lookups: dict[tuple[str, str], _Lookup] = {}

    async def person(self, client: AsyncWebClient, place: Place) -> Person:
        email = await self.runtime.known_email(PLATFORM, place.team_id, place.user_id)
        display_name: str | None = None
        if email is None:
            lookup = await self._look_up(client, place.team_id, place.user_id)
            email, display_name = lookup.email, lookup.display_name
        return await self.runtime.meet(
            platform=PLATFORM,
            workspace=place.team_id,
            user_id=place.user_id,
            email=email,
            display_name=display_name,
            conversation=conversation_for(place),
        )

    async def _look_up(self, client: AsyncWebClient, team_id: str, user_id: str) -> _Lookup:
        key = (team_id, user_id)
        cached = self._lookups.get(key)
        now = time.monotonic()
        if cached is not None and now - cached.at < self.ttl_seconds:
            return cached
        try:
            response = await client.users_info(user=user_id)
        except (SlackApiError, SlackClientError, TimeoutError, OSError) as error:
            # Not cached: a passing failure should not make someone a stranger for ten minutes.
            log.warning("users.info failed for a Slack user (%s)", type(error).__name__)
            return _Lookup(None, None, now)
        user = response.get("user") or {}
        profile = user.get("profile") or {} if isinstance(user, dict) else {}
        email = profile.get("email") if isinstance(profile, dict) else None
        name = (profile.get("real_name") or profile.get("display_name")) if isinstance(profile, dict) else None
        lookup = _Lookup(
            email if isinstance(email, str) and email else None,
            name if isinstance(name, str) and name else None,
            now,
        )
        self._lookups[key] = lookup
        return lookup
