"""The retention schedule a school sets in school.yaml (`retention:`), with defaults a DPO would accept.

```yaml
retention:
  decided_requests_academic_years: 2   # kept to the end of the academic year after next
  check_in_days: 365
  delivered_message_days: 30           # dead letters stay until someone resolves them
  former_staff_account_days: 30        # chat accounts of people no longer in the directory
```

The UK academic year ends on 31 August: a request decided (or cancelled, or expired) in
the 2025/26 year is kept through 2026/27 and 2027/28 and removed from 1 September 2028.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

#: The first day of the UK academic year (it ends on 31 August).
ACADEMIC_YEAR_STARTS = (9, 1)


class Retention(BaseModel):
    """How long each kind of record is kept before the daily purge removes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Decided, cancelled or expired requests and their audit entries: whole academic years kept
    #: after the one they were closed in (2: to the end of the academic year after next).
    decided_requests_academic_years: int = Field(default=2, ge=1, le=10)
    #: Check-in records, by the day they were about.
    check_in_days: int = Field(default=365, ge=30, le=3650)
    #: Delivered messages in the outbox; dead letters are kept until resolved.
    delivered_message_days: int = Field(default=30, ge=1, le=3650)
    #: Chat accounts of people no longer in the staff directory, from the day they left it.
    former_staff_account_days: int = Field(default=30, ge=0, le=3650)


def academic_year_start(day: date) -> date:
    """1 September of the academic year `day` falls in."""
    month, first = ACADEMIC_YEAR_STARTS
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    return date(year, month, first)


def requests_kept_from(today: date, academic_years: int) -> date:
    """Requests closed before this day are past their retention on `today`.

    Closed in the academic year starting 1 Sep Y, kept until 31 Aug of Y + 1 + `academic_years`.
    """
    start = academic_year_start(today)
    return start.replace(year=start.year - academic_years)
