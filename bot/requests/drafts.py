"""A request as submitted on its form: parsed, checked, and refused with a clear reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.school import School

#: Longest note or explanation a requester may write.
MAX_NOTE_CHARS = 1000
#: Longest run of school days one request may cover.
MAX_SCHOOL_DAYS = 31
#: Longest span from start to end, in calendar days: refused before any calendar work.
MAX_SPAN_DAYS = 366


@dataclass(frozen=True, slots=True)
class Draft:
    """A checked request, ready to store."""

    type: str
    start: date
    end: date
    weekday: int | None
    details: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a submission cannot be accepted, in words for the requester."""

    message: str


def requested_days(start: date, end: date, weekday: int | None) -> Iterator[date]:
    """Every calendar day a request covers (for a weekly pattern, only its weekday)."""
    day = start
    step = timedelta(days=7 if weekday is not None else 1)
    while day <= end:
        yield day
        if end - day < step:
            return  # (also never steps past 9999-12-31)
        day += step


def parse_draft(school: School, type_name: str, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
    """Check one form submission with the kind of its request type; nothing is stored here.

    A request type the school doesn't have is refused by name, never read as another kind.
    """
    from bot.requests.kinds.registry import context_for  # the kinds build on Draft and Refusal

    found = context_for(school, type_name)
    if found is None:
        known = ", ".join(sorted(school.config.request_types))
        return Refusal(f"I don't know a request type called '{type_name}' (this school has: {known}).")
    kind, context = found
    return kind.parse(context, inputs, today)
