"""Bad input and unauthorised clicks: each gets a clear reply and changes nothing."""

from __future__ import annotations

import pytest
from conftest import (
    HEAD,
    OTHER_TEACHER,
    PHASE_LEADER,
    STRANGER,
    TEACHER,
    action,
    count_rows,
    fetch_audit,
    wfh_inputs,
)

from bot.clock import FakeClock
from bot.messages import Reply
from bot.requests.conversation import RequestConversation
from bot.store.database import Database


async def click(
    conversation: RequestConversation, clock: FakeClock, who: str, action_id: str, value: str | int = 1, **inputs: str
) -> Reply:
    [reply] = await conversation.handle_action(action(who, action_id, value, **inputs), clock.now())
    return reply


@pytest.mark.parametrize(
    ("type_name", "inputs", "expected"),
    [
        ("wfh", wfh_inputs(start="2026-11-20"), "Friday 20 November 2026 has already passed"),
        ("wfh", wfh_inputs(start="2026-11-23", end="2027-01-19"), "covers 32 school days"),
        ("wfh", wfh_inputs(note="x" * 1001), "1,001 characters long; please keep it to 1,000"),
        ("wfh", wfh_inputs(start="next friday"), "Please give the date as a date"),
        ("wfh", wfh_inputs(start="2026-11-27", end="2026-11-26"), "end date is before the start date"),
        ("wfh", wfh_inputs(reason_category="fancy"), "choose the reason"),
        ("wfh", wfh_inputs(part_of_day="evening"), "whole day, the morning or the afternoon"),
        ("wfh", wfh_inputs(repeat="monthly"), "one day or every week"),
        ("sabbatical", wfh_inputs(), "I don't know a request type called 'sabbatical'"),
        ("equipment_loan", {"item": "laptop", "why": ""}, "say why you need it"),
        ("equipment_loan", {"item": "printer", "why": "Printing"}, "a laptop, a tablet or something else"),
        ("equipment_loan", {"item": "laptop", "why": "y" * 1001}, "1,001 characters"),
        ("equipment_loan", {"item": "laptop", "why": "ok", "needed_from": "2026-11-01"}, "already passed"),
    ],
)
async def test_bad_submissions_are_refused_without_a_trace(
    conversation: RequestConversation,
    database: Database,
    clock: FakeClock,
    type_name: str,
    inputs: dict[str, str],
    expected: str,
) -> None:
    reply = await click(conversation, clock, TEACHER, "request.submit", type_name, **inputs)
    assert expected in reply.text
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


async def test_a_range_of_exactly_31_school_days_is_accepted(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    reply = await click(
        conversation, clock, TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-23", end="2027-01-18")
    )
    assert reply.text.startswith("Request #1 sent")


async def test_today_is_not_in_the_past(conversation: RequestConversation, clock: FakeClock) -> None:
    reply = await click(conversation, clock, TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-23"))
    assert reply.text.startswith("Request #1 sent")


async def submitted(conversation: RequestConversation, database: Database, clock: FakeClock) -> dict[str, int]:
    await click(conversation, clock, TEACHER, "request.submit", "wfh", **wfh_inputs())
    return await count_rows(database)


@pytest.mark.parametrize(
    ("who", "action_id", "expected"),
    [
        (OTHER_TEACHER, "request.cancel", "can't find a request with that number that you can act on"),
        (OTHER_TEACHER, "request.endorse", "can't find a request with that number that you can act on"),
        (OTHER_TEACHER, "request.decline", "can't find a request with that number that you can act on"),
        (OTHER_TEACHER, "loan.accept", "can't find a request with that number that you can act on"),
        (TEACHER, "request.endorse", "You can't decide your own request"),
        (TEACHER, "request.approve", "You can't decide your own request"),
        (PHASE_LEADER, "request.cancel", "Only the person who made a request can cancel it"),
        (PHASE_LEADER, "request.approve", "at a different step now; use Endorse"),
        (HEAD, "request.approve", "waiting for Priya Shah first"),
        (HEAD, "request.decline", "waiting for Priya Shah first"),
        (STRANGER, "request.cancel", "can't find you under nobody@elsewhere.example"),
    ],
)
async def test_clicks_by_the_wrong_person_change_nothing(
    conversation: RequestConversation, database: Database, clock: FakeClock, who: str, action_id: str, expected: str
) -> None:
    before = await submitted(conversation, database, clock)
    reply = await click(conversation, clock, who, action_id, 1, reason="because")
    assert expected in reply.text
    assert await count_rows(database) == before


@pytest.mark.parametrize("value", ["999", "abc", "", "1; DROP TABLE requests"])
async def test_unknown_request_numbers_change_nothing(
    conversation: RequestConversation, database: Database, clock: FakeClock, value: str
) -> None:
    before = await submitted(conversation, database, clock)
    reply = await click(conversation, clock, PHASE_LEADER, "request.endorse", value)
    assert "can't find a request" in reply.text
    assert await count_rows(database) == before


async def test_decline_without_a_reason_changes_nothing(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    before = await submitted(conversation, database, clock)
    for reason in ("", "   "):
        reply = await click(conversation, clock, PHASE_LEADER, "request.decline_reason", reason=reason)
        assert "give a reason" in reply.text
    reply = await click(conversation, clock, PHASE_LEADER, "request.decline_reason", reason="z" * 1001)
    assert "keep the reason to 1,000" in reply.text
    assert await count_rows(database) == before


@pytest.mark.parametrize(
    "action_id", ["request.endorse", "request.decline", "request.decline_reason", "request.cancel"]
)
async def test_actions_on_a_cancelled_request_change_nothing(
    conversation: RequestConversation, database: Database, clock: FakeClock, action_id: str
) -> None:
    await submitted(conversation, database, clock)
    await click(conversation, clock, TEACHER, "request.cancel")
    before = await count_rows(database)
    who = TEACHER if action_id == "request.cancel" else PHASE_LEADER
    reply = await click(conversation, clock, who, action_id, reason="late")
    assert "Request #1 was already cancelled by Sam Carter at 09:14." in reply.text
    assert await count_rows(database) == before


async def test_double_click_on_endorse_applies_once(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submitted(conversation, database, clock)
    first = await click(conversation, clock, PHASE_LEADER, "request.endorse")
    before = await count_rows(database)
    second = await click(conversation, clock, PHASE_LEADER, "request.endorse")
    assert first.text.startswith("You endorsed")
    assert second.text == "Request #1 was already endorsed by Priya Shah at 09:14."
    assert await count_rows(database) == before


async def test_replayed_approval_applies_once(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submitted(conversation, database, clock)
    await click(conversation, clock, PHASE_LEADER, "request.endorse")
    await click(conversation, clock, HEAD, "request.approve")
    before = await count_rows(database)
    for who, action_id in (
        (HEAD, "request.approve"),
        (HEAD, "request.decline_reason"),
        (PHASE_LEADER, "request.endorse"),
    ):
        reply = await click(conversation, clock, who, action_id, reason="changed my mind")
        assert reply.text == "Request #1 was already approved by Helen Okafor at 09:14."
    assert await count_rows(database) == before
    assert [a.event for a in await fetch_audit(database, 1)] == ["submit", "endorse", "approve"]


async def test_unknown_button_is_refused(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    before = await submitted(conversation, database, clock)
    reply = await click(conversation, clock, HEAD, "request.delete")
    assert "don't recognise that button" in reply.text
    assert await count_rows(database) == before
