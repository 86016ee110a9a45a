"""Junk on the Slack and Teams endpoints: a 4xx or a clear reply, never a 500 or a traceback, never a stalled loop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from conftest import PHASE_LEADER, count_rows
from fakes.slack_harness import TEACHER_ID, SlackHarness, running_slack
from fakes.slack_payloads import block_action, dm_event, interactive_body, view_submission
from fakes_teams.harness import TeamsHarness, running_teams
from test_slack_journey import find_button, message_of, wfh_values

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with running_slack(school, database, clock) as harness:
        yield harness


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]
    assert "Traceback" not in caplog.text


# --- Slack ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, content_type", [
    (b'{"type": "event_callback"}', "application/json; charset=bogus"),
    (b'{"type": "event_callback", "event": {"text": "\xff\xfe\xfa"}}', "application/json"),
    (b"payload=%FF%FE", "application/x-www-form-urlencoded"),
    (DEEP.encode(), "application/json"),
    (('{"a":' * 50_000 + "1" + "}" * 50_000).encode(), "application/json"),
])
async def test_slack_junk_bodies_get_a_4xx(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture, raw: bytes, content_type: str
) -> None:
    for signed in (True, False):
        headers = _signed_bytes(raw, content_type) if signed else {"Content-Type": content_type}
        response = await slack.client.post("/slack/events", data=raw, headers=headers)
        assert 400 <= response.status < 500, (signed, response.status, await response.text())
    assert [m for m in slack.fake.methods() if m != "auth.test"] == []
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}
    no_tracebacks(caplog)


def _signed_bytes(raw: bytes, content_type: str) -> dict[str, str]:
    import hashlib
    import hmac
    import time

    from fakes.slack_payloads import SIGNING_SECRET

    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + raw
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


async def test_a_view_submission_without_a_view_id_changes_nothing(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {"type": "view_submission", "user": {"id": TEACHER_ID, "team_id": "T0SCHOOL"},
               "team": {"id": "T0SCHOOL"}, "view": {"callback_id": "request.submit", "state": {"values": {}}}}
    response = await slack.post(interactive_body(payload))
    assert response.status < 500
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}
    no_tracebacks(caplog)


@pytest.mark.parametrize("value", ["99999999999999999999", "1e999", "-1", "NaN", "9" * 5000])
async def test_absurd_button_values_get_a_clear_reply(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    for action_id in ("request.endorse", "request.cancel", "request.approve"):
        await slack.post(block_action(TEACHER_ID, {"action_id": action_id, "value": value}))
    said = " ".join(str(call.body.get("text", "")) for call in slack.fake.calls
                    if call.method in ("chat.postMessage", "chat.postEphemeral", "response_url"))
    assert "went wrong" not in said.lower()
    assert "can't find a request" in said
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}
    no_tracebacks(caplog)


@pytest.mark.parametrize("action_id, value", [
    ("request.start", '{"weekday": 1e999}'),
    ("request.start", "[" * 1900),
    ("checkin.done", "[" * 1900),
    ("checkin.done", '{"staff": "x", "day": 1e999}'),
])
async def test_absurd_form_and_check_in_button_values_change_nothing(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture, action_id: str, value: str
) -> None:
    response = await slack.post(block_action(TEACHER_ID, {"action_id": action_id, "value": value}))
    assert response.status == 200
    said = json.dumps([call.body for call in slack.fake.calls])
    assert "went wrong" not in said.lower()
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}
    no_tracebacks(caplog)


async def test_a_wfh_range_to_the_end_of_time_is_refused_quickly(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, "can I work from home on Friday?"))
    answer = fake.called("chat.postMessage")[-1]
    await slack.post(block_action(TEACHER_ID, find_button(answer.body["blocks"], "request.start"),
                                  message=message_of(answer)))
    view = fake.called("views.open")[-1].body["view"]
    values = wfh_values()
    values["end"] = {"end": {"type": "datepicker", "selected_date": "9999-12-31"}}
    values["repeat"] = {"repeat": {"type": "static_select", "selected_option": {
        "value": "weekly", "text": {"type": "plain_text", "text": "weekly"}}}}
    loop = asyncio.get_running_loop()
    longest = 0.0

    async def watch() -> None:
        nonlocal longest
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            longest = max(longest, loop.time() - before - 0.01)

    watcher = asyncio.create_task(watch())
    try:
        await slack.post(view_submission(TEACHER_ID, view, values, view_id="V00001"))
    finally:
        watcher.cancel()
    assert longest < 0.5, f"the event loop was blocked for {longest:.2f} s"
    said = json.dumps([call.body for call in fake.calls if call.method in ("views.update", "chat.postMessage")])
    assert "went wrong" not in said.lower()
    assert await count_rows(database) == {"requests": 0, "audit_log": 0, "outbox": 0}
    no_tracebacks(caplog)


# --- Teams ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, content_type", [
    (b'{"type": "message"}', "application/json; charset=bogus"),
    (b'{"type": "message", "text": "\xff\xfe"}', "application/json"),
    (DEEP.encode(), "application/json"),
])
async def test_teams_junk_bodies_get_a_4xx(
    teams: TeamsHarness, database: Database, caplog: pytest.LogCaptureFixture, raw: bytes, content_type: str
) -> None:
    response = await teams.client.post("/api/messages", data=raw, headers={"Content-Type": content_type})
    assert 400 <= response.status < 500, response.status
    assert teams.connector.sent == []
    no_tracebacks(caplog)


@pytest.mark.parametrize("value", ["99999999999999999999", "1e999"])
async def test_teams_absurd_button_values_get_a_clear_refusal(
    teams: TeamsHarness, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    status, body = await teams.post(teams.execute(PHASE_LEADER, "request.endorse",
                                                  {"staffroom": {"action": "request.endorse", "value": value}}))
    assert status == 200 and body["statusCode"] == 400, body
    assert "can't find a request" in body["value"]["message"]
    no_tracebacks(caplog)
