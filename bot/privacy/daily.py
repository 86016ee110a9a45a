"""The daily retention purge under `staffroom serve`: taken once per school and day, by one instance.

Like the check-in jobs (bot/checkins/scheduler.py), the day's purge is taken by inserting
its (school, "privacy.purge", day) row into `scheduled_runs`; another instance's insert
finds the row and does nothing. It runs on the first tick after `PURGE_FROM` local time.
"""

from __future__ import annotations

import logging
from datetime import time

from sqlalchemy import update

from bot.background import Repeating
from bot.clock import Clock
from bot.privacy.retention import PurgeReport, purge
from bot.school import School
from bot.store.database import Database
from bot.store.tables import ScheduledRunRow
from bot.store.upsert import insert_for

log = logging.getLogger(__name__)

#: The `scheduled_runs` kind of the purge.
PURGE_JOB = "privacy.purge"
#: Local time after which the day's purge may run (quiet hours first; any later tick catches up).
PURGE_FROM = time(2, 0)
#: Seconds between looks at the clock.
TICK_SECONDS = 600.0


class DailyPurge:
    """Runs the day's purge once across every instance sharing the database."""

    def __init__(self, school: School, database: Database, clock: Clock) -> None:
        self.school = school
        self.database = database
        self.clock = clock
        self._job = Repeating("retention purge", self.tick, TICK_SECONDS)

    async def tick(self) -> PurgeReport | None:
        """Purge if today's run is due and not taken; the report, or None when nothing ran here."""
        now = self.clock.now()
        calendar = self.school.calendar
        today = calendar.local_date(now)
        if now < calendar.at(today, PURGE_FROM):
            return None
        async with self.database.transaction() as session:
            statement = (
                insert_for(session, ScheduledRunRow)
                .values(school_id=self.school.id, kind=PURGE_JOB, day=today, outcome="sent", at=now, messages=0)
                .on_conflict_do_nothing(index_elements=["school_id", "kind", "day"])
                .returning(ScheduledRunRow.id)
            )
            run_id = await session.scalar(statement)
        if run_id is None:
            return None  # today's purge was taken (here earlier, or by another instance)
        report = await purge(self.database, self.school, now)
        async with self.database.transaction() as session:
            await session.execute(update(ScheduledRunRow).where(ScheduledRunRow.id == run_id)
                                  .values(outcome="done"))
        return report

    def start(self) -> None:
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()

