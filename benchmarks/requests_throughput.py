"""Benchmark: N requests through submit -> endorse -> approve on SQLite and PostgreSQL.

    python benchmarks/requests_throughput.py [--count 10000] [--concurrency 1]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]

PostgreSQL comes from `--postgres` or `STAFFROOM_BENCH_POSTGRES`; the benchmark creates a
scratch database next to the one named and drops it afterwards. Without either, only
SQLite (a temporary file) runs. Prints decisions per second and p50/p99 latency per step.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.messages import Action, Person
from bot.requests.conversation import RequestConversation
from bot.requests.workflow import RequestWorkflow
from bot.school import School, demo_school_folder, parse_school
from bot.store.database import open_database
from bot.store.tables import RequestRow
from intents.policy_library import load_library

#: A school day in term: Monday 23 November 2026, 10:00 London.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TEACHERS = 200


def build_school() -> School:
    """The demo school with 200 extra teachers, managed by the two phase leaders."""
    file = demo_school_folder() / "school.yaml"
    text = file.read_text(encoding="utf-8")
    managers = ("p.shah@oakfield.example", "t.whitfield@oakfield.example")
    extra = "".join(
        f"  - name: Teacher {n}\n    email: teacher{n}@oakfield.example\n"
        f"    job_title: Class Teacher\n    line_manager: {managers[n % 2]}\n"
        for n in range(TEACHERS)
    )
    return parse_school(file, text.rstrip("\n") + "\n" + extra)


def school_days(school: School, count: int) -> list[date]:
    days = list(school.calendar.school_days(NOW.date(), NOW.date() + timedelta(days=400)))
    return days[:count]


def act(email: str, action_id: str, value: str | int, **inputs: str) -> Action:
    return Action(
        person=Person(platform="bench", user_id=email, email=email),
        action_id=action_id,
        value=str(value),
        inputs=inputs,
    )


async def timed_phase(
    jobs: list[Callable[[], Awaitable[str]]], concurrency: int, expect: str
) -> tuple[float, list[float]]:
    """Run jobs with `concurrency` workers; return wall time and each job's latency in ms."""
    latencies: list[float] = []
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            job = queue.pop()
            started = time.perf_counter()
            text = await job()
            latencies.append((time.perf_counter() - started) * 1000)
            if not text.startswith(expect):
                raise RuntimeError(f"unexpected reply: {text}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(label: str, url: str, count: int, concurrency: int) -> None:
    school = build_school()
    database = await open_database(url, upgrade=True)
    conversation = RequestConversation(RequestWorkflow(school, database, load_library(school.folder)))
    days = school_days(school, 180)
    teachers = [f"teacher{n}@oakfield.example" for n in range(TEACHERS)]
    managers = {email: school.directory.line_manager_of(email) for email in teachers}

    async def reply_text(action: Action) -> str:
        return (await conversation.handle_action(action, NOW))[0].text

    def submit(n: int) -> Callable[[], Awaitable[str]]:
        inputs = {"start": days[n % len(days)].isoformat(), "reason_category": "specific_task", "note": "Reports"}
        return lambda: reply_text(act(teachers[n % TEACHERS], "request.submit", "wfh", **inputs))

    requesters: dict[int, str] = {}

    def endorse(n: int) -> Callable[[], Awaitable[str]]:
        # With several workers, request ids follow completion order, so ask the database whose each is.
        manager = managers[requesters[n + 1]]
        assert manager is not None
        return lambda: reply_text(act(manager.email, "request.endorse", n + 1))

    def approve(n: int) -> Callable[[], Awaitable[str]]:
        return lambda: reply_text(act("h.okafor@oakfield.example", "request.approve", n + 1))

    try:
        results = {}
        results["submit"] = await timed_phase([submit(n) for n in range(count)], concurrency, "Request #")
        async with database.reading() as session:
            rows = await session.execute(select(RequestRow.id, RequestRow.requester_email))
            requesters.update({request_id: email for request_id, email in rows})
        results["endorse"] = await timed_phase([endorse(n) for n in range(count)], concurrency, "You endorsed")
        results["approve"] = await timed_phase([approve(n) for n in range(count)], concurrency, "You approved")
    finally:
        await database.close()
    decision_time = results["endorse"][0] + results["approve"][0]
    print(f"\n{label}: {count:,} requests, concurrency {concurrency}")
    for step, (seconds, latencies) in results.items():
        print(
            f"  {step:8} {count / seconds:8.0f}/s   p50 {statistics.median(latencies):6.2f} ms"
            f"   p99 {percentile(latencies, 0.99):6.2f} ms"
        )
    print(f"  decisions (endorse + approve): {2 * count / decision_time:.0f} per second")


async def with_scratch_postgres(base_url: str, count: int, concurrency: int) -> None:
    name = f"staffroom_bench_{uuid.uuid4().hex[:8]}"
    dsn = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        await run("PostgreSQL", url, count, concurrency)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--postgres", default=os.environ.get("STAFFROOM_BENCH_POSTGRES"))
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            await run("SQLite", f"sqlite+aiosqlite:///{folder}/bench.sqlite3", args.count, args.concurrency)
    if args.postgres:
        await with_scratch_postgres(args.postgres, args.count, args.concurrency)


if __name__ == "__main__":
    asyncio.run(main())
