"""Delivery in `staffroom serve`: the outbox dispatcher and the check-in scheduler as background tasks.

Every instance runs both. The dispatcher leases rows and the scheduler takes each timed
job through a unique key, so two instances on one PostgreSQL database still send each
message once. With SQLite, run one instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.delivery.courier import Courier
from bot.delivery.dispatcher import Dispatcher, DispatchSettings, run_dispatcher
from bot.school import School
from bot.store.database import Database

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

#: How often the scheduler looks at the clock; prompts are due to the minute.
TICK_SECONDS = 30.0

Tick = Callable[[], Awaitable[object]]


class DeliveryService:
    """Starts with the server, stops on shutdown; nothing here holds state the database doesn't."""

    def __init__(
        self,
        database: Database,
        couriers: Mapping[str, Courier],
        schools: Mapping[str, School],
        clock: Clock,
        *,
        scheduler_tick: Tick | None = None,
        settings: DispatchSettings | None = None,
        idle_seconds: float = 5.0,
        tick_seconds: float = TICK_SECONDS,
    ) -> None:
        self.dispatcher = Dispatcher(database, couriers, schools, clock, settings)
        self.couriers = couriers
        self.scheduler_tick = scheduler_tick
        self.idle_seconds = idle_seconds
        self.tick_seconds = tick_seconds
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Run the dispatcher (when a platform can deliver) and the scheduler."""
        if self._tasks:
            return
        self._stop.clear()
        if self.couriers:
            self._tasks.append(asyncio.create_task(
                run_dispatcher(self.dispatcher, self._stop, self.idle_seconds), name="staffroom-outbox"
            ))
        else:
            log.warning("no chat platform is configured: messages stay in the outbox until one is")
        if self.scheduler_tick is not None:
            self._tasks.append(asyncio.create_task(self._schedule(self.scheduler_tick), name="staffroom-checkins"))

    async def stop(self, grace_seconds: float = 10.0) -> None:
        """Let a delivery in flight finish and be recorded (so it isn't sent again), then stop."""
        self._stop.set()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=grace_seconds)
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _schedule(self, tick: Tick) -> None:
        while not self._stop.is_set():
            try:
                await tick()
            except Exception:  # a database blip must not end the scheduler for the life of the server
                log.exception("check-in scheduler tick failed; trying again shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.tick_seconds)


def start_delivery(runtime: Runtime) -> DeliveryService:
    """The service for one running Staffroom, started (call inside the server's event loop)."""
    from bot.checkins.scheduler import CheckInScheduler
    from bot.questions.schedule import QuestionJobs

    scheduler = CheckInScheduler([runtime.school], runtime.database, runtime.clock)
    questions = QuestionJobs([runtime.school], runtime.database, runtime.clock,
                             lambda: runtime.assistant.router.analyzer)

    async def tick() -> None:
        await scheduler.tick()
        await questions.tick()  # the question log's weekly digest (the daily purge is bot.privacy.daily)

    service = DeliveryService(runtime.database, runtime.couriers, {runtime.school.id: runtime.school}, runtime.clock,
                              scheduler_tick=tick)
    service.start()
    return service
