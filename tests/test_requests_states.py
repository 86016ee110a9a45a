"""The request state machine: the table of transitions and the one function that applies them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from conftest import count_rows, fetch_audit, fetch_request

from bot.errors import WorkflowError
from bot.messages import Notice
from bot.requests.cards import render_text
from bot.requests.states import (
    FINAL_STATES,
    TRANSITIONS,
    RequestEvent,
    RequestState,
    Transition,
    apply_transition,
    is_allowed,
    next_state,
)
from bot.store.database import Database
from bot.store.tables import RequestRow

P, A, D, C, X = (
    RequestState.PENDING,
    RequestState.APPROVED,
    RequestState.DECLINED,
    RequestState.CANCELLED,
    RequestState.EXPIRED,
)
EXPECTED = {
    (P, RequestEvent.ENDORSE): P,
    (P, RequestEvent.REMIND): P,
    (P, RequestEvent.APPROVE): A,
    (P, RequestEvent.DECLINE): D,
    (P, RequestEvent.CANCEL): C,
    (P, RequestEvent.EXPIRE): X,
    (A, RequestEvent.ACCEPT_AGREEMENT): A,
    (A, RequestEvent.CANCEL): C,
}
NOW = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)


def test_transition_table_is_exactly_the_designed_one() -> None:
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize("state", list(RequestState))
@pytest.mark.parametrize("event", list(RequestEvent))
def test_every_pair_is_allowed_only_when_listed(state: RequestState, event: RequestEvent) -> None:
    if (state, event) in EXPECTED:
        assert is_allowed(state, event)
        assert next_state(state, event) is EXPECTED[(state, event)]
    else:
        assert not is_allowed(state, event)
        with pytest.raises(WorkflowError):
            next_state(state, event)


def test_final_states_have_no_way_out() -> None:
    assert {state for state, _ in TRANSITIONS} & FINAL_STATES == set()


async def insert_pending(database: Database) -> int:
    async with database.transaction() as session:
        row = RequestRow(
            school_id="demo",
            type="wfh",
            requester_email="s.carter@oakfield.example",
            state="pending",
            step=0,
            chain=["p.shah@oakfield.example", "h.okafor@oakfield.example"],
            start_date=date(2026, 11, 27),
            end_date=date(2026, 11, 27),
            weekday=None,
            details={},
            note="",
            created_at=NOW,
            updated_at=NOW,
            step_started_at=NOW,
        )
        session.add(row)
        await session.flush()
        return row.id


def notice(email: str) -> Notice:
    return Notice(recipient_email=email, reply=render_text("hello"), reason="test")


async def test_applied_transition_changes_row_audits_and_queues_notices(database: Database) -> None:
    request_id = await insert_pending(database)
    transition = Transition(request_id, "demo", RequestEvent.ENDORSE, P, 0, "p.shah@oakfield.example", "ok")
    async with database.transaction() as session:
        applied = await apply_transition(
            session, transition, now=NOW, changes={"step": 1}, notices=[notice("h.okafor@oakfield.example")]
        )
    assert applied
    assert (await fetch_request(database, request_id)).step == 1
    [audit] = await fetch_audit(database, request_id)
    assert (audit.event, audit.from_state, audit.to_state, audit.actor_email, audit.step, audit.note) == (
        "endorse",
        "pending",
        "pending",
        "p.shah@oakfield.example",
        0,
        "ok",
    )
    assert (await count_rows(database))["outbox"] == 1


async def test_stale_step_or_state_changes_nothing(database: Database) -> None:
    request_id = await insert_pending(database)
    stale_step = Transition(request_id, "demo", RequestEvent.APPROVE, P, 1, "h.okafor@oakfield.example")
    wrong_school = Transition(request_id, "other", RequestEvent.APPROVE, P, 0, "h.okafor@oakfield.example")
    for transition in (stale_step, wrong_school):
        async with database.transaction() as session:
            assert not await apply_transition(session, transition, now=NOW, notices=[notice("x@y.example")])
    assert (await fetch_request(database, request_id)).state == "pending"
    assert await count_rows(database) == {"requests": 1, "audit_log": 0, "outbox": 0}


async def test_a_transition_the_table_forbids_raises_before_touching_the_database(database: Database) -> None:
    request_id = await insert_pending(database)
    transition = Transition(request_id, "demo", RequestEvent.ACCEPT_AGREEMENT, P, 0, "s.carter@oakfield.example")
    with pytest.raises(WorkflowError):
        async with database.transaction() as session:
            await apply_transition(session, transition, now=NOW)
    assert (await fetch_request(database, request_id)).state == "pending"
