"""Command-line functions for the office: `requests list` and `db upgrade`."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from conftest import MONDAY_MORNING, OTHER_TEACHER, PHASE_LEADER, TEACHER, action, wfh_inputs
from sqlalchemy import inspect

from bot.requests.commands import list_requests
from bot.requests.conversation import RequestConversation
from bot.requests.workflow import RequestWorkflow
from bot.school import School
from bot.store.commands import upgrade_database
from bot.store.database import create_engine, open_database
from intents.policy_library import PolicyLibrary


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
    out = io.StringIO()
    assert upgrade_database(url, out=out) == 0
    assert "Database is up to date" in out.getvalue()

    async def tables() -> set[str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        finally:
            await engine.dispose()

    assert {"requests", "audit_log", "outbox"} <= asyncio.run(tables())


@pytest.fixture
def filled_database(tmp_path: Path, school: School, library: PolicyLibrary) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'office.sqlite3'}"

    async def fill() -> None:
        database = await open_database(url)
        conversation = RequestConversation(RequestWorkflow(school, database, library))
        for who, day in ((TEACHER, "2026-11-27"), (OTHER_TEACHER, "2026-11-30")):
            await conversation.handle_action(
                action(who, "request.submit", "wfh", **wfh_inputs(start=day)), MONDAY_MORNING
            )
        await conversation.handle_action(action(PHASE_LEADER, "request.decline", 1), MONDAY_MORNING)
        await conversation.handle_action(
            action(PHASE_LEADER, "request.decline_reason", 1, reason="Trip"), MONDAY_MORNING
        )
        await database.close()

    asyncio.run(fill())
    return url


def test_requests_list_prints_a_table_filtered_by_status(filled_database: str, school: School) -> None:
    out = io.StringIO()
    assert list_requests(url=filled_database, schools=[school], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["#", "School", "Type", "Requester", "When", "Status", "Waiting", "for", "Made"]
    assert "Sam Carter" in lines[2] and "declined" in lines[2]
    assert "Amira Hussain" in lines[3] and "pending" in lines[3] and "Tom Whitfield" in lines[3]

    pending = io.StringIO()
    assert list_requests("pending", "demo", url=filled_database, schools=[school], out=pending) == 0
    assert "Amira Hussain" in pending.getvalue() and "Sam Carter" not in pending.getvalue()

    other_school = io.StringIO()
    assert list_requests(school="another", url=filled_database, out=other_school) == 0
    assert other_school.getvalue().strip() == "No requests match."


def test_requests_list_refuses_an_unknown_status(filled_database: str) -> None:
    out = io.StringIO()
    assert list_requests("lost", url=filled_database, out=out) == 2
    assert "Unknown status 'lost'" in out.getvalue()
