"""Teams over HTTP: real-shaped activities posted to /api/messages, answers read from a fake Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher
from bot.requests.cards import APPROVE, CANCEL, DECLINE, DECLINE_REASON, ENDORSE, SUBMIT
from bot.school import School
from bot.settings import Settings
from bot.store.accounts import find_account
from bot.store.database import Database
from bot.teams.bot import TeamsOptions
from tests.conftest import HEAD, OTHER_TEACHER, PHASE_LEADER, TEACHER, count_rows, fetch_outbox, fetch_request
from tests.fakes_teams.fake_connector import FakeConnector, card_texts
from tests.fakes_teams.harness import (
    TENANT,
    TeamsHarness,
    all_actions,
    build_runtime,
    find_action,
    running_teams,
    start_harness,
)
from tests.fakes_teams.schemas import assert_valid_card

WFH_FORM = {"start": "2026-11-27", "repeat": "once", "part_of_day": "whole_day",
            "reason_category": "specific_task", "note": "Report checking"}


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


def invoke_card(body: dict[str, Any]) -> dict[str, Any]:
    assert body["statusCode"] == 200, body
    assert body["type"] == "application/vnd.microsoft.card.adaptive", body
    card: dict[str, Any] = body["value"]
    assert_valid_card(card)
    return card


async def deliver(teams: TeamsHarness) -> None:
    runtime = teams.runtime
    await Dispatcher(runtime.database, runtime.couriers, {runtime.school.id: runtime.school}, runtime.clock).drain()


async def install(teams: TeamsHarness, *emails: str) -> None:
    for email in emails:
        status, _ = await teams.post(teams.installed(email))
        assert status == 200


async def submit_request(teams: TeamsHarness, note: str = "Report checking") -> int:
    """The teacher asks, opens the form from the answer and sends it; returns the request id."""
    [answer] = await teams.say(TEACHER, "can I work from home on Friday?")
    assert answer.card is not None
    status, body = await teams.press(TEACHER, find_action(answer.card, "request.start"), answer.activity_id)
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    form = teams.connector.sent[-1]
    assert form.card is not None
    status, body = await teams.press(TEACHER, find_action(form.card, SUBMIT), form.activity_id,
                                     **{**WFH_FORM, "note": note})
    card = invoke_card(body)
    text = " ".join(str(t) for t in _texts(card))
    assert "Request #" in text and "sent" in text
    return int(text.split("Request #")[1].split(" ")[0])


def _texts(node: Any) -> list[str]:
    return card_texts(node)


# --- conversation -----------------------------------------------------------------------


async def test_a_personal_question_gets_a_cited_card_and_the_account_is_remembered(teams: TeamsHarness) -> None:
    [answer] = await teams.say(TEACHER, "who do I contact about IT?")
    assert answer.kind == "reply" and answer.conversation_id == teams.user(TEACHER).personal_conversation
    assert answer.card is not None
    assert "IT technician" in answer.text or "IT" in answer.text
    quotes = [item for item in answer.card["body"] if item.get("style") == "emphasis"]
    assert quotes, "the answer quotes the policy"
    assert answer.card["fallbackText"]
    row = await find_account(teams.runtime.database, "teams", TENANT, teams.user(TEACHER).aad_object_id)
    assert row is not None and row.email == TEACHER
    assert row.conversation is not None and row.conversation["conversation_id"] == teams.user(TEACHER).personal_conversation
    assert teams.connector.lookups == 1
    await teams.say(TEACHER, "help")
    assert teams.connector.lookups == 1  # the email is known now: no second lookup


async def test_a_channel_mention_is_answered_in_the_channel_without_the_mention(teams: TeamsHarness) -> None:
    [answer] = await teams.say(OTHER_TEACHER, "who do I contact about IT?", channel=True)
    assert answer.conversation_id.startswith("19:staffroom-general")
    assert "<at>" not in answer.text and "Staffroom</at>" not in answer.text
    assert answer.card is not None
    row = await find_account(teams.runtime.database, "teams", TENANT, teams.user(OTHER_TEACHER).aad_object_id)
    assert row is not None and row.email == OTHER_TEACHER
    assert row.conversation is None  # a channel is no place for their private notices


async def test_a_message_delivered_twice_is_answered_once(teams: TeamsHarness) -> None:
    activity = teams.message(TEACHER, "help")
    assert (await teams.post(activity))[0] == 200
    assert (await teams.post(activity))[0] == 200
    assert len(teams.connector.sent) == 1


async def test_installation_says_hello_and_keeps_the_conversation(teams: TeamsHarness) -> None:
    await install(teams, HEAD)
    [hello] = teams.connector.sent
    assert hello.activity["summary"].startswith("Hello, I'm Staffroom")  # a card, with suggested questions
    row = await find_account(teams.runtime.database, "teams", TENANT, teams.user(HEAD).aad_object_id)
    assert row is not None and row.email == HEAD and row.conversation is not None


async def test_a_conversation_update_keeps_the_conversation_quietly(teams: TeamsHarness) -> None:
    status, _ = await teams.post(teams.members_added(PHASE_LEADER))
    assert status == 200
    assert teams.connector.sent == []
    row = await find_account(teams.runtime.database, "teams", TENANT, teams.user(PHASE_LEADER).aad_object_id)
    assert row is not None and row.conversation is not None


# --- the request journey ----------------------------------------------------------------


async def test_request_form_endorse_approve_and_the_requester_is_told(teams: TeamsHarness, database: Database) -> None:
    await install(teams, PHASE_LEADER, HEAD)
    [answer] = await teams.say(TEACHER, "can I work from home on Friday?")
    assert answer.card is not None
    start = find_action(answer.card, "request.start")
    assert start["type"] == "Action.Execute"
    await teams.press(TEACHER, start, answer.activity_id)
    form = teams.connector.sent[-1]
    assert form.card is not None
    inputs = {i["id"]: i for i in _inputs(form.card)}
    assert inputs["start"]["type"] == "Input.Date" and inputs["repeat"]["type"] == "Input.ChoiceSet"
    request_id = await submit_request(teams)

    await deliver(teams)
    # The installation hello (a card of suggested questions) is a reply; delivered notices are sends.
    [manager_card] = [s for s in teams.connector.sent_to(teams.user(PHASE_LEADER).personal_conversation) if s.card and s.kind == "send"]
    assert manager_card.kind == "send" and manager_card.card is not None
    assert manager_card.card["refresh"]["userIds"] == [teams.user(PHASE_LEADER).channel_id]
    assert "Report checking" in manager_card.text
    _status, body = await teams.press(PHASE_LEADER, find_action(manager_card.card, ENDORSE), manager_card.activity_id)
    endorsed = invoke_card(body)
    assert "endorsed" in " ".join(_texts(endorsed)) and not _has_buttons(endorsed)
    update = teams.connector.sent[-1]
    assert update.kind == "update" and update.activity_id == manager_card.activity_id
    assert update.card is not None and not _has_buttons(update.card)

    await deliver(teams)
    [head_card] = [s for s in teams.connector.sent_to(teams.user(HEAD).personal_conversation) if s.card and s.kind == "send"]
    assert head_card.card is not None
    _, body = await teams.press(HEAD, find_action(head_card.card, APPROVE), head_card.activity_id)
    assert "approved" in " ".join(_texts(invoke_card(body)))
    assert (await fetch_request(database, request_id)).state == "approved"

    await install(teams, TEACHER)
    await deliver(teams)
    told = [s for s in teams.connector.sent_to(teams.user(TEACHER).personal_conversation) if "approved your request" in s.text]
    assert len(told) == 1


async def test_decline_asks_for_a_reason_then_shows_the_outcome(teams: TeamsHarness, database: Database) -> None:
    await install(teams, PHASE_LEADER, TEACHER)
    request_id = await submit_request(teams)
    await deliver(teams)
    [card] = [s for s in teams.connector.sent_to(teams.user(PHASE_LEADER).personal_conversation) if s.card and s.kind == "send"]
    assert card.card is not None
    _, body = await teams.press(PHASE_LEADER, find_action(card.card, DECLINE), card.activity_id)
    form = invoke_card(body)
    reason_input = [i for i in _inputs(form) if i["id"] == "reason"]
    assert reason_input and reason_input[0]["isRequired"] is True
    before = await count_rows(database)
    _status, body = await teams.press(PHASE_LEADER, find_action(form, DECLINE_REASON), card.activity_id, reason="")
    assert body["statusCode"] == 400 and "reason" in body["value"]["message"]
    assert await count_rows(database) == before
    _, body = await teams.press(PHASE_LEADER, find_action(form, DECLINE_REASON), card.activity_id,
                                reason="Moderation meeting <b>that</b> day")
    assert "declined" in " ".join(_texts(invoke_card(body)))
    assert (await fetch_request(database, request_id)).state == "declined"
    await deliver(teams)
    told = [s for s in teams.connector.sent_to(teams.user(TEACHER).personal_conversation) if "declined" in s.text]
    assert told and "Moderation meeting <b>that</b> day" in told[-1].text  # shown as typed, in a TextRun


async def test_refresh_shows_buttons_only_to_the_awaited_approver(teams: TeamsHarness) -> None:
    request_id = await submit_request(teams)
    data = {"staffroom": {"action": "staffroom.refresh", "value": str(request_id)}}
    _, body = await teams.post(teams.execute(PHASE_LEADER, "staffroom.refresh", data))
    assert _has_buttons(invoke_card(body))
    _, body = await teams.post(teams.execute(HEAD, "staffroom.refresh", data))
    card = invoke_card(body)
    assert not _has_buttons(card) and "waiting for" in " ".join(_texts(card))
    _, body = await teams.post(teams.execute(OTHER_TEACHER, "staffroom.refresh", data))
    assert not _has_buttons(invoke_card(body))


# --- bad input --------------------------------------------------------------------------


async def test_approving_someone_elses_request_is_refused_and_changes_nothing(
    teams: TeamsHarness, database: Database
) -> None:
    request_id = await submit_request(teams)
    before = await count_rows(database)
    outbox_before = len(await fetch_outbox(database))
    for email in (OTHER_TEACHER, HEAD, TEACHER):
        data = {"staffroom": {"action": ENDORSE, "value": str(request_id)}}
        status, body = await teams.post(teams.execute(email, ENDORSE, data, "activity-1"))
        assert status == 200 and body["statusCode"] == 400, body
        assert body["type"] == "application/vnd.microsoft.error"
    assert await count_rows(database) == before
    assert len(await fetch_outbox(database)) == outbox_before
    assert (await fetch_request(database, request_id)).state == "pending"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"type": "message"}',
        '{"type": "message", "serviceUrl": "http://127.0.0.1:1/", "channelId": "msteams", "from": {"id": "29:x"}}',
        '{"type": 5, "serviceUrl": "http://x/", "channelId": "msteams", "from": {"id": "a"}, "conversation": {"id": "c"}}',
        '{"type": "message", "text": ["x"], "serviceUrl": "http://x/", "channelId": "msteams", '
        '"from": {"id": "a"}, "conversation": {"id": "c"}}',
    ],
)
async def test_malformed_activities_get_a_400(teams: TeamsHarness, database: Database, body: str) -> None:
    before = await count_rows(database)
    response = await teams.client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "error" in await response.json()
    assert await count_rows(database) == before


async def test_a_body_that_is_not_json_typed_gets_a_415(teams: TeamsHarness) -> None:
    response = await teams.client.post("/api/messages", data="hello", headers={"Content-Type": "text/plain"})
    assert response.status == 415


async def test_unknown_invokes_and_unreadable_card_actions_are_refused(teams: TeamsHarness, database: Database) -> None:
    before = await count_rows(database)
    status, body = await teams.post(teams.base(TEACHER, "invoke", name="composeExtension/query", value={}))
    assert status == 400 and "composeExtension/query" in body["message"]
    status, body = await teams.post(teams.base(TEACHER, "invoke", name="adaptiveCard/action", value={"action": 3}))
    assert status == 200 and body["statusCode"] == 400
    status, body = await teams.post(teams.execute(TEACHER, "request.nonsense", {"staffroom": {"value": "1"}}))
    assert status == 200 and body["statusCode"] == 400
    assert await count_rows(database) == before


async def test_with_an_app_id_an_unsigned_activity_is_unauthorized(
    school: School, database: Database, clock: FakeClock
) -> None:
    settings = Settings.model_validate({"MicrosoftAppId": "11111111-2222-3333-4444-555555555555",
                                        "MicrosoftAppPassword": "secret"})
    async with FakeConnector() as connector:
        harness = await start_harness(build_runtime(school, database, clock, settings), connector)
        try:
            status, _ = await harness.post(harness.message(TEACHER, "help"))
            assert status == 401
            assert connector.sent == []
        finally:
            await harness.client.close()


# --- helpers ----------------------------------------------------------------------------


def _inputs(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input."):
            found.append(node)
        for value in node.values():
            found.extend(_inputs(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_inputs(item))
    return found


def _has_buttons(card: dict[str, Any]) -> bool:
    return bool(all_actions(card["body"]))



# --- when Teams can't say who is talking (issue 17, item 10) ------------------------------------


@pytest.mark.parametrize("failure", [500, 403, "hang"])
async def test_a_failed_member_lookup_still_answers_the_question_and_requests_say_who_is_unknown(
    school: School, database: Database, clock: FakeClock, failure: int | str
) -> None:
    async with FakeConnector() as connector:
        options = TeamsOptions(unauthenticated=True, member_lookup_timeout=0.5)
        teams = await start_harness(build_runtime(school, database, clock), connector, options)
        try:
            connector.lookup_failure = failure
            [answer] = await teams.say(TEACHER, "who do I contact about IT?")
            assert connector.lookups >= 1  # it was asked (and retried, on a 5xx)
            assert answer.card is not None and "went wrong" not in answer.text
            assert any(item.get("style") == "emphasis" for item in answer.card["body"]), "the policy is quoted"
            [mine] = await teams.say(TEACHER, "show my requests")
            assert "couldn't find out who you are" in mine.text and "Nothing was changed" in mine.text
            assert "staff directory" not in mine.text
            [form] = await teams.say(TEACHER, "can I work from home on Friday?")
            assert form.card is not None
            status, body = await teams.press(TEACHER, find_action(form.card, "request.start"), form.activity_id)
            assert status == 200 and "couldn't find out who you are" in body["value"]["message"], body
            assert (await count_rows(database))["requests"] == 0
            # Teams answers again: the next turn knows her, and her requests work.
            connector.lookup_failure = None
            # A short timeout ended the hanging lookups quickly; a loaded CI machine may need longer
            # than that for a lookup that does answer.
            options.member_lookup_timeout = 30.0
            [mine] = await teams.say(TEACHER, "show my requests")
            assert "couldn't find out who you are" not in mine.text and "no requests" in mine.text
        finally:
            await teams.client.close()


# --- the requester's "Request sent" follows the request (issue 17, item 9) ----------------------


async def test_the_requesters_sent_card_refreshes_to_the_next_approver_and_the_outcome(
    teams: TeamsHarness, database: Database
) -> None:
    await install(teams, PHASE_LEADER, HEAD)
    [answer] = await teams.say(TEACHER, "can I work from home on Friday?")
    assert answer.card is not None
    await teams.press(TEACHER, find_action(answer.card, "request.start"), answer.activity_id)
    form = teams.connector.sent[-1]
    assert form.card is not None
    _, body = await teams.press(TEACHER, find_action(form.card, SUBMIT), form.activity_id, **WFH_FORM)
    sent = invoke_card(body)
    request_id = int(" ".join(_texts(sent)).split("Request #")[1].split(" ")[0])
    # The card refreshes for the requester (as approvers' cards do for them), with the request's own data.
    assert sent["refresh"]["userIds"] == [teams.user(TEACHER).channel_id]
    refresh = sent["refresh"]["action"]
    assert refresh["verb"] == "staffroom.refresh"

    async def as_teacher_sees_it() -> dict[str, Any]:
        _, body = await teams.post(teams.execute(TEACHER, refresh["verb"], refresh["data"]))
        return invoke_card(body)

    card = await as_teacher_sees_it()
    assert "It is waiting for Priya Shah" in " ".join(_texts(card)) and find_action(card, CANCEL)

    await deliver(teams)
    [manager_card] = [s for s in teams.connector.sent_to(teams.user(PHASE_LEADER).personal_conversation)
                      if s.card and s.kind == "send"]
    assert manager_card.card is not None
    await teams.press(PHASE_LEADER, find_action(manager_card.card, ENDORSE), manager_card.activity_id)
    card = await as_teacher_sees_it()
    assert (f"Request #{request_id} was endorsed by Priya Shah; it is now waiting for Helen Okafor"
            in " ".join(_texts(card)))
    assert find_action(card, CANCEL)

    await deliver(teams)
    [head_card] = [s for s in teams.connector.sent_to(teams.user(HEAD).personal_conversation)
                   if s.card and s.kind == "send"]
    assert head_card.card is not None
    await teams.press(HEAD, find_action(head_card.card, APPROVE), head_card.activity_id)
    card = await as_teacher_sees_it()
    text = " ".join(_texts(card))
    assert f"Request #{request_id} was approved by Helen Okafor" in text and "until the day" in text
    _, body = await teams.press(TEACHER, find_action(card, CANCEL))  # approved, but its day hasn't come
    assert (await fetch_request(database, request_id)).state == "cancelled"
    card = await as_teacher_sees_it()
    assert f"Request #{request_id} was cancelled by you" in " ".join(_texts(card)) and not _has_buttons(card)
