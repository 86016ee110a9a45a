"""What a platform adapter offers the outbox dispatcher: deliver one reply to one person.

Each platform (Slack, Teams) implements `Courier`. The dispatcher picks the
recipient's account, calls `deliver`, and records the outcome while it holds the
row's lease. A courier that can also look for an earlier try (`LooksBeforeResending`,
Slack) is asked first whenever that try may have arrived, so a crash or a slow
answer doesn't post a message twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.messages import ConversationRef, Reply


@dataclass(frozen=True, slots=True)
class Recipient:
    """A staff member as one platform knows them."""

    email: str
    platform: str
    workspace: str
    user_id: str
    #: Where a proactive message goes (Teams needs it; Slack opens a DM from the user id).
    conversation: ConversationRef | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    """The platform accepted the message; `receipt` says where it landed (to update it later)."""

    receipt: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RetryLater:
    """A passing failure (rate limit, 5xx, timeout); `after_seconds` is the platform's Retry-After."""

    reason: str
    after_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Undeliverable:
    """This person can't be reached this way (app not installed, account gone): don't retry."""

    reason: str


DeliveryResult = Delivered | RetryLater | Undeliverable


class Courier(Protocol):
    """A platform's way of messaging a person who is not in the current conversation."""

    #: "slack" or "teams": matches `Recipient.platform`.
    platform: str

    async def deliver(self, recipient: Recipient, reply: Reply, idempotency_key: str) -> DeliveryResult:
        """Send `reply`; never raise for platform errors, return what happened instead."""
        ...


class LooksBeforeResending(Protocol):
    """A courier that can tell whether an earlier try of a message already reached the person.

    The dispatcher asks before re-sending a message whose earlier try may have arrived (the
    process died mid-send, or the platform answered too slowly), so it isn't posted twice.
    """

    async def find_delivered(self, recipient: Recipient, idempotency_key: str) -> DeliveryResult | None:
        """`Delivered` (with where it landed) if it is there, None if not, `RetryLater` if it can't tell now."""
        ...
