"""The Slack journey end to end, against the fake Web API: question, form, endorse, approve, told, App Home."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import count_rows, fetch_outbox, fetch_request
from fakes.fake_slack_api import Call
from fakes.slack_harness import (
    DEPUTY_ID,
    HEAD_ID,
    MANAGER_ID,
    TEACHER_ID,
    SlackHarness,
    running_slack,
)
from fakes.slack_payloads import (
    block_action,
    datepicker,
    dm_event,
    home_opened,
    select,
    text_input,
    view_submission,
)

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with running_slack(school, database, clock) as harness:
        yield harness


def find_button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button in {json.dumps(blocks)[:500]}")


def has_buttons(blocks: list[dict[str, Any]]) -> bool:
    return any(block["type"] == "actions" for block in blocks)


def all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def message_of(call: Call) -> dict[str, Any]:
    """The message as Slack would echo it in a block_actions payload."""
    return {"ts": call.body.get("ts", "1700000000.000999"), "blocks": call.body["blocks"], "text": call.body["text"]}


def wfh_values(note: str = "Report checking", start: str = "2026-11-27") -> dict[str, dict[str, Any]]:
    return {
        "start": {"start": datepicker(start)},
        "end": {"end": {"type": "datepicker", "selected_date": None}},
        "repeat": {"repeat": select("once")},
        "part_of_day": {"part_of_day": select("whole_day")},
        "reason_category": {"reason_category": select("specific_task")},
        "note": {"note": text_input(note)},
    }


async def meet_approvers(slack: SlackHarness) -> None:
    """The approvers have opened the app once, so Staffroom can message them."""
    for user in (MANAGER_ID, HEAD_ID):
        response = await slack.post(home_opened(user))
        assert response.status == 200


async def ask_and_submit(slack: SlackHarness, note: str = "Report checking", day: str = "2026-11-27") -> int:
    """Teacher asks in a DM, presses the button, fills the modal in; returns the new request's id."""
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, "can I work from home on Friday?"))
    answer = fake.called("chat.postMessage")[-1]
    assert answer.body["channel"] == "D0TEACH"
    start = find_button(answer.body["blocks"], "request.start")
    await slack.post(block_action(TEACHER_ID, start, message=message_of(answer)))
    opened = fake.called("views.open")[-1]
    view = opened.body["view"]
    assert view["callback_id"] == "request.submit"
    assert {block.get("block_id") for block in view["blocks"]} >= {"start", "part_of_day", "reason_category", "note"}
    response = await slack.post(view_submission(TEACHER_ID, view, wfh_values(note, day), view_id="V00001"))
    body = await response.json()
    assert body["response_action"] == "update"  # acknowledged at once, "Sending…"
    result = fake.called("views.update")[-1]
    assert result.body["view_id"] == "V00001"
    text = all_text(result.body["view"]["blocks"])
    assert "sent" in text, text
    request_id = int(text.split("Request #")[1].split(" ")[0])
    return request_id


