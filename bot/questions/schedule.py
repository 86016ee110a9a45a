"""The question log's timed job in `staffroom serve`: the policy lead's weekly digest.

`questions.digest`, on the last working day of the week at `question_log.digest_time`:
the week's logged questions, grouped, to the policy lead through the outbox. Like a
check-in prompt it is sent only in working hours; if its time passed while the service
was down and working hours are over, it is recorded as dropped and logged. It is taken
once per school and day through the `scheduled_runs` table, the same mechanism as the
check-in jobs (`bot.checkins.scheduler`), so several instances on one PostgreSQL database
send one digest.

Old questions are not deleted here: the daily retention purge does that for every table
(`bot.privacy.retention`, the `question_log` rule, after `question_log.retention_days`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.questions.digest import plan_digest
from bot.school import School
from bot.store.database import Database
from bot.store.outbox import add_notices_once
from bot.store.tables import ScheduledRunRow
from bot.store.upsert import insert_for
from intents.text import Analyzer

log = logging.getLogger(__name__)


class QuestionJob(StrEnum):
    DIGEST = "questions.digest"


async def take_run(session: AsyncSession, school_id: str, kind: str, day: date, outcome: str,
                   now: datetime) -> int | None:
    """Claim (school, kind, day) in `scheduled_runs`; None when another scheduler already has it."""
    statement = (
        insert_for(session, ScheduledRunRow)
        .values(school_id=school_id, kind=kind, day=day, outcome=outcome, at=now, messages=0)
        .on_conflict_do_nothing(index_elements=["school_id", "kind", "day"])
        .returning(ScheduledRunRow.id)
    )
    run_id: int | None = await session.scalar(statement)
    return run_id


def digest_due(school: School, day: date) -> datetime | None:
    """When the weekly digest goes on `day`, or None (not the week's last working day, or switched off)."""
    settings = school.config.question_log
    if not settings.weekly_digest or not school.calendar.last_working_day_of_week(day):
        return None
    return school.calendar.at(day, settings.digest_time)


class QuestionJobs:
    """Looks at the clock on each tick and runs what is due; safe to run on every instance."""

    def __init__(self, schools: Sequence[School], database: Database, clock: Clock,
                 analyzer: Callable[[], Analyzer | None] = lambda: None) -> None:
        self.schools = tuple(schools)
        self.database = database
        self.clock = clock
        #: The router's analyzer (the current one: teaching may replace the router) to group questions.
        self.analyzer = analyzer

    async def tick(self) -> int:
        """Run what is due now; returns how many digests were queued."""
        now = self.clock.now()
        done = 0
        for school in self.schools:
            today = school.calendar.local_date(now)
            due = digest_due(school, today)
            if due is not None and now >= due:
                done += await self.send_digest(school, today, now)
        return done

    async def send_digest(self, school: School, day: date, now: datetime) -> int:
        """The week's digest to the policy lead, once; dropped (and logged) when working hours are over."""
        in_time = school.calendar.is_working_time(now)
        async with self.database.transaction() as session:
            outcome = "sent" if in_time else "dropped"
            run_id = await take_run(session, school.id, QuestionJob.DIGEST.value, day, outcome, now)
            if run_id is None:
                return 0
            if not in_time:
                log.warning("%s for %s on %s dropped: its time passed while the service was down",
                            QuestionJob.DIGEST.value, school.id, day.isoformat())
                return 0
            planned = await plan_digest(session, school, day, self.analyzer())
            queued = 0
            if planned is not None:
                notice, key = planned
                queued = await add_notices_once(session, school.id, [(notice, key)], now=now, deliver_after=now)
            await session.execute(update(ScheduledRunRow).where(ScheduledRunRow.id == run_id).values(messages=queued))
        log.info("%s for %s on %s: %d message(s) queued", QuestionJob.DIGEST.value, school.id, day.isoformat(), queued)
        return queued
