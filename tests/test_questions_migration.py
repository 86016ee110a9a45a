"""Migration 0007: rows an older version wrote for every answered question go; declines and 👎s stay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from conftest import create_scratch_database, drop_scratch_database, postgres_base_url
from sqlalchemy import Connection, insert, select

from bot.store.database import _alembic_config, create_engine
from bot.store.tables import QuestionLogRow


def _upgrade(connection: Connection, revision: str) -> None:
    command.upgrade(_alembic_config(connection), revision)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no tables yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
        return
    base = postgres_base_url()
    url = await create_scratch_database(base)
    try:
        yield url
    finally:
        await drop_scratch_database(base, url)


async def test_answered_questions_nobody_marked_go_and_a_thumbs_up_keeps_no_words(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, "0006")
            rows = [("declined", False, None), ("declined, 👎", False, "bad"), ("declined, 👍", False, "good"),
                    ("answered", True, None), ("answered, 👎", True, "bad"), ("answered, 👍", True, "good")]
            await connection.execute(insert(QuestionLogRow), [
                {"school_id": "demo", "token": f"t{index}", "asked_on": date(2026, 11, 30), "text": text,
                 "answered": answered, "closest": ["WFH · 3"], "feedback": feedback, "comment": ""}
                for index, (text, answered, feedback) in enumerate(rows)
            ])
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, "head")
            kept = (await connection.execute(
                select(QuestionLogRow.text, QuestionLogRow.closest, QuestionLogRow.feedback).order_by(QuestionLogRow.id)
            )).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in kept] == [
        ("declined", ["WFH · 3"], None), ("declined, 👎", ["WFH · 3"], "bad"), ("declined, 👍", ["WFH · 3"], "good"),
        ("answered, 👎", ["WFH · 3"], "bad"), ("", [], "good"),
    ]
