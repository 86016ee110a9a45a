"""Neutral messages: what the core receives from, and says to, any chat platform.

Adapters parse a platform payload into an `Event` and render a `Reply` into
Block Kit, an Adaptive Card or terminal text. Nothing here names a platform's
own vocabulary; the models are frozen so a reply can be shared and compared.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    """Base for every neutral message: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(Frozen):
    """Who is talking, as the platform verified them (never as a payload claims)."""

    platform: str
    user_id: str
    email: str | None = None
    display_name: str | None = None
    school: str | None = None
    #: The platform could not say who this is right now (its member lookup failed or timed out):
    #: questions are still answered; actions that need the person say so instead of "not in the directory".
    unidentified: bool = False


class ConversationRef(Frozen):
    """Enough to message a person later on the platform they used."""

    platform: str
    user_id: str
    conversation_id: str
    service_url: str | None = None
    tenant_id: str | None = None
    team_id: str | None = None
    #: A channel or group chat others read, not a one-to-one chat: requesters' reasons are never shown there.
    shared: bool = False


class Message(Frozen):
    """A person wrote something to the assistant."""

    kind: Literal["message"] = "message"
    person: Person
    text: str
    conversation: ConversationRef | None = None


class Action(Frozen):
    """A person pressed a button or submitted a form.

    `action_id` names what to do; `value` names what it applies to (a request
    id, say). Both are claims from the client: the core checks them against
    the database and the verified `person` before doing anything.
    """

    kind: Literal["action"] = "action"
    person: Person
    action_id: str
    value: str = ""
    inputs: dict[str, str] = Field(default_factory=dict)
    conversation: ConversationRef | None = None


Event = Annotated[Message | Action, Field(discriminator="kind")]


# --- what the assistant says -------------------------------------------------


class TextBlock(Frozen):
    """A paragraph of plain text (adapters escape it for their markup)."""

    type: Literal["text"] = "text"
    text: str


class QuoteBlock(Frozen):
    """A passage quoted verbatim from a policy, with its citation."""

    type: Literal["quote"] = "quote"
    text: str
    citation: str


class Field_(Frozen):
    """One label/value pair in a `FieldsBlock`."""

    label: str
    value: str
    #: A requester's reason or note: left out wherever people outside the approval chain read it.
    private: bool = False


class FieldsBlock(Frozen):
    """Short facts shown side by side: dates, status, who decided."""

    type: Literal["fields"] = "fields"
    fields: tuple[Field_, ...]


class Button(Frozen):
    """A button: `action_id` says what it does, `value` what it is about."""

    label: str
    action_id: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"


class ButtonsBlock(Frozen):
    """A row of buttons."""

    type: Literal["buttons"] = "buttons"
    buttons: tuple[Button, ...]


class Choice(Frozen):
    """One option of a choice input."""

    label: str
    value: str


class Input(Frozen):
    """A form field: a date, a choice from a list, or free text."""

    name: str
    label: str
    kind: Literal["date", "choice", "text"]
    initial: str | None = None
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    max_length: int | None = None
    min_date: date | None = None
    #: Free text over several lines (an explanation) rather than one (a title).
    multiline: bool = True


class FormBlock(Frozen):
    """A form the person fills in and submits with `submit_action_id`."""

    type: Literal["form"] = "form"
    title: str
    inputs: tuple[Input, ...]
    submit_label: str
    submit_action_id: str
    value: str = ""


Block = Annotated[
    TextBlock | QuoteBlock | FieldsBlock | ButtonsBlock | FormBlock, Field(discriminator="type")
]


class Follow(Frozen):
    """The one request a message shows, kept up to date as that request changes.

    A platform that refreshes a card for whoever looks at it (Teams) refreshes this one. With
    `record_as`, the adapter records where the message landed under that outbox reason (the
    requester's "Request sent" in their DM), so the core can find it and say what it shows later;
    without, the core finds it another way (an approver's card is recorded when the outbox delivers it).
    """

    request_id: int
    record_as: str = ""


class Reply(Frozen):
    """One message from the assistant: plain-text fallback plus structured blocks."""

    text: str
    blocks: tuple[Block, ...] = ()
    ephemeral: bool = False
    #: The request this message follows (see `Follow`); None for anything else.
    follows: Follow | None = None
    #: A reply to a button that comes as a new message, leaving the card the button sat on as it was
    #: (a form opened from an answer, a suggested question's answer); otherwise it may replace that card.
    keeps_card: bool = False
    #: What the button this replies to did to a request's cards (None: nothing changed).
    outcome: CardOutcome | None = None


class CardCopy(Frozen):
    """A message already delivered somewhere, and what it should show now."""

    platform: str
    #: Where it landed, as the platform's adapter recorded it (a Slack channel and timestamp, say).
    receipt: dict[str, str]
    reply: Reply


class CardOutcome(Frozen):
    """What a click did to a request's cards, said by the core so adapters only render and apply it.

    "Request #12 endorsed by Priya Shah": the pressed card becomes `pressed` ("Endorsed by Priya
    Shah." and the request's facts, no buttons), and each of `updates` — the other approvers' copies of
    the settled step's card, the requester's "Request sent" — is replaced where it landed. An adapter
    applies the updates on its own platform that it can reach; a platform whose cards refresh
    themselves (Teams) needs none of them.
    """

    request_id: int
    #: "Endorsed by Priya Shah.", "Cancelled by Sam Carter." — what happened, and who did it.
    headline: str
    #: What the pressed card shows now, for everyone who sees it (None: it stays as it is).
    pressed: Reply | None = None
    updates: tuple[CardCopy, ...] = ()


Reply.model_rebuild()


class Notice(Frozen):
    """A message for someone other than the person who caused it, delivered later."""

    recipient_email: str
    reply: Reply
    reason: str
