"""Timed work on requests: remind slow approvers, expire requests whose day has passed.

Run `send_reminders` and `expire_overdue` every few minutes from any instance: each change
is a conditional UPDATE, so two instances running them at once still act once.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import or_, select

from bot.requests.describe import SYSTEM_ACTOR, name_of
from bot.requests.notices import notify_approver, notify_people, notify_requester
from bot.requests.records import RequestRecord
from bot.requests.states import RequestEvent, RequestState, Transition, apply_transition
from bot.requests.workflow import RequestWorkflow
from bot.store.tables import RequestRow


async def _pending(workflow: RequestWorkflow) -> list[RequestRecord]:
    async with workflow.database.reading() as session:
        rows = await session.scalars(
            select(RequestRow).where(
                RequestRow.school_id == workflow.school.id,
                RequestRow.state == RequestState.PENDING.value,
            )
        )
        return [RequestRecord.from_row(row) for row in rows]


async def send_reminders(workflow: RequestWorkflow, now: datetime) -> int:
    """Remind each approver once per step after the school's number of working hours; returns how many."""
    school = workflow.school
    hours = school.config.reminder_after_working_hours
    sent = 0
    for request in await _pending(workflow):
        if request.reminded_step == request.step:
            continue
        if school.calendar.add_working_hours(request.step_started_at, hours) > now:
            continue
        async with workflow.database.transaction() as session:
            applied = await apply_transition(
                session,
                Transition(
                    request.id,
                    school.id,
                    RequestEvent.REMIND,
                    RequestState.PENDING,
                    request.step,
                    SYSTEM_ACTOR,
                ),
                now=now,
                changes={"reminded_step": request.step},
                guards=(or_(RequestRow.reminded_step.is_(None), RequestRow.reminded_step != request.step),),
                notices=notify_approver(school, workflow.library, request, workflow.today(now), reminder=True),
                deliver_after=school.calendar.deliver_at(now),
            )
        sent += applied
    return sent


async def expire_overdue(workflow: RequestWorkflow, now: datetime) -> int:
    """Expire pending requests whose first day has passed undecided; both sides are told."""
    school = workflow.school
    today = workflow.today(now)
    expired = 0
    for request in await _pending(workflow):
        if request.start_date >= today:
            continue
        after = dataclasses.replace(request, state=RequestState.EXPIRED.value)
        approver = name_of(school, request.approver)
        notices = [
            notify_requester(
                school,
                after,
                f"Request #{request.id} expired: its day passed before {approver} decided it.",
                "request.expired",
            ),
            *notify_people(
                [request.approver],
                f"Request #{request.id} from {name_of(school, request.requester_email)} expired undecided.",
                "request.expired",
            ),
        ]
        async with workflow.database.transaction() as session:
            applied = await apply_transition(
                session,
                Transition(
                    request.id,
                    school.id,
                    RequestEvent.EXPIRE,
                    RequestState.PENDING,
                    request.step,
                    SYSTEM_ACTOR,
                ),
                now=now,
                notices=notices,
                deliver_after=school.calendar.deliver_at(now),
            )
        expired += applied
    return expired
