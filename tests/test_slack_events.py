"""Slack's terms: signatures, malformed bodies, retries and replays, threads, slash commands, rate limits."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import pytest
from conftest import HEAD, PHASE_LEADER, TEACHER, count_rows, fetch_request
from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import (
    HEAD_ID,
    MANAGER_ID,
    PROFILES,
    TEACHER_ID,
    SlackHarness,
    build_runtime,
    open_harness,
    slack_settings,
)
from fakes.slack_payloads import (
    block_action,
    dm_event,
    interactive_body,
    mention_event,
    signed_headers,
    slash_command,
    view_submission,
)
from test_slack_journey import ask_and_submit, find_button, meet_approvers

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database

STRANGER_ID = "U0STRANGER"


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    profiles = {**PROFILES, STRANGER_ID: {"email": "nobody@elsewhere.example"}}
    async with FakeSlackApi(profiles=profiles) as fake:
        harness = await open_harness(fake, build_runtime(school, database, clock, slack_settings(fake)))
        try:
            yield harness
        finally:
            await harness.client.close()


QUESTION = "who do I contact about IT?"


# --- signatures and bodies ---------------------------------------------------------------


async def test_a_wrong_signature_gets_401_and_nothing_happens(slack: SlackHarness, database: Database) -> None:
    body = dm_event(TEACHER_ID, QUESTION)
    response = await slack.post(body, headers=signed_headers(body, secret="not-the-secret"))
    assert response.status == 401
    assert slack.fake.calls == []
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


async def test_a_stale_timestamp_gets_401(slack: SlackHarness) -> None:
    body = dm_event(TEACHER_ID, QUESTION)
    response = await slack.post(body, headers=signed_headers(body, timestamp=int(time.time()) - 600))
    assert response.status == 401
    assert slack.fake.calls == []


async def test_missing_signature_headers_get_401(slack: SlackHarness) -> None:
    response = await slack.post(dm_event(TEACHER_ID, QUESTION), headers={"Content-Type": "application/json"})
    assert response.status == 401


@pytest.mark.parametrize("body, content_type", [
    ("{not json", "application/json"),
    ("[1, 2, 3]", "application/json"),
    ('"just a string"', "application/json"),
    ("", "application/json"),
    ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ("%%%=&&&", "application/x-www-form-urlencoded"),
    ("\x00\x01binary", "application/octet-stream"),
])
async def test_malformed_bodies_get_a_4xx_never_a_500(slack: SlackHarness, body: str, content_type: str) -> None:
    response = await slack.post(body, content_type=content_type)
    assert 400 <= response.status < 500, (body, response.status)
    assert [m for m in slack.fake.methods() if m != "auth.test"] == []


@pytest.mark.parametrize("payload", [
    {"type": "block_actions"},
    {"type": "block_actions", "user": "U1", "actions": "x"},
    {"type": "block_actions", "user": {"id": TEACHER_ID}, "team": {"id": "T0SCHOOL"}, "actions": [{}]},
    {"type": "view_submission", "user": {"id": TEACHER_ID}, "team": {"id": "T0SCHOOL"}, "view": "x"},
    {"type": "view_submission", "view": {"callback_id": "request.submit"}},
    {"type": "shortcut", "callback_id": "x"},
])
async def test_odd_but_signed_payloads_change_nothing_and_never_500(
    slack: SlackHarness, database: Database, payload: dict[str, object]
) -> None:
    response = await slack.post(interactive_body(payload))
    assert response.status < 500, (payload, response.status)
    assert [m for m in slack.fake.methods() if m not in ("auth.test",)] == []
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


async def test_url_verification_is_answered(slack: SlackHarness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    response = await slack.post(body)
    assert response.status == 200
    assert "abc123" in await response.text()


# --- acknowledgement and de-duplication ----------------------------------------------------


async def test_the_ack_comes_before_the_answer(slack: SlackHarness) -> None:
    response = await slack.post(dm_event(TEACHER_ID, QUESTION), drain=False)
    assert response.status == 200
    await slack.drain()
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_a_button_opens_its_form_while_questions_wait_their_turn(slack: SlackHarness) -> None:
    """A backlog of questions holds every turn; the click's modal still opens at once (3-second trigger)."""
    await slack.post(dm_event(TEACHER_ID, "can I work from home on Friday?"))
    answer = slack.fake.called("chat.postMessage")[-1]
    start = find_button(answer.body["blocks"], "request.start")
    gate = slack.slack.background.turn()
    held = 0
    while not gate.locked():
        await gate.acquire()
        held += 1
    slack.fake.clear()
    await slack.post(dm_event(TEACHER_ID, QUESTION), drain=False)
    await slack.post(block_action(TEACHER_ID, start, message={"ts": "1700000000.000100", "blocks": answer.body["blocks"]}),
                     drain=False)
    await slack.fake.wait_for("views.open")
    assert slack.fake.called("chat.postMessage") == []  # the question is still waiting for a turn
    for _ in range(held):
        gate.release()
    await slack.drain()
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_a_retried_event_is_answered_once(slack: SlackHarness) -> None:
    body = dm_event(TEACHER_ID, QUESTION, event_id="Ev0RETRY")
    await slack.post(body)
    for retry in (1, 2, 3):
        headers = {**signed_headers(body), "X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        response = await slack.post(body, headers=headers)
        assert response.status == 200
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_a_retry_after_a_restart_is_still_answered_once(
    slack: SlackHarness, school: School, database: Database, clock: FakeClock
) -> None:
    body = dm_event(TEACHER_ID, QUESTION, event_id="Ev0RESTART")
    await slack.post(body)
    # A second instance (or this one restarted) on the same database.
    other = await open_harness(slack.fake, build_runtime(school, database, clock, slack.runtime.settings))
    try:
        await other.post(body, headers={**signed_headers(body), "X-Slack-Retry-Num": "1"})
    finally:
        await other.client.close()
    assert len(slack.fake.called("chat.postMessage")) == 1


async def test_a_replayed_click_decides_once(slack: SlackHarness, database: Database) -> None:
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    await slack.deliver_outbox()
    card = next(c for c in slack.fake.called("chat.postMessage") if c.body["channel"] == "D0MGR")
    landed = card.response["ts"]
    body = block_action(MANAGER_ID, find_button(card.body["blocks"], "request.endorse"),
                        message={"ts": landed, "blocks": card.body["blocks"]})
    slack.fake.clear()
    await slack.post(body)
    await slack.post(body)
    # Once: the clicked card, and the requester's confirmation following it.
    assert sorted(c.body["channel"] for c in slack.fake.called("chat.update")) == ["D0MGR", "D0TEACH"]
    assert (await fetch_request(database, request_id)).step == 1
    rows = await count_rows(database)
    # A second, different click on the same card is answered politely and changes nothing.
    again = block_action(MANAGER_ID, find_button(card.body["blocks"], "request.endorse"),
                         message={"ts": landed, "blocks": card.body["blocks"]})
    slack.fake.clear()
    await slack.post(again)
    assert slack.fake.called("chat.update") == []
    assert "already endorsed" in slack.fake.called("chat.postMessage")[0].body["text"]
    assert await count_rows(database) == rows


async def test_a_replayed_form_submission_makes_one_request(slack: SlackHarness, database: Database) -> None:
    from test_slack_journey import wfh_values

    await slack.post(dm_event(TEACHER_ID, "can I work from home on Friday?"))
    start = find_button(slack.fake.called("chat.postMessage")[-1].body["blocks"], "request.start")
    await slack.post(block_action(TEACHER_ID, start))
    view = slack.fake.called("views.open")[-1].body["view"]
    body = view_submission(TEACHER_ID, view, wfh_values(), view_id="V00042", view_hash="samehash")
    await slack.post(body)
    await slack.post(body)
    assert (await count_rows(database))["requests"] == 1


# --- who may do what -----------------------------------------------------------------------


async def test_an_action_on_someone_elses_request_is_refused_politely(slack: SlackHarness, database: Database) -> None:
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    rows = await count_rows(database)
    slack.fake.clear()
    # The headteacher is not the awaited approver yet; the teacher can't approve her own request;
    # the head can't cancel the teacher's request. The button values name a real request.
    for user, action_id in ((HEAD_ID, "request.approve"), (TEACHER_ID, "request.approve"),
                            (HEAD_ID, "request.cancel")):
        await slack.post(block_action(user, {"action_id": action_id, "value": str(request_id)}))
    replies = [call.body["text"] for call in slack.fake.called("chat.postMessage")]
    assert len(replies) == 3, replies
    assert slack.fake.called("chat.update") == []
    assert await count_rows(database) == rows
    assert (await fetch_request(database, request_id)).state == "pending"


async def test_an_unknown_button_gets_a_polite_reply(slack: SlackHarness, database: Database) -> None:
    await slack.post(block_action(TEACHER_ID, {"action_id": "request.explode", "value": "1"}))
    texts = [call.body["text"] for call in slack.fake.called("chat.postMessage")]
    assert texts == ["I don't recognise that button."]
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}


