"""Working from home: one day, a range or every week, for part or all of the day, with the reason
WFH policy section 3 allows (the router's own request intent asks for it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from bot.requests.drafts import MAX_NOTE_CHARS, MAX_SCHOOL_DAYS, MAX_SPAN_DAYS, Draft, Refusal, requested_days
from bot.requests.kinds.base import Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import PART_OF_DAY, describe_days, read_choice, read_date, read_text
from bot.school import School
from intents.routing import PartOfDay, ReasonCategory, RequestSlots, WhenSlots

REASON_LABELS: dict[str, str] = {
    ReasonCategory.FLEXIBLE_WORKING.value: "Flexible working",
    ReasonCategory.HEALTH_ADVICE.value: "Clinical or public-health advice",
    ReasonCategory.SPECIFIC_TASK.value: "A specific task (e.g. report checking)",
    ReasonCategory.OTHER.value: "Other circumstances",
}
REPEAT_LABELS = {
    "once": "One day, or every day from start to end",
    "weekly": "Every week on that day",
}

START = FieldSpec("start", "Date (or first date)", "date")
END = FieldSpec("end", "Last date (for several days)", "date", optional=True)
REPEAT = FieldSpec("repeat", "Repeat", "choice", choices=tuple(REPEAT_LABELS.items()))
PART = FieldSpec("part_of_day", "Part of the day", "choice", choices=PART_OF_DAY)
REASON = FieldSpec("reason_category", "Reason", "choice",
                   choices=tuple(REASON_LABELS.items()))
NOTE = FieldSpec("note", "Note for your approvers", "long_text", optional=True, max_length=MAX_NOTE_CHARS)


def slots_from_prefill(data: Mapping[str, Any]) -> RequestSlots:
    """What a button's pre-fill said; anything unreadable just leaves the form blank."""
    try:
        when = WhenSlots(
            start=date.fromisoformat(data["start"]) if "start" in data else None,
            end=date.fromisoformat(data["end"]) if "end" in data else None,
            weekday=int(data["weekday"]) if "weekday" in data else None,
            until_term_end=bool(data.get("until_term_end", False)),
            part_of_day=PartOfDay(data.get("part_of_day", PartOfDay.WHOLE_DAY.value)),
        )
        category = data.get("reason_category")
        return RequestSlots(
            when=when,
            reason=str(data["reason"])[:1000] if "reason" in data else None,
            reason_category=ReasonCategory(category) if category else None,
        )
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError):
        return RequestSlots()


def first_day_for(school: School, slots: RequestSlots, today: date) -> date:
    """The date the form suggests: the one asked for, the next such weekday, or the next school day."""
    when = slots.when
    if when.start is not None:
        return max(when.start, today)
    if when.weekday is not None:
        return today + timedelta(days=(when.weekday - today.weekday()) % 7)
    return next(school.calendar.school_days(today + timedelta(days=1), today + timedelta(days=400)), today)


class WorkFromHome(RequestKind):
    name = "wfh"
    ask_phrase = "ask to work from home"
    working_from_home = True
    routed_intent = "request_wfh"
    offered_under_answers = False

    def button_label(self, context: KindContext) -> str:
        return "Request to work from home"

    def title(self, context: KindContext) -> str:
        return "Request to work from home"

    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (START, END, REPEAT, PART, REASON, NOTE)

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        slots = slots_from_prefill(prefill)
        when = slots.when
        start = first_day_for(context.school, slots, today)
        end = when.end
        if end is None and when.until_term_end:
            end = context.school.calendar.term_end_after(start)
        values = {
            "start": start.isoformat(),
            "repeat": "weekly" if when.weekday is not None else "once",
            "part_of_day": when.part_of_day.value,
        }
        if end is not None:
            values["end"] = end.isoformat()
        if slots.reason_category is not None:
            values["reason_category"] = slots.reason_category.value
        return values

    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        school = context.school
        start = read_date(inputs, "start", "date", today)
        if isinstance(start, Refusal):
            return start
        repeat = inputs.get("repeat") or "once"
        if repeat not in REPEAT_LABELS:
            return Refusal("Please choose whether the request is for one day or every week.")
        end: date | Refusal = start
        if inputs.get("end"):
            end = read_date(inputs, "end", "end date", today)
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
        part = read_choice(inputs, PART, default=PartOfDay.WHOLE_DAY.value)
        if isinstance(part, Refusal):
            return Refusal("Please choose the whole day, the morning or the afternoon.")
        reason = read_choice(inputs, REASON)
        if isinstance(reason, Refusal):
            return Refusal("Please choose the reason for working from home.")
        note = read_text(inputs, "note", "Note", needed=False)
        if isinstance(note, Refusal):
            return note
        details = {"part_of_day": part, "reason_category": reason}
        return Draft(context.type_name, start, end, weekday, details, note)

    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        reason = str(details.get("reason_category") or "")
        return [
            Fact("When", describe_days(start, end, weekday, details.get("part_of_day"))),
            Fact("Reason", REASON_LABELS.get(reason, reason), private=True),
            Fact("Note", note, private=True),
        ]

KIND = WorkFromHome()
