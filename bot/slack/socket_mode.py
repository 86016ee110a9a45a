"""Socket Mode: for a school with no public HTTPS address, Slack events arrive over a WebSocket.

Set `SLACK_APP_TOKEN` (an app-level token, `xapp-…`, with `connections:write`) and the
server connects out to Slack on start-up; the same listeners answer as over HTTP.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.slack.app import SlackApp

log = logging.getLogger(__name__)


def attach_socket_mode(slack: SlackApp, app: web.Application, app_token: str) -> None:
    """Connect when the server starts and disconnect when it stops."""
    handler: AsyncSocketModeHandler | None = None

    async def connect(_: web.Application) -> None:
        nonlocal handler
        handler = AsyncSocketModeHandler(slack.bolt, app_token, web_client=slack.client)
        try:
            await handler.connect_async()  # type: ignore[no-untyped-call]
        except Exception as error:  # Slack unreachable must not stop the rest of the server
            log.error("Slack Socket Mode could not connect (%s): check SLACK_APP_TOKEN", type(error).__name__)
            return
        log.info("Slack Socket Mode connected")

    async def disconnect(_: web.Application) -> None:
        if handler is not None:
            await handler.close_async()  # type: ignore[no-untyped-call]

    app.on_startup.append(connect)
    app.on_shutdown.append(disconnect)
