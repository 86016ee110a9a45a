"""What Staffroom does with each Slack event, after the acknowledgement: de-duplicate, identify,
ask the Assistant, and send its replies back in Slack's own ways.

Runs in background tasks started by the listeners in `bot.slack.app`, so Slack gets its
acknowledgement within milliseconds. Every event is claimed once in the event log the app
is given (`bot.platform_storage.EventLog`) before anything happens, so a retry, a replay or a
second instance never produces a second answer, request or decision. What a click did to a
request's cards comes from the core (`Reply.outcome`, `Reply.follows`); this only applies it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine, Mapping
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import CardOutcome, Notice, Person, Reply
from bot.platform_storage import PlatformStorage
from bot.runtime import Runtime
from bot.slack.adapter import PLATFORM, Clicked, Place, Said, to_action, to_message
from bot.slack.blocks import find_form, render_message, render_retry_view
from bot.slack.dedup import EventClaims
from bot.slack.home import publish_home
from bot.slack.identity import SlackIdentity
from bot.slack.replies import Speaker
from bot.slack.retire import TokenFinder, replace_copies

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side and I couldn't finish that. Please try again in a minute."


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

    def __init__(self, runtime: Runtime, identity: SlackIdentity, background: Background, storage: PlatformStorage,
                 token_for: TokenFinder | None = None) -> None:
        self.runtime = runtime
        self.identity = identity
        self.background = background
        self.token_for: TokenFinder = token_for or _no_token
        self.claims = EventClaims(storage.events, PLATFORM)
        self.shown = storage.shown

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
        # What the click did to a request's cards, as the core says (None when it changed nothing).
        outcome = replies[0].outcome if replies else None
        replaced = await self.replace_pressed(speaker, clicked, outcome)
        if replaced:
            replies = replies[1:]
        await speaker.say(place, replies, on_card=clicked.on_card)
        await self.apply(client, clicked, outcome, replaced)
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
        replaced = await self.replace_pressed(speaker, clicked, reply.outcome)
        if not replaced and reply.follows is not None and reply.follows.record_as:
            # The confirmation stays in the DM too, with its Cancel button, and follows the request from there.
            await self.confirm_in_dm(speaker, place, person, reply)
        await speaker.say(place, replies[1:])
        await self.apply(client, clicked, reply.outcome, replaced)
        if place.from_home:
            await publish_home(client, self.runtime.assistant, person)

    @staticmethod
    async def replace_pressed(speaker: Speaker, clicked: Clicked, outcome: CardOutcome | None) -> bool:
        """Replace the pressed card with what the core says it shows now; True when it was replaced.

        Only one request's card is replaced: a list of several requests is left as it is.
        """
        if outcome is None or outcome.pressed is None or not clicked.on_card or not clicked.place.message_ts:
            return False
        await speaker.update(clicked.place, outcome.pressed)
        return True

    async def apply(self, client: AsyncWebClient, clicked: Clicked, outcome: CardOutcome | None,
                    replaced: bool) -> None:
        """The other copies of the request's cards (approvers', the requester's) show what happened too."""
        if outcome is not None:
            await replace_copies(client, self.token_for, outcome.updates, clicked=clicked.place, skip_clicked=replaced)

    async def confirm_in_dm(self, speaker: Speaker, place: Place, person: Person, reply: Reply) -> None:
        """Post "Request #N sent" in the person's DM and record where it landed, for the core to update it later."""
        direct = await speaker.direct_channel(place)
        posted = await speaker.client.chat_postMessage(channel=direct.channel_id, **render_message(reply))
        channel, ts = str(posted.get("channel") or direct.channel_id), str(posted.get("ts") or "")
        follows = reply.follows
        if follows is None or not person.email or not ts:
            return
        notice = Notice(recipient_email=person.email, reply=reply, reason=follows.record_as)
        await self.shown.record_shown(notice, request_id=follows.request_id, platform=PLATFORM,
                                      receipt={"channel": channel, "ts": ts, "team": place.team_id or ""})

    # -- App Home ------------------------------------------------------------------------

    async def open_home(self, client: AsyncWebClient, place: Place, event_key: str) -> None:
        if not await self.first_time(event_key):
            return
        async with self.background.turn():
            person = await self.identity.person(client, place)
            await publish_home(client, self.runtime.assistant, person)
