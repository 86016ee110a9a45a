"""The demo's calendar follows the current academic year; a real school's ended terms warn and never crash."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from bot.demo.server import DemoClock, start_demo
from bot.school import School, demo_school_folder, load_school, parse_school
from bot.school.rolling import academic_year_of
from tests.conftest import TEACHER

LONDON = ZoneInfo("Europe/London")
DEMO_TEXT = (demo_school_folder() / "school.yaml").read_text(encoding="utf-8")


def demo_on(moment: datetime) -> School:
    return load_school(demo_school_folder(), clock=FakeClock(moment))


@cache
def written_terms() -> School:
    """The demo's terms exactly as written, like a real school's (no following the year)."""
    text = DEMO_TEXT.replace("dates_follow_current_year: true\n", "")
    assert text != DEMO_TEXT
    return parse_school(demo_school_folder() / "school.yaml", text, clock=FakeClock(datetime(2026, 11, 23, tzinfo=UTC)))


def every_four_weeks(first: date, last: date) -> list[date]:
    return [first + timedelta(days=28 * n) for n in range((last - first).days // 28 + 1)]


@pytest.mark.parametrize("today", every_four_weeks(date(2025, 1, 3), date(2031, 12, 29)))
def test_the_demo_calendar_never_runs_out(today: date) -> None:
    evening = datetime(today.year, today.month, today.day, 22, 30, tzinfo=LONDON)
    school = demo_on(evening)
    calendar = school.calendar
    written = written_terms().calendar
    # Terms this academic year and the next, each moved by whole weeks (weekdays stay put).
    assert len(calendar.terms) == 2 * len(written.terms)
    starts = [term.start for term in calendar.terms]
    assert starts == sorted(starts)
    assert {academic_year_of(start) for start in starts} == {academic_year_of(today), academic_year_of(today) + 1}
    for moved, original in zip(calendar.terms, written.terms * 2, strict=True):
        assert moved.name == original.name and moved.start.weekday() == original.start.weekday()
        assert moved.end - moved.start == original.end - original.start
    # The next working morning is never more than a summer holiday away.
    morning = calendar.next_working_morning(evening)
    assert timedelta(0) < morning - evening < timedelta(days=60)
    assert calendar.is_school_day(morning.astimezone(LONDON).date())
    assert school.warnings(FakeClock(evening)) == []


def test_the_demo_loaded_in_its_written_year_keeps_its_dates_as_written() -> None:
    autumn = datetime(2026, 11, 23, 9, 14, tzinfo=UTC)
    school, written = demo_on(autumn), written_terms()
    assert school.calendar.terms[: len(written.calendar.terms)] == written.calendar.terms
    assert school.config.closures[0] == written.config.closures[0]
    assert school.config.delegates[0] == written.config.delegates[0]


def test_the_demo_moves_closures_and_delegates_with_its_terms() -> None:
    later = datetime(2029, 11, 20, 9, 0, tzinfo=UTC)
    school = demo_on(later)
    written = written_terms()
    shift = school.calendar.terms[0].start - written.calendar.terms[0].start
    assert shift.days % 7 == 0 and shift.days > 0
    polling = written.config.closures[0].start + shift
    assert school.calendar.closure_on(polling) is not None and polling.weekday() == 3  # still a Thursday
    away = written.config.delegates[0]
    assert school.directory.delegates_for(away.approver, away.start + shift)
    assert not school.directory.delegates_for(away.approver, away.start)


def test_a_real_schools_ended_terms_warn_and_time_messages_by_weekdays() -> None:
    school = written_terms()
    last = school.calendar.known_until
    assert last is not None
    saturday_night = datetime.combine(last + timedelta(days=(5 - last.weekday()) % 7 or 7),
                                      datetime.min.time(), LONDON) + timedelta(hours=22, minutes=30)
    calendar = school.calendar
    # No ValueError: past the configured terms, the next working weekday morning.
    morning = calendar.next_working_morning(saturday_night)
    assert morning.astimezone(LONDON).weekday() == 0 and morning.astimezone(LONDON).hour == 8
    assert calendar.deliver_at(saturday_night) == morning
    assert calendar.add_working_hours(saturday_night, 8) > morning
    warnings = school.warnings(FakeClock(saturday_night))
    assert len(warnings) == 1
    line = next(n for n, text in enumerate(DEMO_TEXT.replace("dates_follow_current_year: true\n", "").splitlines(),
                                           start=1) if text.startswith("terms:"))
    assert warnings[0].startswith(f"{school.file}:{line}: terms: the last term in school.yaml ended on ")
    assert f"{last:%-d %b %Y}" in warnings[0]
    # While the terms last, nothing to warn about.
    assert school.warnings(FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC))) == []


# --- through the commands ---------------------------------------------------------------


def school_whose_terms_ended(folder: Path) -> Path:
    """A copy of the demo folder whose written terms all ended two weeks ago (worked out from today)."""
    shutil.copytree(demo_school_folder(), folder)
    today = datetime.now(LONDON).date()
    end = today - timedelta(days=14)
    terms = (f"terms:\n  - {{name: Summer 2, start: {end - timedelta(days=40)}, end: {end}}}\n"
             f"\nclosures: []\ndelegates: []\n")
    text = DEMO_TEXT.replace("dates_follow_current_year: true\n", "")
    text = text[: text.index("terms:\n")] + terms + text[text.index("roles:\n"):]
    text = text[: text.index("# While an approver is away")] + text[text.index("staff:\n"):]
    (folder / "school.yaml").write_text(text, encoding="utf-8")
    return folder


def staffroom(*args: str, stdin: str = "", data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir or Path.cwd())}
    environment.pop("DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env=environment)


def next_weekday_not_a_bank_holiday(today: date) -> date:
    """Worked out here from today: the first Monday-to-Friday after today that is no English bank holiday."""
    import holidays

    england = holidays.country_holidays("GB", subdiv="ENG")
    day = today + timedelta(days=1)
    while day.weekday() >= 5 or day in england:
        day += timedelta(days=1)
    return day


def test_chat_with_ended_terms_warns_answers_and_flags_the_request(tmp_path: Path) -> None:
    folder = school_whose_terms_ended(tmp_path / "school")
    day = next_weekday_not_a_bank_holiday(datetime.now(LONDON).date())
    script = ["who do I contact about IT?", "can I work from home tomorrow?", "1",
              "1", day.isoformat(), "", "", "", "specific_task", ""]  # Send request: date, ..., reason, note
    result = staffroom("chat", "--policies", str(folder), "--as", TEACHER, stdin="\n".join(script) + "\n",
                       data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"Warning: {folder / 'school.yaml'}:" in result.stderr and "add the coming terms" in result.stderr
    assert "8.2 IT support" in result.stdout  # policy answers carry on
    assert "Request #1 sent" in result.stdout
    assert f"{day:%a %-d %b} is after the last term in the school's calendar" in result.stdout


def test_policies_check_warns_about_ended_terms_and_still_passes(tmp_path: Path) -> None:
    folder = school_whose_terms_ended(tmp_path / "school")
    result = staffroom("policies", "check", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Warning: {folder / 'school.yaml'}:" in result.stdout and "add the coming terms" in result.stdout
    assert "no problems (1 warning(s) above)" in result.stdout


def test_policies_check_on_the_demo_has_no_warning() -> None:
    result = staffroom("policies", "check", str(demo_school_folder()))
    assert result.returncode == 0 and "Warning" not in result.stdout + result.stderr


async def test_the_demo_starts_in_the_summer_holiday_late_at_night(tmp_path: Path) -> None:
    # Whatever year it is: a Saturday night in mid-August, after the written year's terms are over.
    for year in (2027, 2031):
        evening = datetime(year, 8, 14, 22, 30, tzinfo=LONDON)
        clock = DemoClock(demo_on(evening), FakeClock(evening))
        started = clock.now().astimezone(LONDON)
        assert started.month == 9 and started.hour == 8 and started.weekday() < 5


async def test_the_demo_server_warns_about_a_folder_whose_terms_ended(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = school_whose_terms_ended(tmp_path / "school")
    late = FakeClock(datetime.now(UTC).replace(hour=22, minute=30))
    with caplog.at_level(logging.WARNING, logger="bot.demo.server"):
        server = await start_demo(folder, tmp_path, clock=late)
    try:
        assert any("add the coming terms" in record.getMessage() for record in caplog.records)
    finally:
        await server.stop()
