"""The outbox dispatcher: delivered once, in order per person, retried with backoff, never dropped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import HEAD, PHASE_LEADER, TEACHER, fetch_outbox
from fakes.fake_courier import GONE, RATE_LIMITED, SERVER_ERROR, TIMEOUT, FakeCourier, failing_until

from bot.clock import FakeClock
from bot.delivery.courier import RetryLater, Undeliverable
from bot.delivery.dispatcher import Dispatcher, Outcome
from bot.messages import Notice, Reply
from bot.school import School
from bot.store.accounts import remember_account
from bot.store.database import Database
from bot.store.outbox import add_notices, count_dead, read_notice
from bot.store.tables import RequestRow

#: Tuesday 24 November 2026, 10:00 in London (GMT): inside working hours.
TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ADMIN = "o.adeyemi@oakfield.example"  # the demo school's directory contact


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TUESDAY_TEN)


async def meet(database: Database, clock: FakeClock, *emails: str, platform: str = "slack") -> None:
    for number, email in enumerate(emails):
        await remember_account(database, school_id="demo", platform=platform, workspace="T1",
                               user_id=f"U{number}-{email}", email=email, now=clock.now())


async def queue(database: Database, clock: FakeClock, email: str, text: str, *, after: datetime | None = None,
                request_id: int | None = None) -> None:
    notice = Notice(recipient_email=email, reply=Reply(text=text), reason="test.notice")
    async with database.transaction() as session:
        add_notices(session, "demo", [notice], now=clock.now(), deliver_after=after or clock.now(),
                    request_id=request_id)


def dispatcher_for(database: Database, school: School, clock: FakeClock, *couriers: FakeCourier) -> Dispatcher:
    return Dispatcher(database, {c.platform: c for c in couriers}, {school.id: school}, clock)


async def test_a_due_message_is_delivered_once_and_recorded_with_its_receipt(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER)
    await queue(database, clock, TEACHER, "Your request was approved.")
    courier = FakeCourier(clock)
    dispatcher = dispatcher_for(database, school, clock, courier)
    assert (await dispatcher.drain()).counts[Outcome.DELIVERED] == 1
    assert (await dispatcher.drain()).claimed == 0
    [row] = await fetch_outbox(database)
    assert row.delivered_at == clock.now() and row.platform == "slack" and row.attempts == 1
    assert row.receipt == {"channel": f"D-U0-{TEACHER}", "ts": "1"}
    [call] = courier.calls
    assert call.key == f"staffroom-outbox-demo-{row.id}" and call.text == "Your request was approved."


async def test_a_message_held_overnight_goes_at_the_next_working_morning(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, PHASE_LEADER)
    clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=UTC))  # Tuesday evening
    await queue(database, clock, PHASE_LEADER, "Please endorse", after=school.calendar.deliver_at(clock.now()))
    courier = FakeCourier(clock)
    dispatcher = dispatcher_for(database, school, clock, courier)
    for minutes in range(0, 12 * 60, 15):  # through the night, every quarter of an hour
        clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=UTC) + timedelta(minutes=minutes))
        await dispatcher.drain()
        assert courier.calls == []
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    await dispatcher.drain()
    assert [call.at for call in courier.accepted] == [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]


async def test_a_retry_that_runs_past_the_working_day_waits_for_the_morning(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER)
    clock.set(datetime(2026, 11, 24, 16, 59, tzinfo=UTC))
    await queue(database, clock, TEACHER, "Approved")
    courier = FakeCourier(clock, script=failing_until(datetime(2026, 11, 24, 17, 0, tzinfo=UTC), (SERVER_ERROR,)))
    dispatcher = dispatcher_for(database, school, clock, courier)
    await dispatcher.drain()
    clock.set(datetime(2026, 11, 24, 17, 5, tzinfo=UTC))
    assert (await dispatcher.drain()).counts[Outcome.HELD] == 1
    [row] = await fetch_outbox(database)
    assert row.next_attempt_at == datetime(2026, 11, 25, 8, 0, tzinfo=UTC) and row.attempts == 1
    clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    await dispatcher.drain()
    assert len(courier.accepted) == 1


async def test_rate_limit_retry_after_is_honoured(database: Database, school: School, clock: FakeClock) -> None:
    await meet(database, clock, TEACHER)
    await queue(database, clock, TEACHER, "Hello")
    courier = FakeCourier(clock, script=lambda _at, _r: RetryLater("ratelimited", after_seconds=300))
    dispatcher = dispatcher_for(database, school, clock, courier)
    assert (await dispatcher.drain()).counts[Outcome.RETRY] == 1
    clock.advance(timedelta(seconds=299))
    assert (await dispatcher.drain()).claimed == 0
    clock.advance(timedelta(seconds=1))
    assert (await dispatcher.drain()).counts[Outcome.RETRY] == 1
    [row] = await fetch_outbox(database)
    assert row.attempts == 2 and row.last_error == "ratelimited"


async def test_platform_failing_for_an_hour_then_recovering_delivers_everything_once_in_order(
    database: Database, school: School, clock: FakeClock
) -> None:
    people = [TEACHER, PHASE_LEADER, HEAD, "a.hussain@oakfield.example"]
    await meet(database, clock, *people)
    outage_ends = TUESDAY_TEN + timedelta(hours=1)
    courier = FakeCourier(clock, script=failing_until(outage_ends, (RATE_LIMITED, SERVER_ERROR, TIMEOUT)))
    dispatcher = dispatcher_for(database, school, clock, courier)
    # Messages keep arriving during the outage; the dispatcher runs every 45 seconds of fake time.
    for tick in range(2 * 80):
        if tick % 4 == 0 and clock.now() < outage_ends:
            for person in people:
                await queue(database, clock, person, f"{person} #{tick}")
        await dispatcher.drain()
        clock.advance(timedelta(seconds=45))
    rows = await fetch_outbox(database)
    assert all(row.delivered_at is not None and row.dead_at is None for row in rows)
    assert any(not call.accepted for call in courier.calls)  # the outage really happened
    keys = [call.key for call in courier.accepted]
    assert sorted(keys) == sorted(f"staffroom-outbox-demo-{row.id}" for row in rows)  # each exactly once
    for person in people:
        sent = [call.text for call in courier.accepted if call.email == person]
        assert sent == [read_notice(row).reply.text for row in rows if row.recipient_email == person]
    assert max(call.at for call in courier.accepted) < outage_ends + timedelta(minutes=16)


async def test_a_failing_head_holds_back_only_its_own_persons_later_messages(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER, HEAD)
    for text in ("first", "second"):
        await queue(database, clock, TEACHER, text)
    await queue(database, clock, HEAD, "for the head")
    courier = FakeCourier(clock, script=lambda _at, r: SERVER_ERROR if r.email == TEACHER else None)
    dispatcher = dispatcher_for(database, school, clock, courier)
    await dispatcher.drain()
    assert [c.text for c in courier.accepted] == ["for the head"]
    assert [c.text for c in courier.calls if c.email == TEACHER] == ["first"]


async def test_too_many_failures_make_a_dead_letter_and_the_admin_is_told(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER, ADMIN)
    await queue(database, clock, TEACHER, "Hello")
    courier = FakeCourier(clock, script=lambda _at, r: SERVER_ERROR if r.email == TEACHER else None)
    dispatcher = dispatcher_for(database, school, clock, courier)
    for _ in range(200):
        await dispatcher.run_once()
        clock.advance(timedelta(minutes=5))
        if await count_dead(database):
            break
    [dead] = [row for row in await fetch_outbox(database) if row.dead_at is not None]
    assert dead.attempts == school.config.delivery.max_attempts
    await dispatcher.drain()
    [told] = [c for c in courier.accepted if c.email == ADMIN]
    assert f"dead letter #{dead.id}" in told.text and "Sam Carter" in told.text and "Hello" not in told.text


async def test_nobody_to_deliver_to_tells_the_requester_and_the_admin_and_keeps_a_dead_letter(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER, ADMIN)  # the line manager has never used Staffroom
    async with database.transaction() as session:
        request = RequestRow(school_id="demo", type="wfh", requester_email=TEACHER, state="pending", step=0,
                             chain=[PHASE_LEADER, HEAD], start_date=TUESDAY_TEN.date(), end_date=TUESDAY_TEN.date(),
                             details={}, note="", created_at=clock.now(), updated_at=clock.now(),
                             step_started_at=clock.now())
        session.add(request)
        await session.flush()
        request_id = request.id
    await queue(database, clock, PHASE_LEADER, "Please endorse", request_id=request_id)
    courier = FakeCourier(clock)
    dispatcher = dispatcher_for(database, school, clock, courier)
    await dispatcher.drain()
    rows = await fetch_outbox(database)
    [dead] = [row for row in rows if row.dead_at is not None]
    assert dead.recipient_email == PHASE_LEADER and dead.attempts == 0
    told = {c.email: c.text for c in courier.accepted}
    assert set(told) == {TEACHER, ADMIN}
    assert f"request #{request_id}" in told[TEACHER] and "Priya Shah" in told[TEACHER]
    assert "staffroom outbox retry" in told[ADMIN]
    assert await count_dead(database) == 1


async def test_an_account_the_platform_refuses_falls_back_to_the_persons_other_account(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER, platform="teams")
    clock.advance(timedelta(minutes=1))
    await meet(database, clock, TEACHER, platform="slack")  # most recently used: tried first
    await queue(database, clock, TEACHER, "Hello")
    slack = FakeCourier(clock, "slack", script=lambda _at, _r: GONE)
    teams = FakeCourier(clock, "teams")
    dispatcher = dispatcher_for(database, school, clock, slack, teams)
    await dispatcher.drain()
    assert len(slack.calls) == 1 and len(teams.accepted) == 1
    [row] = await fetch_outbox(database)
    assert row.platform == "teams"


async def test_refused_on_every_account_is_a_dead_letter_straight_away(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER, ADMIN)
    await queue(database, clock, TEACHER, "Hello")
    courier = FakeCourier(clock, script=lambda _at, r: Undeliverable("not_in_channel") if r.email == TEACHER else None)
    dispatcher = dispatcher_for(database, school, clock, courier)
    await dispatcher.drain()
    rows = await fetch_outbox(database)
    assert [row.dead_at is not None for row in rows] == [True] + [False] * (len(rows) - 1)
    assert rows[0].last_error == "not_in_channel"
    assert [c.email for c in courier.accepted] == [ADMIN]


async def test_a_courier_that_raises_leaves_the_message_queued(
    database: Database, school: School, clock: FakeClock
) -> None:
    await meet(database, clock, TEACHER)
    await queue(database, clock, TEACHER, "Hello")
    courier = FakeCourier(clock, script=lambda _at, _r: RuntimeError("bug"))
    dispatcher = dispatcher_for(database, school, clock, courier)
    assert (await dispatcher.drain()).counts[Outcome.RETRY] == 1
    [row] = await fetch_outbox(database)
    assert row.delivered_at is None and row.dead_at is None and row.last_error == "courier error: RuntimeError"


async def test_requeued_dead_letter_is_delivered(database: Database, school: School, clock: FakeClock) -> None:
    from bot.store.outbox import requeue_dead

    await meet(database, clock, ADMIN)
    await queue(database, clock, TEACHER, "Hello")
    courier = FakeCourier(clock)
    dispatcher = dispatcher_for(database, school, clock, courier)
    await dispatcher.drain()
    [row] = [r for r in await fetch_outbox(database) if r.recipient_email == TEACHER]
    assert row.dead_at is not None
    await meet(database, clock, TEACHER)  # they open the app
    assert await requeue_dead(database, [row.id], clock.now()) == 1
    await dispatcher.drain()
    assert [c.email for c in courier.accepted if c.email == TEACHER] == [TEACHER]
    assert await count_dead(database) == 0
