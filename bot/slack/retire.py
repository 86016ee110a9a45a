"""A decided request's other cards: every approver's Slack copy shows the outcome, buttons gone.

The requester's own "Request sent" confirmation follows the request too (`follow_requester_cards`):
whom it waits for after an endorsement, or how it ended, with Cancel only while cancelling is allowed.

A decision card goes to the approver and to whoever stands in for them (and again as a
reminder). Whoever decides first, the clicked card is replaced in place; this finds the
other copies from the outbox's delivery receipts and replaces them too, so nobody is left
looking at Approve / Decline on a request that is already settled. (Clicking a stale
button was always safe — the core refuses a second decision — this makes it visible.)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import ButtonsBlock, Reply, TextBlock
from bot.requests import cards
from bot.requests.requester_card import SENT_REASON, requester_card
from bot.runtime import Runtime
from bot.slack.adapter import PLATFORM, Place
from bot.slack.blocks import render_message
from bot.store.outbox import delivered_on, read_notice

log = logging.getLogger(__name__)

#: The outbox reasons of a decision card (`bot.requests.notices.notify_deciders`).
CARD_REASONS = ("request.awaiting_decision", "request.reminder")

TokenFinder = Callable[[str], Awaitable[str | None]]


def render_outcome(reply: Reply, outcome: str, decider: str, reason: str = "") -> Reply:
    """A card after its request was settled: outcome and who settled it first, the facts, no buttons."""
    headline = f"{outcome} by {decider}." + (f" Reason: {reason}" if reason else "")
    facts = [block for block in reply.blocks if not isinstance(block, TextBlock | ButtonsBlock)]
    return Reply(text=headline, blocks=(TextBlock(text=headline), *facts))


def card_actions(reply: Reply) -> set[str]:
    return {button.action_id for block in reply.blocks if isinstance(block, ButtonsBlock) for button in block.buttons}


async def retire_cards(
    runtime: Runtime,
    client: AsyncWebClient,
    token_for: TokenFinder,
    *,
    request_id: int,
    settled_by: str,
    outcome: str,
    decider: str,
    reason: str = "",
    clicked: Place | None = None,
) -> int:
    """Replace every other delivered Slack copy of the settled step's cards; returns how many.

    `settled_by` is the action that settled the step: an endorsement retires the
    endorsement cards (the headteacher's new cards stay), an approval the approval cards;
    a decline, or the requester cancelling, retires the cards of the step that was
    waiting — the approval step once there are approval cards, else the endorsement
    step — and leaves the earlier step's "Endorsed by …" as it is.
    """
    rows = await delivered_on(runtime.database, request_id, PLATFORM, CARD_REASONS)
    held = [(row, read_notice(row).reply) for row in rows]
    if settled_by in (cards.ENDORSE, cards.APPROVE):
        step = settled_by
    else:
        step = cards.APPROVE if any(cards.APPROVE in card_actions(card) for _, card in held) else cards.ENDORSE
    retired = 0
    for row, card in held:
        receipt = row.receipt or {}
        channel, ts, team = str(receipt.get("channel", "")), str(receipt.get("ts", "")), str(receipt.get("team", ""))
        if not channel or not ts:
            continue
        if clicked is not None and clicked.channel_id == channel and clicked.message_ts == ts:
            continue  # the clicked card: the handler has already replaced it
        if step not in card_actions(card):
            continue
        # A deleted DM or a revoked token: that copy keeps its buttons, which only say "already decided".
        if await _update_copy(client, token_for, clicked, (channel, ts, team),
                              render_outcome(card, outcome, decider, reason), "another copy of a decided card"):
            retired += 1
    return retired


async def follow_requester_cards(
    runtime: Runtime, client: AsyncWebClient, token_for: TokenFinder, *, request_id: int, clicked: Place | None = None
) -> int:
    """Update the requester's "Request sent" confirmation(s) to the request as it stands now; returns how many."""
    requests = runtime.assistant.requests
    if requests is None:
        return 0
    rows = await delivered_on(runtime.database, request_id, PLATFORM, (SENT_REASON,))
    if not rows:
        return 0
    current = await requester_card(requests.workflow, request_id, runtime.clock.now())
    if current is None:
        return 0
    updated = 0
    for row in rows:
        receipt = row.receipt or {}
        channel, ts, team = str(receipt.get("channel", "")), str(receipt.get("ts", "")), str(receipt.get("team", ""))
        if not channel or not ts:
            continue
        # A deleted DM or a revoked token: the card's Cancel still answers from the database.
        if await _update_copy(client, token_for, clicked, (channel, ts, team), current,
                              "the requester's confirmation"):
            updated += 1
    return updated


async def _update_copy(
    client: AsyncWebClient, token_for: TokenFinder, clicked: Place | None, where: tuple[str, str, str],
    reply: Reply, what: str,
) -> bool:
    """Replace one delivered copy of a message (in its own workspace's name); False when it can't be."""
    channel, ts, team = where
    try:
        target = client
        if clicked is not None and team and team != clicked.team_id:
            token = await token_for(team)
            if token is None:
                return False
            target = AsyncWebClient(token=token, base_url=client.base_url, session=client.session,
                                    timeout=client.timeout, logger=client.logger)
        await target.chat_update(channel=channel, ts=ts, **render_message(reply))
        return True
    except (SlackApiError, SlackClientError, TimeoutError, OSError) as error:
        log.warning("could not update %s (%s)", what, type(error).__name__)
        return False
