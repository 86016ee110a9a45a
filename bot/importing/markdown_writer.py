"""Writing a tidied outline as a Markdown policy file in the school folder format.

Each paragraph goes on one line, list items as `- ` bullets (nested by two spaces) with the
numbers a reader sees kept in their text, and every character Markdown would read as
formatting escaped, so the policy library reads back exactly the document's words.
"""

from __future__ import annotations

import re

import yaml

from bot.importing.cleanup import Tidied
from bot.importing.outline import Block
from bot.importing.passages import split_passage
from intents.policy_library import MAX_PASSAGE_CHARS

#: What CommonMark reads as formatting anywhere in a line: escapes, code, emphasis, links, an HTML tag
#: or an autolink ("<" before a letter, "/", "!" or "?"), a character reference ("&amp;", "&#169;").
#: A plain "&", "#", "~", "|" or ">" is text, so it is written as it is ("Fire & Rescue Service").
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]]|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;))")
_LINE_START = re.compile(r"^(\s*)([-+=>#~]|\d+(?=[.)](\s|$)))")
#: A heading's closing run of "#" ("## Safety #"), which CommonMark drops.
_CLOSING_HASHES = re.compile(r"(?<=\s)(#+)(\s*)$")
#: The line that introduces a list is quoted with every bullet, so it is kept short enough to share.
_LEAD_LIMIT = 400


def escape(text: str, *, line_start: bool = True) -> str:
    """Text that Markdown reads back as itself: no emphasis, links, HTML, or a list or heading start."""
    escaped = _CLOSING_HASHES.sub(r"\\\1\2", _INLINE_SPECIAL.sub(r"\\\1", text))
    match = _LINE_START.match(escaped) if line_start else None
    if match:
        if match.group(2).isdigit():
            end = match.end()
            escaped = f"{escaped[:end]}\\{escaped[end:]}"
        else:
            escaped = f"{escaped[: match.start(2)]}\\{escaped[match.start(2):]}"
    return escaped


def render(tidied: Tidied, source: str, notes: list[str], *, lists: bool = True) -> str:
    """The Markdown file: front matter, then the blocks. Notes about splits are added to `notes`.

    Without `lists`, list items are written as paragraphs (their numbers kept in their text):
    the fallback for lists nested so deep that a bullet and the lines above it can't be quoted.
    """
    blocks = tidied.blocks if lists else [
        Block("paragraph", b.text, page=b.page) if b.kind == "item" else b for b in tidied.blocks
    ]
    body = _body(blocks, notes)
    front: dict[str, str] = {"title": tidied.title}
    if tidied.school:
        front["school"] = tidied.school
    front["source"] = source
    if tidied.review:
        front["review"] = tidied.review
    front["note"] = _summary(notes)
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100000).strip()
    return f"---\n{header}\n---\n\n{body}"


def _summary(notes: list[str]) -> str:
    """The front matter's note: how the file was made, and what a person may want to check."""
    text = "Imported automatically with staffroom policies import; the wording is the document's."
    split = sum("between sentences" in note for note in notes)
    clauses = sum("between clauses" in note for note in notes)
    others = len(notes) - split - clauses
    if split:
        text += f" {split} passage(s) longer than {MAX_PASSAGE_CHARS} characters were split between sentences."
    if clauses:
        text += f" {clauses} sentence(s) longer than that were split between clauses: check they read well."
    if others:
        text += f" {others} other note(s) were printed by the import."
    return text


def _body(blocks: list[Block], notes: list[str]) -> str:
    out: list[str] = []
    section = ""
    lead = ""  # the paragraph a following list is quoted with
    item_texts: list[str] = []  # the open items above the current one, by depth
    previous_kind = ""
    for position, block in enumerate(blocks):
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        if block.kind == "heading":
            section = block.text
            lead = ""
            if previous_kind == "item":
                out.append("")
            out.append(f"{'#' * min(block.level + 1, 6)} {escape(block.text, line_start=False)}\n")
        elif block.kind == "paragraph":
            limit = MAX_PASSAGE_CHARS
            pieces, clause_split = split_passage(block.text, limit)
            _note_split(notes, section, block.text, pieces, clause_split)
            if following is not None and following.kind == "item" and len(pieces[-1]) > _LEAD_LIMIT:
                last, _ = split_passage(pieces[-1], _LEAD_LIMIT)
                if len(last) > 1:
                    pieces = [p for p in [*pieces[:-1], " ".join(last[:-1]), last[-1]] if p]
                    where = f"in '{section}'" if section else "before the first heading"
                    notes.append(
                        f"the paragraph {where} that introduces a list was divided at a sentence, so that "
                        "each bullet is quoted with its last sentence only"
                    )
            if previous_kind == "item":
                out.append("")
            out.extend(f"{escape(piece)}\n" for piece in pieces)
            lead = pieces[-1]
        else:
            depth = min(block.depth, len(item_texts)) if previous_kind == "item" else 0
            del item_texts[depth:]
            limit = MAX_PASSAGE_CHARS - len(lead) - sum(len(t) for t in item_texts)
            pieces, clause_split = split_passage(block.text, max(limit, 200))
            _note_split(notes, section, block.text, pieces, clause_split)
            for piece in pieces:
                out.append(f"{'  ' * depth}- {escape(piece)}")
            item_texts.append(pieces[-1])
        previous_kind = block.kind
        if block.kind != "item":
            item_texts = []
    return "\n".join(out).rstrip() + "\n"


def _note_split(notes: list[str], section: str, text: str, pieces: list[str], clause_split: bool) -> None:
    if len(pieces) < 2:
        return
    where = f"in '{section}'" if section else "before the first heading"
    start = " ".join(text.split()[:6])
    if clause_split:
        notes.append(
            f"a sentence {where} (\"{start}…\") is longer than {MAX_PASSAGE_CHARS} characters and was split "
            "between clauses: check it reads well"
        )
    else:
        notes.append(
            f"the passage {where} starting \"{start}…\" ({len(text)} characters) was split between sentences "
            f"into {len(pieces)} passages of at most {MAX_PASSAGE_CHARS}"
        )
