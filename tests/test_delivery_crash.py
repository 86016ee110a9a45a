"""kill -9 during delivery, then restart: every message reaches Slack exactly once.

A real `staffroom serve` process delivers 26 queued messages through the fake Slack Web API,
which takes each post at once but answers it slowly (and fails some). The server is killed
with SIGKILL while posts are in flight — they have reached Slack, the database doesn't know —
then started again. The restarted server takes the dead process's claims back at once, looks
in each DM for a message's idempotency key before posting it again, and delivers the rest.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from fakes.fake_slack_api import FakeSlackApi
from sqlalchemy import func, select

from bot.messages import Notice, Reply
from bot.school.loading import demo_school_folder
from bot.slack.courier import METADATA_TYPE
from bot.store.accounts import remember_account
from bot.store.database import Database, open_database
from bot.store.outbox import add_notices
from bot.store.tables import OutboxRow

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = 26


def school_open_now(folder: Path) -> str:
    """The demo school, in a time zone where it is around midday now, open every day: any hour works."""
    shutil.copytree(demo_school_folder(), folder)
    config: dict[str, Any] = yaml.safe_load((folder / "school.yaml").read_text(encoding="utf-8"))
    offset = 12 - datetime.now(UTC).hour  # local time about 12:00 (±1 h), within -11…+12
    zone = "Etc/GMT" + (f"{-offset:+d}" if offset else "")
    today = datetime.now(ZoneInfo(zone)).date()
    config.update(
        time_zone=zone,
        bank_holidays="none",
        working_days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        working_hours={"start": "06:00", "end": "20:00"},
        terms=[{"name": "Now", "start": today - timedelta(days=30), "end": today + timedelta(days=30)}],
        closures=[],
        delegates=[],
        delivery={"max_attempts": 20, "first_retry_seconds": 1, "longest_wait_seconds": 2},
    )
    (folder / "school.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return zone


async def fill_outbox(url: str, staff: list[str]) -> None:
    database = await open_database(url)
    now = datetime.now(UTC)
    try:
        for number, email in enumerate(staff):
            await remember_account(database, school_id="demo", platform="slack", workspace="T0SCHOOL",
                                   user_id=f"U{number:03d}", email=email, now=now)
        async with database.transaction() as session:
            notices = [Notice(recipient_email=staff[n % len(staff)], reply=Reply(text=f"Notice {n}"),
                              reason="test.notice") for n in range(MESSAGES)]
            add_notices(session, "demo", notices, now=now, deliver_after=now - timedelta(seconds=1))
    finally:
        await database.close()


async def delivered(database: Database) -> int:
    async with database.reading() as session:
        count = await session.scalar(select(func.count()).select_from(OutboxRow)
                                     .where(OutboxRow.delivered_at.is_not(None)))
    return int(count or 0)


def start_server(folder: Path, data: Path, fake: FakeSlackApi, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "STAFFROOM_POLICIES": str(folder), "STAFFROOM_DATA_DIR": str(data),
           "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "crash-test-secret",
           "SLACK_API_URL": fake.base_url, "STAFFROOM_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    with log.open("ab") as output:
        return subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", "0"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output)


async def wait_until(condition: Any, timeout: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_kill_9_during_slow_delivery_then_restart_posts_each_message_exactly_once(tmp_path: Path) -> None:
    folder, data = tmp_path / "school", tmp_path / "data"
    data.mkdir()
    school_open_now(folder)
    staff = [person["email"] for person in yaml.safe_load((folder / "school.yaml").read_text())["staff"]]
    url = f"sqlite+aiosqlite:///{data / 'staffroom.sqlite3'}"
    await fill_outbox(url, staff)

    async with FakeSlackApi(delays={"chat.postMessage": 1.5}) as fake:
        fake.fail("chat.postMessage", status=500, times=2)  # failing, and slow
        log = tmp_path / "server.log"
        server = start_server(folder, data, fake, log)
        try:
            async def some_posts_in_flight() -> bool:
                assert server.poll() is None, log.read_text()
                return len(fake.called("chat.postMessage")) >= 8

            await wait_until(some_posts_in_flight, 90, "the first posts")
            server.send_signal(signal.SIGKILL)
            server.wait(10)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait(10)

        database = await open_database(url)
        before_restart = await delivered(database)
        assert before_restart < MESSAGES
        in_flight = sum(len(m) for m in fake.history.values())
        assert in_flight > before_restart  # some posts reached Slack but were never recorded

        restarted = start_server(folder, data, fake, log)
        started = asyncio.get_running_loop().time()
        try:
            async def all_delivered() -> bool:
                assert restarted.poll() is None, log.read_text()
                return await delivered(database) == MESSAGES

            await wait_until(all_delivered, 120, "every message to be delivered after the restart")
            took = asyncio.get_running_loop().time() - started
        finally:
            restarted.send_signal(signal.SIGTERM)
            try:
                restarted.wait(20)
            except subprocess.TimeoutExpired:
                restarted.kill()
            await database.close()

    posts = Counter(m["metadata"]["event_payload"]["key"] for messages in fake.history.values() for m in messages
                    if m.get("metadata", {}).get("event_type") == METADATA_TYPE)
    assert len(posts) == MESSAGES
    assert set(posts.values()) == {1}, {key: n for key, n in posts.items() if n != 1}
    assert took < 90  # the dead process's claims were taken back at once, not after minutes
