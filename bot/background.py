"""A job `staffroom serve` repeats in the background: started with the server, stopped on shutdown.

A round that fails is logged by the kind of failure only (a database error's text can quote
the rows' values; the traceback goes to DEBUG) and the next round tries again, so a database
blip never ends the job for the life of the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Repeating:
    """Runs `one_round` every `every_seconds` until stopped."""

    def __init__(self, name: str, one_round: Callable[[], Awaitable[object]], every_seconds: float) -> None:
        self.name = name
        self.one_round = one_round
        self.every_seconds = every_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=f"staffroom-{self.name}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.one_round()
            except Exception as error:
                log.error("%s failed (%s); trying again in %.0f s", self.name, type(error).__name__,
                          self.every_seconds)
                log.debug("%s failure", self.name, exc_info=True)
            await asyncio.sleep(self.every_seconds)
