"""The outbox: notices for people, stored with the change that caused them, sent later.

Rows move: pending -> claimed (a lease, so one dispatcher delivers it) -> delivered, or back
to pending with a later `next_attempt_at` (backoff), or dead (a dead letter) after too many
attempts or when nobody can be reached. A person's messages go in (`deliver_after`, `id`)
order: only the oldest pending one of each person is ever claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.messages import Notice, Reply
from bot.store.database import Database
from bot.store.tables import OutboxRow
from bot.store.upsert import insert_for


def add_notices(
    session: AsyncSession,
    school_id: str,
    notices: Sequence[Notice],
    *,
    now: datetime,
    deliver_after: datetime,
    request_id: int | None = None,
) -> None:
    """Queue notices in the caller's transaction, so they exist exactly when the change does."""
    for notice in notices:
        session.add(OutboxRow(**_row_values(school_id, notice, now, deliver_after, request_id)))


def _row_values(
    school_id: str, notice: Notice, now: datetime, deliver_after: datetime, request_id: int | None
) -> dict[str, object]:
    """The columns of a new outbox row for `notice`."""
    return {
        "school_id": school_id,
        "recipient_email": notice.recipient_email,
        "request_id": request_id,
        "reason": notice.reason,
        "reply": notice.reply.model_dump_json(),
        "created_at": now,
        "deliver_after": deliver_after,
        "attempts": 0,
    }


async def record_shown(
    database: Database,
    school_id: str,
    notice: Notice,
    *,
    now: datetime,
    request_id: int,
    platform: str,
    receipt: dict[str, str],
) -> None:
    """A message already shown in the person's own conversation (a reply, not sent through the outbox),
    recorded as delivered with where it landed, so it can be updated later like a delivered notice."""
    values = {**_row_values(school_id, notice, now, now, request_id),
              "delivered_at": now, "platform": platform, "receipt": dict(receipt), "attempts": 1}
    async with database.transaction() as session:
        session.add(OutboxRow(**values))


async def add_notice_once(
    session: AsyncSession,
    school_id: str,
    notice: Notice,
    *,
    dedupe_key: str,
    now: datetime,
    deliver_after: datetime,
    request_id: int | None = None,
) -> bool:
    """Queue a notice unless one with `dedupe_key` exists; True when this call queued it."""
    statement = (
        insert_for(session, OutboxRow)
        .values(**_row_values(school_id, notice, now, deliver_after, request_id), dedupe_key=dedupe_key)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxRow.id)
    )
    return (await session.scalar(statement)) is not None


async def add_notices_once(
    session: AsyncSession,
    school_id: str,
    items: Sequence[tuple[Notice, str]],
    *,
    now: datetime,
    deliver_after: datetime,
) -> int:
    """Queue many (notice, dedupe key) pairs at once, skipping keys already queued; returns how many were new."""
    queued = 0
    for start in range(0, len(items), _CHUNK):
        values = [
            {
                "school_id": school_id,
                "recipient_email": notice.recipient_email,
                "request_id": None,
                "reason": notice.reason,
                "reply": notice.reply.model_dump_json(),
                "created_at": now,
                "deliver_after": deliver_after,
                "attempts": 0,
                "dedupe_key": key,
            }
            for notice, key in items[start : start + _CHUNK]
        ]
        statement = (
            insert_for(session, OutboxRow)
            .values(values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxRow.id)
        )
        queued += len((await session.scalars(statement)).all())
    return queued


#: Rows per INSERT: well under SQLite's limit on bound parameters.
_CHUNK = 500


def _pending(row: type[OutboxRow] | Any) -> ColumnElement[bool]:
    return and_(row.delivered_at.is_(None), row.dead_at.is_(None))


async def list_undelivered(session: AsyncSession, school_id: str | None = None) -> list[OutboxRow]:
    """Notices neither delivered nor given up on, oldest first."""
    query = select(OutboxRow).where(_pending(OutboxRow)).order_by(OutboxRow.deliver_after, OutboxRow.id)
    if school_id is not None:
        query = query.where(OutboxRow.school_id == school_id)
    return list((await session.scalars(query)).all())


async def list_dead(session: AsyncSession, school_id: str | None = None) -> list[OutboxRow]:
    """Dead letters, oldest first."""
    query = select(OutboxRow).where(OutboxRow.dead_at.is_not(None)).order_by(OutboxRow.id)
    if school_id is not None:
        query = query.where(OutboxRow.school_id == school_id)
    return list((await session.scalars(query)).all())


async def count_dead(database: Database) -> int:
    """How many dead letters wait for a person to look at them (for /healthz)."""
    async with database.reading() as session:
        count = await session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.dead_at.is_not(None)))
    return int(count or 0)


