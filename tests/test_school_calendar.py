"""The school calendar: school days, bank holidays, terms, closures and working hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from bot.school import School, demo_school_folder, parse_school


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_a_term_weekday_is_a_school_day(school: School) -> None:
    assert school.calendar.is_school_day(date(2026, 11, 23))


def test_weekend_bank_holiday_closure_and_half_term_are_not_school_days(school: School) -> None:
    calendar = school.calendar
    assert calendar.is_weekend(date(2026, 11, 28))
    assert calendar.bank_holiday_name(date(2027, 5, 3)) == "May Day"
    assert calendar.is_in_term(date(2027, 5, 3)) and not calendar.is_school_day(date(2027, 5, 3))
    closure = calendar.closure_on(date(2027, 5, 6))
    assert closure is not None and closure.reason == "Polling station"
    assert not calendar.is_school_day(date(2027, 5, 6))
    assert not calendar.is_in_term(date(2026, 10, 28))
    assert not calendar.is_school_day(date(2026, 10, 28))


def test_term_end_after_gives_the_current_half_term_end(school: School) -> None:
    assert school.calendar.term_end_after(date(2026, 11, 27)) == date(2026, 12, 18)
    assert school.calendar.term_end_after(date(2026, 12, 24)) == date(2027, 2, 12)


def test_next_working_morning_skips_weekend_and_christmas_holiday(school: School) -> None:
    calendar = school.calendar
    assert calendar.next_working_morning(at(2026, 11, 27, 17, 30)) == at(2026, 11, 30, 8, 0)
    assert calendar.next_working_morning(at(2026, 11, 24, 7, 0)) == at(2026, 11, 24, 8, 0)
    assert calendar.next_working_morning(at(2026, 12, 18, 18, 0)) == at(2027, 1, 4, 8, 0)


def test_working_hours_use_the_school_time_zone_in_summer(school: School) -> None:
    # 12 April 2027 is in British Summer Time: 08:00 in London is 07:00 UTC.
    assert school.calendar.is_working_time(at(2027, 4, 12, 7, 0))
    assert not school.calendar.is_working_time(at(2027, 4, 12, 6, 59))


def test_adding_working_hours_skips_evenings_and_weekends(school: School) -> None:
    calendar = school.calendar
    assert calendar.add_working_hours(at(2026, 11, 23, 16, 0), 8) == at(2026, 11, 24, 15, 0)
    assert calendar.add_working_hours(at(2026, 11, 27, 16, 0), 2) == at(2026, 11, 30, 9, 0)
    assert calendar.add_working_hours(at(2026, 11, 28, 12, 0), 1) == at(2026, 11, 30, 9, 0)


def test_messages_outside_working_hours_wait_for_the_morning(school: School) -> None:
    calendar = school.calendar
    assert calendar.deliver_at(at(2026, 11, 23, 10, 0)) == at(2026, 11, 23, 10, 0)
    assert calendar.deliver_at(at(2026, 11, 23, 18, 30)) == at(2026, 11, 24, 8, 0)


def test_bank_holiday_region_is_configurable() -> None:
    text = (demo_school_folder() / "school.yaml").read_text(encoding="utf-8")
    scotland = parse_school(Path("school.yaml"), text.replace("bank_holidays: england", "bank_holidays: scotland"))
    england = parse_school(Path("school.yaml"), text)
    st_andrews_day = date(2026, 11, 30)
    assert scotland.calendar.is_bank_holiday(st_andrews_day)
    assert not england.calendar.is_bank_holiday(st_andrews_day)
    none = parse_school(Path("school.yaml"), text.replace("bank_holidays: england", "bank_holidays: none"))
    assert not none.calendar.is_bank_holiday(date(2026, 12, 25))
