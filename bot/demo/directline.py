"""A small local stand-in for Microsoft's Direct Line 3.0 service and Bot Connector.

Web Chat talks Direct Line (REST polling) to us; we pass each activity to the bot's own
`POST /api/messages`, and the bot answers through the Connector endpoints here, as it
would answer Teams. Only what Web Chat and botbuilder use is implemented:

- Direct Line: `POST /v3/directline/conversations`, `GET …/conversations/{id}`,
  `POST` and `GET …/conversations/{id}/activities` (with a watermark), `POST …/tokens/refresh`
- Connector: `POST /v3/conversations/{id}/activities[/{replyTo}]`,
  `PUT /v3/conversations/{id}/activities/{id}`, `GET /v3/conversations/{id}/members/{user}`

Every demo staff member has one conversation, opened at start-up, so the bot can reach
them proactively (an approver's card waits there until you switch to them). Held in
memory: this is a demo, and it only runs when asked for, on loopback.

Web Chat answers cards with `Action.Submit` but does not say which card was pressed;
Teams does (`replyToId`). So we stamp each Submit button of a card we deliver with the
card's id and turn it back into `replyToId` when the button comes back.
"""

from __future__ import annotations

import itertools
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web

log = logging.getLogger(__name__)

CHANNEL_ID = "webchat"
TENANT = "staffroom-demo"
BOT_ID = "staffroom-bot"
CARD_STAMP = "demo_card"
_MAX_ACTIVITIES = 2000


@dataclass(frozen=True)
class DemoPerson:
    """A staff member from the directory, as the demo's Web Chat user."""

    email: str
    name: str
    job_title: str

    @property
    def user_id(self) -> str:
        return f"demo:{self.email}"

    @property
    def conversation_id(self) -> str:
        return f"demo-{self.email.replace('@', '-at-')}"


