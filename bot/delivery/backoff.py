"""How long to wait before the next try, and when to give up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff that never retries sooner than the platform asked (Retry-After)."""

    #: Tries before a message becomes a dead letter.
    max_attempts: int = 12
    first_wait: timedelta = timedelta(seconds=30)
    longest_wait: timedelta = timedelta(minutes=15)

    def wait_after(self, attempts: int, retry_after_seconds: float | None = None) -> timedelta:
        """The pause after the `attempts`-th failed try (1 for the first)."""
        exponent = max(attempts - 1, 0)
        wait: timedelta = min(self.first_wait * float(2 ** min(exponent, 30)), self.longest_wait)
        if retry_after_seconds is not None and retry_after_seconds > 0:
            wait = max(wait, timedelta(seconds=retry_after_seconds))
        return wait

    def gives_up_after(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
