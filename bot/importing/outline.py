"""The outline a document is read into, whatever its format: headings, paragraphs, list items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item"]


@dataclass
class Block:
    """One heading, paragraph or list item, with its words exactly as the document has them.

    `level` is a heading's level when the document says it (Word's Heading 1 is 1); 0 means
    work it out from `strength`, how prominent the heading looks (size, bold, capitals).
    `depth` is a list item's nesting (0 for a top-level item). `page` is where it starts.
    `row` marks a table row (its cells after their column headings).
    """

    kind: BlockKind
    text: str
    level: int = 0
    strength: float = 0.0
    depth: int = 0
    page: int = 0
    row: bool = False


@dataclass
class Outline:
    """A document read in: its title, what its cover says, and its blocks in reading order."""

    file_name: str
    kind: str  # "PDF" or "Word document"
    title: str
    dated: datetime | None
    blocks: list[Block]
    pages: int = 0
    cover_lines: list[str] = field(default_factory=list)
    school: str = ""
    notes: list[str] = field(default_factory=list)


class ImportRefused(Exception):
    """A document that can't be imported; the message names the file and says why, for a person."""