async def test_question_form_endorse_approve_and_the_requester_is_told(slack: SlackHarness, database: Database) -> None:
    fake = slack.fake
    await meet_approvers(slack)
    assert len(fake.called("views.publish")) == 2

    request_id = await ask_and_submit(slack)
    confirmation = fake.called("chat.postMessage")[-1]
    assert confirmation.body["channel"] == "D0TEACH"
    find_button(confirmation.body["blocks"], "request.cancel")

    # The line manager's card arrives from the outbox.
    fake.clear()
    slack.checked = 0
    await slack.deliver_outbox()
    assert fake.methods() == ["conversations.open", "chat.postMessage"]
    card = fake.called("chat.postMessage")[0]
    assert card.body["channel"] == "D0MGR"
    assert card.body["metadata"]["event_type"] == "staffroom_notice"
    endorse = find_button(card.body["blocks"], "request.endorse")
    assert endorse["value"] == str(request_id)

    card_ts = card.response["ts"]
    fake.clear()
    slack.checked = 0
    await slack.post(block_action(MANAGER_ID, endorse, message={**message_of(card), "ts": card_ts}))
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0MGR"]
    assert update.body["channel"] == "D0MGR" and update.body["ts"] == card_ts
    assert "Endorsed by Priya Shah" in update.body["text"]
    assert not has_buttons(update.body["blocks"])
    assert (await fetch_request(database, request_id)).step == 1

    # The headteacher's card, then Approve.
    fake.clear()
    slack.checked = 0
    await slack.deliver_outbox()
    head_card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0HEAD")
    approve = find_button(head_card.body["blocks"], "request.approve")
    fake.clear()
    await slack.post(block_action(HEAD_ID, approve, message={**message_of(head_card), "ts": head_card.response["ts"]}))
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0HEAD"]
    assert "Approved by Helen Okafor" in update.body["text"]
    assert not has_buttons(update.body["blocks"])
    assert (await fetch_request(database, request_id)).state == "approved"

    # The requester hears, by DM.
    fake.clear()
    slack.checked = 0
    await slack.deliver_outbox()
    told = [call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0TEACH"]
    assert any(f"approved your request #{request_id}" in call.body["text"] for call in told)
    assert not [row for row in await fetch_outbox(database) if row.delivered_at is None]

    # App Home shows the request as approved.
    fake.clear()
    await slack.post(home_opened(TEACHER_ID))
    home = fake.called("views.publish")[0]
    assert home.body["user_id"] == TEACHER_ID and home.body["view"]["type"] == "home"
    assert f"#{request_id}" in all_text(home.body["view"]["blocks"])
    assert "approved" in all_text(home.body["view"]["blocks"])


async def test_the_stand_in_decides_and_every_copy_of_the_card_shows_who(
    slack: SlackHarness, database: Database, clock: FakeClock
) -> None:
    """The headteacher is away (school.yaml: the deputy stands in 7-11 December); both get the card."""
    fake = slack.fake
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Europe/London")))
    for user in (MANAGER_ID, HEAD_ID, DEPUTY_ID):
        await slack.post(home_opened(user))
    request_id = await ask_and_submit(slack, day="2026-12-10")
    fake.clear()
    await slack.deliver_outbox()
    manager_card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0MGR")
    endorse = find_button(manager_card.body["blocks"], "request.endorse")
    await slack.post(block_action(MANAGER_ID, endorse, message=message_of(manager_card)))

    fake.clear()
    await slack.deliver_outbox()
    cards = {call.body["channel"]: call for call in fake.called("chat.postMessage") if has_buttons(call.body["blocks"])}
    assert set(cards) == {"D0HEAD", "D0DEP"}
    approve = find_button(cards["D0DEP"].body["blocks"], "request.approve")

    landed = {channel: call.response["ts"] for channel, call in cards.items()}
    fake.clear()
    await slack.post(block_action(DEPUTY_ID, approve, message={**message_of(cards["D0DEP"]), "ts": landed["D0DEP"]}))
    assert (await fetch_request(database, request_id)).state == "approved"
    approvers = [call for call in fake.called("chat.update") if call.body["channel"] != "D0TEACH"]
    updates = [(call.body["channel"], call.body["ts"]) for call in approvers]
    assert sorted(updates) == sorted(landed.items())  # each copy once, the clicked one included
    [mine] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0TEACH"]
    assert "was approved by David Reyes" in mine.body["text"]  # the requester's confirmation follows
    for update in approvers:
        assert "Approved by David Reyes" in update.body["text"]
        assert not has_buttons(update.body["blocks"])
    # The line manager's card still says who endorsed it: an approval doesn't rewrite the earlier step.
    assert "D0MGR" not in dict(updates)

    # The headteacher's stale click changes nothing and says so.
    fake.clear()
    head_approve = find_button(cards["D0HEAD"].body["blocks"], "request.approve")
    await slack.post(block_action(HEAD_ID, head_approve, message=message_of(cards["D0HEAD"])))
    assert not fake.called("chat.update")
    said = fake.called("chat.postMessage") + fake.called("chat.postEphemeral")
    assert said and "already" in said[-1].body["text"]


async def test_cancelling_a_request_retires_the_approvers_card(slack: SlackHarness, database: Database) -> None:
    """The teacher withdraws before anyone decides: the line manager's card says so and has no buttons."""
    fake = slack.fake
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    confirmation = next(call for call in fake.called("chat.postMessage")
                        if call.body["channel"] == "D0TEACH" and "request.cancel" in json.dumps(call.body["blocks"]))
    await slack.deliver_outbox()
    card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0MGR")
    landed = card.response["ts"]

    fake.clear()
    cancel = find_button(confirmation.body["blocks"], "request.cancel")
    await slack.post(block_action(TEACHER_ID, cancel, message={**message_of(confirmation),
                                                                "ts": confirmation.response["ts"]}))
    assert (await fetch_request(database, request_id)).state == "cancelled"
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] != "D0TEACH"]
    assert (update.body["channel"], update.body["ts"]) == ("D0MGR", landed)
    assert "Cancelled by Sam Carter" in update.body["text"] and not has_buttons(update.body["blocks"])

    # The manager's stale Endorse changes nothing, and a second cancel retires nothing again.
    fake.clear()
    endorse = find_button(card.body["blocks"], "request.endorse")
    await slack.post(block_action(MANAGER_ID, endorse, message={**message_of(card), "ts": landed}))
    await slack.post(block_action(TEACHER_ID, cancel, message={**message_of(confirmation),
                                                                "ts": confirmation.response["ts"]}))
    assert not fake.called("chat.update")
    assert (await fetch_request(database, request_id)).state == "cancelled"


