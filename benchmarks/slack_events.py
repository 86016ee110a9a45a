"""Benchmark: signed Slack message events against the real server, and a minimal Bolt app as the ceiling.

    python benchmarks/slack_events.py [--count 2000] [--concurrency 50] [--latency-ms 0] [--rounds 3]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]

Each app runs in its own process on loopback (aiohttp, as `staffroom serve` would); the
fake Slack Web API (tests/fakes/fake_slack_api.py) the apps answer through runs in a third,
and this process plays Slack's event sender: it signs every event before the clock starts,
then only sends and times. Each event is a direct message with its own thread, so the
answer reaching the fake API can be matched to the event that caused it. Prints
events per second and p50/p99 time to acknowledge (the HTTP response) and time until
the answer reaches the fake API, and the server's CPU time per event, for Staffroom (`build_app`: signature check, bolt,
database de-duplication, identity, the router, Block Kit) and for a Bolt app that only
acknowledges and posts "ok". The two take turns for `--rounds` rounds (who goes first
alternates, so a machine that drifts favours neither); the median round's rate counts and
percentiles are over every event of every round. Targets: p99 ack <= 100 ms at 50 concurrent, throughput
>= 50% of the minimal app. `--latency-ms` adds a delay to every fake Web API answer;
`STAFFROOM_BENCH_PROFILE=FILE` writes a cProfile of the Staffroom server process;
`STAFFROOM_BENCH_NO_QUESTION_LOG=1` leaves out the question desk (👍/👎 under answers; a row per declined
question, one question in six here) to see its cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import multiprocessing.process
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.fake_slack_api import Call, FakeSlackApi  # noqa: E402
from fakes.slack_payloads import SIGNING_SECRET, signed_headers  # noqa: E402
from slack_bolt.app.async_app import AsyncApp  # noqa: E402
from slack_sdk.web.async_client import AsyncWebClient  # noqa: E402

from bot.clock import SystemClock  # noqa: E402
from bot.root import Root, compose_app  # noqa: E402
from bot.school import load_school  # noqa: E402
from bot.server import freeze_start_up_objects  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.store.database import Database, create_engine, upgrade_schema  # noqa: E402

TEAM = "T0SCHOOL"
QUESTIONS = (
    "who do I contact about IT?",
    "do I have to answer parent emails in the evening?",
    "what is the policy on working from home?",
    "who approves working from home?",
    "how do I borrow a laptop?",
    "what time does the school day start?",
)
STAFF = ("s.carter", "p.shah", "a.hussain", "l.bennett", "n.brooks", "f.mcleod", "g.lewis", "o.adeyemi")


@dataclass
class Figures:
    label: str
    count: int
    seconds: float
    cpu_seconds: float = 0.0
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def event_for(n: int, user: str) -> tuple[str, str]:
    """A DM in its own thread: the thread ts names the event in the answer."""
    thread = f"1800000000.{n:06d}"
    event = {"type": "message", "channel_type": "im", "channel": "D" + user.lstrip("U"), "user": user,
             "text": QUESTIONS[n % len(QUESTIONS)], "ts": f"1800000001.{n:06d}", "thread_ts": thread}
    body = {"token": "x", "team_id": TEAM, "api_app_id": "A0", "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:16]}", "event_time": int(time.time()), "event": event}
    return json.dumps(body), thread


async def drive(label: str, url: str, api: str, count: int, concurrency: int, offset: int,
                server_pid: int | None = None) -> Figures:
    """Send `count` events with `concurrency` in flight; wait for every answer.

    Bodies are built and signed before the clock starts, so this process only sends and
    times; the fake Web API, in its own process, stamps each answer with the same
    system-wide monotonic clock (`time.monotonic`).
    """
    prepared = []
    for n in range(offset, offset + count):
        body, thread = event_for(n, f"U{n % 200:04d}")
        prepared.append((body.encode(), signed_headers(body), thread))
    sent: dict[str, float] = {}
    figures = Figures(label, count, 0.0)
    queue = iter(prepared)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await (await session.post(api + "_bench/reset")).read()
        cpu_before = cpu_seconds(server_pid)

        async def worker() -> None:
            for data, headers, thread in queue:
                started = time.monotonic()
                sent[thread] = started
                async with session.post(url, data=data, headers=headers) as response:
                    await response.read()
                figures.acks.append(time.monotonic() - started)
                figures.statuses[response.status] = figures.statuses.get(response.status, 0) + 1

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        deadline = time.monotonic() + 120
        while True:
            async with session.get(api + "_bench/answered") as response:
                answered_count = int((await response.json())["count"])
            if answered_count >= count or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
        async with session.get(api + "_bench/answers") as response:
            answered: dict[str, float] = {k: v for k, v in (await response.json()).items() if k in sent}
        if len(answered) < count:
            print(f"  {label}: only {len(answered)} of {count} answers arrived", file=sys.stderr)
        figures.seconds = (max(answered.values()) if answered else time.monotonic()) - began
        figures.cpu_seconds = cpu_seconds(server_pid) - cpu_before
    figures.answers = [answered[t] - sent[t] for t in answered]
    return figures


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time a process has used so far (Linux /proc), 0 when unknown."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_fake_api(profiles: dict[str, dict[str, str]], delay: float, urls: Any) -> None:
    """In a child process: the fake Slack Web API, recording when each threaded answer arrived."""
    logging.basicConfig(level=logging.ERROR)

    async def main() -> None:
        answered: dict[str, float] = {}

        def on_call(call: Call) -> None:
            thread = call.body.get("thread_ts")
            if call.method == "chat.postMessage" and isinstance(thread, str) and thread not in answered:
                answered[thread] = time.monotonic()
            if len(fake.calls) > 1000:
                fake.calls.clear()  # the benchmark reads times, not calls: keep memory flat

        async def reset(_: web.Request) -> web.Response:
            answered.clear()
            return web.json_response({"ok": True})

        async def count(_: web.Request) -> web.Response:
            return web.json_response({"count": len(answered)})

        async def answers(_: web.Request) -> web.Response:
            return web.json_response(answered)

        async with FakeSlackApi(profiles=profiles, delay=delay) as fake:
            fake.on_call(on_call)
            bench = web.Application()
            bench.router.add_post("/_bench/reset", reset)
            bench.router.add_get("/_bench/answered", count)
            bench.router.add_get("/_bench/answers", answers)
            _runner, port = await serve(bench)
            urls.put((fake.base_url, f"http://127.0.0.1:{port}/"))
            await asyncio.Event().wait()

    asyncio.run(main())


async def serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, int(port)


def minimal_bolt_app(api_url: str) -> web.Application:
    """The ceiling: a Bolt app that only acknowledges and posts "ok" in the thread."""
    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)
    bolt = AsyncApp(signing_secret=SIGNING_SECRET, client=client)

    async def open_session(_: web.Application) -> None:
        client.session = aiohttp.ClientSession()

    @bolt.event("message")
    async def answer(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], thread_ts=event.get("thread_ts"), text="ok")

    app = bolt.web_app(path="/slack/events")
    app.on_startup.append(open_session)
    return app


def staffroom_app(api_url: str, database_url: str) -> web.Application:
    """`staffroom serve`'s application for the demo school, its Slack Web API at `api_url`."""
    settings = Settings.model_validate({"slack_bot_token": "xoxb-bench", "slack_signing_secret": SIGNING_SECRET,
                                        "slack_api_url": api_url})
    # Assembled as `staffroom serve` assembles it: each answer is logged for 👍/👎 (one insert per question).
    runtime = Root(settings, school=load_school(), clock=SystemClock()).runtime(Database(create_engine(database_url)))
    if os.environ.get("STAFFROOM_BENCH_NO_QUESTION_LOG"):
        runtime.assistant.questions = None
    return compose_app(runtime)


