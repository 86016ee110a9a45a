"""Request upkeep in `staffroom serve`: reminders, expiry, and forgetting old platform events.

Runs every few minutes in the background of each instance. Every change it makes is a
conditional UPDATE (see `bot.requests.housekeeping`), so several instances running it
at once still remind and expire each request once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.background import Repeating
from bot.clock import Clock
from bot.requests.housekeeping import expire_overdue, send_reminders
from bot.requests.workflow import RequestWorkflow
from bot.store.events import forget_old_events

log = logging.getLogger(__name__)

#: How often upkeep runs; reminders are due after hours, so minutes are precise enough.
UPKEEP_EVERY_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class UpkeepResult:
    reminded: int
    expired: int
    events_forgotten: int


async def run_upkeep(workflow: RequestWorkflow, clock: Clock) -> UpkeepResult:
    """One round: remind slow approvers, expire requests whose day passed, drop week-old event ids."""
    now = clock.now()
    reminded = await send_reminders(workflow, now)
    expired = await expire_overdue(workflow, now)
    forgotten = await forget_old_events(workflow.database, now)
    if reminded or expired:
        log.info("upkeep: %d reminder(s) queued, %d request(s) expired", reminded, expired)
    return UpkeepResult(reminded, expired, forgotten)


class Upkeep:
    """The background task: start it with the server, stop it on shutdown."""

    def __init__(self, workflow: RequestWorkflow, clock: Clock, every_seconds: float = UPKEEP_EVERY_SECONDS) -> None:
        self.workflow = workflow
        self.clock = clock
        self.every_seconds = every_seconds
        self._job = Repeating("request upkeep", lambda: run_upkeep(self.workflow, self.clock), every_seconds)

    def start(self) -> None:
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()
