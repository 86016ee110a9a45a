"""Reminders to slow approvers, and expiry of requests whose day passed undecided."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import HEAD, PHASE_LEADER, TEACHER, action, fetch_audit, fetch_outbox, fetch_request, wfh_inputs

from bot.clock import FakeClock
from bot.requests.conversation import RequestConversation
from bot.requests.housekeeping import expire_overdue, send_reminders
from bot.requests.workflow import RequestWorkflow
from bot.store.database import Database
from bot.store.outbox import read_notice


async def reminders_to(database: Database) -> list[str]:
    return [row.recipient_email for row in await fetch_outbox(database) if row.reason == "request.reminder"]


async def test_approver_is_reminded_once_after_eight_working_hours(
    conversation: RequestConversation, workflow: RequestWorkflow, database: Database, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())
    # Submitted Mon 09:14: 7h46m of Monday's working hours remain, so 8 hours are up Tue 08:14.
    assert await send_reminders(workflow, datetime(2026, 11, 23, 23, 0, tzinfo=UTC)) == 0
    assert await send_reminders(workflow, datetime(2026, 11, 24, 8, 13, tzinfo=UTC)) == 0
    assert await send_reminders(workflow, datetime(2026, 11, 24, 8, 14, tzinfo=UTC)) == 1
    assert await send_reminders(workflow, datetime(2026, 11, 24, 15, 0, tzinfo=UTC)) == 0
    assert await reminders_to(database) == [PHASE_LEADER]
    card = read_notice(next(r for r in await fetch_outbox(database) if r.reason == "request.reminder"))
    assert card.reply.text.startswith("Reminder: Sam Carter asks you to endorse request #1")
    assert (await fetch_request(database, 1)).state == "pending"
    assert [a.event for a in await fetch_audit(database, 1)] == ["submit", "remind"]


async def test_each_step_gets_its_own_reminder(
    conversation: RequestConversation, workflow: RequestWorkflow, database: Database, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())
    await send_reminders(workflow, datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    clock.set(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), clock.now())
    assert await send_reminders(workflow, datetime(2026, 11, 24, 17, 0, tzinfo=UTC)) == 0
    assert await send_reminders(workflow, datetime(2026, 11, 25, 9, 30, tzinfo=UTC)) == 1
    assert await reminders_to(database) == [PHASE_LEADER, HEAD]


async def test_undecided_request_expires_after_its_day_and_both_sides_are_told(
    conversation: RequestConversation, workflow: RequestWorkflow, database: Database, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())  # Fri 27
    await conversation.handle_action(
        action(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-26")), clock.now()
    )
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 2), clock.now())
    await conversation.handle_action(action(HEAD, "request.approve", 2), clock.now())
    assert await expire_overdue(workflow, datetime(2026, 11, 27, 16, 0, tzinfo=UTC)) == 0
    assert await expire_overdue(workflow, datetime(2026, 11, 28, 0, 1, tzinfo=UTC)) == 1
    assert await expire_overdue(workflow, datetime(2026, 11, 28, 0, 2, tzinfo=UTC)) == 0
    assert (await fetch_request(database, 1)).state == "expired"
    assert (await fetch_request(database, 2)).state == "approved"
    expired = [read_notice(r) for r in await fetch_outbox(database) if r.reason == "request.expired"]
    assert [n.recipient_email for n in expired] == [TEACHER, PHASE_LEADER]
    assert expired[0].reply.text == "Request #1 expired: its day passed before Priya Shah decided it."
    # Saturday night: the notices wait for Monday morning (WFH policy 4).
    assert {r.deliver_after for r in await fetch_outbox(database) if r.reason == "request.expired"} == {
        datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    }
    reply = (await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), clock.now()))[0]
    assert reply.text.startswith("Request #1 already expired undecided at")
