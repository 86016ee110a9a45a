"""Slack's registration with the composition root: on with its settings, mounted at `/slack/…`.

Cheap to import: slack-bolt loads only when the platform is mounted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import ConfigError
from bot.platforms import ServeError
from bot.settings import Settings

if TYPE_CHECKING:
    from aiohttp import web

    from bot.delivery.courier import Courier
    from bot.platform_storage import PlatformStorage
    from bot.runtime import Runtime


class SlackPlatform:
    """Slack: the Events API over HTTP (or Socket Mode), one workspace's token or OAuth installs."""

    name = "slack"
    off_notice = ("Slack is off: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or an OAuth client, or "
                  "SLACK_APP_TOKEN for Socket Mode) are not set, so /slack/events is not served")

    def is_configured(self, settings: Settings) -> bool:
        return settings.slack_configured or (
            settings.slack_app_token is not None and settings.slack_bot_token is not None
        )

    def check(self, settings: Settings, host: str) -> None:
        """With OAuth installs, STAFFROOM_SECRET_KEY must be usable before anything starts."""
        if not settings.slack_client_id:
            return
        from bot.slack.oauth import make_cipher

        key = settings.staffroom_secret_key.get_secret_value() if settings.staffroom_secret_key else None
        try:
            make_cipher(key)
        except ConfigError as error:
            raise ServeError(f"The server settings can't be used:\n{error}") from None

    def mount(self, app: web.Application, runtime: Runtime, storage: PlatformStorage) -> Courier:
        from bot.slack.app import SlackApp

        slack = SlackApp(runtime, storage)
        slack.mount(app)
        if runtime.settings.slack_app_token is not None:
            from bot.slack.socket_mode import attach_socket_mode

            attach_socket_mode(slack, app, runtime.settings.slack_app_token.get_secret_value())
        return slack.courier()
