"""Date expressions against a fixed day: Monday 23 November 2026, UK day-month order."""

from __future__ import annotations

from datetime import date

import pytest

from intents.dates import parse_when
from intents.routing import PartOfDay

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("tomorrow", date(2026, 11, 24), None),
        ("on Friday", date(2026, 11, 27), None),
        ("this monday", date(2026, 11, 23), None),
        ("monday", date(2026, 11, 30), None),
        ("next Monday", date(2026, 11, 30), None),
        ("next Wednesday", date(2026, 12, 2), None),
        ("on the 14th", date(2026, 12, 14), None),
        ("14/12", date(2026, 12, 14), None),
        ("3/1", date(2027, 1, 3), None),
        ("14 December", date(2026, 12, 14), None),
        ("Dec 3rd", date(2026, 12, 3), None),
        ("next week", date(2026, 11, 30), date(2026, 12, 4)),
        ("tuesday to thursday next week", date(2026, 12, 1), date(2026, 12, 3)),
        ("from 7/12 until 9/12", date(2026, 12, 7), date(2026, 12, 9)),
    ],
)
def test_dates_resolve_to_the_coming_day(text: str, start: date, end: date | None) -> None:
    when = parse_when(f"can I work from home {text}", MONDAY)
    assert (when.start, when.end) == (start, end)


def test_day_month_order_is_british() -> None:
    assert parse_when("wfh 5/6", MONDAY).start == date(2027, 6, 5)


def test_every_friday_is_a_weekly_pattern() -> None:
    when = parse_when("every Friday this half-term", MONDAY)
    assert when.weekday == 4 and when.start == date(2026, 11, 27) and when.until_term_end


def test_part_of_day() -> None:
    assert parse_when("Wednesday afternoon", MONDAY).part_of_day is PartOfDay.AFTERNOON
    assert parse_when("friday morning", MONDAY).part_of_day is PartOfDay.MORNING
    assert parse_when("friday", MONDAY).part_of_day is PartOfDay.WHOLE_DAY


def test_no_date_is_empty() -> None:
    assert parse_when("can I work from home?", MONDAY).is_empty
    assert parse_when("the meeting is at 9.30", MONDAY).is_empty


@pytest.mark.parametrize("text", ["next week, or is this week better?", "this week or next week", "next week next week"])
def test_two_weeks_named_take_the_first_without_an_error(text: str) -> None:
    when = parse_when(f"can I work from home {text}", MONDAY)
    assert when.start is not None and when.end is not None and when.text.endswith("week")
