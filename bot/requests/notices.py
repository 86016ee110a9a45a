"""Notices a request sends to people other than the one acting: approvers, requester, posts."""

from __future__ import annotations

from datetime import date

from bot.messages import Notice
from bot.requests import cards
from bot.requests.chains import deciders
from bot.requests.describe import agreement_of, describe_facts, name_of
from bot.requests.policy import quote_policy
from bot.requests.records import RequestRecord
from bot.school import Role, School
from intents.policy_library import PolicyLibrary


def notify_approver(
    school: School,
    library: PolicyLibrary | None,
    request: RequestRecord,
    day: date,
    *,
    reminder: bool = False,
) -> list[Notice]:
    """The decision card for the awaited step, to the approver and anyone standing in for them."""
    request_type = school.config.request_types[request.type]
    verb = "approve" if request.is_final_step else "endorse"
    prefix = "Reminder: " if reminder else ""
    headline = (
        f"{prefix}{name_of(school, request.requester_email)} asks you to {verb} "
        f"request #{request.id} ({request_type.label.lower()})."
    )
    reply = cards.render_decision_card(
        headline,
        describe_facts(school, request),
        quote_policy(library, request_type.policy),
        request.id,
        request.is_final_step,
    )
    reason = "request.reminder" if reminder else "request.awaiting_decision"
    return [
        Notice(recipient_email=email, reply=reply, reason=reason)
        for email in deciders(school, request.approver, day, request)
    ]


def notify_requester(school: School, request: RequestRecord, headline: str, reason: str) -> Notice:
    reply = cards.render_status(headline, describe_facts(school, request))
    return Notice(recipient_email=request.requester_email, reply=reply, reason=reason)


def notify_people(emails: list[str] | tuple[str, ...], headline: str, reason: str) -> list[Notice]:
    """A one-line notice to each of `emails` (earlier approvers learning the outcome)."""
    return [
        Notice(recipient_email=email, reply=cards.render_text(headline, ephemeral=False), reason=reason)
        for email in dict.fromkeys(emails)
    ]


def notify_roles(school: School, request: RequestRecord, headline: str) -> list[Notice]:
    """Tell the posts the request type names (the IT technician for a loan).

    The requester's reason and note (private facts) go only to a holder who is also in the approval chain.
    """
    request_type = school.config.request_types[request.type]
    holders = (school.directory.holder_of(Role(role)) for role in request_type.tell_roles)
    notices = []
    for holder in holders:
        if holder is None:
            continue
        facts = describe_facts(school, request, with_status=False, with_reasons=holder.email in request.chain)
        notices.append(Notice(recipient_email=holder.email, reply=cards.render_status(headline, facts),
                              reason="request.tell_role"))
    return notices


def notify_approved(school: School, request: RequestRecord, decider: str) -> list[Notice]:
    """The requester hears of the approval; with an agreement (the loan's) they are asked to accept it."""
    agreement = agreement_of(school, request.type)
    if agreement is not None:
        reply = cards.render_status(
            f"{decider} approved your request #{request.id}. {agreement.ask}",
            describe_facts(school, request, with_status=False),
            [cards.accept_button(request.id, agreement.button_label)],
        )
        return [Notice(recipient_email=request.requester_email, reply=reply, reason="request.approved")]
    headline = f"{decider} approved your request #{request.id}."
    return [
        notify_requester(school, request, headline, "request.approved"),
        *notify_roles(school, request, f"Request #{request.id} was approved."),
    ]