async def claim_due(database: Database, *, now: datetime, lease_until: datetime, token: str, limit: int) -> list[int]:
    """Lease up to `limit` due rows, at most one per person (their oldest pending); returns their ids.

    One statement: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) on PostgreSQL, so
    dispatchers on several instances never take the same row; SQLite serialises writers.
    """
    candidate = aliased(OutboxRow)
    earlier = aliased(OutboxRow)
    blocked = exists().where(
        earlier.school_id == candidate.school_id,
        earlier.recipient_email == candidate.recipient_email,
        _pending(earlier),
        or_(
            earlier.deliver_after < candidate.deliver_after,
            and_(earlier.deliver_after == candidate.deliver_after, earlier.id < candidate.id),
        ),
    )
    claimable = (
        select(candidate.id)
        .where(
            _pending(candidate),
            candidate.deliver_after <= now,
            or_(candidate.next_attempt_at.is_(None), candidate.next_attempt_at <= now),
            or_(candidate.lease_until.is_(None), candidate.lease_until <= now),
            ~blocked,
        )
        .order_by(candidate.deliver_after, candidate.id)
        .limit(limit)
    )
    async with database.transaction() as session:
        if not database.is_sqlite:
            claimable = claimable.with_for_update(skip_locked=True, of=candidate)
        statement = (
            update(OutboxRow)
            .where(
                OutboxRow.id.in_(claimable.scalar_subquery()),
                _pending(OutboxRow),
                or_(OutboxRow.lease_until.is_(None), OutboxRow.lease_until <= now),
            )
            .values(lease_until=lease_until, lease_token=token, sends_started=OutboxRow.sends_started + 1)
            .returning(OutboxRow.id)
            .execution_options(synchronize_session=False)
        )
        return sorted((await session.scalars(statement)).all())


async def load_claimed(database: Database, ids: Sequence[int]) -> list[OutboxRow]:
    async with database.reading() as session:
        rows = await session.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids)).order_by(OutboxRow.id))
        return list(rows.all())


async def renew_leases(database: Database, token: str, lease_until: datetime) -> int:
    """Extend the leases a dispatcher still holds (while its deliveries are in flight)."""
    async with database.transaction() as session:
        result = await session.execute(
            update(OutboxRow)
            .where(OutboxRow.lease_token == token, _pending(OutboxRow))
            .values(lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))


async def release_all_leases(database: Database) -> int:
    """Free every lease: for a single instance starting up (SQLite), whose predecessor died holding them."""
    async with database.transaction() as session:
        result = await session.execute(
            update(OutboxRow)
            .where(OutboxRow.lease_token.is_not(None), _pending(OutboxRow))
            .values(lease_until=None, lease_token=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))


def _leased(row_id: int, token: str) -> tuple[ColumnElement[bool], ...]:
    return (OutboxRow.id == row_id, OutboxRow.lease_token == token, _pending(OutboxRow))


async def record_delivered(
    session: AsyncSession, row_id: int, token: str, *, now: datetime, platform: str, receipt: dict[str, str]
) -> bool:
    """Mark a leased row delivered; False if the lease was lost (someone else holds it now)."""
    result = await session.execute(
        update(OutboxRow)
        .where(*_leased(row_id, token))
        .values(
            delivered_at=now,
            platform=platform,
            receipt=dict(receipt),
            attempts=OutboxRow.attempts + 1,
            lease_until=None,
            lease_token=None,
            last_error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def record_retry(
    session: AsyncSession, row_id: int, token: str, *, next_attempt_at: datetime, error: str, count: bool = True
) -> bool:
    """Give a leased row back for a later try (`count=False`: held, not a failed attempt)."""
    values: dict[str, Any] = {"next_attempt_at": next_attempt_at, "lease_until": None, "lease_token": None}
    if count:
        values.update(attempts=OutboxRow.attempts + 1, last_error=error)
    else:
        values["sends_started"] = OutboxRow.sends_started - 1  # held before sending: this claim sent nothing
    result = await session.execute(
        update(OutboxRow).where(*_leased(row_id, token)).values(**values).execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def record_dead(session: AsyncSession, row_id: int, token: str, *, now: datetime, error: str,
                      count: bool = True) -> bool:
    """Give up on a leased row: it becomes a dead letter."""
    values: dict[str, Any] = {"dead_at": now, "lease_until": None, "lease_token": None, "last_error": error}
    if count:
        values["attempts"] = OutboxRow.attempts + 1
    result = await session.execute(
        update(OutboxRow).where(*_leased(row_id, token)).values(**values).execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def requeue_dead(database: Database, ids: Sequence[int], now: datetime) -> int:
    """Put dead letters back in the queue (after the person has opened the app); returns how many."""
    async with database.transaction() as session:
        result = await session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(ids), OutboxRow.dead_at.is_not(None), OutboxRow.delivered_at.is_(None))
            .values(dead_at=None, attempts=0, next_attempt_at=None, last_error=None, deliver_after=now)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    pending: int
    dead: int
    oldest_pending: datetime | None


async def outbox_counts(database: Database) -> OutboxCounts:
    async with database.reading() as session:
        pending = await session.scalar(select(func.count()).select_from(OutboxRow).where(_pending(OutboxRow)))
        oldest = await session.scalar(select(func.min(OutboxRow.deliver_after)).where(_pending(OutboxRow)))
    return OutboxCounts(int(pending or 0), await count_dead(database), oldest)


def read_notice(row: OutboxRow) -> Notice:
    """The stored notice as the neutral model."""
    return Notice(
        recipient_email=row.recipient_email,
        reply=Reply.model_validate_json(row.reply),
        reason=row.reason,
    )


async def delivered_on(
    database: Database, request_id: int, platform: str | None, reasons: Sequence[str]
) -> list[OutboxRow]:
    """A request's notices of these kinds that `platform` (None: any platform) took, with where they landed
    (oldest first)."""
    conditions = [
        OutboxRow.request_id == request_id,
        OutboxRow.delivered_at.is_not(None),
        OutboxRow.receipt.is_not(None),
        OutboxRow.reason.in_(list(reasons)),
    ]
    if platform is not None:
        conditions.append(OutboxRow.platform == platform)
    async with database.reading() as session:
        rows = await session.scalars(select(OutboxRow).where(*conditions).order_by(OutboxRow.id))
        return list(rows.all())
