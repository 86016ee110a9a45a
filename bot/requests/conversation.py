"""The conversational side of requests, for the Assistant: forms, button actions, "my requests".

Everything here starts from the verified `Person` and reads the request from the database;
an `Action`'s value is only ever used to name which request (or request type) is meant.
Notices for other people are written to the outbox by the workflow, not returned.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.messages import Action, Person, Reply
from bot.requests import cards
from bot.requests.kinds.registry import context_for, kinds_of
from bot.requests.listing import render_my_requests
from bot.requests.offers import read_prefill, request_offers
from bot.requests.outcomes import with_outcome
from bot.requests.records import parse_request_id
from bot.requests.states import RequestEvent
from bot.requests.viewer_card import render_card_for
from bot.requests.workflow import RequestWorkflow
from bot.school import StaffMember

if TYPE_CHECKING:
    from bot.assistant import RequestOffer

#: When the platform couldn't say who is talking (Teams' member lookup failed): nothing is done.
UNIDENTIFIED = (
    "I couldn't find out who you are just now (Teams couldn't tell me when I asked), so I can't do that "
    "for you yet. Nothing was changed. Please try again in a minute; questions about the policies work meanwhile."
)

_DECISION_EVENTS = {
    cards.ENDORSE: RequestEvent.ENDORSE,
    cards.APPROVE: RequestEvent.APPROVE,
    cards.DECLINE_REASON: RequestEvent.DECLINE,
}


def is_request_action(action_id: str) -> bool:
    """True for the action ids this module handles (so the Assistant can route to it)."""
    return action_id in cards.ACTION_IDS


class RequestConversation:
    """Turns people's messages and clicks about requests into replies."""

    def __init__(self, workflow: RequestWorkflow) -> None:
        self.workflow = workflow
        self.school = workflow.school

    def identify(self, person: Person) -> StaffMember | None:
        """The directory entry of a verified person (platform id first, then email)."""
        return self.school.directory.find_person(person)

    def render_not_in_directory(self, person: Person) -> Reply:
        """What someone missing from the staff directory is told (or that the platform couldn't say who they are)."""
        if person.unidentified:
            return cards.render_text(UNIDENTIFIED)
        who = self.school.config.directory_contact
        address = f" under {person.email}" if person.email else ""
        return cards.render_text(
            f"I can't find you{address} in {self.school.config.name}'s staff directory, so I can't "
            f"send requests for you yet. Please ask {who} to add you."
        )

    def offer_form(self, person: Person, value: str, now: datetime) -> Reply:
        """The form a "request" button opens, pre-filled with what the message said.

        The button's value names the request type; a button from before there were several kinds
        names none and opens the type the router's own request intent asks for (working from home).
        """
        member = self.identify(person)
        if member is None:
            return self.render_not_in_directory(person)
        prefill = read_prefill(value)
        type_name = prefill.get("type")
        if type_name is None:
            type_name = next((context.type_name for kind, context in kinds_of(self.school)
                              if kind.routed_intent is not None), None)
        found = context_for(self.school, str(type_name)) if type_name is not None else None
        if found is None:
            return cards.render_text("That button doesn't name a request form this school has. "
                                     "Please ask again and use the new button.")
        kind, context = found
        return cards.render_request_form(kind, context, prefill, self.workflow.today(now))

    def offers(self) -> tuple[RequestOffer, ...]:
        """The request forms answers offer, one per request type (see `bot.requests.offers`)."""
        return request_offers(self.school, self.workflow.library)

    async def show_my_requests(self, person: Person, now: datetime, on: date | None = None) -> Reply:
        """The person's requests with Cancel buttons (those for day `on`, if given), and those awaiting them."""
        member = self.identify(person)
        if member is None:
            return self.render_not_in_directory(person)
        return await render_my_requests(self.workflow, member, now, on)

    async def handle_action(self, action: Action, now: datetime) -> list[Reply]:
        """Apply a button or form submission for the verified person; replies for them only.

        The reply says what the click did to the request's cards (`bot.requests.outcomes`).
        """
        member = self.identify(action.person)
        if member is None:
            return [self.render_not_in_directory(action.person)]
        replies = await self._act(action, member, now)
        return [await with_outcome(self.workflow, action, member, replies[0], now), *replies[1:]]

    async def card_for(self, person: Person, value: str, now: datetime) -> Reply:
        """The card `person` should see now for the request `value` names (see `bot.requests.viewer_card`)."""
        return await render_card_for(self, person, value, now)

    async def _act(self, action: Action, member: StaffMember, now: datetime) -> list[Reply]:
        if action.action_id == cards.SUBMIT:
            return [await self.workflow.submit(member, action.value, action.inputs, now)]
        if not is_request_action(action.action_id):
            return [cards.render_text("I don't recognise that button.")]
        request_id = parse_request_id(action.value)
        if request_id is None:
            return [cards.render_text("I can't find a request with that number that you can act on.")]
        if action.action_id == cards.DECLINE:
            return [await self.workflow.ask_decline_reason(member, request_id, now)]
        if action.action_id == cards.CANCEL:
            return [await self.workflow.cancel(member, request_id, now)]
        if action.action_id == cards.ACCEPT_AGREEMENT:
            return [await self.workflow.accept_agreement(member, request_id, now)]
        event = _DECISION_EVENTS[action.action_id]
        reason = action.inputs.get("reason", "")
        return [await self.workflow.decide(member, request_id, event, now, reason, action.inputs)]
