"""Two dispatchers on one PostgreSQL database (two instances): every message once, in order per person."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from conftest import fetch_outbox
from fakes.fake_courier import SERVER_ERROR, FakeCourier

from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher
from bot.messages import Notice, Reply
from bot.school import School, load_school
from bot.store.accounts import remember_account
from bot.store.database import Database, create_engine
from bot.store.outbox import add_notices, read_notice

TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
STAFF = [member.email for member in load_school().directory][:10]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # several instances: PostgreSQL only
async def test_two_dispatchers_deliver_each_message_once_in_order(
    postgres_url: str, database: Database, school: School
) -> None:
    clock = FakeClock(TUESDAY_TEN)
    for number, email in enumerate(STAFF):
        await remember_account(database, school_id="demo", platform="slack", workspace="T1", user_id=f"U{number}",
                               email=email, now=clock.now())
    async with database.transaction() as session:
        for round_ in range(20):
            add_notices(session, "demo", [Notice(recipient_email=email, reply=Reply(text=f"{email} {round_}"),
                                                 reason="test") for email in STAFF],
                        now=clock.now(), deliver_after=clock.now())
    failures = {"count": 0}

    def flaky(_at: datetime, _recipient: object) -> object:
        failures["count"] += 1
        return SERVER_ERROR if failures["count"] % 7 == 0 else None

    courier = FakeCourier(clock, script=flaky, yield_inside=True)  # type: ignore[arg-type]
    other = Database(create_engine(postgres_url))  # a second instance: its own connection pool
    try:
        first = Dispatcher(database, {"slack": courier}, {school.id: school}, clock)
        second = Dispatcher(other, {"slack": courier}, {school.id: school}, clock)
        for _ in range(40):
            await asyncio.gather(first.drain(), second.drain(), first.drain(), second.drain())
            clock.advance(timedelta(minutes=1))
    finally:
        await other.close()
    rows = await fetch_outbox(database)
    assert len(rows) == 200 and all(row.delivered_at is not None for row in rows)
    keys = [call.key for call in courier.accepted]
    assert len(keys) == len(set(keys)) == 200
    for email in STAFF:
        sent = [call.text for call in courier.accepted if call.email == email]
        assert sent == [read_notice(row).reply.text for row in rows if row.recipient_email == email]
