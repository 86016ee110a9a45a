"""Questions for a time or date: a date or a time relative to an event answers them, and "done by me"
names a person, not a deadline (intents/router.py, `_detail_tests`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intents.router import Router
from intents.routing import DeclineReason, Intent

TODAY = date(2026, 11, 23)

POLICY = """---
title: Admissions and Duties Policy
---
## 1. Starting school

Children start school in the term after their fourth birthday. The prescribed days are 31 August,
31 December and 31 March.

## 2. Playground duty

Teachers arrive on the playground 5 minutes before the end of break to collect their class.

## 3. Sanctions

A sanction is given by the adult who saw the incident, not passed on to the class teacher.

## 4. Appeals

You may appeal against a sanction in writing within 5 working days of being told of it.

## 5. Marking at home

Marking may be completed at home for one day with the headteacher's agreement.
"""


@pytest.fixture(scope="module")
def router(tmp_path_factory: pytest.TempPathFactory) -> Router:
    folder: Path = tmp_path_factory.mktemp("school")
    (folder / "admissions.md").write_text(POLICY, encoding="utf-8")
    return Router.from_folder(folder)


def test_a_date_in_a_passage_answers_a_when_question(router: Router) -> None:
    routing = router.route("when are the prescribed days for children starting school?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "31 August" in routing.matches[0].passage.text


def test_a_time_relative_to_an_event_answers_what_time(router: Router) -> None:
    routing = router.route("what time do teachers arrive on the playground for the end of break?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "5 minutes before" in routing.matches[0].passage.text


def test_done_by_a_person_asks_who_not_when(router: Router) -> None:
    routing = router.route("should the sanction be done by me or passed on to the class teacher?", TODAY)
    assert routing.reason is not DeclineReason.DETAIL_NOT_HELD
    assert routing.intent is Intent.POLICY
    assert "given by the adult" in routing.matches[0].passage.text


def test_a_deadline_still_needs_a_passage_holding_one(router: Router) -> None:
    routing = router.route("sanctions - which day is the deadline for them to be given by?", TODAY)
    assert routing.intent is Intent.FALLBACK


@pytest.mark.parametrize(
    "question",
    ["by when must I appeal against a sanction?", "how long do I have to appeal a sanction?"],
)
def test_a_period_counted_in_working_days_answers_a_deadline_or_how_long(router: Router, question: str) -> None:
    routing = router.route(question, TODAY)
    assert routing.reason is not DeclineReason.DETAIL_NOT_HELD
    assert routing.intent is Intent.POLICY
    assert "within 5 working days" in routing.matches[0].passage.text


def test_a_length_of_time_is_no_deadline(router: Router) -> None:
    """ "For one day" says how long, not by when: a deadline question about marking is not answered by it."""
    routing = router.route("by when must marking at home be completed?", TODAY)
    assert routing.reason is DeclineReason.DETAIL_NOT_HELD


def test_a_period_in_school_days_is_no_time_of_day(router: Router) -> None:
    """ "What time…" asks for a time of day: "within 5 working days" does not give one."""
    routing = router.route("what time do appeals against a sanction open?", TODAY)
    assert routing.intent is Intent.FALLBACK


NAMED = """---
title: Data Protection Policy
---
## 1. Data Protection Officer

Our data protection officer (DPO) is Mrs Alder, who can be reached at dpo@school.example.
"""

UNNAMED = """---
title: Data Protection Policy
---
## 1. Data Protection Officer

The data protection officer (DPO) advises the school on its duties and reports to the governors.
"""


@pytest.mark.parametrize(("text", "answered"), [(NAMED, True), (UNNAMED, False)])
def test_who_is_our_dpo_is_answered_where_the_policy_names_them(tmp_path: Path, text: str, answered: bool) -> None:
    (tmp_path / "data-protection.md").write_text(text, encoding="utf-8")
    routing = Router.from_folder(tmp_path).route("who is our DPO?", TODAY)
    if answered:
        assert routing.intent is Intent.POLICY
        assert "Mrs Alder" in routing.matches[0].passage.text
    else:
        assert routing.intent is Intent.FALLBACK
        assert routing.reason is DeclineReason.NEVER_IN_POLICIES


def test_who_is_our_dpo_and_what_do_they_do_is_answered_by_what_the_role_does(tmp_path: Path) -> None:
    """The person's name is in no policy, but what the role does is."""
    (tmp_path / "data-protection.md").write_text(UNNAMED, encoding="utf-8")
    routing = Router.from_folder(tmp_path).route("who's our DPO and what do they actually do?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "advises the school on its duties" in routing.matches[0].passage.text


MUSIC = """---
title: Charging Policy
---
## 1. Music tuition

Charges may be made for instrument lessons taught to an individual pupil.

## 2. Trips

Parents are asked for a voluntary contribution towards the cost of a trip.
"""


def test_examples_no_policy_names_are_left_out_but_an_uncovered_topic_still_declines(tmp_path: Path) -> None:
    (tmp_path / "charging.md").write_text(MUSIC, encoding="utf-8")
    router = Router.from_folder(tmp_path)
    routing = router.route("can we charge for instrument lessons (guitar/violin/cello)?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "instrument lessons taught" in routing.matches[0].passage.text
    assert router.route("can we charge for staff parking (e.g. a permit)?", TODAY).intent is Intent.FALLBACK


REVIEWED = """---
title: Staff Grievance Procedure
---
## 1. Raising a grievance

A grievance is raised in writing with the headteacher.

## 2. Review of policy dates

Review date: Next review due: September; Reviewed by: Governing Body; Review of policy signed off by the chair.

## 3. Monitoring and review

This policy will be reviewed annually by the governing body.
"""


def _first_quote(folder: Path, policy: str, question: str) -> str:
    """The first passage quoted for a question at a school holding only `policy` (it must be answered)."""
    (folder / "policy.md").write_text(policy, encoding="utf-8")
    routing = Router.from_folder(folder).route(question, TODAY)
    assert routing.intent is Intent.POLICY, routing.reason
    return routing.matches[0].passage.text


def test_how_often_is_answered_first_by_the_passage_saying_how_often(tmp_path: Path) -> None:
    assert "reviewed annually" in _first_quote(tmp_path, REVIEWED, "how often is the grievance policy reviewed?")


STAGES = """---
title: Staff Probation Policy
---
## 1. Stages

### 1.1 Mid-Point Review (3 Months)

The line manager reviews progress against the objectives agreed at the start.

### 1.2 Final Review

The line manager recommends whether the appointment is confirmed.
"""


def test_a_section_headed_with_its_timing_answers_when(tmp_path: Path) -> None:
    """ "Mid-Point Review (3 Months)": the heading says when, for the passages under it."""
    assert "reviews progress" in _first_quote(tmp_path, STAGES, "when is the mid-point review?")


def test_when_a_policy_is_reviewed_is_answered_by_how_often(tmp_path: Path) -> None:
    """ "When is it reviewed?" is answered by "every two years": a review is scheduled as how often."""
    policy = ("---\ntitle: Equality Policy\n---\n## 18. Monitoring\n\n"
              "The governing board reviews the equality objectives every two years.\n")
    assert "every two years" in _first_quote(tmp_path, policy, "when are the equality objectives reviewed?")
