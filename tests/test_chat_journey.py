"""The whole journey through `staffroom chat`, scripted on stdin: request, endorse, approve, told."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TEACHER = "s.carter@oakfield.example"
LINE_MANAGER = "p.shah@oakfield.example"
HEAD = "h.okafor@oakfield.example"


def chat(data_dir: Path, script: list[str], as_email: str) -> str:
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--as", as_email],
        input="\n".join(script) + "\n", capture_output=True, text=True, timeout=120, env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def coming_friday(today: date) -> date:
    """The Friday after today (a Friday names the next one), worked out here, not by the product."""
    return today + timedelta(days=(4 - today.weekday()) % 7 or 7)


def test_request_endorse_approve_and_the_requester_is_told(tmp_path: Path) -> None:
    friday = coming_friday(datetime.now(ZoneInfo("Europe/London")).date())
    out = chat(tmp_path, [
        "can I work from home on Friday morning because of report writing?",
        "1",                      # Request to work from home
        "1", "", "", "", "", "", "quiet for reports",  # Send request: keep pre-filled values, add a note
        f"/as {LINE_MANAGER}", "show my requests", "1",  # Endorse
        f"/as {HEAD}", "show my requests", "1",          # Approve
        f"/as {TEACHER}",
    ], TEACHER)
    assert "Request #1 sent. It goes to Priya Shah then Helen Okafor." in out
    assert "You endorsed request #1." in out
    assert "You approved request #1." in out
    told = out.split("You are now Sam Carter", 2)[-1]
    assert "Priya Shah endorsed your request #1." in told
    assert "Helen Okafor approved your request #1." in told
    assert f"Fri {friday.day} {friday:%b %Y}, morning" in out


def test_state_survives_a_restart_and_a_second_approval_changes_nothing(tmp_path: Path) -> None:
    chat(tmp_path, ["can I wfh next Tuesday?", "1", "1", "", "", "", "", "other", ""], TEACHER)
    # A new process: the request is still there, waiting for the line manager.
    out = chat(tmp_path, ["show my requests", "1"], LINE_MANAGER)
    assert "You endorsed request #1." in out
    out = chat(tmp_path, ["show my requests", "1"], HEAD)
    assert "You approved request #1." in out
    # The line manager's old screen: nothing is waiting now.
    out = chat(tmp_path, ["show my requests"], LINE_MANAGER)
    assert "Endorse" not in out


def test_someone_not_in_the_directory_is_told_how_to_get_added(tmp_path: Path) -> None:
    out = chat(tmp_path, ["can I work from home tomorrow?", "1"], "visitor@elsewhere.example")
    assert "staff directory" in out


def test_borrowing_a_laptop_from_an_answer_through_approval_to_the_it_technician(tmp_path: Path) -> None:
    out = chat(tmp_path, [
        "can I borrow a laptop to work at home?",
        "1",                                   # Borrow a laptop or tablet (under the 8.1 answer)
        "1", "laptop", "", "my own one has broken",  # Send request: item, keep the date, why
        f"/as {LINE_MANAGER}", "show my requests", "1",  # Endorse
        f"/as {HEAD}", "show my requests", "1",          # Approve
        f"/as {TEACHER}", "1",                           # I accept the loan agreement
        "/as g.lewis@oakfield.example",                  # the IT technician
    ], TEACHER)
    assert "Working from Home Policy · 8.1 Equipment" in out
    assert "[1] Borrow a laptop or tablet" in out
    assert "Request #1 sent. It goes to Priya Shah then Helen Okafor." in out
    assert "Thank you. The IT technician will arrange your equipment (request #1)." in out
    technician = out.split("You are now Gareth Lewis", 1)[-1]
    assert "Sam Carter accepted the loan agreement: please issue request #1." in technician


def test_the_terminal_shows_waiting_messages_without_taking_them_from_slack_or_teams(tmp_path: Path) -> None:
    import asyncio

    from sqlalchemy import select

    from bot.store.database import open_database
    from bot.store.tables import OutboxRow

    chat(tmp_path, ["can I wfh next Tuesday?", "1", "1", "", "", "", "", "other", ""], TEACHER)
    out = chat(tmp_path, ["help", "help"], LINE_MANAGER)
    assert out.count("asks you to endorse request #1") == 1  # shown once in the session, not after every line

    async def waiting_for_the_line_manager() -> list[OutboxRow]:
        database = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'staffroom.sqlite3'}")
        try:
            async with database.reading() as session:
                return list(await session.scalars(select(OutboxRow).where(OutboxRow.recipient_email == LINE_MANAGER)))
        finally:
            await database.close()

    [card] = asyncio.run(waiting_for_the_line_manager())
    assert card.delivered_at is None  # still on its way to the line manager's Slack or Teams
