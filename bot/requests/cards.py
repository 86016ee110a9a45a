"""Neutral replies for requests: forms, the approver's card, outcomes and lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.messages import (
    Block,
    Button,
    ButtonsBlock,
    Choice,
    Field_,
    FieldsBlock,
    Follow,
    FormBlock,
    Input,
    QuoteBlock,
    Reply,
    TextBlock,
)
from bot.requests.drafts import (
    ITEM_LABELS,
    MAX_NOTE_CHARS,
    PART_OF_DAY_LABELS,
    REASON_LABELS,
    REPEAT_LABELS,
)
from bot.school import School
from intents.routing import PartOfDay, ReasonCategory, RequestSlots

# Stable action ids: adapters round-trip them; the value is only ever a request id
# (or, for a form, the request type).
SUBMIT = "request.submit"
ENDORSE = "request.endorse"
APPROVE = "request.approve"
DECLINE = "request.decline"
DECLINE_REASON = "request.decline_reason"
CANCEL = "request.cancel"
ACCEPT_LOAN = "loan.accept"
ACTION_IDS = frozenset({SUBMIT, ENDORSE, APPROVE, DECLINE, DECLINE_REASON, CANCEL, ACCEPT_LOAN})


def _choices(
    labels: dict[str, str] | dict[PartOfDay, str] | dict[ReasonCategory, str],
) -> tuple[Choice, ...]:
    return tuple(Choice(label=label, value=str(value)) for value, label in labels.items())


def _first_day_for(school: School, slots: RequestSlots, today: date) -> date:
    """The date the form suggests: the one asked for, the next such weekday, or the next school day."""
    when = slots.when
    if when.start is not None:
        return max(when.start, today)
    if when.weekday is not None:
        return today + timedelta(days=(when.weekday - today.weekday()) % 7)
    return next(school.calendar.school_days(today + timedelta(days=1), today + timedelta(days=400)), today)


def render_wfh_form(school: School, type_name: str, slots: RequestSlots, today: date) -> Reply:
    """The "Request to work from home" form, filled in with what the message said."""
    when = slots.when
    start = _first_day_for(school, slots, today)
    end = when.end
    if end is None and when.until_term_end:
        end = school.calendar.term_end_after(start)
    repeat = "weekly" if when.weekday is not None else "once"
    reason = slots.reason_category.value if slots.reason_category else None
    form = FormBlock(
        title="Request to work from home",
        inputs=(
            Input(
                name="start",
                label="Date (or first date)",
                kind="date",
                initial=start.isoformat(),
                min_date=today,
            ),
            Input(
                name="end",
                label="Last date (for several days)",
                kind="date",
                initial=end.isoformat() if end else None,
                optional=True,
                min_date=today,
            ),
            Input(
                name="repeat",
                label="Repeat",
                kind="choice",
                initial=repeat,
                choices=_choices(REPEAT_LABELS),
            ),
            Input(
                name="part_of_day",
                label="Part of the day",
                kind="choice",
                initial=when.part_of_day.value,
                choices=_choices(PART_OF_DAY_LABELS),
            ),
            Input(
                name="reason_category",
                label="Reason (WFH policy section 3)",
                kind="choice",
                initial=reason,
                choices=_choices(REASON_LABELS),
            ),
            Input(
                name="note",
                label="Note for your approvers",
                kind="text",
                optional=True,
                max_length=MAX_NOTE_CHARS,
            ),
        ),
        submit_label="Send request",
        submit_action_id=SUBMIT,
        value=type_name,
    )
    return Reply(text="Request to work from home: check the details and send.", blocks=(form,))


def render_loan_form(type_name: str, label: str, today: date) -> Reply:
    """The equipment loan form."""
    form = FormBlock(
        title=label,
        inputs=(
            Input(
                name="item",
                label="What do you need?",
                kind="choice",
                initial="laptop",
                choices=_choices(ITEM_LABELS),
            ),
            Input(
                name="needed_from",
                label="Needed from",
                kind="date",
                initial=today.isoformat(),
                min_date=today,
            ),
            Input(name="why", label="Why do you need it?", kind="text", max_length=MAX_NOTE_CHARS),
        ),
        submit_label="Send request",
        submit_action_id=SUBMIT,
        value=type_name,
    )
    return Reply(text=f"{label}: fill in the form and send.", blocks=(form,))


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


def render_facts(facts: Sequence[tuple[str, str]]) -> FieldsBlock:
    return FieldsBlock(fields=tuple(Field_(label=label, value=value) for label, value in facts if value))


def render_decision_card(
    headline: str,
    facts: Sequence[tuple[str, str]],
    quotes: Sequence[QuoteBlock],
    request_id: int,
    final_step: bool,
) -> Reply:
    """What an approver sees: the request, the policy clause that applies, and the buttons."""
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


def render_status(headline: str, facts: Sequence[tuple[str, str]], buttons: Sequence[Button] = ()) -> Reply:
    """A short message about a request, with its facts and any buttons."""
    blocks: list[Block] = [TextBlock(text=headline), render_facts(facts)]
    if buttons:
        blocks.append(ButtonsBlock(buttons=tuple(buttons)))
    return Reply(text=headline, blocks=tuple(blocks))


def render_text(text: str, *, ephemeral: bool = True) -> Reply:
    return Reply(text=text, blocks=(TextBlock(text=text),), ephemeral=ephemeral)


def cancel_button(request_id: int) -> Button:
    return Button(label="Cancel request", action_id=CANCEL, value=str(request_id), style="danger")


def accept_loan_button(request_id: int) -> Button:
    return Button(
        label="I accept the loan agreement and Acceptable Use Policy",
        action_id=ACCEPT_LOAN,
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
