"""Events already handled: a platform's retry or a replayed payload is recognised and ignored.

Kept in the database, so it holds across restarts and across several instances.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.store.database import Database
from bot.store.tables import ProcessedEventRow
from bot.store.upsert import insert_in

#: Platforms retry for minutes, not days; a week is plenty to recognise a replay.
KEEP_EVENTS_FOR = timedelta(days=7)


async def first_sighting(database: Database, platform: str, event_id: str, now: datetime) -> bool:
    """True the first time `event_id` is seen on `platform`, False for every retry after it."""
    return bool(await first_sightings(database, platform, [event_id], now))


async def first_sightings(database: Database, platform: str, event_ids: list[str], now: datetime) -> set[str]:
    """Of `event_ids` (cut to 255 characters), those seen for the first time: one statement, one commit."""
    unique = list(dict.fromkeys(event_id[:255] for event_id in event_ids))
    if not unique:
        return set()
    table = ProcessedEventRow.__table__  # the table itself: the ORM's bulk-values handling adds nothing here
    # One statement whatever the batch's size, the rows as parameters: compiled once and cached. (A
    # multi-row `.values([...])` has no cache key, so it was compiled again for every batch.) The
    # driver still sends one multi-row INSERT … RETURNING ("insertmanyvalues").
    statement = (
        insert_in(database.engine.dialect.name, table)
        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        .returning(table.c.event_id)
    )
    rows = [{"platform": platform, "event_id": key, "received_at": now} for key in unique]
    # A plain connection, not an ORM session: this runs for every event, and the ORM adds nothing here.
    async with database.engine.begin() as connection:
        return set((await connection.execute(statement, rows)).scalars().all())


async def forget_old_events(database: Database, now: datetime) -> int:
    """Delete events older than `KEEP_EVENTS_FOR`; returns how many went."""
    async with database.transaction() as session:
        result = await session.execute(
            delete(ProcessedEventRow).where(ProcessedEventRow.received_at < now - KEEP_EVENTS_FOR)
        )
    return int(getattr(result, "rowcount", 0) or 0)
