"""A table cell that holds a list: its items kept apart, so each can be quoted with the rest of its row.

A cell read from a PDF keeps its list items on lines of their own ("\\n" between them): its bulleted
lines, or lines that each end with a full stop (one outcome a line). A row whose one list cell holds
sentences (each item ends with a full stop), or more than a passage holds, is quoted an item at a
time, each with the row's other cells after their column headings, as a row is ("Topic: Health and
Prevention; Pupils should know: about dental health…"), so a question about one item finds that item,
not a dozen of them. A short list of words ("Admissions; Exclusions; Staff grievances") stays in its
row, which reads best whole; any other row is one passage too.
"""

from __future__ import annotations

import re

from bot.importing.wording import row_text

#: Between the items of a list in a cell's text.
ITEM_BREAK = "\n"
#: A row longer than this is quoted an item at a time even when its items are not sentences.
_LONG_ROW = 900


def cell_items(cell: str) -> list[str]:
    """A cell's list items, each with the line introducing them ("Staff should:") when the cell has one."""
    parts = [part for part in cell.split(ITEM_BREAK) if part]
    if len(parts) > 2 and parts[0].endswith(":"):
        return [f"{parts[0]} {part}" for part in parts[1:]]
    return parts


def flat_cell(cell: str) -> str:
    """A cell's text on one line: its items kept apart with semicolons (after a colon, a space)."""
    text = ""
    for part in cell.split(ITEM_BREAK):
        if part:
            text = f"{text}{' ' if text.endswith(':') else '; '}{part}" if text else part
    return text


def row_passages(headings: list[str], row: list[str]) -> list[str]:
    """A table row's passages: one for the row, or one for each item of the one cell that holds a list."""
    flat = [flat_cell(cell) for cell in row]
    whole = row_text(headings, flat)  # "" for the headings repeated on a new page
    listed = [column for column, cell in enumerate(row) if len(cell_items(cell)) >= 2]
    if not whole or len(listed) != 1:
        return [whole] if whole else []
    column = listed[0]
    items = cell_items(row[column])
    sentences = all(re.search(r"[.!?]$", item) for item in items)
    context = any(value for position, value in enumerate(flat) if position != column) or (
        column < len(headings) and bool(headings[column])
    )
    if not context and sentences and sum(1 for value in flat if value) == 1:
        return items  # paragraphs set in a table's one cell: each its own passage, as on a page
    if not context or (not sentences and len(whole) <= _LONG_ROW):
        return [whole]
    return [
        row_text(headings, [item if position == column else value for position, value in enumerate(flat)])
        for item in items
    ]
