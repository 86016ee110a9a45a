"""The request workflow: submit, endorse, approve, decline, cancel, accept a loan agreement.

Every method checks the verified staff member against the request as stored, never against
what a button claimed. A refusal changes nothing; a change goes through `apply_transition`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Notice, Reply
from bot.requests import cards
from bot.requests.authority import NOT_FOUND, check_decider, is_involved
from bot.requests.chains import NoApprover, resolve_chain
from bot.requests.describe import agreement_of, describe_audit, describe_facts, last_audit, name_of
from bot.requests.drafts import MAX_NOTE_CHARS, Refusal, parse_draft
from bot.requests.flags import flag_already_requested, flag_calendar
from bot.requests.kinds.base import FieldSpec
from bot.requests.kinds.registry import context_for
from bot.requests.notices import (
    notify_approved,
    notify_approver,
    notify_people,
    notify_requester,
    notify_roles,
)
from bot.requests.records import RequestRecord
from bot.requests.states import (
    RequestEvent,
    RequestState,
    Transition,
    append_audit,
    apply_transition,
)
from bot.school import School, StaffMember
from bot.store.database import Database
from bot.store.outbox import add_notices
from bot.store.tables import RequestRow
from intents.policy_library import PolicyLibrary

DECISIONS = frozenset({RequestEvent.ENDORSE, RequestEvent.APPROVE, RequestEvent.DECLINE})


class RequestWorkflow:
    """One school's requests in one database; keep one per school per process."""

    def __init__(self, school: School, database: Database, library: PolicyLibrary | None = None) -> None:
        self.school = school
        self.database = database
        self.library = library

    def today(self, now: datetime) -> date:
        return self.school.calendar.local_date(now)

    async def load(self, session: AsyncSession, request_id: int) -> RequestRecord | None:
        """The request as stored now, if it belongs to this school."""
        row = await session.get(RequestRow, request_id, populate_existing=True)
        return RequestRecord.from_row(row) if row is not None and row.school_id == self.school.id else None

    async def _commit(
        self,
        session: AsyncSession,
        request: RequestRecord,
        event: RequestEvent,
        actor_email: str,
        now: datetime,
        *,
        note: str = "",
        changes: Mapping[str, object] | None = None,
        guards: tuple[ColumnElement[bool], ...] = (),
        notices: list[Notice] | None = None,
    ) -> bool:
        transition = Transition(
            request.id,
            self.school.id,
            event,
            RequestState(request.state),
            request.step,
            actor_email,
            note,
        )
        return await apply_transition(
            session,
            transition,
            now=now,
            changes=changes,
            guards=guards,
            notices=notices or [],
            deliver_after=self.school.calendar.deliver_at(now),
        )

    # --- submit ----------------------------------------------------------------------------

    async def submit(self, member: StaffMember, type_name: str, inputs: Mapping[str, str], now: datetime) -> Reply:
        """Check and store a new request, and queue the first approver's card."""
        draft = parse_draft(self.school, type_name, inputs, self.today(now))
        if isinstance(draft, Refusal):
            return cards.render_text(draft.message)
        chain = resolve_chain(self.school, self.school.config.request_types[type_name], member)
        if isinstance(chain, NoApprover):
            return cards.render_text(f"I can't send this request: {chain.message}. Please ask the school office.")
        async with self.database.transaction() as session:
            flags = flag_calendar(self.school, draft)
            flags += await flag_already_requested(session, self.school, member.email, draft)
            row = RequestRow(
                school_id=self.school.id,
                type=draft.type,
                requester_email=member.email,
                state=RequestState.PENDING.value,
                step=0,
                chain=chain,
                start_date=draft.start,
                end_date=draft.end,
                weekday=draft.weekday,
                details={**draft.details, "flags": flags},
                note=draft.note,
                created_at=now,
                updated_at=now,
                step_started_at=now,
            )
            session.add(row)
            await session.flush()
            request = RequestRecord.from_row(row)
            append_audit(
                session,
                request_id=request.id,
                school_id=self.school.id,
                actor_email=member.email,
                at=now,
                event=RequestEvent.SUBMIT,
                from_state=None,
                to_state=RequestState.PENDING,
                step=0,
            )
            add_notices(
                session,
                self.school.id,
                notify_approver(self.school, self.library, request, self.today(now)),
                now=now,
                deliver_after=self.school.calendar.deliver_at(now),
                request_id=request.id,
            )
        route = " then ".join(name_of(self.school, email) for email in chain)
        return cards.render_status(
            f"Request #{request.id} sent. It goes to {route}.",
            describe_facts(self.school, request),
            [cards.cancel_button(request.id)],
        )

    # --- decide ----------------------------------------------------------------------------

    async def ask_decline_reason(self, member: StaffMember, request_id: int, now: datetime) -> Reply:
        """The decline form, if this person may decline the request now."""
        async with self.database.reading() as session:
            request = await self.load(session, request_id)
            refusal = await check_decider(
                self.school, session, request, member, RequestEvent.DECLINE, self.today(now), now
            )
        return refusal or cards.render_decline_form(request_id)

    async def decide(
        self,
        member: StaffMember,
        request_id: int,
        event: RequestEvent,
        now: datetime,
        reason: str = "",
        choices: Mapping[str, str] | None = None,
    ) -> Reply:
        """Endorse, approve or decline, exactly once, if `member` is the approver (or delegate) now.

        Approving a kind that asks the approver to choose something (paid or unpaid leave) needs
        those `choices`; they are kept with the request's details.
        """
        if event not in DECISIONS:
            raise ValueError(f"{event} is not a decision")
        reason = reason.strip()
        if event is RequestEvent.DECLINE and not reason:
            return cards.render_text("Please give a reason for declining; the requester will see it.")
        if len(reason) > MAX_NOTE_CHARS:
            return cards.render_text(f"Please keep the reason to {MAX_NOTE_CHARS:,} characters.")
        async with self.database.transaction() as session:
            request = await self.load(session, request_id)
            refusal = await check_decider(self.school, session, request, member, event, self.today(now), now)
            if refusal is not None or request is None:
                return refusal or cards.render_text(NOT_FOUND)
            chosen = self._approval_choices(request, event, choices or {})
            if isinstance(chosen, Refusal):
                return cards.render_text(chosen.message)
            if isinstance(chosen, tuple):  # Approve pressed on the card: first, what the approver chooses
                return cards.render_approve_form(request.id, chosen, self.today(now))
            if chosen:
                request = dataclasses.replace(request, details={**request.details, **chosen})
            after, notices = self._decision_outcome(request, member, event, now, reason)
            changes: dict[str, object] = (
                {"step": after.step, "step_started_at": now}
                if event is RequestEvent.ENDORSE
                else {
                    "decided_by": member.email,
                    "decided_at": now,
                }
            )
            if chosen:
                changes["details"] = request.details
            applied = await self._commit(
                session,
                request,
                event,
                member.email,
                now,
                note=reason,
                changes=changes,
                notices=notices,
            )
        if not applied:
            return await self._explain_taken(request_id, now)
        verb = {RequestEvent.ENDORSE: "endorsed", RequestEvent.APPROVE: "approved"}.get(event, "declined")
        return cards.render_status(
            f"You {verb} request #{request.id}. {name_of(self.school, request.requester_email)} will be told.",
            describe_facts(self.school, after),
        )

    def _approval_choices(
        self, request: RequestRecord, event: RequestEvent, choices: Mapping[str, str]
    ) -> dict[str, str] | Refusal | tuple[FieldSpec, ...]:
        """The approver's checked choices when approving a kind that asks for them (paid or unpaid
        leave); the fields to ask for when none were given; nothing for other kinds and decisions."""
        if event is not RequestEvent.APPROVE:
            return {}
        found = context_for(self.school, request.type)
        fields = found[0].approval_fields(found[1]) if found is not None else ()
        if found is None or not fields:
            return {}
        if not any(field.name in choices for field in fields):
            return fields
        return found[0].parse_approval(found[1], choices)

    def _decision_outcome(
        self,
        request: RequestRecord,
        member: StaffMember,
        event: RequestEvent,
        now: datetime,
        reason: str,
    ) -> tuple[RequestRecord, list[Notice]]:
        """The request as it will be after the decision, and who hears of it."""
        if event is RequestEvent.ENDORSE:
            after = dataclasses.replace(request, step=request.step + 1, step_started_at=now)
            return after, [
                *notify_approver(self.school, self.library, after, self.today(now)),
                notify_requester(
                    self.school,
                    after,
                    f"{member.name} endorsed your request #{request.id}.",
                    "request.endorsed",
                ),
            ]
        state = RequestState.APPROVED if event is RequestEvent.APPROVE else RequestState.DECLINED
        after = dataclasses.replace(request, state=state.value, decided_by=member.email, decided_at=now)
        earlier = notify_people(
            request.chain[: request.step],
            f"{member.name} {state.value} request #{request.id}.",
            f"request.{state}",
        )
        if state is RequestState.APPROVED:
            return after, [*notify_approved(self.school, after, member.name), *earlier]
        headline = f"{member.name} declined your request #{request.id}. Reason: {reason}"
        return after, [notify_requester(self.school, after, headline, "request.declined"), *earlier]

    async def _explain_taken(self, request_id: int, now: datetime) -> Reply:
        """Someone else's click landed first: say who and when."""
        async with self.database.reading() as session:
            request = await self.load(session, request_id)
            if request is None:
                return cards.render_text(NOT_FOUND)
            audit = await last_audit(session, request.id)
        return cards.render_text(describe_audit(self.school, request, audit, now))

    # --- requester's own actions ----------------------------------------------------------

    async def cancel(self, member: StaffMember, request_id: int, now: datetime) -> Reply:
        """Withdraw a request: while pending, or once approved, before its first day."""
        async with self.database.transaction() as session:
            request = await self.load(session, request_id)
            if request is None or not is_involved(self.school, request, member.email, self.today(now)):
                return cards.render_text(NOT_FOUND)
            if member.email != request.requester_email:
                return cards.render_text("Only the person who made a request can cancel it.")
            state = RequestState(request.state)
            if state is RequestState.APPROVED and self.today(now) >= request.start_date:
                return cards.render_text(
                    f"Request #{request.id} has already started, so it can't be cancelled here; "
                    f"please speak to {name_of(self.school, request.decided_by or request.approver)}."
                )
            if state not in (RequestState.PENDING, RequestState.APPROVED):
                audit = await last_audit(session, request.id)
                return cards.render_text(describe_audit(self.school, request, audit, now) + " Nothing to cancel.")
            after = dataclasses.replace(request, state=RequestState.CANCELLED.value)
            told = [request.approver] if state is RequestState.PENDING else list(request.chain)
            headline = f"{name_of(self.school, request.requester_email)} cancelled request #{request.id}."
            notices = notify_people(told, headline, "request.cancelled")
            if self._posts_were_told(request):
                notices += notify_roles(self.school, after, f"{headline} It is no longer needed.")
            applied = await self._commit(
                session,
                request,
                RequestEvent.CANCEL,
                member.email,
                now,
                notices=notices,
            )
        if not applied:
            return await self._explain_taken(request_id, now)
        return cards.render_status(f"Request #{request.id} is cancelled.", describe_facts(self.school, after))

    def _posts_were_told(self, request: RequestRecord) -> bool:
        """Whether the posts the type names (the IT technician) already heard it was going ahead."""
        if request.state != RequestState.APPROVED.value:
            return False
        request_type = self.school.config.request_types.get(request.type)
        if request_type is None or not request_type.tell_roles:
            return False
        return agreement_of(self.school, request.type) is None or request.agreement_accepted_at is not None

    async def accept_agreement(self, member: StaffMember, request_id: int, now: datetime) -> Reply:
        """The requester accepts the terms the kind asks for (the loan agreement); the request counts as done."""
        async with self.database.transaction() as session:
            request = await self.load(session, request_id)
            if request is None or member.email != request.requester_email:
                return cards.render_text(NOT_FOUND)
            agreement = agreement_of(self.school, request.type)
            if agreement is None:
                return cards.render_text(f"Request #{request.id} has no agreement to accept.")
            if request.agreement_accepted_at is not None:
                when = cards.format_time(self.school, request.agreement_accepted_at, now)
                return cards.render_text(f"You already accepted the agreement for request #{request.id} at {when}.")
            if request.state != RequestState.APPROVED.value:
                return cards.render_text(f"Request #{request.id} is {request.state}; there is nothing to accept.")
            after = dataclasses.replace(request, agreement_accepted_at=now)
            requester = name_of(self.school, request.requester_email)
            applied = await self._commit(
                session,
                request,
                RequestEvent.ACCEPT_AGREEMENT,
                member.email,
                now,
                changes={"agreement_accepted_at": now},
                guards=(RequestRow.agreement_accepted_at.is_(None),),
                notices=notify_roles(self.school, after, agreement.tell.format(requester=requester, id=request.id)),
            )
        if not applied:
            return await self._explain_taken(request_id, now)
        return cards.render_status(agreement.thanks.format(id=request.id), describe_facts(self.school, after))
