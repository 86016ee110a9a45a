"""Storage: where the database is, migrations, the append-only audit log, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import (
    HEAD,
    PHASE_LEADER,
    TEACHER,
    action,
    create_scratch_database,
    drop_scratch_database,
    fetch_audit,
    fetch_request,
    postgres_base_url,
    wfh_inputs,
)
from sqlalchemy import inspect, text, update
from sqlalchemy.exc import DBAPIError, StatementError

from bot.errors import StorageError
from bot.requests.conversation import RequestConversation
from bot.requests.workflow import RequestWorkflow
from bot.root import Root
from bot.school import School
from bot.settings import load_settings
from bot.store import database as database_module
from bot.store.database import Database, create_engine, open_database, resolve_database_url
from bot.store.tables import RequestRow
from intents.policy_library import PolicyLibrary


def test_default_is_a_sqlite_file_in_the_data_folder_created_on_first_run(tmp_path: Path) -> None:
    folder = tmp_path / "nested" / "data"
    url = resolve_database_url(data_dir=folder)
    assert url == f"sqlite+aiosqlite:///{folder.resolve() / 'staffroom.sqlite3'}"
    assert folder.is_dir()


def test_database_url_wins_and_plain_postgres_urls_get_the_async_driver() -> None:
    settings = load_settings({"DATABASE_URL": "postgres://u@db:5432/staffroom", "STAFFROOM_DATA_DIR": "/nonexistent"})
    assert Root(settings).database_url == "postgresql+asyncpg://u@db:5432/staffroom"
    assert Root(settings, database_url="sqlite+aiosqlite:///x.db").database_url == "sqlite+aiosqlite:///x.db"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_unsupported_database_urls_are_refused(url: str) -> None:
    with pytest.raises(StorageError):
        resolve_database_url(url)


async def test_opening_sqlite_creates_and_migrates_the_file(tmp_path: Path) -> None:
    root = Root(load_settings({"STAFFROOM_DATA_DIR": str(tmp_path / "data")}))
    database = await root.open_database()
    try:
        async with database.engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert {"requests", "audit_log", "outbox", "alembic_version"} <= tables
    finally:
        await database.close()
    assert (tmp_path / "data" / "staffroom.sqlite3").is_file()
    again = await root.open_database()  # upgrading an up-to-date database is harmless
    await again.close()


def newest_migration() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(database_module.__file__).parent / "migrations"))
    [head] = ScriptDirectory.from_config(config).get_heads()
    return str(head)


async def test_migrations_build_a_fresh_postgresql_database() -> None:
    base = postgres_base_url()
    url = await create_scratch_database(base)
    try:
        # PostgreSQL is not upgraded behind the school's back: opening it un-migrated says what to do.
        with pytest.raises(StorageError, match="staffroom db upgrade"):
            await open_database(url)
        database = await open_database(url, upgrade=True)
        async with database.engine.connect() as connection:
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        await database.close()
        assert version == newest_migration()
        reopened = await open_database(url)  # now current: opens without upgrading
        await reopened.close()
    finally:
        await drop_scratch_database(base, url)


async def test_an_unreachable_database_is_a_storage_error_not_a_traceback() -> None:
    with pytest.raises(StorageError, match=r"can.t be used: nothing answers at 127\.0\.0\.1:1 "):
        await open_database("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere")


async def test_audit_log_is_append_only(conversation: RequestConversation, database: Database) -> None:
    now = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), now)
    for statement in ("UPDATE audit_log SET note = 'changed'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with database.transaction() as session:
                await session.execute(text(statement))
    assert len(await fetch_audit(database, 1)) == 1


async def test_times_come_back_aware_in_utc_and_naive_times_are_refused(
    conversation: RequestConversation, database: Database
) -> None:
    local = datetime(2026, 11, 23, 10, 14, tzinfo=timezone(timedelta(hours=1)))
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), local)
    stored = await fetch_request(database, 1)
    assert stored.created_at == datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
    assert stored.created_at.tzinfo is not None
    with pytest.raises(StatementError, match="naive"):
        async with database.transaction() as session:
            await session.execute(update(RequestRow).values(updated_at=datetime(2026, 11, 23, 9, 0)))


async def test_requests_survive_a_restart(
    database_url: str, database: Database, school: School, library: PolicyLibrary
) -> None:
    now = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
    before = RequestConversation(RequestWorkflow(school, database, library))
    await before.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), now)
    await before.handle_action(action(PHASE_LEADER, "request.endorse", 1), now)
    await database.close()

    restarted = Database(create_engine(database_url))
    try:
        after = RequestConversation(RequestWorkflow(school, restarted, library))
        [reply] = await after.handle_action(action(HEAD, "request.approve", 1), now)
        assert reply.text.startswith("You approved request #1")
        assert (await fetch_request(restarted, 1)).state == "approved"
        assert [a.event for a in await fetch_audit(restarted, 1)] == ["submit", "endorse", "approve"]
    finally:
        await restarted.close()