@dataclass
class Conversation:
    """One person's chat with the bot: the activities in order (a watermark is an index)."""

    person: DemoPerson
    token: str
    activities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, activity: dict[str, Any]) -> None:
        if len(self.activities) < _MAX_ACTIVITIES:
            self.activities.append(activity)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _submit_actions(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
            yield node
        for value in node.values():
            yield from _submit_actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _submit_actions(item)


def stamp_cards(activity: dict[str, Any]) -> None:
    """Write the activity's id into every Submit button, so a press names its card."""
    for attachment in activity.get("attachments") or []:
        for action in _submit_actions(attachment.get("content")):
            action["data"][CARD_STAMP] = activity["id"]


class DirectLine:
    """The emulation: conversations by id and by token, and the routes that serve them."""

    def __init__(self, people: list[DemoPerson]) -> None:
        self.people = {person.email: person for person in people}
        self.conversations: dict[str, Conversation] = {}
        self._by_token: dict[str, Conversation] = {}
        self._ids = itertools.count(1)
        #: Our own address (ends with "/"): the bot's serviceUrl; set once the server listens.
        self.service_url = ""
        self._client: aiohttp.ClientSession | None = None

    def conversation_of(self, email: str) -> Conversation:
        person = self.people[email]
        conversation = self.conversations.get(person.conversation_id)
        if conversation is None:
            conversation = Conversation(person, secrets.token_urlsafe(24))
            self.conversations[person.conversation_id] = conversation
            self._by_token[conversation.token] = conversation
        return conversation

    def mount(self, app: web.Application) -> None:
        app.router.add_post("/v3/directline/conversations", self.start_conversation)
        app.router.add_get("/v3/directline/conversations/{cid}", self.reconnect)
        app.router.add_post("/v3/directline/conversations/{cid}/activities", self.post_activity)
        app.router.add_get("/v3/directline/conversations/{cid}/activities", self.get_activities)
        app.router.add_post("/v3/directline/tokens/refresh", self.refresh_token)
        app.router.add_post("/v3/conversations/{cid}/activities", self.bot_sends)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.bot_sends)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self.bot_updates)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self.member)

        async def close(_: web.Application) -> None:
            if self._client is not None:
                await self._client.close()

        app.on_cleanup.append(close)

    # -- the bot side ----------------------------------------------------------------------

    def base_activity(self, conversation: Conversation, kind: str) -> dict[str, Any]:
        """What every activity to the bot carries, as Teams would send it."""
        person = conversation.person
        return {
            "type": kind,
            "id": f"demo-{next(self._ids)}",
            "timestamp": _now(),
            "serviceUrl": self.service_url,
            "channelId": CHANNEL_ID,
            "from": {"id": person.user_id, "name": person.name, "role": "user"},
            "recipient": {"id": BOT_ID, "name": "Staffroom", "role": "bot"},
            "conversation": {"id": person.conversation_id, "conversationType": "personal", "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
        }

    async def to_bot(self, activity: dict[str, Any]) -> int:
        """POST an activity to the bot's /api/messages, as Microsoft's channel service would."""
        if self._client is None:
            self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        async with self._client.post(f"{self.service_url}api/messages", json=activity) as response:
            if response.status >= 400:
                log.warning("demo: the bot answered HTTP %d", response.status)
            return response.status

    async def introduce(self, email: str) -> None:
        """Install the app for one person: the bot says hello and keeps the conversation."""
        conversation = self.conversation_of(email)
        activity = self.base_activity(conversation, "installationUpdate")
        activity["action"] = "add"
        await self.to_bot(activity)

    async def bot_sends(self, request: web.Request) -> web.Response:
        conversation = self.conversations.get(request.match_info["cid"])
        if conversation is None:
            return web.json_response({"error": {"code": "ConversationNotFound", "message": "no such chat"}}, status=404)
        activity = await request.json()
        activity.update({
            "id": f"bot-{next(self._ids)}",
            "timestamp": _now(),
            "from": {"id": BOT_ID, "name": "Staffroom", "role": "bot"},
            "conversation": {"id": conversation.person.conversation_id},
        })
        if "aid" in request.match_info:
            activity["replyToId"] = request.match_info["aid"]
        stamp_cards(activity)
        conversation.add(activity)
        return web.json_response({"id": activity["id"]})

    async def bot_updates(self, request: web.Request) -> web.Response:
        """Replace a message: sent again with the same id, which Web Chat shows in its place."""
        conversation = self.conversations.get(request.match_info["cid"])
        activity_id = request.match_info["aid"]
        earlier = None
        if conversation is not None:
            earlier = next((a for a in conversation.activities if a.get("id") == activity_id), None)
        if conversation is None or earlier is None:
            return web.json_response({"error": {"code": "NotFound", "message": "no such message"}}, status=404)
        activity = await request.json()
        activity.update({"id": activity_id, "timestamp": earlier["timestamp"], "from": earlier["from"],
                         "conversation": earlier["conversation"]})
        stamp_cards(activity)
        conversation.add(activity)
        return web.json_response({"id": activity_id})

    async def member(self, request: web.Request) -> web.Response:
        """The member lookup (TeamsInfo.get_member): the demo's directory email for the user."""
        user_id = request.match_info["uid"]
        person = next((p for p in self.people.values() if p.user_id == user_id), None)
        if person is None:
            return web.json_response({"error": {"code": "NotFound", "message": "no such member"}}, status=404)
        return web.json_response({"id": person.user_id, "name": person.name, "email": person.email,
                                  "userPrincipalName": person.email})

    # -- the Web Chat side -----------------------------------------------------------------

    def _session(self, request: web.Request) -> Conversation | None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip()
        return self._by_token.get(token)

    def _owned(self, request: web.Request) -> Conversation | None:
        conversation = self._session(request)
        if conversation is None or conversation.person.conversation_id != request.match_info["cid"]:
            return None
        return conversation

    @staticmethod
    def _unauthorized() -> web.Response:
        return web.json_response({"error": {"code": "BadArgument", "message": "unknown token"}}, status=403)

    async def start_conversation(self, request: web.Request) -> web.Response:
        conversation = self._session(request)
        if conversation is None:
            return self._unauthorized()
        return web.json_response(self._conversation_json(conversation), status=201)

    async def reconnect(self, request: web.Request) -> web.Response:
        conversation = self._owned(request)
        if conversation is None:
            return self._unauthorized()
        return web.json_response(self._conversation_json(conversation))

    @staticmethod
    def _conversation_json(conversation: Conversation) -> dict[str, Any]:
        return {"conversationId": conversation.person.conversation_id, "token": conversation.token,
                "expires_in": 3600}

    async def refresh_token(self, request: web.Request) -> web.Response:
        conversation = self._session(request)
        if conversation is None:
            return self._unauthorized()
        return web.json_response(self._conversation_json(conversation))

    async def get_activities(self, request: web.Request) -> web.Response:
        conversation = self._owned(request)
        if conversation is None:
            return self._unauthorized()
        try:
            watermark = max(0, int(request.query.get("watermark") or 0))
        except ValueError:
            watermark = 0
        return web.json_response({"activities": conversation.activities[watermark:],
                                  "watermark": str(len(conversation.activities))})

    async def post_activity(self, request: web.Request) -> web.Response:
        """Web Chat sends: keep it in the chat, then pass it to the bot as the session's person."""
        conversation = self._owned(request)
        if conversation is None:
            return self._unauthorized()
        try:
            sent = await request.json()
        except ValueError:
            return web.json_response({"error": {"code": "BadArgument", "message": "not JSON"}}, status=400)
        if not isinstance(sent, dict) or sent.get("type") != "message":
            return web.json_response({"id": f"ignored-{next(self._ids)}"})
        activity = self.base_activity(conversation, "message")
        if isinstance(sent.get("text"), str):
            activity["text"] = sent["text"]
        value = sent.get("value")
        if isinstance(value, dict):
            value = dict(value)
            card = value.pop(CARD_STAMP, None)
            if isinstance(card, str):
                activity["replyToId"] = card
            activity["value"] = value
        echo = {**activity, "channelData": sent.get("channelData") or {}}
        conversation.add(echo)
        await self.to_bot(activity)
        return web.json_response({"id": activity["id"]})
