"""Render a neutral `Reply` as an Adaptive Card (schema 1.5, what Teams renders).

Pure functions, no botbuilder: the card is a dict. Every piece of text goes into a
`TextRun`, which Adaptive Cards never read as markdown, so what a person typed (a
note, a reason) shows exactly as typed. Buttons become `Action.Execute` (Universal
Actions: Teams sends an invoke and the bot answers with the updated card) or, for
clients that only know `Action.Submit` (Microsoft's Web Chat in the local demo),
`Action.Submit` carrying the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from bot.messages import (
    Block,
    Button,
    ButtonsBlock,
    FieldsBlock,
    FormBlock,
    Input,
    QuoteBlock,
    Reply,
    TextBlock,
)

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

#: Where our own data sits in a button's `data`; inputs are merged beside it by the client.
DATA_KEY = "staffroom"
#: The verb of the refresh action that asks for a card's current state.
REFRESH = "staffroom.refresh"

_STYLES = {"primary": "positive", "danger": "destructive"}
_MAX_FALLBACK = 2000

Card = dict[str, Any]


class ButtonKind(Enum):
    """Which Adaptive Card action a button becomes."""

    EXECUTE = "Action.Execute"
    SUBMIT = "Action.Submit"


def render_card(
    reply: Reply,
    kind: ButtonKind = ButtonKind.EXECUTE,
    refresh: tuple[str, Sequence[str]] | None = None,
) -> Card:
    """The Adaptive Card for `reply`.

    `refresh` is (request id, user ids): Teams then asks those users' clients to fetch the
    card's current state whenever they show it, so only they see live buttons and everyone
    sees the outcome once decided. Only meaningful with `ButtonKind.EXECUTE`.
    """
    body: list[Card] = []
    for block in reply.blocks or (TextBlock(text=reply.text),):
        body.extend(render_block(block, kind))
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "body": body,
        "fallbackText": reply.text[:_MAX_FALLBACK],
    }
    if refresh is not None and kind is ButtonKind.EXECUTE:
        request_id, user_ids = refresh
        card["refresh"] = {
            "action": {"type": "Action.Execute", "verb": REFRESH, "data": action_data(REFRESH, request_id)},
            "userIds": list(user_ids),
        }
    return card


def render_block(block: Block, kind: ButtonKind) -> list[Card]:
    """The card elements for one neutral block."""
    if isinstance(block, TextBlock):
        return render_plain(block.text)
    if isinstance(block, QuoteBlock):
        return [
            {
                "type": "Container",
                "style": "emphasis",
                "items": [*render_plain(block.text), *render_plain(block.citation, italic=True, subtle=True)],
            }
        ]
    if isinstance(block, FieldsBlock):
        return [render_field(field.label, field.value) for field in block.fields]
    if isinstance(block, ButtonsBlock):
        return [{"type": "ActionSet", "actions": [render_button(button, kind) for button in block.buttons]}]
    return render_form(block, kind)


def render_plain(text: str, *, bold: bool = False, italic: bool = False, subtle: bool = False) -> list[Card]:
    """Text exactly as written: one RichTextBlock a line, each a TextRun (no markdown)."""
    lines = [line for line in text.split("\n") if line.strip()] or [" "]
    blocks: list[Card] = []
    for line in lines:
        run: Card = {"type": "TextRun", "text": line}
        if bold:
            run["weight"] = "bolder"
        if italic:
            run["italic"] = True
        if subtle:
            run["isSubtle"] = True
        blocks.append({"type": "RichTextBlock", "inlines": [run]})
    return blocks


def render_field(label: str, value: str) -> Card:
    """A label and its value side by side."""
    return {
        "type": "ColumnSet",
        "spacing": "small",
        "columns": [
            {"type": "Column", "width": 1, "items": render_plain(label, bold=True)},
            {"type": "Column", "width": 2, "items": render_plain(value)},
        ],
    }


def action_data(action_id: str, value: str) -> Card:
    return {DATA_KEY: {"action": action_id, "value": value}}


def render_button(button: Button, kind: ButtonKind, *, title: str | None = None) -> Card:
    action: Card = {
        "type": kind.value,
        "title": title or button.label,
        "data": action_data(button.action_id, button.value),
    }
    if kind is ButtonKind.EXECUTE:
        action["verb"] = button.action_id
    style = _STYLES.get(button.style)
    if style:
        action["style"] = style
    return action


def render_form(form: FormBlock, kind: ButtonKind) -> list[Card]:
    """The form's title, its inputs, and the submit button (which checks required inputs)."""
    items: list[Card] = [*render_plain(form.title, bold=True)]
    items.extend(render_input(field) for field in form.inputs)
    submit = render_button(
        Button(label=form.submit_label, action_id=form.submit_action_id, value=form.value, style="primary"), kind
    )
    submit["associatedInputs"] = "auto"
    items.append({"type": "ActionSet", "actions": [submit]})
    return [{"type": "Container", "items": items}]


def render_input(field: Input) -> Card:
    """`Input.Date`, `Input.ChoiceSet` or `Input.Text` for one neutral input."""
    element: Card = {"id": field.name, "label": field.label, "isRequired": not field.optional}
    if not field.optional:
        element["errorMessage"] = f"Please fill in: {field.label}"
    if field.kind == "date":
        element["type"] = "Input.Date"
        if field.min_date is not None:
            element["min"] = field.min_date.isoformat()
    elif field.kind == "choice":
        element["type"] = "Input.ChoiceSet"
        element["style"] = "compact"
        element["choices"] = [{"title": choice.label, "value": choice.value} for choice in field.choices]
    else:
        element["type"] = "Input.Text"
        element["isMultiline"] = field.multiline
        if field.max_length is not None:
            element["maxLength"] = field.max_length
    if field.initial:
        element["value"] = field.initial
    return element


def is_plain(reply: Reply) -> bool:
    """True when the reply is only text, so a plain message says it as well as a card."""
    return all(isinstance(block, TextBlock) for block in reply.blocks)
