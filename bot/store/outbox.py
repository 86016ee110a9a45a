"""The outbox: notices for people, stored with the change that caused them, sent later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Notice, Reply
from bot.store.tables import OutboxRow


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
        session.add(
            OutboxRow(
                school_id=school_id,
                recipient_email=notice.recipient_email,
                request_id=request_id,
                reason=notice.reason,
                reply=notice.reply.model_dump_json(),
                created_at=now,
                deliver_after=deliver_after,
                attempts=0,
            )
        )


async def list_undelivered(session: AsyncSession, school_id: str | None = None) -> list[OutboxRow]:
    """Notices not yet delivered, oldest first (delivery itself is a later issue's job)."""
    query = select(OutboxRow).where(OutboxRow.delivered_at.is_(None)).order_by(OutboxRow.id)
    if school_id is not None:
        query = query.where(OutboxRow.school_id == school_id)
    return list((await session.scalars(query)).all())


def read_notice(row: OutboxRow) -> Notice:
    """The stored notice as the neutral model."""
    return Notice(
        recipient_email=row.recipient_email,
        reply=Reply.model_validate_json(row.reply),
        reason=row.reason,
    )
