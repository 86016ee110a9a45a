"""`staffroom outbox`: what is waiting to be delivered, the dead letters, and sending them again."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import TextIO

from bot.clock import SystemClock
from bot.store.database import open_database
from bot.store.outbox import list_dead, outbox_counts, requeue_dead
from bot.store.tables import OutboxRow

_HEADINGS = ("#", "School", "To", "Kind", "Tries", "Given up", "Why")


def render_dead_letters(rows: Sequence[OutboxRow]) -> str:
    table = [
        (str(r.id), r.school_id, r.recipient_email, r.reason, str(r.attempts),
         f"{r.dead_at:%Y-%m-%d %H:%M}" if r.dead_at else "", (r.last_error or "")[:60])
        for r in rows
    ]
    widths = [max(len(cell) for cell in column) for column in zip(_HEADINGS, *table, strict=False)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in (_HEADINGS, *table)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def show_outbox(*, url: str | None = None, out: TextIO = sys.stdout) -> int:
    """Print the pending count and the dead letters. Exit status 1 when there are dead letters."""

    async def run() -> tuple[int, str | None, list[OutboxRow]]:
        database = await open_database(url)
        try:
            counts = await outbox_counts(database)
            async with database.reading() as session:
                dead = await list_dead(session)
        finally:
            await database.close()
        oldest = f"{counts.oldest_pending:%Y-%m-%d %H:%M} UTC" if counts.oldest_pending else None
        return counts.pending, oldest, dead

    pending, oldest, dead = asyncio.run(run())
    waiting = f", the oldest due {oldest}" if oldest else ""
    print(f"Waiting to be delivered: {pending}{waiting}.", file=out)
    if not dead:
        print("Dead letters: none.", file=out)
        return 0
    print(f"Dead letters: {len(dead)} (not delivered; the admin was told). "
          "Send again with `staffroom outbox retry ID…` once the person has opened Staffroom.\n", file=out)
    print(render_dead_letters(dead), file=out)
    return 1


def retry_outbox(ids: Sequence[int], *, url: str | None = None, out: TextIO = sys.stdout) -> int:
    """Put dead letters back in the queue."""

    async def run() -> int:
        database = await open_database(url)
        try:
            return await requeue_dead(database, ids, SystemClock().now())
        finally:
            await database.close()

    done = asyncio.run(run())
    missing = len(set(ids)) - done
    print(f"{done} dead letter(s) queued again." + (f" {missing} id(s) were not dead letters." if missing else ""),
          file=out)
    return 0 if not missing else 1
