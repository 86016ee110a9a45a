"""Words for a stored request: its facts, who it waits for, and who already decided it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.requests.cards import format_time
from bot.requests.drafts import ITEM_LABELS, PART_OF_DAY_LABELS, REASON_LABELS
from bot.requests.records import RequestRecord
from bot.requests.states import RequestEvent, RequestState
from bot.school import School
from bot.store.tables import AuditRow
from intents.routing import PartOfDay, ReasonCategory

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
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
    if row.weekday is not None:
        text = f"Every {_WEEKDAY_NAMES[row.weekday]}, {row.start_date:%-d %b} – {row.end_date:%-d %b %Y}"
    elif row.end_date != row.start_date:
        text = f"{row.start_date:%a %-d %b} – {row.end_date:%a %-d %b %Y}"
    else:
        text = f"{row.start_date:%a %-d %b %Y}"
    part = row.details.get("part_of_day")
    if part and part != PartOfDay.WHOLE_DAY.value:
        text += f", {PART_OF_DAY_LABELS[PartOfDay(part)].lower()}"
    return text


def describe_status(school: School, row: RequestRecord) -> str:
    if row.state == RequestState.PENDING.value:
        return f"waiting for {name_of(school, row.chain[row.step])}"
    if row.state == RequestState.APPROVED.value and _needs_agreement(school, row):
        return "approved; loan agreement not yet accepted"
    return row.state


def _needs_agreement(school: School, row: RequestRecord) -> bool:
    request_type = school.config.request_types.get(row.type)
    return bool(request_type and request_type.agreement and row.agreement_accepted_at is None)


#: Facts that carry the requester's reason or note: only for the requester and the approval chain.
PRIVATE_FACTS = frozenset({"Why", "Reason", "Note"})


def describe_facts(
    school: School, row: RequestRecord, *, with_status: bool = True, with_reasons: bool = True
) -> list[tuple[str, str]]:
    """The request's facts as label/value pairs.

    The reason and note are for the requester and the approval chain (and their delegates):
    pass `with_reasons=False` for anyone else (a post told of an approved loan).
    """
    request_type = school.config.request_types.get(row.type)
    requester = school.directory.get(row.requester_email)
    who = f"{requester.name}, {requester.job_title}" if requester else row.requester_email
    facts = [
        ("Request", f"#{row.id}"),
        ("Type", request_type.label if request_type else row.type),
        ("From", who),
    ]
    if "item" in row.details:
        facts += [
            ("Item", ITEM_LABELS.get(str(row.details["item"]), str(row.details["item"]))),
            ("Needed from", f"{row.start_date:%a %-d %b %Y}"),
            ("Why", row.note),
        ]
    else:
        reason = row.details.get("reason_category")
        facts += [
            ("When", describe_when(row)),
            ("Reason", REASON_LABELS[ReasonCategory(reason)] if reason else ""),
            ("Note", row.note),
        ]
    flags = row.details.get("flags") or []
    if flags:
        facts.append(("Please note", "; ".join(str(flag) for flag in flags)))
    if with_status:
        facts.append(("Status", describe_status(school, row)))
    if not with_reasons:
        facts = [(label, value) for label, value in facts if label not in PRIVATE_FACTS]
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
