"""What the chat platform adapters keep and look up, as small interfaces the adapters are given.

The Slack and Teams adapters never open the database themselves: whoever builds them passes a
`PlatformStorage` (the database-backed one is `bot.store.platform_storage.open_platform_storage`;
a test may pass its own). Each interface is one concern, in neutral words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.messages import Notice


class EventLog(Protocol):
    """Which platform events were handled already: each event id is claimed once, across restarts and instances."""

    async def claim(self, platform: str, event_ids: Sequence[str]) -> set[str]:
        """The ids among `event_ids` seen for the first time (now recorded as seen); the rest are repeats."""
        ...


class ShownMessages(Protocol):
    """Messages shown straight to a person (not sent through the outbox), recorded with where they landed."""

    async def record_shown(self, notice: Notice, *, request_id: int, platform: str,
                           receipt: Mapping[str, str]) -> None:
        """Keep `notice` as delivered at `receipt`, so the core can find it and update it later."""
        ...


class WorkspaceInstallations(Protocol):
    """The app's installations in several workspaces of one platform, each kept sealed (the adapter encrypts)."""

    async def save(self, *, enterprise_id: str, team_id: str, bot_user_id: str | None, sealed: str) -> None:
        """Keep (or replace) the installation for this enterprise and team."""
        ...

    async def find(self, *, enterprise_id: str, team_id: str) -> str | None:
        """The sealed installation for this enterprise and team; None when the app isn't installed there."""
        ...

    async def delete(self, *, enterprise_id: str, team_id: str) -> None:
        """Forget the installation (uninstalled, or its tokens revoked)."""
        ...


class SignInStates(Protocol):
    """One-time values tying an install link to its return (OAuth's `state`): each accepted once, before it expires."""

    async def issue(self) -> str:
        """A new value, valid for a few minutes."""
        ...

    async def consume(self, state: str) -> bool:
        """True, once, for a value issued here that has not expired."""
        ...


@dataclass(frozen=True)
class PlatformStorage:
    """Everything an adapter may keep, handed to it when it is built."""

    events: EventLog
    shown: ShownMessages
    installations: WorkspaceInstallations
    sign_in_states: SignInStates
