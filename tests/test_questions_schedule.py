"""The question log's timed jobs: the daily purge keeps questions for the school's retention period,
and the policy lead's weekly digest goes once, in working hours, through the outbox."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from conftest import DEPUTY, MONDAY_MORNING, fetch_outbox
from sqlalchemy import select

from bot.clock import FakeClock
from bot.questions.desk import FEEDBACK_WINDOW_DAYS
from bot.questions.digest import TEACH
from bot.questions.log import Feedback, log_question, mark_answer, purge_question_log
from bot.questions.schedule import QuestionJobs
from bot.school import School, parse_school
from bot.store.database import Database
from bot.store.outbox import read_notice
from bot.store.tables import QuestionLogRow
from intents.router import Router


async def texts(database: Database) -> list[str]:
    async with database.reading() as session:
        return list(await session.scalars(select(QuestionLogRow.text).order_by(QuestionLogRow.id)))


async def keep(database: Database, school: School, text: str, day: date, *, answered: bool = False,
               feedback: Feedback | None = None) -> None:
    async with database.transaction() as session:
        token = await log_question(session, school.id, text, answered=answered, closest=["WFH · 3"], asked_on=day)
        if feedback is not None:
            await mark_answer(session, school.id, token, feedback)


def at(school: School, day: date, hour: int, minute: int = 0) -> datetime:
    return school.calendar.at(day, time(hour, minute))


async def test_the_daily_purge_keeps_declines_and_thumbs_down_for_the_retention_period(
    school: School, database: Database, clock: FakeClock
) -> None:
    asked = school.calendar.local_date(clock.now())
    await keep(database, school, "declined question", asked)
    await keep(database, school, "answered, no feedback", asked, answered=True)
    await keep(database, school, "answered, thumbs down", asked, answered=True, feedback=Feedback.BAD)
    await keep(database, school, "answered, thumbs up", asked, answered=True, feedback=Feedback.GOOD)
    jobs = QuestionJobs([school], database, clock)
    retention = school.config.question_log.retention_days

    clock.set(at(school, asked + timedelta(days=FEEDBACK_WINDOW_DAYS), 23, 59))
    assert await jobs.tick() == 0
    clock.set(at(school, asked + timedelta(days=FEEDBACK_WINDOW_DAYS + 1), 0, 5))
    assert await jobs.tick() == 2  # answered questions nobody marked 👎 go after the feedback window
    assert await texts(database) == ["declined question", "answered, thumbs down"]

    clock.set(at(school, asked + timedelta(days=retention), 3))
    await jobs.tick()
    assert await texts(database) == ["declined question", "answered, thumbs down"]  # kept for 90 days
    clock.set(at(school, asked + timedelta(days=retention + 1), 3))
    assert await jobs.tick() == 2
    assert await texts(database) == []


async def test_the_purge_runs_once_a_day_and_follows_the_schools_retention(
    school: School, database: Database, clock: FakeClock
) -> None:
    text = school.file.read_text(encoding="utf-8").replace("retention_days: 90", "retention_days: 30")
    short = parse_school(school.file, text)
    asked = short.calendar.local_date(clock.now())
    jobs = QuestionJobs([short], database, clock)
    clock.set(at(short, asked + timedelta(days=31), 9))
    assert await jobs.tick() == 0
    await keep(database, short, "asked 31 days ago", asked)
    assert await jobs.tick() == 0  # today's purge already ran
    clock.set(at(short, asked + timedelta(days=32), 9))
    assert await jobs.tick() == 1
    assert await texts(database) == []


async def test_purge_question_log_deletes_only_before_the_day_given(school: School, database: Database,
                                                                     clock: FakeClock) -> None:
    day = school.calendar.local_date(clock.now())
    await keep(database, school, "old", day - timedelta(days=1))
    await keep(database, school, "today", day)
    async with database.transaction() as session:
        assert await purge_question_log(session, clock.now()) == 1
    assert await texts(database) == ["today"]


async def test_the_weekly_digest_goes_to_the_policy_lead_once_in_working_hours(
    school: School, database: Database, clock: FakeClock
) -> None:
    monday = school.calendar.local_date(clock.now())
    friday = monday + timedelta(days=4 - monday.weekday())
    assert school.calendar.last_working_day_of_week(friday)
    for text in ("can I take a sabbatical?", "can i take a sabbatical", "sabbatical leave?", "where do I park?"):
        await keep(database, school, text, monday)
    await keep(database, school, "answered and liked", monday, answered=True, feedback=Feedback.GOOD)
    router = Router.from_folder(school.folder)
    jobs = QuestionJobs([school], database, clock, lambda: router.analyzer)

    clock.set(at(school, friday, 14, 59))
    await jobs.tick()
    assert await fetch_outbox(database) == []
    clock.set(at(school, friday, 15, 0))
    assert await jobs.tick() == 1
    clock.set(at(school, friday, 15, 30))
    assert await jobs.tick() == 0  # once
    [row] = await fetch_outbox(database)
    assert row.recipient_email == DEPUTY and row.reason == "questions.digest"
    assert row.deliver_after == at(school, friday, 15, 0)
    reply = read_notice(row).reply
    assert "4 question(s)" in reply.text and "(2 different thing(s))" in reply.text
    assert "3× “can I take a sabbatical?” — closest: WFH · 3" in reply.text
    assert "answered and liked" not in reply.text
    teach = [b for block in reply.blocks if block.type == "buttons" for b in block.buttons]
    assert [b.action_id for b in teach] == [TEACH, TEACH]
    assert all(b.value.isdigit() for b in teach)
    assert "--since " + (friday - timedelta(days=6)).isoformat() in reply.text
    assert DEPUTY not in json.dumps([t for t in await texts(database)])


async def test_a_digest_whose_time_passed_while_down_is_dropped_not_sent_late(
    school: School, database: Database, clock: FakeClock
) -> None:
    monday = school.calendar.local_date(clock.now())
    friday = monday + timedelta(days=4 - monday.weekday())
    await keep(database, school, "can I take a sabbatical?", monday)
    jobs = QuestionJobs([school], database, clock)
    clock.set(at(school, friday, 18, 0))
    assert await jobs.tick() == 0
    assert await fetch_outbox(database) == []


async def test_no_digest_when_nothing_was_logged(school: School, database: Database, clock: FakeClock) -> None:
    monday = school.calendar.local_date(clock.now())
    friday = monday + timedelta(days=4 - monday.weekday())
    clock.set(at(school, friday, 15, 0))
    assert await QuestionJobs([school], database, clock).tick() == 0
    assert await fetch_outbox(database) == []
    assert MONDAY_MORNING.weekday() == 0


async def test_staffroom_serve_runs_the_purge_in_the_background(school: School, database: Database,
                                                                clock: FakeClock) -> None:
    import asyncio

    from fakes.slack_harness import build_runtime

    from bot.delivery.service import start_delivery
    from bot.settings import Settings

    asked = school.calendar.local_date(clock.now())
    await keep(database, school, "asked long ago", asked)
    clock.set(at(school, asked + timedelta(days=school.config.question_log.retention_days + 1), 9))
    service = start_delivery(build_runtime(school, database, clock, Settings()))
    try:
        for _ in range(1500):  # up to 30 s: CI machines are loaded
            if not await texts(database):
                break
            await asyncio.sleep(0.02)
    finally:
        await service.stop()
    assert await texts(database) == []


async def test_the_digest_is_escaped_where_slack_reads_markup(school: School, database: Database,
                                                             clock: FakeClock) -> None:
    from bot.slack.blocks import render_message

    monday = school.calendar.local_date(clock.now())
    friday = monday + timedelta(days=4 - monday.weekday())
    await keep(database, school, "why does <!channel> get <@U123> pings?", monday)
    clock.set(at(school, friday, 15, 0))
    assert await QuestionJobs([school], database, clock).tick() == 1
    [row] = await fetch_outbox(database)
    rendered = json.dumps(render_message(read_notice(row).reply))
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered and "<@U123>" not in rendered
