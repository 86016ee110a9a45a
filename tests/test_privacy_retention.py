"""The retention purge: each window removes exactly what is past it, and nothing else; once a day, once."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from conftest import HEAD, PHASE_LEADER, TEACHER
from privacy_builders import add_account, add_check_in, add_message, add_request, count_of, ids_of
from sqlalchemy import select

from bot.clock import FakeClock
from bot.errors import ConfigError
from bot.privacy.commands import run_purge
from bot.privacy.daily import PURGE_JOB, DailyPurge
from bot.privacy.retention import count_due, purge
from bot.questions.log import Feedback, NewQuestion, log_question, mark_answer, new_token, record_answer_feedback
from bot.school import School, load_school, parse_school
from bot.store.database import Database, create_engine, open_database
from bot.store.tables import (
    AuditRow,
    CheckInRow,
    OutboxRow,
    PlatformAccountRow,
    QuestionLogRow,
    RequestRow,
    ScheduledRunRow,
)

LONDON = ZoneInfo("Europe/London")
LEAVER = "former.teacher@oakfield.example"


def london(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LONDON).astimezone(UTC)


def academic_year_of(day: date) -> int:
    """The calendar year the academic year holding `day` began in (years run 1 September to 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


async def test_a_closed_request_is_kept_to_the_end_of_the_academic_year_after_next(
    school: School, database: Database, clock: FakeClock
) -> None:
    closed = clock.now()
    start = academic_year_of(closed.astimezone(LONDON).date())
    last_kept_day = date(start + 3, 8, 31)  # this year, next year, the year after next
    declined = await add_request(database, requester=TEACHER, state="declined", closed_at=closed,
                                 start=closed.date(), chain=[PHASE_LEADER, HEAD], note="Dentist at 9",
                                 audit=[(TEACHER, "submit", ""), (PHASE_LEADER, "decline", "Cover is short")])
    pending = await add_request(database, requester=TEACHER, state="pending", closed_at=closed, start=closed.date())
    later = await add_request(database, requester=TEACHER, state="cancelled", closed_at=london(date(start + 1, 9, 1)),
                              start=date(start + 1, 9, 1))
    delivered = await add_message(database, recipient=TEACHER, at=closed, delivered=closed, request_id=declined)
    dead = await add_message(database, recipient=TEACHER, at=closed, dead=closed, request_id=declined)

    clock.set(london(last_kept_day, 23, 30))
    report = await purge(database, school, clock.now())
    assert report.counts["requests"] == 0
    assert await ids_of(database, RequestRow) == {declined, pending, later}

    clock.set(london(last_kept_day + timedelta(days=1), 2, 0))
    assert (await count_due(database, school, clock.now())).counts["requests"] == 1
    report = await purge(database, school, clock.now())
    assert report.counts["requests"] == 1
    assert await ids_of(database, RequestRow) == {pending, later}
    async with database.reading() as session:
        audit_requests = set(await session.scalars(select(AuditRow.request_id)))
        dead_row = await session.get(OutboxRow, dead)
    assert audit_requests == {pending, later}
    assert delivered not in await ids_of(database, OutboxRow)
    assert dead_row is not None and dead_row.request_id is None  # the dead letter stays until resolved


async def test_an_approved_request_counts_from_its_last_day_not_its_decision(
    school: School, database: Database, clock: FakeClock
) -> None:
    decided = clock.now()
    start = academic_year_of(decided.astimezone(LONDON).date())
    last_day = date(start + 1, 10, 1)  # approved now for a day next academic year
    approved = await add_request(database, requester=TEACHER, state="approved", closed_at=decided,
                                 start=last_day)
    clock.set(london(date(start + 3, 9, 2)))  # past the decision's window, not the day's
    await purge(database, school, clock.now())
    assert await ids_of(database, RequestRow) == {approved}
    clock.set(london(date(start + 4, 9, 2)))
    await purge(database, school, clock.now())
    assert await ids_of(database, RequestRow) == set()


async def test_check_ins_are_kept_a_year_by_their_day(school: School, database: Database, clock: FakeClock) -> None:
    today = clock.now().astimezone(LONDON).date()
    days = school.config.retention.check_in_days
    kept = await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=days),
                              at=clock.now())
    gone = await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=days + 1),
                              at=clock.now())
    assert days == 365
    report = await purge(database, school, clock.now())
    assert report.counts["check_ins"] == 1
    assert await ids_of(database, CheckInRow) == {kept}
    assert gone not in await ids_of(database, CheckInRow)


async def test_delivered_messages_go_after_30_days_and_dead_letters_stay(
    school: School, database: Database, clock: FakeClock
) -> None:
    now = clock.now()
    window = timedelta(days=30)
    old = await add_message(database, recipient=TEACHER, at=now - window * 2, delivered=now - window - timedelta(minutes=1))
    recent = await add_message(database, recipient=TEACHER, at=now - window * 2,
                               delivered=now - window + timedelta(minutes=1))
    dead = await add_message(database, recipient=TEACHER, at=now - window * 10, dead=now - window * 9)
    waiting = await add_message(database, recipient=TEACHER, at=now - window * 10)
    report = await purge(database, school, clock.now())
    assert report.counts["outbox"] == 1
    assert await ids_of(database, OutboxRow) == {recent, dead, waiting}
    assert old not in await ids_of(database, OutboxRow)


