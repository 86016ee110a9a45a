"""Send neutral replies back where a Slack event came from: a DM, a thread, privately, or a modal.

Forms open as modals with the click's `trigger_id` (valid for 3 seconds, so this runs
straight after the ack). A slash command is answered through its response URL, only
to the person who typed it; an ephemeral reply in a channel goes with chat.postEphemeral.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.messages import Reply
from bot.slack.adapter import Place, form_metadata
from bot.slack.blocks import find_form, render_form_view, render_message, render_result_view
from bot.slack.courier import error_code

log = logging.getLogger(__name__)

TOO_SLOW = "That took me too long to open, sorry. Please press the button again."


class Speaker:
    """Posts replies for one request; the client carries the workspace's token."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def direct_channel(self, place: Place) -> Place:
        """The place with the person's DM channel filled in (App Home clicks carry no channel)."""
        if place.channel_id and place.is_direct:
            return place
        opened = await self.client.conversations_open(users=place.user_id)
        channel = opened.get("channel") or {}
        return replace(place, channel_id=str(channel.get("id", "")), is_direct=True, thread_ts=None)

    async def say(self, place: Place, replies: list[Reply], *, on_card: bool = False) -> None:
        for reply in replies:
            await self.say_one(place, reply, on_card=on_card)

    async def say_one(self, place: Place, reply: Reply, *, on_card: bool = False) -> None:
        form = find_form(reply)
        if form is not None:
            await self.open_form(place, reply, on_card=on_card)
            return
        message = render_message(reply)
        if place.privately and place.response_url:
            await self.respond(place.response_url, message)
        elif place.privately or (reply.ephemeral and not place.is_direct and place.channel_id):
            await self.client.chat_postEphemeral(
                channel=place.channel_id, user=place.user_id, thread_ts=place.thread_ts, **message
            )
        else:
            known = place.channel_id and (place.is_direct or place.thread_ts)
            target = place if known else await self.direct_channel(place)
            await self.client.chat_postMessage(channel=target.channel_id, thread_ts=target.thread_ts, **message)

    async def open_form(self, place: Place, reply: Reply, *, on_card: bool = False) -> None:
        """The form as a modal; without a usable trigger, say so instead of failing silently."""
        form = find_form(reply)
        assert form is not None
        if place.trigger_id:
            view = render_form_view(form, form_metadata(form.value, place, on_card))
            try:
                await self.client.views_open(trigger_id=place.trigger_id, view=view)
                return
            except SlackApiError as error:
                if error_code(error) not in ("expired_trigger_id", "invalid_trigger_id"):
                    raise
                log.info("a form opened too late for its trigger")
        await self.say_one(replace(place, trigger_id=None), Reply(text=TOO_SLOW, ephemeral=True))

    async def respond(self, response_url: str, message: dict[str, Any]) -> None:
        webhook = AsyncWebhookClient(response_url, session=self.client.session, timeout=self.client.timeout)
        response = await webhook.send(response_type="ephemeral", **message)
        if response.status_code >= 400:
            log.warning("Slack response URL answered %d", response.status_code)

    async def update(self, place: Place, reply: Reply) -> None:
        """Replace the clicked message with `reply` (its buttons go with it)."""
        if place.channel_id and place.message_ts:
            await self.client.chat_update(channel=place.channel_id, ts=place.message_ts, **render_message(reply))

    async def show_in_modal(self, place: Place, reply: Reply) -> None:
        """Show the outcome of a submitted form in the modal it came from."""
        if place.view_id:
            await self.client.views_update(view_id=place.view_id, view=render_result_view(reply))
