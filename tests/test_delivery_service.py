"""Delivery in `staffroom serve`: /healthz counts dead letters; the background service starts and stops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from conftest import TEACHER, fetch_outbox
from fakes.fake_courier import FakeCourier
from sqlalchemy import update

from bot.clock import FakeClock
from bot.delivery.service import DeliveryService
from bot.messages import Notice, Reply
from bot.root import Root
from bot.school import School
from bot.server import build_app
from bot.settings import Settings
from bot.store.accounts import remember_account
from bot.store.database import Database
from bot.store.outbox import add_notices
from bot.store.tables import OutboxRow

TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_TEN)


async def queue(database: Database, clock: FakeClock, email: str) -> None:
    async with database.transaction() as session:
        add_notices(session, "demo", [Notice(recipient_email=email, reply=Reply(text="hi"), reason="test")],
                    now=clock.now(), deliver_after=clock.now())


async def test_healthz_reports_the_dead_letter_count(
    school: School, database: Database, clock: FakeClock
) -> None:
    runtime = Root(Settings(), school=school, clock=clock).runtime(database)
    await queue(database, clock, TEACHER)
    async with database.transaction() as session:
        await session.execute(update(OutboxRow).values(dead_at=clock.now()))
    async with TestClient(TestServer(build_app(runtime))) as client:
        body = await (await client.get("/healthz")).json()
    assert body["status"] == "ok" and body["dead_letters"] == 1


async def test_the_service_delivers_in_the_background_and_stops_cleanly(
    school: School, database: Database, clock: FakeClock
) -> None:
    await remember_account(database, school_id="demo", platform="slack", workspace="T1", user_id="U1",
                           email=TEACHER, now=clock.now())
    await queue(database, clock, TEACHER)
    courier = FakeCourier(clock)
    ticks: list[datetime] = []

    async def tick() -> None:
        ticks.append(clock.now())

    service = DeliveryService(database, {"slack": courier}, {school.id: school}, clock, scheduler_tick=tick,
                              idle_seconds=0.01, tick_seconds=0.01)
    service.start()
    for _ in range(3000):  # up to 30 s: CI machines are loaded
        if courier.accepted and ticks:
            break
        await asyncio.sleep(0.01)
    await service.stop()
    assert len(courier.accepted) == 1 and ticks
    [row] = await fetch_outbox(database)
    assert row.delivered_at is not None


async def test_without_any_platform_messages_stay_queued(school: School, database: Database, clock: FakeClock) -> None:
    await queue(database, clock, TEACHER)
    service = DeliveryService(database, {}, {school.id: school}, clock, idle_seconds=0.01)
    service.start()
    await asyncio.sleep(0.05)
    await service.stop()
    [row] = await fetch_outbox(database)
    assert row.delivered_at is None and row.dead_at is None
