"""Command-line jobs about requests: `staffroom requests list [--status S] [--school S] [--show-reasons]`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import TextIO

from sqlalchemy import select

from bot.requests.describe import describe_when
from bot.requests.records import RequestRecord
from bot.requests.states import RequestState
from bot.school import School
from bot.store.database import Database, open_database
from bot.store.tables import RequestRow

_HEADINGS = ("#", "School", "Type", "Requester", "When", "Status", "Waiting for", "Made")
_REASON_HEADINGS = ("Reason", "Note")


async def fetch_requests(
    database: Database, status: RequestState | None = None, school_id: str | None = None
) -> list[RequestRecord]:
    """Requests for the office, oldest first, optionally of one status and one school."""
    query = select(RequestRow).order_by(RequestRow.id)
    if status is not None:
        query = query.where(RequestRow.state == status.value)
    if school_id is not None:
        query = query.where(RequestRow.school_id == school_id)
    async with database.reading() as session:
        return [RequestRecord.from_row(row) for row in await session.scalars(query)]


def render_request_table(
    requests: Sequence[RequestRecord], schools: Sequence[School] = (), *, show_reasons: bool = False
) -> str:
    """A plain-text table; names come from each school's directory when it is loaded.

    Requesters' reasons and notes appear only with `show_reasons` (`--show-reasons`).
    """
    by_id = {school.id: school for school in schools}

    def name(school_id: str, email: str) -> str:
        school = by_id.get(school_id)
        member = school.directory.get(email) if school else None
        return member.name if member else email

    rows = [
        (
            str(r.id),
            r.school_id,
            r.type,
            name(r.school_id, r.requester_email),
            describe_when(r),
            r.state,
            name(r.school_id, r.approver) if r.state == RequestState.PENDING.value else "",
            f"{r.created_at:%Y-%m-%d %H:%M}",
            *((str(r.details.get("reason_category", "")), " ".join(r.note.split())) if show_reasons else ()),
        )
        for r in requests
    ]
    headings = (*_HEADINGS, *_REASON_HEADINGS) if show_reasons else _HEADINGS
    widths = [max(len(cell) for cell in column) for column in zip(headings, *rows, strict=False)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (headings, *rows)
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def list_requests(
    status: str | None = None,
    school: str | None = None,
    *,
    url: str | None = None,
    schools: Sequence[School] = (),
    show_reasons: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """`staffroom requests list`: print the table for the office. Returns the exit status."""
    try:
        wanted = RequestState(status) if status else None
    except ValueError:
        known = ", ".join(state.value for state in RequestState)
        print(f"Unknown status '{status}': use one of {known}.", file=out)
        return 2

    async def run() -> list[RequestRecord]:
        database = await open_database(url)
        try:
            return await fetch_requests(database, wanted, school)
        finally:
            await database.close()

    found = asyncio.run(run())
    if not found:
        print("No requests match.", file=out)
        return 0
    print(render_request_table(found, schools, show_reasons=show_reasons), file=out)
    return 0
