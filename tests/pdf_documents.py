"""Small PDFs written out byte by byte for import tests: text placed where Word would put it.

Only what the tests need: pages of text in the standard Courier fonts (every character 0.6 of the
size wide, so where a line ends is known): regular, bold and oblique (italic), or in three fonts named
only "F1", "F2" and "F3" (as Windows' "Microsoft Print to PDF" names them; only the fonts' descriptions
say the second is drawn bold and the third italic), at any size and height, level or turned (a column
heading set sideways), thin filled rules (Word's footnote separator, a table's ruling) and filled boxes
(shading). The cross-reference table is computed, so pdfminer reads it as it reads Word's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595, 842


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


@dataclass
class PdfPage:
    """One A4 page, portrait unless given its width and height; y counts up from the foot of the page, as in PDF."""

    operations: list[str] = field(default_factory=list)
    width: float = PAGE_WIDTH
    height: float = PAGE_HEIGHT

    def text(
        self, x: float, y: float, text: str, size: float = 11, *, bold: bool = False, italic: bool = False,
        grey: float = 0.0,
    ) -> float:
        """Writes `text` with its baseline at y, in black or (grey=1) white; returns the x where it ends."""
        font = "F2" if bold else "F3" if italic else "F1"
        self.operations.append(f"{grey:.2f} g BT /{font} {size} Tf {x:.2f} {y:.2f} Td ({_escape(text)}) Tj ET 0 g")
        return x + 0.6 * size * len(text)

    def turned_text(self, x: float, y: float, text: str, size: float = 11) -> None:
        """Writes `text` turned a quarter to the left, running up the page from (x, y): a column heading set sideways.

        Word's matrix is a hair off the quarter turn, so pdfplumber calls the characters upright.
        """
        self.operations.append(f"BT /F1 {size} Tf 0.0001 1 -1 0.0001 {x:.2f} {y:.2f} Tm ({_escape(text)}) Tj ET")

    def rule(self, x: float, y: float, width: float) -> None:
        self.operations.append(f"{x:.2f} {y:.2f} {width:.2f} 0.5 re f")

    def picture(self, x: float, y: float, width: float, height: float) -> None:
        """A small black image from (x, y) up, drawn inline: Word's picture bullet is one."""
        self.operations.append(f"q {width:.2f} 0 0 {height:.2f} {x:.2f} {y:.2f} cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q")

    def box(self, x: float, y: float, width: float, height: float, *, grey: float = 0.0) -> None:
        """A filled box from (x, y) up: black by default, white (grey=1) as Word's paragraph shading."""
        self.operations.append(f"{grey:.2f} g {x:.2f} {y:.2f} {width:.2f} {height:.2f} re f 0 g")


@dataclass
class PdfDocument:
    pages: list[PdfPage] = field(default_factory=list)
    nameless_fonts: bool = False  # the fonts named "F1", "F2" and "F3", so no name says which is bold or italic

    def _fonts(self) -> tuple[bytes, ...]:
        if not self.nameless_fonts:
            return tuple(
                f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} >>".encode()
                for name in ("Courier", "Courier-Bold", "Courier-Oblique")
            )
        widths = " ".join(["600"] * 224)
        return tuple(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /FirstChar 32 /LastChar 255 /Widths [{widths}] "
            f"/FontDescriptor << /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontWeight {weight} "
            f"/StemV {stem} /FontBBox [0 -200 600 800] /ItalicAngle {angle} /Ascent 800 /Descent -200 "
            "/CapHeight 600 >> >>".encode()
            for name, flags, weight, stem, angle in (
                ("F1", 34, 400, 80, 0), ("F2", 34 + 262144, 700, 165, 0), ("F3", 34 + 64, 400, 80, -12)
            )
        )

    def page(self, *, landscape: bool = False) -> PdfPage:
        self.pages.append(PdfPage(width=PAGE_HEIGHT, height=PAGE_WIDTH) if landscape else PdfPage())
        return self.pages[-1]

    def save(self, path: Path) -> Path:
        count = len(self.pages)
        page_ids = [6 + 2 * i for i in range(count)]
        objects: dict[int, bytes] = {
            1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {count} >>".encode(),
            **dict(enumerate(self._fonts(), start=3)),
        }
        for page_id, page in zip(page_ids, self.pages, strict=True):
            stream = "\n".join(page.operations).encode("latin-1")
            objects[page_id] = (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                f"/Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {page_id + 1} 0 R >>"
            ).encode()
            objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        out = bytearray(b"%PDF-1.5\n")
        offsets: dict[int, int] = {}
        for number in sorted(objects):
            offsets[number] = len(out)
            out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
        xref = len(out)
        size = max(objects) + 1
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number]
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        path.write_bytes(bytes(out))
        return path
