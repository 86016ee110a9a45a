"""The core says what a click did to a request's cards; adapters only render and apply it.

Cards are delivered by the real outbox dispatcher (to a fake platform that reports where each
landed); the requester's "Request sent" is recorded through the same storage interface the
Slack adapter is given.
"""

from __future__ import annotations

import json

import pytest
from conftest import HEAD, OTHER_TEACHER, PHASE_LEADER, TEACHER, action, fetch_outbox, person, wfh_inputs
from fakes.fake_courier import FakeCourier

from bot.assistant import START_REQUEST, Assistant
from bot.clock import FakeClock
from bot.delivery.dispatcher import Dispatcher
from bot.messages import Action, ButtonsBlock, CardCopy, Follow, FormBlock, Notice, Reply
from bot.requests.conversation import RequestConversation
from bot.school import School
from bot.store.accounts import remember_account
from bot.store.database import Database
from bot.store.outbox import read_notice
from bot.store.platform_storage import DatabaseShownMessages
from intents.router import Router

#: Where the requester's "Request sent" landed, as an adapter would record it.
SENT_AT = {"channel": "D-sam", "ts": "100.1", "team": "T1"}


def buttons(reply: Reply) -> list[str]:
    return [b.action_id for block in reply.blocks if isinstance(block, ButtonsBlock) for b in block.buttons]


@pytest.fixture
async def courier(database: Database, clock: FakeClock) -> FakeCourier:
    for email in (TEACHER, PHASE_LEADER, HEAD, OTHER_TEACHER):
        await remember_account(database, school_id="demo", platform="slack", workspace="T1", user_id=f"U-{email}",
                               email=email, now=clock.now())
    return FakeCourier(clock)


async def deliver(database: Database, school: School, clock: FakeClock, courier: FakeCourier) -> None:
    await Dispatcher(database, {courier.platform: courier}, {school.id: school}, clock).drain()


async def click(conversation: RequestConversation, clicked: Action, clock: FakeClock) -> Reply:
    [reply] = await conversation.handle_action(clicked, clock.now())
    return reply


async def send_request(conversation: RequestConversation, database: Database, clock: FakeClock) -> int:
    """Sam Carter sends a request; the adapter records where its confirmation landed, as the reply asks."""
    sent = await click(conversation, action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock)
    assert sent.follows is not None and sent.follows.record_as == "request.sent" and sent.outcome is None
    shown = DatabaseShownMessages(database, "demo", clock)
    await shown.record_shown(Notice(recipient_email=TEACHER, reply=sent, reason=sent.follows.record_as),
                             request_id=sent.follows.request_id, platform="slack", receipt=SENT_AT)
    return sent.follows.request_id


async def card_receipt(database: Database, email: str) -> dict[str, str]:
    """Where the outbox says `email`'s decision card landed."""
    [row] = [row for row in await fetch_outbox(database)
             if row.recipient_email == email and row.reason == "request.awaiting_decision"]
    assert row.receipt is not None
    return dict(row.receipt)


def copy_at(updates: tuple[CardCopy, ...], receipt: dict[str, str]) -> CardCopy:
    [found] = [copy for copy in updates if copy.receipt == receipt]
    return found