def run_server(kind: str, api_url: str, database_url: str, ports: Any) -> None:
    """In a child process: serve one app until terminated, telling the parent its port."""
    logging.basicConfig(level=logging.ERROR)

    async def main() -> None:
        app = staffroom_app(api_url, database_url) if kind == "staffroom" else minimal_bolt_app(api_url)
        _, port = await serve(app)
        await freeze_start_up_objects(app)  # as `staffroom serve` does; the ceiling gets it too
        ports.put(port)
        await asyncio.Event().wait()

    profile_to = os.environ.get("STAFFROOM_BENCH_PROFILE")
    if profile_to and kind == "staffroom":
        import cProfile
        import signal

        def stop(*_: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        profiler = cProfile.Profile()
        try:
            profiler.runcall(asyncio.run, main())
        except KeyboardInterrupt:
            pass
        finally:
            profiler.dump_stats(profile_to)
        return
    asyncio.run(main())


def start_server(kind: str, api_url: str, database_url: str) -> tuple[multiprocessing.process.BaseProcess, str]:
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=run_server, args=(kind, api_url, database_url, ports), daemon=True)
    process.start()
    port = ports.get(timeout=120)
    return process, f"http://127.0.0.1:{port}/slack/events"


async def bench_database(postgres: str | None) -> tuple[str, Callable[[], Awaitable[None]]]:
    """A migrated scratch database: a temporary SQLite file, or a new database on `postgres`."""
    if postgres:
        name = f"staffroom_bench_{uuid.uuid4().hex[:10]}"
        dsn = make_url(postgres).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        await connection.execute(f'CREATE DATABASE "{name}"')
        await connection.close()
        url = make_url(postgres).set(database=name).render_as_string(hide_password=False)

        async def drop() -> None:
            connection = await asyncpg.connect(dsn)
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.close()
    else:
        folder = tempfile.mkdtemp(prefix="staffroom-bench-")
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"

        async def drop() -> None:
            return None
    engine = create_engine(url)
    await upgrade_schema(engine)
    await engine.dispose()
    return url, drop