async def test_someone_not_in_the_directory_is_told_how_to_get_added(slack: SlackHarness) -> None:
    await slack.post(block_action(STRANGER_ID, {"action_id": "request.start", "value": "{}"}))
    assert slack.fake.called("views.open") == []
    text = slack.fake.called("chat.postMessage")[0].body["text"]
    assert "staff directory" in text and "add you" in text
    # They can still ask policy questions.
    await slack.post(dm_event(STRANGER_ID, QUESTION))
    assert "Contact" in slack.fake.called("chat.postMessage")[-1].body["text"]


async def test_the_person_comes_from_slack_not_from_the_payload(slack: SlackHarness, database: Database) -> None:
    """A button value naming another person's email changes nothing about who is acting."""
    await slack.post(block_action(STRANGER_ID, {"action_id": "request.submit", "value": "wfh",
                                                "user": {"id": TEACHER_ID}, "email": TEACHER}))
    assert (await count_rows(database))["requests"] == 0


# --- where answers go ---------------------------------------------------------------------


async def test_a_mention_is_answered_in_its_thread(slack: SlackHarness) -> None:
    await slack.post(mention_event(TEACHER_ID, f"<@U0BOT> {QUESTION}", thread_ts="1700000000.123456"))
    call = slack.fake.called("chat.postMessage")[0]
    assert call.body["channel"] == "C0STAFF"
    assert call.body["thread_ts"] == "1700000000.123456"
    assert "Contact" in call.body["text"]


