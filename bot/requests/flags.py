"""Things an approver should notice about a request but that do not stop it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.requests.drafts import Draft, requested_days
from bot.requests.states import RequestState
from bot.school import School
from bot.store.tables import RequestRow


def flag_calendar(school: School, draft: Draft) -> list[str]:
    """Weekend, bank holiday, closure or out-of-term days the request names.

    A range names its first and last day (the days between are taken as school days only);
    a single date or a weekly pattern names every day it covers.
    """
    calendar = school.calendar
    if draft.weekday is None and draft.end != draft.start:
        named: Sequence[date] = (draft.start, draft.end)
    else:
        named = list(requested_days(draft.start, draft.end, draft.weekday))
    flags: list[str] = []
    for day in named:
        label = f"{day:%a %-d %b}"
        if calendar.is_weekend(day):
            flags.append(f"{label} is a weekend")
        elif (holiday := calendar.bank_holiday_name(day)) is not None:
            flags.append(f"{label} is a bank holiday ({holiday})")
        elif (closure := calendar.closure_on(day)) is not None:
            flags.append(f"{label} the school is closed ({closure.reason or 'closure'})")
        elif calendar.is_after_terms(day):
            flags.append(f"{label} is after the last term in the school's calendar")
        elif not calendar.is_in_term(day):
            flags.append(f"{label} is outside term")
    return flags


async def flag_already_requested(
    session: AsyncSession, school: School, requester_email: str, draft: Draft
) -> list[str]:
    """Days this person already has a pending or approved request of the same type for."""
    rows = await session.scalars(
        select(RequestRow).where(
            RequestRow.school_id == school.id,
            RequestRow.requester_email == requester_email,
            RequestRow.type == draft.type,
            RequestRow.state.in_([RequestState.PENDING.value, RequestState.APPROVED.value]),
            RequestRow.start_date <= draft.end,
            RequestRow.end_date >= draft.start,
        )
    )
    wanted = set(requested_days(draft.start, draft.end, draft.weekday))
    flags = []
    for row in rows:
        overlap = wanted & set(requested_days(row.start_date, row.end_date, row.weekday))
        if overlap:
            first = min(overlap)
            flags.append(f"already requested for {first:%a %-d %b} (request #{row.id}, {row.state})")
    return flags
