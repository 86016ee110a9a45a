"""The outbox dispatcher: deliver each queued message exactly once, in order per person.

```mermaid
stateDiagram-v2
    [*] --> pending: written with the change
    pending --> claimed: due, oldest of its person (lease)
    claimed --> delivered: Delivered
    claimed --> pending: RetryLater (backoff, Retry-After) / outside working hours (held)
    claimed --> dead: too many attempts / Undeliverable on every account / no account
    dead --> pending: staffroom outbox retry
```

A claim is a lease taken with one UPDATE (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so
several instances share the work without taking the same row. Leases are short (30 s) and
renewed while a delivery is in flight, so a dead process's messages are taken back within
half a minute (at once on SQLite, where the one instance frees them when it starts). The
outcome is recorded only while the lease is ours. Each claim is counted before the send;
a message claimed before (the process died mid-send, or the platform answered after our
timeout) may already be with the person, so a courier that can look (`find_delivered`:
Slack searches the DM for the message's idempotency key) is asked first, and the message
is sent again only if it isn't there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import cast

from bot.clock import Clock
from bot.delivery.backoff import RetryPolicy
from bot.delivery.courier import (
    Courier,
    Delivered,
    DeliveryResult,
    LooksBeforeResending,
    Recipient,
    RetryLater,
    Undeliverable,
)
from bot.delivery.undeliverable import tell_about_dead_letter
from bot.messages import Reply
from bot.school import School
from bot.store.accounts import accounts_of, conversation_of
from bot.store.database import Database
from bot.store.outbox import (
    claim_due,
    load_claimed,
    record_dead,
    record_delivered,
    record_retry,
    release_all_leases,
    renew_leases,
)
from bot.store.tables import OutboxRow

log = logging.getLogger(__name__)

NO_ACCOUNT = "they have not used Staffroom in Slack or Teams yet"
REFUSED = "the chat platform would not take it"


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    HELD = "held"
    DEAD = "dead"
    LOST_LEASE = "lost_lease"


@dataclass
class DispatchReport:
    """What one pass did, by outcome."""

    counts: dict[Outcome, int] = field(default_factory=lambda: {outcome: 0 for outcome in Outcome})

    @property
    def claimed(self) -> int:
        return sum(self.counts.values())

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome] += 1


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    """How hard and how fast to deliver."""

    retry: RetryPolicy = field(default_factory=RetryPolicy)
    #: How long a claim lasts without renewal: a dead process's claims come back after this.
    lease: timedelta = timedelta(seconds=30)
    #: While deliveries are in flight, their leases are renewed this often.
    renew_every: float = 10.0
    #: A courier call taking longer counts as a passing failure.
    courier_timeout: float = 30.0
    batch: int = 100
    concurrency: int = 16


def idempotency_key(row: OutboxRow) -> str:
    """The same for every try of one message, different for every message."""
    return f"staffroom-outbox-{row.school_id}-{row.id}"


class Dispatcher:
    """Delivers due outbox rows through the registered couriers; run one per instance (or several)."""

    def __init__(
        self,
        database: Database,
        couriers: Mapping[str, Courier],
        schools: Mapping[str, School],
        clock: Clock,
        settings: DispatchSettings | None = None,
    ) -> None:
        self.database = database
        #: Read at each delivery: adapters may register after the dispatcher is made.
        self.couriers = couriers
        self.schools = schools
        self.clock = clock
        self.settings = settings or DispatchSettings()

    def _retry_policy(self, school_id: str) -> RetryPolicy:
        school = self.schools.get(school_id)
        if school is None:
            return self.settings.retry
        delivery = school.config.delivery
        return RetryPolicy(
            max_attempts=delivery.max_attempts,
            first_wait=timedelta(seconds=delivery.first_retry_seconds),
            longest_wait=timedelta(seconds=delivery.longest_wait_seconds),
        )

    async def run_once(self) -> DispatchReport:
        """Claim what is due now and deliver it; returns what happened."""
        now = self.clock.now()
        token = uuid.uuid4().hex
        ids = await claim_due(
            self.database, now=now, lease_until=now + self.settings.lease, token=token, limit=self.settings.batch
        )
        report = DispatchReport()
        if not ids:
            return report
        rows = await load_claimed(self.database, ids)
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def one(row: OutboxRow) -> None:
            async with gate:
                report.add(await self._dispatch(row, token))

        renewal = asyncio.create_task(self._renew(token), name="staffroom-outbox-leases")
        try:
            await asyncio.gather(*(one(row) for row in rows))
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
        return report

    async def _renew(self, token: str) -> None:
        """Keep this pass's leases while it works, so they lapse quickly only if the process dies."""
        while True:
            await asyncio.sleep(self.settings.renew_every)
            try:
                await renew_leases(self.database, token, self.clock.now() + self.settings.lease)
            except Exception as error:  # the next renewal tries again; the lease still runs meanwhile
                log.warning("outbox: couldn't renew leases (%s)", type(error).__name__)

    async def drain(self, limit: int = 1000) -> DispatchReport:
        """Run passes until nothing is due now (tests, benchmarks, `staffroom outbox send`)."""
        total = DispatchReport()
        for _ in range(limit):
            report = await self.run_once()
            for outcome, count in report.counts.items():
                total.counts[outcome] += count
            if report.claimed == 0:
                break
        return total

    async def _dispatch(self, row: OutboxRow, token: str) -> Outcome:
        school = self.schools.get(row.school_id)
        now = self.clock.now()
        if school is not None and not school.calendar.is_working_time(now):
            # WFH policy 4: a retry that ran past the working day waits for the next morning.
            async with self.database.transaction() as session:
                kept = await record_retry(
                    session, row.id, token, next_attempt_at=school.calendar.next_working_morning(now), error="",
                    count=False,
                )
            return Outcome.HELD if kept else Outcome.LOST_LEASE
        result, platform = await self._deliver(row)
        return await self._record(row, token, school, result, platform)

    async def _deliver(self, row: OutboxRow) -> tuple[DeliveryResult, str]:
        """Try the person's accounts, most recently used first, until one takes or defers it."""
        accounts = [a for a in await accounts_of(self.database, row.school_id, row.recipient_email)
                    if a.platform in self.couriers]
        if not accounts:
            return Undeliverable(NO_ACCOUNT), ""
        reply = await self._as_it_stands(row, Reply.model_validate_json(row.reply))
        refused = REFUSED
        maybe_sent = row.sends_started > 1
        for account in accounts:
            courier = self.couriers[account.platform]
            recipient = Recipient(
                email=row.recipient_email,
                platform=account.platform,
                workspace=account.workspace,
                user_id=account.user_id,
                conversation=conversation_of(account),
            )
            found = await self._look(courier, recipient, idempotency_key(row)) if maybe_sent else None
            if found is not None:
                if isinstance(found, Delivered):
                    log.info("outbox %s: an earlier try had arrived; not sent again", row.id)
                return found, account.platform
            result = await self._call(courier, recipient, reply, idempotency_key(row))
            if not isinstance(result, Undeliverable):
                return result, account.platform
            refused = result.reason
            log.info("outbox %s: %s account refused, trying the next", row.id, account.platform)
        return Undeliverable(refused), ""

    async def _as_it_stands(self, row: OutboxRow, reply: Reply) -> Reply:
        """A decision card is rendered from its request's state now: settled meanwhile, it has no buttons."""
        from bot.requests.current_card import CARD_REASONS, current_card

        school = self.schools.get(row.school_id)
        if row.request_id is None or row.reason not in CARD_REASONS or school is None:
            return reply
        return await current_card(self.database, school, row.request_id, reply, self.clock.now())

    async def _look(self, courier: Courier, recipient: Recipient, key: str) -> DeliveryResult | None:
        """Ask the platform whether an earlier try is already there (None: it isn't, or can't be asked)."""
        if not hasattr(courier, "find_delivered"):
            return None  # this platform can't be asked
        finder = cast(LooksBeforeResending, courier)
        try:
            return await asyncio.wait_for(finder.find_delivered(recipient, key), self.settings.courier_timeout)
        except TimeoutError:
            return RetryLater("timed out looking for an earlier try")
        except Exception as error:  # a courier bug must not lose the message: it stays queued
            log.exception("courier %s raised while looking for an earlier try", courier.platform)
            return RetryLater(f"courier error: {type(error).__name__}")

    async def _call(self, courier: Courier, recipient: Recipient, reply: Reply, key: str) -> DeliveryResult:
        try:
            return await asyncio.wait_for(courier.deliver(recipient, reply, key), self.settings.courier_timeout)
        except TimeoutError:
            return RetryLater("timed out")
        except Exception as error:  # a courier bug must not lose the message: it stays queued
            log.exception("courier %s raised instead of returning a result", courier.platform)
            return RetryLater(f"courier error: {type(error).__name__}")

    async def _record(
        self, row: OutboxRow, token: str, school: School | None, result: DeliveryResult, platform: str
    ) -> Outcome:
        now = self.clock.now()
        policy = self._retry_policy(row.school_id)
        async with self.database.transaction() as session:
            if isinstance(result, Delivered):
                kept = await record_delivered(session, row.id, token, now=now, platform=platform,
                                              receipt=result.receipt)
                outcome = Outcome.DELIVERED
            elif isinstance(result, RetryLater) and not policy.gives_up_after(row.attempts + 1):
                wait = policy.wait_after(row.attempts + 1, result.after_seconds)
                kept = await record_retry(session, row.id, token, next_attempt_at=now + wait, error=result.reason)
                outcome = Outcome.RETRY
            else:
                if isinstance(result, RetryLater):
                    cause = f"the chat platform kept failing after {row.attempts + 1} tries"
                else:
                    cause = NO_ACCOUNT if result.reason == NO_ACCOUNT else REFUSED
                kept = await record_dead(session, row.id, token, now=now, error=result.reason,
                                         count=result.reason != NO_ACCOUNT)
                if kept:
                    await tell_about_dead_letter(session, school, row, cause, now)
                outcome = Outcome.DEAD
        if not kept:
            log.warning("outbox %s: lease lost before the outcome was recorded", row.id)
            return Outcome.LOST_LEASE
        if outcome is not Outcome.DELIVERED:
            log.info("outbox %s: %s (attempt %d)", row.id, outcome.value, row.attempts + 1)
        return outcome


async def run_dispatcher(dispatcher: Dispatcher, stop: asyncio.Event, idle_seconds: float = 5.0) -> None:
    """Deliver until `stop` is set: straight on while there is work, else every `idle_seconds`.

    On SQLite (one instance) the leases a dead predecessor held are freed first, so its
    messages go out at once instead of after their leases lapse.
    """
    if dispatcher.database.is_sqlite:
        try:
            freed = await release_all_leases(dispatcher.database)
        except Exception as error:  # they lapse by themselves within the lease time anyway
            log.warning("outbox: couldn't free leases at start (%s)", type(error).__name__)
            freed = 0
        if freed:
            log.warning("outbox: %d message(s) claimed by a process that stopped are taken back", freed)
    while not stop.is_set():
        try:
            report = await dispatcher.run_once()
        except Exception:  # the database may be briefly away; try again after a pause
            log.exception("outbox dispatch pass failed")
            report = DispatchReport()
        if report.claimed:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), idle_seconds)


def summarise(report: DispatchReport) -> str:
    return ", ".join(f"{count} {outcome.value}" for outcome, count in report.counts.items() if count) or "nothing due"
