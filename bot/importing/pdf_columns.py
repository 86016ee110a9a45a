"""Tables drawn without ruling lines in a PDF: text in columns that start at the same places line after line.

Word's borderless tables (and tables whose only lines are white) have no rules for pdfplumber to
follow. They are seen from where the text sits: a row of short headings split by wide gaps, then
lines whose pieces start only at those headings' left edges and stay inside their columns. The
table ends at the first line that does not fit (body text running across the columns, a heading
in another size). Rows are told apart by the space between them, wider than between the wrapped
lines of a cell; a short cell (a bold label) centred against a neighbour that wraps over several
lines belongs to the row it sits in.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.importing.wording import bullet_rest, clean_characters, number_marker

#: How far a piece of text may start from its column's left edge and still be in that column.
_ALIGNED = 4.0
#: A gap between words wider than this many times the text size splits a line into columns.
_COLUMN_GAP = 1.5
#: At most this many words in a column heading.
_HEADING_WORDS = 6
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b$|-b$", re.I)


@dataclass
class _Piece:
    """Words of one line that sit together: a cell's line."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool  # starts in bold: a label, or a heading


@dataclass
class _TextLine:
    top: float
    bottom: float
    pieces: list[_Piece]


@dataclass(frozen=True)
class BorderlessTable:
    """The table's box on the page (x0, top, x1, bottom), its column headings and its rows (each cell's lines)."""

    bbox: tuple[float, float, float, float]
    headings: list[str]
    rows: list[list[str]]


def is_bold_font(font_name: str) -> bool:
    """Whether a PDF font is a bold one, by its name ("ABCDEF+SegoeUI-Bold", "Arial,Bold")."""
    return bool(_BOLD_FONT.search(font_name.split("+")[-1]))


def find_borderless_tables(page: Any) -> list[BorderlessTable]:
    """The tables without ruling lines on a page (already cleared of ruled tables), top to bottom."""
    lines = _text_lines(page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False))
    found: list[BorderlessTable] = []
    start = 0
    while start < len(lines):
        table, end = _table_from(lines, start)
        if table is None:
            start += 1
        else:
            found.append(table)
            start = end
    return found


def _text_lines(words: list[dict[str, Any]]) -> list[_TextLine]:
    """Words gathered into lines (by their top) and each line split at wide gaps into pieces."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (float(w["top"]), float(w["x0"]))):
        size = float(word["size"])
        if lines and abs(float(word["top"]) - float(lines[-1][0]["top"])) <= 0.25 * size:
            lines[-1].append(word)
        else:
            lines.append([word])
    text_lines: list[_TextLine] = []
    for line in lines:
        pieces: list[list[dict[str, Any]]] = []
        for word in sorted(line, key=lambda w: float(w["x0"])):
            if pieces:
                last = pieces[-1][-1]
                gap = float(word["x0"]) - float(last["x1"])
                size = max(float(word["size"]), float(last["size"]))
                marker = len(pieces[-1]) == 1 and _is_marker(str(last["text"]))
                if gap <= _COLUMN_GAP * size or marker:
                    pieces[-1].append(word)
                    continue
            pieces.append([word])
        text_lines.append(_TextLine(
            min(float(w["top"]) for w in line),
            max(float(w["bottom"]) for w in line),
            [_piece(words) for words in pieces],
        ))
    return text_lines


def _is_marker(text: str) -> bool:
    """A bullet or list number on its own: it starts the text after it, not a column."""
    return bullet_rest(f"{text} x") == "x" or number_marker(f"{text} x") is not None


def _piece(words: list[dict[str, Any]]) -> _Piece:
    return _Piece(
        clean_characters(" ".join(str(w["text"]) for w in words)),
        float(words[0]["x0"]),
        float(words[-1]["x1"]),
        min(float(w["top"]) for w in words),
        max(float(w["bottom"]) for w in words),
        statistics.median(float(w["size"]) for w in words),
        is_bold_font(str(words[0]["fontname"])),
    )


def _heading_row(line: _TextLine) -> bool:
    """Two or more short pieces of words, none a bullet, a number or a form's label ("Date:")."""
    return len(line.pieces) >= 2 and all(
        len(piece.text.split()) <= _HEADING_WORDS
        and re.search(r"[A-Za-z]{2}", piece.text) is not None
        and not piece.text.endswith((".", ",", ";", ":"))
        and bullet_rest(piece.text) is None
        for piece in line.pieces
    )


def _column_of(piece: _Piece, starts: list[float], size: float) -> int | None:
    """The column a piece of text sits in, or None when it starts between columns or runs into the next."""
    if abs(piece.size - size) > 1.0:
        return None  # a heading or a note in another size: the table has ended
    for column, start in enumerate(starts):
        following = starts[column + 1] if column + 1 < len(starts) else None
        indented = column == 0 and following is not None and start + _ALIGNED < piece.x0 < following - _ALIGNED
        if piece.x0 < start - _ALIGNED or indented:
            return None  # left of the table, or indented under its first column: a list after it
        if following is not None and piece.x0 >= following - _ALIGNED:
            continue
        if following is not None and piece.x1 > following - _ALIGNED:
            return None  # runs across into the next column: body text, not a cell
        return column
    return None


