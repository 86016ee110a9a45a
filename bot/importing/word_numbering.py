"""Word's automatic list numbering, worked out as a reader sees it ("1.", "2.1", "b)", "iv.").

Word stores no numbers in the text: each numbered paragraph names a list (`numId`) and a level
(`ilvl`); numbering.xml says, per abstract list and level, the start, the format (decimal,
lowerLetter, upperRoman, bullet…), the label pattern ("%1.%2.") and when a level restarts.
Lists that share an abstract list continue one another's numbering unless the list overrides
its start ("Restart numbering"), as in Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    text: str
    restart: int | None  # restart after this (1-based) level; None: after any higher level; 0: never
    legal: bool


@dataclass
class _List:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return None if child is None else child.get(qn("w:val"))


def _level(element: Any) -> _Level:
    restart = _val(element, "w:lvlRestart")
    return _Level(
        start=int(_val(element, "w:start") or 0) if (_val(element, "w:start") or "0").isdigit() else 0,
        format=_val(element, "w:numFmt") or "decimal",
        text=_val(element, "w:lvlText") or "",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=element.find(qn("w:isLgl")) is not None,
    )


def _roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, numeral in numerals:
        while number >= value:
            result += numeral
            number -= value
    return result


def _letters(number: int) -> str:
    # Word repeats the letter past z: a…z, aa…zz, aaa…
    if number <= 0:
        return ""
    letter = chr(ord("a") + (number - 1) % 26)
    return letter * ((number - 1) // 26 + 1)


def format_number(number: int, kind: str) -> str:
    """One counter in one of Word's number formats."""
    if kind == "lowerLetter":
        return _letters(number)
    if kind == "upperLetter":
        return _letters(number).upper()
    if kind == "lowerRoman":
        return _roman(number)
    if kind == "upperRoman":
        return _roman(number).upper()
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "ordinal":
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"
    return str(number)


class WordNumbering:
    """The counters of every list in one document, advanced paragraph by paragraph in reading order."""

    def __init__(self, numbering: Any | None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._used: set[str] = set()
        if numbering is None:
            return
        for abstract in numbering.findall(qn("w:abstractNum")):
            levels = {int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in abstract.findall(qn("w:lvl"))}
            self._abstract[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in numbering.findall(qn("w:num")):
            listing = _List(_val(num, "w:abstractNumId") or "")
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = _val(override, "w:startOverride")
                if start is not None and start.isdigit():
                    listing.starts[ilvl] = int(start)
                redefined = override.find(qn("w:lvl"))
                if redefined is not None:
                    listing.levels[ilvl] = _level(redefined)
            self._lists[num.get(qn("w:numId"), "")] = listing

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool] | None:
        """The label of the next paragraph of list `num_id` at level `ilvl`, and whether it is a bullet."""
        listing = self._lists.get(num_id)
        if listing is None or num_id == "0":
            return None
        levels = {**self._abstract.get(listing.abstract, {}), **listing.levels}
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(listing.abstract, {})
        if num_id not in self._used:
            self._used.add(num_id)
            for overridden, start in listing.starts.items():
                counters[overridden] = start - 1
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart and ilvl < restart):
                del counters[deeper]
        if level.format == "bullet":
            return "•", True
        if level.format == "none":
            return level.text if "%" not in level.text else "", False
        label = level.text
        for position in range(9, 0, -1):
            placeholder = f"%{position}"
            if placeholder not in label:
                continue
            shown = levels.get(position - 1)
            value = counters.get(position - 1, shown.start if shown else 1)
            kind = "decimal" if level.legal or shown is None else shown.format
            label = label.replace(placeholder, format_number(value, kind))
        return label.strip(), False
