"""Check-in prompts on a fake clock: exactly when expected across a fortnight, once, never stale."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, time, timedelta

import pytest
from checkin_builders import FORTNIGHT, INSET, WORKING_DAYS, approve_wfh, fortnight_school
from conftest import HEAD, PHASE_LEADER, TEACHER, fetch_outbox
from sqlalchemy import select

from bot.checkins.scheduler import CheckInScheduler, Job
from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database, create_engine
from bot.store.outbox import read_notice
from bot.store.tables import ScheduledRunRow

KS1_LEADER = "t.whitfield@oakfield.example"
YEAR1 = "a.hussain@oakfield.example"
START = datetime(2027, 4, 25, 0, 0, tzinfo=UTC)  # the Sunday before the fortnight


@pytest.fixture
def fortnight() -> School:
    return fortnight_school()


async def run_fortnight(scheduler: CheckInScheduler, clock: FakeClock, every: timedelta) -> None:
    clock.set(START)
    while clock.now() < datetime(2027, 5, 9, tzinfo=UTC):
        await scheduler.tick()
        clock.advance(every)


async def runs(database: Database) -> list[tuple[str, date, str]]:
    async with database.reading() as session:
        rows = await session.scalars(select(ScheduledRunRow).order_by(ScheduledRunRow.day, ScheduledRunRow.kind))
        return [(row.kind, row.day, row.outcome) for row in rows]


async def test_a_fortnight_prompts_exactly_on_working_days_at_the_check_in_time(
    database: Database, fortnight: School
) -> None:
    clock = FakeClock(START)
    await approve_wfh(database, TEACHER, *FORTNIGHT, clock.now())  # every day of the fortnight
    await approve_wfh(database, YEAR1, *FORTNIGHT, clock.now(), weekday=0)  # Mondays
    scheduler = CheckInScheduler([fortnight], database, clock)
    await run_fortnight(scheduler, clock, timedelta(minutes=20))
    rows = await fetch_outbox(database)
    prompts = [(row.recipient_email, row.created_at) for row in rows if row.reason == Job.PROMPTS.value]
    at_ten = fortnight.calendar.at
    expected = [(PHASE_LEADER, at_ten(day, time(10, 0))) for day in WORKING_DAYS]
    expected.append((KS1_LEADER, at_ten(INSET, time(10, 0))))  # Monday 3 May is the bank holiday
    assert sorted(prompts) == sorted(expected)
    first = read_notice(next(row for row in rows if row.recipient_email == PHASE_LEADER))
    assert "Sam Carter" in first.reply.text and [b.label for b in first.reply.blocks[-1].buttons] == [  # type: ignore[union-attr]
        "Checked in", "Remind me later", "Send wellbeing resources"]
    weekly = sorted((row.recipient_email, row.created_at) for row in rows if row.reason != Job.PROMPTS.value)
    fridays = [at_ten(date(2027, 4, 30), time(15, 0)), at_ten(date(2027, 5, 7), time(15, 0))]
    assert weekly == sorted([(HEAD, fridays[0]), (HEAD, fridays[1]), (PHASE_LEADER, fridays[0]),
                             (PHASE_LEADER, fridays[1]), (KS1_LEADER, fridays[0])])
    summary = [read_notice(row).reply.text for row in rows if row.reason == "checkin.summary"]
    assert "2 members of staff, 6 staff-days; check-ins recorded on 0" in summary[0]
    assert "Sam Carter" not in summary[0] and "Amira" not in summary[0]  # counts only
    assert all(outcome == "sent" for _kind, _day, outcome in await runs(database))


async def test_the_morning_message_goes_to_staff_when_the_school_turns_it_on(database: Database) -> None:
    school = fortnight_school(morning_message="true", morning_message_time="'09:15'")
    clock = FakeClock(START)
    await approve_wfh(database, TEACHER, date(2027, 4, 27), date(2027, 4, 27), clock.now())
    scheduler = CheckInScheduler([school], database, clock)
    clock.set(datetime(2027, 4, 26, 12, 0, tzinfo=UTC))
    while clock.now() < datetime(2027, 4, 28, 12, 0, tzinfo=UTC):
        await scheduler.tick()
        clock.advance(timedelta(minutes=15))
    [morning] = [row for row in await fetch_outbox(database) if row.reason == Job.MORNING.value]
    assert morning.recipient_email == TEACHER
    assert morning.created_at == school.calendar.at(date(2027, 4, 27), time(9, 15))
    assert [b.label for b in read_notice(morning).reply.blocks[-1].buttons] == ["All good", "I'd like a chat"]  # type: ignore[union-attr]


async def test_service_down_across_the_prompt_time_sends_it_on_restart_within_working_hours(
    database: Database, fortnight: School
) -> None:
    tuesday = date(2027, 4, 27)
    clock = FakeClock(fortnight.calendar.at(tuesday, time(9, 30)))
    await approve_wfh(database, TEACHER, tuesday, tuesday, clock.now())
    await CheckInScheduler([fortnight], database, clock).tick()  # running at 09:30
    clock.set(fortnight.calendar.at(tuesday, time(11, 40)))  # down from 09:31, back at 11:40
    await CheckInScheduler([fortnight], database, clock).tick()
    [prompt] = [row for row in await fetch_outbox(database) if row.reason == Job.PROMPTS.value]
    assert prompt.created_at == clock.now() and prompt.deliver_after == clock.now()


async def test_a_prompt_missed_until_after_working_hours_is_dropped_and_logged(
    database: Database, fortnight: School, caplog: pytest.LogCaptureFixture
) -> None:
    tuesday = date(2027, 4, 27)
    clock = FakeClock(fortnight.calendar.at(tuesday, time(9, 0)))
    await approve_wfh(database, TEACHER, tuesday, date(2027, 4, 29), clock.now())
    await CheckInScheduler([fortnight], database, clock).tick()
    caplog.set_level(logging.WARNING, logger="bot.checkins.scheduler")
    clock.set(fortnight.calendar.at(tuesday, time(18, 30)))  # down all day, back in the evening
    await CheckInScheduler([fortnight], database, clock).tick()
    clock.set(fortnight.calendar.at(date(2027, 4, 29), time(8, 30)))  # down again all Wednesday
    await CheckInScheduler([fortnight], database, clock).tick()
    assert [row for row in await fetch_outbox(database) if row.reason == Job.PROMPTS.value] == []
    assert await runs(database) == [(Job.PROMPTS.value, tuesday, "dropped"),
                                    (Job.PROMPTS.value, date(2027, 4, 28), "dropped")]
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert dropped == ["checkin.prompts for demo on 2027-04-27 dropped: its time passed while the service was down",
                       "checkin.prompts for demo on 2027-04-28 dropped: its time passed while the service was down"]
    clock.set(fortnight.calendar.at(date(2027, 4, 29), time(10, 0)))
    await CheckInScheduler([fortnight], database, clock).tick()
    assert len([row for row in await fetch_outbox(database) if row.reason == Job.PROMPTS.value]) == 1


async def test_no_prompt_on_the_bank_holiday_or_the_closure(database: Database, fortnight: School) -> None:
    clock = FakeClock(START)
    await approve_wfh(database, TEACHER, *FORTNIGHT, clock.now())
    for day in (date(2027, 5, 3), date(2027, 5, 6), date(2027, 5, 1)):
        clock.set(fortnight.calendar.at(day, time(12, 0)))
        await CheckInScheduler([fortnight], database, clock).tick()
    assert await fetch_outbox(database) == []


async def test_a_cancelled_request_is_not_prompted(database: Database, fortnight: School) -> None:
    tuesday = date(2027, 4, 27)
    clock = FakeClock(fortnight.calendar.at(tuesday, time(10, 0)))
    await approve_wfh(database, TEACHER, tuesday, tuesday, clock.now(), state="cancelled")
    await CheckInScheduler([fortnight], database, clock).tick()
    assert await fetch_outbox(database) == []


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # several instances: PostgreSQL only
async def test_two_schedulers_on_postgres_prompt_each_manager_once(
    postgres_url: str, database: Database, fortnight: School
) -> None:
    tuesday = date(2027, 4, 27)
    clock = FakeClock(fortnight.calendar.at(tuesday, time(10, 0)))
    for email in (TEACHER, YEAR1, "l.bennett@oakfield.example", PHASE_LEADER):
        await approve_wfh(database, email, tuesday, tuesday, clock.now())
    other = Database(create_engine(postgres_url))
    try:
        schedulers = [CheckInScheduler([fortnight], db, clock) for db in (database, other, database, other)]
        for _ in range(3):
            await asyncio.gather(*(s.tick() for s in schedulers))
    finally:
        await other.close()
    prompts = sorted(row.recipient_email for row in await fetch_outbox(database))
    assert prompts == sorted([PHASE_LEADER, KS1_LEADER, "d.reyes@oakfield.example"])
    assert await runs(database) == [(Job.PROMPTS.value, tuesday, "sent")]