def _table_from(lines: list[_TextLine], start: int) -> tuple[BorderlessTable | None, int]:
    """The table whose column headings are the line at `start`, and the index of the line after it."""
    header = lines[start]
    if not _heading_row(header):
        return None, start + 1
    starts = [piece.x0 for piece in header.pieces]
    size = statistics.median(piece.size for piece in header.pieces)
    placed: list[list[tuple[int, _Piece]]] = [list(enumerate(header.pieces))]
    for line in lines[start + 1:]:
        columns = [_column_of(piece, starts, size) for piece in line.pieces]
        if any(column is None for column in columns):
            break
        placed.append([(c, piece) for c, piece in zip(columns, line.pieces, strict=True) if c is not None])
    grouped = _row_lines(placed, size)
    while len(grouped) > 1 and len({column for line in grouped[-1] for column, _ in line}) < 2:
        grouped.pop()  # a short line at the table's left edge after it: the text that follows the table
    heading_lines, body = grouped[0], grouped[1:]
    rows = [_cells(row, len(starts)) for row in body]
    filled = sum(1 for row in rows if sum(1 for cell in row if cell) >= 2)
    if not rows or filled < len(rows) / 2 or not _set_apart(heading_lines, body):
        return None, start + 1
    pieces = [piece for row in grouped for line in row for _, piece in line]
    bbox = (
        min(piece.x0 for piece in pieces) - 1,
        min(piece.top for piece in pieces) - 1,
        max(piece.x1 for piece in pieces) + 1,
        max(piece.bottom for piece in pieces) + 1,
    )
    headings = [" ".join(lines) for lines in _cells(heading_lines, len(starts))]
    table = BorderlessTable(bbox, headings, [["\n".join(cell) for cell in row] for row in rows])
    return table, start + sum(len(row) for row in grouped)


def _row_lines(placed: list[list[tuple[int, _Piece]]], size: float) -> list[list[list[tuple[int, _Piece]]]]:
    """The table's lines gathered into rows: a row ends where the space to the next line is wider than in a cell."""
    by_column: dict[int, list[_Piece]] = {}
    for line in placed:
        for column, piece in line:
            by_column.setdefault(column, []).append(piece)
    # The wrapped lines of one cell: the least distance between lines of a column that start at the same place.
    pitches = [
        b.top - a.top
        for pieces in by_column.values()
        for a, b in itertools.pairwise(pieces)
        if b.top - a.top < 2.2 * size and abs(b.x0 - a.x0) <= _ALIGNED
    ]
    cell_pitch = min(pitches) if pitches else 1.2 * size
    rows = [[placed[0]]]
    for previous, line in itertools.pairwise(placed):
        if min(p.top for _, p in line) - min(p.top for _, p in previous) > cell_pitch * 1.35:
            rows.append([line])
        else:
            rows[-1].append(line)
    return rows


def _cells(row: list[list[tuple[int, _Piece]]], width: int) -> list[list[str]]:
    """A row's lines of text in each column.

    Text side by side within one column (a phone number to the right of a web address, under one
    heading) is read a side at a time, left to right.
    """
    columns: list[list[_Piece]] = [[] for _ in range(width)]
    for line in row:
        for column, piece in line:
            columns[column].append(piece)
    cells: list[list[str]] = []
    for pieces in columns:
        sides: list[list[_Piece]] = []
        for piece in sorted(pieces, key=lambda p: p.x0):
            if sides and piece.x0 < max(p.x1 for p in sides[-1]):
                sides[-1].append(piece)
            else:
                sides.append([piece])
        cells.append([piece.text for side in sides for piece in sorted(side, key=lambda p: p.top)])
    return cells


def _set_apart(heading_lines: list[list[tuple[int, _Piece]]], body: list[list[list[tuple[int, _Piece]]]]) -> bool:
    """Whether the headings look unlike the rows under them (bold against plain, capitals): they head columns.

    A list of pairs written in columns ("CPD   Continuous Professional Development") has no such row.
    """
    def looks(piece: _Piece) -> tuple[bool, bool]:
        return piece.bold, piece.text.upper() == piece.text

    def first_pieces(row: list[list[tuple[int, _Piece]]]) -> dict[int, _Piece]:
        firsts: dict[int, _Piece] = {}
        for line in row:
            for column, piece in line:
                firsts.setdefault(column, piece)
        return firsts

    headings = first_pieces(heading_lines)
    for column, heading in headings.items():
        cells = [looks(firsts[column]) for firsts in map(first_pieces, body) if column in firsts]
        if cells and Counter(cells).most_common(1)[0][0] != looks(heading):
            return True
    return False
