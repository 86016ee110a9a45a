"""Leave of absence, course requests and a made-up kind in Teams: activities posted to /api/messages,
answers read from the fake Connector, forms rendered from each kind's fields."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher
from bot.school import School, load_school
from bot.store.database import Database
from tests.conftest import DEPUTY, HEAD, MONDAY_MORNING, PHASE_LEADER, TEACHER, count_rows, fetch_request
from tests.fakes_teams.fake_connector import FakeConnector, Sent, card_texts
from tests.fakes_teams.harness import TeamsHarness, build_runtime, find_action, start_harness
from tests.fakes_teams.schemas import assert_valid_card
from tests.kind_school import PARKING_TYPE, write_school

REASON = "Consultant follow-up at the eye hospital"
LEAVE = {"start": "2026-11-27", "part_of_day": "afternoon", "leave_type": "medical_appointment",
         "reason": REASON, "cover_needed": "yes", "cover_note": "Year 5 maths is planned"}
COURSE = {"title": "Leading phonics", "provider": "The local authority", "start": "2026-12-03", "cost": "250",
          "cover_needed": "no", "why": "I lead phonics from January"}


async def harness_for(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with FakeConnector() as connector:
        harness = await start_harness(build_runtime(school, database, clock), connector)
        for email in (PHASE_LEADER, HEAD, DEPUTY, TEACHER):
            status, _ = await harness.post(harness.installed(email))
            assert status == 200
        yield harness
        for sent in connector.sent:
            if sent.card is not None:
                assert_valid_card(sent.card)
        await harness.client.close()


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async for harness in harness_for(school, database, clock):
        yield harness


def texts(node: Any) -> str:
    return " ".join(str(t) for t in card_texts(node))


def inputs_of(node: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Input."):
            found[node["id"]] = node
        for value in node.values():
            found.update(inputs_of(value))
    elif isinstance(node, list):
        for item in node:
            found.update(inputs_of(item))
    return found


def invoke_card(body: dict[str, Any]) -> dict[str, Any]:
    assert body["statusCode"] == 200, body
    card: dict[str, Any] = body["value"]
    assert_valid_card(card)
    return card


async def deliver(teams: TeamsHarness) -> None:
    runtime = teams.runtime
    await Dispatcher(runtime.database, runtime.couriers, {runtime.school.id: runtime.school}, runtime.clock).drain()


def card_for(teams: TeamsHarness, email: str) -> Sent:
    return [s for s in teams.connector.sent_to(teams.user(email).personal_conversation)
            if s.card and s.kind == "send"][-1]


async def ask_and_send(teams: TeamsHarness, question: str, type_name: str,
                       values: dict[str, str]) -> tuple[int, dict[str, dict[str, Any]]]:
    """The teacher asks, opens the offered form and sends it; the request id and the form's inputs."""
    [answer] = await teams.say(TEACHER, question)
    assert answer.card is not None
    start = find_action(answer.card, "request.start")
    assert json.loads(start["data"]["staffroom"]["value"])["type"] == type_name
    status, body = await teams.press(TEACHER, start, answer.activity_id)
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    form = teams.connector.sent[-1]
    assert form.card is not None
    inputs = inputs_of(form.card)
    _, body = await teams.press(TEACHER, find_action(form.card, "request.submit"), form.activity_id, **values)
    sent = texts(invoke_card(body))
    assert "sent" in sent, sent
    return int(sent.split("Request #")[1].split(" ")[0]), inputs


