"""A course or training (CPD): its title, provider, dates, cost, whether cover is needed, and why.
The line manager endorses; the CPD lead approves when the school names one, else the headteacher."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.requests.drafts import MAX_NOTE_CHARS, MAX_SPAN_DAYS, Draft, Refusal
from bot.requests.kinds.asking import asking_for, asks
from bot.requests.kinds.base import Asked, Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import (
    describe_days,
    prefilled_days,
    read_choice,
    read_date,
    read_text,
    yes_no_label,
)
from bot.school.config import LINE_MANAGER, SchoolConfig
from intents.dates import parse_when

MAX_TITLE_CHARS = 200
#: Dearer than this is surely a typing mistake (or not a course request).
MAX_COST = Decimal("100000")
_COST = re.compile(r"^£?\s*(\d{1,6}(?:,\d{3})*(?:\.\d{1,2})?)$")

_ASKED = asking_for(
    ("go on", "attend", "do", "book", "take", "sign up", "apply", "enrol", "enroll", "register", "go to", "join"),
    ("course", "courses", "training", "cpd", "conference", "workshop", "qualification", "npq"),
)

TITLE = FieldSpec("title", "Course title", "text", max_length=MAX_TITLE_CHARS)
PROVIDER = FieldSpec("provider", "Provider", "text", max_length=MAX_TITLE_CHARS)
START = FieldSpec("start", "Date (or first date)", "date")
END = FieldSpec("end", "Last date (for several days)", "date", optional=True)
COST = FieldSpec("cost", "Cost in pounds (0 if free)", "text", max_length=20)
COVER = FieldSpec("cover_needed", "Will your classes or duties need cover?", "yes_no")
WHY = FieldSpec("why", "Why this course (what you and the school gain)", "long_text", max_length=MAX_NOTE_CHARS)


def read_cost(text: str) -> Decimal | Refusal:
    found = _COST.match(text.strip())
    if found is None:
        return Refusal("Please give the cost in pounds, for example 250 or 249.99 (0 if it is free).")
    try:
        cost = Decimal(found.group(1).replace(",", ""))
    except InvalidOperation:
        return Refusal("Please give the cost in pounds, for example 250.")
    if cost > MAX_COST:
        return Refusal(f"£{cost:,} is more than a course request can be for; please check the cost.")
    return cost


class CourseRequest(RequestKind):
    name = "course_request"
    ask_phrase = "go on a course"

    def default_chain(self, config: SchoolConfig) -> tuple[str, ...]:
        return (LINE_MANAGER, "cpd_lead" if config.roles.cpd_lead else "headteacher")

    def asked(self, context: KindContext, text: str, today: date) -> Asked | None:
        if not asks(_ASKED, text):
            return None
        when = parse_when(text, today)
        prefill: dict[str, Any] = {}
        if when.start is not None:
            prefill["start"] = when.start.isoformat()
        if when.end is not None:
            prefill["end"] = when.end.isoformat()
        return Asked(prefill=prefill, when_text=when.text)

    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (TITLE, PROVIDER, START, END, COST, COVER, WHY)

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        values = {"cover_needed": "no", **prefilled_days(prefill, today)}
        return values

    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        title = read_text(inputs, "title", "Course title", needed=True, max_chars=MAX_TITLE_CHARS)
        provider = read_text(inputs, "provider", "Provider", needed=True, max_chars=MAX_TITLE_CHARS)
        start = read_date(inputs, "start", "date", today)
        for checked in (title, provider, start):
            if isinstance(checked, Refusal):
                return checked
        assert isinstance(start, date)
        end = read_date(inputs, "end", "last date", today, default=start)
        if isinstance(end, Refusal):
            return end
        if end < start:
            return Refusal("The last date is before the first.")
        if (end - start).days > MAX_SPAN_DAYS:
            return Refusal("A course request can cover at most a year; please give a nearer last date.")
        cost = read_cost(inputs.get("cost") or "")
        cover = read_choice(inputs, COVER)
        why = read_text(inputs, "why", "Why", needed=True)
        for problem in (cost, cover, why):
            if isinstance(problem, Refusal):
                return problem
        details = {"title": str(title), "provider": str(provider), "cost": f"{cost:.2f}", "cover_needed": cover}
        return Draft(context.type_name, start, end, None, details, str(why))

    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        try:
            cost = f"£{Decimal(str(details.get('cost', '0'))):,.2f}"
        except InvalidOperation:
            cost = str(details.get("cost", ""))
        return [
            Fact("Course", str(details.get("title", ""))),
            Fact("Provider", str(details.get("provider", ""))),
            Fact("When", describe_days(start, end, None, None)),
            Fact("Cost", cost),
            Fact("Cover needed", yes_no_label(details.get("cover_needed"))),
            Fact("Why", note, private=True),
        ]


KIND = CourseRequest()
