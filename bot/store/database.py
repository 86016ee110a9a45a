"""Where the data lives: the database URL, the async engine, sessions and schema upgrades.

The default is a SQLite file in the data folder (`STAFFROOM_DATA_DIR`, default `./data`,
created on first run), upgraded automatically when opened. `DATABASE_URL`
(`postgresql+asyncpg://…`) chooses PostgreSQL instead; run `staffroom db upgrade` there
before starting, or pass `upgrade=True`. Both settings reach this module through the
composition root (`bot.root`), which reads them from `Settings`; nothing here reads the environment.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.errors import StorageError

SQLITE_FILE = "staffroom.sqlite3"

# aiosqlite's DEBUG lines repeat every statement with the values bound to it (emails, notes):
# never below INFO, whatever STAFFROOM_LOG_LEVEL says.
logging.getLogger("aiosqlite").setLevel(logging.INFO)
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_database_url(url: str | None = None, data_dir: str | Path | None = None) -> str:
    """The URL to use: `url` (the `DATABASE_URL` setting), else a SQLite file in `data_dir` (default `./data`)."""
    chosen = url
    if chosen:
        # Hosting platforms hand out postgres:// URLs; the async driver is what we speak.
        for prefix in ("postgres://", "postgresql://"):
            if chosen.startswith(prefix):
                chosen = "postgresql+asyncpg://" + chosen[len(prefix) :]
        try:
            driver = make_url(chosen).drivername
        except ArgumentError:
            raise StorageError("DATABASE_URL is not a database URL") from None
        if driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
            raise StorageError(
                f"unsupported database driver '{driver}': use postgresql+asyncpg:// or sqlite+aiosqlite://"
            )
        return chosen
    folder = Path(data_dir or "data")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"the data folder {folder} can't be created ({error.strerror})") from None
    return f"sqlite+aiosqlite:///{(folder / SQLITE_FILE).resolve()}"


def describe_database(url: str) -> str:
    """The URL as it may be shown to a person: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def describe_failure(error: BaseException, url: str) -> str:
    """Why the database at `url` can't be used, in one line ("database "x" does not exist")."""
    if isinstance(error, OSError):
        parsed = make_url(url)
        where = f"{parsed.host}:{parsed.port or 5432}" if parsed.host else describe_database(url)
        return f"nothing answers at {where} ({error.strerror or type(error).__name__})"
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(error).__name__


@asynccontextmanager
async def reaching(url: str) -> AsyncIterator[None]:
    """Turn a failure to reach or use the database at `url` into a `StorageError` saying why."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database and parsed.database != ":memory:":
        # Checked first: a failed SQLite connect leaves aiosqlite's thread calling into a closed event loop.
        folder = Path(parsed.database).parent
        if not folder.is_dir():
            raise StorageError(f"the database {describe_database(url)} can't be used: the folder {folder} "
                               "does not exist")
    try:
        yield
    except (OSError, SQLAlchemyError) as error:
        raise StorageError(f"the database {describe_database(url)} can't be used: {describe_failure(error, url)}") \
            from None


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    """An async engine for `url`, with SQLite set up for several connections at once.

    `hide_parameters`: a failed statement's error (and SQLAlchemy's own logging) never holds
    the values bound to it — emails, notes, reasons — so a logged database error is safe.
    """
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    command.upgrade(_alembic_config(connection), "head")


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Bring the schema up to the newest migration (safe to run every start)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


def _revisions(connection: Connection) -> tuple[set[str], set[str]]:
    current = set(MigrationContext.configure(connection).get_current_heads())
    heads = set(ScriptDirectory.from_config(_alembic_config(connection)).get_heads())
    return current, heads


async def check_schema(engine: AsyncEngine) -> None:
    """Refuse a database whose schema is older (or newer) than this version of Staffroom."""
    async with engine.connect() as connection:
        current, heads = await connection.run_sync(_revisions)
    if current != heads:
        shown = engine.url.render_as_string(hide_password=True)
        found = f"is at schema {', '.join(sorted(current))}" if current else "has no Staffroom tables yet"
        raise StorageError(
            f"the database {shown} {found} and this version of Staffroom needs {', '.join(sorted(heads))}: "
            "run `staffroom db upgrade` first"
        )


class Database:
    """An engine and its session factory; open one per process and share it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only."""
        async with self._sessions() as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()


async def open_database(url: str | None = None, *, upgrade: bool | None = None) -> Database:
    """Open the database named by `resolve_database_url`; SQLite is upgraded unless told not to."""
    resolved = resolve_database_url(url)
    engine = create_engine(resolved)
    try:
        async with reaching(resolved):
            if upgrade if upgrade is not None else resolved.startswith("sqlite"):
                await upgrade_schema(engine)
            else:
                await check_schema(engine)
    except BaseException:
        await engine.dispose()
        raise
    return Database(engine)