async def test_an_account_goes_30_days_after_its_person_left_the_directory(
    school: School, database: Database, clock: FakeClock
) -> None:
    met = clock.now() - timedelta(days=400)
    staying = await add_account(database, user_id="U0TEACH", email=TEACHER, at=met)
    leaver = await add_account(database, user_id="U0LEFT", email=LEAVER, at=met)
    unmatched = await add_account(database, user_id="U0WHO", email=None, at=met)

    first = await purge(database, school, clock.now())  # notices who is missing; removes nothing yet
    assert first.counts["platform_accounts"] == 0
    clock.advance(timedelta(days=30) - timedelta(minutes=1))
    await purge(database, school, clock.now())
    assert await ids_of(database, PlatformAccountRow) == {staying, leaver, unmatched}
    clock.advance(timedelta(minutes=1))
    report = await purge(database, school, clock.now())
    assert report.counts["platform_accounts"] == 2
    assert await ids_of(database, PlatformAccountRow) == {staying}


async def test_someone_back_in_the_directory_starts_again(
    school: School, database: Database, clock: FakeClock, tmp_path: Path
) -> None:
    account = await add_account(database, user_id="U0BACK", email=LEAVER, at=clock.now())
    await purge(database, school, clock.now())
    text = school.file.read_text("utf-8").replace(
        "staff:\n", f"staff:\n  - name: Returning Teacher\n    email: {LEAVER}\n    line_manager: {HEAD}\n", 1)
    rejoined = parse_school(tmp_path / "school.yaml", text)
    clock.advance(timedelta(days=31))
    await purge(database, rejoined, clock.now())
    async with database.reading() as session:
        row = await session.get(PlatformAccountRow, account)
    assert row is not None and row.left_directory_at is None


async def keep_questions(database: Database, school: School, day: date) -> list[str]:
    """One of each kind of question_log row, asked on `day`: what the log holds, by text."""
    async with database.transaction() as session:
        await log_question(session, school.id, "declined", answered=False, closest=["WFH · 3"], asked_on=day)
        token = await log_question(session, school.id, "declined, then 👎", answered=False, closest=[], asked_on=day)
        await mark_answer(session, school.id, token, Feedback.BAD)
        for text, feedback in (("answered, then 👎", Feedback.BAD), ("answered, then 👍", Feedback.GOOD)):
            question = NewQuestion(school.id, text, True, ("WFH · 8.2",), day)
            await record_answer_feedback(session, question, new_token(), feedback)
    return ["declined", "declined, then 👎", "answered, then 👎", ""]  # a 👍 on an answer keeps no words


async def question_texts(database: Database) -> list[str]:
    async with database.reading() as session:
        return list(await session.scalars(select(QuestionLogRow.text).order_by(QuestionLogRow.id)))


async def test_every_question_logged_is_kept_for_the_schools_retention_and_no_longer(
    school: School, database: Database, clock: FakeClock
) -> None:
    asked = clock.now().astimezone(LONDON).date()
    kept = await keep_questions(database, school, asked)
    days = school.config.question_log.retention_days
    clock.set(london(asked + timedelta(days=days), 23, 59))
    assert (await purge(database, school, clock.now())).counts["question_log"] == 0
    assert await question_texts(database) == kept
    clock.set(london(asked + timedelta(days=days + 1), 0, 1))
    assert (await count_due(database, school, clock.now())).counts["question_log"] == len(kept)
    assert (await purge(database, school, clock.now())).counts["question_log"] == len(kept)
    assert await question_texts(database) == []


async def test_the_question_log_follows_the_schools_own_retention_days(
    school: School, database: Database, clock: FakeClock
) -> None:
    short = parse_school(school.file, school.file.read_text("utf-8").replace("retention_days: 90", "retention_days: 30"))
    today = clock.now().astimezone(LONDON).date()
    await keep_questions(database, short, today - timedelta(days=31))
    await keep_questions(database, short, today - timedelta(days=30))
    daily = DailyPurge(short, database, clock)
    clock.set(london(today, 3, 0))
    report = await daily.tick()
    assert report is not None and report.counts["question_log"] == 4
    assert len(await question_texts(database)) == 4
    assert await daily.tick() is None  # once a day


async def test_the_daily_purge_runs_once_a_day_and_not_before_two(
    school: School, database: Database, clock: FakeClock
) -> None:
    today = clock.now().astimezone(LONDON).date()
    await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=400), at=clock.now())
    daily = DailyPurge(school, database, clock)
    clock.set(london(today, 1, 59))
    assert await daily.tick() is None
    assert await count_of(database, CheckInRow) == 1
    clock.set(london(today, 2, 0))
    report = await daily.tick()
    assert report is not None and report.counts["check_ins"] == 1
    assert await daily.tick() is None
    clock.set(london(today + timedelta(days=1), 3, 0))
    assert await daily.tick() is not None
    async with database.reading() as session:
        kinds = list(await session.scalars(select(ScheduledRunRow.kind)))
    assert kinds == [PURGE_JOB, PURGE_JOB]


