"""The question log's timed job: the policy lead's weekly digest goes once, in working hours, through the
outbox. Old questions go with the daily retention purge alone (tests/test_privacy_retention.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from conftest import DEPUTY, MONDAY_MORNING, fetch_outbox
from sqlalchemy import select

from bot.clock import FakeClock
from bot.privacy.daily import DailyPurge
from bot.questions.digest import TEACH
from bot.questions.log import Feedback, log_question, mark_answer
from bot.questions.schedule import QuestionJobs
from bot.school import School
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


async def test_the_question_jobs_leave_old_questions_to_the_daily_retention_purge(
    school: School, database: Database, clock: FakeClock
) -> None:
    asked = school.calendar.local_date(clock.now())
    await keep(database, school, "asked long ago", asked)
    clock.set(at(school, asked + timedelta(days=school.config.question_log.retention_days + 1), 9))
    assert await QuestionJobs([school], database, clock).tick() == 0
    assert await texts(database) == ["asked long ago"]  # one purge path: the registry's
    report = await DailyPurge(school, database, clock).tick()
    assert report is not None and report.counts["question_log"] == 1
    assert await texts(database) == []


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
