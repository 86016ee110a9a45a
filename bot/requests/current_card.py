"""A decision card as it should look when it is finally delivered, not as it looked when queued.

Cards wait in the outbox (held overnight, or retried while a platform is down). If the
step they ask about was settled meanwhile — decided from another copy, from "show my
requests", or the requester cancelled — the card goes out showing the outcome, with no
buttons, instead of live Approve / Decline on a settled request.
"""

from __future__ import annotations

from datetime import datetime

from bot.messages import ButtonsBlock, Reply
from bot.requests import cards
from bot.requests.describe import describe_audit, describe_facts, last_audit
from bot.requests.records import RequestRecord
from bot.requests.states import RequestState
from bot.school import School
from bot.store.database import Database
from bot.store.tables import RequestRow

#: Outbox reasons of decision cards (`bot.requests.notices.notify_approver`).
CARD_REASONS = frozenset({"request.awaiting_decision", "request.reminder"})


def _actions(reply: Reply) -> set[str]:
    return {button.action_id for block in reply.blocks if isinstance(block, ButtonsBlock) for button in block.buttons}


async def current_card(database: Database, school: School, request_id: int, reply: Reply, now: datetime) -> Reply:
    """`reply` while its step still waits for a decision; else the request's outcome, without buttons."""
    actions = _actions(reply)
    async with database.reading() as session:
        row = await session.get(RequestRow, request_id)
        if row is None or row.school_id != school.id:
            return reply
        request = RequestRecord.from_row(row)
        if request.state == RequestState.PENDING.value:
            live = cards.APPROVE if request.is_final_step else cards.ENDORSE
            if live in actions:
                return reply
        audit = await last_audit(session, request.id)
    return cards.render_status(describe_audit(school, request, audit, now), describe_facts(school, request))
