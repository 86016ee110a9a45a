"""Terminal rendering: a neutral reply as plain text, buttons as numbered choices."""

from __future__ import annotations

import textwrap

from bot.messages import Button, ButtonsBlock, FieldsBlock, FormBlock, QuoteBlock, Reply, TextBlock

_WIDTH = 88


def _quote(text: str) -> str:
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        wrapped = textwrap.wrap(line, _WIDTH - 4, subsequent_indent="  " if line.startswith("•") else "")
        lines.extend(f"  │ {part}" for part in (wrapped or [""]))
    return "\n".join(lines)


def render_reply(reply: Reply, choices: list[Button]) -> str:
    """Text for a terminal; every button is appended to `choices` and shown as [n]."""
    if not reply.blocks:
        return textwrap.fill(reply.text, _WIDTH, replace_whitespace=False)
    parts: list[str] = []
    for block in reply.blocks:
        if isinstance(block, QuoteBlock):
            parts.append(f"{block.citation}\n{_quote(block.text)}")
        elif isinstance(block, TextBlock):
            parts.append("\n".join(textwrap.fill(p, _WIDTH) for p in block.text.split("\n")))
        elif isinstance(block, FieldsBlock):
            parts.append("\n".join(f"  {f.label}: {f.value}" for f in block.fields))
        elif isinstance(block, ButtonsBlock):
            labels = []
            for button in block.buttons:
                choices.append(button)
                labels.append(f"[{len(choices)}] {button.label}")
            parts.append("   ".join(labels))
        elif isinstance(block, FormBlock):
            choices.append(Button(label=block.submit_label, action_id=block.submit_action_id, value=block.value))
            fields = ", ".join(i.label for i in block.inputs)
            parts.append(f"{block.title} ({fields})\n[{len(choices)}] {block.submit_label}")
    return "\n\n".join(parts)
