"""The request state machine: states, events, the table of allowed transitions, and the one
function that applies a transition.

```mermaid
stateDiagram-v2
    [*] --> pending: submit
    pending --> pending: endorse (next approver) / remind
    pending --> approved: approve (last approver)
    pending --> declined: decline (with a reason)
    pending --> cancelled: cancel (requester)
    pending --> expired: the day passed undecided
    approved --> approved: accept loan agreement
    approved --> cancelled: cancel before the day (requester)
    approved --> [*]
    declined --> [*]
    cancelled --> [*]
    expired --> [*]
```

`apply_transition` is the only code that changes a request's state. It runs inside the
caller's transaction, changes the row with a conditional UPDATE (… WHERE state = expected AND
step = expected), and only if that UPDATE matched a row does it append to the audit log and
queue the notices. Two clicks racing on two connections therefore give one change: the
loser's UPDATE matches nothing and it is told so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import WorkflowError
from bot.messages import Notice
from bot.store.outbox import add_notices
from bot.store.tables import AuditRow, RequestRow


class RequestState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class RequestEvent(StrEnum):
    SUBMIT = "submit"
    ENDORSE = "endorse"
    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    EXPIRE = "expire"
    REMIND = "remind"
    ACCEPT_AGREEMENT = "accept_agreement"


S = RequestState
E = RequestEvent

#: (state now, event) -> state after. Anything not listed is not allowed.
TRANSITIONS: Mapping[tuple[RequestState, RequestEvent], RequestState] = {
    (S.PENDING, E.ENDORSE): S.PENDING,
    (S.PENDING, E.REMIND): S.PENDING,
    (S.PENDING, E.APPROVE): S.APPROVED,
    (S.PENDING, E.DECLINE): S.DECLINED,
    (S.PENDING, E.CANCEL): S.CANCELLED,
    (S.PENDING, E.EXPIRE): S.EXPIRED,
    (S.APPROVED, E.ACCEPT_AGREEMENT): S.APPROVED,
    (S.APPROVED, E.CANCEL): S.CANCELLED,
}

#: States a request never leaves.
FINAL_STATES = frozenset({S.DECLINED, S.CANCELLED, S.EXPIRED})


def next_state(state: RequestState, event: RequestEvent) -> RequestState:
    """The state `event` leads to from `state`, or `WorkflowError` if the table forbids it."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise WorkflowError(f"a {state} request cannot take '{event}'") from None


def is_allowed(state: RequestState, event: RequestEvent) -> bool:
    return (state, event) in TRANSITIONS


@dataclass(frozen=True, slots=True)
class Transition:
    """A change to apply to one request, as its state and step were when it was read."""

    request_id: int
    school_id: str
    event: RequestEvent
    expected_state: RequestState
    expected_step: int
    actor_email: str
    note: str = ""


def append_audit(
    session: AsyncSession,
    *,
    request_id: int,
    school_id: str,
    actor_email: str,
    at: datetime,
    event: RequestEvent,
    from_state: RequestState | None,
    to_state: RequestState,
    step: int,
    note: str = "",
) -> None:
    """Add one line to the audit log (the table refuses updates and deletes)."""
    session.add(
        AuditRow(
            request_id=request_id,
            school_id=school_id,
            actor_email=actor_email,
            at=at,
            event=event.value,
            from_state=from_state.value if from_state else None,
            to_state=to_state.value,
            step=step,
            note=note,
        )
    )


async def apply_transition(
    session: AsyncSession,
    transition: Transition,
    *,
    now: datetime,
    changes: Mapping[str, Any] | None = None,
    guards: Sequence[ColumnElement[bool]] = (),
    notices: Sequence[Notice] = (),
    deliver_after: datetime | None = None,
) -> bool:
    """Apply `transition` if the request is still as expected; False (and no change) if not.

    `changes` are extra columns to set (the next step, who decided); `guards` extra
    conditions the row must meet (not yet reminded at this step, agreement not yet accepted).
    Runs in the caller's transaction: the audit line and notices commit with the change or not
    at all.
    """
    target = next_state(transition.expected_state, transition.event)
    values: dict[str, Any] = {"state": target.value, "updated_at": now, **(changes or {})}
    result = await session.execute(
        update(RequestRow)
        .where(
            RequestRow.id == transition.request_id,
            RequestRow.school_id == transition.school_id,
            RequestRow.state == transition.expected_state.value,
            RequestRow.step == transition.expected_step,
            *guards,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    append_audit(
        session,
        request_id=transition.request_id,
        school_id=transition.school_id,
        actor_email=transition.actor_email,
        at=now,
        event=transition.event,
        from_state=transition.expected_state,
        to_state=target,
        step=transition.expected_step,
        note=transition.note,
    )
    add_notices(
        session,
        transition.school_id,
        notices,
        now=now,
        deliver_after=deliver_after or now,
        request_id=transition.request_id,
    )
    return True
