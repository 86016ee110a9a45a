"""Who may act on a request: decided from the verified person and the stored request only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from bot.requests import cards
from bot.requests.chains import may_decide
from bot.requests.describe import describe_audit, last_audit, name_of
from bot.requests.records import RequestRecord
from bot.requests.states import RequestEvent, RequestState
from bot.school import School, StaffMember

#: What anyone not involved in a request is told: nothing about whether it exists.
NOT_FOUND = "I can't find a request with that number that you can act on."


def is_involved(school: School, request: RequestRecord, email: str, day: date) -> bool:
    """The requester, an approver in its chain, or someone standing in for one today."""
    if email == request.requester_email:
        return True
    return any(may_decide(school, approver, email, day, request) for approver in request.chain)


async def check_decider(
    school: School,
    session: AsyncSession,
    request: RequestRecord | None,
    member: StaffMember,
    event: RequestEvent,
    day: date,
    now: datetime,
) -> Reply | None:
    """A refusal if `member` may not take `event` on `request` now; None when they may.

    Only the awaited approver (or their delegate today) decides, with the button for their
    step; everyone else hears who already decided, or who it is waiting for.
    """
    if request is None or not is_involved(school, request, member.email, day):
        return cards.render_text(NOT_FOUND)
    if member.email == request.requester_email:
        return cards.render_text("You can't decide your own request; it is with your approvers.")
    if request.state != RequestState.PENDING.value:
        return cards.render_text(describe_audit(school, request, await last_audit(session, request.id), now))
    if may_decide(school, request.approver, member.email, day, request):
        wrong_button = (event is RequestEvent.ENDORSE and request.is_final_step) or (
            event is RequestEvent.APPROVE and not request.is_final_step
        )
        if not wrong_button:
            return None
        endorsed = await last_audit(session, request.id, RequestEvent.ENDORSE)
        if event is RequestEvent.ENDORSE and endorsed is not None:
            return cards.render_text(describe_audit(school, request, endorsed, now))
        right = "Approve" if request.is_final_step else "Endorse"
        return cards.render_text(f"Request #{request.id} is at a different step now; use {right}.")
    for step in range(request.step):
        if may_decide(school, request.chain[step], member.email, day, request):
            endorsed = await last_audit(session, request.id, RequestEvent.ENDORSE, step)
            return cards.render_text(describe_audit(school, request, endorsed, now))
    waiting = name_of(school, request.approver)
    return cards.render_text(f"Request #{request.id} is waiting for {waiting} first.")
