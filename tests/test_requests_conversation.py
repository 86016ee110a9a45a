"""The conversational side: pre-filled forms, "my requests", and people not in the directory."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from conftest import HEAD, OTHER_TEACHER, PHASE_LEADER, STRANGER, TEACHER, action, count_rows, person, wfh_inputs

from bot.assistant import slots_to_json
from bot.clock import FakeClock
from bot.messages import ButtonsBlock, FieldsBlock, FormBlock, Person, Reply
from bot.requests.conversation import RequestConversation, is_request_action
from bot.store.database import Database
from intents.routing import PartOfDay, ReasonCategory, RequestSlots, WhenSlots


def button_value(type_name: str, slots: RequestSlots | None = None) -> str:
    """What a form-opening button carries: the request type and the router's slots to pre-fill with."""
    return json.dumps({**slots_to_json(slots), "type": type_name})


def form_of(reply: Reply) -> FormBlock:
    [form] = [b for b in reply.blocks if isinstance(b, FormBlock)]
    return form


def initial(form: FormBlock) -> dict[str, str | None]:
    return {i.name: i.initial for i in form.inputs}


def test_wfh_form_is_prefilled_from_the_router_slots(conversation: RequestConversation, clock: FakeClock) -> None:
    slots = RequestSlots(
        when=WhenSlots(start=date(2026, 11, 25), part_of_day=PartOfDay.AFTERNOON, text="Wednesday afternoon"),
        reason_category=ReasonCategory.SPECIFIC_TASK,
    )
    form = form_of(conversation.offer_form(person(TEACHER), button_value("wfh", slots), clock.now()))
    assert form.title == "Request to work from home"
    assert (form.submit_action_id, form.value) == ("request.submit", "wfh")
    assert initial(form) == {
        "start": "2026-11-25",
        "end": None,
        "repeat": "once",
        "part_of_day": "afternoon",
        "reason_category": "specific_task",
        "note": None,
    }
    kinds = {i.name: i.kind for i in form.inputs}
    assert kinds == {
        "start": "date",
        "end": "date",
        "repeat": "choice",
        "part_of_day": "choice",
        "reason_category": "choice",
        "note": "text",
    }
    assert {i.name: i.min_date for i in form.inputs}["start"] == date(2026, 11, 23)
    assert {i.name: i.max_length for i in form.inputs}["note"] == 1000


def test_weekly_slots_prefill_a_weekly_form_to_the_end_of_term(
    conversation: RequestConversation, clock: FakeClock
) -> None:
    slots = RequestSlots(when=WhenSlots(weekday=4, until_term_end=True, text="every Friday this half-term"))
    values = initial(form_of(conversation.offer_form(person(TEACHER), button_value("wfh", slots), clock.now())))
    assert (values["start"], values["end"], values["repeat"]) == ("2026-11-27", "2026-12-18", "weekly")


def test_empty_slots_suggest_the_next_school_day(conversation: RequestConversation, clock: FakeClock) -> None:
    values = initial(form_of(conversation.offer_form(person(TEACHER), button_value("wfh", None), clock.now())))
    assert values["start"] == "2026-11-24"
    assert values["part_of_day"] == "whole_day"
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # a Friday: next school day is Monday
    values = initial(form_of(conversation.offer_form(person(TEACHER), button_value("wfh", None), clock.now())))
    assert values["start"] == "2026-11-30"


def test_loan_form_asks_what_and_why(conversation: RequestConversation, clock: FakeClock) -> None:
    form = form_of(conversation.offer_form(person(TEACHER), button_value("equipment_loan"), clock.now()))
    assert form.value == "equipment_loan"
    assert [i.name for i in form.inputs] == ["item", "needed_from", "why"]
    assert [c.value for c in form.inputs[0].choices] == ["laptop", "tablet", "other"]


def test_someone_not_in_the_directory_is_told_who_adds_them(
    conversation: RequestConversation, clock: FakeClock
) -> None:
    stranger = Person(platform="slack", user_id="U0NEW", email=STRANGER)
    reply = conversation.offer_form(stranger, button_value("wfh"), clock.now())
    assert "can't find you under nobody@elsewhere.example" in reply.text
    assert "Olu Adeyemi, School Business Manager" in reply.text
    assert not any(isinstance(b, FormBlock) for b in reply.blocks)


async def test_my_requests_lists_own_with_cancel_and_those_awaiting_me(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())
    await conversation.handle_action(
        action(PHASE_LEADER, "request.submit", "wfh", **wfh_inputs(start="2026-12-01")), clock.now()
    )

    mine = await conversation.show_my_requests(person(TEACHER), clock.now())
    assert mine.text == "You have 1 request(s), 1 open; 0 waiting for your decision."
    assert [b.action_id for blk in mine.blocks if isinstance(blk, ButtonsBlock) for b in blk.buttons] == [
        "request.cancel"
    ]

    leader = await conversation.show_my_requests(person(PHASE_LEADER), clock.now())
    assert leader.text == "You have 1 request(s), 1 open; 1 waiting for your decision."
    actions = [(b.action_id, b.value) for blk in leader.blocks if isinstance(blk, ButtonsBlock) for b in blk.buttons]
    assert actions == [("request.cancel", "2"), ("request.endorse", "1"), ("request.decline", "1")]
    statuses = [
        f.value for blk in leader.blocks if isinstance(blk, FieldsBlock) for f in blk.fields if f.label == "Status"
    ]
    assert statuses == ["waiting for David Reyes", "waiting for Priya Shah"]


async def test_a_person_sees_nothing_of_other_peoples_requests(
    conversation: RequestConversation, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs()), clock.now())
    other = await conversation.show_my_requests(person(OTHER_TEACHER), clock.now())
    assert other.text == "You have no requests, and none are waiting for you."
    head = await conversation.show_my_requests(person(HEAD), clock.now())  # not their step yet
    assert head.text == "You have no requests, and none are waiting for you."


async def test_decided_requests_show_no_cancel_once_the_day_has_come(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await conversation.handle_action(
        action(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-23")), clock.now()
    )
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), clock.now())
    await conversation.handle_action(action(HEAD, "request.approve", 1), clock.now())
    mine = await conversation.show_my_requests(person(TEACHER), clock.now())
    assert not any(isinstance(b, ButtonsBlock) for b in mine.blocks)
    assert (await count_rows(database))["requests"] == 1


def test_action_ids_are_stable() -> None:
    for action_id in (
        "request.submit",
        "request.endorse",
        "request.approve",
        "request.decline",
        "request.decline_reason",
        "request.cancel",
        "loan.accept",
    ):
        assert is_request_action(action_id)
    assert not is_request_action("policy.more")
