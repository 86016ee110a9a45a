"""Reading a Word document (.docx) into an outline, with python-docx.

Headings come from Word's heading styles (Heading 1 … 9, or a paragraph's outline level),
with their automatic numbers worked out as Word shows them (`word_numbering.py`); short
paragraphs in bold stand in for headings in documents that use no heading styles. Running
headers and footers live outside the body and are never read; the table of contents and the
cover page (Word's content controls and TOC styles) are skipped. Tables become one passage
per row, with the column headings.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.importing.outline import Block, ImportRefused, Outline
from bot.importing.word_numbering import WordNumbering
from bot.importing.wording import POLICY_WORDS, clean_characters, row_text

#: Longest Word document imported, in paragraphs (roughly 200 pages).
MAX_PARAGRAPHS = 10_000
_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.I)
_SKIPPED_STYLE = re.compile(r"^(toc|table of contents|contents|index|header|footer)", re.I)
_SKIPPED_GALLERY = re.compile(r"table of contents|cover page|bibliograph", re.I)


def read_word(path: Path) -> Outline:
    """The outline of a .docx, or `ImportRefused` saying why it can't be imported."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ImportRefused(
            f"{path.name}: can't be read as a Word document (the file is damaged, or is not a .docx)"
        ) from None
    reader = _Reader(document)
    body = document.element.body
    if len(body.findall(".//" + qn("w:p"))) > MAX_PARAGRAPHS:
        raise ImportRefused(
            f"{path.name}: more than {MAX_PARAGRAPHS:,} paragraphs is more than one import takes; "
            "split the document into parts and import each"
        )
    reader.read(body)
    reader.place_notes()
    properties = document.core_properties
    title = reader.title or _meaningful(properties.title or "")
    return Outline(
        file_name=path.name,
        kind="Word document",
        title=title,
        dated=properties.modified or properties.created,
        blocks=reader.blocks,
    )


def _meaningful(title: str) -> str:
    return title if POLICY_WORDS.search(title) else ""


