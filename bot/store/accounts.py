"""Chat accounts we have met: which staff member each is, and where to message them later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.messages import ConversationRef
from bot.store.database import Database
from bot.store.tables import PlatformAccountRow
from bot.store.upsert import insert_for


async def remember_account(
    database: Database,
    *,
    school_id: str,
    platform: str,
    workspace: str,
    user_id: str,
    email: str | None,
    now: datetime,
    conversation: ConversationRef | None = None,
) -> None:
    """Record (or refresh) an account; a known email or conversation is never wiped by a None."""
    values = {
        "school_id": school_id,
        "platform": platform,
        "workspace": workspace,
        "user_id": user_id,
        "email": email.lower() if email else None,
        "conversation": conversation.model_dump(mode="json") if conversation else None,
        "first_seen": now,
        "last_seen": now,
    }
    updates: dict[str, object] = {"last_seen": now, "school_id": school_id}
    if email:
        updates["email"] = email.lower()
    if conversation is not None:
        updates["conversation"] = values["conversation"]
    async with database.transaction() as session:
        statement = insert_for(session, PlatformAccountRow).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["platform", "workspace", "user_id"], set_=updates
        )
        await session.execute(statement)


async def find_account(database: Database, platform: str, workspace: str, user_id: str) -> PlatformAccountRow | None:
    """The account with this platform user id, if we have met it."""
    async with database.reading() as session:
        return await session.scalar(
            select(PlatformAccountRow).where(
                PlatformAccountRow.platform == platform,
                PlatformAccountRow.workspace == workspace,
                PlatformAccountRow.user_id == user_id,
            )
        )


async def accounts_of(database: Database, school_id: str, email: str) -> list[PlatformAccountRow]:
    """Every account of a staff member, most recently used first (where to deliver to them)."""
    async with database.reading() as session:
        rows = await session.scalars(
            select(PlatformAccountRow)
            .where(PlatformAccountRow.school_id == school_id, PlatformAccountRow.email == email.lower())
            .order_by(PlatformAccountRow.last_seen.desc(), PlatformAccountRow.id.desc())
        )
        return list(rows.all())


def conversation_of(row: PlatformAccountRow) -> ConversationRef | None:
    """The stored conversation as the neutral model (None when never recorded)."""
    return ConversationRef.model_validate(row.conversation) if row.conversation else None
