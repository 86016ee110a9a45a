"""The retention purge: one rule per table, each removing what is past the school's schedule, in batches.

`RULES` is the registry: a table with personal data gets one entry here (an `AgeRule`
when a single timestamp column decides, like the question log). Each rule finds the
ids that are due, a batch at a time, and removes them in its own short transaction, so
the server keeps answering on SQLite and PostgreSQL while a large purge runs. Only
counts are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, Date, Table, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.release import audit_released
from bot.privacy.schedule import Retention, requests_kept_from
from bot.requests.states import FINAL_STATES, RequestState
from bot.school import School
from bot.school.config import SchoolConfig
from bot.store.database import Database
from bot.store.tables import AuditRow, Base, OutboxRow, PlatformAccountRow, RequestRow

log = logging.getLogger(__name__)

#: Rows removed per transaction: small enough that other writers wait milliseconds, not seconds.
BATCH_SIZE = 500

#: States in which a request is closed (approved ones too, once their last day has passed).
CLOSED_STATES = tuple(sorted({*(state.value for state in FINAL_STATES), RequestState.APPROVED.value}))


@dataclass(frozen=True, slots=True)
class PurgeContext:
    """What a rule needs to decide what is due: the school, its schedule, and now."""

    school: School
    now: datetime

    @property
    def retention(self) -> Retention:
        return self.school.config.retention


class PurgeRule(Protocol):
    """One table's retention: what is kept, and how to find and remove what is not."""

    @property
    def name(self) -> str: ...

    @property
    def table(self) -> str: ...

    def describe(self, config: SchoolConfig) -> str: ...

    async def prepare(self, session: AsyncSession, context: PurgeContext) -> None: ...

    async def due(self, session: AsyncSession, context: PurgeContext, limit: int | None) -> list[int]: ...

    async def remove(self, session: AsyncSession, context: PurgeContext, ids: Sequence[int]) -> None: ...


class _NoPreparation:
    async def prepare(self, session: AsyncSession, context: PurgeContext) -> None:
        return None


@dataclass(frozen=True)
class ClosedRequestsRule(_NoPreparation):
    """Requests closed before the academic-year cut-off, with their audit entries and messages."""

    name: str = "requests"
    table: str = "requests"

    def describe(self, config: SchoolConfig) -> str:
        years = config.retention.decided_requests_academic_years
        after = {1: "the next academic year", 2: "the academic year after next"}.get(
            years, f"the academic year {years} years later")
        return (f"decided, cancelled or expired requests and their audit entries: to 31 August at the end of "
                f"{after} (an approved one counts from its last day); pending ones are kept")

    async def due(self, session: AsyncSession, context: PurgeContext, limit: int | None) -> list[int]:
        calendar = context.school.calendar
        years = context.retention.decided_requests_academic_years
        cut_off = requests_kept_from(calendar.local_date(context.now), years)
        cut_off_instant = calendar.at(cut_off, time(0, 0))
        query = select(RequestRow.id).where(
            RequestRow.school_id == context.school.id,
            RequestRow.state.in_(CLOSED_STATES),
            RequestRow.updated_at < cut_off_instant,
            RequestRow.end_date < cut_off,
        ).limit(limit)  # any order: sorting every remaining row per batch would cost more
        return list(await session.scalars(query))

    async def remove(self, session: AsyncSession, context: PurgeContext, ids: Sequence[int]) -> None:
        # A dead letter about the request stays for a person to resolve; it just no longer points at it.
        await session.execute(delete(OutboxRow).where(OutboxRow.request_id.in_(ids), OutboxRow.dead_at.is_(None)))
        await session.execute(update(OutboxRow).where(OutboxRow.request_id.in_(ids)).values(request_id=None))
        async with audit_released(session, "purge", context.now):
            await session.execute(delete(AuditRow).where(AuditRow.request_id.in_(ids)))
        await session.execute(delete(RequestRow).where(RequestRow.id.in_(ids)))


@dataclass(frozen=True)
class AgeRule(_NoPreparation):
    """Rows of `table` whose `column` (a timestamp, or a day) is older than a number of days."""

    name: str
    table: str
    column: str
    days: Callable[[SchoolConfig], int]
    what: str
    #: Extra condition on the rows (e.g. only delivered messages).
    only: Callable[[Table], ColumnElement[bool]] | None = field(default=None)

    def describe(self, config: SchoolConfig) -> str:
        return f"{self.what}: {self.days(config)} days"

    def _table(self) -> Table:
        table = Base.metadata.tables[self.table]
        if self.column not in table.c:
            raise LookupError(f"retention rule {self.name}: {self.table} has no column {self.column}")
        return table

    async def due(self, session: AsyncSession, context: PurgeContext, limit: int | None) -> list[int]:
        table = self._table()
        column = table.c[self.column]
        limit_instant = context.now - timedelta(days=self.days(context.school.config))
        is_day = isinstance(column.type, Date)
        threshold = context.school.calendar.local_date(limit_instant) if is_day else limit_instant
        conditions = [column < threshold]
        if "school_id" in table.c:
            conditions.append(table.c.school_id == context.school.id)
        if self.only is not None:
            conditions.append(self.only(table))
        query = select(table.c.id).where(and_(*conditions)).limit(limit)
        return list(await session.scalars(query))

    async def remove(self, session: AsyncSession, context: PurgeContext, ids: Sequence[int]) -> None:
        table = self._table()
        await session.execute(delete(table).where(table.c.id.in_(ids)))


