"""Fields every kind can use: reading a submitted value, and the neutral form input it renders as."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.messages import Choice, Input
from bot.requests.drafts import MAX_NOTE_CHARS, Refusal
from bot.requests.kinds.base import FieldSpec
from intents.routing import PartOfDay

YES_NO = (("yes", "Yes"), ("no", "No"))
PART_OF_DAY_LABELS: dict[str, str] = {
    PartOfDay.WHOLE_DAY.value: "Whole day",
    PartOfDay.MORNING.value: "Morning",
    PartOfDay.AFTERNOON.value: "Afternoon",
}
PART_OF_DAY = tuple(PART_OF_DAY_LABELS.items())
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def to_input(spec: FieldSpec, initial: str | None, today: date) -> Input:
    """The neutral form input for one field (a yes/no is a choice of Yes or No)."""
    choices = YES_NO if spec.type == "yes_no" else spec.choices
    kind = {"date": "date", "choice": "choice", "yes_no": "choice"}.get(spec.type, "text")
    max_length = spec.max_length or (MAX_NOTE_CHARS if kind == "text" else None)
    return Input(
        name=spec.name,
        label=spec.label,
        kind=kind,  # type: ignore[arg-type]  # one of the literal kinds above
        initial=initial or None,
        choices=tuple(Choice(label=label, value=value) for value, label in choices),
        optional=spec.optional,
        max_length=max_length,
        min_date=today if kind == "date" else None,
        multiline=spec.type != "text",
    )


def prefilled_days(prefill: Mapping[str, object], today: date) -> dict[str, str]:
    """The `start` and `end` days a button's pre-fill names, where they are dates not yet past."""
    values: dict[str, str] = {}
    for name in ("start", "end"):
        try:
            day = date.fromisoformat(str(prefill.get(name, "")))
        except ValueError:
            continue
        if day >= today:
            values[name] = day.isoformat()
    return values


def read_date(inputs: Mapping[str, str], name: str, label: str, today: date, *,
              default: date | None = None) -> date | Refusal:
    """A date no earlier than today."""
    text = (inputs.get(name) or "").strip()
    if not text and default is not None:
        return default
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return Refusal(f"Please give the {label} as a date (for example {today.isoformat()}).")
    if day < today:
        return Refusal(f"{day:%A %-d %B %Y} has already passed; please choose today or a later date.")
    return day


def read_text(inputs: Mapping[str, str], name: str, label: str, *, needed: bool,
              max_chars: int = MAX_NOTE_CHARS) -> str | Refusal:
    text = (inputs.get(name) or "").strip()
    if needed and not text:
        return Refusal(f"Please fill in: {label}.")
    if len(text) > max_chars:
        return Refusal(f"The {label.lower()} is {len(text):,} characters long; please keep it to {max_chars:,}.")
    return text


def read_choice(inputs: Mapping[str, str], spec: FieldSpec, *, default: str | None = None) -> str | Refusal:
    value = (inputs.get(spec.name) or default or "").strip()
    known = dict(YES_NO if spec.type == "yes_no" else spec.choices)
    if value in known:
        return value
    return Refusal(f"Please choose {spec.label.lower()}: " + ", ".join(known.values()) + ".")


def yes_no_label(value: object) -> str:
    return dict(YES_NO).get(str(value), "")


def describe_days(start: date, end: date, weekday: int | None, part: str | None) -> str:
    """ "Fri 27 Nov 2026, morning", "Mon 30 Nov – Fri 4 Dec 2026", "Every Friday, 27 Nov – 18 Dec 2026"."""
    if weekday is not None:
        text = f"Every {_WEEKDAY_NAMES[weekday]}, {start:%-d %b} – {end:%-d %b %Y}"
    elif end != start:
        text = f"{start:%a %-d %b} – {end:%a %-d %b %Y}"
    else:
        text = f"{start:%a %-d %b %Y}"
    if part and part != PartOfDay.WHOLE_DAY.value and part in PART_OF_DAY_LABELS:
        text += f", {PART_OF_DAY_LABELS[part].lower()}"
    return text
