"""The request form in `staffroom chat`: choices by number, label or its start; a missing field is asked again."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.chat import run_chat
from bot.clock import FakeClock
from bot.messages import Choice, Input
from bot.requests.conversation import RequestConversation
from bot.root import Root
from bot.settings import Settings
from bot.store.database import Database
from bot.terminal_form import prompt_for, read_answer
from tests.conftest import TEACHER, fetch_request

REASON = Input(name="reason_category", label="Reason", kind="choice", choices=(
    Choice(label="Flexible working", value="flexible_working"),
    Choice(label="Clinical or public-health advice", value="health_advice"),
    Choice(label="A specific task (e.g. report checking)", value="specific_task"),
    Choice(label="Other circumstances", value="other"),
))


async def chat(conversation: RequestConversation, clock: FakeClock, database: Database, lines: list[str]) -> str:
    assistant = Root(Settings(), school=conversation.school, clock=clock).assistant(database)
    out = io.StringIO()
    assert await run_chat(assistant, io.StringIO("\n".join(lines) + "\n"), out, TEACHER, database) == 0
    return out.getvalue()


# Monday 23 November 2026 (the clock fixture): "Friday" is Fri 27 Nov; the form asks, in order, for
# date, last date, repeat, part of the day, reason, note.
OPEN_FORM = ["can I work from home on Friday?", "1", "1"]


@pytest.mark.parametrize(("typed", "stored"), [
    ("3", "specific_task"),
    ("A specific task (e.g. report checking)", "specific_task"),
    ("a spec", "specific_task"),
    ("flex", "flexible_working"),
    ("other", "other"),
    ("specific", "specific_task"),
    ("Clinical", "health_advice"),
])
async def test_a_choice_takes_its_number_its_label_or_the_start_of_it(
    conversation: RequestConversation, clock: FakeClock, database: Database, typed: str, stored: str
) -> None:
    out = await chat(conversation, clock, database, [*OPEN_FORM, "", "", "", "", typed, ""])
    assert "Request #1 sent" in out
    request = await fetch_request(database, 1)
    assert request.details["reason_category"] == stored


async def test_enter_through_the_form_asks_for_the_reason_again_and_keeps_the_rest(
    conversation: RequestConversation, clock: FakeClock, database: Database
) -> None:
    lines = [*OPEN_FORM, "", "", "", "2", "", "nonsense", "4", "back by noon"]
    out = await chat(conversation, clock, database, lines)
    assert '"Reason" is needed: please choose 1 Flexible working' in out
    assert "'nonsense' is not one of the choices." in out
    assert "Please choose the reason for working from home." not in out
    assert "Request #1 sent" in out
    request = await fetch_request(database, 1)
    assert request.start_date == date(2026, 11, 27)
    assert request.details == {"part_of_day": "morning", "reason_category": "other", "flags": []}
    assert request.note == "back by noon"


async def test_a_bad_date_is_asked_again(conversation: RequestConversation, clock: FakeClock,
                                         database: Database) -> None:
    lines = [*OPEN_FORM, "next friday", "2026-11-20", "2026-12-02", "", "", "", "3", ""]
    out = await chat(conversation, clock, database, lines)
    assert '"Date (or first date)": please give a date as YYYY-MM-DD, for example 2026-11-27.' in out
    assert "Friday 20 November 2026 has already passed" in out
    request = await fetch_request(database, 1)
    assert request.start_date == date(2026, 12, 2)


async def test_a_choice_several_labels_begin_with_asks_for_the_number() -> None:
    part = Input(name="part", label="Part of the day", kind="choice", choices=(
        Choice(label="Morning", value="morning"), Choice(label="Most of it", value="most")))
    answer = read_answer(part, "mo")
    assert answer.problem == "'mo' could be 1 Morning, 2 Most of it: please type the number."
    assert read_answer(part, "9").problem is not None
    assert read_answer(part, "MORN").value == "morning"


def test_the_prompt_numbers_the_choices_and_shows_what_enter_keeps() -> None:
    chosen = REASON.model_copy(update={"initial": "specific_task"})
    assert prompt_for(chosen) == ("  Reason: 1 Flexible working, 2 Clinical or public-health "
                                  "advice, 3 A specific task (e.g. report checking), 4 Other circumstances [3]: ")
    note = Input(name="note", label="Note", kind="text", optional=True, initial="hello")
    assert prompt_for(note) == "  Note [hello] (- for none): "
    assert read_answer(note, "-").value == ""
    assert read_answer(note, "").value == "hello"


def test_the_issue_script_through_the_command(tmp_path: Path) -> None:
    """Enter through every field, then the reason by its number: the request is sent, not dropped."""
    today = datetime.now(ZoneInfo("Europe/London")).date()
    day = today + timedelta(days=7)
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    script = [f"can I work from home on {day:%-d/%-m}?", "1", "1", "", "", "", "", "", "1", "", "/quit"]
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--as", TEACHER],
                            input="\n".join(script) + "\n", capture_output=True, text=True, timeout=120,
                            env=environment)
    assert result.returncode == 0, result.stderr
    assert '"Reason" is needed: please choose 1 Flexible working' in result.stdout
    assert "Request #1 sent" in result.stdout
    assert f"{day:%a %-d %b %Y}" in result.stdout
