"""When check-in messages go out, taken once per school, job and day by whichever scheduler gets there first.

Each working day (never a weekend, bank holiday, closure or holiday; INSET days count):
- `checkin.morning` (when the school turns it on): "How's today going?" to each member of
  staff working from home;
- `checkin.prompts` at the check-in time (default 10:00): one message to each line manager
  with reports working from home;
- `checkin.weekly` on the last working day of the week: each line manager's reports without
  a recorded check-in, and the headteacher's counts.

A job is taken by inserting its (school, kind, day) row into `scheduled_runs`; a second
scheduler's insert finds the row and does nothing, and each message also has a unique
outbox key (school + recipient + day). A job whose time passed while the service was down
is run on restart only while that day's working hours last; otherwise it is recorded as
dropped and logged, never sent late.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.prompts import render_head_summary, render_morning_message, render_prompt, render_unchecked
from bot.checkins.report import report_week
from bot.checkins.roster import by_line_manager, home_workers
from bot.clock import Clock
from bot.messages import Notice
from bot.school import Role, School
from bot.store.database import Database
from bot.store.outbox import add_notices_once
from bot.store.tables import ScheduledRunRow
from bot.store.upsert import insert_for

log = logging.getLogger(__name__)

#: How many past days a restarted scheduler looks back over to log what it missed.
LOOK_BACK_DAYS = 7


class Job(StrEnum):
    MORNING = "checkin.morning"
    PROMPTS = "checkin.prompts"
    WEEKLY = "checkin.weekly"


class RunOutcome(StrEnum):
    SENT = "sent"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Planned:
    """One message a job sends: to whom, why, and its once-only key."""

    notice: Notice
    dedupe_key: str


def jobs_on(school: School, day: date) -> list[tuple[Job, datetime]]:
    """The jobs due on `day` and when, in time order (none on a day that isn't a working day)."""
    settings = school.config.check_ins
    calendar = school.calendar
    if not settings.enabled or not calendar.is_working_day(day):
        return []
    jobs = [(Job.PROMPTS, calendar.at(day, settings.prompt_time))]
    if settings.morning_message:
        jobs.append((Job.MORNING, calendar.at(day, settings.morning_message_time)))
    if calendar.last_working_day_of_week(day):
        jobs.append((Job.WEEKLY, calendar.at(day, settings.weekly_summary_time)))
    return sorted(jobs, key=lambda job: job[1])


async def plan_job(session: AsyncSession, school: School, job: Job, day: date) -> list[Planned]:
    """The messages `job` sends on `day`, worked out from the approved requests as they are now."""
    key = f"{job.value}:{school.id}"
    if job is Job.WEEKLY:
        return await _plan_weekly(session, school, day)
    workers = (await home_workers(session, school, day, day)).get(day, [])
    if job is Job.MORNING:
        return [
            Planned(Notice(recipient_email=w.member.email, reply=render_morning_message(w.member.email, day),
                           reason=job.value), f"{key}:{w.member.email}:{day.isoformat()}")
            for w in workers
        ]
    return [
        Planned(Notice(recipient_email=manager, reply=render_prompt(reports, day), reason=job.value),
                f"{key}:{manager}:{day.isoformat()}")
        for manager, reports in sorted(by_line_manager(workers, school).items())
    ]


async def _plan_weekly(session: AsyncSession, school: School, day: date) -> list[Planned]:
    report = await report_week(session, school, day, until=day)
    key = f"{Job.WEEKLY.value}:{school.id}"
    planned = [
        Planned(Notice(recipient_email=manager, reply=render_unchecked(names, report.first, day),
                       reason="checkin.unchecked"), f"{key}:{manager}:{day.isoformat()}")
        for manager, names in sorted(report.unchecked.items())
    ]
    head = school.directory.holder_of(Role.HEADTEACHER)
    if head is not None and report.staff_days:
        reply = render_head_summary(report.staff, report.staff_days, report.checked_days, report.first, day)
        planned.append(Planned(Notice(recipient_email=head.email, reply=reply, reason="checkin.summary"),
                               f"{key}:summary:{head.email}:{day.isoformat()}"))
    return planned


class CheckInScheduler:
    """Looks at the clock on each tick and runs the jobs that are due; safe to run on every instance."""

    def __init__(self, schools: Sequence[School], database: Database, clock: Clock) -> None:
        self.schools = tuple(schools)
        self.database = database
        self.clock = clock
        self._looked_back = False

    async def tick(self) -> int:
        """Run what is due now; returns how many messages were queued."""
        now = self.clock.now()
        if not self._looked_back:
            await self._log_missed_days(now)
            self._looked_back = True
        queued = 0
        for school in self.schools:
            today = school.calendar.local_date(now)
            for job, due in jobs_on(school, today):
                if now >= due:
                    queued += await self.run_job(school, job, today, now)
        return queued

    async def _taken(self, school: School, job: Job, day: date) -> bool:
        async with self.database.reading() as session:
            found = await session.scalar(select(ScheduledRunRow.id).where(
                ScheduledRunRow.school_id == school.id, ScheduledRunRow.kind == job.value, ScheduledRunRow.day == day))
        return found is not None

    async def run_job(self, school: School, job: Job, day: date, now: datetime) -> int:
        """Take the job once (across instances); send it if still in working hours, else drop and log."""
        if await self._taken(school, job, day):
            return 0
        in_time = school.calendar.local_date(now) == day and school.calendar.is_working_time(now)
        outcome = RunOutcome.SENT if in_time else RunOutcome.DROPPED
        async with self.database.transaction() as session:
            statement = (
                insert_for(session, ScheduledRunRow)
                .values(school_id=school.id, kind=job.value, day=day, outcome=outcome.value, at=now, messages=0)
                .on_conflict_do_nothing(index_elements=["school_id", "kind", "day"])
                .returning(ScheduledRunRow.id)
            )
            run_id = await session.scalar(statement)
            if run_id is None:
                return 0  # another scheduler took it
            if outcome is RunOutcome.DROPPED:
                log.warning("%s for %s on %s dropped: its time passed while the service was down",
                            job.value, school.id, day.isoformat())
                return 0
            planned = await plan_job(session, school, job, day)
            queued = await add_notices_once(
                session, school.id, [(p.notice, p.dedupe_key) for p in planned], now=now, deliver_after=now
            )
            await session.execute(update(ScheduledRunRow).where(ScheduledRunRow.id == run_id).values(messages=queued))
        log.info("%s for %s on %s: %d message(s) queued", job.value, school.id, day.isoformat(), queued)
        return queued

    async def _log_missed_days(self, now: datetime) -> None:
        """After a restart: jobs of earlier days that never ran are recorded as dropped, and logged."""
        async with self.database.reading() as session:
            rows = await session.execute(
                select(ScheduledRunRow.school_id, func.max(ScheduledRunRow.day))
                .where(ScheduledRunRow.kind.in_([job.value for job in Job]))  # other timed jobs share the table
                .group_by(ScheduledRunRow.school_id)
            )
            last_run = {school_id: day for school_id, day in rows.all()}
        for school in self.schools:
            if school.id not in last_run:
                continue  # a new installation has missed nothing
            today = school.calendar.local_date(now)
            day = max(last_run[school.id], today - timedelta(days=LOOK_BACK_DAYS))
            while day < today:
                for job, _due in jobs_on(school, day):
                    await self.run_job(school, job, day, now)
                day += timedelta(days=1)
