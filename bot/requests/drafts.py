"""A request as submitted on its form: parsed, checked, and refused with a clear reason."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.school import School
from bot.school.config import RequestTypeConfig
from intents.routing import PartOfDay, ReasonCategory

#: Longest note or explanation a requester may write.
MAX_NOTE_CHARS = 1000
#: Longest run of school days one request may cover.
MAX_SCHOOL_DAYS = 31
#: Longest span from start to end, in calendar days: refused before any calendar work.
MAX_SPAN_DAYS = 366

REASON_LABELS: dict[ReasonCategory, str] = {
    ReasonCategory.FLEXIBLE_WORKING: "Flexible working",
    ReasonCategory.HEALTH_ADVICE: "Clinical or public-health advice",
    ReasonCategory.SPECIFIC_TASK: "A specific task (e.g. report checking)",
    ReasonCategory.OTHER: "Other circumstances",
}
PART_OF_DAY_LABELS: dict[PartOfDay, str] = {
    PartOfDay.WHOLE_DAY: "Whole day",
    PartOfDay.MORNING: "Morning",
    PartOfDay.AFTERNOON: "Afternoon",
}
REPEAT_LABELS = {
    "once": "One day, or every day from start to end",
    "weekly": "Every week on that day",
}
ITEM_LABELS = {"laptop": "Laptop", "tablet": "Tablet", "other": "Other"}


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


def _parse_date(value: str | None, label: str) -> date | Refusal:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return Refusal(f"Please give the {label} as a date (for example 2026-12-04).")


def _check_note(text: str, label: str) -> Refusal | None:
    if len(text) > MAX_NOTE_CHARS:
        return Refusal(f"The {label} is {len(text):,} characters long; please keep it to {MAX_NOTE_CHARS:,}.")
    return None


def parse_draft(school: School, type_name: str, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
    """Check one form submission against the school's rules; nothing is stored here."""
    request_type = school.config.request_types.get(type_name)
    if request_type is None:
        known = ", ".join(sorted(school.config.request_types))
        return Refusal(f"I don't know a request type called '{type_name}' (this school has: {known}).")
    if request_type.form == "wfh":
        return _parse_wfh(school, type_name, inputs, today)
    return _parse_loan(type_name, request_type, inputs, today)


def _parse_wfh(school: School, type_name: str, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
    start = _parse_date(inputs.get("start"), "date")
    if isinstance(start, Refusal):
        return start
    if start < today:
        return Refusal(f"{start:%A %-d %B %Y} has already passed; please choose today or a later date.")
    repeat = inputs.get("repeat") or "once"
    if repeat not in REPEAT_LABELS:
        return Refusal("Please choose whether the request is for one day or every week.")
    end: date | Refusal = start
    if inputs.get("end"):
        end = _parse_date(inputs.get("end"), "end date")
    elif repeat == "weekly":
        end = school.calendar.term_end_after(start) or Refusal("Please give an end date for a weekly request.")
    if isinstance(end, Refusal):
        return end
    if end < start:
        return Refusal("The end date is before the start date.")
    if (end - start).days > MAX_SPAN_DAYS:
        return Refusal(
            f"That runs from {start:%-d %B %Y} to {end:%-d %B %Y}; one request can cover at most "
            f"{MAX_SCHOOL_DAYS} school days within a year. Please choose a nearer end date."
        )
    weekday = start.weekday() if repeat == "weekly" else None
    days = (
        list(requested_days(start, end, weekday))
        if weekday is not None
        else list(school.calendar.school_days(start, end))
    )
    if len(days) > MAX_SCHOOL_DAYS:
        return Refusal(
            f"That covers {len(days)} school days; one request can cover at most {MAX_SCHOOL_DAYS}. "
            "Please split it into shorter requests."
        )
    try:
        part = PartOfDay(inputs.get("part_of_day") or PartOfDay.WHOLE_DAY)
    except ValueError:
        return Refusal("Please choose the whole day, the morning or the afternoon.")
    try:
        reason = ReasonCategory(inputs.get("reason_category") or "")
    except ValueError:
        return Refusal("Please choose the reason for working from home.")
    note = (inputs.get("note") or "").strip()
    too_long = _check_note(note, "note")
    if too_long:
        return too_long
    details = {"part_of_day": part.value, "reason_category": reason.value}
    return Draft(type_name, start, end, weekday, details, note)


def _parse_loan(
    type_name: str, request_type: RequestTypeConfig, inputs: Mapping[str, str], today: date
) -> Draft | Refusal:
    start = _parse_date(inputs.get("needed_from") or today.isoformat(), "date you need it from")
    if isinstance(start, Refusal):
        return start
    if start < today:
        return Refusal(f"{start:%A %-d %B %Y} has already passed; please choose today or a later date.")
    item = inputs.get("item") or ""
    if item not in ITEM_LABELS:
        return Refusal("Please choose what you need: a laptop, a tablet or something else.")
    why = (inputs.get("why") or "").strip()
    if not why:
        return Refusal(f"Please say why you need it ({request_type.label.lower()} is approved by need).")
    too_long = _check_note(why, "explanation")
    if too_long:
        return too_long
    return Draft(type_name, start, start, None, {"item": item}, why)
