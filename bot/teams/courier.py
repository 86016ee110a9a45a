"""Deliver a notice to a Teams user proactively, through the conversation they had with us.

`continue_conversation` needs the conversation reference Teams gave us when the person
installed the app or wrote to it (kept in `platform_accounts`). Without one the person
has not installed Staffroom, and nothing can reach them there: `Undeliverable`, so the
dispatcher can tell the requester and the school's admin instead.
"""

from __future__ import annotations

import logging

from aiohttp import ClientError
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference
from msrest.exceptions import ClientException, HttpOperationError

from bot.delivery.courier import Delivered, DeliveryResult, Recipient, RetryLater, Undeliverable
from bot.messages import Reply
from bot.teams.activities import render_activity
from bot.teams.bot import TeamsOptions
from bot.teams.parse import PLATFORM, TEAMS_CHANNEL

log = logging.getLogger(__name__)

#: Teams' answers meaning "this person can't be reached here" (uninstalled, blocked, gone).
_GONE = frozenset({401, 403, 404, 410})


class TeamsCourier:
    """The Teams way to message someone outside the current conversation."""

    platform = PLATFORM

    def __init__(self, adapter: BotAdapter, app_id: str, options: TeamsOptions | None = None) -> None:
        self.adapter = adapter
        self.app_id = app_id
        self.options = options or TeamsOptions()

    async def deliver(self, recipient: Recipient, reply: Reply, idempotency_key: str) -> DeliveryResult:
        """Send `reply`; Bot Framework has no idempotency keys, so the outbox row is the guard."""
        ref = recipient.conversation
        if ref is None or not ref.service_url:
            return Undeliverable(f"{recipient.email} has not installed Staffroom in Teams")
        if not self.options.service_urls.allows(ref.service_url):
            log.warning("teams: a stored conversation names a service URL that is not Microsoft's; not calling it")
            return Undeliverable("their Teams conversation names an address that is not a Microsoft service")
        kind = self.options.kind_for_service(ref.service_url)
        reference = ConversationReference(
            channel_id=TEAMS_CHANNEL,
            service_url=ref.service_url,
            conversation=ConversationAccount(id=ref.conversation_id, tenant_id=ref.tenant_id,
                                             conversation_type="personal"),
            user=ChannelAccount(id=ref.user_id),
            bot=ChannelAccount(id=self.app_id or "staffroom"),
        )
        receipt: dict[str, str] = {}
        failures: list[Exception] = []

        async def send(context: TurnContext) -> None:
            context.activity.id = None  # a new message, not a reply to the made-up continuation activity
            activity = render_activity(reply, kind, (ref.user_id,))
            if ref.tenant_id:
                activity.channel_data = {"tenant": {"id": ref.tenant_id}}  # Teams needs it to message a user
            try:
                response = await context.send_activity(activity)
            except (TimeoutError, ClientException, ClientError, OSError) as error:
                failures.append(error)  # judged below; raising would reach the turn's apology hook
                return
            receipt["conversation_id"] = ref.conversation_id
            if response is not None and response.id:
                receipt["activity_id"] = str(response.id)

        try:
            await self.adapter.continue_conversation(reference, send, self.app_id)
        except (TimeoutError, ClientException, ClientError, OSError) as error:
            failures.append(error)
        if failures:
            failure = failures[0]
            if isinstance(failure, HttpOperationError):
                return _judge(failure)
            log.warning("teams: delivery failed (%s); will retry", type(failure).__name__)
            return RetryLater(f"Teams unreachable ({type(failure).__name__})")
        return Delivered(receipt)


def _judge(error: HttpOperationError) -> DeliveryResult:
    """What an HTTP failure from the Connector means for this delivery."""
    response = error.response
    status = int(response.status_code) if response is not None and response.status_code is not None else 0
    if status == 429 or status >= 500 or status == 0:
        after = _retry_after(error)
        log.warning("teams: delivery refused for now (HTTP %d)", status)
        return RetryLater(f"Teams answered HTTP {status}", after)
    if status in _GONE:
        return Undeliverable(f"Teams can't reach this person (HTTP {status}): the app may have been removed")
    return Undeliverable(f"Teams refused the message (HTTP {status})")


def _retry_after(error: HttpOperationError) -> float | None:
    headers = getattr(error.response, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
