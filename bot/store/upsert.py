"""INSERT … ON CONFLICT for the two databases we speak, so concurrent writers never collide."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Any) -> Any:
    """The dialect's own `insert` (with `on_conflict_do_*`) for the session's database."""
    return insert_in(session.get_bind().dialect.name, table)


def insert_in(dialect: str, table: Any) -> Any:
    """The `insert` with `on_conflict_do_*` of the database named by `dialect` ("postgresql", "sqlite")."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