async def test_a_slash_command_is_answered_privately(slack: SlackHarness) -> None:
    response = await slack.post(slash_command(TEACHER_ID, QUESTION, slack.fake.response_url("cmd1")))
    assert response.status == 200
    answer = slack.fake.called("response_url")[0]
    assert answer.body["response_type"] == "ephemeral"
    assert "Contact" in answer.body["text"]
    assert slack.fake.called("chat.postMessage") == []


async def test_bots_and_edits_are_ignored(slack: SlackHarness) -> None:
    body = json.loads(dm_event(TEACHER_ID, QUESTION))
    body["event"]["bot_id"] = "B0OTHER"
    await slack.post(json.dumps(body))
    body = json.loads(dm_event(TEACHER_ID, QUESTION))
    body["event"]["subtype"] = "message_changed"
    await slack.post(json.dumps(body))
    assert slack.fake.called("chat.postMessage") == []


async def test_a_rate_limited_answer_is_sent_after_retry_after(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    assert len(slack.fake.called("chat.postMessage")) == 2
    assert time.monotonic() - started >= 1.0


async def test_a_failing_slack_is_logged_with_an_apology_attempt(slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    slack.fake.fail("chat.postMessage", status=500)
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    assert "Slack event failed" in caplog.text
    assert QUESTION not in caplog.text  # message text never logged
    assert len(slack.fake.called("chat.postMessage")) == 2  # the answer, then the apology


def test_people_in_the_fixture_are_who_the_tests_say() -> None:
    assert PROFILES[MANAGER_ID]["email"] == PHASE_LEADER and PROFILES[HEAD_ID]["email"] == HEAD


async def test_batched_claims_give_each_event_to_exactly_one_asker(database: Database, clock: FakeClock) -> None:
    import asyncio

    from bot.slack.dedup import EventClaims
    from bot.store.events import first_sighting
    from bot.store.platform_storage import DatabaseEventLog

    events = DatabaseEventLog(database, clock)
    one, two = EventClaims(events, "slack"), EventClaims(events, "slack")
    keys = [f"event:Ev{n % 40}" for n in range(300)]
    results = await asyncio.gather(*(claims.first_time(key) for n, key in enumerate(keys)
                                     for claims in ((one, two)[n % 2],)))
    assert sum(results) == 40
    assert {key for key, fresh in zip(keys, results, strict=True) if fresh} == set(keys)
    # The same table as the rest of Staffroom: an id claimed here is not new there.
    assert await first_sighting(database, "slack", "event:Ev7", clock.now()) is False
