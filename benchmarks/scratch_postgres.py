"""A throw-away PostgreSQL database for one benchmark run: created, handed over, dropped."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url


@asynccontextmanager
async def scratch_postgres(base_url: str) -> AsyncIterator[str]:
    """A new, empty database beside the one `base_url` names; yields its SQLAlchemy URL."""
    name = f"staffroom_bench_{uuid.uuid4().hex[:8]}"
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
