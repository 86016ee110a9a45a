"""Claim Slack event ids in batches: one claim for every id that arrived meanwhile.

The rule is the `EventLog` the app is given (on the database: a row per platform and event
id; the first insert wins, across restarts and instances); here a burst of events shares
one `claim` call and one commit instead of one each — on SQLite the commit is most of an
event's cost.
"""

from __future__ import annotations

import asyncio
import logging

from bot.platform_storage import EventLog

log = logging.getLogger(__name__)

#: Most ids in one statement (well under every database's parameter limit).
MAX_BATCH = 200


class EventClaims:
    """`await claims.first_time(key)` is True exactly once per key, whoever asks and wherever."""

    def __init__(self, events: EventLog, platform: str) -> None:
        self.events = events
        self.platform = platform
        self._waiting: list[tuple[str, asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, key: str) -> bool:
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((key[:255], future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                claimed = await self._insert([key for key, _ in batch])
            except Exception as error:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for key, future in batch:
                # A key twice in one batch: the first asker gets it.
                first = key in claimed
                claimed.discard(key)
                if not future.done():
                    future.set_result(first)

    async def _insert(self, keys: list[str]) -> set[str]:
        return set(await self.events.claim(self.platform, keys))
