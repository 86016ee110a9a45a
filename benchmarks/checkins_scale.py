"""Benchmark: a trust of 100 schools, 10,000 staff, 2,000 working from home on one day.

    python benchmarks/checkins_scale.py [--schools 100] [--staff-per-school 100] [--home 20]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test] [--skip-sqlite] [--in-process]

Measures (1) the time for the check-in scheduler to work out and enqueue the day's prompts
for every school (target: 2 s or less), and (2) the outbox delivery rate through the real
Slack courier against the fake Slack Web API (tests/fakes/fake_slack_api.py, a loopback
aiohttp server), falling back to an in-process fake courier if that file is missing — the
output says which. PostgreSQL comes from `--postgres` or `STAFFROOM_BENCH_POSTGRES`; a
scratch database is created next to the one named and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scratch_postgres import scratch_postgres

from bot.checkins.scheduler import CheckInScheduler
from bot.clock import FakeClock
from bot.delivery.courier import Delivered, DeliveryResult, Recipient
from bot.delivery.dispatcher import Dispatcher, DispatchSettings
from bot.messages import Reply
from bot.school import School, demo_school_folder, parse_school
from bot.store.database import Database, open_database
from bot.store.tables import OutboxRow, PlatformAccountRow, RequestRow

#: Tuesday 24 November 2026, 10:00 London (GMT): the check-in time on a school day.
TEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)
MANAGERS = ("p.shah", "t.whitfield", "d.reyes", "n.brooks", "f.mcleod", "o.adeyemi")


def build_school(number: int, staff: int) -> School:
    """The demo school renamed `school<number>`, grown to `staff` people under six line managers."""
    file = demo_school_folder() / "school.yaml"
    domain = f"school{number}.example"
    text = file.read_text(encoding="utf-8").replace("oakfield.example", domain)
    text = text.replace("id: demo", f"id: school{number}", 1)
    extra = "".join(
        f"  - name: Teacher {n}\n    email: teacher{n}@{domain}\n    line_manager: {MANAGERS[n % 6]}@{domain}\n"
        for n in range(staff - 12)
    )
    return parse_school(file, text + extra)


async def seed(database: Database, schools: list[School], home: int) -> int:
    """Approved WFH requests for `home` teachers per school, and a Slack account for every person."""
    requests: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    for school in schools:
        for n in range(home):
            email = f"teacher{n}@{school.id}.example"
            requests.append({
                "school_id": school.id, "type": "wfh", "requester_email": email, "state": "approved", "step": 1,
                "chain": [], "start_date": DAY, "end_date": DAY, "weekday": None,
                "details": {"part_of_day": "whole_day"}, "note": "", "created_at": TEN, "updated_at": TEN,
                "step_started_at": TEN,
            })
        for member in school.directory:
            accounts.append({
                "school_id": school.id, "platform": "slack", "workspace": "T0SCHOOL",
                "user_id": f"U{len(accounts):06d}", "email": member.email, "conversation": None,
                "first_seen": TEN, "last_seen": TEN,
            })
    async with database.transaction() as session:
        for start in range(0, len(requests), 1000):
            await session.execute(insert(RequestRow), requests[start : start + 1000])
        for start in range(0, len(accounts), 1000):
            await session.execute(insert(PlatformAccountRow), accounts[start : start + 1000])
    return len(requests)


class InProcessCourier:
    """Accepts everything at once: measures the dispatcher and database alone."""

    platform = "slack"

    async def deliver(self, recipient: Recipient, reply: Reply, idempotency_key: str) -> DeliveryResult:
        await asyncio.sleep(0)
        return Delivered({"channel": recipient.user_id})


async def deliver_all(database: Database, schools: list[School], clock: FakeClock,
                      in_process: bool) -> tuple[str, int, float]:
    """Drain the outbox; returns (courier used, messages delivered, seconds)."""
    try:
        from fakes.fake_slack_api import FakeSlackApi

        from bot.slack.courier import SlackCourier
    except ImportError:
        FakeSlackApi = None  # type: ignore[assignment,misc]
    if in_process:
        FakeSlackApi = None  # type: ignore[assignment,misc]
    by_id = {school.id: school for school in schools}
    settings = DispatchSettings(batch=200, concurrency=32)
    if FakeSlackApi is None:
        dispatcher = Dispatcher(database, {"slack": InProcessCourier()}, by_id, clock, settings)
        started = time.perf_counter()
        report = await dispatcher.drain(limit=100_000)
        delivered = sum(count for outcome, count in report.counts.items() if outcome == "delivered")
        return "an in-process fake courier (no HTTP)", delivered, time.perf_counter() - started
    async with FakeSlackApi() as fake:

        async def token(_workspace: str) -> str:
            return "xoxb-benchmark"

        courier = SlackCourier(token, fake.base_url)
        dispatcher = Dispatcher(database, {"slack": courier}, by_id, clock, settings)
        started = time.perf_counter()
        report = await dispatcher.drain(limit=100_000)
        elapsed = time.perf_counter() - started
        posted = len(fake.called("chat.postMessage"))
    delivered = sum(count for outcome, count in report.counts.items() if outcome == "delivered")
    assert posted == delivered, (posted, delivered)
    courier_used = "the real SlackCourier -> fake Slack Web API on loopback (conversations.open + chat.postMessage)"
    return courier_used, delivered, elapsed


async def run(label: str, url: str, args: argparse.Namespace) -> None:
    schools = [build_school(n, args.staff_per_school) for n in range(args.schools)]
    database = await open_database(url, upgrade=True)
    try:
        home = await seed(database, schools, args.home)
        clock = FakeClock(TEN)
        scheduler = CheckInScheduler(schools, database, clock)
        started = time.perf_counter()
        queued = await scheduler.tick()
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = await CheckInScheduler(schools, database, clock).tick()  # a second instance: nothing new
        second = time.perf_counter() - started
        async with database.reading() as session:
            rows = int(await session.scalar(select(func.count()).select_from(OutboxRow)) or 0)
        staff = sum(len(school.directory) for school in schools)
        print(f"{label}: {len(schools)} schools, {staff:,} staff, {home:,} working from home on {DAY}")
        print(f"  work out and enqueue the day's prompts: {first:.2f} s ({queued:,} prompts to line managers)")
        print(f"  a second scheduler at the same minute:  {second:.2f} s ({again} more; outbox holds {rows:,})")
        courier, delivered, elapsed = await deliver_all(database, schools, clock, args.in_process)
        print(f"  deliver the outbox via {courier}:")
        print(f"    {delivered:,} messages in {elapsed:.2f} s = {delivered / elapsed:,.0f} messages/s")
    finally:
        await database.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--staff-per-school", type=int, default=100)
    parser.add_argument("--home", type=int, default=20, help="staff working from home per school")
    parser.add_argument("--postgres", default=os.environ.get("STAFFROOM_BENCH_POSTGRES"))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--in-process", action="store_true",
                        help="deliver through an in-process fake courier instead of the fake Slack Web API")
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
