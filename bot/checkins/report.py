"""A week of check-ins: who worked from home, which days a check-in was recorded, what is missing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.roster import home_workers
from bot.school import School
from bot.store.tables import CheckInRow


@dataclass(frozen=True)
class WeekReport:
    """Counts for the headteacher, and each line manager's reports without a recorded check-in."""

    first: date
    last: date
    staff: int
    staff_days: int
    checked_days: int
    #: Manager email -> [(report's name, the days without a check-in)].
    unchecked: dict[str, list[tuple[str, list[date]]]] = field(default_factory=dict)


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week `day` falls in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


async def report_week(session: AsyncSession, school: School, day: date, *, until: date | None = None) -> WeekReport:
    """The week of `day`, counted up to `until` (default: the whole week)."""
    first, last = week_of(day)
    last = min(last, until) if until else last
    workers = await home_workers(session, school, first, last)
    recorded = {
        (row.staff_email, row.day)
        for row in await session.scalars(
            select(CheckInRow).where(CheckInRow.school_id == school.id, CheckInRow.day >= first, CheckInRow.day <= last)
        )
    }
    staff: set[str] = set()
    staff_days = checked = 0
    missing: dict[str, dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for when, people in sorted(workers.items()):
        for worker in people:
            staff.add(worker.member.email)
            staff_days += 1
            if (worker.member.email, when) in recorded:
                checked += 1
                continue
            manager = school.directory.line_manager_of(worker.member.email)
            if manager is not None:
                missing[manager.email][worker.member.name].append(when)
    unchecked = {manager: sorted(names.items()) for manager, names in missing.items()}
    return WeekReport(first, last, len(staff), staff_days, checked, unchecked)