def report(figures: Figures) -> None:
    ms = 1000.0
    print(f"{figures.label:<12} {figures.per_second:9.1f} events/s   "
          f"ack p50 {percentile(figures.acks, 0.5) * ms:6.1f} ms  p99 {percentile(figures.acks, 0.99) * ms:6.1f} ms   "
          f"answer p50 {percentile(figures.answers, 0.5) * ms:7.1f} ms  "
          f"p99 {percentile(figures.answers, 0.99) * ms:7.1f} ms   "
          f"server CPU {figures.cpu_seconds / figures.count * ms:4.2f} ms/event   HTTP {figures.statuses}")


def pooled(label: str, rounds: list[Figures]) -> Figures:
    """Several rounds as one: the median round's rate, percentiles over every event of every round."""
    middle = sorted(rounds, key=lambda figures: figures.per_second)[len(rounds) // 2]
    together = Figures(label, middle.count, middle.seconds, sum(f.cpu_seconds for f in rounds) / len(rounds))
    for figures in rounds:
        together.acks += figures.acks
        together.answers += figures.answers
        for status, n in figures.statuses.items():
            together.statuses[status] = together.statuses.get(status, 0) + n
    return together


async def main(count: int, concurrency: int, latency_ms: float, postgres: str | None, rounds: int) -> None:
    profiles = {f"U{n:04d}": {"email": f"{STAFF[n % len(STAFF)]}@oakfield.example"} for n in range(200)}
    context = multiprocessing.get_context("spawn")
    urls = context.Queue()
    fake_process = context.Process(target=run_fake_api, args=(profiles, latency_ms / 1000, urls), daemon=True)
    fake_process.start()
    api_url, bench_url = urls.get(timeout=120)
    database_url, drop = await bench_database(postgres)
    ours_process, url = start_server("staffroom", api_url, database_url)
    ceiling_process, ceiling_url = start_server("minimal", api_url, database_url)
    try:
        warm = min(300, count)
        await drive("warm-up", url, bench_url, warm, concurrency, 0)
        await drive("warm-up", ceiling_url, bench_url, warm, concurrency, 0)
        kind = "PostgreSQL" if postgres else "SQLite"
        print(f"{count} signed DM events a round, {rounds} rounds, {concurrency} concurrent, "
              f"fake Web API latency {latency_ms:g} ms, {kind}")
        ours_rounds: list[Figures] = []
        ceiling_rounds: list[Figures] = []
        for number in range(rounds):
            offset = 100_000 + number * count

            async def run_ours(offset: int = offset) -> None:
                ours_rounds.append(await drive("staffroom", url, bench_url, count, concurrency, offset,
                                               ours_process.pid))

            async def run_ceiling(offset: int = offset) -> None:
                ceiling_rounds.append(await drive("minimal-bolt", ceiling_url, bench_url, count, concurrency, offset,
                                                  ceiling_process.pid))

            # Alternate which goes first, so a machine that slows down or speeds up favours neither.
            for run in (run_ours, run_ceiling) if number % 2 == 0 else (run_ceiling, run_ours):
                await run()
            ratio = ours_rounds[-1].per_second / ceiling_rounds[-1].per_second
            print(f"  round {number + 1}: staffroom {ours_rounds[-1].per_second:.0f}/s, "
                  f"minimal {ceiling_rounds[-1].per_second:.0f}/s ({ratio:.0%}), staffroom ack p99 "
                  f"{percentile(ours_rounds[-1].acks, 0.99) * 1000:.1f} ms")
        ours, ceiling = pooled("staffroom", ours_rounds), pooled("minimal-bolt", ceiling_rounds)
        print("median round's rate; percentiles over every event of every round:")
        report(ours)
        report(ceiling)
        ratio = ours.per_second / ceiling.per_second if ceiling.per_second else 0.0
        p99_ack = percentile(ours.acks, 0.99) * 1000
        print(f"throughput {ratio:.0%} of the minimal Bolt app (target >= 50%); "
              f"p99 ack {p99_ack:.1f} ms (target <= 100 ms)")
    finally:
        for process in (ours_process, ceiling_process, fake_process):
            process.terminate()
            process.join(10)
        await drop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL to create a scratch database on")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each app (the median counts)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.count, arguments.concurrency, arguments.latency_ms, arguments.postgres,
                     max(1, arguments.rounds)))
