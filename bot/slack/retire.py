"""Apply what the core says a click did to a request's cards: replace each delivered Slack copy.

A decision card goes to the approver and to whoever stands in for them (and again as a
reminder); the requester's "Request sent" confirmation sits in their DM. Once a click settles
a step, the core lists every copy that should change, where it landed (channel, timestamp,
workspace) and what it shows now (`bot.messages.CardOutcome`); this replaces the Slack ones,
in each workspace's own name, so nobody is left looking at Approve / Decline on a request
that is already settled. (Clicking a stale button was always safe — the core refuses a
second decision — this makes it visible.)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import CardCopy, Reply
from bot.slack.adapter import PLATFORM, Place
from bot.slack.blocks import render_message

log = logging.getLogger(__name__)

TokenFinder = Callable[[str], Awaitable[str | None]]


async def replace_copies(client: AsyncWebClient, token_for: TokenFinder, copies: tuple[CardCopy, ...], *,
                         clicked: Place | None = None, skip_clicked: bool = False) -> int:
    """Replace every Slack copy in `copies` with what it shows now; returns how many were replaced.

    With `skip_clicked`, the clicked message is left alone: the handler has already replaced it.
    """
    replaced = 0
    for copy in copies:
        if copy.platform != PLATFORM:
            continue  # another platform's copy: that platform keeps its own cards current
        channel, ts, team = copy.receipt.get("channel", ""), copy.receipt.get("ts", ""), copy.receipt.get("team", "")
        if not channel or not ts:
            continue
        if skip_clicked and clicked is not None and clicked.channel_id == channel and clicked.message_ts == ts:
            continue
        # A deleted DM or a revoked token: that copy keeps its buttons, which only say "already decided".
        if await _update_copy(client, token_for, clicked, (channel, ts, team), copy.reply):
            replaced += 1
    return replaced


async def _update_copy(
    client: AsyncWebClient, token_for: TokenFinder, clicked: Place | None, where: tuple[str, str, str], reply: Reply,
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
        log.warning("could not update a delivered copy of a request's card (%s)", type(error).__name__)
        return False
