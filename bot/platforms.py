"""How a chat platform plugs into `staffroom serve`: one small registration object per platform.

Each platform package exposes one (`bot.slack.platform.SlackPlatform`,
`bot.teams.platform.TeamsPlatform`) and the composition root (`bot.root`) holds them.
The server asks each whether the settings switch it on and lets it mount its routes;
it never imports a platform by name. A registration module stays cheap to import: the
platform's libraries load only when it is mounted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.errors import StaffroomError

if TYPE_CHECKING:
    from aiohttp import web

    from bot.delivery.courier import Courier
    from bot.platform_storage import PlatformStorage
    from bot.runtime import Runtime
    from bot.settings import Settings


class ServeError(StaffroomError):
    """`staffroom serve` was asked for something unsafe or unusable; the message says what to do instead."""


class Platform(Protocol):
    """One chat platform as the server sees it."""

    @property
    def name(self) -> str:
        """Its name ("slack", "teams"): the key of its courier in `Runtime.couriers`."""
        ...

    @property
    def off_notice(self) -> str:
        """What the server logs when the settings leave this platform off."""
        ...

    def is_configured(self, settings: Settings) -> bool:
        """True when `settings` switch this platform on."""
        ...

    def check(self, settings: Settings, host: str) -> None:
        """Raise `ServeError` when serving on `host` with `settings` would be unsafe or could not work."""
        ...

    def mount(self, app: web.Application, runtime: Runtime, storage: PlatformStorage) -> Courier:
        """Add the platform's routes and start-up/shutdown hooks to `app`, with `storage` for what it must
        remember (events seen, installations, messages shown); return how it messages people."""
        ...