async def test_purges_in_batches(school: School, database: Database, clock: FakeClock) -> None:
    now = clock.now()
    for index in range(7):
        await add_message(database, recipient=TEACHER, at=now - timedelta(days=90),
                          delivered=now - timedelta(days=60, minutes=index))
    report = await purge(database, school, now, batch_size=3)
    assert report.counts["outbox"] == 7
    assert await count_of(database, OutboxRow) == 0


@pytest.mark.postgres
async def test_two_instances_on_postgresql_purge_once(school: School, postgres_url: str, clock: FakeClock) -> None:
    from sqlalchemy import text

    from bot.store.tables import Base

    engines = [create_engine(postgres_url), create_engine(postgres_url)]
    first, second = (Database(engine) for engine in engines)
    try:
        async with first.transaction() as session:
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        today = clock.now().astimezone(LONDON).date()
        for index in range(5):
            await add_check_in(first, staff=f"t{index}@oakfield.example", manager=PHASE_LEADER,
                               day=today - timedelta(days=500), at=clock.now())
        clock.set(london(today, 3, 0))
        reports = await asyncio.gather(DailyPurge(school, first, clock).tick(), DailyPurge(school, second, clock).tick())
        ran = [report for report in reports if report is not None]
        assert len(ran) == 1 and ran[0].counts["check_ins"] == 5
        async with second.reading() as session:
            runs = list(await session.scalars(select(ScheduledRunRow).where(ScheduledRunRow.kind == PURGE_JOB)))
        assert len(runs) == 1 and runs[0].outcome == "done"
        assert await count_of(second, CheckInRow) == 0
    finally:
        await first.close()
        await second.close()


def test_the_dry_run_counts_and_removes_nothing(school: School, tmp_path: Path, clock: FakeClock) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'purge.sqlite3'}"
    today = clock.now().astimezone(LONDON).date()

    async def setup() -> None:
        database = await open_database(database_url)
        await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=400),
                           at=clock.now())
        await database.close()

    asyncio.run(setup())
    out = io.StringIO()
    assert run_purge(school, dry_run=True, url=database_url, clock=clock, out=out) == 0
    assert "Would remove 1 from check_ins" in out.getvalue()
    out = io.StringIO()
    assert run_purge(school, dry_run=True, url=database_url, clock=clock, out=out) == 0
    assert "Would remove 1 from check_ins" in out.getvalue()  # still there
    out = io.StringIO()
    assert run_purge(school, dry_run=False, url=database_url, clock=clock, out=out) == 0
    assert "Removed 1 from check_ins" in out.getvalue()
    out = io.StringIO()
    run_purge(school, dry_run=True, url=database_url, clock=clock, out=out)
    assert "Would remove 0 from check_ins" in out.getvalue()


def test_a_retention_setting_out_of_range_names_file_and_line(tmp_path: Path) -> None:
    text = load_school().file.read_text("utf-8") + "retention:\n  check_in_days: 3\n  keep_forever: true\n"
    with pytest.raises(ConfigError) as raised:
        parse_school(tmp_path / "school.yaml", text)
    lines = len(text.splitlines())
    messages = [str(problem) for problem in raised.value.problems]
    assert any(f"school.yaml:{lines - 1}" in m and "retention.check_in_days" in m for m in messages), messages
    assert any(f"school.yaml:{lines}" in m and "unknown field 'keep_forever'" in m for m in messages), messages


def test_the_demo_school_has_the_default_schedule() -> None:
    config = load_school().config
    retention = config.retention
    assert (retention.decided_requests_academic_years, retention.check_in_days, retention.delivered_message_days,
            config.question_log.retention_days, retention.former_staff_account_days) == (2, 365, 30, 90, 30)


async def test_serve_starts_the_daily_purge(school: School, database: Database, clock: FakeClock) -> None:
    from aiohttp.test_utils import TestClient, TestServer
    from fakes_teams.harness import build_runtime

    from bot.root import compose_app

    today = clock.now().astimezone(LONDON).date()
    await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=400), at=clock.now())
    await keep_questions(database, school, today - timedelta(days=school.config.question_log.retention_days + 1))
    app = compose_app(build_runtime(school, database, clock), background=True)
    app.on_cleanup.clear()  # the fixture closes the database
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    try:
        outcome = None
        for _ in range(600):  # up to 30 s: CI machines are loaded
            async with database.reading() as session:
                outcome = await session.scalar(select(ScheduledRunRow.outcome).where(ScheduledRunRow.kind == PURGE_JOB))
            if outcome == "done":
                break
            await asyncio.sleep(0.05)
        assert outcome == "done"
        assert await count_of(database, CheckInRow) == 0
        assert await question_texts(database) == []
    finally:
        await client.close()
