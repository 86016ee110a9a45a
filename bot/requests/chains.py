"""Approval chains: who endorses and who approves a request, and who may decide it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.requests.kinds.registry import approval_steps
from bot.requests.records import RequestRecord
from bot.school import Role, School, StaffMember
from bot.school.config import LINE_MANAGER, RequestTypeConfig


@dataclass(frozen=True, slots=True)
class NoApprover:
    """The chain cannot be built: a post it needs is empty."""

    message: str


def resolve_chain(school: School, request_type: RequestTypeConfig, requester: StaffMember) -> list[str] | NoApprover:
    """The approvers' emails, in order, for a request by `requester`.

    A requester without a line manager skips that step; a step that would fall to the
    requester goes to the post named by `instead_of_self` (the headteacher's own request goes
    to the chair of governors or the deputy); the same person twice in a row decides once.
    """
    directory = school.directory
    chain: list[str] = []
    for step in approval_steps(school, request_type):
        if step == LINE_MANAGER:
            approver = directory.line_manager_of(requester.email)
            if approver is None:
                continue
        else:
            approver = directory.holder_of(Role(step))
            if approver is None:
                return NoApprover(f"the school has no {step.replace('_', ' ')} set up")
        if approver.email == requester.email:
            approver = directory.holder_of(Role(request_type.instead_of_self))
            if approver is None or approver.email == requester.email:
                post = request_type.instead_of_self.replace("_", " ")
                return NoApprover(f"the school has no {post} set up to decide this")
        if not chain or chain[-1] != approver.email:
            chain.append(approver.email)
    if not chain:
        return NoApprover("nobody is set up to decide this")
    return chain


def may_decide(school: School, approver_email: str, actor_email: str, day: date,
               request: RequestRecord | None = None) -> bool:
    """True when `actor_email` may take `approver_email`'s decision on `day` (for `request`, if given)."""
    if request is None:
        if actor_email == approver_email:
            return True
        return any(m.email == actor_email for m in school.directory.delegates_for(approver_email, day))
    return actor_email in deciders(school, approver_email, day, request)


def deciders(school: School, approver_email: str, day: date, request: RequestRecord | None = None) -> list[str]:
    """Everyone who may take the approver's decision on `day`: them and their active delegates.

    Nobody decides their own request: a requester standing in for the approver (the deputy
    covering for the headteacher) is left out, and the request type's fallback post
    (`instead_of_self`: the chair of governors, say) decides in their place.
    """
    delegates = [m.email for m in school.directory.delegates_for(approver_email, day)]
    people = [approver_email, *delegates]
    if request is None:
        return people
    requester = request.requester_email
    people = [email for email in people if email != requester]
    if requester in delegates:
        request_type = school.config.request_types.get(request.type)
        holder = school.directory.holder_of(Role(request_type.instead_of_self)) if request_type else None
        if holder is not None and holder.email != requester and holder.email not in people:
            people.append(holder.email)
    return people