async def test_decline_opens_a_modal_for_the_reason_and_the_card_shows_it(slack: SlackHarness, database: Database) -> None:
    fake = slack.fake
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    await slack.deliver_outbox()
    card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0MGR")
    decline = find_button(card.body["blocks"], "request.decline")
    landed = card.response["ts"]
    await slack.post(block_action(MANAGER_ID, decline, message={**message_of(card), "ts": landed}))
    modal = fake.called("views.open")[-1].body["view"]
    assert modal["callback_id"] == "request.decline_reason"
    assert (await fetch_request(database, request_id)).state == "pending"  # nothing decided yet

    reason = "<!channel> cover is short that day <@U123>"
    await slack.post(view_submission(MANAGER_ID, modal, {"reason": {"reason": text_input(reason)}}, view_id="V00009"))
    assert (await fetch_request(database, request_id)).state == "declined"
    [update] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0MGR"]  # the clicked card, once
    assert update.body["ts"] == landed
    assert "Declined by Priya Shah" in update.body["text"]
    shown = all_text(update.body["blocks"])
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown and "<@U123>" not in shown
    assert "<!channel>" not in update.body["text"] and "<@U123>" not in update.body["text"]  # the fallback too
    assert not has_buttons(update.body["blocks"])
    assert "declined" in all_text(fake.called("views.update")[-1].body["view"]["blocks"])
    # The requester's own "Request sent" confirmation shows it was declined, with no Cancel left.
    [mine] = [call for call in fake.called("chat.update") if call.body["channel"] == "D0TEACH"]
    assert f"Request #{request_id} was declined by Priya Shah" in mine.body["text"]
    assert not has_buttons(mine.body["blocks"])

    await slack.deliver_outbox()
    told = next(call for call in fake.called("chat.postMessage")
                if call.body["channel"] == "D0TEACH" and "declined your request" in call.body["text"])
    assert "&lt;!channel&gt;" in all_text(told.body["blocks"]) and "<!channel>" not in all_text(told.body["blocks"])
    assert "&lt;!channel&gt;" in told.body["text"] and "<!channel>" not in told.body["text"]


async def test_a_refused_form_comes_back_with_the_reason_and_nothing_is_stored(
    slack: SlackHarness, database: Database
) -> None:
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, "can I work from home on Friday?"))
    start = find_button(fake.called("chat.postMessage")[-1].body["blocks"], "request.start")
    await slack.post(block_action(TEACHER_ID, start))
    view = fake.called("views.open")[-1].body["view"]
    before = await count_rows(database)
    await slack.post(view_submission(TEACHER_ID, view, wfh_values(start="2026-11-02"), view_id="V00002"))
    retry = fake.called("views.update")[-1].body["view"]
    assert retry["callback_id"] == "request.submit"
    notice = next(block for block in retry["blocks"] if block.get("block_id") == "staffroom_notice")
    assert "already passed" in notice["text"]["text"], notice
    assert [b.get("block_id") for b in retry["blocks"] if b["type"] == "input"] == [
        b.get("block_id") for b in view["blocks"] if b["type"] == "input"]  # Slack keeps what was typed
    assert await count_rows(database) == before


