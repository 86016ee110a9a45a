"""Drive `/api/messages` as Teams would: real-shaped activities from demo staff, a fake Connector.

`TeamsHarness.post(activity)` posts to the real aiohttp application the composition root builds;
the bot's answers land in `harness.connector.sent`. Builders make the activities Teams
sends: messages (personal or an @mention in a channel), `adaptiveCard/action` invokes,
installation and conversation updates.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FakeClock
from bot.root import Root, compose_app
from bot.runtime import Runtime
from bot.school import School
from bot.settings import Settings
from bot.store.database import Database
from bot.teams.bot import TeamsOptions
from bot.teams.platform import TeamsPlatform
from tests.fakes_teams.fake_connector import FakeConnector, Sent
from tests.fakes_teams.schemas import assert_valid_card

TENANT = "tenant-oakfield"
BOT_ID = "28:staffroom-bot"
_counter = itertools.count(1)


@dataclass(frozen=True)
class TeamsUser:
    """A Teams account: the channel id ("29:…"), Entra object id, name and email."""

    email: str
    name: str

    @property
    def channel_id(self) -> str:
        return f"29:{self.email.split('@')[0]}"

    @property
    def aad_object_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, self.email))

    @property
    def personal_conversation(self) -> str:
        return f"a:personal-{self.email.split('@')[0]}"


@dataclass
class TeamsHarness:
    client: TestClient[Any, Any]
    connector: FakeConnector
    runtime: Runtime
    users: dict[str, TeamsUser] = field(default_factory=dict)

    def user(self, email: str) -> TeamsUser:
        if email not in self.users:
            member = self.runtime.school.directory.get(email)
            self.users[email] = TeamsUser(email, member.name if member else email)
            self.connector.members[self.users[email].channel_id] = {
                "email": email,
                "name": self.users[email].name,
                "aadObjectId": self.users[email].aad_object_id,
            }
        return self.users[email]

    # -- builders -------------------------------------------------------------------------

    def base(self, email: str, kind: str, *, channel: bool = False, **extra: Any) -> dict[str, Any]:
        user = self.user(email)
        conversation: dict[str, Any] = (
            {"id": "19:staffroom-general@thread.tacv2;messageid=1700000000000", "conversationType": "channel",
             "tenantId": TENANT, "isGroup": True}
            if channel
            else {"id": user.personal_conversation, "conversationType": "personal", "tenantId": TENANT}
        )
        activity: dict[str, Any] = {
            "type": kind,
            "id": f"f:{next(_counter)}",
            "timestamp": "2026-11-23T09:14:00.000Z",
            "serviceUrl": self.connector.service_url,
            "channelId": "msteams",
            "from": {"id": user.channel_id, "name": user.name, "aadObjectId": user.aad_object_id},
            "conversation": conversation,
            "recipient": {"id": BOT_ID, "name": "Staffroom"},
            "channelData": {"tenant": {"id": TENANT}},
        }
        if channel:
            activity["channelData"]["team"] = {"id": "19:team@thread.tacv2"}
            activity["channelData"]["channel"] = {"id": "19:staffroom-general@thread.tacv2"}
        activity.update(extra)
        return activity

    def message(self, email: str, text: str, *, channel: bool = False) -> dict[str, Any]:
        if channel:
            return self.base(
                email, "message", channel=True, text=f"<at>Staffroom</at> {text}",
                entities=[{"type": "mention", "text": "<at>Staffroom</at>",
                           "mentioned": {"id": BOT_ID, "name": "Staffroom"}}],
            )
        return self.base(email, "message", text=text)

    def execute(self, email: str, verb: str, data: dict[str, Any], reply_to: str | None = None,
                *, channel: bool = False) -> dict[str, Any]:
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        extra: dict[str, Any] = {"name": "adaptiveCard/action", "value": value}
        if reply_to:
            extra["replyToId"] = reply_to
        return self.base(email, "invoke", channel=channel, **extra)

    def installed(self, email: str) -> dict[str, Any]:
        return self.base(email, "installationUpdate", action="add")

    def members_added(self, email: str) -> dict[str, Any]:
        user = self.user(email)
        return self.base(email, "conversationUpdate", membersAdded=[{"id": user.channel_id}, {"id": BOT_ID}])

    # -- posting --------------------------------------------------------------------------

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return response.status, body

    async def say(self, email: str, text: str, *, channel: bool = False) -> list[Sent]:
        before = len(self.connector.sent)
        status, _ = await self.post(self.message(email, text, channel=channel))
        assert status == 200
        return self.connector.sent[before:]

    async def press(self, email: str, action: dict[str, Any], reply_to: str | None = None,
                    **inputs: str) -> tuple[int, Any]:
        """Press an `Action.Execute` from a card (its verb and data, with the form's inputs)."""
        return await self.post(self.execute(email, action["verb"], {**action["data"], **inputs}, reply_to))


def build_runtime(school: School, database: Database, clock: FakeClock, settings: Settings | None = None) -> Runtime:
    """The runtime `staffroom serve` builds, through the same composition root."""
    return Root(settings or Settings(), school=school, clock=clock).runtime(database)


async def start_harness(runtime: Runtime, connector: FakeConnector, options: TeamsOptions | None = None) -> TeamsHarness:
    """The server on loopback: without credentials it runs as `serve --teams-unauthenticated` would."""
    if options is None:
        options = TeamsOptions(unauthenticated=True)
    options.service_urls.allow_loopback(connector.service_url)
    app = compose_app(runtime, TeamsPlatform(options))
    client: TestClient[Any, Any] = TestClient(TestServer(app))
    await client.start_server()
    return TeamsHarness(client, connector, runtime)


def find_action(card: dict[str, Any], verb: str) -> dict[str, Any]:
    """The action with this verb (Execute) or data action (Submit) anywhere in a card."""
    for action in all_actions(card):
        data = action.get("data", {}).get("staffroom", {})
        if action.get("verb") == verb or data.get("action") == verb:
            return action
    raise AssertionError(f"no {verb} action in card")


def all_actions(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("type"), str) and node["type"].startswith("Action.") and "data" in node:
            found.append(node)
        for key, value in node.items():
            if key != "refresh":
                found.extend(all_actions(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(all_actions(item))
    return found


@asynccontextmanager
async def running_teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    """`staffroom serve --teams-unauthenticated` on loopback against a fake Connector; every card the
    bot sent is checked against the Adaptive Card schema afterwards."""
    async with FakeConnector() as connector:
        harness = await start_harness(build_runtime(school, database, clock), connector)
        try:
            yield harness
        finally:
            await harness.client.close()
        for sent in connector.sent:
            if sent.card is not None:
                assert_valid_card(sent.card)
