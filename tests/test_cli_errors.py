"""Database and listening problems in the commands: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import create_scratch_database, drop_scratch_database, postgres_base_url

DATABASE_COMMANDS = [
    ["db", "upgrade"],
    ["requests", "list"],
    ["outbox"],
    ["checkins", "preview", "--date", "2026-11-24"],
    ["checkins", "report", "--week", "--date", "2026-11-24"],
]


def staffroom(args: list[str], database_url: str | None, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    if database_url is not None:
        environment["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, timeout=120,
                          env=environment)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for words in expected:
        assert words in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("args", DATABASE_COMMANDS, ids=lambda args: " ".join(args[:2]))
def test_an_unreachable_database_is_one_line(args: list[str], tmp_path: Path) -> None:
    result = staffroom(args, "postgresql+asyncpg://postgres@127.0.0.1:1/staffroom", tmp_path)
    assert_one_clear_line(result, "The database postgresql+asyncpg://postgres@127.0.0.1:1/staffroom can't be used: "
                                  "nothing answers at 127.0.0.1:1")


@pytest.mark.parametrize("args", [DATABASE_COMMANDS[0], DATABASE_COMMANDS[2]], ids=lambda args: " ".join(args[:2]))
def test_a_sqlite_file_in_a_missing_folder_is_one_line(args: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "staffroom.sqlite3"
    result = staffroom(args, f"sqlite+aiosqlite:///{missing}", tmp_path)
    assert_one_clear_line(result, f"the folder {missing.parent} does not exist")


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = staffroom(["requests", "list"], None, blocker / "data")
    assert_one_clear_line(result, f"The data folder {blocker / 'data'} can't be created")


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    """A PostgreSQL database with no tables: created but never upgraded."""
    base = postgres_base_url()
    url = asyncio.run(create_scratch_database(base))
    try:
        yield url
    finally:
        asyncio.run(drop_scratch_database(base, url))


@pytest.mark.postgres
@pytest.mark.parametrize("args", DATABASE_COMMANDS[1:4], ids=lambda args: " ".join(args[:2]))
def test_a_database_not_upgraded_is_one_line_naming_the_fix(args: list[str], empty_postgres: str,
                                                            tmp_path: Path) -> None:
    result = staffroom(args, empty_postgres, tmp_path)
    assert_one_clear_line(result, "has no Staffroom tables yet", "run `staffroom db upgrade` first")


@pytest.mark.postgres
@pytest.mark.parametrize("args", DATABASE_COMMANDS[:2], ids=lambda args: " ".join(args[:2]))
def test_a_missing_postgres_database_is_one_line(args: list[str], empty_postgres: str, tmp_path: Path) -> None:
    missing = empty_postgres.rsplit("/", 1)[0] + "/staffroom_no_such_database"
    result = staffroom(args, missing, tmp_path)
    assert_one_clear_line(result, 'database "staffroom_no_such_database" does not exist')


@pytest.mark.postgres
def test_db_upgrade_then_the_commands_work_on_the_upgraded_database(empty_postgres: str, tmp_path: Path) -> None:
    upgraded = staffroom(["db", "upgrade"], empty_postgres, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "Database is up to date" in upgraded.stdout
    listed = staffroom(["requests", "list"], empty_postgres, tmp_path)
    assert listed.returncode == 0, listed.stderr


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


@pytest.mark.parametrize("args", [["serve", "--host", "127.0.0.1"], ["demo"]], ids=["serve", "demo"])
def test_a_port_already_in_use_is_one_line(args: list[str], busy_port: int, tmp_path: Path) -> None:
    result = staffroom([*args, "--port", str(busy_port)], None, tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"Can't listen on 127.0.0.1:{busy_port}: the port is already in use. "
                             "Stop what is using it, or choose another port with --port.\n")
