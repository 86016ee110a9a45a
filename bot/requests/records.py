"""A request as read from the database: a frozen snapshot, safe to pass around and describe.

Rows are turned into records as soon as they are read, so nothing outside
`apply_transition` can change a request by accident (a changed ORM row is written back
on commit, which would bypass the conditional UPDATE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.store.tables import RequestRow


@dataclass(frozen=True, slots=True)
class RequestRecord:
    id: int
    school_id: str
    type: str
    requester_email: str
    state: str
    step: int
    chain: tuple[str, ...]
    start_date: date
    end_date: date
    weekday: int | None
    details: dict[str, Any] = field(hash=False)
    note: str
    created_at: datetime
    step_started_at: datetime
    reminded_step: int | None
    decided_by: str | None
    decided_at: datetime | None
    agreement_accepted_at: datetime | None

    @classmethod
    def from_row(cls, row: RequestRow) -> RequestRecord:
        return cls(
            id=row.id,
            school_id=row.school_id,
            type=row.type,
            requester_email=row.requester_email,
            state=row.state,
            step=row.step,
            chain=tuple(row.chain),
            start_date=row.start_date,
            end_date=row.end_date,
            weekday=row.weekday,
            details=dict(row.details),
            note=row.note,
            created_at=row.created_at,
            step_started_at=row.step_started_at,
            reminded_step=row.reminded_step,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            agreement_accepted_at=row.agreement_accepted_at,
        )

    @property
    def is_final_step(self) -> bool:
        return self.step == len(self.chain) - 1

    @property
    def approver(self) -> str:
        """The email of the approver whose decision is awaited (meaningful while pending)."""
        return self.chain[min(self.step, len(self.chain) - 1)]


#: Request numbers are positive and fit the database's INTEGER column.
MAX_REQUEST_ID = 2**31 - 1


def parse_request_id(value: str) -> int | None:
    """The request number a button carries, or None for anything that can't be one (junk, 1e999, 10**20)."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_REQUEST_ID else None
