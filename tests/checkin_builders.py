"""Builders for the check-in tests: a fortnight's school calendar and approved WFH requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.clock import FakeClock
from bot.school import School, demo_school_folder, parse_school
from bot.store.database import Database
from bot.store.tables import RequestRow

#: Mon 26 Apr – Fri 7 May 2027: an INSET day (Mon 26 Apr, before term), the May Day bank
#: holiday (Mon 3 May) and a closure (Thu 6 May, polling station) — 8 working days.
FORTNIGHT = (date(2027, 4, 26), date(2027, 5, 7))
INSET = date(2027, 4, 26)
BANK_HOLIDAY = date(2027, 5, 3)
CLOSURE = date(2027, 5, 6)
WORKING_DAYS = [date(2027, 4, d) for d in (26, 27, 28, 29, 30)] + [date(2027, 5, d) for d in (4, 5, 7)]


def fortnight_school(**check_ins: str) -> School:
    """The demo school with the summer term starting on Tue 27 Apr after an INSET day."""
    file = demo_school_folder() / "school.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("{name: Summer 1, start: 2027-04-12,", "{name: Summer 1, start: 2027-04-27,")
    text = text.replace("\nroles:\n", "\ninset_days:\n  - {date: 2027-04-26, reason: Staff training}\n\nroles:\n", 1)
    if check_ins:
        settings = ", ".join(f"{key}: {value}" for key, value in check_ins.items())
        text = text.replace("\nstaff:\n", f"\ncheck_ins: {{{settings}}}\n\nstaff:\n", 1)
    return parse_school(file, text, clock=FakeClock(datetime.combine(FORTNIGHT[0], time(9), UTC)))


async def approve_wfh(database: Database, requester: str, first: date, last: date, now: datetime,
                      weekday: int | None = None, part_of_day: str = "whole_day", state: str = "approved") -> int:
    """An approved working-from-home request, straight into the database."""
    async with database.transaction() as session:
        row = RequestRow(school_id="demo", type="wfh", requester_email=requester, state=state, step=1,
                         chain=["p.shah@oakfield.example", "h.okafor@oakfield.example"], start_date=first,
                         end_date=last, weekday=weekday, details={"part_of_day": part_of_day}, note="",
                         created_at=now, updated_at=now, step_started_at=now)
        session.add(row)
        await session.flush()
        return row.id
