"""Render neutral replies as Block Kit: messages, modals for forms, and read modal submissions.

Pure functions. Every piece of user or policy text goes into `mrkdwn` escaped (`&`, `<`,
`>`), so a note such as `<!channel>` or `<@U123>` pings nobody; plain_text needs no escaping.
Slack's limits are enforced here, not left to an `invalid_blocks` error at send time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bot.messages import Block, ButtonsBlock, FieldsBlock, FormBlock, Input, QuoteBlock, Reply, TextBlock

JsonDict = dict[str, Any]

#: Slack's limits (Block Kit reference): blocks per message and per view, text lengths.
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_CONTEXT_TEXT = 2000
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS = 25
MAX_VIEW_TITLE = 24
MAX_HEADER = 150
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_OPTIONS = 100
MAX_INPUT_LABEL = 2000
MAX_TEXT_INPUT = 3000
MAX_PRIVATE_METADATA = 3000
#: The fallback text of a message (notifications, screen readers).
MAX_MESSAGE_TEXT = 4000

APP_NAME = "Staffroom"


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control sequences in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(text: str, limit: int) -> JsonDict:
    return {"type": "plain_text", "text": _cut(text, limit) or " "}


def _mrkdwn(text: str) -> JsonDict:
    return {"type": "mrkdwn", "text": text}


def _chunks(text: str, limit: int) -> list[str]:
    """Split escaped text into pieces that fit, preferring line breaks."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        # Never split an escape sequence such as "&amp;".
        amp = text.rfind("&", max(0, cut - 5), cut)
        if amp != -1 and ";" not in text[amp:cut]:
            cut = amp
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text:
        pieces.append(text)
    return pieces


def _sections(markup: str) -> list[JsonDict]:
    return [{"type": "section", "text": _mrkdwn(piece)} for piece in _chunks(markup, MAX_SECTION_TEXT)]


def render_text(block: TextBlock) -> list[JsonDict]:
    return _sections(escape_mrkdwn(block.text))


def render_quote(block: QuoteBlock) -> list[JsonDict]:
    """The passage as a Slack quote, its citation as context underneath."""
    lines = escape_mrkdwn(block.text).split("\n")
    quoted = "\n".join(f">{line}" if line.strip() else ">" for line in lines)
    citation = {"type": "context", "elements": [_mrkdwn(_cut(escape_mrkdwn(block.citation), MAX_CONTEXT_TEXT))]}
    return [*_sections(quoted), citation]


def render_fields(block: FieldsBlock) -> list[JsonDict]:
    rendered = [
        _mrkdwn(_cut(f"*{escape_mrkdwn(field.label)}*\n{escape_mrkdwn(field.value)}", MAX_FIELD_TEXT))
        for field in block.fields
    ]
    return [
        {"type": "section", "fields": rendered[start : start + MAX_FIELDS]}
        for start in range(0, len(rendered), MAX_FIELDS)
    ]


def render_buttons(block: ButtonsBlock) -> list[JsonDict]:
    """One actions block; action ids repeat only across blocks, never within one (Slack requires it)."""
    elements: list[JsonDict] = []
    seen: set[str] = set()
    for button in block.buttons[:MAX_BUTTONS]:
        if button.action_id in seen:
            continue
        seen.add(button.action_id)
        element: JsonDict = {
            "type": "button",
            "text": _plain(button.label, MAX_BUTTON_LABEL),
            "action_id": button.action_id,
        }
        if button.value:
            element["value"] = button.value[:MAX_BUTTON_VALUE]
        if button.style != "default":
            element["style"] = button.style
        elements.append(element)
    return [{"type": "actions", "elements": elements}] if elements else []


def render_form_summary(block: FormBlock) -> list[JsonDict]:
    """A form can't live in a message (Slack opens it as a modal); say what it is for."""
    return _sections(escape_mrkdwn(block.title))


def render_block(block: Block) -> list[JsonDict]:
    if isinstance(block, TextBlock):
        return render_text(block)
    if isinstance(block, QuoteBlock):
        return render_quote(block)
    if isinstance(block, FieldsBlock):
        return render_fields(block) if block.fields else []
    if isinstance(block, ButtonsBlock):
        return render_buttons(block)
    return render_form_summary(block)


def fit(blocks: list[JsonDict], limit: int) -> list[JsonDict]:
    """At most `limit` blocks: what does not fit is replaced by a note saying so."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    note = "There is more than fits here; ask me in a message to see the rest."
    return [*kept, {"type": "context", "elements": [_mrkdwn(note)]}]


def render_blocks(reply: Reply, limit: int = MAX_MESSAGE_BLOCKS) -> list[JsonDict]:
    """The reply's blocks as Block Kit (a plain reply becomes one section)."""
    blocks: Iterable[Block] = reply.blocks or (TextBlock(text=reply.text),)
    return fit([rendered for block in blocks for rendered in render_block(block)], limit)


def render_message(reply: Reply) -> JsonDict:
    """Arguments for chat.postMessage / chat.update / chat.postEphemeral.

    `text` is the notification and screen-reader fallback, read as mrkdwn like the blocks:
    escaped too, so a reason or note holding `<!channel>` pings nobody there either.
    """
    return {"text": _cut(escape_mrkdwn(reply.text), MAX_MESSAGE_TEXT), "blocks": render_blocks(reply)}


def find_form(reply: Reply) -> FormBlock | None:
    return next((block for block in reply.blocks if isinstance(block, FormBlock)), None)


# --- modals ---------------------------------------------------------------------------


