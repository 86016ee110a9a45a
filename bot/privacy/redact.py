"""Take requesters' reasons and notes out of a reply that others will read (a channel, a group chat)."""

from __future__ import annotations

from bot.messages import Block, FieldsBlock, Reply


def _redact_block(block: Block) -> Block | None:
    if not isinstance(block, FieldsBlock):
        return block
    kept = tuple(field for field in block.fields if not field.private)
    return block.model_copy(update={"fields": kept}) if kept else None


def redact_reasons(reply: Reply) -> Reply:
    """The reply without the private facts (reasons, notes) of any request it shows, nor of the card it
    leaves where its button was pressed."""
    blocks = tuple(found for found in (_redact_block(block) for block in reply.blocks) if found is not None)
    redacted = reply if blocks == reply.blocks else reply.model_copy(update={"blocks": blocks})
    outcome = reply.outcome
    if outcome is None or outcome.pressed is None:
        return redacted
    pressed = redact_reasons(outcome.pressed)
    return redacted.model_copy(update={"outcome": outcome.model_copy(update={"pressed": pressed})})
