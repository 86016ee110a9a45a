"""A `.env` file names the database and the school folder for `serve`, `chat` and `requests list`.

Each command runs in a folder holding only a `.env`, with neither variable in its environment:
the request it lists or shows, the school it names and the dead letter `/healthz` counts are in
the database and school the `.env` names, and no `./data` SQLite file appears instead. An
environment variable still wins over `.env`, and `--policies` over both.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.clock import SystemClock
from bot.messages import Notice, Reply
from bot.school import demo_school_folder
from bot.store.database import open_database
from bot.store.outbox import add_notices
from bot.store.tables import OutboxRow, RequestRow
from tests.conftest import HEAD, PHASE_LEADER, TEACHER

#: The variables `.env` sets here; none may come from the test's own environment.
DOTENV_NAMES = {"DATABASE_URL", "STAFFROOM_POLICIES", "STAFFROOM_DATA_DIR"}
SCHOOL_ID = "elmwood"
RENAMED = "Samira Carter"  # Sam Carter, as the .env's school.yaml names her


@dataclass(frozen=True)
class Place:
    """A folder to run commands in, whose `.env` names a school folder and a database elsewhere."""

    work: Path
    school: Path
    database_url: str

    def environment(self, **extra: str) -> dict[str, str]:
        kept = {name: value for name, value in os.environ.items() if name.upper() not in DOTENV_NAMES}
        return {**kept, **extra}

    def staffroom(self, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=self.work, input=stdin,
                              env=self.environment(**extra), capture_output=True, text=True, timeout=120)

    def default_database_used(self) -> bool:
        return (self.work / "data").exists()


async def fill(url: str) -> None:
    """One pending request from Sam Carter in the `.env`'s school, and one dead letter."""
    database = await open_database(url)  # SQLite: created and upgraded
    now = SystemClock().now()
    day = now.date() + timedelta(days=7)
    try:
        async with database.transaction() as session:
            session.add(RequestRow(school_id=SCHOOL_ID, type="wfh", requester_email=TEACHER, state="pending", step=0,
                                   chain=[PHASE_LEADER, HEAD], start_date=day, end_date=day, weekday=None,
                                   details={"part_of_day": "whole_day"}, note="", created_at=now, updated_at=now,
                                   step_started_at=now))
            add_notices(session, SCHOOL_ID, [Notice(recipient_email=HEAD, reply=Reply(text="hi"), reason="test")],
                        now=now, deliver_after=now)
        async with database.transaction() as session:
            await session.execute(update(OutboxRow).values(dead_at=now))
    finally:
        await database.close()


@pytest.fixture
def place(tmp_path: Path) -> Place:
    school = tmp_path / "schools" / SCHOOL_ID
    shutil.copytree(demo_school_folder(), school)
    text = (school / "school.yaml").read_text(encoding="utf-8")
    for old, new in (("\nid: demo\n", f"\nid: {SCHOOL_ID}\n"), ("- name: Sam Carter\n", f"- name: {RENAMED}\n")):
        assert old in text
        text = text.replace(old, new)
    (school / "school.yaml").write_text(text, encoding="utf-8")
    records = tmp_path / "records"
    records.mkdir()
    url = f"sqlite+aiosqlite:///{records / 'elmwood.sqlite3'}"
    asyncio.run(fill(url))
    work = tmp_path / "work"
    work.mkdir()
    (work / ".env").write_text(f"DATABASE_URL={url}\nSTAFFROOM_POLICIES={school}\n", encoding="utf-8")
    return Place(work, school, url)


def test_requests_list_reads_the_database_and_school_from_dotenv(place: Place) -> None:
    result = place.staffroom("requests", "list")
    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if line.startswith("1 ")]
    assert SCHOOL_ID in row and RENAMED in row  # the request from the .env's database, named from its school
    assert not place.default_database_used()


def test_the_environment_wins_over_dotenv_and_policies_over_both(place: Place, tmp_path: Path) -> None:
    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    from_environment = place.staffroom("requests", "list", DATABASE_URL=empty)
    assert from_environment.returncode == 0, from_environment.stderr
    assert from_environment.stdout == "No requests match.\n"
    demo = str(demo_school_folder())
    for args, extra in ((("--policies", demo), {}), ((), {"STAFFROOM_POLICIES": demo}),
                        (("--policies", demo), {"STAFFROOM_POLICIES": str(place.school)})):
        listed = place.staffroom("requests", "list", *args, **extra)
        assert listed.returncode == 0, listed.stderr
        assert RENAMED not in listed.stdout and TEACHER in listed.stdout  # the demo school has no "elmwood"


def test_a_dotenv_naming_a_school_folder_that_isnt_there_is_refused_not_ignored(place: Place) -> None:
    missing = place.school.parent / "elmwod"  # mistyped
    (place.work / ".env").write_text(f"DATABASE_URL={place.database_url}\nSTAFFROOM_POLICIES={missing}\n",
                                     encoding="utf-8")
    listed = place.staffroom("requests", "list")
    assert listed.returncode == 2 and listed.stdout == "" and "Traceback" not in listed.stderr
    assert f"The school folder {missing} doesn't exist" in listed.stderr and "STAFFROOM_POLICIES" in listed.stderr


def test_chat_reads_the_database_and_school_from_dotenv(place: Place) -> None:
    result = place.staffroom("chat", "--as", TEACHER, stdin="show my requests\n")
    assert result.returncode == 0, result.stderr
    assert f"You are now {RENAMED}" in result.stdout
    assert "You have no requests" not in result.stdout
    assert "#1" in result.stdout  # the pending request in the .env's database
    assert not place.default_database_used()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return dict(json.loads(response.read()))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def test_serve_reads_the_database_and_school_from_dotenv(place: Place, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  cwd=place.work, env=place.environment(STAFFROOM_LOG_LEVEL="WARNING"),
                                  stdout=subprocess.DEVNULL, stderr=output)
    try:
        deadline = time.monotonic() + 90
        body = None
        while body is None:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "serve did not answer /healthz in 90 s"
            time.sleep(0.2)
            body = health(port)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    assert body == {"status": "ok", "school": SCHOOL_ID, "dead_letters": 1}
    assert not place.default_database_used()