async def test_an_endorsement_says_which_cards_change_and_what_each_shows(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    leader_card = await card_receipt(database, PHASE_LEADER)

    endorsed = await click(conversation, action(PHASE_LEADER, "request.endorse", request_id), clock)

    outcome = endorsed.outcome
    assert outcome is not None and outcome.request_id == request_id
    assert outcome.headline == "Endorsed by Priya Shah."
    assert outcome.pressed is not None and outcome.pressed.text == "Endorsed by Priya Shah."
    assert not buttons(outcome.pressed)
    # The approver's delivered card shows the outcome with its buttons gone; the requester's confirmation
    # says whom the request waits for now, and still offers Cancel.
    leader_copy = copy_at(outcome.updates, leader_card)
    assert leader_copy.platform == "slack" and leader_copy.reply.text == "Endorsed by Priya Shah."
    assert not buttons(leader_copy.reply)
    mine = copy_at(outcome.updates, SENT_AT)
    assert f"Request #{request_id} was endorsed by Priya Shah; it is now waiting for Helen Okafor" in mine.reply.text
    assert buttons(mine.reply) == ["request.cancel"]
    assert len(outcome.updates) == 2


async def test_an_approval_retires_the_approval_cards_and_leaves_the_endorsement_as_it_was(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    await click(conversation, action(PHASE_LEADER, "request.endorse", request_id), clock)
    await deliver(database, school, clock, courier)
    head_card = await card_receipt(database, HEAD)

    approved = await click(conversation, action(HEAD, "request.approve", request_id), clock)

    assert approved.outcome is not None
    retired = [copy for copy in approved.outcome.updates if copy.receipt != SENT_AT]
    assert [copy.receipt for copy in retired] == [head_card]
    assert retired[0].reply.text == "Approved by Helen Okafor." and not buttons(retired[0].reply)
    mine = copy_at(approved.outcome.updates, SENT_AT)
    assert f"Request #{request_id} was approved by Helen Okafor" in mine.reply.text


async def test_a_decline_names_the_reason_on_every_retired_card(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    declined = await click(conversation, action(PHASE_LEADER, "request.decline_reason", request_id,
                                                reason="  Moderation meeting that day "), clock)
    assert declined.outcome is not None
    headline = "Declined by Priya Shah. Reason: Moderation meeting that day"
    assert declined.outcome.headline == headline
    assert declined.outcome.pressed is not None and declined.outcome.pressed.text == headline
    leader_copy = copy_at(declined.outcome.updates, await card_receipt(database, PHASE_LEADER))
    assert leader_copy.reply.text == headline
    assert not buttons(copy_at(declined.outcome.updates, SENT_AT).reply)  # declined: nothing left to cancel


async def test_cancelling_retires_the_approvers_cards_and_leaves_the_pressed_one_to_the_reply(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    cancelled = await click(conversation, action(TEACHER, "request.cancel", request_id), clock)
    outcome = cancelled.outcome
    assert outcome is not None and outcome.pressed is None
    assert outcome.headline == "Cancelled by Sam Carter."
    leader_copy = copy_at(outcome.updates, await card_receipt(database, PHASE_LEADER))
    assert leader_copy.reply.text == "Cancelled by Sam Carter." and not buttons(leader_copy.reply)
    mine = copy_at(outcome.updates, SENT_AT)
    assert f"Request #{request_id} was cancelled by you" in mine.reply.text and not buttons(mine.reply)


async def test_a_refused_click_changes_no_card(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    # Someone else's request, the wrong step, the requester themselves, a number that names nothing.
    for clicked in (action(OTHER_TEACHER, "request.endorse", request_id), action(HEAD, "request.approve", request_id),
                    action(TEACHER, "request.endorse", request_id), action(OTHER_TEACHER, "request.cancel", request_id),
                    action(PHASE_LEADER, "request.endorse", "99999999999999999999")):
        refused = await click(conversation, clicked, clock)
        assert refused.ephemeral and refused.outcome is None and refused.follows is None, clicked
    endorsed = await click(conversation, action(PHASE_LEADER, "request.endorse", request_id), clock)
    assert endorsed.outcome is not None
    again = await click(conversation, action(PHASE_LEADER, "request.endorse", request_id), clock)
    assert again.outcome is None  # the second click of a decision changes nothing, cards included


async def test_decision_cards_follow_their_request_and_a_list_of_requests_does_not(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock, courier: FakeCourier
) -> None:
    request_id = await send_request(conversation, database, clock)
    await deliver(database, school, clock, courier)
    [card] = [read_notice(row).reply for row in await fetch_outbox(database) if row.recipient_email == PHASE_LEADER]
    assert card.follows == Follow(request_id=request_id)
    listing = await conversation.show_my_requests(person(PHASE_LEADER), clock.now())
    assert "request.endorse" in buttons(listing) and listing.follows is None


async def test_the_card_a_person_sees_now_depends_on_who_they_are(
    conversation: RequestConversation, clock: FakeClock
) -> None:
    request_id = await send_request_plain(conversation, clock)
    value = str(request_id)
    leader = await conversation.card_for(person(PHASE_LEADER), value, clock.now())
    assert buttons(leader) == ["request.endorse", "request.decline"] and leader.follows is not None
    head = await conversation.card_for(person(HEAD), value, clock.now())
    assert not buttons(head) and "waiting for Priya Shah" in head.text
    mine = await conversation.card_for(person(TEACHER), value, clock.now())
    assert buttons(mine) == ["request.cancel"] and mine.follows == Follow(request_id=request_id)
    other = await conversation.card_for(person(OTHER_TEACHER), value, clock.now())
    assert not buttons(other) and "can't find a request" in other.text


async def send_request_plain(conversation: RequestConversation, clock: FakeClock) -> int:
    sent = await click(conversation, action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock)
    assert sent.follows is not None
    return sent.follows.request_id


async def test_a_form_offered_under_an_answer_keeps_the_answer_and_a_decision_does_not(
    conversation: RequestConversation, school: School, clock: FakeClock
) -> None:
    assistant = Assistant(Router.from_folder(school.folder), clock, school.calendar.zone, requests=conversation)
    for request_type in ("wfh", "equipment_loan"):
        [form] = await assistant.handle(action(TEACHER, START_REQUEST, json.dumps({"type": request_type})))
        assert any(isinstance(block, FormBlock) for block in form.blocks) and form.keeps_card, request_type
    request_id = await send_request_plain(conversation, clock)
    [endorsed] = await assistant.handle(action(PHASE_LEADER, "request.endorse", request_id))
    assert not endorsed.keeps_card and endorsed.outcome is not None
    assert await assistant.current_card(person(PHASE_LEADER), str(request_id)) is not None
    without_requests = Assistant(assistant.router, clock, school.calendar.zone)
    assert await without_requests.current_card(person(PHASE_LEADER), str(request_id)) is None
