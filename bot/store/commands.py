"""Command-line jobs about storage: `staffroom db upgrade`."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.store.database import create_engine, describe_database, reaching, resolve_database_url, upgrade_schema


async def upgrade_database_async(url: str | None = None) -> str:
    """Apply every pending migration; returns the URL upgraded (password hidden)."""
    resolved = resolve_database_url(url)
    engine = create_engine(resolved)
    try:
        async with reaching(resolved):
            await upgrade_schema(engine)
    finally:
        await engine.dispose()
    return describe_database(resolved)


def upgrade_database(url: str | None = None, *, out: TextIO = sys.stdout) -> int:
    """`staffroom db upgrade`: bring the database schema up to date. Returns the exit status."""
    shown = asyncio.run(upgrade_database_async(url))
    print(f"Database is up to date: {shown}", file=out)
    return 0
