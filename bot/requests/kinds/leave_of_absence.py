"""Leave of absence (special leave): a day, part of a day or a range, for a medical appointment, a
funeral, a family event, public duties, religious observance or another reason. The final approver
decides whether it is paid; the reason is seen only by the requester and the approval chain."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.requests.drafts import MAX_NOTE_CHARS, MAX_SCHOOL_DAYS, MAX_SPAN_DAYS, Draft, Refusal
from bot.requests.kinds.asking import asking_for, asks
from bot.requests.kinds.base import Asked, Fact, FieldSpec, KindContext, RequestKind
from bot.requests.kinds.fields import (
    PART_OF_DAY,
    PART_OF_DAY_LABELS,
    describe_days,
    prefilled_days,
    read_choice,
    read_date,
    read_text,
    yes_no_label,
)
from intents.dates import parse_when
from intents.routing import PartOfDay
from intents.text import normalise

#: The types of leave a school offers unless its school.yaml lists its own (`options: leave_types`).
DEFAULT_LEAVE_TYPES = (
    "Medical appointment",
    "Bereavement",
    "Family event",
    "Public duties",
    "Religious observance",
    "Other",
)
MAX_LEAVE_TYPES = 20
MAX_LABEL_CHARS = 75
PAID_LABELS = {"paid": "Paid", "unpaid": "Unpaid"}

#: Words in the message that suggest a type of leave, by the type's label (used only if the school offers it).
_TYPE_HINTS = {
    "Medical appointment": ("hospital", "doctor", "doctors", "gp", "dentist", "dental", "appointment", "clinic",
                            "scan", "operation", "surgery", "consultant", "optician", "physio"),
    "Bereavement": ("funeral", "bereavement", "passed away", "died", "death"),
    "Family event": ("wedding", "graduation", "christening", "family event", "school play", "sports day"),
    "Public duties": ("jury", "jury service", "magistrate", "councillor", "public duties", "court", "witness"),
    "Religious observance": ("eid", "diwali", "yom kippur", "rosh hashanah", "vaisakhi", "religious",
                             "festival", "holy day"),
}

_ASKED = asking_for(
    ("have", "take", "get", "book", "be", "go", "leave of", "special", "a day", "the day", "the afternoon",
     "the morning", "some", "time"),
    ("off", "time off", "leave", "absence", "absent", "special leave", "compassionate leave", "day off",
     "afternoon off", "morning off"),
)
#: Named outright, an ask for leave needs no day: "can I apply for special leave?".
_NAMED = asking_for(("have", "take", "get", "book", "apply", "request", "ask"),
                    ("leave of absence", "special leave", "compassionate leave", "absence request", "a day off",
                     "day off", "time off"), gap=3)
#: Leaving early for an appointment, a funeral or the like is leave for the afternoon: "can I leave early on
#: Friday for a hospital appointment?" (leaving early with no such reason is not taken for leave).
_EARLY = re.compile(r"\b(?:leave|finish|go|get off) early\b")
_ASKING_EARLY = asking_for(("leave", "finish", "go", "get off"), ("early",), gap=1)
_NOT_LEAVE = re.compile(r"\b(?:work from home|working from home|wfh|sick|ill|sickness|off sick|turn off|switch off"
                        r"|log off|sign off|signed off|leave early|leave school|leave the building|maternity"
                        r"|paternity|parental leave|annual leave|holiday)\b")


def leave_types(options: Mapping[str, Any]) -> tuple[str, ...]:
    configured = options.get("leave_types")
    return tuple(configured) if configured else DEFAULT_LEAVE_TYPES


def type_value(label: str) -> str:
    return "_".join(normalise(label).split()) or "other"


class LeaveOfAbsence(RequestKind):
    name = "leave_of_absence"
    ask_phrase = "ask for leave"

    def check_options(self, options: Mapping[str, Any]) -> list[tuple[str, str]]:
        problems = [(key, "unknown option (leave of absence takes: leave_types)") for key in options
                    if key != "leave_types"]
        if "leave_types" in options:
            types = options["leave_types"]
            if not isinstance(types, list) or not types or not all(isinstance(t, str) and t.strip() for t in types):
                problems.append(("leave_types", "give a list of the types of leave, e.g. [Bereavement, Other]"))
            elif len(types) > MAX_LEAVE_TYPES or any(len(t) > MAX_LABEL_CHARS for t in types):
                problems.append(("leave_types", f"at most {MAX_LEAVE_TYPES} types of at most "
                                                f"{MAX_LABEL_CHARS} characters each"))
            elif len({type_value(t) for t in types}) != len(types):
                problems.append(("leave_types", "a type of leave is listed twice"))
        return problems

    def asked(self, context: KindContext, text: str, today: date) -> Asked | None:
        plain = normalise(text)
        when = parse_when(text, today)
        hinted = self._hinted_type(plain, leave_types(context.options))
        early = hinted is not None and bool(_EARLY.search(plain)) and asks(_ASKING_EARLY, text)
        if not early and _NOT_LEAVE.search(plain):
            return None
        if not (early or asks(_NAMED, text) or (asks(_ASKED, text) and not when.is_empty)):
            return None
        part_of_day = PartOfDay.AFTERNOON if early and when.part_of_day is PartOfDay.WHOLE_DAY else when.part_of_day
        prefill: dict[str, Any] = {"part_of_day": part_of_day.value}
        if when.start is not None:
            prefill["start"] = when.start.isoformat()
        if when.end is not None:
            prefill["end"] = when.end.isoformat()
        if hinted is not None:
            prefill["leave_type"] = type_value(hinted)
        when_text, part = when.text, part_of_day.value
        if when_text and part_of_day is not PartOfDay.WHOLE_DAY and part not in when_text.lower():
            when_text += f" {part}"
        return Asked(prefill=prefill, when_text=when_text)

    @staticmethod
    def _hinted_type(plain: str, offered: tuple[str, ...]) -> str | None:
        """The school's type of leave the message's words suggest ("hospital": Medical appointment), if any."""
        for label, hints in _TYPE_HINTS.items():
            if label in offered and re.search(r"\b(?:" + "|".join(map(re.escape, hints)) + r")\b", plain):
                return label
        return None

    def _type_field(self, context: KindContext) -> FieldSpec:
        types = leave_types(context.options)
        return FieldSpec("leave_type", "Type of leave", "choice", choices=tuple((type_value(t), t) for t in types))

    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (
            FieldSpec("start", "Date (or first date)", "date"),
            FieldSpec("end", "Last date (for several days)", "date", optional=True),
            FieldSpec("part_of_day", "Part of the day", "choice", choices=PART_OF_DAY),
            self._type_field(context),
            FieldSpec("reason", "Reason (only your approvers see it)", "long_text", optional=True,
                      max_length=MAX_NOTE_CHARS),
            FieldSpec("cover_needed", "Will your classes or duties need cover?", "yes_no"),
            FieldSpec("cover_note", "Notes for cover (work set, duties)", "long_text", optional=True,
                      max_length=MAX_NOTE_CHARS),
        )

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        values = {"part_of_day": PartOfDay.WHOLE_DAY.value, "cover_needed": "yes", **prefilled_days(prefill, today)}
        if str(prefill.get("part_of_day")) in PART_OF_DAY_LABELS:
            values["part_of_day"] = str(prefill["part_of_day"])
        if str(prefill.get("leave_type")) in dict(self._type_field(context).choices):
            values["leave_type"] = str(prefill["leave_type"])
        values.setdefault("start", today.isoformat())
        return values

    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        start = read_date(inputs, "start", "date", today)
        if isinstance(start, Refusal):
            return start
        end = read_date(inputs, "end", "last date", today, default=start)
        if isinstance(end, Refusal):
            return end
        if end < start:
            return Refusal("The last date is before the first.")
        if (end - start).days > MAX_SPAN_DAYS or (
            len(list(context.school.calendar.school_days(start, end))) > MAX_SCHOOL_DAYS
        ):
            return Refusal(f"One request can cover at most {MAX_SCHOOL_DAYS} school days; please split it.")
        fields = {spec.name: spec for spec in self.fields(context)}
        part = read_choice(inputs, fields["part_of_day"], default=PartOfDay.WHOLE_DAY.value)
        if isinstance(part, Refusal):
            return part
        if part != PartOfDay.WHOLE_DAY.value and end != start:
            return Refusal("A morning or an afternoon is for one day: please choose the whole day for several days.")
        kind = read_choice(inputs, fields["leave_type"])
        if isinstance(kind, Refusal):
            return kind
        reason = read_text(inputs, "reason", "Reason", needed=False)
        cover = read_choice(inputs, fields["cover_needed"])
        cover_note = read_text(inputs, "cover_note", "Notes for cover", needed=False)
        for checked in (reason, cover, cover_note):
            if isinstance(checked, Refusal):
                return checked
        details = {"part_of_day": part, "leave_type": kind, "cover_needed": cover, "cover_note": cover_note}
        return Draft(context.type_name, start, end, None, details, str(reason))

    def approval_fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        return (FieldSpec("paid", "Paid or unpaid leave?", "choice", choices=tuple(PAID_LABELS.items())),)

    def parse_approval(self, context: KindContext, inputs: Mapping[str, str]) -> dict[str, str] | Refusal:
        paid = read_choice(inputs, self.approval_fields(context)[0])
        if isinstance(paid, Refusal):
            return Refusal("Please choose whether the leave is paid or unpaid.")
        return {"paid": paid}

    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        kinds = dict(self._type_field(context).choices)
        kind = str(details.get("leave_type", ""))
        cover = yes_no_label(details.get("cover_needed"))
        facts = [
            Fact("When", describe_days(start, end, None, details.get("part_of_day"))),
            Fact("Type of leave", kinds.get(kind, kind.replace("_", " "))),
            Fact("Reason", note, private=True),
            Fact("Cover needed", cover),
            Fact("Cover notes", str(details.get("cover_note") or "")),
        ]
        if details.get("paid"):
            facts.append(Fact("Pay", PAID_LABELS.get(str(details["paid"]), str(details["paid"]))))
        return facts


KIND = LeaveOfAbsence()
