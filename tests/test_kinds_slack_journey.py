"""Leave of absence, course requests and a made-up kind in Slack: signed requests against the fake
Web API, forms rendered from each kind's fields, decided, declined with a reason and cancelled."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DEPUTY, HEAD, MONDAY_MORNING, PHASE_LEADER, TEACHER, count_rows, fetch_request
from fakes.fake_slack_api import Call, FakeSlackApi
from fakes.slack_harness import SlackHarness, build_runtime, open_harness, slack_settings
from fakes.slack_payloads import block_action, dm_event, home_opened, select, view_submission
from kind_school import PARKING_TYPE, write_school

from bot.clock import FakeClock
from bot.school import School, load_school
from bot.store.database import Database

TEACHER_ID, MANAGER_ID, HEAD_ID, DEPUTY_ID = "U0TEACH", "U0MGR", "U0HEAD", "U0DEP"
PROFILES = {
    DEPUTY_ID: {"email": DEPUTY, "real_name": "David Reyes"},
    TEACHER_ID: {"email": TEACHER, "real_name": "Sam Carter"},
    MANAGER_ID: {"email": PHASE_LEADER, "real_name": "Priya Shah"},
    HEAD_ID: {"email": HEAD, "real_name": "Helen Okafor"},
}
REASON = "Consultant follow-up at the eye hospital"
LEAVE = {"reason": REASON, "cover_note": "Year 5 maths is planned"}
COURSE = {"title": "Leading phonics", "provider": "The local authority", "start": "2026-12-03", "cost": "250",
          "cover_needed": "yes", "why": "I lead phonics from January"}


async def harness_for(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with FakeSlackApi(profiles=dict(PROFILES)) as fake:
        harness = await open_harness(fake, build_runtime(school, database, clock, slack_settings(fake)))
        try:
            for user in (MANAGER_ID, HEAD_ID, DEPUTY_ID):  # approvers have met the app
                await harness.post(home_opened(user))
            yield harness
        finally:
            await harness.client.close()


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async for harness in harness_for(school, database, clock):
        yield harness


def find_button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button in {json.dumps(blocks)[:500]}")


def text_of(call: Call) -> str:
    return json.dumps(call.body.get("blocks", []), ensure_ascii=False) + call.body.get("text", "")


def on_card(call: Call) -> dict[str, Any]:
    return {"ts": call.response["ts"], "blocks": call.body["blocks"], "text": call.body["text"]}


def initial_of(element: dict[str, Any]) -> str | None:
    if "initial_date" in element:
        return str(element["initial_date"])
    if "initial_option" in element:
        return str(element["initial_option"]["value"])
    return element.get("initial_value")


def fill(view: dict[str, Any], values: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The modal's state as Slack reports it: `values` typed in, everything else as the form showed it."""
    state: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        name, element = block["block_id"], block["element"]
        value = values.get(name, initial_of(element))
        if element["type"] == "datepicker":
            state[name] = {name: {"type": "datepicker", "selected_date": value}}
        elif element["type"] == "static_select":
            state[name] = {name: select(value) if value else {"type": "static_select", "selected_option": None}}
        else:
            state[name] = {name: {"type": "plain_text_input", "value": value or None}}
    return state


def card_in(fake: FakeSlackApi, channel: str) -> Call:
    return [call for call in fake.called("chat.postMessage") if call.body["channel"] == channel][-1]


async def ask_and_send(slack: SlackHarness, question: str, type_name: str, values: dict[str, str]) -> tuple[int, dict]:
    """The teacher asks in a DM, presses the offered button and sends the modal; the id and the modal."""
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, question))
    answer = fake.called("chat.postMessage")[-1]
    start = find_button(answer.body["blocks"], "request.start")
    assert json.loads(start["value"])["type"] == type_name
    await slack.post(block_action(TEACHER_ID, start, message=on_card(answer)))
    view = fake.called("views.open")[-1].body["view"]
    assert view["callback_id"] == "request.submit"
    await slack.post(view_submission(TEACHER_ID, view, fill(view, values), view_id="V00001"))
    result = json.dumps(fake.called("views.update")[-1].body["view"]["blocks"])
    assert "sent" in result, result
    return int(result.split("Request #")[1].split(" ")[0]), view


