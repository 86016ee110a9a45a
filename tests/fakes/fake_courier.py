"""A Courier for tests: a script decides each try's outcome; every call is recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.delivery.courier import Delivered, DeliveryResult, Recipient, RetryLater, Undeliverable
from bot.messages import Reply


@dataclass(frozen=True)
class Call:
    at: datetime
    email: str
    user_id: str
    key: str
    text: str
    accepted: bool


#: Given the time and the recipient, what the platform does; None means "accepted".
Script = Callable[[datetime, Recipient], DeliveryResult | Exception | None]


def accept(_at: datetime, _recipient: Recipient) -> None:
    return None


@dataclass
class FakeCourier:
    """Accepts (or not, as `script` says) and remembers what each idempotency key carried."""

    clock: Clock
    platform: str = "slack"
    script: Script = accept
    #: Yield to the event loop inside each call, so concurrent dispatchers really interleave.
    yield_inside: bool = False
    calls: list[Call] = field(default_factory=list)

    async def deliver(self, recipient: Recipient, reply: Reply, idempotency_key: str) -> DeliveryResult:
        if self.yield_inside:
            await asyncio.sleep(0)
        now = self.clock.now()
        outcome = self.script(now, recipient)
        if isinstance(outcome, Exception):
            self.calls.append(Call(now, recipient.email, recipient.user_id, idempotency_key, reply.text, False))
            raise outcome
        accepted = outcome is None
        self.calls.append(Call(now, recipient.email, recipient.user_id, idempotency_key, reply.text, accepted))
        return Delivered({"channel": f"D-{recipient.user_id}", "ts": str(len(self.calls))}) if accepted else outcome

    @property
    def accepted(self) -> list[Call]:
        return [call for call in self.calls if call.accepted]


def failing_until(until: datetime, cycle: tuple[DeliveryResult | Exception, ...]) -> Script:
    """Fail before `until` (taking outcomes from `cycle` in turn), then accept."""
    count = 0

    def script(at: datetime, _recipient: Recipient) -> DeliveryResult | Exception | None:
        nonlocal count
        if at >= until:
            return None
        count += 1
        return cycle[count % len(cycle)]

    return script


RATE_LIMITED = RetryLater("ratelimited", after_seconds=90)
SERVER_ERROR = RetryLater("http 500")
TIMEOUT = TimeoutError()
GONE = Undeliverable("account_inactive")
