"""Words for a stored request: its facts, who it waits for, and who already decided it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.requests.cards import format_time
from bot.requests.kinds.base import Agreement, Fact
from bot.requests.kinds.fields import describe_days
from bot.requests.kinds.registry import context_for
from bot.requests.records import RequestRecord
from bot.requests.states import RequestEvent, RequestState
from bot.school import School
from bot.store.tables import AuditRow

_PAST_TENSE = {
    RequestEvent.SUBMIT: "sent",
    RequestEvent.ENDORSE: "endorsed",
    RequestEvent.APPROVE: "approved",
    RequestEvent.DECLINE: "declined",
    RequestEvent.CANCEL: "cancelled",
    RequestEvent.EXPIRE: "expired undecided",
    RequestEvent.REMIND: "reminded",
    RequestEvent.ACCEPT_AGREEMENT: "accepted",
}
#: Who the audit log names when the bot itself acted (reminders, expiry).
SYSTEM_ACTOR = "staffroom"


def name_of(school: School, email: str) -> str:
    member = school.directory.get(email)
    return member.name if member else email


def describe_when(row: RequestRecord) -> str:
    """ "Fri 27 Nov 2026, morning", "Mon 30 Nov – Fri 4 Dec 2026", "Every Friday, 27 Nov – 18 Dec 2026"."""
    part = row.details.get("part_of_day")
    return describe_days(row.start_date, row.end_date, row.weekday, str(part) if part else None)


def describe_status(school: School, row: RequestRecord) -> str:
    if row.state == RequestState.PENDING.value:
        return f"waiting for {name_of(school, row.chain[row.step])}"
    if row.state == RequestState.APPROVED.value and row.agreement_accepted_at is None:
        agreement = agreement_of(school, row.type)
        if agreement is not None:
            return agreement.waiting_status
    return row.state


def agreement_of(school: School, type_name: str) -> Agreement | None:
    """The terms the requester accepts after approval, if the request type asks for any."""
    found = context_for(school, type_name)
    return found[0].agreement(found[1]) if found is not None else None


def describe_facts(
    school: School, row: RequestRecord, *, with_status: bool = True, with_reasons: bool = True
) -> list[Fact]:
    """The request's facts: who asked, what the kind says of it, any flags, and its status.

    The reason and note (private facts) are for the requester and the approval chain (and their
    delegates): pass `with_reasons=False` for anyone else (a post told of an approved loan).
    """
    found = context_for(school, row.type)
    requester = school.directory.get(row.requester_email)
    who = f"{requester.name}, {requester.job_title}" if requester else row.requester_email
    facts = [
        Fact("Request", f"#{row.id}"),
        Fact("Type", found[1].config.label if found else row.type),
        Fact("From", who),
    ]
    if found is not None:
        kind, context = found
        facts += kind.facts(context, row.details, row.start_date, row.end_date, row.weekday, row.note)
    else:
        facts += [Fact("When", describe_when(row)), Fact("Note", row.note, private=True)]
    flags = row.details.get("flags") or []
    if flags:
        facts.append(Fact("Please note", "; ".join(str(flag) for flag in flags)))
    if with_status:
        facts.append(Fact("Status", describe_status(school, row)))
    if not with_reasons:
        facts = [fact for fact in facts if not fact.private]
    return facts


async def last_audit(
    session: AsyncSession,
    request_id: int,
    event: RequestEvent | None = None,
    step: int | None = None,
) -> AuditRow | None:
    query = select(AuditRow).where(AuditRow.request_id == request_id)
    if event is not None:
        query = query.where(AuditRow.event == event.value)
    if step is not None:
        query = query.where(AuditRow.step == step)
    return await session.scalar(query.order_by(AuditRow.id.desc()).limit(1))


def describe_audit(school: School, row: RequestRecord, audit: AuditRow | None, now: datetime) -> str:
    """ "Request #12 was already approved by Helen Okafor at 09:14."."""
    if audit is None:
        return f"Request #{row.id} is {row.state}."
    verb = _PAST_TENSE[RequestEvent(audit.event)]
    when = format_time(school, audit.at, now)
    if audit.actor_email == SYSTEM_ACTOR:
        return f"Request #{row.id} already {verb} at {when}."
    return f"Request #{row.id} was already {verb} by {name_of(school, audit.actor_email)} at {when}."


def describe_outcome(school: School, row: RequestRecord, audit: AuditRow | None, now: datetime) -> str:
    """ "Request #12 was approved by Helen Okafor at 09:14." (for the requester: no "already")."""
    if audit is None:
        return f"Request #{row.id} is {row.state}."
    verb = _PAST_TENSE[RequestEvent(audit.event)]
    when = format_time(school, audit.at, now)
    if audit.actor_email == SYSTEM_ACTOR:
        return f"Request #{row.id} {verb} at {when}."
    who = "you" if audit.actor_email == row.requester_email else name_of(school, audit.actor_email)
    return f"Request #{row.id} was {verb} by {who} at {when}."