def _option(label: str, value: str) -> JsonDict:
    return {"text": _plain(label, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}


def render_input(field: Input) -> JsonDict:
    """One form field as an input block; block and action ids are the field's name."""
    element: JsonDict
    if field.kind == "date":
        element = {"type": "datepicker", "action_id": field.name}
        if field.initial:
            element["initial_date"] = field.initial
    elif field.kind == "choice":
        options = [_option(choice.label, choice.value) for choice in field.choices[:MAX_OPTIONS]]
        element = {"type": "static_select", "action_id": field.name, "options": options}
        initial = next((option for option in options if option["value"] == field.initial), None)
        if initial is not None:
            element["initial_option"] = initial
    else:
        element = {"type": "plain_text_input", "action_id": field.name, "multiline": field.multiline}
        if field.initial:
            element["initial_value"] = field.initial[:MAX_TEXT_INPUT]
        element["max_length"] = min(field.max_length or MAX_TEXT_INPUT, MAX_TEXT_INPUT)
    block: JsonDict = {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label, MAX_INPUT_LABEL),
        "element": element,
    }
    if field.optional:
        block["optional"] = True
    return block


def _view_title(title: str) -> tuple[JsonDict, list[JsonDict]]:
    """Slack titles a modal in 24 characters; a longer title goes in a header inside it."""
    if len(title) <= MAX_VIEW_TITLE:
        return _plain(title, MAX_VIEW_TITLE), []
    return _plain(APP_NAME, MAX_VIEW_TITLE), [{"type": "header", "text": _plain(title, MAX_HEADER)}]


def render_form_view(form: FormBlock, metadata: Mapping[str, str], notice: str | None = None) -> JsonDict:
    """The modal for a form; `callback_id` is the submit action, `notice` a problem to fix."""
    title, header = _view_title(form.title)
    blocks: list[JsonDict] = [*header]
    if notice:
        blocks.append({"type": "section", "block_id": NOTICE_BLOCK_ID,
                       "text": _mrkdwn(":warning: " + _cut(escape_mrkdwn(notice), 2900))})
    blocks.extend(render_input(field) for field in form.inputs)
    return {
        "type": "modal",
        "callback_id": form.submit_action_id,
        "title": title,
        "submit": _plain(form.submit_label, MAX_VIEW_TITLE),
        "close": _plain("Cancel", MAX_VIEW_TITLE),
        "private_metadata": encode_metadata(metadata),
        "blocks": fit(blocks, MAX_VIEW_BLOCKS),
    }


def render_result_view(reply: Reply, title: str = APP_NAME) -> JsonDict:
    """A modal that shows a reply (the outcome of a submitted form) with only a Close button."""
    return {
        "type": "modal",
        "title": _plain(title, MAX_VIEW_TITLE),
        "close": _plain("Close", MAX_VIEW_TITLE),
        "blocks": render_blocks(reply, MAX_VIEW_BLOCKS),
    }


def render_waiting_view() -> JsonDict:
    """What the modal shows while a submission is being handled (after the 3-second ack)."""
    text = "Sending… this takes a moment."
    return {
        "type": "modal",
        "title": _plain(APP_NAME, MAX_VIEW_TITLE),
        "close": _plain("Close", MAX_VIEW_TITLE),
        "blocks": [{"type": "section", "text": _mrkdwn(text)}],
    }


def encode_metadata(metadata: Mapping[str, str]) -> str:
    encoded = json.dumps(dict(metadata), separators=(",", ":"), sort_keys=True)
    if len(encoded) > MAX_PRIVATE_METADATA:
        raise ValueError("private_metadata too long")
    return encoded


def decode_metadata(text: object) -> dict[str, str]:
    """The modal's private metadata; anything unreadable is empty (it only says where to reply)."""
    if not isinstance(text, str) or not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(key): value for key, value in data.items() if isinstance(value, str)}


def read_view_inputs(state: object) -> dict[str, str]:
    """A submitted modal's values by field name: dates, chosen options and text, as strings."""
    values = state.get("values") if isinstance(state, dict) else None
    inputs: dict[str, str] = {}
    if not isinstance(values, dict):
        return inputs
    for block_id, actions in values.items():
        if not isinstance(actions, dict):
            continue
        for element in actions.values():
            if isinstance(element, dict):
                inputs[str(block_id)] = _element_value(element)
    return inputs


def _element_value(element: Mapping[str, Any]) -> str:
    kind = element.get("type")
    if kind == "datepicker":
        value = element.get("selected_date")
    elif kind == "static_select":
        option = element.get("selected_option")
        value = option.get("value") if isinstance(option, dict) else None
    else:
        value = element.get("value")
    return value if isinstance(value, str) else ""


NOTICE_BLOCK_ID = "staffroom_notice"


def render_retry_view(submitted: Mapping[str, Any], notice: str) -> JsonDict:
    """The submitted modal again with `notice` on top; same block ids, so Slack keeps what was typed."""
    kept = [
        block
        for block in submitted.get("blocks") or []
        if isinstance(block, dict) and block.get("block_id") != NOTICE_BLOCK_ID
    ]
    at = 1 if kept and kept[0].get("type") == "header" else 0
    warning = {
        "type": "section",
        "block_id": NOTICE_BLOCK_ID,
        "text": _mrkdwn(":warning: " + _cut(escape_mrkdwn(notice), 2900)),
    }
    view: JsonDict = {key: submitted[key] for key in ("type", "callback_id", "title", "submit", "close",
                                                         "private_metadata") if key in submitted}
    view["blocks"] = fit([*kept[:at], warning, *kept[at:]], MAX_VIEW_BLOCKS)
    return view
