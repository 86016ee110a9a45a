"""`staffroom checkins preview --date D` and `staffroom checkins report --week`: for the school office."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from typing import TextIO

from sqlalchemy import select

from bot.checkins.prompts import describe_day
from bot.checkins.report import WeekReport, report_week
from bot.checkins.scheduler import Job, Planned, jobs_on, plan_job
from bot.school import School
from bot.store.database import open_database
from bot.store.tables import ScheduledRunRow

_LABELS = {
    Job.MORNING: "morning message to staff working from home",
    Job.PROMPTS: "check-in prompt to line managers",
    Job.WEEKLY: "weekly notes (unchecked lists, headteacher's counts)",
}


def parse_day(text: str | None, school: School) -> date | str:
    """The date asked for (default: today in the school's zone), or a message saying what is wrong."""
    if not text:
        from bot.clock import SystemClock

        return school.calendar.local_date(SystemClock().now())
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"'{text}' is not a date: use YYYY-MM-DD, e.g. 2026-11-24."


def _name(school: School, email: str) -> str:
    member = school.directory.get(email)
    return f"{member.name} <{email}>" if member else email


def preview_checkins(school: School, day: date, *, url: str | None = None, out: TextIO = sys.stdout) -> int:
    """Who would get which check-in message on `day`, and when (nothing is sent)."""
    jobs = jobs_on(school, day)
    if not jobs:
        why = school.calendar.why_not_working(day) or "check-ins are switched off in school.yaml"
        print(f"{describe_day(day)} {day.year}: no check-in messages ({why}).", file=out)
        return 0

    async def run() -> list[tuple[Job, str, list[Planned], str | None]]:
        database = await open_database(url)
        try:
            async with database.reading() as session:
                found = []
                for job, due in jobs:
                    done = await session.scalar(select(ScheduledRunRow.outcome).where(
                        ScheduledRunRow.school_id == school.id, ScheduledRunRow.kind == job.value,
                        ScheduledRunRow.day == day))
                    local = due.astimezone(school.calendar.zone)
                    found.append((job, f"{local:%H:%M}", await plan_job(session, school, job, day), done))
                return found
        finally:
            await database.close()

    found = asyncio.run(run())
    print(f"{describe_day(day)} {day.year} at {school.config.name}:", file=out)
    for job, at, planned, done in found:
        state = f" [already {done}]" if done else ""
        print(f"\n{at}  {_LABELS[job]}{state}: {len(planned)} message(s)", file=out)
        for item in planned:
            first_line = item.notice.reply.text.splitlines()[1:] if job is Job.PROMPTS else []
            about = "; ".join(line.removeprefix("- ") for line in first_line)
            print(f"  {_name(school, item.notice.recipient_email)}" + (f": {about}" if about else ""), file=out)
    return 0


def render_week(school: School, report: WeekReport) -> str:
    lines = [
        f"Week {describe_day(report.first)} – {describe_day(report.last)} {report.last.year} at {school.config.name}",
        f"  Staff who worked from home: {report.staff}",
        f"  Staff-days worked from home: {report.staff_days}",
        f"  Check-ins recorded: {report.checked_days}",
        f"  Without a recorded check-in: {report.staff_days - report.checked_days}",
    ]
    return "\n".join(lines)


def report_checkins(school: School, day: date, *, url: str | None = None, out: TextIO = sys.stdout) -> int:
    """The counts for the week `day` falls in (no names: the same figures the headteacher gets)."""

    async def run() -> WeekReport:
        database = await open_database(url)
        try:
            async with database.reading() as session:
                return await report_week(session, school, day)
        finally:
            await database.close()

    print(render_week(school, asyncio.run(run())), file=out)
    return 0
