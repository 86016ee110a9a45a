"""The school calendar: working days, bank holidays, terms, closures, INSET days and working hours."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.school.config import BankHolidays, Closure, InsetDay, SchoolConfig, Term

if TYPE_CHECKING:  # the tables are loaded on the first look-up, so `staffroom ask` starts without them
    import holidays

_SUBDIVISION = {
    BankHolidays.ENGLAND: "ENG",
    BankHolidays.WALES: "WLS",
    BankHolidays.SCOTLAND: "SCT",
    BankHolidays.NORTHERN_IRELAND: "NIR",
}

#: How far ahead to look for the next working morning before giving up (a long summer holiday).
_SEARCH_DAYS = 400


@cache
def _bank_holidays_of(region: BankHolidays) -> holidays.HolidayBase:
    """One table per region, shared by every school there (a trust of many schools loads it once)."""
    import holidays

    if region is BankHolidays.NONE:
        return holidays.HolidayBase()
    # Years are filled in on first look-up, so the calendar never goes stale.
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[region])


class SchoolCalendar:
    """Answers "is this a school day?" and does working-hours arithmetic in the school's zone.

    A school day is a working weekday, in a term, not a bank holiday and not a closure.
    With no terms configured, every working weekday counts as in term. A working day is a
    school day or an INSET day (staff work, pupils don't): working hours and the
    assistant's own messages follow working days.

    After the last configured term (and INSET day) the calendar knows no more school days.
    So that nothing waits for ever when a school has not yet written next year's terms, the
    timing of messages and reminders then carries on over working weekdays that are not
    bank holidays or closures; `terms_ended_warning` tells the school to add its terms.
    """

    def __init__(self, config: SchoolConfig) -> None:
        self.zone = ZoneInfo(config.time_zone)
        self.working_weekdays = config.working_weekdays
        self.day_start: time = config.working_hours.start
        self.day_end: time = config.working_hours.end
        self.terms: tuple[Term, ...] = tuple(sorted(config.terms, key=lambda term: term.start))
        self.closures: tuple[Closure, ...] = config.closures
        self.inset_days: dict[date, InsetDay] = {inset.date: inset for inset in config.inset_days}
        self._region = config.bank_holidays
        #: The last day the configured calendar knows about; None when there are no terms (all weekdays count).
        self.known_until: date | None = (
            max([term.end for term in self.terms] + list(self.inset_days)) if self.terms else None
        )

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return _bank_holidays_of(self._region)

    # --- what kind of day is it ------------------------------------------------------------

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def is_weekend(self, day: date) -> bool:
        """True on a day the school does not normally work (Saturday and Sunday by default)."""
        return day.weekday() not in self.working_weekdays

    def bank_holiday_name(self, day: date) -> str | None:
        name = self._bank_holidays.get(day)
        return str(name) if name else None

    def is_bank_holiday(self, day: date) -> bool:
        return self.bank_holiday_name(day) is not None

    def term_of(self, day: date) -> Term | None:
        return next((term for term in self.terms if term.start <= day <= term.end), None)

    def is_in_term(self, day: date) -> bool:
        return not self.terms or self.term_of(day) is not None

    def is_after_terms(self, day: date) -> bool:
        """True when `day` comes after everything the configured terms cover."""
        return self.known_until is not None and day > self.known_until

    def terms_ended_warning(self, today: date) -> str | None:
        """What to tell the school when its configured terms are all over, else None."""
        if not self.is_after_terms(today) or self.known_until is None:
            return None
        return (
            f"the last term in school.yaml ended on {self.known_until:%a %-d %b %Y}: add the coming terms "
            "under 'terms'. Until then no day counts as a school day (no check-ins), requests are flagged "
            "as outside term, and messages are timed by working weekdays."
        )

    def closure_on(self, day: date) -> Closure | None:
        return next((c for c in self.closures if c.start <= day <= c.last), None)

    def is_school_day(self, day: date) -> bool:
        return (
            not self.is_weekend(day)
            and self.is_in_term(day)
            and not self.is_bank_holiday(day)
            and self.closure_on(day) is None
        )

    def inset_day(self, day: date) -> InsetDay | None:
        return self.inset_days.get(day)

    def is_working_day(self, day: date) -> bool:
        """A day staff work: a school day, or an INSET day that is not a bank holiday or closure."""
        if self.is_school_day(day):
            return True
        return day in self.inset_days and not self.is_bank_holiday(day) and self.closure_on(day) is None

    def why_not_working(self, day: date) -> str | None:
        """Why `day` is not a working day ("Bank holiday: Christmas Day"), or None when it is."""
        if self.is_working_day(day):
            return None
        holiday = self.bank_holiday_name(day)
        closure = self.closure_on(day)
        if holiday:
            return f"bank holiday ({holiday})"
        if closure is not None:
            return f"school closed ({closure.reason})" if closure.reason else "school closed"
        if self.is_weekend(day):
            return "not a working day of the week"
        return "outside term"

    def last_working_day_of_week(self, day: date) -> bool:
        """True when no later day in the same Monday-to-Sunday week is a working day."""
        return self.is_working_day(day) and not any(
            self.is_working_day(day + timedelta(days=ahead)) for ahead in range(1, 7 - day.weekday())
        )

    def working_days(self, first: date, last: date) -> Iterator[date]:
        day = first
        while day <= last:
            if self.is_working_day(day):
                yield day
            day += timedelta(days=1)

    def at(self, day: date, moment: time) -> datetime:
        """`day` at `moment` in the school's time zone."""
        return datetime.combine(day, moment, self.zone)

    def term_end_after(self, day: date) -> date | None:
        """The last day of the term (or half-term) that `day` falls in, or of the next one."""
        term = self.term_of(day) or next((t for t in self.terms if t.start > day), None)
        return term.end if term else None

    def school_days(self, first: date, last: date) -> Iterator[date]:
        day = first
        while day <= last:
            if self.is_school_day(day):
                yield day
            day += timedelta(days=1)

    # --- working hours ---------------------------------------------------------------------

    def _window(self, day: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(day, self.day_start, self.zone),
            datetime.combine(day, self.day_end, self.zone),
        )

    def _is_timing_day(self, day: date) -> bool:
        """A day messages and reminders may use: a working day, or past the configured terms a working weekday."""
        if self.is_working_day(day):
            return True
        return (
            self.is_after_terms(day)
            and not self.is_weekend(day)
            and not self.is_bank_holiday(day)
            and self.closure_on(day) is None
        )

    def _working_windows(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows that end after `moment`, in order, clipped to start at it."""
        day = self.local_date(moment)
        for _ in range(_SEARCH_DAYS):
            if self._is_timing_day(day):
                start, end = self._window(day)
                if end > moment:
                    yield max(start, moment), end
            day += timedelta(days=1)

    def is_working_time(self, moment: datetime) -> bool:
        day = self.local_date(moment)
        if not self._is_timing_day(day):
            return False
        start, end = self._window(day)
        return start <= moment < end

    def next_working_morning(self, moment: datetime) -> datetime:
        """The start of the first working day that begins after `moment`."""
        day = self.local_date(moment)
        for _ in range(_SEARCH_DAYS):
            start, _end = self._window(day)
            if self._is_timing_day(day) and start > moment:
                return start
            day += timedelta(days=1)
        # Unreachable with a valid school.yaml: past the terms every working weekday but a few holidays counts.
        raise ValueError("no working day in the coming year: check working_days and the term dates")

    def deliver_at(self, moment: datetime) -> datetime:
        """When a message caused at `moment` may be delivered: now in working hours, else next morning.

        WFH policy 4: nobody is expected to correspond outside their working hours.
        """
        return moment if self.is_working_time(moment) else self.next_working_morning(moment)

    def add_working_hours(self, moment: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `moment` (time outside working hours is skipped)."""
        remaining = timedelta(hours=hours)
        for start, end in self._working_windows(moment):
            if start + remaining <= end:
                return start + remaining
            remaining -= end - start
        raise ValueError("not enough working days in the coming year: check working_days and the term dates")
