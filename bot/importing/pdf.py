"""Reading a PDF (as Word and other programs export them) into an outline, with pdfplumber.

pdfplumber gives each character's font and size, so headings are told from body text by
looking bold or larger; lines are grouped into paragraphs by their spacing and indents, and
list items by their bullet or number. Running headers and footers (the same line on many
pages), page numbers, the title and cover lines are taken out; tables, ruled or not
(`pdf_columns`), are read row by row with their column headings.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from bot.importing.outline import Block, ImportRefused, Outline
from bot.importing.pdf_columns import find_borderless_tables, is_bold_font
from bot.importing.pdf_footnotes import char_key, chars_text, footnote_rule, reference_marks, split_at_marks
from bot.importing.pdf_weight import drawn_bold_fonts, font_name
from bot.importing.table_cells import ITEM_BREAK, flat_cell, row_passages
from bot.importing.wording import (
    POLICY_WORDS,
    SCHOOL_NAME,
    SECTION_WORD,
    Vocabulary,
    bullet_rest,
    clean_characters,
    is_blank_field,
    join_lines,
    number_marker,
)

#: Longest PDF imported: about half a second a page, so at most two minutes or so.
MAX_PAGES = 200
_MARGIN_ZONE = 0.12
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I)
_PAGE_OF = re.compile(r"^page \d{1,4} of \d{1,4}$", re.I)
#: The column headings of a log of the document's reviews ("Review date | Reviewed by | Signed off").
_REVIEW_LOG = re.compile(
    r"\b(?:review date|date of review|reviewed by|signed off|sign off|approved by|next review)\b", re.I
)
#: When the document was approved or reviewed ("Approved at FGB on 29/03/06"): said of it, not a heading of it.
_APPROVAL_LINE = re.compile(r"^(approved|adopted|ratified|agreed|reviewed|revised|updated|issued)\b.*\d", re.I)
#: A numbered heading whose title a colon follows with what the section says ("1. Introduction: what a
#: publication scheme is and why it has been developed."): a heading, though it reads on as a sentence.
_NUMBERED_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][A-Za-z]*(?: [A-Za-z]+){0,3}:\s+\S")
#: What a sentence lays down, a rule ("must be taken seriously"), unless asked as a question ("What should be done?").
_DUTY = re.compile(r"\b(must|should|shall|will)\s+(not\s+)?be\b")
_QUESTION = re.compile(r"^(what|how|when|who|why|where|which)\b|\?$", re.I)
#: Digits run together or in groups, as a telephone number is written ("0344 800 8020", "+44 (0)1603 286353").
_DIGIT_RUN = re.compile(r"\+?[\d(][\d() -]*\d")
#: A bold line ending with a full stop and this many words or more, in sentence case, is a sentence, not a title
#: ("Our curriculum meets the needs of our students whilst maintaining an ambitious approach to meeting their needs.").
LONGEST_TITLE_WITH_FULL_STOP = 12
#: A sentence's verb, or its speaker: what a bold line ending with a full stop has when it is a statement.
_STATEMENT = re.compile(r"\b(is|are|was|were|will|must|should|shall|may|can|be|has|have)\b")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    page_height: float
    note: int = 0  # a line of a footnote: which note (unique in the document); 0 for the body text
    page_width: float = 0.0  # a landscape page's lines end further right than a portrait page's
    face: str = ""  # the font (without its subset tag) nine in ten of its characters are set in; "" for a mix


@dataclass
class _Table:
    """A ruled table's rows, its column headings (from its bold leading rows) and where it starts."""

    top: float
    page: int
    headings: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: Headings set in the table's own rows ("Responsible staff" over a page laid out as a table): the
    #: body row each comes before → its text and strength.
    titles: dict[int, list[tuple[str, float]]] = field(default_factory=dict)


def read_pdf(path: Path) -> Outline:
    """The outline of a PDF, or `ImportRefused` saying why it can't be imported."""
    name = path.name
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:
        raise _refusal(name, error) from None
    with pdf:
        try:
            return _read(pdf, path)
        except ImportRefused:
            raise
        except Exception as error:
            raise _refusal(name, error) from None


