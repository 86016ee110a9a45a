"""What a click did to a request's cards: the core works it out, adapters only render and apply it.

After a decision ("request #12 endorsed by Priya Shah") the pressed card shows the outcome,
every other delivered copy of the settled step's card (the approver's, their stand-in's,
a reminder) shows it too with its buttons gone, and the requester's own "Request sent"
shows the request as it stands now. A cancelled request's approvers' cards say so as well.
A sent request's confirmation is marked to be recorded where it lands, so it can follow
the request from there.

Which copies exist, and where they landed, comes from the outbox's delivery receipts. A
decline, or the requester cancelling, retires the cards of the step that was waiting — the
approval step once a platform holds approval cards, else the endorsement step — and leaves
the earlier step's "Endorsed by …" as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.messages import Action, ButtonsBlock, CardCopy, CardOutcome, Follow, Reply, TextBlock
from bot.requests import cards
from bot.requests.current_card import CARD_REASONS
from bot.requests.records import parse_request_id
from bot.requests.requester_card import SENT_REASON, requester_card, sent_request_id
from bot.requests.workflow import RequestWorkflow
from bot.school import StaffMember
from bot.store.outbox import delivered_on, read_notice
from bot.store.tables import OutboxRow

#: The clicks that settle a step or withdraw a request, and how their outcome reads.
SETTLING = {
    cards.ENDORSE: "Endorsed",
    cards.APPROVE: "Approved",
    cards.DECLINE_REASON: "Declined",
    cards.CANCEL: "Cancelled",
}


def render_settled(card: Reply, headline: str) -> Reply:
    """A card after its request was settled: what happened and who did it first, the facts, no buttons."""
    facts = [block for block in card.blocks if not isinstance(block, TextBlock | ButtonsBlock)]
    return Reply(text=headline, blocks=(TextBlock(text=headline), *facts))


def card_actions(card: Reply) -> set[str]:
    return {button.action_id for block in card.blocks if isinstance(block, ButtonsBlock) for button in block.buttons}


async def with_outcome(workflow: RequestWorkflow, action: Action, member: StaffMember, reply: Reply,
                       now: datetime) -> Reply:
    """`reply` to `action`, carrying what the click did to the request's cards (a refusal changes nothing)."""
    if reply.ephemeral:
        return reply  # refused ("already approved by …", "not yours"): no card changes
    if action.action_id == cards.SUBMIT:
        sent = sent_request_id(reply)
        follows = Follow(request_id=sent, record_as=SENT_REASON) if sent is not None else None
        return reply.model_copy(update={"follows": follows})
    verb = SETTLING.get(action.action_id)
    request_id = parse_request_id(action.value)
    if verb is None or request_id is None:
        return reply
    reason = action.inputs.get("reason", "").strip() if action.action_id == cards.DECLINE_REASON else ""
    headline = f"{verb} by {member.name}." + (f" Reason: {reason}" if reason else "")
    # A decision replaces the approver's card it was taken on; a cancel leaves the requester's list or card
    # to the reply itself.
    pressed = None if action.action_id == cards.CANCEL else render_settled(reply, headline)
    updates = (*await retired_cards(workflow, request_id, action.action_id, headline),
               *await requester_cards(workflow, request_id, now))
    outcome = CardOutcome(request_id=request_id, headline=headline, pressed=pressed, updates=updates)
    return reply.model_copy(update={"outcome": outcome})


async def retired_cards(workflow: RequestWorkflow, request_id: int, settled_by: str,
                        headline: str) -> tuple[CardCopy, ...]:
    """Every delivered copy of the settled step's card, showing `headline` instead of its buttons."""
    rows = await delivered_on(workflow.database, request_id, None, sorted(CARD_REASONS))
    held = [(row, read_notice(row).reply) for row in rows]
    retired: list[CardCopy] = []
    for platform in dict.fromkeys(row.platform or "" for row, _ in held):
        on_platform = [(row, card) for row, card in held if row.platform == platform]
        step = _settled_step(settled_by, [card for _, card in on_platform])
        retired.extend(_copy(row, render_settled(card, headline)) for row, card in on_platform
                       if step in card_actions(card))
    return tuple(retired)


def _settled_step(settled_by: str, held: Sequence[Reply]) -> str:
    """The decision button of the step a click settled, on the cards one platform holds."""
    if settled_by in (cards.ENDORSE, cards.APPROVE):
        return settled_by
    return cards.APPROVE if any(cards.APPROVE in card_actions(card) for card in held) else cards.ENDORSE


async def requester_cards(workflow: RequestWorkflow, request_id: int, now: datetime) -> tuple[CardCopy, ...]:
    """The requester's recorded "Request sent" confirmations, each showing the request as it stands now."""
    rows = await delivered_on(workflow.database, request_id, None, (SENT_REASON,))
    if not rows:
        return ()
    current = await requester_card(workflow, request_id, now)
    if current is None:
        return ()
    return tuple(_copy(row, current) for row in rows)


def _copy(row: OutboxRow, reply: Reply) -> CardCopy:
    receipt = {str(key): str(value) for key, value in (row.receipt or {}).items()}
    return CardCopy(platform=row.platform or "", receipt=receipt, reply=reply)
