"""A school that brings its own policies, none of them about working from home, as its IT person tries it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def minimal_school_yaml() -> str:
    """The school.yaml the README shows a school starting with (under "A school's folder")."""
    text = README.read_text(encoding="utf-8")
    after = text.index("it must name at least these")
    start = text.index("```yaml\n", after) + len("```yaml\n")
    return text[start:text.index("```", start)]


EQUALITY_POLICY = """\
---
title: Equality Policy
---

## 4. Key Principles

Inclusion: we will actively work to remove barriers to learning and participation for all pupils.

Partnership: we will work with parents, carers, and the community to foster understanding.

## 11. Tackling Discrimination

Any member of staff who witnesses discrimination should report it immediately to the headteacher.
"""


def staffroom(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


@pytest.fixture
def school(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "equality.md").write_text(EQUALITY_POLICY, encoding="utf-8")
    (folder / "school.yaml").write_text(minimal_school_yaml(), encoding="utf-8")
    return folder


def test_the_readme_s_minimal_school_yaml_passes_the_check(school: Path) -> None:
    result = staffroom("policies", "check", str(school))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("with_school_yaml", [True, False])
def test_asking_to_work_from_home_quotes_nothing_when_no_policy_is_about_it(school: Path,
                                                                          with_school_yaml: bool) -> None:
    """"Work" in the equality policy's principles is not a rule about working from home."""
    if not with_school_yaml:
        (school / "school.yaml").unlink()
    result = staffroom("ask", "--jsonl", "--policies", str(school), stdin="can I work from home on Friday?\n")
    answer = json.loads(result.stdout)
    assert answer["intent"] == "request_wfh"
    assert answer["citations"] == [] and "Principles" not in answer["text"]
    if with_school_yaml:
        assert answer["text"].startswith("The school's policies don't cover work from home")
    else:
        assert answer["text"] == "This school doesn't take these requests through me: please ask your line manager."


def test_the_work_from_home_form_names_no_policy_the_school_does_not_have(school: Path, tmp_path: Path) -> None:
    """The form's reason was labelled with the demo's "WFH policy section 3", at every school."""
    script = "can I work from home on Friday?\n1\n/quit\n"
    result = staffroom("chat", "--as", "teacher@school.example", "--policies", str(school),
                       stdin=script, env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'school.db'}"})
    assert result.returncode == 0, result.stderr
    assert "Request to work from home (Date (or first date)" in result.stdout
    assert "Reason," in result.stdout and "WFH policy" not in result.stdout


def test_messages_staff_are_sent_name_no_section_of_the_demo_s_policies() -> None:
    """A check-in prompt and the loan agreement go to staff at every school: neither cites "WFH policy 6" or
    "8.1", sections only the demo's policy has."""
    from datetime import date

    from bot.checkins.prompts import render_prompt
    from bot.requests.kinds.equipment_loan import LOAN_AGREEMENT

    class _Member:
        name, job_title, email = "Sam Carter", "Teacher", "s.carter@school.example"

    class _Worker:
        member, part_of_day = _Member(), "whole_day"

    prompt = render_prompt([_Worker()], date(2026, 11, 23))  # type: ignore[list-item]
    assert "WFH policy" not in prompt.text
    assert "WFH policy" not in LOAN_AGREEMENT.ask
