"""`staffroom data …`: purge (with --dry-run), export EMAIL --out FILE.zip, erase EMAIL [--apply], inventory."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO, TypeVar

from bot.clock import Clock, SystemClock
from bot.errors import StorageError
from bot.privacy.erase import ErasurePlan, erase, plan_erasure
from bot.privacy.export import build_export, write_export
from bot.privacy.holdings import find_holdings, normalise_email
from bot.privacy.inventory import build_inventory, render_inventory, render_inventory_table
from bot.privacy.retention import count_due, purge
from bot.school import School
from bot.school.config import EMAIL as _EMAIL
from bot.store.database import Database, open_database

T = TypeVar("T")


def _with_database(url: str | None, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        database = await open_database(url)
        try:
            return await work(database)
        finally:
            await database.close()

    return asyncio.run(run())


def _bad_email(email: str, out: TextIO) -> bool:
    if _EMAIL.match(normalise_email(email)):
        return False
    print(f"'{email}' is not an email address (nothing was written or changed).", file=out)
    return True


def run_purge(school: School, *, dry_run: bool, url: str | None = None, clock: Clock | None = None,
              out: TextIO | None = None) -> int:
    """Remove what is past the retention schedule now (or, with `dry_run`, only count it)."""
    out = out or sys.stdout
    now = (clock or SystemClock()).now()
    try:
        if dry_run:
            report = _with_database(url, lambda database: count_due(database, school, now))
        else:
            report = _with_database(url, lambda database: purge(database, school, now))
    except StorageError as error:
        print(f"The records can't be opened: {error}", file=out)
        return 2
    verb = "Would remove" if dry_run else "Removed"
    for name, count in report.counts.items():
        print(f"{verb} {count} from {name}", file=out)
    if dry_run:
        print("Nothing removed: run `staffroom data purge` without --dry-run to remove these.", file=out)
    return 0


def run_export(school: School, email: str, out_path: Path, *, url: str | None = None, clock: Clock | None = None,
               out: TextIO | None = None) -> int:
    """Write everything held about `email` to `out_path` (a new .zip)."""
    out = out or sys.stdout
    if _bad_email(email, out):
        return 2
    if out_path.exists():
        print(f"{out_path} already exists: choose a new file name (nothing was written).", file=out)
        return 2
    now = (clock or SystemClock()).now()

    async def gather(database: Database) -> dict[str, object] | None:
        async with database.reading() as session:
            held = await find_holdings(session, school, email)
        return None if held.is_empty else build_export(school, held, now)

    try:
        data = _with_database(url, gather)
    except StorageError as error:
        print(f"The records can't be opened: {error}", file=out)
        return 2
    if data is None:
        print(f"Nothing is held about {normalise_email(email)}: not in the staff directory and no records "
              "(nothing was written).", file=out)
        return 1
    try:
        write_export(out_path, data)
    except OSError as error:
        print(f"Can't write {out_path}: {error.strerror or error} (nothing was written).", file=out)
        return 2
    print(f"Wrote {out_path}: report.md (to read) and data.json (machine-readable).", file=out)
    return 0


def _print_plan(plan: ErasurePlan, out: TextIO) -> None:
    for line in plan.describe():
        print(f"  {line}", file=out)


def run_erase(school: School, email: str, *, apply: bool, name: str | None = None, url: str | None = None,
              clock: Clock | None = None, out: TextIO | None = None) -> int:
    """Show what erasing `email` would do; with `apply`, do it in one transaction."""
    out = out or sys.stdout
    if _bad_email(email, out):
        return 2
    now = (clock or SystemClock()).now()
    address = normalise_email(email)

    async def work(database: Database) -> tuple[ErasurePlan, str | None]:
        if not apply:
            async with database.reading() as session:
                return await plan_erasure(session, school, address, now, name), None
        return await erase(database, school, address, now, name)

    try:
        plan, pseudonym = _with_database(url, work)
    except StorageError as error:
        print(f"The records can't be opened: {error}", file=out)
        return 2
    if plan.refusals:
        print(f"{address} can't be erased yet (nothing was changed):", file=out)
        for reason in plan.refusals:
            print(f"  - {reason}", file=out)
        return 1
    if plan.nothing_held:
        print(f"Nothing is held about {address} (already erased, or never recorded): nothing to do.", file=out)
        return 0
    if plan.held.member is not None:
        print(f"Note: {address} is still in the staff directory in {school.file}; remove them there too, "
              "or they will be recognised again when they next use Staffroom.", file=out)
    if not apply:
        print(f"Erasing {address} would change:", file=out)
        _print_plan(plan, out)
        print("Nothing changed: run again with --apply to erase.", file=out)
        return 0
    print(f"Erased {address}; records of decisions now name '{pseudonym}':", file=out)
    _print_plan(plan, out)
    return 0


def run_inventory(school: School, *, table: bool = False, out: TextIO | None = None) -> int:
    """Print the data inventory: tables, personal columns, purpose, retention (`table`: one Markdown table)."""
    out = out or sys.stdout
    entries = build_inventory(school.config)
    print((render_inventory_table if table else render_inventory)(entries), file=out, end="")
    return 0