async def test_note_with_mentions_reaches_the_approver_escaped(slack: SlackHarness) -> None:
    await meet_approvers(slack)
    await ask_and_submit(slack, note="<!channel> & <@U999> please")
    slack.fake.clear()
    await slack.deliver_outbox()
    card = slack.fake.called("chat.postMessage")[0]
    shown = all_text(card.body["blocks"])
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt; please" in shown
    assert "<!channel>" not in shown and "<@U999>" not in shown


async def test_app_home_lists_waiting_decisions_with_buttons_for_the_approver(slack: SlackHarness) -> None:
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    slack.fake.clear()
    await slack.post(home_opened(MANAGER_ID))
    view = slack.fake.called("views.publish")[0].body["view"]
    assert "Waiting for your decision" in all_text(view["blocks"])
    endorse = find_button(view["blocks"], "request.endorse")
    assert endorse["value"] == str(request_id)
    # Endorsing from App Home: the decision is applied, told by DM, and the home republished.
    slack.fake.clear()
    await slack.post(block_action(MANAGER_ID, endorse, home=True))
    assert "endorsed" in slack.fake.called("chat.postMessage")[0].body["text"]
    assert slack.fake.called("chat.postMessage")[0].body["channel"] == "D0MGR"
    assert "Waiting for your decision" not in all_text(slack.fake.called("views.publish")[0].body["view"]["blocks"])


# --- the requester's own confirmation follows the request (issue 17, item 9) ---------------------


async def test_the_requesters_confirmation_follows_endorse_approve_and_cancel(slack: SlackHarness,
                                                                              database: Database) -> None:
    fake = slack.fake
    await meet_approvers(slack)
    request_id = await ask_and_submit(slack)
    confirmation = fake.called("chat.postMessage")[-1]
    assert confirmation.body["channel"] == "D0TEACH"
    sent_ts = confirmation.response["ts"]

    def mine() -> list[Call]:
        return [c for c in fake.called("chat.update") if c.body["channel"] == "D0TEACH" and c.body["ts"] == sent_ts]

    # Endorsed: it now waits for the headteacher, and can still be cancelled.
    await slack.deliver_outbox()
    card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0MGR")
    fake.clear()
    await slack.post(block_action(MANAGER_ID, find_button(card.body["blocks"], "request.endorse"),
                                  message={**message_of(card), "ts": card.response["ts"]}))
    [endorsed] = mine()
    assert (f"Request #{request_id} was endorsed by Priya Shah; it is now waiting for Helen Okafor"
            in endorsed.body["text"])
    assert find_button(endorsed.body["blocks"], "request.cancel")["value"] == str(request_id)

    # Approved before its day: the outcome, and Cancel stays (staff may cancel until the day comes).
    await slack.deliver_outbox()
    head_card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0HEAD")
    fake.clear()
    await slack.post(block_action(HEAD_ID, find_button(head_card.body["blocks"], "request.approve"),
                                  message={**message_of(head_card), "ts": head_card.response["ts"]}))
    [approved] = mine()
    assert f"Request #{request_id} was approved by Helen Okafor" in approved.body["text"]
    assert "until the day" in approved.body["text"]
    cancel = find_button(approved.body["blocks"], "request.cancel")

    # Cancelled from the confirmation itself: the outcome, and no Cancel any more.
    fake.clear()
    await slack.post(block_action(TEACHER_ID, cancel, message={**message_of(approved), "ts": sent_ts}))
    assert (await fetch_request(database, request_id)).state == "cancelled"
    [cancelled] = mine()
    assert f"Request #{request_id} was cancelled by you" in cancelled.body["text"]
    assert not has_buttons(cancelled.body["blocks"])
