"""Effectively once: a message whose earlier try may have reached Slack is looked for before it is sent again."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from conftest import PHASE_LEADER, fetch_outbox
from fakes.fake_slack_api import FakeSlackApi

from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher, Outcome, idempotency_key
from bot.messages import Notice, Reply
from bot.school import School
from bot.slack.courier import METADATA_TYPE, SlackCourier
from bot.store.accounts import remember_account
from bot.store.database import Database
from bot.store.outbox import add_notices, claim_due

TUESDAY_TEN = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def token(team: str) -> str | None:
    return "xoxb-school"


async def setup(database: Database, count: int = 1) -> None:
    await remember_account(database, school_id="demo", platform="slack", workspace="T0SCHOOL", user_id="U0MGR",
                           email=PHASE_LEADER, now=TUESDAY_TEN)
    async with database.transaction() as session:
        notices = [Notice(recipient_email=PHASE_LEADER, reply=Reply(text=f"Notice {n}"), reason="test.notice")
                   for n in range(count)]
        add_notices(session, "demo", notices, now=TUESDAY_TEN, deliver_after=TUESDAY_TEN)


def posts_per_key(fake: FakeSlackApi) -> Counter[str]:
    return Counter(m["metadata"]["event_payload"]["key"] for messages in fake.history.values() for m in messages
                   if m.get("metadata", {}).get("event_type") == METADATA_TYPE)


async def test_a_reply_slower_than_the_timeout_is_found_not_posted_twice(
    database: Database, school: School
) -> None:
    clock = FakeClock(TUESDAY_TEN)
    await setup(database)
    async with FakeSlackApi(delays={"chat.postMessage": 2.0}) as fake:
        courier = SlackCourier(token, fake.base_url, timeout=1)
        dispatcher = Dispatcher(database, {"slack": courier}, {school.id: school}, clock)
        first = await dispatcher.run_once()
        assert first.counts[Outcome.RETRY] == 1  # our client gave up, but Slack had posted it
        clock.advance(timedelta(minutes=5))
        fake.delays.clear()
        courier.timeout = 30  # Slack answers at once now; a loaded machine must not turn that into a retry
        second = await dispatcher.run_once()
        assert second.counts[Outcome.DELIVERED] == 1
        [row] = await fetch_outbox(database)
        assert posts_per_key(fake) == {idempotency_key(row): 1}
        assert len(fake.called("chat.postMessage")) == 1
        [looked] = fake.called("conversations.history")
        assert str(looked.body["include_all_metadata"]).lower() in ("true", "1")
        [stored] = fake.history["D0MGR"]
        assert row.receipt == {"channel": "D0MGR", "ts": stored["ts"], "team": "T0SCHOOL"}


async def test_a_message_that_did_not_arrive_is_sent_after_looking(database: Database, school: School) -> None:
    clock = FakeClock(TUESDAY_TEN)
    await setup(database)
    async with FakeSlackApi() as fake:
        fake.fail("chat.postMessage", status=503)
        dispatcher = Dispatcher(database, {"slack": SlackCourier(token, fake.base_url)}, {school.id: school}, clock)
        assert (await dispatcher.run_once()).counts[Outcome.RETRY] == 1
        clock.advance(timedelta(minutes=5))
        assert (await dispatcher.run_once()).counts[Outcome.DELIVERED] == 1
        assert fake.methods().count("conversations.history") == 1
        assert sum(posts_per_key(fake).values()) == 1


async def test_a_first_try_does_not_look_and_a_held_claim_does_not_count(database: Database, school: School) -> None:
    evening = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    clock = FakeClock(evening)
    await setup(database)
    async with FakeSlackApi() as fake:
        dispatcher = Dispatcher(database, {"slack": SlackCourier(token, fake.base_url)}, {school.id: school}, clock)
        assert (await dispatcher.run_once()).counts[Outcome.HELD] == 1  # after hours: nothing sent
        clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
        assert (await dispatcher.run_once()).counts[Outcome.DELIVERED] == 1
        assert fake.methods() == ["conversations.open", "chat.postMessage"]


async def test_a_dead_processs_leases_are_taken_back_at_start_on_sqlite(database: Database, school: School) -> None:
    import asyncio

    from bot.delivery.dispatcher import run_dispatcher

    clock = FakeClock(TUESDAY_TEN)
    await setup(database)
    # A process claimed the message and died before recording anything.
    assert await claim_due(database, now=clock.now(), lease_until=clock.now() + timedelta(minutes=5),
                           token="dead-process", limit=10)
    async with FakeSlackApi() as fake:
        dispatcher = Dispatcher(database, {"slack": SlackCourier(token, fake.base_url)}, {school.id: school}, clock)
        stop = asyncio.Event()
        task = asyncio.create_task(run_dispatcher(dispatcher, stop, idle_seconds=0.05))
        try:
            if database.is_sqlite:
                await fake.wait_for("chat.postMessage", timeout=5)  # at once, the clock never moved
                assert fake.methods().count("conversations.history") == 1  # it may have been sent: looked first
            else:
                await asyncio.sleep(0.3)
                assert fake.called("chat.postMessage") == []  # another instance may hold it: wait for the lease
                clock.advance(timedelta(minutes=5))
                await fake.wait_for("chat.postMessage", timeout=5)
        finally:
            stop.set()
            await task
        assert sum(posts_per_key(fake).values()) == 1


async def test_a_card_queued_before_a_decision_and_delivered_after_it_has_no_live_buttons(
    database: Database, school: School, clock: FakeClock
) -> None:
    from conftest import HEAD, TEACHER, action, wfh_inputs

    from bot.requests.conversation import RequestConversation
    from bot.requests.workflow import RequestWorkflow
    from intents.policy_library import load_library

    conversation = RequestConversation(RequestWorkflow(school, database, load_library(school.folder)))
    for number, email in enumerate((PHASE_LEADER, HEAD)):
        await remember_account(database, school_id="demo", platform="slack", workspace="T0SCHOOL",
                               user_id=f"U{number}", email=email, now=clock.now())
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())
    # The line manager's card is still in the outbox (held, or Slack down) when they endorse from their list.
    [endorsed] = await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), clock.now())
    assert "endorsed" in endorsed.text.lower()
    async with FakeSlackApi() as fake:
        dispatcher = Dispatcher(database, {"slack": SlackCourier(token, fake.base_url)}, {school.id: school}, clock)
        await dispatcher.drain()
        by_channel = {call.body["channel"]: call.body for call in fake.called("chat.postMessage")}
    manager_card, head_card = by_channel["D0"], by_channel["D1"]
    assert not any(block["type"] == "actions" for block in manager_card["blocks"])  # no live Endorse / Decline
    assert "Endorsed by" in str(manager_card["blocks"]) or "endorsed" in manager_card["text"].lower()
    assert any(block["type"] == "actions" for block in head_card["blocks"])  # the headteacher's step waits: live
