"""Deliver outbox notices on Slack: open the person's DM with the app and post the reply.

The outbox dispatcher calls `SlackCourier.deliver`; platform failures come back as
values (never raised) so the dispatcher can retry later or give up: 429 and 5xx and
timeouts are passing, an unknown or deactivated user is not.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.courier import Delivered, DeliveryResult, Recipient, RetryLater, Undeliverable
from bot.messages import Reply
from bot.slack.adapter import PLATFORM
from bot.slack.blocks import render_message
from bot.slack.library_logs import WEB_API_LOGGER, library_logger

log = logging.getLogger(__name__)

#: Finds the bot token for a workspace (team id); None when the app is not installed there.
TokenFinder = Callable[[str], Awaitable[str | None]]

#: Slack error codes that mean this person can't be reached this way: retrying won't help.
PERMANENT_ERRORS = frozenset({
    "user_not_found", "users_not_found", "account_inactive", "user_disabled", "user_not_visible",
    "cannot_dm_bot", "channel_not_found", "is_archived", "not_authed", "invalid_auth", "token_revoked",
    "token_expired", "team_access_not_granted", "no_permission", "missing_scope", "not_allowed_token_type",
    "restricted_action", "invalid_blocks", "invalid_arguments", "msg_too_long",
})
#: Slack error codes for a passing trouble on Slack's side.
PASSING_ERRORS = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable",
                            "request_timeout"})
#: The message metadata type that carries the outbox key: a re-send looks for it first.
METADATA_TYPE = "staffroom_notice"
#: How far back in the DM a re-send looks for its earlier try (newest first).
HISTORY_LIMIT = 100


class SlackCourier:
    """Delivers one reply to one Slack user as a direct message from the app."""

    platform = PLATFORM

    def __init__(self, find_token: TokenFinder, base_url: str, *, timeout: int = 10,
                 session: aiohttp.ClientSession | None = None) -> None:
        self.find_token = find_token
        self.base_url = base_url
        self.timeout = timeout
        self.session = session

    def _client(self, token: str) -> AsyncWebClient:
        # No retry handlers: the outbox dispatcher owns retrying, with the Retry-After we report.
        return AsyncWebClient(token=token, base_url=self.base_url, timeout=self.timeout, session=self.session,
                              logger=library_logger(WEB_API_LOGGER))

    async def _client_for(self, recipient: Recipient) -> AsyncWebClient | DeliveryResult:
        try:
            token = await self.find_token(recipient.workspace)
        except Exception as error:  # the token store failing is passing trouble, not the person's
            log.warning("Slack token lookup failed (%s)", type(error).__name__)
            return RetryLater(f"token lookup failed: {type(error).__name__}")
        if token is None:
            return Undeliverable(f"Staffroom is not installed in Slack workspace {recipient.workspace}")
        return self._client(token)

    async def find_delivered(self, recipient: Recipient, idempotency_key: str) -> DeliveryResult | None:
        """Is a message carrying `idempotency_key` in its metadata already in the person's DM?

        Looks through the DM's recent history (`conversations.history` with
        `include_all_metadata`, scope `im:history`). None means it isn't there, so send it.
        """
        client = await self._client_for(recipient)
        if not isinstance(client, AsyncWebClient):
            return client
        try:
            opened = await client.conversations_open(users=recipient.user_id)
            channel = str((opened.get("channel") or {}).get("id", ""))
            history = await client.conversations_history(channel=channel, include_all_metadata=True,
                                                         limit=HISTORY_LIMIT)
        except SlackApiError as error:
            result = _classify(error)
            if isinstance(result, Undeliverable):
                # Can't look (a missing scope, say): sending again is better than never sending.
                log.warning("Slack: couldn't look for an earlier try (%s); sending", error_code(error))
                return None
            return result
        except (TimeoutError, aiohttp.ClientError, SlackClientError, OSError) as error:
            return RetryLater(f"Slack unreachable: {type(error).__name__}")
        for message in history.get("messages") or []:
            metadata = message.get("metadata") if isinstance(message, dict) else None
            if not isinstance(metadata, dict) or metadata.get("event_type") != METADATA_TYPE:
                continue
            payload = metadata.get("event_payload")
            if isinstance(payload, dict) and payload.get("key") == idempotency_key:
                return Delivered(receipt={"channel": channel, "ts": str(message.get("ts", "")),
                                          "team": recipient.workspace})
        return None

    async def deliver(self, recipient: Recipient, reply: Reply, idempotency_key: str) -> DeliveryResult:
        client = await self._client_for(recipient)
        if not isinstance(client, AsyncWebClient):
            return client
        try:
            opened = await client.conversations_open(users=recipient.user_id)
            channel = str((opened.get("channel") or {}).get("id", ""))
            posted = await client.chat_postMessage(
                channel=channel,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": idempotency_key}},
                **render_message(reply),
            )
        except SlackApiError as error:
            return _classify(error)
        except (TimeoutError, aiohttp.ClientError, SlackClientError, OSError) as error:
            return RetryLater(f"Slack unreachable: {type(error).__name__}")
        receipt = {"channel": str(posted.get("channel", channel)), "ts": str(posted.get("ts", "")),
                   "team": recipient.workspace}
        return Delivered(receipt=receipt)


def _classify(error: SlackApiError) -> DeliveryResult:
    response: Any = error.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = error_code(error)
    if status == 429 or code == "ratelimited":
        return RetryLater("Slack rate limit", after_seconds=_retry_after(response))
    if status >= 500 or code in PASSING_ERRORS:
        return RetryLater(f"Slack answered {status} {code}".strip())
    if code in PERMANENT_ERRORS:
        return Undeliverable(f"Slack: {code}")
    # Unknown errors are not retried blindly: the reason is kept for the school's IT person.
    return Undeliverable(f"Slack: {code or status}")


def error_code(error: SlackApiError) -> str:
    """Slack's `error` field; "" when the answer was not JSON (a proxy's 502 page, say)."""
    data = getattr(error.response, "data", None)
    code = data.get("error") if isinstance(data, dict) else None
    return code if isinstance(code, str) else ""


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in dict(headers).items():
        if name.lower() == "retry-after":
            try:
                return max(0.0, float(value if not isinstance(value, list) else value[0]))
            except (TypeError, ValueError):
                return None
    return None
