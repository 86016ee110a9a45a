"""Erasure: one person's personal data removed or replaced by a pseudonym, in one transaction.

Their email becomes "former staff member 7f3a" wherever a record of a decision needs a
name (their requests, audit entries, approval chains, check-ins), so the audit chain stays
whole; the notes of their requests and of every audit entry on them are emptied, and the
free text in their requests' details dropped; their chat accounts (with the conversation
references) and every message to them or about them are deleted. Their decline reasons on
other people's requests stay: they are part of that other person's record.

Refused while they hold a post in school.yaml, stand in for or manage someone there, or
have requests waiting for their decision, or pending requests of their own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.holdings import Holdings, find_holdings
from bot.privacy.release import audit_released
from bot.requests.chains import may_decide
from bot.requests.kinds.registry import chosen_details
from bot.requests.states import RequestState
from bot.school import School
from bot.store.database import Database
from bot.store.tables import AuditRow, CheckInRow, OutboxRow, PlatformAccountRow, RequestRow

PSEUDONYM_PREFIX = "former staff member "


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure would do, or why it may not happen yet."""

    held: Holdings
    refusals: tuple[str, ...]

    @property
    def nothing_held(self) -> bool:
        return self.held.is_empty

    def describe(self) -> list[str]:
        held = self.held
        audit = sum(len(entries) for entries in held.audit.values())
        return [
            f"{len(held.requests)} request(s) of theirs: notes emptied, free text in details dropped, "
            f"their email replaced by a pseudonym",
            f"{audit} audit entr(ies) on those requests: notes emptied, kept with the pseudonym",
            f"{len(held.decisions)} decision(s) they made on others' requests: kept with the pseudonym",
            f"{len(held.in_chains)} other request(s) naming them as an approver: the pseudonym instead",
            f"{len(held.check_ins_about) + len(held.check_ins_recorded)} check-in record(s): the pseudonym instead",
            f"{len(held.accounts)} chat account(s) and their conversation references: deleted",
            f"{len(held.messages_to)} message(s) to them: deleted",
            f"{len(held.messages_about)} message(s) to others about them: deleted",
        ]


def refusals_for(school: School, held: Holdings, pending: list[RequestRow], now: datetime) -> list[str]:
    """Why `held.email` can't be erased yet, each with what to do."""
    email, directory = held.email, school.directory
    day = school.calendar.local_date(now)
    reasons = [f"they hold the post of {role.value} in school.yaml (roles:); give it to someone else first"
               for role in directory.roles_of(email)]
    for delegation in school.config.delegates:
        if email in (delegation.approver, delegation.delegate):
            reasons.append(f"they are in a delegation in school.yaml (delegates:, {delegation.start} to "
                           f"{delegation.end}); remove it first")
    managed = sorted(member.name for member in directory if member.line_manager == email)
    if managed:
        reasons.append(f"they are the line manager of {', '.join(managed)} in school.yaml; change that first")
    waiting = [row.id for row in pending if row.requester_email != email and (
        may_decide(school, row.chain[row.step], email, day) or email in row.chain[row.step:])]
    if waiting:
        reasons.append("requests are waiting for their decision: "
                       + ", ".join(f"#{request_id}" for request_id in waiting))
    own = [row.id for row in pending if row.requester_email == email]
    if own:
        reasons.append("their own requests are still pending: " + ", ".join(f"#{i}" for i in own)
                       + " (they can cancel them, or wait until they expire)")
    return reasons


async def plan_erasure(session: AsyncSession, school: School, email: str, now: datetime,
                       name: str | None = None) -> ErasurePlan:
    held = await find_holdings(session, school, email, name)
    pending = list(await session.scalars(select(RequestRow).where(
        RequestRow.school_id == school.id, RequestRow.state == RequestState.PENDING.value).order_by(RequestRow.id)))
    return ErasurePlan(held, tuple(refusals_for(school, held, pending, now)))


async def _new_pseudonym(session: AsyncSession) -> str:
    while True:
        candidate = PSEUDONYM_PREFIX + secrets.token_hex(2)
        taken = await session.scalar(select(AuditRow.id).where(AuditRow.actor_email == candidate).limit(1))
        taken = taken or await session.scalar(
            select(RequestRow.id).where(RequestRow.requester_email == candidate).limit(1))
        taken = taken or await session.scalar(select(CheckInRow.id).where(
            or_(CheckInRow.staff_email == candidate, CheckInRow.manager_email == candidate)).limit(1))
        if not taken:
            return candidate


async def erase(database: Database, school: School, email: str, now: datetime,
                name: str | None = None) -> tuple[ErasurePlan, str | None]:
    """Erase in one transaction; the plan, and the pseudonym used (None when refused or nothing held)."""
    async with database.transaction() as session:
        plan = await plan_erasure(session, school, email, now, name)
        if plan.refusals or plan.nothing_held:
            return plan, None
        pseudonym = await _new_pseudonym(session)
        await _apply(session, school, plan.held, pseudonym, now)
    return plan, pseudonym


async def _apply(session: AsyncSession, school: School, held: Holdings, pseudonym: str, now: datetime) -> None:
    email, school_id = held.email, school.id
    for row in held.requests:
        row.requester_email = pseudonym
        row.note = ""
        # Choices from a list stay (part of day, type of leave); free text goes.
        kept = chosen_details(school, row.type)
        row.details = {key: value for key, value in row.details.items() if key in kept}
        row.chain = [pseudonym if entry == email else entry for entry in row.chain]
        if row.decided_by == email:
            row.decided_by = pseudonym
    own_ids = [row.id for row in held.requests]
    async with audit_released(session, "erase", now):
        if own_ids:
            await session.execute(update(AuditRow).where(AuditRow.request_id.in_(own_ids)).values(note=""))
        await session.execute(update(AuditRow).where(AuditRow.school_id == school_id, AuditRow.actor_email == email)
                              .values(actor_email=pseudonym))
    for row in held.in_chains:
        row.chain = [pseudonym if entry == email else entry for entry in row.chain]
        if row.decided_by == email:
            row.decided_by = pseudonym
    for check_in in held.check_ins_about:
        check_in.staff_email = pseudonym
    for check_in in held.check_ins_recorded:
        check_in.manager_email = pseudonym
    message_ids = [row.id for row in (*held.messages_to, *held.messages_about)]
    if message_ids:
        await session.execute(delete(OutboxRow).where(OutboxRow.id.in_(message_ids)))
    account_ids = [row.id for row in held.accounts]
    if account_ids:
        await session.execute(delete(PlatformAccountRow).where(PlatformAccountRow.id.in_(account_ids)))
    await session.flush()
