"""Teams' registration with the composition root: on with `MicrosoftAppId`, mounted at `/api/messages`.

Without an app id Teams is served only when asked for (`staffroom demo`, `serve
--teams-unauthenticated`) and only on loopback. Cheap to import: botbuilder loads only
when the platform is mounted.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from bot.platforms import ServeError
from bot.settings import Settings

if TYPE_CHECKING:
    from aiohttp import web

    from bot.delivery.courier import Courier
    from bot.platform_storage import PlatformStorage
    from bot.runtime import Runtime
    from bot.teams.bot import TeamsOptions


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class TeamsPlatform:
    """Microsoft Teams through Bot Framework; `options` say how this deployment talks to its clients."""

    name = "teams"
    off_notice = "Teams is off: MicrosoftAppId is not set, so /api/messages is not served"

    def __init__(self, options: TeamsOptions | None = None) -> None:
        self.options = options

    @property
    def unauthenticated(self) -> bool:
        """Asked to accept activities without a token (loopback only)."""
        return self.options is not None and self.options.unauthenticated

    def is_configured(self, settings: Settings) -> bool:
        return bool(settings.microsoft_app_id) or self.unauthenticated

    def check(self, settings: Settings, host: str) -> None:
        """Unauthenticated Teams only without credentials, and only on loopback."""
        if not self.unauthenticated:
            return
        if settings.microsoft_app_id:
            raise ServeError("--teams-unauthenticated is for a server without MicrosoftAppId; unset one or the other.")
        if not is_loopback_host(host):
            raise ServeError(
                f"--teams-unauthenticated accepts Teams activities from anyone, so it only runs on loopback: "
                f"use --host 127.0.0.1 (not {host}), or set MicrosoftAppId and MicrosoftAppPassword."
            )

    def mount(self, app: web.Application, runtime: Runtime, storage: PlatformStorage) -> Courier:
        from bot.teams.adapter import mount_teams

        return mount_teams(app, runtime, storage, self.options).courier