async def test_leave_asked_for_in_a_dm_endorsed_then_approved_as_paid(slack: SlackHarness, database: Database) -> None:
    fake = slack.fake
    request_id, view = await ask_and_send(slack, "can I have Friday afternoon off for a hospital appointment?",
                                          "leave", LEAVE)
    elements = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert elements["start"]["initial_date"] == "2026-11-27"
    assert elements["part_of_day"]["initial_option"]["value"] == "afternoon"
    assert elements["leave_type"]["initial_option"]["value"] == "medical_appointment"
    assert [o["value"] for o in elements["cover_needed"]["options"]] == ["yes", "no"]
    assert elements["reason"]["multiline"] is True
    stored = await fetch_request(database, request_id)
    assert stored.note == REASON and stored.details["part_of_day"] == "afternoon"

    await slack.deliver_outbox()
    manager_card = card_in(fake, "D0MGR")
    assert REASON in text_of(manager_card)
    await slack.post(block_action(MANAGER_ID, find_button(manager_card.body["blocks"], "request.endorse"),
                                  message=on_card(manager_card)))
    await slack.deliver_outbox()
    head_card = card_in(fake, "D0HEAD")
    approve = find_button(head_card.body["blocks"], "request.approve")
    before = await count_rows(database)
    await slack.post(block_action(HEAD_ID, approve, message=on_card(head_card)))
    modal = fake.called("views.open")[-1].body["view"]
    assert modal["callback_id"] == "request.approve"
    assert await count_rows(database) == before and (await fetch_request(database, request_id)).state == "pending"
    fake.clear()
    await slack.post(view_submission(HEAD_ID, modal, fill(modal, {"paid": "paid"}), view_id="V00007"))
    stored = await fetch_request(database, request_id)
    assert stored.state == "approved" and stored.details["paid"] == "paid"
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0HEAD"]
    assert "Approved by Helen Okafor" in update.body["text"]

    await slack.deliver_outbox()
    told = card_in(fake, "D0TEACH")
    assert f"approved your request #{request_id}" in told.body["text"] and "*Pay*\\nPaid" in text_of(told)
    deputy = card_in(fake, "D0DEP")  # told, to arrange cover: never the reason
    assert f"Request #{request_id} was approved" in deputy.body["text"]
    assert "Year 5 maths is planned" in text_of(deputy) and REASON not in text_of(deputy)


async def test_a_course_request_declined_with_a_reason(slack: SlackHarness, database: Database) -> None:
    fake = slack.fake
    request_id, _ = await ask_and_send(slack, "can I go on a phonics training course?", "course", COURSE)
    await slack.deliver_outbox()
    card = card_in(fake, "D0MGR")
    assert "Leading phonics" in text_of(card) and "£250.00" in text_of(card)
    await slack.post(block_action(MANAGER_ID, find_button(card.body["blocks"], "request.decline"),
                                  message=on_card(card)))
    modal = fake.called("views.open")[-1].body["view"]
    assert modal["callback_id"] == "request.decline_reason"
    await slack.post(view_submission(MANAGER_ID, modal, fill(modal, {"reason": "The budget is spent"}),
                                     view_id="V00008"))
    assert (await fetch_request(database, request_id)).state == "declined"
    await slack.deliver_outbox()
    told = card_in(fake, "D0TEACH")
    assert "declined your request" in told.body["text"] and "The budget is spent" in told.body["text"]


async def test_a_leave_request_cancelled_retires_the_line_managers_card(slack: SlackHarness, database: Database) -> None:
    fake = slack.fake
    request_id, _ = await ask_and_send(slack, "can I have Friday afternoon off for a hospital appointment?",
                                       "leave", LEAVE)
    confirmation = next(call for call in fake.called("chat.postMessage")
                        if call.body["channel"] == "D0TEACH" and "request.cancel" in json.dumps(call.body["blocks"]))
    await slack.deliver_outbox()
    card = card_in(fake, "D0MGR")
    fake.clear()
    await slack.post(block_action(TEACHER_ID, find_button(confirmation.body["blocks"], "request.cancel"),
                                  message=on_card(confirmation)))
    assert (await fetch_request(database, request_id)).state == "cancelled"
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0MGR"]
    assert update.body["ts"] == card.response["ts"] and "Cancelled by Sam Carter" in update.body["text"]


async def test_a_made_up_kind_works_in_slack(tmp_path: Path, database: Database, clock: FakeClock) -> None:
    school = load_school(write_school(tmp_path / "school", PARKING_TYPE), clock=FakeClock(MONDAY_MORNING))
    async for slack in harness_for(school, database, clock):
        fake = slack.fake
        request_id, view = await ask_and_send(slack, "can I have a parking permit?", "parking",
                                              {"registration": "ab12 cde", "why": "I teach at both sites"})
        assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} == {
            "registration", "from_day", "blue_badge", "why"}
        await slack.deliver_outbox()
        card = card_in(fake, "D0HEAD")
        assert "AB12 CDE" in text_of(card)
        await slack.post(block_action(HEAD_ID, find_button(card.body["blocks"], "request.approve"),
                                      message=on_card(card)))
        modal = fake.called("views.open")[-1].body["view"]
        await slack.post(view_submission(HEAD_ID, modal, fill(modal, {"zone": "rear"}), view_id="V00009"))
        stored = await fetch_request(database, request_id)
        assert stored.state == "approved" and stored.details["zone"] == "rear"
        await slack.deliver_outbox()
        assert "Rear car park" in text_of(card_in(fake, "D0TEACH"))
