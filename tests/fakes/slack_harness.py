"""The whole server with Slack switched on, against the fake Web API: post signed requests, read calls."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.clock import FakeClock
from bot.root import Root, compose_app
from bot.runtime import Runtime
from bot.school import School
from bot.settings import Settings
from bot.slack.app import SLACK_APP, SlackApp
from bot.store.database import Database
from intents.router import Router

from .fake_slack_api import Call, FakeSlackApi
from .slack_payloads import SIGNING_SECRET, signed_headers

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
_router_cache: dict[str, Router] = {}


def slack_settings(fake: FakeSlackApi, **extra: Any) -> Settings:
    values = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
              "SLACK_API_URL": fake.base_url, **extra}
    return Settings.model_validate({key.lower(): value for key, value in values.items()})


def build_runtime(school: School, database: Database, clock: FakeClock, settings: Settings) -> Runtime:
    """The runtime `staffroom serve` builds (through the same root), with the router loaded once per test session."""
    key = str(school.folder)
    router = _router_cache.get(key)
    if router is None:
        router = _router_cache[key] = Router.from_folder(school.folder)
    return Root(settings, school=school, router=router, clock=clock).runtime(database)


def check_blocks(blocks: list[dict[str, Any]], limit: int = MAX_MESSAGE_BLOCKS) -> None:
    """Strict Block Kit: every block parses as a known type, validates, and round-trips unchanged."""
    assert isinstance(blocks, list) and blocks, blocks
    assert len(blocks) <= limit
    for raw in blocks:
        parsed = Block.parse(raw)
        assert parsed is not None, f"unknown block dropped: {raw}"
        assert type(parsed) is not Block, f"parsed only as a generic block: {raw}"
        parsed.validate_json()
        assert parsed.to_dict() == raw, (parsed.to_dict(), raw)


def check_view(view: dict[str, Any]) -> None:
    parsed = View(**view)
    parsed.validate_json()
    assert parsed.to_dict() == view, (parsed.to_dict(), view)
    check_blocks(view["blocks"], MAX_VIEW_BLOCKS)


def check_call(call: Call) -> None:
    """Validate whatever Block Kit a recorded Web API call carries."""
    if "blocks" in call.body:
        check_blocks(call.body["blocks"])
    if "view" in call.body and isinstance(call.body["view"], dict):
        check_view(call.body["view"])


@dataclass
class SlackHarness:
    fake: FakeSlackApi
    runtime: Runtime
    client: TestClient[web.Request, web.Application]
    slack: SlackApp
    checked: int = field(default=0)

    async def post(self, body: str, *, content_type: str | None = None, headers: dict[str, str] | None = None,
                   drain: bool = True) -> Any:
        kind = content_type or ("application/json" if body.startswith("{") else "application/x-www-form-urlencoded")
        sent = headers if headers is not None else signed_headers(body, content_type=kind)
        response = await self.client.post("/slack/events", data=body.encode(), headers=sent)
        await response.read()
        if drain:
            await self.drain()
        return response

    async def drain(self) -> None:
        await self.slack.background.drain()
        self.check_all()

    def check_all(self) -> None:
        for call in self.fake.calls[self.checked:]:
            check_call(call)
        self.checked = len(self.fake.calls)

    async def deliver_outbox(self) -> int:
        """Deliver every due notice with the outbox dispatcher through the Slack courier; all must arrive."""
        from bot.delivery.dispatcher import Dispatcher, Outcome

        runtime = self.runtime
        dispatcher = Dispatcher(runtime.database, runtime.couriers, {runtime.school.id: runtime.school}, runtime.clock)
        report = await dispatcher.drain()
        assert report.counts[Outcome.DELIVERED] == report.claimed, report
        self.check_all()
        return report.claimed


async def open_harness(fake: FakeSlackApi, runtime: Runtime) -> SlackHarness:
    app = compose_app(runtime)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    return SlackHarness(fake, runtime, client, app[SLACK_APP])


#: The demo school's people as Slack knows them (user id → profile).
TEACHER_ID, MANAGER_ID, HEAD_ID, DEPUTY_ID = "U0TEACH", "U0MGR", "U0HEAD", "U0DEP"
PROFILES: dict[str, dict[str, str]] = {
    DEPUTY_ID: {"email": "d.reyes@oakfield.example", "real_name": "David Reyes"},
    TEACHER_ID: {"email": "s.carter@oakfield.example", "real_name": "Sam Carter"},
    MANAGER_ID: {"email": "p.shah@oakfield.example", "real_name": "Priya Shah"},
    HEAD_ID: {"email": "h.okafor@oakfield.example", "real_name": "Helen Okafor"},
}


@asynccontextmanager
async def running_slack(school: School, database: Database, clock: FakeClock,
                        profiles: dict[str, dict[str, str]] | None = None) -> AsyncIterator[SlackHarness]:
    """`staffroom serve` for Slack on loopback against a fake Web API that knows `profiles` (the demo's people)."""
    async with FakeSlackApi(profiles=dict(PROFILES if profiles is None else profiles)) as fake:
        harness = await open_harness(fake, build_runtime(school, database, clock, slack_settings(fake)))
        try:
            yield harness
        finally:
            await harness.client.close()