async def test_leave_endorsed_then_approved_unpaid_in_teams(teams: TeamsHarness, database: Database) -> None:
    request_id, inputs = await ask_and_send(
        teams, "can I have Friday afternoon off for a hospital appointment?", "leave", LEAVE)
    assert inputs["start"]["type"] == "Input.Date" and inputs["start"]["value"] == "2026-11-27"
    assert inputs["part_of_day"]["value"] == "afternoon"
    assert [c["value"] for c in inputs["cover_needed"]["choices"]] == ["yes", "no"]
    assert inputs["reason"]["isMultiline"] is True
    await deliver(teams)
    manager = card_for(teams, PHASE_LEADER)
    assert manager.card is not None and REASON in texts(manager.card)
    await teams.press(PHASE_LEADER, find_action(manager.card, "request.endorse"), manager.activity_id)
    await deliver(teams)
    head = card_for(teams, HEAD)
    assert head.card is not None
    before = await count_rows(database)
    _, body = await teams.press(HEAD, find_action(head.card, "request.approve"), head.activity_id)
    form = invoke_card(body)  # the card asks paid or unpaid before anything is decided
    assert [c["value"] for c in inputs_of(form)["paid"]["choices"]] == ["paid", "unpaid"]
    assert await count_rows(database) == before
    _, body = await teams.press(HEAD, find_action(form, "request.approve"), head.activity_id, paid="unpaid")
    assert "approved" in texts(invoke_card(body))
    stored = await fetch_request(database, request_id)
    assert stored.state == "approved" and stored.details["paid"] == "unpaid"

    await deliver(teams)
    told = [s for s in teams.connector.sent_to(teams.user(TEACHER).personal_conversation)
            if "approved your request" in s.text]
    assert len(told) == 1 and "Unpaid" in texts(told[0].card)
    deputy = card_for(teams, DEPUTY)
    assert deputy.card is not None and "Medical appointment" in texts(deputy.card)
    assert REASON not in json.dumps(deputy.activity)


async def test_a_course_declined_with_a_reason_and_a_leave_request_cancelled(
    teams: TeamsHarness, database: Database
) -> None:
    course_id, _ = await ask_and_send(teams, "can I go on a phonics training course?", "course", COURSE)
    await deliver(teams)
    card = card_for(teams, PHASE_LEADER)
    assert card.card is not None and "£250.00" in texts(card.card)
    _, body = await teams.press(PHASE_LEADER, find_action(card.card, "request.decline"), card.activity_id)
    form = invoke_card(body)
    _, body = await teams.press(PHASE_LEADER, find_action(form, "request.decline_reason"), card.activity_id,
                                reason="The budget is spent")
    assert "declined" in texts(invoke_card(body))
    assert (await fetch_request(database, course_id)).state == "declined"
    await deliver(teams)
    told = [s for s in teams.connector.sent_to(teams.user(TEACHER).personal_conversation) if "declined" in s.text]
    assert told and "The budget is spent" in told[-1].text

    leave_id, _ = await ask_and_send(teams, "can I have Friday afternoon off for a hospital appointment?", "leave",
                                     LEAVE)
    # Cancel from "show my requests" (the Request sent card offers the same button).
    [listed] = await teams.say(TEACHER, "show my requests")
    assert listed.card is not None
    cancel = find_action(listed.card, "request.cancel")
    assert cancel["data"]["staffroom"]["value"] == str(leave_id)
    _, body = await teams.press(TEACHER, cancel, listed.activity_id)
    assert "cancelled" in texts(invoke_card(body))
    assert (await fetch_request(database, leave_id)).state == "cancelled"


async def test_a_made_up_kind_works_in_teams(tmp_path: Path, database: Database, clock: FakeClock) -> None:
    school = load_school(write_school(tmp_path / "school", PARKING_TYPE), clock=FakeClock(MONDAY_MORNING))
    async for teams in harness_for(school, database, clock):
        request_id, inputs = await ask_and_send(
            teams, "can I have a parking permit?", "parking",
            {"registration": "ab12 cde", "from_day": "2026-11-24", "blue_badge": "no", "why": "Both sites"})
        assert set(inputs) == {"registration", "from_day", "blue_badge", "why"}
        assert inputs["registration"]["isMultiline"] is False
        await deliver(teams)
        head = card_for(teams, HEAD)
        assert head.card is not None and "AB12 CDE" in texts(head.card)
        _, body = await teams.press(HEAD, find_action(head.card, "request.approve"), head.activity_id)
        form = invoke_card(body)
        _, body = await teams.press(HEAD, find_action(form, "request.approve"), head.activity_id, zone="front")
        assert "approved" in texts(invoke_card(body))
        assert (await fetch_request(database, request_id)).details["zone"] == "front"
