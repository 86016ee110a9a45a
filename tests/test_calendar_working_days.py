"""The calendar's working days: INSET days count, bank holidays and closures don't; the last day of the week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from checkin_builders import BANK_HOLIDAY, CLOSURE, FORTNIGHT, INSET, WORKING_DAYS, fortnight_school

from bot.errors import ConfigError
from bot.school import demo_school_folder, parse_school


def test_the_fortnight_has_exactly_the_expected_working_days() -> None:
    calendar = fortnight_school().calendar
    assert list(calendar.working_days(*FORTNIGHT)) == WORKING_DAYS
    assert not calendar.is_school_day(INSET) and calendar.is_working_day(INSET)
    assert calendar.why_not_working(BANK_HOLIDAY) == "bank holiday (May Day)"
    assert calendar.why_not_working(CLOSURE) == "school closed (Polling station)"
    assert calendar.why_not_working(date(2027, 5, 1)) == "not a working day of the week"
    assert calendar.why_not_working(date(2027, 4, 19)) == "outside term"


def test_last_working_day_of_the_week_skips_closures_and_holidays() -> None:
    calendar = fortnight_school().calendar
    assert [d for d in calendar.working_days(*FORTNIGHT) if calendar.last_working_day_of_week(d)] == [
        date(2027, 4, 30), date(2027, 5, 7)]
    assert calendar.last_working_day_of_week(date(2027, 5, 5)) is False  # Thursday closed, but Friday works


def test_working_hours_follow_inset_days() -> None:
    calendar = fortnight_school().calendar
    # Friday 23 April (Easter holiday) evening: the next working morning is the INSET day, 08:00 BST.
    assert calendar.next_working_morning(datetime(2027, 4, 23, 18, 0, tzinfo=UTC)) == datetime(
        2027, 4, 26, 7, 0, tzinfo=UTC)
    assert calendar.is_working_time(datetime(2027, 4, 26, 9, 0, tzinfo=UTC))


def test_an_inset_day_on_a_bank_holiday_is_not_a_working_day() -> None:
    file = demo_school_folder() / "school.yaml"
    text = file.read_text(encoding="utf-8").replace(
        "\nroles:\n", "\ninset_days:\n  - {date: 2027-05-03}\n\nroles:\n", 1)
    assert not parse_school(file, text).calendar.is_working_day(date(2027, 5, 3))


@pytest.mark.parametrize(("setting", "offset", "message"), [
    ("prompt_time: '07:00'", 0, "check_ins: prompt_time 07:00 is outside working hours (08:00-17:00)"),
    ("morning_messages: true", 1, "check_ins.morning_messages: unknown field 'morning_messages'"),
])
def test_a_bad_check_in_setting_names_file_line_and_field(setting: str, offset: int, message: str) -> None:
    file = demo_school_folder() / "school.yaml"
    text = file.read_text(encoding="utf-8").replace("\nstaff:\n", f"\ncheck_ins:\n  {setting}\n\nstaff:\n", 1)
    with pytest.raises(ConfigError) as caught:
        parse_school(file, text)
    line = text.splitlines().index("check_ins:") + 1 + offset
    assert str(caught.value) == f"{file}:{line}: {message}"


def test_delivery_attempts_must_be_positive() -> None:
    file = demo_school_folder() / "school.yaml"
    text = file.read_text(encoding="utf-8").replace("\nstaff:\n", "\ndelivery: {max_attempts: 0}\n\nstaff:\n", 1)
    with pytest.raises(ConfigError) as caught:
        parse_school(file, text)
    assert "delivery.max_attempts" in str(caught.value)
