"""Rows for the data-protection tests, written straight into the tables at chosen times."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.messages import Reply
from bot.store.database import Database
from bot.store.tables import AuditRow, Base, CheckInRow, OutboxRow, PlatformAccountRow, RequestRow

SCHOOL_ID = "demo"


async def add_request(database: Database, *, requester: str, state: str, closed_at: datetime, start: date,
                      end: date | None = None, chain: list[str] | None = None, note: str = "",
                      audit: list[tuple[str, str, str]] | None = None, details: dict[str, Any] | None = None,
                      step: int = 0) -> int:
    """A request last changed at `closed_at`, with audit entries (actor, event, note)."""
    async with database.transaction() as session:
        row = RequestRow(school_id=SCHOOL_ID, type="wfh", requester_email=requester, state=state, step=step,
                         chain=chain or [], start_date=start, end_date=end or start, weekday=None,
                         details=details or {"part_of_day": "whole_day", "reason_category": "specific_task"},
                         note=note, created_at=closed_at, updated_at=closed_at, step_started_at=closed_at)
        session.add(row)
        await session.flush()
        for actor, event, text in audit or [(requester, "submit", "")]:
            session.add(AuditRow(request_id=row.id, school_id=SCHOOL_ID, actor_email=actor, at=closed_at,
                                 event=event, from_state=None, to_state=state, step=0, note=text))
        return row.id


async def add_message(database: Database, *, recipient: str, at: datetime, delivered: datetime | None = None,
                      dead: datetime | None = None, request_id: int | None = None, text: str = "Hello") -> int:
    reply = Reply(text=text).model_dump_json()
    async with database.transaction() as session:
        row = OutboxRow(school_id=SCHOOL_ID, recipient_email=recipient, request_id=request_id, reason="test",
                        reply=reply, created_at=at, deliver_after=at, delivered_at=delivered, dead_at=dead,
                        attempts=0)
        session.add(row)
        await session.flush()
        return row.id


async def add_check_in(database: Database, *, staff: str, manager: str, day: date, at: datetime) -> int:
    async with database.transaction() as session:
        row = CheckInRow(school_id=SCHOOL_ID, staff_email=staff, day=day, manager_email=manager, recorded_at=at)
        session.add(row)
        await session.flush()
        return row.id


async def add_account(database: Database, *, user_id: str, email: str | None, at: datetime,
                      platform: str = "slack") -> int:
    async with database.transaction() as session:
        row = PlatformAccountRow(school_id=SCHOOL_ID, platform=platform, workspace="T0", user_id=user_id,
                                 email=email, conversation={"platform": platform, "user_id": user_id},
                                 first_seen=at, last_seen=at)
        session.add(row)
        await session.flush()
        return row.id


async def ids_of(database: Database, table: type[Base]) -> set[int]:
    async with database.reading() as session:
        return set(await session.scalars(select(table.id)))  # type: ignore[attr-defined]


async def count_of(database: Database, table: type[Base]) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)
