"""Neutral replies for requests: forms, the approver's card, outcomes and lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.messages import (
    Block,
    Button,
    ButtonsBlock,
    Field_,
    FieldsBlock,
    Follow,
    FormBlock,
    Input,
    QuoteBlock,
    Reply,
    TextBlock,
)
from bot.requests.drafts import MAX_NOTE_CHARS
from bot.requests.kinds.base import Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import to_input
from bot.school import School

# Stable action ids: adapters round-trip them; the value is only ever a request id
# (or, for a form, the request type).
SUBMIT = "request.submit"
ENDORSE = "request.endorse"
APPROVE = "request.approve"
DECLINE = "request.decline"
DECLINE_REASON = "request.decline_reason"
CANCEL = "request.cancel"
#: The requester accepts the terms the kind asks for after approval (the loan agreement).
ACCEPT_AGREEMENT = "loan.accept"
ACTION_IDS = frozenset({SUBMIT, ENDORSE, APPROVE, DECLINE, DECLINE_REASON, CANCEL, ACCEPT_AGREEMENT})


def render_request_form(kind: RequestKind, context: KindContext, prefill: Mapping[str, Any], today: date) -> Reply:
    """The form of one request type, from its kind's fields, filled in with what the message said."""
    initial = kind.initial_values(context, prefill, today)
    title = kind.title(context)
    form = FormBlock(
        title=title,
        inputs=tuple(to_input(spec, initial.get(spec.name), today) for spec in kind.fields(context)),
        submit_label="Send request",
        submit_action_id=SUBMIT,
        value=context.type_name,
    )
    return Reply(text=f"{title}: check the details and send.", blocks=(form,))


def render_approve_form(request_id: int, fields: Sequence[FieldSpec], today: date) -> Reply:
    """Ask the approver what the kind needs decided when approving (paid or unpaid leave)."""
    form = FormBlock(
        title=f"Approve request #{request_id}",
        inputs=tuple(to_input(spec, None, today) for spec in fields),
        submit_label="Approve",
        submit_action_id=APPROVE,
        value=str(request_id),
    )
    return Reply(text=f"Approving request #{request_id}: please choose.", blocks=(form,), ephemeral=True)


def render_decline_form(request_id: int) -> Reply:
    """Ask the approver for the reason before declining."""
    form = FormBlock(
        title=f"Decline request #{request_id}",
        inputs=(
            Input(
                name="reason",
                label="Reason (the requester will see it)",
                kind="text",
                max_length=MAX_NOTE_CHARS,
            ),
        ),
        submit_label="Decline",
        submit_action_id=DECLINE_REASON,
        value=str(request_id),
    )
    return Reply(text=f"Why are you declining request #{request_id}?", blocks=(form,), ephemeral=True)


def render_facts(facts: Sequence[Fact]) -> FieldsBlock:
    return FieldsBlock(fields=tuple(Field_(label=fact.label, value=fact.value, private=fact.private)
                                    for fact in facts if fact.value))


def render_decision_card(
    headline: str,
    facts: Sequence[Fact],
    quotes: Sequence[QuoteBlock],
    request_id: int,
    final_step: bool,
) -> Reply:
    """What an approver sees: the request, the policy clause that applies, and the buttons.

    For a kind whose approver chooses something (paid or unpaid leave), Approve asks that first.
    """
    decide = (
        Button(label="Approve", action_id=APPROVE, value=str(request_id), style="primary")
        if final_step
        else Button(label="Endorse", action_id=ENDORSE, value=str(request_id), style="primary")
    )
    decline = Button(label="Decline", action_id=DECLINE, value=str(request_id), style="danger")
    blocks: list[Block] = [
        TextBlock(text=headline),
        render_facts(facts),
        *quotes,
        ButtonsBlock(buttons=(decide, decline)),
    ]
    # The card follows its request: where cards refresh for whoever looks, the decision buttons stay
    # only while this approver may still use them.
    return Reply(text=headline, blocks=tuple(blocks), follows=Follow(request_id=request_id))


def render_status(headline: str, facts: Sequence[Fact], buttons: Sequence[Button] = ()) -> Reply:
    """A short message about a request, with its facts and any buttons."""
    blocks: list[Block] = [TextBlock(text=headline), render_facts(facts)]
    if buttons:
        blocks.append(ButtonsBlock(buttons=tuple(buttons)))
    return Reply(text=headline, blocks=tuple(blocks))


def render_text(text: str, *, ephemeral: bool = True) -> Reply:
    return Reply(text=text, blocks=(TextBlock(text=text),), ephemeral=ephemeral)


def cancel_button(request_id: int) -> Button:
    return Button(label="Cancel request", action_id=CANCEL, value=str(request_id), style="danger")


def accept_button(request_id: int, label: str) -> Button:
    return Button(
        label=label,
        action_id=ACCEPT_AGREEMENT,
        value=str(request_id),
        style="primary",
    )


def format_time(school: School, moment: datetime, now: datetime) -> str:
    """ "09:14" today, or "Mon 23 Nov 09:14" on another day, in the school's time zone."""
    zone = school.calendar.zone
    local = moment.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{local:%a %-d %b} {local:%H:%M}"
