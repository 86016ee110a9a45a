"""When a message can't be delivered: tell the person who asked and the school's admin.

Nothing is dropped silently. The dead letter stays in the outbox (`staffroom outbox`), and in
the same transaction the requester (for a message about their request) and the school's
admin — the directory contact named in school.yaml, else the headteacher — are told.
These notices never cause notices of their own: a loop can't start.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Notice, Reply, TextBlock
from bot.school import Role, School, StaffMember
from bot.store.outbox import add_notice_once
from bot.store.tables import OutboxRow, RequestRow

#: The reason on notices about undeliverable messages (never themselves reported).
FAILED_REASON = "delivery.failed"
_EMAIL = re.compile(r"[^@\s<>()\[\],;]+@[^@\s<>()\[\],;]+\.[^@\s<>()\[\],;]+")


def school_admin(school: School) -> StaffMember | None:
    """Who looks after accounts: the directory contact when it names someone in the directory, else the head."""
    for found in _EMAIL.findall(school.config.directory_contact):
        member = school.directory.get(found)
        if member is not None:
            return member
    return school.directory.holder_of(Role.HEADTEACHER)


def _name(school: School | None, email: str) -> str:
    member = school.directory.get(email) if school else None
    return member.name if member else email


def _text(text: str) -> Reply:
    return Reply(text=text, blocks=(TextBlock(text=text),))


async def tell_about_dead_letter(
    session: AsyncSession, school: School | None, row: OutboxRow, cause: str, now: datetime
) -> int:
    """Queue the notices about dead letter `row` (in the caller's transaction); returns how many."""
    if school is None or row.reason.startswith("delivery."):
        return 0
    recipient = _name(school, row.recipient_email)
    notices: list[Notice] = []
    requester: str | None = None
    if row.request_id is not None:
        request = await session.get(RequestRow, row.request_id)
        requester = request.requester_email if request is not None else None
    if requester and requester != row.recipient_email:
        notices.append(Notice(
            recipient_email=requester,
            reply=_text(f"I couldn't deliver a message about your request #{row.request_id} to {recipient} "
                        f"({cause}). Please tell them directly; {school.config.directory_contact} has been told too."),
            reason=FAILED_REASON,
        ))
    admin = school_admin(school)
    if admin is not None and admin.email == row.recipient_email:
        admin = school.directory.holder_of(Role.HEADTEACHER)
    if admin is not None and admin.email != row.recipient_email:
        notices.append(Notice(
            recipient_email=admin.email,
            reply=_text(f"I couldn't deliver a message to {recipient} ({cause}). It is kept as dead letter "
                        f"#{row.id}: `staffroom outbox` lists it, and `staffroom outbox retry {row.id}` sends it "
                        "again once they have opened Staffroom in Slack or Teams."),
            reason=FAILED_REASON,
        ))
    queued = 0
    for notice in notices:
        queued += await add_notice_once(
            session, row.school_id, notice, dedupe_key=f"{FAILED_REASON}:{row.id}:{notice.recipient_email}",
            now=now, deliver_after=school.calendar.deliver_at(now), request_id=row.request_id,
        )
    return queued
