"""Request journeys through every transition, with what each person is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conftest import (
    CHAIR,
    DEPUTY,
    HEAD,
    IT_TECHNICIAN,
    PHASE_LEADER,
    TEACHER,
    action,
    fetch_audit,
    fetch_outbox,
    fetch_request,
    wfh_inputs,
)

from bot.clock import FakeClock
from bot.messages import ButtonsBlock, FieldsBlock, FormBlock, QuoteBlock, Reply
from bot.requests.conversation import RequestConversation
from bot.store.database import Database
from bot.store.outbox import read_notice


def fields(reply: Reply) -> dict[str, str]:
    return {f.label: f.value for b in reply.blocks if isinstance(b, FieldsBlock) for f in b.fields}


def buttons(reply: Reply) -> list[tuple[str, str, str]]:
    return [
        (b.label, b.action_id, b.value) for blk in reply.blocks if isinstance(blk, ButtonsBlock) for b in blk.buttons
    ]


async def submit(conversation: RequestConversation, clock: FakeClock, who: str = TEACHER, **inputs: str) -> Reply:
    [reply] = await conversation.handle_action(
        action(who, "request.submit", "wfh", **wfh_inputs(**inputs)), clock.now()
    )
    return reply


async def click(
    conversation: RequestConversation, clock: FakeClock, who: str, action_id: str, value: int = 1, **inputs: str
) -> Reply:
    [reply] = await conversation.handle_action(action(who, action_id, value, **inputs), clock.now())
    return reply


async def test_wfh_journey_submit_endorse_approve(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    sent = await submit(conversation, clock, part_of_day="morning")
    assert sent.text == "Request #1 sent. It goes to Priya Shah then Helen Okafor."
    assert fields(sent)["When"] == "Fri 27 Nov 2026, morning"
    assert ("Cancel request", "request.cancel", "1") in buttons(sent)

    [card] = [read_notice(row) for row in await fetch_outbox(database)]
    assert card.recipient_email == PHASE_LEADER and card.reason == "request.awaiting_decision"
    assert buttons(card.reply) == [("Endorse", "request.endorse", "1"), ("Decline", "request.decline", "1")]
    citations = [b.citation for b in card.reply.blocks if isinstance(b, QuoteBlock)]
    assert citations == [
        "Working from Home Policy · 2.1 Headteacher",
        "Working from Home Policy · 3 Circumstances when staff may work from home",
    ]
    quotes = [b.text for b in card.reply.blocks if isinstance(b, QuoteBlock)]
    assert "responsible for approving any changes to working patterns" in quotes[0]

    endorsed = await click(conversation, clock, PHASE_LEADER, "request.endorse")
    assert endorsed.text.startswith("You endorsed request #1")
    record = await fetch_request(database, 1)
    assert (record.state, record.step) == ("pending", 1)
    notices = [read_notice(row) for row in await fetch_outbox(database)][1:]
    assert [(n.recipient_email, n.reason) for n in notices] == [
        (HEAD, "request.awaiting_decision"),
        (TEACHER, "request.endorsed"),
    ]
    assert buttons(notices[0].reply)[0] == ("Approve", "request.approve", "1")

    clock.advance(timedelta(hours=1))
    approved = await click(conversation, clock, HEAD, "request.approve")
    assert approved.text.startswith("You approved request #1")
    record = await fetch_request(database, 1)
    assert (record.state, record.decided_by) == ("approved", HEAD)
    notices = [read_notice(row) for row in await fetch_outbox(database)][3:]
    assert [(n.recipient_email, n.reason) for n in notices] == [
        (TEACHER, "request.approved"),
        (PHASE_LEADER, "request.approved"),
    ]
    assert notices[0].reply.text == "Helen Okafor approved your request #1."
    audit = await fetch_audit(database, 1)
    assert [(a.event, a.from_state, a.to_state, a.actor_email) for a in audit] == [
        ("submit", None, "pending", TEACHER),
        ("endorse", "pending", "pending", PHASE_LEADER),
        ("approve", "pending", "approved", HEAD),
    ]
    assert audit[2].at == clock.now()


async def test_decline_asks_for_a_reason_then_tells_the_requester(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submit(conversation, clock)
    form = await click(conversation, clock, PHASE_LEADER, "request.decline")
    [block] = [b for b in form.blocks if isinstance(b, FormBlock)]
    assert (block.submit_action_id, block.value, block.inputs[0].name) == ("request.decline_reason", "1", "reason")
    assert (await fetch_request(database, 1)).state == "pending"

    declined = await click(conversation, clock, PHASE_LEADER, "request.decline_reason", reason="Year 5 trip that day")
    assert declined.text.startswith("You declined request #1")
    assert (await fetch_request(database, 1)).state == "declined"
    last = read_notice((await fetch_outbox(database))[-1])
    assert last.recipient_email == TEACHER
    assert last.reply.text == "Priya Shah declined your request #1. Reason: Year 5 trip that day"
    assert (await fetch_audit(database, 1))[-1].note == "Year 5 trip that day"


async def test_requester_cancels_a_pending_request_and_the_approver_is_told(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submit(conversation, clock)
    cancelled = await click(conversation, clock, TEACHER, "request.cancel")
    assert cancelled.text == "Request #1 is cancelled."
    assert (await fetch_request(database, 1)).state == "cancelled"
    last = read_notice((await fetch_outbox(database))[-1])
    assert (last.recipient_email, last.reason) == (PHASE_LEADER, "request.cancelled")


async def test_approved_request_can_be_cancelled_before_the_day_only(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submit(conversation, clock)  # Fri 27 Nov
    await submit(conversation, clock, start="2026-11-30")
    for request_id in (1, 2):
        await click(conversation, clock, PHASE_LEADER, "request.endorse", request_id)
        await click(conversation, clock, HEAD, "request.approve", request_id)
    cancelled = await click(conversation, clock, TEACHER, "request.cancel", 1)
    assert cancelled.text == "Request #1 is cancelled."
    told = {read_notice(row).recipient_email for row in (await fetch_outbox(database))[-2:]}
    assert told == {PHASE_LEADER, HEAD}

    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=UTC))  # the day of request 2
    refused = await click(conversation, clock, TEACHER, "request.cancel", 2)
    assert "already started" in refused.text
    assert (await fetch_request(database, 2)).state == "approved"


async def test_headteachers_own_request_goes_to_the_chair(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    sent = await submit(conversation, clock, who=HEAD)
    assert sent.text == "Request #1 sent. It goes to Margaret Ellis."
    card = read_notice((await fetch_outbox(database))[0])
    assert card.recipient_email == CHAIR
    assert buttons(card.reply)[0] == ("Approve", "request.approve", "1")
    approved = await click(conversation, clock, CHAIR, "request.approve")
    assert approved.text.startswith("You approved")
    assert (await fetch_request(database, 1)).state == "approved"


async def test_delegate_decides_while_the_headteacher_is_away(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    await submit(conversation, clock, start="2026-12-10")
    await click(conversation, clock, PHASE_LEADER, "request.endorse")
    cards = [read_notice(row) for row in await fetch_outbox(database) if row.reason == "request.awaiting_decision"]
    assert [c.recipient_email for c in cards] == [PHASE_LEADER, HEAD, DEPUTY]
    approved = await click(conversation, clock, DEPUTY, "request.approve")
    assert approved.text.startswith("You approved")
    record = await fetch_request(database, 1)
    assert (record.state, record.decided_by) == ("approved", DEPUTY)


async def test_a_delegates_own_request_goes_to_the_fallback_not_to_them(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    # The deputy stands in for the headteacher this week, and asks to work from home himself.
    clock.set(datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    sent = await submit(conversation, clock, who=DEPUTY, start="2026-12-10")
    assert sent.text.startswith("Request #1 sent")
    cards = [read_notice(row) for row in await fetch_outbox(database) if row.reason == "request.awaiting_decision"]
    assert sorted(c.recipient_email for c in cards) == sorted([HEAD, CHAIR])  # never the deputy himself
    refused = await click(conversation, clock, DEPUTY, "request.approve")
    assert "your own request" in refused.text
    assert (await fetch_request(database, 1)).state == "pending"
    approved = await click(conversation, clock, CHAIR, "request.approve")
    assert approved.text.startswith("You approved")
    assert (await fetch_request(database, 1)).decided_by == CHAIR


async def test_delegate_cannot_decide_outside_their_dates(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await submit(conversation, clock)
    await click(conversation, clock, PHASE_LEADER, "request.endorse")
    refused = await click(conversation, clock, DEPUTY, "request.approve")
    assert "can't find a request" in refused.text
    assert (await fetch_request(database, 1)).state == "pending"


async def test_equipment_loan_needs_the_agreement_before_it_counts_as_issued(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    inputs = {"item": "laptop", "why": "No device at home for report writing"}
    [sent] = await conversation.handle_action(
        action(TEACHER, "request.submit", "equipment_loan", **inputs), clock.now()
    )
    assert sent.text.startswith("Request #1 sent")
    card = read_notice((await fetch_outbox(database))[0])
    assert [b.citation for b in card.reply.blocks if isinstance(b, QuoteBlock)] == [
        "Working from Home Policy · 8.1 Equipment"
    ]
    await click(conversation, clock, PHASE_LEADER, "request.endorse")
    await click(conversation, clock, HEAD, "request.approve")
    approval = read_notice([r for r in await fetch_outbox(database) if r.recipient_email == TEACHER][-1])
    assert ("I accept the loan agreement and Acceptable Use Policy", "loan.accept", "1") in buttons(approval.reply)
    assert not [r for r in await fetch_outbox(database) if r.recipient_email == IT_TECHNICIAN]
    assert (await fetch_request(database, 1)).agreement_accepted_at is None

    accepted = await click(conversation, clock, TEACHER, "loan.accept")
    assert accepted.text.startswith("Thank you")
    assert (await fetch_request(database, 1)).agreement_accepted_at == clock.now()
    [it_notice] = [read_notice(r) for r in await fetch_outbox(database) if r.recipient_email == IT_TECHNICIAN]
    assert "please issue request #1" in it_notice.reply.text

    again = await click(conversation, clock, TEACHER, "loan.accept")
    assert "already accepted" in again.text
    assert len([a for a in await fetch_audit(database, 1) if a.event == "accept_agreement"]) == 1


async def test_loan_agreement_cannot_be_accepted_before_approval(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    inputs = {"item": "tablet", "why": "Remote lessons"}
    await conversation.handle_action(action(TEACHER, "request.submit", "equipment_loan", **inputs), clock.now())
    refused = await click(conversation, clock, TEACHER, "loan.accept")
    assert "pending" in refused.text
    assert (await fetch_request(database, 1)).agreement_accepted_at is None


async def test_cancelling_an_issued_loan_tells_the_it_technician_but_an_unaccepted_one_does_not(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    for request_id in (1, 2):
        inputs = {"item": "laptop", "why": "Marking at home", "needed_from": "2026-12-07"}
        await conversation.handle_action(action(TEACHER, "request.submit", "equipment_loan", **inputs), clock.now())
        await click(conversation, clock, PHASE_LEADER, "request.endorse", request_id)
        await click(conversation, clock, HEAD, "request.approve", request_id)
    await click(conversation, clock, TEACHER, "loan.accept", 1)
    before = len([r for r in await fetch_outbox(database) if r.recipient_email == IT_TECHNICIAN])

    cancelled = await click(conversation, clock, TEACHER, "request.cancel", 1)
    assert cancelled.text == "Request #1 is cancelled."
    told = [read_notice(r) for r in await fetch_outbox(database) if r.recipient_email == IT_TECHNICIAN][before:]
    assert [n.reply.text for n in told] == ["Sam Carter cancelled request #1. It is no longer needed."]

    # Request 2 was approved but its agreement never accepted: the technician never heard of it.
    await click(conversation, clock, TEACHER, "request.cancel", 2)
    after = [r for r in await fetch_outbox(database) if r.recipient_email == IT_TECHNICIAN]
    assert len(after) == before + 1


async def test_weekly_pattern_runs_to_the_end_of_the_half_term(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    sent = await submit(conversation, clock, start="2026-11-27", repeat="weekly")
    assert fields(sent)["When"] == "Every Friday, 27 Nov – 18 Dec 2026"
    record = await fetch_request(database, 1)
    assert (record.weekday, record.end_date.isoformat()) == (4, "2026-12-18")


async def test_flags_are_shown_but_the_request_is_still_made(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    weekend = await submit(conversation, clock, start="2026-11-28")
    assert "Sat 28 Nov is a weekend" in fields(weekend)["Please note"]
    holiday = await submit(conversation, clock, start="2027-05-03")
    assert "Mon 3 May is a bank holiday (May Day)" in fields(holiday)["Please note"]
    out_of_term = await submit(conversation, clock, start="2026-12-21")
    assert "Mon 21 Dec is outside term" in fields(out_of_term)["Please note"]
    closed = await submit(conversation, clock, start="2027-05-06")
    assert "school is closed (Polling station)" in fields(closed)["Please note"]
    await submit(conversation, clock, start="2026-12-01")
    twice = await submit(conversation, clock, start="2026-11-30", end="2026-12-02")
    assert "already requested for Tue 1 Dec (request #5, pending)" in fields(twice)["Please note"]
    assert (await fetch_request(database, 6)).state == "pending"
    card = read_notice((await fetch_outbox(database))[-1])
    assert "already requested" in fields(card.reply)["Please note"]


async def test_notices_outside_working_hours_wait_for_the_next_morning(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 23, 18, 30, tzinfo=UTC))
    await submit(conversation, clock)
    [row] = await fetch_outbox(database)
    assert row.deliver_after == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert row.created_at == clock.now()
