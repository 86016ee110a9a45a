"""Lists of requests: a person's own and those awaiting them, and the office's table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.messages import Block, Button, ButtonsBlock, Reply, TextBlock
from bot.requests import cards
from bot.requests.chains import may_decide
from bot.requests.describe import describe_facts
from bot.requests.records import RequestRecord
from bot.requests.states import RequestState
from bot.requests.workflow import RequestWorkflow
from bot.school import StaffMember
from bot.store.tables import RequestRow

#: How many of a person's own requests "my requests" shows, newest first.
OWN_LIMIT = 10


def is_cancellable(workflow: RequestWorkflow, request: RequestRecord, now: datetime) -> bool:
    if request.state == RequestState.PENDING.value:
        return True
    return request.state == RequestState.APPROVED.value and workflow.today(now) < request.start_date


async def list_own_and_awaiting(
    workflow: RequestWorkflow, member: StaffMember, now: datetime
) -> tuple[list[RequestRecord], list[RequestRecord]]:
    """The member's own latest requests, and the pending ones waiting for their decision."""
    school = workflow.school
    day = workflow.today(now)
    async with workflow.database.reading() as session:
        own_rows = await session.scalars(
            select(RequestRow)
            .where(RequestRow.school_id == school.id, RequestRow.requester_email == member.email)
            .order_by(RequestRow.id.desc())
            .limit(OWN_LIMIT)
        )
        own = [RequestRecord.from_row(row) for row in own_rows]
        pending_rows = await session.scalars(
            select(RequestRow)
            .where(RequestRow.school_id == school.id, RequestRow.state == RequestState.PENDING.value)
            .order_by(RequestRow.id)
        )
        awaiting = [
            request
            for request in map(RequestRecord.from_row, pending_rows)
            if request.requester_email != member.email
            and may_decide(school, request.approver, member.email, day, request)
        ]
    return own, awaiting


async def render_my_requests(workflow: RequestWorkflow, member: StaffMember, now: datetime) -> Reply:
    """ "What's happening with my request?": own requests with Cancel, then those awaiting a decision."""
    own, awaiting = await list_own_and_awaiting(workflow, member, now)
    school = workflow.school
    if not own and not awaiting:
        return cards.render_text("You have no requests, and none are waiting for you.")
    blocks: list[Block] = []
    if own:
        blocks.append(TextBlock(text="Your requests"))
        for request in own:
            blocks.append(cards.render_facts(describe_facts(school, request)))
            if is_cancellable(workflow, request, now):
                blocks.append(ButtonsBlock(buttons=(cards.cancel_button(request.id),)))
    if awaiting:
        blocks.append(TextBlock(text="Waiting for your decision"))
        for request in awaiting:
            blocks.append(cards.render_facts(describe_facts(school, request)))
            decide = (
                Button(label="Approve", action_id=cards.APPROVE, value=str(request.id), style="primary")
                if request.is_final_step
                else Button(label="Endorse", action_id=cards.ENDORSE, value=str(request.id), style="primary")
            )
            decline = Button(label="Decline", action_id=cards.DECLINE, value=str(request.id), style="danger")
            blocks.append(ButtonsBlock(buttons=(decide, decline)))
    summary = f"You have {len(own)} request(s); {len(awaiting)} waiting for your decision."
    return Reply(text=summary, blocks=tuple(blocks), ephemeral=True)