@dataclass(frozen=True)
class FormerStaffAccountsRule:
    """Chat accounts of people no longer in the directory, some days after the purge first noticed."""

    name: str = "platform_accounts"
    table: str = "platform_accounts"

    def describe(self, config: SchoolConfig) -> str:
        return (f"chat accounts of people no longer in the staff directory: "
                f"{config.retention.former_staff_account_days} days after they leave it")

    async def prepare(self, session: AsyncSession, context: PurgeContext) -> None:
        """Note when each account's person left the directory; forget it if they came back."""
        directory = context.school.directory
        rows = await session.execute(
            select(PlatformAccountRow.id, PlatformAccountRow.platform, PlatformAccountRow.user_id,
                   PlatformAccountRow.email, PlatformAccountRow.left_directory_at)
            .where(PlatformAccountRow.school_id == context.school.id)
        )
        gone, back = [], []
        for account_id, platform, user_id, email, left in rows.all():
            present = directory.get(email) is not None or _listed_by_id(context.school, platform, user_id)
            if not present and left is None:
                gone.append(account_id)
            elif present and left is not None:
                back.append(account_id)
        for ids, value in ((gone, context.now), (back, None)):
            for start in range(0, len(ids), BATCH_SIZE):
                chunk = ids[start:start + BATCH_SIZE]
                await session.execute(
                    update(PlatformAccountRow).where(PlatformAccountRow.id.in_(chunk)).values(left_directory_at=value)
                )

    async def due(self, session: AsyncSession, context: PurgeContext, limit: int | None) -> list[int]:
        limit_instant = context.now - timedelta(days=context.retention.former_staff_account_days)
        query = select(PlatformAccountRow.id).where(
            PlatformAccountRow.school_id == context.school.id,
            PlatformAccountRow.left_directory_at.is_not(None),
            PlatformAccountRow.left_directory_at <= limit_instant,
        ).limit(limit)
        return list(await session.scalars(query))

    async def remove(self, session: AsyncSession, context: PurgeContext, ids: Sequence[int]) -> None:
        await session.execute(delete(PlatformAccountRow).where(PlatformAccountRow.id.in_(ids)))


def _listed_by_id(school: School, platform: str, user_id: str) -> bool:
    from bot.messages import Person

    return school.directory.find_person(Person(platform=platform, user_id=user_id)) is not None


def _delivered(table: Table) -> ColumnElement[bool]:
    return table.c.delivered_at.is_not(None)


#: Every retention rule, in the order the purge runs them. A new table with personal data is one entry.
RULES: tuple[PurgeRule, ...] = (
    ClosedRequestsRule(),
    AgeRule("check_ins", "check_ins", "day", lambda c: c.retention.check_in_days,
            "check-in records, by the day they were about"),
    AgeRule("outbox", "outbox", "delivered_at", lambda c: c.retention.delivered_message_days,
            "delivered messages (dead letters are kept until resolved)", only=_delivered),
    # The question log's only purge: an answered question has a row only once 👎 or 👍 was pressed (bot/questions).
    AgeRule("question_log", "question_log", "asked_on", lambda c: c.question_log.retention_days,
            "declined questions, answers marked 👎 and the marks of 👍, without who asked "
            "(question_log.retention_days)"),
    FormerStaffAccountsRule(),
)


def active_rules(rules: Sequence[PurgeRule] = RULES) -> list[PurgeRule]:
    """The rules whose table this version of the schema has."""
    return [rule for rule in rules if rule.table in Base.metadata.tables]


@dataclass
class PurgeReport:
    """How many rows each rule removed (or would remove, on a dry run)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in self.counts.items())


async def count_due(database: Database, school: School, now: datetime) -> PurgeReport:
    """What a purge would remove now, changing nothing (`staffroom data purge --dry-run`)."""
    context = PurgeContext(school, now)
    report = PurgeReport()
    async with database.reading() as session:
        for rule in active_rules():
            # An account not yet noticed as gone starts its window at the next real purge.
            report.counts[rule.name] = len(await rule.due(session, context, None))
    return report


async def purge(database: Database, school: School, now: datetime, *, batch_size: int = BATCH_SIZE) -> PurgeReport:
    """Remove everything past its retention, one short transaction per batch."""
    context = PurgeContext(school, now)
    report = PurgeReport()
    for rule in active_rules():
        async with database.transaction() as session:
            await rule.prepare(session, context)
        removed = 0
        while True:
            async with database.transaction() as session:
                ids = await rule.due(session, context, batch_size)
                if ids:
                    await rule.remove(session, context, ids)
            removed += len(ids)
            if len(ids) < batch_size:
                break
        report.counts[rule.name] = removed
    log.info("retention purge for %s: %s", school.id, report.summary())
    return report


async def count_rows(database: Database, rule: PurgeRule, school: School) -> int:
    """How many rows of the rule's table belong to the school (for reports and tests)."""
    table = Base.metadata.tables[rule.table]
    query = select(func.count()).select_from(table)
    if "school_id" in table.c:
        query = query.where(table.c.school_id == school.id)
    async with database.reading() as session:
        return int(await session.scalar(query) or 0)

