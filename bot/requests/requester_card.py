"""The requester's own "Request sent" card, as the request stands now.

The confirmation a person gets when they send a request is kept up to date like the
approvers' cards: while it waits, whom it waits for now (after an endorsement, the next
approver), with Cancel; once settled, how it ended — with Cancel only while an approved
request's day has not yet come (staff may cancel approved requests until then).
"""

from __future__ import annotations

from datetime import datetime

from bot.messages import Button, ButtonsBlock, Follow, Reply
from bot.requests import cards
from bot.requests.describe import describe_facts, describe_outcome, last_audit, name_of
from bot.requests.listing import is_cancellable
from bot.requests.records import RequestRecord
from bot.requests.states import RequestEvent, RequestState
from bot.requests.workflow import RequestWorkflow
from bot.store.tables import AuditRow

#: The outbox reason under which the confirmation's place is recorded (already shown, never sent later).
SENT_REASON = "request.sent"

#: The audit event that settled a request in each final state.
SETTLED_BY = {
    RequestState.APPROVED.value: RequestEvent.APPROVE,
    RequestState.DECLINED.value: RequestEvent.DECLINE,
    RequestState.CANCELLED.value: RequestEvent.CANCEL,
    RequestState.EXPIRED.value: RequestEvent.EXPIRE,
}


def sent_request_id(reply: Reply) -> int | None:
    """The request a "Request #N sent" confirmation is about (its Cancel button names it)."""
    buttons: list[Button] = [b for block in reply.blocks if isinstance(block, ButtonsBlock) for b in block.buttons]
    values = {b.value for b in buttons if b.action_id == cards.CANCEL}
    if len(values) != 1:
        return None
    value = values.pop()
    return int(value) if value.isdigit() else None


def render_requester_card(workflow: RequestWorkflow, request: RequestRecord, audit: AuditRow | None,
                          now: datetime) -> Reply:
    """What the requester's confirmation says now."""
    school = workflow.school
    if request.state == RequestState.PENDING.value:
        waiting = name_of(school, request.approver)
        if audit is not None and audit.event == RequestEvent.ENDORSE.value:
            headline = (f"Request #{request.id} was endorsed by {name_of(school, audit.actor_email)}; "
                        f"it is now waiting for {waiting}.")
        else:
            headline = f"Request #{request.id} sent. It is waiting for {waiting}."
    else:
        headline = describe_outcome(school, request, audit, now)
        if request.state == RequestState.APPROVED.value and is_cancellable(workflow, request, now):
            headline += " You can still cancel it until the day."
    buttons = [cards.cancel_button(request.id)] if is_cancellable(workflow, request, now) else []
    card = cards.render_status(headline, describe_facts(school, request), buttons)
    return card.model_copy(update={"follows": Follow(request_id=request.id)})


async def requester_card(workflow: RequestWorkflow, request_id: int, now: datetime) -> Reply | None:
    """The requester's confirmation of `request_id` as it should look now; None if there is no such request."""
    async with workflow.database.reading() as session:
        request = await workflow.load(session, request_id)
        if request is None:
            return None
        # The step that matters to the requester: the last endorsement while it waits, else what settled it.
        event = SETTLED_BY.get(request.state, RequestEvent.ENDORSE)
        audit = await last_audit(session, request.id, event)
    return render_requester_card(workflow, request, audit, now)
