"""The whole server with Slack switched on, against the fake Web API: post signed requests, read calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.assistant import Assistant
from bot.clock import FakeClock
from bot.delivery.courier import Delivered, Recipient
from bot.requests.conversation import RequestConversation
from bot.runtime import Runtime
from bot.school import School
from bot.server import build_app
from bot.settings import Settings
from bot.slack.app import SLACK_APP, SlackApp
from bot.store.accounts import accounts_of
from bot.store.database import Database
from bot.store.outbox import list_undelivered, read_notice
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
    from bot.requests.workflow import RequestWorkflow
    from intents.policy_library import load_library

    router = _router_cache.get(str(school.folder))
    if router is None:
        router = _router_cache[str(school.folder)] = Router.from_folder(school.folder)
    conversation = RequestConversation(RequestWorkflow(school, database, load_library(school.folder)))
    from bot.cli import build_assistant

    rules = build_assistant(school.folder, clock).request_rules
    assistant = Assistant(router, clock, school.calendar.zone, rules, requests=conversation)
    return Runtime(school=school, assistant=assistant, database=database, settings=settings, clock=clock)


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

    async def deliver_outbox(self) -> list[Delivered]:
        """Deliver queued notices through the Slack courier (stand-in until the dispatcher lands)."""
        courier = self.runtime.couriers["slack"]
        delivered: list[Delivered] = []
        async with self.runtime.database.transaction() as session:
            rows = await list_undelivered(session, self.runtime.school.id)
            for row in rows:
                accounts = await accounts_of(self.runtime.database, row.school_id, row.recipient_email)
                slack = [account for account in accounts if account.platform == "slack"]
                if not slack:
                    continue
                recipient = Recipient(email=row.recipient_email, platform="slack", workspace=slack[0].workspace,
                                      user_id=slack[0].user_id)
                result = await courier.deliver(recipient, read_notice(row).reply, f"outbox-{row.id}")
                assert isinstance(result, Delivered), result
                row.delivered_at = self.runtime.clock.now()
                delivered.append(result)
        self.check_all()
        return delivered


async def open_harness(fake: FakeSlackApi, runtime: Runtime) -> SlackHarness:
    app = build_app(runtime)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    return SlackHarness(fake, runtime, client, app[SLACK_APP])
