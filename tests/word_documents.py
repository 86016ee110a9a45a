"""Word documents for the import tests, made with python-docx: real heading styles, real numbering.

Each list gets Word's own numbering definitions (an abstractNum with its levels' formats and
label patterns, and a num instance, with a start override to restart), exactly as Word saves them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class WordBuilder:
    """A .docx being written: paragraphs in heading and list styles, numbered by numbering.xml."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self._numbering = self.document.part.numbering_part.element
        self._next_id = 100
        self._footnotes: Any = None

    def list_definition(self, levels: list[tuple[str, str]], *, restart_after: dict[int, int] | None = None) -> str:
        """An abstract list with (format, label pattern) per level, and its first num; returns the abstract id."""
        abstract_id = str(self._next_id)
        self._next_id += 1
        lvls = []
        for ilvl, (kind, text) in enumerate(levels):
            restart = (restart_after or {}).get(ilvl)
            restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
            lvls.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>{restart_xml}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{720 * (ilvl + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="multilevel"/>{"".join(lvls)}</w:abstractNum>'
        )
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        return abstract_id

    def num(self, abstract_id: str, *, restart_at: int | None = None) -> str:
        """A list instance of an abstract list; `restart_at` adds Word's "Restart numbering" override."""
        num_id = str(self._next_id)
        self._next_id += 1
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
            if restart_at is not None
            else ""
        )
        self._numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
            )
        )
        return num_id

    def paragraph(self, text: str, style: str | None = None, *, num: str | None = None, level: int = 0,
                  bold: bool = False) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if num is not None:
            p_pr = paragraph._p.get_or_add_pPr()
            p_pr.append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
            ))
        return paragraph

    def heading(self, text: str, level: int, *, num: str | None = None) -> Any:
        return self.paragraph(text, f"Heading {level}", num=num, level=level - 1)

    def footnote(self, paragraph: Any, text: str) -> None:
        """A footnote as Word saves it: a reference run at the paragraph's end, the note in footnotes.xml."""
        if self._footnotes is None:
            xml = (
                f'<w:footnotes {nsdecls("w")}>'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                "</w:p></w:footnote></w:footnotes>"
            )
            self._footnotes = parse_xml(xml)
        note_id = str(len(self._footnotes.findall(qn("w:footnote"))) - 1)
        self._footnotes.append(parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        ))
        paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:footnoteReference w:id="{note_id}"/></w:r>'))

    def save(self, path: Path) -> Path:
        if self._footnotes is not None:
            part = Part(
                PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                etree.tostring(self._footnotes, xml_declaration=True, encoding="UTF-8", standalone=True),
                self.document.part.package,
            )
            self.document.part.relate_to(part, RT.FOOTNOTES)
        self.document.save(str(path))
        return path
