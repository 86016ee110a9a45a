"""Everything the database holds about one person, found once for subject access and for erasure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.school import School, StaffMember
from bot.store.tables import AuditRow, CheckInRow, OutboxRow, PlatformAccountRow, RequestRow


@dataclass
class Holdings:
    """One person's rows, by what they are to that person."""

    email: str
    member: StaffMember | None
    accounts: list[PlatformAccountRow] = field(default_factory=list)
    #: Their own requests, and every audit entry of each (by request id).
    requests: list[RequestRow] = field(default_factory=list)
    audit: dict[int, list[AuditRow]] = field(default_factory=dict)
    #: Their decisions (endorse, approve, decline) on other people's requests, with those requests.
    decisions: list[tuple[AuditRow, RequestRow]] = field(default_factory=list)
    #: Other people's requests whose approval chain names them.
    in_chains: list[RequestRow] = field(default_factory=list)
    check_ins_about: list[CheckInRow] = field(default_factory=list)
    check_ins_recorded: list[CheckInRow] = field(default_factory=list)
    messages_to: list[OutboxRow] = field(default_factory=list)
    #: Messages to other people that are about their requests or quote their name or email.
    messages_about: list[OutboxRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.member is None and not any(
            (self.accounts, self.requests, self.decisions, self.in_chains, self.check_ins_about,
             self.check_ins_recorded, self.messages_to, self.messages_about)
        )


def normalise_email(text: str) -> str:
    return text.strip().lower()


async def find_holdings(session: AsyncSession, school: School, email: str, name: str | None = None) -> Holdings:
    """Every row about `email` in `school`; the person need not be in the directory any more.

    Messages to others are found by request, by email, and by name (`name`, else the directory's).
    """
    email = normalise_email(email)
    held = Holdings(email=email, member=school.directory.get(email))
    sid = school.id
    held.accounts = list(await session.scalars(
        select(PlatformAccountRow).where(PlatformAccountRow.school_id == sid, PlatformAccountRow.email == email)
        .order_by(PlatformAccountRow.id)))
    held.requests = list(await session.scalars(
        select(RequestRow).where(RequestRow.school_id == sid, RequestRow.requester_email == email)
        .order_by(RequestRow.id)))
    own_ids = [row.id for row in held.requests]
    if own_ids:
        for entry in await session.scalars(
                select(AuditRow).where(AuditRow.request_id.in_(own_ids)).order_by(AuditRow.id)):
            held.audit.setdefault(entry.request_id, []).append(entry)
    decided = await session.execute(
        select(AuditRow, RequestRow).join(RequestRow, RequestRow.id == AuditRow.request_id)
        .where(AuditRow.school_id == sid, AuditRow.actor_email == email, RequestRow.requester_email != email)
        .order_by(AuditRow.id))
    held.decisions = [(entry, request) for entry, request in decided.all()]
    # The chain is JSON; a text filter in the database first, then the exact check.
    candidates = await session.scalars(
        select(RequestRow).where(RequestRow.school_id == sid, RequestRow.requester_email != email,
                                 cast(RequestRow.chain, Text).contains(email, autoescape=True))
        .order_by(RequestRow.id))
    held.in_chains = [row for row in candidates if email in row.chain]
    held.check_ins_about = list(await session.scalars(
        select(CheckInRow).where(CheckInRow.school_id == sid, CheckInRow.staff_email == email)
        .order_by(CheckInRow.day)))
    held.check_ins_recorded = list(await session.scalars(
        select(CheckInRow).where(CheckInRow.school_id == sid, CheckInRow.manager_email == email)
        .order_by(CheckInRow.day)))
    held.messages_to = list(await session.scalars(
        select(OutboxRow).where(OutboxRow.school_id == sid, OutboxRow.recipient_email == email)
        .order_by(OutboxRow.id)))
    mentions = [OutboxRow.reply.contains(email, autoescape=True),
                OutboxRow.dedupe_key.contains(email, autoescape=True)]
    name = name or (held.member.name if held.member is not None else None)
    if name:
        mentions.append(OutboxRow.reply.contains(json.dumps(name.strip())[1:-1], autoescape=True))
    if own_ids:
        mentions.append(OutboxRow.request_id.in_(own_ids))
    held.messages_about = list(await session.scalars(
        select(OutboxRow).where(OutboxRow.school_id == sid, OutboxRow.recipient_email != email, or_(*mentions))
        .order_by(OutboxRow.id)))
    return held
