"""Approval chains from configuration: who endorses, who approves, who stands in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import CHAIR, DEPUTY, HEAD, PHASE_LEADER, TEACHER

from bot.requests.chains import NoApprover, deciders, may_decide, resolve_chain
from bot.school import School, StaffMember, demo_school_folder, parse_school


def member(school: School, email: str) -> StaffMember:
    found = school.directory.get(email)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("requester", "wfh", "loan"),
    [
        (TEACHER, [PHASE_LEADER, HEAD], [PHASE_LEADER, HEAD]),
        (PHASE_LEADER, [DEPUTY, HEAD], [DEPUTY, HEAD]),
        # The deputy's line manager is the headteacher: one person, one decision.
        (DEPUTY, [HEAD], [HEAD]),
        # The headteacher's own request goes where the school says: chair for WFH, deputy for loans.
        (HEAD, [CHAIR], [DEPUTY]),
        # No line manager: that step is skipped.
        (CHAIR, [HEAD], [HEAD]),
    ],
)
def test_chains_follow_configuration(school: School, requester: str, wfh: list[str], loan: list[str]) -> None:
    types = school.config.request_types
    assert resolve_chain(school, types["wfh"], member(school, requester)) == wfh
    assert resolve_chain(school, types["equipment_loan"], member(school, requester)) == loan


def test_headteacher_request_without_a_chair_is_refused_clearly() -> None:
    text = (demo_school_folder() / "school.yaml").read_text(encoding="utf-8")
    school = parse_school(Path("school.yaml"), text.replace("  chair_of_governors: m.ellis@oakfield.example\n", ""))
    chain = resolve_chain(school, school.config.request_types["wfh"], member(school, HEAD))
    assert isinstance(chain, NoApprover)
    assert "chair of governors" in chain.message


def test_delegate_decides_only_between_their_dates(school: School) -> None:
    assert not may_decide(school, HEAD, DEPUTY, date(2026, 12, 6))
    assert may_decide(school, HEAD, DEPUTY, date(2026, 12, 7))
    assert may_decide(school, HEAD, DEPUTY, date(2026, 12, 11))
    assert not may_decide(school, HEAD, DEPUTY, date(2026, 12, 12))
    assert deciders(school, HEAD, date(2026, 12, 8)) == [HEAD, DEPUTY]
    assert deciders(school, HEAD, date(2026, 12, 14)) == [HEAD]
    assert not may_decide(school, PHASE_LEADER, DEPUTY, date(2026, 12, 8))
