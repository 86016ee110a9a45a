"""Dates that follow the current academic year: the bundled demo school's calendar never runs out.

The demo's school.yaml writes its terms, closures, INSET days and delegates for one
academic year and sets `dates_follow_current_year: true`. When the school is loaded,
those dates move to the academic year in progress on the clock's today, and a copy
goes to the year after (so the summer holiday leads into the next autumn term). They
move by whole weeks, so a term that starts on a Wednesday still does. A real school
leaves the setting out: its dates stay exactly as written.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.school.config import Closure, Delegate, InsetDay, SchoolConfig, Term

#: The academic year starts in September (England, Wales and Northern Ireland; near enough for Scotland).
_FIRST_MONTH = 9


def academic_year_of(day: date) -> int:
    """The calendar year the academic year holding `day` began in (2026 for 2026-27)."""
    return day.year if day.month >= _FIRST_MONTH else day.year - 1


def _shift_between(first_day: date, wanted: int) -> timedelta:
    """Whole weeks moving `first_day` to the same weekday on or just after its date in academic year `wanted`.

    Whole weeks keep every weekday; rounding up keeps the year's first term from starting
    before the day it was written for (a term written to start on 2 September never starts
    in August).
    """
    written = academic_year_of(first_day)
    year = first_day.year + wanted - written
    same_date = first_day.replace(year=year, day=28) if (first_day.month, first_day.day) == (2, 29) else (
        first_day.replace(year=year))
    return timedelta(weeks=-(-(same_date - first_day).days // 7))


def _moved(config: SchoolConfig, shift: timedelta) -> tuple[tuple[Term, ...], tuple[Closure, ...],
                                                            tuple[InsetDay, ...], tuple[Delegate, ...]]:
    terms = tuple(term.model_copy(update={"start": term.start + shift, "end": term.end + shift})
                  for term in config.terms)
    closures = tuple(
        closure.model_copy(update={"start": closure.start + shift,
                                   "end": closure.end + shift if closure.end is not None else None})
        for closure in config.closures
    )
    inset_days = tuple(inset.model_copy(update={"date": inset.date + shift}) for inset in config.inset_days)
    delegates = tuple(delegate.model_copy(update={"start": delegate.start + shift, "end": delegate.end + shift})
                      for delegate in config.delegates)
    return terms, closures, inset_days, delegates


def follow_current_year(config: SchoolConfig, today: date) -> SchoolConfig:
    """`config` with its dates in the academic year holding `today` and the next one.

    Unchanged unless the school asks for it (`dates_follow_current_year`) and has terms.
    """
    if not config.dates_follow_current_year or not config.terms:
        return config
    first_day = min(term.start for term in config.terms)
    wanted = academic_year_of(today)
    terms, closures, inset_days, delegates = _moved(config, _shift_between(first_day, wanted))
    next_terms, next_closures, next_inset_days, next_delegates = _moved(config, _shift_between(first_day, wanted + 1))
    return config.model_copy(update={
        "terms": terms + next_terms,
        "closures": closures + next_closures,
        "inset_days": inset_days + next_inset_days,
        "delegates": delegates + next_delegates,
    })
