"""The words of a document as a reader sees them: characters, list markers, lines joined again.

A PDF holds lines, not paragraphs: `join_lines` puts a paragraph back together and repairs a
word hyphenated at a line end only when the joined word is a word (the document uses it, or
the offline English word list of pyspellchecker has it, and the second half is no word alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spellchecker import SpellChecker

_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\u00ad": "",
        "\t": " ",
        "\r": " ",
        "\n": " ",
        "\x0b": " ",
        "\x0c": " ",
    }
)
#: Glyphs Word and PDF exports use to draw bullets (Symbol and Wingdings come out as private-use characters).
BULLET_GLYPHS = "•●○◦▪■□▫◆◇◊►▶▸➢➤➔→✓✔✗☐❖⮚·∙⁃-–—*o§"
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_LEADING_PRIVATE_USE = re.compile("^\\s*[\ue000-\uf8ff]")
_BULLET = re.compile(r"^\s*(?:[\ue000-\uf8ff]|[•●○◦▪■□▫◆◇◊►▶▸➢➤➔→✓✔✗☐❖⮚·∙⁃§]|[-–—*o](?=\s))\s*")
_NUMBER_MARKER = re.compile(
    r"^\s*(\(?(?:\d{1,2}|[a-zA-Z]|[ivxlcIVXLC]{1,6})[.)]|\((?:\d{1,2}|[a-zA-Z]|[ivxlcIVXLC]{1,6})\))\s+(?=\S)"
)
_SPACES = re.compile(r"\s+")
#: A line that is the school's name ("Decoy Community Primary School"), as covers and letterheads show it.
SCHOOL_NAME = re.compile(
    r"^[A-Z][\w'’&.\- ]{2,80}\b(School|Academy|College|Trust|Federation|Nursery|Pre-School|Infants?|Juniors?)$", re.I
)
#: A heading that names its part of the document: "Appendix B –", "Section 2:", "Part IV".
SECTION_WORD = re.compile(
    r"^(section|part|appendix|annex|annexe|schedule|chapter)\s+([0-9]+|[A-Z]|[IVXivx]+)\s*([:.\-–—]|$)", re.I
)
#: Words a policy's title has, to tell it from a school's name or a logo's words.
POLICY_WORDS = re.compile(r"polic|procedure|guidance|statement|code of|plan\b|protocol|strategy", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def clean_characters(text: str) -> str:
    """Ligatures spelt out, odd spaces made plain, private-use glyphs dropped, whitespace folded.

    A private-use glyph at the start of a line is a Symbol or Wingdings bullet: it becomes "•".
    """
    text = _LEADING_PRIVATE_USE.sub("• ", text.translate(_LIGATURES))
    return _SPACES.sub(" ", _PRIVATE_USE.sub(" ", text)).strip()


def fold(text: str) -> str:
    """Whitespace folded to single spaces: how two passages are compared."""
    return _SPACES.sub(" ", text).strip()


def bullet_rest(text: str) -> str | None:
    """The text after a bullet glyph, or None when the line does not start with one."""
    match = _BULLET.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    return rest if rest.strip() else None


def number_marker(text: str) -> str | None:
    """A list number a line starts with ("1.", "a)", "(iv)"), or None."""
    match = _NUMBER_MARKER.match(text)
    return match.group(1) if match else None


class Vocabulary:
    """Which words exist: the document's own words first, then an offline English word list."""

    def __init__(self, document_words: Iterable[str] = ()) -> None:
        self.seen = {word.lower() for word in document_words}

    @staticmethod
    def words_in(text: str) -> list[str]:
        return _WORD.findall(text.replace("’", "'"))

    def is_word(self, word: str) -> bool:
        lowered = word.lower().strip("'")
        return lowered in self.seen or lowered in _dictionary()

    def join_hyphenated(self, head: str, tail: str) -> str:
        """The word split as `head-` / `tail` at a line end: joined, or hyphenated as written."""
        head_word = re.search(r"([A-Za-z]+)-$", head)
        tail_word = re.match(r"[A-Za-z]+", tail)
        if not head_word or not tail_word:
            return head + tail
        first, second = head_word.group(1), tail_word.group(0)
        joined = (first + second).lower()
        kept, mended = head + tail, head[:-1] + tail
        if f"{first}-{second}".lower() in self.seen:
            return kept
        if joined in self.seen:
            return mended
        if joined in _dictionary() and second.lower() not in _dictionary():
            return mended
        return kept


@lru_cache(maxsize=1)
def _dictionary() -> SpellChecker:
    return SpellChecker(language="en")


def join_lines(lines: Iterable[str], vocabulary: Vocabulary) -> str:
    """Lines of one paragraph joined with spaces; a word broken by a hyphen mended where it is one word."""
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif re.search(r"[A-Za-z]-$", text) and re.match(r"[a-z]", line):
            text = vocabulary.join_hyphenated(text, line)
        else:
            text = f"{text} {line}"
    return fold(text)


_FIELD_LABEL = re.compile(r"[A-Z0-9][^:.;!?]*")


def is_blank_field(text: str) -> bool:
    """A form's empty field or fields: short labels, each ending with a colon, nothing filled in after them.

    "Name:", "Support Provided / Agreed:", "Line Manager: Date:" (two fields on one line).
    """
    text = fold(text)
    if not text.endswith(":"):
        return False
    labels = [label.strip() for label in text[:-1].split(":")]
    return all(label and len(label.split()) <= 8 and _FIELD_LABEL.fullmatch(label) for label in labels)


def row_text(headings: list[str], row: list[str]) -> str:
    """One table row as one passage: each cell after its column heading ("Stage: 1; Consequence: …")."""
    if headings and [cell.lower() for cell in row] == [heading.lower() for heading in headings]:
        return ""  # the headings repeated on a new page
    text = ""
    for column, value in enumerate(row):
        if not value:
            continue
        heading = headings[column] if column < len(headings) else ""
        part = f"{heading}: {value}" if heading else value
        # A cell ending with a colon ("Next review due by:") is read with the one after it.
        text = f"{text}{' ' if text.endswith(':') else '; '}{part}" if text else part
    return text