def _refusal(name: str, error: Exception) -> ImportRefused:
    """What to tell a person when pdfminer can't open a PDF (pdfplumber wraps its errors)."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or isinstance(
            getattr(cause, "args", (None,))[0] if getattr(cause, "args", ()) else None,
            PDFPasswordIncorrect | PDFEncryptionError,
        ):
            return ImportRefused(
                f"{name}: the PDF is protected by a password; save a copy without protection and import that"
            )
        cause = cause.__cause__ or cause.__context__
    return ImportRefused(f"{name}: can't be read as a PDF (the file is damaged, incomplete or is not a PDF)")


def _read(pdf: Any, path: Path) -> Outline:
    name = path.name
    pages = pdf.pages
    if not pages:
        raise ImportRefused(f"{name}: the PDF has no pages")
    if len(pages) > MAX_PAGES:
        raise ImportRefused(
            f"{name}: {len(pages)} pages is more than the {MAX_PAGES} pages one import takes; "
            "split the document into parts and import each"
        )
    items: list[_Line | _Table] = []
    characters = 0
    unread: list[int] = []
    bold_fonts = drawn_bold_fonts(path)
    for number, page in enumerate(pages, start=1):
        try:
            characters += sum(1 for c in page.chars if c.get("text", "").strip())
            _name_bold_fonts(page, bold_fonts)
            items.extend(_page_items(page, number))
        except (PDFPasswordIncorrect, PDFEncryptionError):
            raise
        except Exception:  # one damaged page: the rest of the document is still worth reading
            if number == 1 and len(pages) == 1:
                raise
            unread.append(number)
        page.close()  # frees the page's parsed objects: a long PDF is read in bounded memory
    if len(unread) > len(pages) / 2:
        raise ImportRefused(f"{name}: can't be read as a PDF (most of its pages are damaged)")
    if characters < 20 * len(pages) and not any(isinstance(i, _Line) and len(i.text) > 20 for i in items):
        raise ImportRefused(
            f"{name}: the PDF has no text to read (it looks scanned, as pictures of pages); "
            "import the original Word document, or a PDF with a text layer (run it through OCR first)"
        )
    running = _running_texts(items, len(pages))
    running_title = _running_title(items, running)
    items = _without_running_lines(items, running)
    lines = [i for i in items if isinstance(i, _Line)]
    body_size = _body_size(lines)
    title, school, items = _take_title(items, body_size)
    items, cover = _take_cover_pages(items)
    outline = Outline(
        file_name=name,
        kind="PDF",
        title=title or running_title or _metadata_title(pdf.metadata) or "",
        dated=_pdf_date(pdf.metadata),
        blocks=[],
        pages=len(pages),
        cover_lines=cover,
        school=school,
    )
    if unread:
        shown = ", ".join(str(n) for n in unread)
        outline.notes.append(f"page(s) {shown} could not be read and are missing: check them against the PDF")
    vocabulary = Vocabulary(w for line in lines for w in Vocabulary.words_in(line.text))
    outline.blocks = _blocks(items, body_size, vocabulary)
    return outline


def _is_bold(char: dict[str, Any]) -> bool:
    return is_bold_font(str(char.get("fontname", "")))


def _name_bold_fonts(page: Any, bold_fonts: frozenset[str]) -> None:
    """The page's characters in fonts drawn bold but not named so (`pdf_weight`) are given a bold font's name.

    Every later test of boldness (a line's, a table's heading row's, a borderless table's label)
    reads pdfplumber's font names, so it then sees them as bold.
    """
    if not bold_fonts:
        return
    for char in page.chars:
        name = str(char.get("fontname", ""))
        if font_name(name) in bold_fonts:
            char["fontname"] = f"{name},Bold"


def _page_items(page: Any, number: int) -> list[_Line | _Table]:
    page = _without_turned_text(page)
    tables = _tables(page.filter(_drawn), number) if (page.rects or page.lines) else []
    marks = reference_marks(page)
    mark_keys = {char_key(mark) for mark in marks}
    rule = footnote_rule(page, marks)
    text_page = page.filter(_kept([box for box, _ in tables], mark_keys)) if tables or mark_keys else page
    borderless = _borderless_tables(text_page, number)
    if borderless:
        tables.extend(borderless)
        text_page = page.filter(_kept([box for box, _ in tables], mark_keys))
    items: list[_Line | _Table] = []
    note = number * 1000
    raws = _picture_bullets(page, text_page.extract_text_lines(return_chars=True, strip=True))
    for raw in _bullets_on_their_lines(raws):
        chars = [c for c in raw["chars"] if c.get("text", "").strip()]
        if rule is None or float(raw["top"]) < rule:
            pieces = [(False, chars, clean_characters(raw["text"]))]
        else:  # the notes at the page foot: a mark starts the next one
            pieces = [
                (starts, part, clean_characters(chars_text(part)))
                for starts, part in split_at_marks(raw["chars"], marks)
            ]
        for starts, part, text in pieces:
            if not part or not text:
                continue
            if rule is not None and float(raw["top"]) >= rule:
                note += starts or note == number * 1000
            part = [c for c in part if str(c.get("text", "")).strip()] or part
            sizes = [round(float(c["size"]) * 2) / 2 for c in part]
            bold = sum(1 for c in part if _is_bold(c)) >= 0.9 * len(part)
            items.append(
                _Line(
                    text,
                    min(float(c["x0"]) for c in part) if len(pieces) > 1 else float(raw["x0"]),
                    max(float(c["x1"]) for c in part) if len(pieces) > 1 else float(raw["x1"]),
                    float(raw["top"]),
                    float(raw["bottom"]),
                    statistics.median(sizes),
                    bold,
                    number,
                    float(page.height),
                    note if rule is not None and float(raw["top"]) >= rule else 0,
                    float(page.width),
                    _face(part),
                )
            )
    items.extend(table for _, table in tables)
    items.sort(key=lambda item: item.top)
    return items


def _face(chars: list[dict[str, Any]]) -> str:
    """The font a line is set in (nine in ten of its characters; a bullet in a symbol font aside), or ""."""
    fonts = Counter(font_name(str(c.get("fontname", ""))) for c in chars)
    name, count = fonts.most_common(1)[0] if fonts else ("", 0)
    return name if count >= 0.9 * len(chars) else ""


def _lone_bullet(raw: dict[str, Any]) -> bool:
    """A line that is only a bullet glyph ("o", "•", a Wingdings square), with no text of its own."""
    glyph = str(raw.get("text", "")).strip()
    return len(glyph) == 1 and bullet_rest(clean_characters(f"{glyph} x")) == "x"


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> float:
    """How far two lines share the same height on the page, in points (negative when they don't)."""
    return min(float(a["bottom"]), float(b["bottom"])) - max(float(a["top"]), float(b["top"]))


def _bullets_on_their_lines(raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each bullet glyph put back at the start of the line it marks.

    A bullet set in another font than its text (Word's second-level bullet, a Courier New "o")
    has a box lower or higher than the text's, so pdfplumber reads it as a line of its own
    between the item's first two lines. It belongs to the line just right of it that it overlaps most.
    """
    lone = [raw for raw in raws if _lone_bullet(raw)]
    if not lone:
        return raws
    merged: dict[int, dict[str, Any]] = {}
    taken: set[int] = set()
    for glyph in lone:
        height = float(glyph["bottom"]) - float(glyph["top"])
        beside = [
            raw for raw in raws
            if not _lone_bullet(raw) and id(raw) not in merged
            and 0 <= float(raw["x0"]) - float(glyph["x1"]) <= 4 * height
            and _overlap(glyph, raw) > height / 3
        ]
        if not beside:
            continue
        line = max(beside, key=lambda raw: _overlap(glyph, raw))
        merged[id(line)] = {
            **line,
            "text": f"{str(glyph['text']).strip()} {line['text']}",
            "x0": glyph["x0"],
            "chars": [*glyph["chars"], *line["chars"]],
        }
        taken.add(id(glyph))
    return [merged.get(id(raw), raw) for raw in raws if id(raw) not in taken]


#: A picture bullet is a small image, at most this many points each way.
PICTURE_BULLET_SIZE = 14


def _picture_bullets(page: Any, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines marked by Word's picture bullets read as bulleted: the bullet is a small image just left of the line's
    first letter, not a character, so the text alone would lose it and the list become paragraphs."""
    pictures = [
        image for image in page.images
        if 1 <= float(image["x1"]) - float(image["x0"]) <= PICTURE_BULLET_SIZE
        and 1 <= float(image["bottom"]) - float(image["top"]) <= PICTURE_BULLET_SIZE
    ]
    if not pictures:
        return raws
    marked = []
    for raw in raws:
        picture = next(
            (
                image for image in pictures
                if 0 <= float(raw["x0"]) - float(image["x1"]) <= 4 * (float(image["bottom"]) - float(image["top"]))
                and _overlap(image, raw) > (float(image["bottom"]) - float(image["top"])) / 3
            ),
            None,
        )
        if picture is None or _lone_bullet(raw) or bullet_rest(clean_characters(str(raw["text"]))) is not None:
            marked.append(raw)
        else:
            marked.append({**raw, "text": f"\u2022 {raw['text']}", "x0": picture["x0"]})
    return marked


def _turned(char: dict[str, Any]) -> bool:
    """Whether a character is set turned on the page (a table's column heading run up its column), not level.

    pdfplumber calls such characters upright; their text matrix says which way they run. Italic
    (slanted) letters still run left to right, so they are level.
    """
    a, b = (float(v) for v in char.get("matrix", (1, 0))[:2])
    return a <= 0 or abs(b) > 0.25 * a


def _without_turned_text(page: Any) -> Any:
    """The page without its turned characters: read line by line they come out as junk ('R ef er t o').

    Only when most of the page's text is level: a page whose text all runs turned is read as it is.
    """
    chars = [c for c in page.chars if str(c.get("text", "")).strip()]
    turned = sum(1 for c in chars if _turned(c))
    if not turned or turned * 2 >= len(chars):
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or not _turned(obj))


def _drawn(obj: dict[str, Any]) -> bool:
    """Whether an object shows on the page: not a white box with no border (a paragraph's white shading).

    Word exports shading as filled boxes; a white one draws nothing a reader sees, so it rules no table.
    """
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return True
    return not _is_white(obj.get("non_stroking_color"))


def _is_white(colour: Any) -> bool:
    """White in gray (1), RGB (1, 1, 1) or CMYK (0, 0, 0, 0)."""
    values = colour if isinstance(colour, tuple | list) else (colour,)
    if not values or not all(isinstance(v, int | float) for v in values):
        return False  # a pattern or an unknown colour space: taken as drawn
    if len(values) == 4:
        return all(v <= 0.02 for v in values)
    return all(v >= 0.98 for v in values)


def _kept(boxes: list[tuple[float, float, float, float]], mark_keys: set[tuple[str, int, int]]) -> Any:
    """Which of a page's objects are its running text: not in a table, not a footnote's raised mark."""

    def kept(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        if char_key(obj) in mark_keys:
            return False
        mid_x = (obj["x0"] + obj["x1"]) / 2
        mid_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)

    return kept


def _borderless_tables(page: Any, number: int) -> list[tuple[tuple[float, float, float, float], _Table]]:
    """Tables without ruling lines, read the same way as ruled ones (one row a passage, under its headings)."""
    return [
        (table.bbox, _Table(table.bbox[1], number, table.headings, [list(map(clean_cell, row)) for row in table.rows]))
        for table in find_borderless_tables(page)
    ]


def _tables(page: Any, number: int) -> list[tuple[tuple[float, float, float, float], _Table]]:
    found: list[tuple[tuple[float, float, float, float], _Table]] = []
    try:
        tables = page.find_tables()
    except Exception:  # ruling lines pdfplumber can't follow: the page is read as plain text
        return []
    for table in tables:
        extracted = table.extract()
        bold = [_row_is_bold(page, row.bbox) for row in table.rows]
        cells = [[clean_cell(cell) for cell in row] for row in extracted]
        width = max((len(r) for r in cells), default=0)
        keep = [col for col in range(width) if any(col < len(row) and row[col] for row in cells)]
        pairs = [
            ([row[col] if col < len(row) else "" for col in keep], bold[i] if i < len(bold) else False)
            for i, row in enumerate(cells)
        ]
        filled_rows = [table.rows[i] for i, row in enumerate(cells) if any(row) and i < len(table.rows)]
        pairs = [(row, is_bold) for row, is_bold in pairs if any(row)]
        titles: dict[int, list[tuple[str, float]]] = {}
        if any(_paragraph_row(row) for row, _ in pairs):  # a page laid out in a table: its bold lone lines head it
            kept: list[tuple[list[str], bool]] = []
            for position, (row, is_bold) in enumerate(pairs):
                if is_bold and position + 1 < len(pairs) and _title_row(row):
                    size = _row_size(page, filled_rows[position].bbox) if position < len(filled_rows) else 0.0
                    strength = size * 2 + 1.5
                    titles.setdefault(len(kept), []).append((flat_cell(next(c for c in row if c)), strength))
                else:
                    kept.append((row, is_bold))
            pairs = kept
        rows = [row for row, _ in pairs]
        filled = sum(1 for row in rows if sum(1 for cell in row if cell) >= 2)
        if len(keep) < 2 or len(rows) < 2 or filled < len(rows) / 2:
            continue  # a box drawn round text, or a layout grid, not a table of rows: read as text
        bold_rows = 0
        while bold_rows < len(pairs) - 1 and pairs[bold_rows][1]:
            bold_rows += 1
        named = [cell for cell in rows[0] if cell]
        if not bold_rows and len(rows) >= 3 and len(named) >= 2 and all(
            len(cell.split()) <= 5 and not re.search(r"\d", cell) for cell in named
        ):
            bold_rows = 1  # short headings without bold: still the column headings
        headings = [
            " ".join(flat_cell(part) for part in column if part) for column in zip(*rows[:bold_rows], strict=False)
        ]
        body = rows[bold_rows:]
        _move_headings_over_merged_cells(headings, body)
        headings, body = _without_empty_columns(headings, body)
        moved = {max(0, position - bold_rows): titled for position, titled in titles.items()}
        found.append((tuple(table.bbox), _Table(float(table.bbox[1]), number, headings, body, moved)))
    return found


def _paragraph_row(row: list[str]) -> bool:
    """A row that is one cell of running text (30 words or more): prose set in a table, not a value."""
    filled = [cell for cell in row if cell]
    return len(filled) == 1 and len(filled[0].split()) >= 30


def _title_row(row: list[str]) -> bool:
    """A row of one short cell that is no sentence: a heading over the rows after it."""
    filled = [cell for cell in row if cell]
    return len(filled) == 1 and len(filled[0].split()) <= 8 and not filled[0].rstrip().endswith((".", ";", ","))


def _row_size(page: Any, bbox: tuple[float, float, float, float] | None) -> float:
    """The font size most of a table row's characters are set in (0 when it has none)."""
    if bbox is None:
        return 0.0
    sizes = Counter(round(c["size"], 1) for c in page.crop(bbox, strict=False).chars if c.get("text", "").strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _row_is_bold(page: Any, bbox: tuple[float, float, float, float] | None) -> bool:
    """Whether a table row is set as column headings: all in bold, or all in white on a dark band."""
    if bbox is None:
        return False
    chars = [c for c in page.crop(bbox, strict=False).chars if c.get("text", "").strip()]
    light = all(_is_light(c.get("non_stroking_color")) for c in chars)
    return bool(chars) and (light or all(_is_bold(c) for c in chars))


def _is_light(colour: Any) -> bool:
    """White or nearly (text reversed out of a dark band), in gray, RGB or CMYK."""
    values = colour if isinstance(colour, tuple | list) else (colour,)
    if not values or not all(isinstance(v, int | float) for v in values):
        return False
    if len(values) == 4:
        return all(v <= 0.1 for v in values)
    return all(v >= 0.9 for v in values)


def _move_headings_over_merged_cells(headings: list[str], rows: list[list[str]]) -> None:
    """A heading drawn across two columns sits over one of them: give it to the one with the values."""
    def empty(column: int) -> bool:
        return all(column >= len(row) or not row[column] for row in rows)

    for column, heading in enumerate(headings):
        if heading or empty(column):
            continue
        for neighbour in (column + 1, column - 1):
            if 0 <= neighbour < len(headings) and headings[neighbour] and empty(neighbour):
                headings[column], headings[neighbour] = headings[neighbour], ""
                break


def _without_empty_columns(headings: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """Columns left with neither heading nor values (the other half of a merged cell) taken out.

    A table continued on the next page is then seen to have the same columns as its first part.
    """
    width = max([len(headings), *(len(row) for row in rows)], default=0)
    keep = [
        column for column in range(width)
        if (column < len(headings) and headings[column]) or any(column < len(row) and row[column] for row in rows)
    ]
    if len(keep) == width:
        return headings, rows
    kept_headings = [headings[c] if c < len(headings) else "" for c in keep] if headings else []
    return kept_headings, [[row[c] if c < len(row) else "" for c in keep] for row in rows]


def clean_cell(cell: str | None) -> str:
    """A table cell's text, its wrapped lines joined; the items of a list in it kept on lines of their own.

    A list is bulleted lines, or lines that each end with a full stop (one outcome a line).
    """
    if not cell:
        return ""
    lines = [line for line in (clean_characters(raw) for raw in cell.split("\n")) if line]
    one_a_line = len(lines) >= 2 and all(line.endswith(".") for line in lines)
    widest = max((len(line) for line in lines), default=0)
    parts: list[list[str]] = []
    for position, line in enumerate(lines):
        rest = bullet_rest(line)
        if rest is not None or not parts or one_a_line or (position and _ends_paragraph(lines[position - 1], widest)):
            parts.append([rest if rest is not None else line])
        else:
            parts[-1].append(line)
    vocabulary = Vocabulary()
    return ITEM_BREAK.join(join_lines(part, vocabulary) for part in parts)


def _ends_paragraph(line: str, widest: int) -> bool:
    """A cell's line that ends a sentence well short of the cell's width: its paragraph ends there."""
    return widest >= 60 and line.endswith((".", "!", "?")) and len(line) < 0.6 * widest


def _normalised(text: str) -> str:
    """A margin line with its numbers as '#' and without a page number at its end: "FET ECT Policy 3" is the
    running footer "FET ECT Policy" that a page or two carry without their number."""
    return re.sub(r"\s*(page\s*)?#$", "", re.sub(r"\d+", "#", text.lower()).strip()) or "#"


def _running_title(items: list[_Line | _Table], running: set[str]) -> str:
    """A page header naming a policy ("FREEDOM OF INFORMATION POLICY" atop every page): the title, when the
    document sets none of its own on its first page (the header is dropped with the other running lines)."""
    for item in items:
        if isinstance(item, _Line) and item.page == 1 and _in_margin(item) and _normalised(item.text) in running:
            text = item.text.strip()
            if POLICY_WORDS.search(text) and len(text.split()) <= 12 and not SCHOOL_NAME.match(text.rstrip(". ")):
                return text
    return ""


def _in_margin(line: _Line) -> bool:
    return line.top < _MARGIN_ZONE * line.page_height or line.bottom > (1 - _MARGIN_ZONE) * line.page_height


def _running_texts(items: list[_Line | _Table], page_count: int) -> set[str]:
    """The lines repeated in the margins of many pages."""
    pages_with: dict[str, set[int]] = {}
    for item in items:
        if isinstance(item, _Line) and _in_margin(item):
            pages_with.setdefault(_normalised(item.text), set()).add(item.page)
    needed = max(2, int(0.4 * page_count + 0.5))
    return {text for text, pages in pages_with.items() if len(pages) >= needed}


def _without_running_lines(items: list[_Line | _Table], running: set[str]) -> list[_Line | _Table]:
    """Drop page headers and footers (the `running` lines, in the margins) and page numbers."""
    kept: list[_Line | _Table] = []
    for item in items:
        if isinstance(item, _Line) and (
            (_in_margin(item) and (_normalised(item.text) in running or _PAGE_NUMBER.match(item.text)))
            or _PAGE_OF.match(item.text)
        ):
            continue
        kept.append(item)
    return kept


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def _take_title(items: list[_Line | _Table], body_size: float) -> tuple[str, str, list[_Line | _Table]]:
    """The title and the school's name: the large text of the first two pages, larger than the body text.

    The largest text is the title, unless it is the school's name (a letterhead): then the largest
    text that names a policy, or else the next largest, is the title.
    """
    early = [
        i for i in items
        if isinstance(i, _Line) and i.page <= 2 and (i.size >= body_size + 1.5 or (i.bold and i.size >= body_size))
    ]
    groups: list[list[_Line]] = []
    for line in early:
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and line.size == previous.size
            and line.page == previous.page
            and line.top - previous.bottom <= line.size * 1.5
        ):
            groups[-1].append(line)
        else:
            groups.append([line])
    groups.sort(key=lambda group: -group[0].size)  # stable: the first of equal size stays first

    def text_of(group: list[_Line]) -> str:
        return " ".join(line.text for line in group)

    school_lines = [g for g in groups if SCHOOL_NAME.match(text_of(g).rstrip(". "))]
    large = [g for g in groups if g not in school_lines and g[0].size >= body_size + 1.5]
    named = [
        g for g in groups
        if g not in school_lines and POLICY_WORDS.search(text_of(g)) and len(text_of(g).split()) <= 20
    ]
    named.sort(key=lambda group: (group[0].page, group[0].top))  # a policy's name comes first
    # The title comes first: a heading below it ("1. Policy Statement", larger; "Policy statement", in bold at the
    # body's size) is no title, whichever of the two it is.
    candidates = sorted([*large, *(g for g in named if g not in large)], key=lambda g: (g[0].page, g[0].top))
    chosen = (candidates or [[]])[0]
    school = text_of(school_lines[0]).rstrip(". ") if school_lines and chosen else ""
    taken = {id(line) for line in chosen} | ({id(line) for line in school_lines[0]} if school else set())
    title = " ".join(line.text for line in chosen)
    return title, school, [i for i in items if id(i) not in taken]


def _take_cover_pages(items: list[_Line | _Table]) -> tuple[list[_Line | _Table], list[str]]:
    """A cover page (among the first two, under 60 words, no table) is read for its dates and left out."""
    cover: list[str] = []
    for page in (1, 2):
        on_page = [i for i in items if i.page == page]
        if not on_page or any(isinstance(i, _Table) for i in on_page):
            continue
        words = sum(len(i.text.split()) for i in on_page if isinstance(i, _Line))
        if words < 60:
            cover.extend(i.text for i in on_page if isinstance(i, _Line))
            items = [i for i in items if i.page != page]
    return items, cover


def _metadata_title(metadata: dict[str, Any] | None) -> str:
    title = str((metadata or {}).get("Title") or "").strip()
    return title if POLICY_WORDS.search(title) else ""


def _pdf_date(metadata: dict[str, Any] | None) -> datetime | None:
    for key in ("ModDate", "CreationDate"):
        raw = str((metadata or {}).get(key) or "")
        match = re.search(r"(\d{4})(\d{2})(\d{2})", raw)
        if match:
            try:
                return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def _line_pitch(lines: list[_Line]) -> float:
    """The usual distance from one line of a paragraph to the next."""
    pitches: Counter[float] = Counter()
    for previous, line in itertools.pairwise(lines):
        pitch = line.top - previous.top
        if line.page == previous.page and line.size == previous.size and 0 < pitch < 3 * line.size:
            pitches[round(pitch * 2) / 2] += 1
    if not pitches:
        return 14.0
    usual = pitches.most_common(1)[0][1]
    # Of the commonest three, the closest spacing, unless it is a few lines' only (a box at the head of each page).
    return min(pitch for pitch, count in pitches.most_common(3) if count >= max(2, usual / 10) or count == usual)


def _right_margins(lines: list[_Line]) -> dict[float, float]:
    """Where full lines of body text end, for each width of page (landscape pages' lines end further right)."""
    by_width: dict[float, list[_Line]] = {}
    for line in lines:
        by_width.setdefault(round(line.page_width), []).append(line)
    return {width: _right_margin(on_pages) for width, on_pages in by_width.items()}


def _right_margin(lines: list[_Line]) -> float:
    """Where full lines of body text end (a high percentile, so one wide line does not move it)."""
    ends = sorted(line.x1 for line in lines if len(line.text) >= 40) or sorted(line.x1 for line in lines)
    return ends[int(0.95 * (len(ends) - 1))] if ends else 0.0


def _left_margin(lines: list[_Line], body_size: float) -> float:
    """Where paragraphs of body text start: the leftmost edge that a tenth or more of the body's lines share.

    (The commonest edge may be a list's, in a document of many lists.)
    """
    edges = Counter(round(line.x0) for line in lines if not line.bold and abs(line.size - body_size) <= 0.6)
    total = sum(edges.values())
    return float(min((edge for edge, count in edges.items() if count >= 0.1 * total), default=0))


def _indented_item(line: _Line, margin: float, body_size: float) -> bool:
    """A numbered line in bold but the body's size, indented from the paragraphs: a list item in bold, no heading.

    Word sets its numbered headings at the margin (or larger); a list's numbers stand in from it.
    """
    return line.bold and line.size <= body_size + 0.6 and line.x0 > margin + 6


def _numbered_heading(line: _Line, previous_item: _Line | None, following: _Line | None, margin: float) -> bool:
    """A numbered line in bold, stood in from the text, with its paragraph back at the margin straight under it
    (or a bulleted list no further in than its number): a heading (Word's numbered heading styles indent the
    number as a list's), not an item of a list in bold.

    A list's items follow one another, or wrap under their text, and its last item is not alone:
    the numbered item before it (`previous_item`, the line that started it) is at the same place.
    """
    return (
        following is not None
        and following.page == line.page
        and not following.bold
        and (
            abs(following.x0 - margin) <= 3
            or (bullet_rest(following.text) is not None and following.x0 <= line.x0 + 3)  # a list not under it
        )
        and not re.search(r"[.:;,]$", line.text)
        and not (
            previous_item is not None and previous_item.page == line.page and abs(previous_item.x0 - line.x0) <= 3
        )
    )


def _heading_style(line: _Line, body_size: float) -> bool:
    return line.bold or (line.size >= body_size + 1.5 and line.size >= body_size * 1.15)


@dataclass
class _Group:
    lines: list[_Line]
    marker: str  # "" for a paragraph, "•" for a bullet, else the list number as written
    indent: float  # where an item's text starts, so wrapped lines can be told from the next paragraph
    tight: bool = False  # starts on the line right after the previous group, with no space between
    note: bool = False  # a footnote, read as a paragraph of its own


def _blocks(items: list[_Line | _Table], body_size: float, vocabulary: Vocabulary) -> list[Block]:
    lines = [i for i in items if isinstance(i, _Line)]
    pitch = _line_pitch(lines)
    margin = _left_margin(lines, body_size)
    body_face = _body_face(lines, body_size)
    right_margins = _right_margins(lines)
    groups: list[_Group | _Table] = []
    previous: _Line | None = None
    notes: dict[int, list[_Line]] = {}  # footnotes waiting for the paragraph that refers to them to end

    def place_notes() -> None:
        for lines in notes.values():
            groups.append(_Group(lines, "", lines[0].x0, note=True))
        notes.clear()

    previous_item: _Line | None = None  # the line that started the numbered list item going on
    body_lines = [item for item in items if isinstance(item, _Line) and not item.note]
    following_line: dict[int, _Line | None] = {id(line): None for line in body_lines[-1:]}
    following_line.update(zip(map(id, body_lines), body_lines[1:], strict=False))
    for item in items:
        if isinstance(item, _Line) and item.note:
            notes.setdefault(item.note, []).append(item)
            continue
        if isinstance(item, _Table):
            last = groups[-1] if groups else None
            continues = (
                isinstance(last, _Table)
                and item.page == last.page + 1
                and bool(item.rows and last.rows)
                and len(item.rows[0]) == len(last.rows[0])
                and (not item.headings or item.headings == last.headings)
            )
            if continues and isinstance(last, _Table):
                rows = item.rows
                offset = len(last.rows)
                if not rows[0][0] and 0 not in item.titles:  # a row broken by the page end
                    last.rows[-1] = [f"{a} {b}".strip() for a, b in zip(last.rows[-1], rows[0], strict=False)]
                    rows = rows[1:]
                    offset -= 1
                last.rows.extend(rows)
                for position, titled in item.titles.items():
                    last.titles.setdefault(position + offset, []).extend(titled)
            else:
                groups.append(item)
            previous = previous_item = None
            continue
        line = item
        bullet = bullet_rest(line.text)
        number = None if bullet is not None else number_marker(line.text)
        starts_item = bullet is not None or (
            number is not None
            and (
                not _heading_style(line, body_size)
                or (
                    _indented_item(line, margin, body_size)
                    and not _numbered_heading(line, previous_item, following_line[id(line)], margin)
                )
            )
        )
        current = groups[-1] if groups and isinstance(groups[-1], _Group) else None
        carries_on = (
            not starts_item and current is not None and previous is not None
            and _continues(current, previous, line, pitch, right_margins[round(previous.page_width)], body_size)
        )
        if not carries_on and not starts_item:  # a note goes after the list, not between its items
            place_notes()
            current = groups[-1] if groups and isinstance(groups[-1], _Group) and not groups[-1].note else None
        previous_item = (line if bullet is None else None) if starts_item else previous_item if carries_on else None
        if starts_item:
            text = bullet if bullet is not None else line.text
            indent = line.x0 + (line.x1 - line.x0) * (1 - len(text) / max(len(line.text), 1))
            line.text = text
            groups.append(_Group([line], "•" if bullet is not None else str(number), indent))
        elif carries_on and current is not None:
            current.lines.append(line)
        else:
            tight = previous is not None and (
                line.page != previous.page or line.top - previous.top <= pitch * 1.25 + 0.5
            )
            groups.append(_Group([line], "", line.x0, tight))
        previous = line
    place_notes()
    return _to_blocks(groups, body_size, body_face, vocabulary)


def _continues(group: _Group, previous: _Line, line: _Line, pitch: float, right: float, body: float) -> bool:
    """Whether `line` carries on the paragraph or item that `previous` ended."""
    carries_item = bool(group.marker) and line.x0 >= group.indent - 4 and line.page == previous.page
    # A paragraph whose first words are in bold: a full bold line, then the sentence goes on in lower case.
    bold_start = (
        previous.bold and not line.bold and abs(line.size - previous.size) <= 0.6 and line.page == previous.page
        and bool(re.match(r"[a-z]", line.text)) and line.top - previous.top <= pitch * 1.25 + 0.5
        and right - previous.x1 <= 3 * (previous.x1 - previous.x0) / max(len(previous.text), 1)
    )
    if abs(line.size - previous.size) > 0.6 or (
        _heading_style(line, body) != _heading_style(previous, body)
        and not carries_item
        and not bold_start
        and not _runs_on_in_bold(group, previous, line, pitch, right, body)
    ):
        return False
    if line.page != previous.page and (re.search(r"[.:!?]$", previous.text) or line.page != previous.page + 1):
        return False
    if line.page != previous.page and _heading_style(previous, body) and not group.marker:
        return False  # Word keeps a heading's lines together on one page: bold text over the page is new
    # Wider spacing than usual ends the paragraph, unless the line carries on a sentence
    # (1.5 line spacing, or a style with more space between lines).
    gap = line.top - previous.top
    if (
        line.page == previous.page
        and gap > pitch * max(line.size / body, 1.0) * 1.25 + 0.5
        and not (gap < pitch * 2.2 and re.match(r"[a-z]", line.text))
    ):
        return False
    if group.marker and line.x0 < group.indent - 4 and not _item_goes_on(group, previous, line, pitch):
        return False
    if not group.marker and line.x0 > previous.x0 + 12 and len(group.lines) > 1:
        return False
    if _heading_style(line, body):
        return True
    if _sentence_goes_on(previous, line, pitch):
        return True
    first_word = line.text.split()[0] if line.text.split() else ""
    width = (previous.x1 - previous.x0) / max(len(previous.text), 1)
    # The next word would have fitted on the line before: the line was ended on purpose.
    return right - previous.x1 <= (len(first_word) + 4) * width * 1.1


def _sentence_goes_on(previous: _Line, line: _Line, pitch: float) -> bool:
    """A line broken mid-sentence by hand ("…to the Fire Wardens," / "and practised…"): the paragraph goes on.

    The line before stops with no full stop or colon, and this one starts in lower case straight under it.
    """
    return (
        line.page == previous.page
        and abs(line.x0 - previous.x0) <= 2
        and line.top - previous.top <= pitch * 1.25 + 0.5
        and bool(re.match(r"[a-z]", line.text))
        and not re.search(r"[.:;!?]$", previous.text)
        and len(previous.text.split()) >= 5
    )


def _item_goes_on(group: _Group, previous: _Line, line: _Line, pitch: float) -> bool:
    """A list item's sentence wrapped back to the bullet or the margin ("• Personal information about…, including" /
    "carers e.g. names…"): the line before stops mid-sentence, this one starts in lower case straight under it.

    A new paragraph after a list starts with a capital (or follows a full stop), so it is not taken in.
    """
    first = group.lines[0]
    return (
        line.page == previous.page
        and line.x0 >= first.x0 - (group.indent - first.x0) - 4
        and line.top - previous.top <= pitch * 1.25 + 0.5
        and bool(re.match(r"[a-z]", line.text))
        and not re.search(r"[.:;!?]$", previous.text)
        and len(previous.text.split()) >= 4
    )


def _runs_on_in_bold(group: _Group, previous: _Line, line: _Line, pitch: float, right: float, body: float) -> bool:
    """A bold phrase wrapped on to the next line of a sentence ("…in line with the Data" / "Protection Policy.").

    The line before was full and stopped mid-sentence, so the bold line goes on with it: it is not a heading.
    """
    if not _heading_style(line, body) or _heading_style(previous, body) or line.page != previous.page:
        return False
    first_word = line.text.split()[0] if line.text.split() else ""
    width = (previous.x1 - previous.x0) / max(len(previous.text), 1)
    return (
        line.top - previous.top <= pitch * 1.25 + 0.5
        and not re.search(r"[.:;!?]$", previous.text)
        and (abs(line.x0 - previous.x0) <= 4 or (bool(group.marker) and line.x0 >= group.indent - 4))
        and right - previous.x1 <= (len(first_word) + 4) * width * 1.1
    )


def _to_blocks(
    groups: list[_Group | _Table], body_size: float, body_face: str, vocabulary: Vocabulary
) -> list[Block]:
    blocks: list[Block] = []
    item_indents: list[float] = []
    spaced_items = False  # the list written without bullets that is open has space between its lines
    headings_run_into_text = _headings_run_into_text(groups, body_size)
    for position, group in enumerate(groups):
        if isinstance(group, _Table):
            item_indents = []
            rows = _table_blocks(group)
            logged = not rows and bool(group.rows)
            if logged and blocks and blocks[-1].kind == "heading" and blocks[-1].page >= group.page - 1:
                blocks.pop()  # a control log's own heading ("Review of Policy Dates") goes with it
            blocks.extend(rows)
            continue
        first = group.lines[0]
        text = join_lines((line.text for line in group.lines), vocabulary)
        if group.note:
            item_indents = []
            blocks.append(Block("paragraph", text, page=first.page))
            continue
        if group.marker:
            while item_indents and item_indents[-1] > first.x0 + 3:
                item_indents.pop()
            if not item_indents or first.x0 > item_indents[-1] + 3:
                item_indents.append(first.x0)
            blocks.append(Block("item", text, depth=len(item_indents) - 1, page=first.page))
            continue
        following = groups[position + 1] if position + 1 < len(groups) else None
        in_a_run = (  # the next line is another such short line: a list spaced out like paragraphs
            isinstance(following, _Group)
            and not following.marker
            and not following.note
            and len(following.lines) <= 2
            and abs(following.lines[0].x0 - first.x0) < 6
            and not _heading_style(following.lines[0], body_size)
        ) or (bool(blocks) and blocks[-1].kind == "item" and not item_indents and spaced_items)
        if (
            (group.tight or in_a_run)
            and len(group.lines) <= 2
            and len(text.split()) <= 30
            and blocks
            and blocks[-1].page >= first.page - 1
            and (re.search(r"(:|:?\s[-–])$", blocks[-1].text) or (blocks[-1].kind == "item" and not item_indents))
            and not _heading_style(first, body_size)
            and not is_blank_field(text)
        ):
            # Short lines under a line ending with a colon: a list written without bullets (a form's
            # empty fields one under another are not: "Strengths:" / "Areas for Development:").
            spaced_items = not group.tight
            blocks.append(Block("item", text, depth=0, page=first.page))
            continue
        item_indents = []
        preceding = groups[position - 1] if position else None
        if _set_apart_heading(group, text, (preceding, following), body_size, body_face):
            # A level under the bold headings of the body's size (an italic "Stepped approach" under "Procedures").
            blocks.append(Block("heading", text, strength=first.size * 2 + 0.5, page=first.page))
        elif _plain_heading(group, text, following):
            blocks.append(Block("heading", text, strength=first.size * 2 + 1.5, page=first.page))
        elif (
            _styled_as_heading(group, body_size)
            and _looks_like_heading(text, len(group.lines), following)
            and not (_sentence(text) and _runs_into(group, following) and not headings_run_into_text)
        ):
            strength = first.size * 2 + (1.5 if first.bold else 0) + (1 if _in_capitals(text) else 0)
            blocks.append(Block("heading", text, strength=strength, page=first.page))
        else:
            blocks.append(Block("paragraph", text, page=first.page))
    return blocks


def _body_face(lines: list[_Line], body_size: float) -> str:
    """The font the body text is set in: the one setting the most characters of plain lines at the body's size."""
    faces: Counter[str] = Counter()
    for line in lines:
        if not line.bold and abs(line.size - body_size) <= 0.6:
            faces[line.face] += len(line.text)
    return faces.most_common(1)[0][0] if faces else ""


def _set_apart_heading(
    group: _Group, text: str, around: tuple[_Group | _Table | None, _Group | _Table | None], body_size: float,
    body_face: str,
) -> bool:
    """A short title set wholly in a font of its own, neither bold nor larger (an italic "Stepped approach"),
    standing alone with the body's text or a list under it: a sub-heading.

    Not a sentence or a clause (no closing stop, comma or colon), not a phone number or a web address,
    and a few words only, so an instruction or a quotation set in italic stays text; nor the end of
    a longer line in the same font that stopped mid-phrase above it (`around` is the groups before and after).
    """
    preceding, following = around
    face = group.lines[0].face
    if (
        isinstance(preceding, _Group) and not preceding.note and preceding.lines[-1].face == face
        and not re.search(r"[.:;!?]$", preceding.lines[-1].text)
    ):
        return False
    words = text.split()
    if (
        group.marker or group.note or len(group.lines) > 2 or not face or face == body_face
        or any(line.face != face or line.bold or abs(line.size - body_size) > 0.6 for line in group.lines)
    ):
        return False
    under = (
        isinstance(following, _Group) and not following.note
        and (bool(following.marker) or following.lines[0].face != face)
    ) or isinstance(following, _Table)
    return (
        under
        and 1 <= len(words) <= 12
        and not re.search(r"[.,;:!?]$", text)
        and bool(re.match(r"[A-Z0-9]", text))
        and not _has_phone_number(text)
        and not re.search(r"(https?://|www\.|@)\S", text)
    )


def _has_phone_number(text: str) -> bool:
    """Whether a line gives a telephone number: ten digits or more written as one ("0344 800 8020")."""
    return any(sum(c.isdigit() for c in run.group()) >= 10 for run in _DIGIT_RUN.finditer(text))


def _in_capitals(text: str) -> bool:
    """A heading set in capitals ("DECOY VALUES", "CANCELLATION"), not an abbreviation on its own ("CEOP")."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return text.upper() == text and bool(words) and (len(words) >= 2 or Vocabulary().is_word(words[0]))


def _styled_as_heading(group: _Group, body_size: float) -> bool:
    return all(_heading_style(line, body_size) for line in group.lines)


def _sentence(text: str) -> bool:
    """A whole sentence: a capital, four words or more, a full stop."""
    return bool(re.match(r"[A-Z]", text)) and text.endswith(".") and len(text.split()) >= 4


def _runs_into(group: _Group, following: _Group | _Table | None) -> bool:
    """Whether the paragraph after a group follows on its next line, at the same indent, with no space between."""
    return (
        isinstance(following, _Group)
        and following.tight
        and not following.marker
        and not following.note
        and abs(following.lines[0].x0 - group.lines[0].x0) <= 4
    )


def _headings_run_into_text(groups: list[_Group | _Table], body_size: float) -> bool:
    """Whether the document sets its headings with no space under them (Word's "no spacing" styles).

    Then a bold sentence with its paragraph straight under it is laid out like the other headings.
    """
    headings = [
        (group, following)
        for group, following in itertools.zip_longest(groups, groups[1:])
        if isinstance(group, _Group) and not group.marker and not group.note and _styled_as_heading(group, body_size)
        and not _sentence(" ".join(line.text for line in group.lines))
    ]
    return sum(_runs_into(group, following) for group, following in headings) > len(headings) / 2


def _plain_heading(group: _Group, text: str, following: _Group | _Table | None) -> bool:
    """A short line in title case, with space above it and its paragraph straight below: a heading."""
    words = text.split()
    long_words = [w for w in words if len(w) >= 4]
    return (
        len(group.lines) == 1
        and not group.tight
        and 1 <= len(words) <= 8
        and not re.search(r"[.,;:!?\-–]$", text)
        and bool(long_words)
        and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
        and words[0][0].isupper()
        and isinstance(following, _Group)
        and following.tight
        and not following.marker
    )


def _long_sentence(text: str) -> bool:
    """Many words, most of the longer ones in lower case: a sentence ("…meets the needs of our students…"),
    not a long title in title case ("The Duties of the Senior Management Team, Subject Leaders…")."""
    words = text.split()
    long_words = [w for w in words[1:] if len(w) >= 4]
    return len(words) > 20 or (
        len(words) >= LONGEST_TITLE_WITH_FULL_STOP and sum(w[0].isupper() for w in long_words) < 0.4 * len(long_words)
    )


def _looks_like_heading(text: str, line_count: int, following: _Group | _Table | None) -> bool:
    if len(text) > 160 or line_count > 3 or len(re.findall(r"[A-Za-z]", text)) <= 2 or re.search(r"[,;]$", text):
        return False  # long, a letter or two (a box's label in a diagram), or a clause that goes on
    if text[0].islower() or re.match(r"(https?://|www\.)\S+$", text):
        return False  # the end of a sentence in bold, or a web address: not a heading
    if _APPROVAL_LINE.match(text):
        return False  # when the document was approved or reviewed
    if _NUMBERED_TITLE.match(text):
        return True  # "1. Introduction: what a publication scheme is and why it has been developed."
    if (text.endswith(".") and (_long_sentence(text) or _STATEMENT.search(text))) or re.match(r"(I|We)\s", text):
        return False  # a sentence in bold ("The welfare of the child is paramount.", "I will…"): said, not a title
    if _has_phone_number(text) or (len(text.split()) >= 8 and _DUTY.search(text) and not _QUESTION.search(text)):
        return False  # whom to ring, or a rule without its full stop ("All allegations … must be taken seriously")
    introduces = (isinstance(following, _Table) and not SECTION_WORD.match(text)) or (
        isinstance(following, _Group) and bool(following.marker)
    )
    return not (introduces and re.search(r"(:|:?\s*[-–])$", text))  # the line above a list or table, ending ':'


def _table_blocks(table: _Table) -> list[Block]:
    headings = " ".join(table.headings)
    if table.headings and (re.search(r"\bversion\b", headings, re.I) or len(_REVIEW_LOG.findall(headings)) >= 2):
        return []  # a document control log: versions, review dates and sign-offs of the document, not policy
    blocks: list[Block] = []
    grouped = False
    for position, row in enumerate(table.rows):
        for title, strength in table.titles.get(position, []):
            blocks.append(Block("heading", title, strength=strength, page=table.page))
            grouped = False
        label = _group_label(row) if position + 1 < len(table.rows) else ""
        if label:  # "Daily Checks" over the rows of daily checks: their lead, as a line over a list
            blocks.append(Block("paragraph", label, page=table.page))
            grouped = True
            continue
        blocks.extend(
            Block("item" if grouped else "paragraph", text, page=table.page, row=True)
            for text in row_passages(table.headings, row)
        )
    return blocks


def _group_label(row: list[str]) -> str:
    """The text of a row with only its first cell filled, of three or more: it heads the rows under it."""
    filled = [cell for cell in row if cell]
    return flat_cell(row[0]) if len(row) >= 3 and len(filled) == 1 and row[0] else ""
