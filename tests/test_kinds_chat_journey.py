"""Leave of absence, course requests and a made-up kind, end to end through `staffroom chat`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kind_school import PARKING_TYPE, write_school

TEACHER = "s.carter@oakfield.example"
LINE_MANAGER = "p.shah@oakfield.example"
HEAD = "h.okafor@oakfield.example"
DEPUTY = "d.reyes@oakfield.example"
TESTS = Path(__file__).resolve().parent


def chat(data_dir: Path, script: list[str], as_email: str, policies: Path | None = None) -> str:
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir),
                   "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    environment.pop("DATABASE_URL", None)
    if policies is not None:
        environment["STAFFROOM_POLICIES"] = str(policies)
    else:
        environment.pop("STAFFROOM_POLICIES", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--as", as_email],
        input="\n".join(script) + "\n", capture_output=True, text=True, timeout=180, env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def after(out: str, marker: str) -> str:
    return out.split(marker, 1)[-1]


def test_leave_for_an_afternoon_endorsed_approved_unpaid_and_the_reason_stays_in_the_chain(tmp_path: Path) -> None:
    reason = "Consultant follow-up at the eye hospital"
    out = chat(tmp_path, [
        "can I have Friday afternoon off for a hospital appointment?",
        "1",                                   # Leave of absence
        "1",                                   # Send request: keep the day, add nothing to the end date…
        "", "", "", "", reason, "", "Year 5 maths is planned",
        f"/as {LINE_MANAGER}", "show my requests", "1",        # Endorse
        f"/as {HEAD}", "show my requests", "1",                # Approve: asks paid or unpaid
        "1", "unpaid",                                         # the approve form, then the choice
        f"/as {DEPUTY}",                                       # told, to arrange cover
        f"/as {TEACHER}",
    ], TEACHER)
    assert "The school's policies don't cover leave of absence" in out
    assert "Request #1 sent. It goes to Priya Shah then Helen Okafor." in out
    assert "When: " in out and "afternoon" in after(out, "Request #1 sent.").split("Status:")[0]
    assert "You endorsed request #1." in out
    assert "Paid or unpaid leave?" in out
    assert "You approved request #1." in out
    deputy = after(out, "You are now David Reyes").split("You are now Sam Carter")[0]
    assert "Request #1 was approved." in deputy and "Medical appointment" in deputy
    assert reason not in deputy
    head = after(out, "You are now Helen Okafor").split("You are now David Reyes")[0]
    assert reason in head
    told = after(out, "You are now Sam Carter")
    assert "Helen Okafor approved your request #1." in told and "Unpaid" in told


def test_a_course_declined_with_a_reason_and_a_leave_request_cancelled(tmp_path: Path) -> None:
    day = today() + timedelta(days=10)
    out = chat(tmp_path, [
        "can I go on a phonics training course?",
        "1",                                                   # Course or training (CPD)
        "1", "Leading phonics", "The local authority", day.isoformat(), "", "250", "", "I lead phonics next year",
        f"/as {LINE_MANAGER}", "show my requests", "2",        # Decline
        "1", "The budget is spent this term",                  # the decline form and its reason
        f"/as {TEACHER}",
        "can I take special leave for a funeral?", "1", "1",   # Leave of absence
        day.isoformat(), "", "", "", "", "", "",
        "show my requests", "1",                               # Cancel the leave (the soonest open request)
    ], TEACHER)
    assert "Request #1 sent. It goes to Priya Shah then David Reyes." in out  # the CPD lead
    assert "£250.00" in out
    assert "You declined request #1." in out
    told = after(out, "You are now Sam Carter")
    assert "Priya Shah declined your request #1. Reason: The budget is spent this term" in told
    assert "Request #2 sent." in told and "Bereavement" in told
    assert "Request #2 is cancelled." in told


def test_a_made_up_kind_works_in_the_terminal_from_its_module_and_school_yaml(tmp_path: Path) -> None:
    school = write_school(tmp_path / "school", PARKING_TYPE)
    out = chat(tmp_path / "data", [
        "can I have a parking permit?",
        "1",                                                   # Parking permit
        "1", "ab12 cde", "", "yes", "I teach at both sites",
        f"/as {HEAD}", "show my requests", "1",                # Approve: asks which car park
        "1", "rear",
        f"/as {TEACHER}",
    ], TEACHER, school)
    assert "The school's policies don't cover parking permit" in out
    assert "Request #1 sent. It goes to Helen Okafor." in out
    assert "AB12 CDE" in out
    assert "Which car park?" in out and "You approved request #1." in out
    told = after(out, "You are now Sam Carter")
    assert "Helen Okafor approved your request #1." in told and "Rear car park" in told


def test_a_refused_form_is_offered_again_with_what_was_typed_kept(tmp_path: Path) -> None:
    day = today() + timedelta(days=10)
    out = chat(tmp_path, [
        "can I go on a phonics training course?",
        "1",                                                   # Course or training (CPD)
        "1", "Leading phonics", "The local authority", day.isoformat(), "", "a lot", "", "I lead phonics next year",
        "1",                                                   # Fill in the form again
        "", "", "", "", "250", "", "",                         # only the cost typed again
        "show my requests",
    ], TEACHER)
    refused = after(out, "Please give the cost in pounds")
    assert "[1] Fill in the form again (what you typed is kept)" in refused
    sent = after(refused, "Request #1 sent.")
    assert "Course: Leading phonics" in sent and "Provider: The local authority" in sent
    assert "Cost: £250.00" in sent and "Why: I lead phonics next year" in sent
    assert "Request #2" not in out


def test_an_ask_for_time_off_the_router_reads_as_help_still_offers_the_leave_form(tmp_path: Path) -> None:
    tomorrow = today() + timedelta(days=1)
    out = chat(tmp_path, ["can I have the afternoon off tomorrow?", "1", "1", "", "", "", "6", "", "", ""], TEACHER)
    offered = after(out, "You are now Sam Carter")
    assert "[1] Leave of absence" in offered and "I answer questions from the school's policies" not in offered
    assert f"When: {tomorrow:%a %-d %b %Y}, afternoon" in after(out, "Request #1 sent.")
