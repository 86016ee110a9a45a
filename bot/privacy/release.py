"""Open the append-only audit log for one transaction: to the purge (delete) or to an erasure (update).

The database's triggers (migration 0004) refuse every change to `audit_log` unless the
changing transaction holds an `audit_releases` row with the matching purpose. The row is
added and removed inside the caller's transaction, so nothing else ever sees it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.tables import AuditReleaseRow


@asynccontextmanager
async def audit_released(session: AsyncSession, purpose: Literal["purge", "erase"],
                         now: datetime) -> AsyncIterator[None]:
    """Inside this block (and this session's transaction), the audit log accepts `purpose`'s changes."""
    release_id = await session.scalar(
        insert(AuditReleaseRow).values(purpose=purpose, at=now).returning(AuditReleaseRow.id))
    yield
    await session.execute(delete(AuditReleaseRow).where(AuditReleaseRow.id == release_id))
