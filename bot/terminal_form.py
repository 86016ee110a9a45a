"""A form in the terminal, a field at a time: choices by number, label or the start of it; nothing needed left empty.

`read_answer` checks one typed answer against its field and gives either the value to
send or what to tell the person before asking that field again; the other fields keep
what was already typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.messages import Choice, Input

#: Typed for an optional field to leave it empty when it shows a value already.
CLEAR = "-"


@dataclass(frozen=True, slots=True)
class Answer:
    """A field's value to send, or (when `problem` is set) why the field is asked again."""

    value: str = ""
    problem: str | None = None


def numbered(choices: tuple[Choice, ...]) -> str:
    return ", ".join(f"{number} {choice.label}" for number, choice in enumerate(choices, start=1))


def prompt_for(field: Input) -> str:
    """`  Reason: 1 Flexible working, 2 …, 4 Other circumstances [3]: ` (the value Enter keeps in brackets)."""
    options = f": {numbered(field.choices)}" if field.choices else ""
    shown = ""
    if field.initial:
        chosen = next((n for n, c in enumerate(field.choices, start=1) if c.value == field.initial), None)
        shown = f" [{chosen}]" if chosen is not None else f" [{field.initial}]"
        if field.optional:
            shown += f" ({CLEAR} for none)"
    elif field.optional:
        shown = " (optional)"
    return f"  {field.label}{options}{shown}: "


def _match_choice(choices: tuple[Choice, ...], typed: str) -> list[Choice]:
    """What `typed` can mean: its number, its value or label, else labels it begins (or a word of them begins)."""
    wanted = typed.casefold()
    if typed.isdigit():
        number = int(typed)
        return [choices[number - 1]] if 1 <= number <= len(choices) else []
    exact = [c for c in choices if wanted in (c.value.casefold(), c.label.casefold())]
    if exact:
        return exact
    starts = [c for c in choices if c.label.casefold().startswith(wanted)]
    if starts:
        return starts
    return [c for c in choices if any(word.startswith(wanted) for word in _word_starts(c.label.casefold()))]


def _word_starts(label: str) -> list[str]:
    """`label` from each of its words on: "a specific task" -> ["a specific task", "specific task", "task"]."""
    words = label.split()
    return [" ".join(words[index:]) for index in range(len(words))]


def read_answer(field: Input, typed: str) -> Answer:
    """What `typed` gives for `field`: Enter keeps the value shown; a problem asks the field again."""
    text = typed.strip()
    if field.optional and text == CLEAR:
        return Answer("")
    if not text:
        if field.initial:
            return Answer(field.initial)
        if field.optional:
            return Answer("")
        return Answer(problem=_missing(field))
    if field.kind == "choice" and field.choices:
        found = _match_choice(field.choices, text)
        if len(found) == 1:
            return Answer(found[0].value)
        if found:
            return Answer(problem=f"'{text}' could be {numbered(tuple(found))}: please type the number.")
        return Answer(problem=f"'{text}' is not one of the choices. Please choose {numbered(field.choices)}.")
    if field.kind == "date":
        return _read_date(field, text)
    if field.max_length is not None and len(text) > field.max_length:
        return Answer(problem=f"That is {len(text):,} characters; please keep it to {field.max_length:,}.")
    return Answer(text)


def _missing(field: Input) -> str:
    if field.choices:
        return f'"{field.label}" is needed: please choose {numbered(field.choices)}.'
    return f'"{field.label}" is needed: please fill it in.'


def _read_date(field: Input, text: str) -> Answer:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        example = field.initial or field.min_date
        hint = f", for example {example}" if example else ""
        return Answer(problem=f'"{field.label}": please give a date as YYYY-MM-DD{hint}.')
    if field.min_date is not None and day < field.min_date:
        return Answer(problem=f"{day:%A %-d %B %Y} has already passed; please choose {field.min_date} or later.")
    return Answer(day.isoformat())