class _Reader:
    def __init__(self, document: Any) -> None:
        self.document = document
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        self.numbering = WordNumbering(numbering)
        self.blocks: list[Block] = []
        self.title = ""
        self.page = 1
        self.footnotes = _footnotes(document)
        self.notes: list[str] = []  # footnotes referred to, waiting for the list or paragraph to end

    def add(self, block: Block) -> None:
        """A block in reading order; footnotes go after the paragraph (or whole list) that refers to them."""
        if block.kind != "item" and not block.row:
            self.place_notes()
        self.blocks.append(block)

    def place_notes(self) -> None:
        self.blocks.extend(Block("paragraph", note, page=self.page) for note in self.notes)
        self.notes = []

    def read(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                self._paragraph(Paragraph(child, self.document))
            elif child.tag == qn("w:tbl"):
                self._table(Table(child, self.document))
            elif child.tag == qn("w:sdt"):
                gallery = child.find(".//" + qn("w:docPartGallery"))
                if gallery is not None and _SKIPPED_GALLERY.search(gallery.get(qn("w:val"), "")):
                    continue
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.read(content)

    def _paragraph(self, paragraph: Paragraph) -> None:
        element = paragraph._p
        if element.find(".//" + qn("w:lastRenderedPageBreak")) is not None or element.find(
            ".//" + qn("w:br") + "[@" + qn("w:type") + "='page']"
        ) is not None:
            self.page += 1
        text = clean_characters(_text(element))
        style = paragraph.style
        style_name = style.name if style is not None else ""
        if _SKIPPED_STYLE.match(style_name or ""):
            return
        numbered = self._number(paragraph)
        if not text:
            return
        if style_name in ("Title",) and not self.title:
            self.title = text
            return
        level = self._heading_level(paragraph, style_name)
        label, bullet = numbered if numbered else ("", False)
        shown = f"{label} {text}" if label and not bullet else text
        if level:
            self.add(Block("heading", shown, level=level, strength=1000 - 10 * level, page=self.page))
        elif numbered and not self._looks_bold_heading(paragraph, text):
            ilvl = _ilvl(paragraph) or 0
            self.add(Block("item", shown, depth=ilvl, page=self.page))
        elif self._looks_bold_heading(paragraph, text):
            size = self._size(paragraph)
            self.add(Block("heading", shown, strength=size * 2 + 1.5, page=self.page))
        else:
            self.add(Block("paragraph", shown, page=self.page))
        for reference in element.iter(qn("w:footnoteReference")):
            note = self.footnotes.get(reference.get(qn("w:id"), ""), "")
            if note:
                self.notes.append(note)

    def _heading_level(self, paragraph: Paragraph, style_name: str) -> int:
        match = _HEADING_STYLE.match(style_name or "")
        if match:
            return int(match.group(1))
        outline = _outline_level(paragraph._p.pPr)
        style = paragraph.style
        while outline is None and style is not None:
            outline = _outline_level(style.element.pPr)
            style = style.base_style
        return outline + 1 if outline is not None and outline < 9 else 0

    def _number(self, paragraph: Paragraph) -> tuple[str, bool] | None:
        num_id, ilvl = _numbering_of(paragraph)
        if num_id is None:
            return None
        return self.numbering.label(num_id, ilvl)

    def _looks_bold_heading(self, paragraph: Paragraph, text: str) -> bool:
        if len(text) > 120 or len(text.split()) > 15 or re.search(r"[.,;]$", text):
            return False
        runs = [run for run in paragraph.runs if run.text.strip()]
        if not runs:
            return False
        style_bold = _style_bold(paragraph.style)
        return all(run.bold if run.bold is not None else style_bold for run in runs)

    def _size(self, paragraph: Paragraph) -> float:
        for run in paragraph.runs:
            if run.text.strip() and run.font.size is not None:
                return float(run.font.size.pt)
        style = paragraph.style
        while style is not None:
            if style.font.size is not None:
                return float(style.font.size.pt)
            style = style.base_style
        return 11.0

    def _table(self, table: Table) -> None:
        rows: list[list[str]] = []
        header_rows = 0
        for index, row in enumerate(table.rows):
            cells: list[str] = []
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue  # a cell merged across columns is listed once for each
                seen.add(id(cell._tc))
                cells.append("; ".join(
                    clean_characters(_text(p)) for p in cell._tc.iter(qn("w:p")) if clean_characters(_text(p))
                ))
            if not any(cells):
                continue
            tr_pr = row._tr.trPr
            if index == header_rows and tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None:
                header_rows += 1
            rows.append(cells)
        width = max((len(r) for r in rows), default=0)
        if width < 2 or len(rows) < 2:
            for cell_paragraph in table._tbl.iter(qn("w:p")):
                self._paragraph(Paragraph(cell_paragraph, self.document))
            return
        if not header_rows and _short_headings(rows[0]):
            header_rows = 1
        headings = [" ".join(parts) for parts in zip(*rows[:header_rows], strict=False)] if header_rows else []
        if headings and re.search(r"\bversion\b", " ".join(headings), re.I):
            return  # a document control log, not policy
        for row in rows[header_rows:]:
            text = row_text(headings, row)
            if text:
                self.add(Block("paragraph", text, page=self.page, row=True))


def _footnotes(document: Any) -> dict[str, str]:
    """The document's footnotes by id, each as one paragraph of text (Word's separator lines left out)."""
    for relationship in document.part.rels.values():
        if not relationship.reltype.endswith("/footnotes") or relationship.is_external:
            continue
        try:
            root = parse_xml(relationship.target_part.blob)
        except Exception:  # a damaged footnotes part: the body is still worth reading
            return {}
        notes: dict[str, str] = {}
        for footnote in root.iter(qn("w:footnote")):
            if footnote.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paragraphs = (clean_characters(_text(p)) for p in footnote.iter(qn("w:p")))
            text = " ".join(p for p in paragraphs if p)
            if text:
                notes[footnote.get(qn("w:id"), "")] = text
        return notes
    return {}


def _short_headings(row: list[str]) -> bool:
    named = [cell for cell in row if cell]
    return len(named) >= 2 and all(len(cell.split()) <= 6 and not re.search(r"\d", cell) for cell in named)


def _text(element: Any) -> str:
    """A paragraph's text as shown: tracked deletions and field codes left out, tabs and breaks as spaces."""
    parts: list[str] = []
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    skipped = {id(n) for f in element.iter(fallback) for n in f.iter()}  # the same text box drawn twice
    for node in element.iter():
        if id(node) in skipped:
            continue
        tag = node.tag
        if tag == qn("w:t"):
            parts.append(node.text or "")
        elif tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
            parts.append(" ")
        elif tag == qn("w:noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _outline_level(p_pr: Any) -> int | None:
    if p_pr is None:
        return None
    element = p_pr.find(qn("w:outlineLvl"))
    if element is None:
        return None
    value = element.get(qn("w:val"), "")
    return int(value) if value.isdigit() else None


def _ilvl(paragraph: Paragraph) -> int | None:
    return _numbering_of(paragraph)[1]


def _numbering_of(paragraph: Paragraph) -> tuple[str | None, int]:
    """The list and level of a paragraph: its own, else its style's (heading styles are often numbered)."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        style_p_pr = style.element.pPr
        num_pr = style_p_pr.find(qn("w:numPr")) if style_p_pr is not None else None
        style = style.base_style
    if num_pr is None:
        return None, 0
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    if num_id is None:
        return None, 0
    level = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
    return num_id.get(qn("w:val")), int(level) if level.isdigit() else 0


def _style_bold(style: Any) -> bool:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False
