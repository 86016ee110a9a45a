"""Shared fixtures for the school, storage and request tests: clock, demo school, databases.

The `database` fixture runs each test on SQLite and on PostgreSQL. PostgreSQL comes from
`STAFFROOM_TEST_POSTGRES` (a `postgresql+asyncpg://` URL to a database we may create scratch
databases from); without it those tests skip, except in CI (`CI=true`) where they fail.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bot.clock import FakeClock
from bot.messages import Action, Person
from bot.requests.conversation import RequestConversation
from bot.requests.records import RequestRecord
from bot.requests.workflow import RequestWorkflow
from bot.school import School, load_school
from bot.store.database import Database, create_engine, upgrade_schema
from bot.store.tables import AuditRow, Base, OutboxRow, RequestRow
from intents.policy_library import PolicyLibrary, load_library

# Routers built by the commands under test are kept in this session's own folder, never the user's
# cache (see intents/router_cache.py).
if "STAFFROOM_CACHE_DIR" not in os.environ:
    _ROUTER_CACHE = tempfile.mkdtemp(prefix="staffroom-test-cache-")
    os.environ["STAFFROOM_CACHE_DIR"] = _ROUTER_CACHE
    atexit.register(shutil.rmtree, _ROUTER_CACHE, ignore_errors=True)

# The demo school's people, by what they do.
TEACHER = "s.carter@oakfield.example"
PHASE_LEADER = "p.shah@oakfield.example"  # Sam Carter's line manager
HEAD = "h.okafor@oakfield.example"
DEPUTY = "d.reyes@oakfield.example"
IT_TECHNICIAN = "g.lewis@oakfield.example"
CHAIR = "m.ellis@oakfield.example"
OTHER_TEACHER = "a.hussain@oakfield.example"
STRANGER = "nobody@elsewhere.example"

#: Monday 23 November 2026, 09:14 in London (GMT): a school day in the Autumn 2 half-term.
MONDAY_MORNING = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)


# --- builders ---------------------------------------------------------------------------


def person(email: str, platform: str = "terminal") -> Person:
    return Person(platform=platform, user_id=email, email=email)


def action(email: str, action_id: str, value: str | int = "", **inputs: str) -> Action:
    return Action(person=person(email), action_id=action_id, value=str(value), inputs=inputs)


def wfh_inputs(**overrides: str) -> dict[str, str]:
    inputs = {
        "start": "2026-11-27",
        "part_of_day": "whole_day",
        "reason_category": "specific_task",
        "note": "Report checking",
    }
    inputs.update(overrides)
    return inputs


async def count_rows(database: Database) -> dict[str, int]:
    async with database.reading() as session:
        return {
            table.__tablename__: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (RequestRow, AuditRow, OutboxRow)
        }


async def fetch_request(database: Database, request_id: int) -> RequestRecord:
    async with database.reading() as session:
        row = await session.get(RequestRow, request_id)
        assert row is not None
        return RequestRecord.from_row(row)


async def fetch_outbox(database: Database) -> list[OutboxRow]:
    async with database.reading() as session:
        return list(await session.scalars(select(OutboxRow).order_by(OutboxRow.id)))


async def fetch_audit(database: Database, request_id: int) -> list[AuditRow]:
    async with database.reading() as session:
        query = select(AuditRow).where(AuditRow.request_id == request_id).order_by(AuditRow.id)
        return list(await session.scalars(query))


# --- school and clock -------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


@pytest.fixture(scope="session")
def school() -> School:
    """The demo school as loaded on `MONDAY_MORNING`: its terms follow that academic year, whatever today is."""
    return load_school(clock=FakeClock(MONDAY_MORNING))


@pytest.fixture(scope="session")
def library(school: School) -> PolicyLibrary:
    return load_library(school.folder)


# --- databases --------------------------------------------------------------------------


def postgres_base_url() -> str:
    """The PostgreSQL to test against; skip without one, but fail in CI."""
    url = os.environ.get("STAFFROOM_TEST_POSTGRES")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but STAFFROOM_TEST_POSTGRES is not set: PostgreSQL tests must run in CI")
        pytest.skip("STAFFROOM_TEST_POSTGRES is not set")
    return url


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_scratch_database(base_url: str) -> str:
    """A new empty database on the same server; returns its SQLAlchemy URL."""
    name = f"staffroom_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(_asyncpg_dsn(base_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_scratch_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    connection = await asyncpg.connect(_asyncpg_dsn(base_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade_schema(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A scratch PostgreSQL database for this test session, migrated, dropped at the end."""
    base = postgres_base_url()
    url = asyncio.run(create_scratch_database(base))
    try:
        asyncio.run(_migrate(url))
        yield url
    finally:
        asyncio.run(drop_scratch_database(base, url))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test (migrating every time is slow)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database URL: a SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "staffroom.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    engine = create_engine(database_url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            # Every table the models know, so tables added by later migrations are emptied too.
            names = ", ".join(table.name for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    database = Database(engine)
    yield database
    await database.close()


@pytest.fixture
def workflow(school: School, database: Database, library: PolicyLibrary) -> RequestWorkflow:
    return RequestWorkflow(school, database, library)


@pytest.fixture
def conversation(workflow: RequestWorkflow) -> RequestConversation:
    return RequestConversation(workflow)
