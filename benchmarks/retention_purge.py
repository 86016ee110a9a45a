"""Benchmark: the retention purge of 100,000 old requests while the server keeps answering.

    python benchmarks/retention_purge.py [--requests 100000] [--batch 500]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test] [--skip-sqlite]

Fills a database with closed requests from four academic years ago (each with two audit
entries and a delivered message), plus a few current ones that must stay; starts the real
application (`build_app`) on loopback; then runs the purge `staffroom serve` runs daily, in
the same event loop, while a client asks `GET /healthz` every 20 ms. Prints the purge time
and the health check's latency before and during it. PostgreSQL comes from `--postgres` or
`STAFFROOM_BENCH_POSTGRES`; a scratch database is created next to it and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch_postgres import scratch_postgres

from bot.clock import FakeClock
from bot.privacy.retention import purge
from bot.root import Root
from bot.school import School, load_school
from bot.server import build_app
from bot.settings import Settings
from bot.store.database import Database, open_database
from bot.store.tables import AuditRow, OutboxRow, RequestRow

#: Tuesday 24 November 2026, 03:00 UTC: after the purge's hour, in the 2026/27 academic year.
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
#: Closed in the 2022/23 academic year: past a two-year retention by 1 September 2025.
OLD = datetime(2022, 10, 3, 9, 0, tzinfo=UTC)
CHUNK = 5_000


async def fill(database: Database, school: School, count: int) -> None:
    """`count` old closed requests with two audit entries and a delivered message each, and 10 current ones."""
    reply = '{"text": "Request decided.", "blocks": [], "ephemeral": false}'
    async with database.transaction() as session:
        first = int(await session.scalar(select(func.coalesce(func.max(RequestRow.id), 0))) or 0) + 1
    for start in range(0, count, CHUNK):
        ids = range(first + start, first + min(start + CHUNK, count))
        async with database.transaction() as session:
            await session.execute(insert(RequestRow), [
                {"id": i, "school_id": school.id, "type": "wfh", "requester_email": f"t{i % 500}@oakfield.example",
                 "state": "declined" if i % 2 else "cancelled", "step": 0, "chain": ["p.shah@oakfield.example"],
                 "start_date": date(2022, 10, 7), "end_date": date(2022, 10, 7), "weekday": None,
                 "details": {"part_of_day": "whole_day", "reason_category": "specific_task"}, "note": "Old note",
                 "created_at": OLD, "updated_at": OLD, "step_started_at": OLD} for i in ids])
            await session.execute(insert(AuditRow), [
                {"request_id": i, "school_id": school.id, "actor_email": "p.shah@oakfield.example", "at": OLD,
                 "event": event, "from_state": None, "to_state": "pending", "step": 0, "note": ""}
                for i in ids for event in ("submit", "decline")])
            await session.execute(insert(OutboxRow), [
                {"school_id": school.id, "recipient_email": f"t{i % 500}@oakfield.example", "request_id": i,
                 "reason": "request.declined", "reply": reply, "created_at": OLD, "deliver_after": OLD,
                 "delivered_at": OLD, "attempts": 1} for i in ids])
    async with database.transaction() as session:
        await session.execute(insert(RequestRow), [
            {"id": first + count + n, "school_id": school.id, "type": "wfh",
             "requester_email": "s.carter@oakfield.example",
             "state": "approved", "step": 1, "chain": ["p.shah@oakfield.example"], "start_date": NOW.date(),
             "end_date": NOW.date(), "weekday": None, "details": {}, "note": "", "created_at": NOW,
             "updated_at": NOW, "step_started_at": NOW} for n in range(10)])


async def count(database: Database, table: type[RequestRow] | type[AuditRow] | type[OutboxRow]) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def probe(url: str, stop: asyncio.Event, latencies: list[float]) -> None:
    """GET /healthz every 20 ms until told to stop, recording each answer's latency."""
    async with aiohttp.ClientSession() as client:
        while not stop.is_set():
            started = time.perf_counter()
            async with client.get(url) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"/healthz answered {response.status}")
            latencies.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.02)


def describe(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if len(ordered) >= 20 else ordered[-1]
    return (f"{len(ordered)} answers, median {statistics.median(ordered):.1f} ms, "
            f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms")


async def run(label: str, url: str, args: argparse.Namespace) -> None:
    school = load_school()
    database = await open_database(url, upgrade=True)
    print(f"{label}:")
    started = time.perf_counter()
    await fill(database, school, args.requests)
    print(f"  filled {args.requests:,} old requests (+{2 * args.requests:,} audit entries, "
          f"{args.requests:,} messages) in {time.perf_counter() - started:.1f} s")
    clock = FakeClock(NOW)
    runtime = Root(Settings(), school=school, clock=clock).runtime(database)
    runner = web.AppRunner(build_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        before: list[float] = []
        stop = asyncio.Event()
        prober = asyncio.create_task(probe(health, stop, before))
        await asyncio.sleep(2)
        stop.set()
        await prober
        during: list[float] = []
        stop = asyncio.Event()
        prober = asyncio.create_task(probe(health, stop, during))
        started = time.perf_counter()
        report = await purge(database, school, NOW, batch_size=args.batch)
        elapsed = time.perf_counter() - started
        stop.set()
        await prober
        left = await count(database, RequestRow)
        print(f"  purge (batches of {args.batch}): {report.summary()} in {elapsed:.1f} s "
              f"= {report.counts['requests'] / elapsed:,.0f} requests/s; {left} current requests kept")
        print(f"  /healthz before: {describe(before)}")
        print(f"  /healthz during: {describe(during)}")
        if left != 10:
            raise RuntimeError(f"expected the 10 current requests to stay, found {left}")
    finally:
        await runner.cleanup()  # closes the database too


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500, help="rows per purge transaction")
    parser.add_argument("--postgres", default=os.environ.get("STAFFROOM_BENCH_POSTGRES"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            await run("SQLite", f"sqlite+aiosqlite:///{folder}/bench.sqlite3", args)
    if args.postgres:
        async with scratch_postgres(args.postgres) as url:
            await run("PostgreSQL", url, args)


if __name__ == "__main__":
    asyncio.run(main())
