"""Who works from home on a day: approved requests (single days, ranges and weekly patterns)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.requests.kinds.registry import kinds_of
from bot.requests.states import RequestState
from bot.school import School, StaffMember
from bot.store.tables import RequestRow


@dataclass(frozen=True, slots=True)
class HomeWorker:
    """A member of staff working from home on `day`, and for which part of it."""

    member: StaffMember
    day: date
    part_of_day: str = "whole_day"


def _wfh_types(school: School) -> list[str]:
    """The request types whose approved requests are days worked from home."""
    return [context.type_name for kind, context in kinds_of(school) if kind.working_from_home]


def _covers(row: RequestRow, day: date) -> bool:
    return row.start_date <= day <= row.end_date and (row.weekday is None or row.weekday == day.weekday())


async def home_workers(session: AsyncSession, school: School, first: date, last: date) -> dict[date, list[HomeWorker]]:
    """Each working day from `first` to `last` with the staff approved to work from home then."""
    rows = await session.scalars(
        select(RequestRow).where(
            RequestRow.school_id == school.id,
            RequestRow.type.in_(_wfh_types(school)),
            RequestRow.state == RequestState.APPROVED.value,
            RequestRow.start_date <= last,
            RequestRow.end_date >= first,
        )
    )
    days = list(school.calendar.working_days(first, last))
    found: dict[date, dict[str, HomeWorker]] = {day: {} for day in days}
    for row in rows:
        member = school.directory.get(row.requester_email)
        if member is None:  # left the school since: nobody to check in with
            continue
        part = str((row.details or {}).get("part_of_day", "whole_day"))
        for day in days:
            if _covers(row, day):
                found[day].setdefault(member.email, HomeWorker(member, day, part))
    return {day: sorted(people.values(), key=lambda w: w.member.name) for day, people in found.items()}


async def is_home_worker(session: AsyncSession, school: School, email: str, day: date) -> bool:
    """True when `email` is approved to work from home on `day` (checked from the database)."""
    return any(w.member.email == email for w in (await home_workers(session, school, day, day)).get(day, []))


def by_line_manager(workers: list[HomeWorker], school: School) -> dict[str, list[HomeWorker]]:
    """Home workers grouped under their line manager's email (staff without one are left out)."""
    groups: dict[str, list[HomeWorker]] = defaultdict(list)
    for worker in workers:
        manager = school.directory.line_manager_of(worker.member.email)
        if manager is not None:
            groups[manager.email].append(worker)
    return dict(groups)
