"""`staffroom policies check` checks the whole school folder: school.yaml too, naming file, line and field."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.school import demo_school_folder

DEMO_TEXT = (demo_school_folder() / "school.yaml").read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def school_with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    folder = tmp_path / "school"
    shutil.copytree(demo_school_folder(), folder)
    assert old in DEMO_TEXT
    text = DEMO_TEXT.replace(old, new, 1)
    (folder / "school.yaml").write_text(text, encoding="utf-8")
    return folder, text


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ("time_zone: Europe/London", "time_zone: Europe/Londres", "time_zone", "unknown time zone 'Europe/Londres'"),
    ('working_hours: {start: "08:00"', 'working_hours: {start: "8 o\'clock"', "working_hours.start",
     "valid time format"),
    ("    line_manager: p.shah@oakfield.example", "    line_manager: p.shaw@oakfield.example",
     "staff[4].line_manager", "p.shaw@oakfield.example"),
    ('section: "8.1"}', 'section: "8.9"}', "request_types.equipment_loan.policy[0]", "no section 8.9"),
    ("form: leave_of_absence ", "form: leave_of_absense ", "request_types.leave.form",
     "unknown form 'leave_of_absense'"),
    ("leave_types: [Medical appointment, Bereavement, Family event, Public duties, Religious observance, Other]",
     "leave_types: []", "request_types.leave.options.leave_types", "give a list of the types of leave"),
])
def test_a_broken_school_yaml_fails_the_check_with_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    folder, text = school_with(tmp_path, old, new)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "policies", "check", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "no problems" not in result.stdout
    [problem] = result.stdout.splitlines()
    assert problem.startswith(f"{folder / 'school.yaml'}:{line_of(text, new.strip())}: {field}: ")
    assert message in problem
    assert "1 problem(s)" in result.stderr and "Traceback" not in result.stderr


def test_chat_refuses_the_folder_the_check_fails(tmp_path: Path) -> None:
    folder, _ = school_with(tmp_path, "time_zone: Europe/London", "time_zone: Europe/Londres")
    asked = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--policies", str(folder), "hello"],
                           capture_output=True, text=True, timeout=120)
    checked = subprocess.run([sys.executable, "-m", "bot.cli", "policies", "check", str(folder)],
                             capture_output=True, text=True, timeout=120)
    assert asked.returncode == 2 and checked.returncode == 1
    assert checked.stdout.strip() in asked.stderr


def test_a_request_type_quoting_a_policy_the_folder_does_not_hold_is_a_warning_not_a_problem(tmp_path: Path) -> None:
    # A school starts from school.yaml and its own policies: the demo's request types still quote
    # the Working from Home Policy, which this folder doesn't hold. Requests work; nothing to quote.
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "school.yaml").write_text(DEMO_TEXT, encoding="utf-8")
    (folder / "visits.md").write_text(
        "---\ntitle: Lettings Policy\n---\n\n## 1. Booking\n\nRooms are booked through the office.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "policies", "check", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    printed = result.stdout + result.stderr
    line = line_of(DEMO_TEXT, 'section: "8.1"}')
    assert (f"school.yaml:{line}: request_types.equipment_loan.policy[0]: the folder has no policy titled "
            "'Working from Home Policy'") in printed
    assert "no problems" in result.stdout


def test_a_request_type_naming_a_post_nobody_holds_fails_the_check(tmp_path: Path) -> None:
    # Every course request would be refused ("the school has no cpd lead set up"), and nobody told of leave.
    folder, text = school_with(tmp_path, "    form: course_request ",
                               "    chain: [line_manager, cpd_lead]\n    form: course_request ")
    text = text.replace("tell_roles: [deputy]", "tell_roles: [deputy, dsl]")
    text = "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(("  cpd_lead:", "  dsl:")))
    (folder / "school.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot.cli", "policies", "check", str(folder)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    school_file = folder / "school.yaml"
    assert result.stdout.splitlines() == [
        f"{school_file}:{line_of(text, 'tell_roles: [deputy, dsl]')}: request_types.leave.tell_roles[1]: "
        "nobody holds the post 'dsl': name them under roles, or take it out here",
        f"{school_file}:{line_of(text, 'chain: [line_manager, cpd_lead]')}: request_types.course.chain[1]: "
        "nobody holds the post 'cpd_lead': name them under roles, or take it out here",
    ]


def test_serve_refuses_the_folder_the_check_fails_without_first_saying_it_is_serving(tmp_path: Path) -> None:
    folder, _ = school_with(tmp_path, "time_zone: Europe/London", "time_zone: Europe/Londres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--policies", str(folder)],
                            capture_output=True, text=True, timeout=120, env={**os.environ,
                                                                              "STAFFROOM_DATA_DIR": str(tmp_path)})
    assert served.returncode == 2 and "Traceback" not in served.stderr
    assert "unknown time zone 'Europe/Londres'" in served.stderr
    assert "Staffroom serving" not in served.stderr
