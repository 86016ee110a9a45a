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
from bot.questions.desk import QuestionDesk
from bot.requests.conversation import RequestConversation
from bot.runtime import Runtime
from bot.school import School
from bot.server import build_app
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
    """The runtime `staffroom serve` builds, with the router and library loaded once per test session."""
    from bot.requests.workflow import RequestWorkflow

    key = str(school.folder)
    router = _router_cache.get(key)
    if router is None:
        router = _router_cache[key] = Router.from_folder(school.folder)
    conversation = RequestConversation(RequestWorkflow(school, database, router.library))
    assistant = Assistant(router, clock, school.calendar.zone, requests=conversation,
                          questions=QuestionDesk(school, database))
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
    app = build_app(runtime)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    return SlackHarness(fake, runtime, client, app[SLACK_APP])
