"""Date expressions in staff messages: "tomorrow", "next Monday", "14/12", "every Friday".

Resolved against a given day in the school's time zone, day before month
(UK order), preferring the future. dateutil does the calendar arithmetic and
reads explicit dates; this module only finds the expressions in a sentence.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from intents.routing import PartOfDay, WhenSlots

_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY_WORD = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"

_EXPRESSIONS = [
    ("relative", re.compile(r"\b(day after tomorrow|tomorrow|tmrw|tmr|tomoz|today|tonight)\b")),
    ("week", re.compile(r"\b(this|next)\s+week\b")),
    ("numeric", re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b")),
    ("named", re.compile(rf"\b(?:{_ORDINAL}\s+(?:of\s+)?({_MONTHS})|({_MONTHS})\s+{_ORDINAL})\b")),
    ("weekday", re.compile(rf"\b(?:(every|each|this|next|on|coming)\s+)?({_WEEKDAY_WORD})(s)?\b")),
    ("ordinal", re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b|\b(\d{1,2})(?:st|nd|rd|th)\b")),
]
_RANGE_BETWEEN = re.compile(r"^\s*(?:-|–|to|till|until|til|through|thru|and)\s*(?:the\s+)?$")
_UNTIL_TERM_END = re.compile(
    r"\b(?:until|till|til|to|for)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?:half[\s-]?term|term)|"
    r"half[\s-]?term|christmas|easter|(?:the\s+)?summer)\b|\bthis\s+(?:half[\s-]?term|term)\b"
)
_MORNING = re.compile(r"\b(?:mornings?|a\.?m\.?)\b")
_AFTERNOON = re.compile(r"\b(?:afternoons?|p\.?m\.?|after\s+lunch)\b")


_DIGIT = re.compile(r"\d")
# What each expression cannot match without (checked first, as most messages name no day): a
# digit for dates and ordinals, and the letters every word of the others has.
_RELATIVE_NEEDS = ("tomo", "tmr", "today", "tonight")
_WEEKDAY_NEEDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MORNING_NEEDS = ("morning", "am", "a.m")
_AFTERNOON_NEEDS = ("after", "pm", "p.m")
_TERM_END_NEEDS = ("term", "christmas", "easter", "summer")


def _holds_any(text: str, parts: tuple[str, ...]) -> bool:
    """Whether any of the parts occurs in the text (a plain loop: quicker than `any` of a generator)."""
    for part in parts:  # noqa: SIM110 - see the docstring
        if part in text:
            return True
    return False


def _may_match(kind: str, lowered: str, has_digit: bool) -> bool:
    """False when an expression of this kind cannot occur in the text, so its search is skipped."""
    if kind in ("numeric", "named", "ordinal"):
        return has_digit
    if kind == "relative":
        return _holds_any(lowered, _RELATIVE_NEEDS)
    if kind == "week":
        return "week" in lowered
    if kind == "weekday":
        return _holds_any(lowered, _WEEKDAY_NEEDS)
    return True


def _future_weekday(
    today: date, weekday: int, *, next_week: bool = False, today_counts: bool = False
) -> date:
    """The coming `weekday` (after today unless it counts); with next_week, in the following week."""
    if next_week:
        monday_next = today + timedelta(days=7 - today.weekday())
        return monday_next + timedelta(days=weekday)
    return today + relativedelta(days=0 if today_counts else 1, weekday=weekday)


def _future_day_month(today: date, day: int, month: int, year: int | None = None) -> date | None:
    try:
        if year is not None:
            return date(year if year > 99 else 2000 + year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


def _future_day_of_month(today: date, day: int) -> date | None:
    for months_ahead in range(0, 3):
        month_start = today.replace(day=1) + relativedelta(months=months_ahead)
        try:
            candidate = month_start.replace(day=day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return None


def _resolve(
    kind: str, match: re.Match[str], today: date, next_week: bool = False
) -> tuple[date | None, date | None, int | None]:
    """One expression -> (start, end, weekly weekday); next_week when the message says "next week"."""
    if kind == "relative":
        word = match.group(1)
        days = {"today": 0, "tonight": 0, "day after tomorrow": 2}.get(word, 1)
        return today + timedelta(days=days), None, None
    if kind == "week":
        if match.group(1) == "this":
            return today, today + timedelta(days=max(0, 4 - today.weekday())), None
        monday = _future_weekday(today, 0, next_week=True)
        return monday, monday + timedelta(days=4), None
    if kind == "numeric":
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else None
        return _future_day_month(today, day, month, year), None, None
    if kind == "named":
        try:
            parsed = date_parser.parse(match.group(0), dayfirst=True, default=datetime(today.year, 1, 1))
        except (ValueError, OverflowError):
            return None, None, None
        return _future_day_month(today, parsed.day, parsed.month), None, None
    if kind == "weekday":
        qualifier, word, plural = match.group(1), match.group(2), match.group(3)
        weekday = _WEEKDAYS[word]
        if qualifier in ("every", "each") or plural:
            return _future_weekday(today, weekday), None, weekday
        in_next_week = qualifier == "next" or next_week
        return _future_weekday(today, weekday, next_week=in_next_week, today_counts=qualifier == "this"), None, None
    day = int(match.group(1) or match.group(2))
    return _future_day_of_month(today, day), None, None


def parse_when(text: str, today: date) -> WhenSlots:
    """Find the days a message is about; an empty `WhenSlots` when it names none."""
    lowered = text.lower().replace("\u2019", "'")
    found: list[tuple[int, int, str, re.Match[str]]] = []
    has_digit = _DIGIT.search(lowered) is not None
    for kind, pattern in _EXPRESSIONS:
        if not _may_match(kind, lowered, has_digit):
            continue
        for match in pattern.finditer(lowered):
            if any(start <= match.start() < end or match.start() <= start < match.end()
                   for start, end, _, _ in found):
                continue
            found.append((match.start(), match.end(), kind, match))
    found.sort(key=lambda item: item[0])
    part = PartOfDay.WHOLE_DAY
    morning = _holds_any(lowered, _MORNING_NEEDS) and _MORNING.search(lowered) is not None
    afternoon = _holds_any(lowered, _AFTERNOON_NEEDS) and _AFTERNOON.search(lowered) is not None
    if morning and not afternoon:
        part = PartOfDay.MORNING
    elif afternoon and not morning:
        part = PartOfDay.AFTERNOON
    until_term_end = _holds_any(lowered, _TERM_END_NEEDS) and _UNTIL_TERM_END.search(lowered) is not None
    if not found:
        return WhenSlots(part_of_day=part, until_term_end=until_term_end)
    next_week = any(k == "week" and m.group(1) == "next" for _, _, k, m in found)
    if next_week and len(found) > 1:
        # "Friday next week": the day, in next week. Only weeks ("next week, or this week?"): the first.
        days = [item for item in found if item[2] != "week"]
        found = days or found[:1]
    first_start, first_end, kind, match = found[0]
    start, end, weekday = _resolve(kind, match, today, next_week)
    if weekday is None and end is None and len(found) > 1:
        second_start, second_end, second_kind, second_match = found[1]
        if _RANGE_BETWEEN.match(lowered[first_end:second_start]):
            range_end, _, _ = _resolve(second_kind, second_match, start or today)
            if second_kind == "weekday" and start is not None:
                range_end = start + relativedelta(weekday=_WEEKDAYS[second_match.group(2)])
            if start is not None and range_end is not None and range_end >= start:
                end = range_end
                first_end = second_end
    return WhenSlots(
        start=start,
        end=end,
        weekday=weekday,
        until_term_end=until_term_end,
        part_of_day=part,
        text=text[first_start:first_end].strip(),
    )
