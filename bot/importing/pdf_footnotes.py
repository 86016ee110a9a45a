"""Footnotes in a PDF exported from Word: their reference marks, and the notes at the page foot.

Word prints a footnote's reference as a small raised number ("the National Curriculum¹") and the
note itself under a short rule at the foot of the page, starting with the same raised number.
Read as plain lines, the note would cut the paragraph that runs on to the next page in two and
the mark would stick to its word ("Curriculum1"). So the marks are left out of the text, and each
note is read as a paragraph of its own, to be placed after the paragraph that refers to it.
"""

from __future__ import annotations

import re
from typing import Any

#: What Word uses to number footnotes: digits, or symbols (*, †, ‡, §) in a custom style.
_MARK = re.compile(r"[0-9*†‡§]")


def char_key(char: dict[str, Any]) -> tuple[str, int, int]:
    """A character told apart from the others on its page by its text and position."""
    return str(char.get("text", "")), round(float(char["x0"]) * 10), round(float(char["top"]) * 10)


def reference_marks(page: Any) -> list[dict[str, Any]]:
    """The footnote marks of a page: digits (or *, †) smaller than and raised above the text beside them."""
    chars = [c for c in page.chars if str(c.get("text", "")).strip()]
    marks: list[dict[str, Any]] = []
    for index, char in enumerate(chars):
        if not _MARK.fullmatch(str(char["text"])):
            continue
        size = float(char["size"])
        for neighbour in (chars[index - 1] if index else None, chars[index + 1] if index + 1 < len(chars) else None):
            if neighbour is None or _MARK.fullmatch(str(neighbour["text"])):
                continue
            other = float(neighbour["size"])
            same_line = abs(float(neighbour["top"]) - float(char["top"])) < other
            raised = float(char["bottom"]) < float(neighbour["bottom"]) - 0.05 * other
            if same_line and size <= 0.75 * other and raised:
                marks.append(char)
                break
    # The other digits of a mark such as "12", printed the same way beside the one found.
    found = {id(mark) for mark in marks}
    grown = True
    while grown:
        grown = False
        for index, char in enumerate(chars):
            if id(char) in found or not _MARK.fullmatch(str(char["text"])):
                continue
            beside = [chars[i] for i in (index - 1, index + 1) if 0 <= i < len(chars) and id(chars[i]) in found]
            if any(abs(float(b["size"]) - float(char["size"])) < 0.1 and abs(float(b["top"]) - float(char["top"])) < 1
                   for b in beside):
                marks.append(char)
                found.add(id(char))
                grown = True
    return marks


def footnote_rule(page: Any, marks: list[dict[str, Any]]) -> float | None:
    """Where the notes start: the top of Word's short rule at the left of the page foot, with a mark under it.

    None when the page has no footnotes.
    """
    width, height = float(page.width), float(page.height)
    rules = [
        float(obj["top"])
        for obj in [*page.rects, *page.lines]
        if float(obj["bottom"]) - float(obj["top"]) <= 2
        and 40 <= float(obj["x1"]) - float(obj["x0"]) <= 0.45 * width
        and float(obj["x0"]) < 0.3 * width
        and float(obj["top"]) > 0.4 * height
    ]
    for top in sorted(rules):
        # The first line under the rule starts with a mark: the first note.
        under = [c for c in page.chars if float(c["top"]) > top and str(c.get("text", "")).strip()]
        if not under:
            continue
        first_top = min(float(c["top"]) for c in under)
        first_line = [c for c in under if float(c["top"]) - first_top < 0.5 * float(c["size"]) + 3]
        first_char = min(first_line, key=lambda c: float(c["x0"]))
        if any(first_char is mark for mark in marks) and first_top - top < 3 * float(first_char["size"]) + 12:
            return top
    return None


def split_at_marks(chars: list[dict[str, Any]], marks: list[dict[str, Any]]) -> list[tuple[bool, list[dict[str, Any]]]]:
    """A line of the notes cut where a mark starts a new note: (starts a note, its characters) in order."""
    if not chars:
        return []
    top = min(float(c["top"]) for c in chars)
    bottom = max(float(c["bottom"]) for c in chars)
    on_line = sorted(float(m["x0"]) for m in marks if float(m["top"]) >= top - 2 and float(m["bottom"]) <= bottom + 2)
    pieces: list[tuple[bool, list[dict[str, Any]]]] = [(False, [])]
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        while on_line and float(char["x0"]) >= on_line[0]:
            on_line.pop(0)
            pieces.append((True, []))
        pieces[-1][1].append(char)
    return [(starts, piece) for starts, piece in pieces if any(str(c["text"]).strip() for c in piece)]


def chars_text(chars: list[dict[str, Any]]) -> str:
    """The text of characters on one line, with a space where the PDF leaves a gap but no space."""
    text = ""
    previous: dict[str, Any] | None = None
    for char in sorted(chars, key=lambda c: float(c["x0"])):
        letter = str(char["text"])
        if (
            previous is not None
            and not text.endswith(" ")
            and letter != " "
            and float(char["x0"]) - float(previous["x1"]) > 0.12 * float(char["size"])
        ):
            text += " "
        text += letter
        previous = char
    return re.sub(r"\s+", " ", text).strip()
