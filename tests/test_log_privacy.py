"""A failed database write is logged without the values bound to it: no emails, no notes typed."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import pytest
from conftest import TEACHER
from fakes.slack_harness import SlackHarness, running_slack
from sqlalchemy import text
from test_slack_journey import ask_and_submit

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database

NOTE = "Seeing my consultant about the diagnosis"


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with running_slack(school, database, clock) as harness:
        yield harness


async def test_a_failed_write_logs_no_email_and_no_note(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with database.transaction() as session:
        await session.execute(text("ALTER TABLE requests RENAME TO requests_away"))
    try:
        with contextlib.suppress(AssertionError, IndexError):  # the request can't be stored, so no "sent"
            await ask_and_submit(slack, note=NOTE)
    finally:
        async with database.transaction() as session:
            await session.execute(text("ALTER TABLE requests_away RENAME TO requests"))
    failures = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert failures, "the failed write was logged"
    logged = caplog.text
    assert "requests" in logged  # the statement is there to diagnose it…
    assert NOTE not in logged and TEACHER not in logged  # …but not the values bound to it
