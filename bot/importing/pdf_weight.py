"""Which fonts of a PDF are bold when their names don't say so, found by the ink their letters leave.

Most PDFs name their fonts ("Arial-BoldMT", "Tahoma,Bold"), and a heading is told by its bold
font's name. Some programs (Windows' "Microsoft Print to PDF") name every font "F1", "F2"…: the
headings' bold font is then nameless. Bold letters are drawn with thicker strokes, so the same
letter at the same size leaves more ink: each font's letters are measured on the pages drawn
(with pdfium, which pdfplumber installs) against the same letters of the body text's font.
Only documents with no font named bold are measured.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bot.importing.pdf_columns import is_bold_font

#: Pages looked at, at most: a font first used after them is taken as its name says.
MAX_MEASURED_PAGES = 30
#: Letters measured of one font: enough to tell, few enough to stay quick.
_ENOUGH_LETTERS = 80
#: Bold letters leave 1.35 to 1.9 times the ink of the regular ones; italic and other faces within 1.15.
_BOLD_INK = 1.25
_SCALE = 2.0  # pixels a point: a regular stroke is about two pixels wide, a bold one three or more
_DARK = 128


def font_name(raw: str) -> str:
    """A font's name without the subset tag pdfplumber and pdfium keep ("ABCDEF+Tahoma" → "Tahoma")."""
    return raw.split("+")[-1]


def drawn_bold_fonts(path: Path) -> frozenset[str]:
    """The names (without subset tags) of the fonts whose letters are drawn bold though no name says so.

    Empty when any font of the document is named bold (its names can be trusted), or nothing can be measured.
    """
    used: Counter[str] = Counter()  # how many characters each font sets: the body text's font sets the most
    try:
        document = pdfium.PdfDocument(path)
        try:
            ink = _ink_by_font(document, used)
        finally:
            document.close()
    except Exception:  # pdfium can't open or draw it: the names are all there is, as for any PDF
        return frozenset()
    if not ink:
        return frozenset()
    body = max(used, key=lambda name: used[name])
    return frozenset(name for name in ink if name != body and _heavier(ink[name], ink.get(body, {})))


def _heavier(letters: dict[str, list[float]], body: dict[str, list[float]]) -> bool:
    """Whether a font's letters leave clearly more ink than the body font's same letters."""
    ratios = [
        statistics.mean(values) / statistics.mean(body[letter])
        for letter, values in letters.items()
        if letter in body and statistics.mean(body[letter]) > 0
    ]
    measured = sum(len(values) for letter, values in letters.items() if letter in body)
    return len(ratios) >= 4 and measured >= 12 and statistics.median(ratios) >= _BOLD_INK


def _ink_by_font(document: pdfium.PdfDocument, used: Counter[str]) -> dict[str, dict[str, list[float]]]:
    """For each font, for each lower-case letter, the ink of each time it is drawn (dark pixels per size²).

    Empty as soon as a font named bold is met: then the names tell.
    """
    ink: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for index in range(min(len(document), MAX_MEASURED_PAGES)):
        page = document[index]
        try:
            fonts, letters = _letters(page, ink)
            used.update(fonts)
            if any(is_bold_font(name) for name in fonts):
                return {}
            if letters:
                _measure(page, letters, ink)
        finally:
            page.close()
    return {name: dict(values) for name, values in ink.items()}


_Letter = tuple[str, str, float, tuple[float, float, float, float]]


def _letters(page: pdfium.PdfPage, ink: dict[str, dict[str, list[float]]]) -> tuple[Counter[str], list[_Letter]]:
    """How many characters each font sets on the page, and the page's lower-case letters still wanted:
    (font, letter, size, box in points)."""
    text = page.get_textpage()
    fonts: Counter[str] = Counter()
    wanted: list[_Letter] = []
    counted: dict[str, int] = {}
    buffer = pdfium_c.ctypes.create_string_buffer(256)
    flags = pdfium_c.ctypes.c_int()
    try:
        for char in range(text.count_chars()):
            letter = chr(pdfium_c.FPDFText_GetUnicode(text.raw, char))
            if not letter.strip():
                continue
            pdfium_c.FPDFText_GetFontInfo(text.raw, char, buffer, 256, pdfium_c.ctypes.byref(flags))
            name = font_name(buffer.value.decode("latin-1"))
            fonts[name] += 1
            taken = counted.get(name, sum(len(v) for v in ink.get(name, {}).values()))
            if not ("a" <= letter <= "z") or taken >= _ENOUGH_LETTERS:
                continue
            counted[name] = taken + 1
            size = pdfium_c.FPDFText_GetFontSize(text.raw, char)
            if size > 0:
                wanted.append((name, letter, size, text.get_charbox(char)))
    finally:
        text.close()
    return fonts, wanted


def _measure(page: pdfium.PdfPage, letters: list[_Letter], ink: dict[str, dict[str, list[float]]]) -> None:
    """Draws the page in grey and counts the dark pixels in each letter's box."""
    bitmap = page.render(scale=_SCALE, grayscale=True)
    try:
        image = bitmap.to_pil().convert("L")
        to_bitmap = bitmap.get_posconv(page).to_bitmap
        for name, letter, size, (left, bottom, right, top) in letters:
            x0, y0 = to_bitmap(left, top)
            x1, y1 = to_bitmap(right, bottom)
            box = (min(x0, x1), min(y0, y1), max(x0, x1) + 1, max(y0, y1) + 1)
            if box[2] - box[0] < 2 or box[3] - box[1] < 2:
                continue
            dark = sum(image.crop(box).histogram()[:_DARK])
            ink[name][letter].append(dark / (size * _SCALE) ** 2)
    finally:
        bitmap.close()
