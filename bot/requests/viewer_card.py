"""A request's card as it stands now, for the person looking at it.

Asked for whenever someone looks at a card that follows a request (Teams refreshes such a card
for the people listed on it): the approver awaited now (or their stand-in today) gets the
decision buttons, the requester their "Request sent" as it stands now (with Cancel while
allowed), anyone else involved the request's status, and anyone not involved nothing about it.
Read-only: the verified person and the database decide, never the card.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import Person, Reply
from bot.requests import cards
from bot.requests.authority import NOT_FOUND, check_decider, is_involved
from bot.requests.describe import describe_audit, describe_facts, last_audit, name_of
from bot.requests.notices import notify_approver
from bot.requests.records import parse_request_id
from bot.requests.requester_card import SETTLED_BY, render_requester_card
from bot.requests.states import RequestEvent, RequestState

if TYPE_CHECKING:
    from bot.requests.conversation import RequestConversation


async def render_card_for(requests: RequestConversation, person: Person, value: str, now: datetime) -> Reply:
    """The decision card while `person` may decide the request `value` names, else what they may see of it."""
    member = requests.identify(person)
    if member is None:
        return requests.render_not_in_directory(person)
    request_id = parse_request_id(value)
    if request_id is None:
        return cards.render_text(NOT_FOUND)
    workflow = requests.workflow
    school = workflow.school
    today = workflow.today(now)
    async with workflow.database.reading() as session:
        request = await workflow.load(session, request_id)
        if request is None or not is_involved(school, request, member.email, today):
            return cards.render_text(NOT_FOUND)
        if request.state == RequestState.PENDING.value and member.email != request.requester_email:
            event = RequestEvent.APPROVE if request.is_final_step else RequestEvent.ENDORSE
            if await check_decider(school, session, request, member, event, today, now) is None:
                notices = notify_approver(school, workflow.library, request, today)
                if notices:
                    return notices[0].reply
            waiting = f"Request #{request.id} is waiting for {name_of(school, request.approver)}."
            return cards.render_status(waiting, describe_facts(school, request))
        if member.email == request.requester_email:
            # The requester's own "Request sent": whom it waits for now, or how it ended; Cancel while allowed.
            event = SETTLED_BY.get(request.state, RequestEvent.ENDORSE)
            return render_requester_card(workflow, request, await last_audit(session, request.id, event), now)
        audit = await last_audit(session, request.id)
    return cards.render_status(describe_audit(school, request, audit, now), describe_facts(school, request))
