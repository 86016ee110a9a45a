"""What Staffroom does with each Slack event, after the acknowledgement: de-duplicate, identify,
ask the Assistant, and send its replies back in Slack's own ways.

Runs in background tasks started by the listeners in `bot.slack.app`, so Slack gets its
acknowledgement within milliseconds. Every event is claimed once in the database
(`first_sighting`) before anything happens, so a retry, a replay or a second instance
never produces a second answer, request or decision.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import Notice, Person, Reply
from bot.requests import cards
from bot.requests.requester_card import SENT_REASON, sent_request_id
from bot.runtime import Runtime
from bot.slack.adapter import PLATFORM, Clicked, Place, Said, to_action, to_message
from bot.slack.blocks import find_form, render_message, render_retry_view
from bot.slack.dedup import EventClaims
from bot.slack.home import publish_home
from bot.slack.identity import SlackIdentity
from bot.slack.replies import Speaker
from bot.slack.retire import TokenFinder, follow_requester_cards, render_outcome, retire_cards
from bot.store.outbox import record_shown

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a minute."

#: The decisions that replace the approver's card with the outcome, and how the outcome reads.
OUTCOMES = {cards.ENDORSE: "Endorsed", cards.APPROVE: "Approved", cards.DECLINE_REASON: "Declined"}
#: How an approver's card reads once the requester has withdrawn the request.
CANCELLED = "Cancelled"


#: How many questions are answered at once; more wait their turn, so acknowledgements stay
#: prompt. Claims (de-duplication) happen before the turn, so a burst shares one commit; button
#: clicks and form submissions never wait behind questions (a modal must open within 3 seconds).
MAX_IN_FLIGHT = 16


async def _no_token(team_id: str) -> str | None:
    return None


class Background:
    """Tasks started after an acknowledgement; kept referenced, awaited on shutdown and in tests."""

    def __init__(self, limit: int = MAX_IN_FLIGHT) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._limit = limit
        self._gate: asyncio.Semaphore | None = None

    def turn(self) -> asyncio.Semaphore:
        """`async with background.turn():` — at most `limit` holders at once, the rest queue."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self._limit)
        return self._gate

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait until every started task (and any they start) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class SlackHandlers:
    """The work behind each listener; one per application."""

    def __init__(self, runtime: Runtime, identity: SlackIdentity, background: Background,
                 token_for: TokenFinder | None = None) -> None:
        self.runtime = runtime
        self.identity = identity
        self.background = background
        self.token_for: TokenFinder = token_for or _no_token
        self.claims = EventClaims(runtime.database, PLATFORM, runtime.clock)

    # -- guarding ---------------------------------------------------------------------

    def start(self, client: AsyncWebClient, place: Place | None, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the ack; a failure is logged and the person gets a plain apology."""
        self.background.spawn(self._guarded(client, place, work))

    async def _guarded(self, client: AsyncWebClient, place: Place | None, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack event failed")
            if place is not None:
                try:
                    await Speaker(client).say_one(place, Reply(text=APOLOGY, ephemeral=True))
                except Exception as error:  # Slack itself is failing: the log already has the cause
                    log.warning("could not send the apology either (%s)", type(error).__name__)

    async def first_time(self, key: str) -> bool:
        fresh = await self.claims.first_time(key)
        if not fresh:
            log.info("Slack retry or replay ignored")
        return fresh

    # -- messages, mentions, slash commands --------------------------------------------

    async def answer(self, client: AsyncWebClient, said: Said) -> None:
        if not await self.first_time(said.event_key):
            return
        async with self.background.turn():
            person = await self.identity.person(client, said.place)
            replies = await self.runtime.assistant.handle(to_message(person, said))
            await Speaker(client).say(said.place, replies)

    # -- buttons and forms ---------------------------------------------------------------

    async def click(self, client: AsyncWebClient, clicked: Clicked) -> None:
        """A button in a message or App Home."""
        if not await self.first_time(clicked.event_key):
            return
        person = await self.identity.person(client, clicked.place)
        replies = await self.runtime.assistant.handle(to_action(person, clicked))
        speaker = Speaker(client)
        place = clicked.place
        # A decision the core refused ("already approved by …") is ephemeral: then no card changes.
        done = bool(replies) and not replies[0].ephemeral
        decided = OUTCOMES.get(clicked.action_id) if done else None
        withdrawn = done and clicked.action_id == cards.CANCEL
        if decided and clicked.on_card and place.message_ts:
            await speaker.update(place, render_outcome(replies[0], decided, self.decider_name(person)))
            replies = replies[1:]
        await speaker.say(place, replies, on_card=clicked.on_card)
        if decided:
            await self.retire_other_cards(client, clicked, decided, person)
        elif withdrawn:
            # The approvers' cards of a cancelled request say so, with no buttons left to press.
            await self.retire_other_cards(client, clicked, CANCELLED, person)
        if decided or withdrawn:
            await self.follow_requester_card(client, clicked)
        if place.from_home:
            await publish_home(client, self.runtime.assistant, person)

    async def submit(self, client: AsyncWebClient, clicked: Clicked, view: Mapping[str, Any]) -> None:
        """A submitted modal (the request form, a decline reason), already showing "Sending…"."""
        if not await self.first_time(clicked.event_key):
            return
        person = await self.identity.person(client, clicked.place)
        replies = await self.runtime.assistant.handle(to_action(person, clicked))
        speaker = Speaker(client)
        place = clicked.place
        reply = replies[0] if replies else Reply(text="Done.")
        if find_form(reply) is None and reply.ephemeral and place.view_id:
            # A refusal ("that date is in the past"): the form again, with the reason on top.
            await client.views_update(view_id=place.view_id, view=render_retry_view(view, reply.text))
            return
        await speaker.show_in_modal(place, reply)
        # A decision the core refused is ephemeral: then no card changes.
        decided = OUTCOMES.get(clicked.action_id) if not reply.ephemeral else None
        reason = clicked.inputs.get("reason", "").strip()
        if decided and clicked.on_card and place.message_ts:
            await speaker.update(place, render_outcome(reply, decided, self.decider_name(person), reason))
        elif clicked.action_id == cards.SUBMIT:
            # The confirmation stays in the DM too, with its Cancel button, and follows the request from there.
            await self.confirm_in_dm(speaker, place, person, reply)
        await speaker.say(place, replies[1:])
        if decided:
            await self.retire_other_cards(client, clicked, decided, person, reason)
            await self.follow_requester_card(client, clicked)
        if place.from_home:
            await publish_home(client, self.runtime.assistant, person)

    async def retire_other_cards(self, client: AsyncWebClient, clicked: Clicked, outcome: str, person: Person,
                                 reason: str = "") -> None:
        """The other approvers' copies of the settled step's card show the outcome too."""
        if not clicked.value.isdigit():
            return
        await retire_cards(self.runtime, client, self.token_for, request_id=int(clicked.value),
                           settled_by=clicked.action_id, outcome=outcome, decider=self.decider_name(person),
                           reason=reason, clicked=clicked.place)

    async def confirm_in_dm(self, speaker: Speaker, place: Place, person: Person, reply: Reply) -> None:
        """Post "Request #N sent" in the person's DM and record where it landed, to update it later."""
        direct = await speaker.direct_channel(place)
        posted = await speaker.client.chat_postMessage(channel=direct.channel_id, **render_message(reply))
        request_id = sent_request_id(reply)
        channel, ts = str(posted.get("channel") or direct.channel_id), str(posted.get("ts") or "")
        if request_id is None or not person.email or not ts:
            return
        notice = Notice(recipient_email=person.email, reply=reply, reason=SENT_REASON)
        await record_shown(self.runtime.database, self.runtime.school.id, notice, now=self.runtime.clock.now(),
                           request_id=request_id, platform=PLATFORM,
                           receipt={"channel": channel, "ts": ts, "team": place.team_id or ""})

    async def follow_requester_card(self, client: AsyncWebClient, clicked: Clicked) -> None:
        """The requester's confirmation shows what happened (a decision, or their own cancelling)."""
        if clicked.value.isdigit():
            await follow_requester_cards(self.runtime, client, self.token_for, request_id=int(clicked.value),
                                         clicked=clicked.place)

    def decider_name(self, person: Person) -> str:
        member = self.runtime.school.directory.find_person(person)
        return member.name if member is not None else (person.display_name or "you")

    # -- App Home ------------------------------------------------------------------------

    async def open_home(self, client: AsyncWebClient, place: Place, event_key: str) -> None:
        if not await self.first_time(event_key):
            return
        async with self.background.turn():
            person = await self.identity.person(client, place)
            await publish_home(client, self.runtime.assistant, person)
