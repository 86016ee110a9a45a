"""A question asking when is answered by a passage giving a date however it is written
("31 August", "31 Aug", "31/08/2021"), and declined when the passages about it give none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intents.router import Router, _holds_date
from intents.routing import DeclineReason, Intent

TODAY = date(2026, 11, 23)

POLICY = """---
title: Admissions Policy
---
## 2. Starting school

Children start in Reception in the September after their fourth birthday.

## 3. Applications for a place

Applications for a Reception place must reach the office by {deadline}.

## 4. Visits

Prospective parents are shown round the school by a member of the office team.
"""


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("by 31 August", True),
        ("by 31 Aug", True),
        ("by the 15th of Jan.", True),
        ("from Sept 1st", True),
        ("by 31/08/2021", True),
        ("by 01.09.2021", True),
        ("the 3rd of May", True),
        ("see section 1.2.3", False),
        ("staff may be asked", False),
        ("at 10:30", False),
        ("children aged 5", False),
    ],
)
def test_dates_are_recognised_however_they_are_written(text: str, holds: bool) -> None:
    assert _holds_date(text) is holds


@pytest.mark.parametrize("deadline", ["15 January", "15 Jan", "15/01", "15.01.2027"])
def test_a_when_question_is_answered_by_a_passage_giving_the_date(tmp_path: Path, deadline: str) -> None:
    (tmp_path / "admissions.md").write_text(POLICY.format(deadline=deadline), encoding="utf-8")
    routing = Router.from_folder(tmp_path).route("when are applications for a reception place due?", TODAY)
    assert routing.intent is Intent.POLICY
    assert deadline in routing.matches[0].passage.text


def test_a_when_question_about_a_passage_without_a_date_is_declined(tmp_path: Path) -> None:
    (tmp_path / "admissions.md").write_text(POLICY.format(deadline="the office"), encoding="utf-8")
    routing = Router.from_folder(tmp_path).route("when are prospective parents shown round the school?", TODAY)
    assert routing.reason is DeclineReason.DETAIL_NOT_HELD
