"""One running Staffroom: the school, its assistant, its database, and who we have met.

`staffroom serve` and `staffroom demo` build a `Runtime` once through the composition
root (`bot.root`); the Slack and Teams adapters share it. People are identified here,
from what the platform verified (its user id, and an email the platform itself reported)
and the staff directory — never from anything in a message or a button.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.assistant import Assistant
from bot.clock import Clock, SystemClock
from bot.delivery.courier import Courier
from bot.messages import ConversationRef, Person
from bot.school import School
from bot.settings import Settings
from bot.store.accounts import find_account, remember_account
from bot.store.database import Database

_AccountKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class _Known:
    email: str | None
    conversation: ConversationRef | None


@dataclass
class Runtime:
    """Everything a request handler needs, built once at start-up."""

    school: School
    assistant: Assistant
    database: Database
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    #: Platform adapters register how to message people proactively ("slack", "teams").
    couriers: dict[str, Courier] = field(default_factory=dict)
    _known: dict[_AccountKey, _Known] = field(default_factory=dict, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    async def known_email(self, platform: str, workspace: str, user_id: str) -> str | None:
        """The email we already hold for an account: the directory's platform id, or a past match."""
        member = self.school.directory.find_person(Person(platform=platform, user_id=user_id))
        if member is not None:
            return member.email
        key = (platform, workspace, user_id)
        cached = self._known.get(key)
        if cached is not None and cached.email:
            return cached.email
        row = await find_account(self.database, platform, workspace, user_id)
        return row.email if row is not None else None

    async def meet(
        self,
        *,
        platform: str,
        workspace: str,
        user_id: str,
        email: str | None = None,
        display_name: str | None = None,
        conversation: ConversationRef | None = None,
    ) -> Person:
        """The verified person behind a platform account, recorded for later delivery.

        `email` must come from the platform itself (Slack's users.info, Teams' member
        lookup), never from user input. The directory's platform id wins over it.
        """
        member = self.school.directory.find_person(Person(platform=platform, user_id=user_id, email=email))
        resolved = member.email if member is not None else (email.strip().lower() if email else None)
        if resolved is None:
            resolved = await self.known_email(platform, workspace, user_id)
        key = (platform, workspace, user_id)
        seen = _Known(resolved, conversation or (self._known[key].conversation if key in self._known else None))
        if self._known.get(key) != seen:
            async with self._lock:
                await remember_account(
                    self.database,
                    school_id=self.school.id,
                    platform=platform,
                    workspace=workspace,
                    user_id=user_id,
                    email=resolved,
                    now=self.clock.now(),
                    conversation=conversation,
                )
                self._known[key] = seen
        return Person(platform=platform, user_id=user_id, email=resolved, display_name=display_name,
                      school=self.school.id)

    def forget_cache(self) -> None:
        """Drop the in-memory identity cache (the database keeps the record)."""
        self._known.clear()

