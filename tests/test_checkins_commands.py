"""`staffroom checkins preview/report` and `staffroom outbox` for the school office."""

from __future__ import annotations

import asyncio
import io
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from checkin_builders import approve_wfh, fortnight_school
from conftest import PHASE_LEADER, TEACHER
from sqlalchemy import update

from bot.checkins.commands import parse_day, preview_checkins, report_checkins
from bot.cli import main
from bot.delivery.commands import retry_outbox, show_outbox
from bot.messages import Notice, Reply
from bot.school import School
from bot.store.database import open_database
from bot.store.outbox import add_notices
from bot.store.tables import CheckInRow, OutboxRow

NOW = datetime(2027, 4, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def school() -> School:
    return fortnight_school()


@pytest.fixture
async def url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "office.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


async def seed(url: str) -> None:
    database = await open_database(url, upgrade=False)
    try:
        await approve_wfh(database, TEACHER, date(2027, 4, 26), date(2027, 4, 30), NOW)
        async with database.transaction() as session:
            session.add(CheckInRow(school_id="demo", staff_email=TEACHER, day=date(2027, 4, 27),
                                   manager_email=PHASE_LEADER, recorded_at=NOW))
            add_notices(session, "demo", [Notice(recipient_email=TEACHER, reply=Reply(text="x"), reason="test")],
                        now=NOW, deliver_after=NOW)
            await session.flush()
            await session.execute(update(OutboxRow).values(dead_at=NOW, last_error="no account"))
    finally:
        await database.close()


def run(function: object, *args: object, **kwargs: object) -> tuple[int, str]:
    out = io.StringIO()
    code = function(*args, out=out, **kwargs)  # type: ignore[operator]
    return code, out.getvalue()


async def test_preview_names_who_is_prompted_and_when(school: School, url: str) -> None:
    await seed(url)
    code, text = await asyncio.to_thread(run, preview_checkins, school, date(2027, 4, 30), url=url)
    assert code == 0
    assert "10:00  check-in prompt to line managers: 1 message(s)" in text
    assert "Priya Shah <p.shah@oakfield.example>: Sam Carter, Year 5 Teacher" in text
    assert "15:00  weekly notes" in text
    code, text = await asyncio.to_thread(run, preview_checkins, school, date(2027, 5, 3), url=url)
    assert text.strip() == "Mon 3 May 2027: no check-in messages (bank holiday (May Day))."


async def test_report_gives_counts_without_names(school: School, url: str) -> None:
    await seed(url)
    code, text = await asyncio.to_thread(run, report_checkins, school, date(2027, 4, 28), url=url)
    assert code == 0
    assert "Staff-days worked from home: 5" in text and "Check-ins recorded: 1" in text
    assert "Sam" not in text and "@" not in text


async def test_outbox_lists_dead_letters_and_retry_queues_them_again(url: str) -> None:
    await seed(url)
    code, text = await asyncio.to_thread(run, show_outbox, url=url)
    assert code == 1 and "Dead letters: 1" in text and "no account" in text
    code, text = await asyncio.to_thread(run, retry_outbox, [1, 99], url=url)
    assert code == 1 and text.startswith("1 dead letter(s) queued again. 1 id(s) were not dead letters.")
    code, text = await asyncio.to_thread(run, show_outbox, url=url)
    assert code == 0 and "Waiting to be delivered: 1" in text


def test_a_bad_date_is_a_clear_message(school: School, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_day("24/11/2026", school) == "'24/11/2026' is not a date: use YYYY-MM-DD, e.g. 2026-11-24."
    assert main(["checkins", "preview", "--date", "tomorrow"]) == 2
    assert "is not a date" in capsys.readouterr().err
