"""The shared runtime: accounts remembered, events recognised once, people identified, /healthz."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.clock import FakeClock
from bot.errors import ConfigError
from bot.messages import ConversationRef
from bot.root import Root
from bot.runtime import Runtime
from bot.school import School
from bot.server import build_app
from bot.settings import Settings, load_settings
from bot.store.accounts import accounts_of, conversation_of, find_account, remember_account
from bot.store.database import Database, create_engine
from bot.store.events import first_sighting, forget_old_events


@pytest.fixture
def runtime(school: School, database: Database, clock: FakeClock) -> Runtime:
    return Root(Settings(), school=school, clock=clock).runtime(database)


async def test_an_event_is_handled_once_even_when_retried_concurrently(database: Database, clock: FakeClock) -> None:
    results = await asyncio.gather(*(first_sighting(database, "slack", "Ev123", clock.now()) for _ in range(5)))
    assert results.count(True) == 1
    assert await first_sighting(database, "slack", "Ev124", clock.now()) is True
    assert await first_sighting(database, "teams", "Ev123", clock.now()) is True  # another platform's id space


async def test_old_events_are_forgotten_after_a_week(database: Database, clock: FakeClock) -> None:
    await first_sighting(database, "slack", "old", clock.now())
    clock.advance(timedelta(days=8))
    await first_sighting(database, "slack", "new", clock.now())
    assert await forget_old_events(database, clock.now()) == 1
    assert await first_sighting(database, "slack", "old", clock.now()) is True
    assert await first_sighting(database, "slack", "new", clock.now()) is False


async def test_an_account_keeps_its_email_and_conversation_when_later_seen_without_them(
    database: Database, clock: FakeClock
) -> None:
    ref = ConversationRef(platform="teams", user_id="29:abc", conversation_id="a:1", service_url="http://x/")
    await remember_account(database, school_id="demo", platform="teams", workspace="t1", user_id="29:abc",
                           email="S.Carter@oakfield.example", now=clock.now(), conversation=ref)
    clock.advance(timedelta(hours=1))
    await remember_account(database, school_id="demo", platform="teams", workspace="t1", user_id="29:abc",
                           email=None, now=clock.now())
    row = await find_account(database, "teams", "t1", "29:abc")
    assert row is not None
    assert row.email == "s.carter@oakfield.example"
    assert conversation_of(row) == ref
    assert row.last_seen == clock.now()
    assert [r.user_id for r in await accounts_of(database, "demo", "s.carter@oakfield.example")] == ["29:abc"]


async def test_meet_matches_by_platform_email_and_remembers_it_for_next_time(runtime: Runtime) -> None:
    person = await runtime.meet(platform="slack", workspace="T1", user_id="U777", email="P.Shah@oakfield.example")
    assert person.email == "p.shah@oakfield.example"
    assert person.school == runtime.school.id
    runtime.forget_cache()
    # Next contact carries no email (e.g. an interactive payload): the stored match is used.
    again = await runtime.meet(platform="slack", workspace="T1", user_id="U777")
    assert again.email == "p.shah@oakfield.example"
    stranger = await runtime.meet(platform="slack", workspace="T1", user_id="U999")
    assert stranger.email is None


async def test_healthz_is_200_with_a_database_and_503_without(runtime: Runtime) -> None:
    async with TestClient(TestServer(build_app(runtime))) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json())["status"] == "ok"
    # The same application with a database nobody listens on (port 1) is unhealthy.
    runtime.database = Database(create_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"))
    async with TestClient(TestServer(build_app(runtime))) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["status"] == "unavailable"


def test_settings_read_platform_names_and_name_a_bad_variable() -> None:
    settings = load_settings({"MicrosoftAppId": "abc", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert settings.microsoft_app_id == "abc"
    assert settings.slack_configured
    assert "xoxb-1" not in repr(settings)
    with pytest.raises(ConfigError) as caught:
        load_settings({"MicrosoftAppType": "Sometimes"})
    assert "MicrosoftAppType" in str(caught.value)


async def test_upkeep_reminds_and_expires_once_even_run_twice(
    runtime: Runtime, database: Database, clock: FakeClock
) -> None:
    from datetime import datetime

    from conftest import TEACHER, action, fetch_outbox, wfh_inputs

    from bot.requests.upkeep import run_upkeep

    requests = runtime.assistant.requests
    assert requests is not None
    await requests.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-24")), clock.now())
    before = len(await fetch_outbox(database))
    clock.advance(timedelta(days=1, hours=2))  # a working day later: the line manager is reminded
    first = await run_upkeep(requests.workflow, clock)
    again = await run_upkeep(requests.workflow, clock)
    assert (first.reminded, again.reminded) == (1, 0)
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=clock.now().tzinfo))  # the day passed undecided
    expired = await run_upkeep(requests.workflow, clock)
    assert expired.expired == 1
    reasons = [row.reason for row in await fetch_outbox(database)][before:]
    assert reasons == ["request.reminder", "request.expired", "request.expired"]
