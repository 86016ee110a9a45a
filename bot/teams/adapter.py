"""`POST /api/messages`: Bot Framework's endpoint on the shared aiohttp server.

A `CloudAdapter` authenticated from our settings (`MicrosoftAppId`, `MicrosoftAppPassword`,
`MicrosoftAppType`, `MicrosoftAppTenantId`). With no app id, Bot Framework accepts
activities without a token: fine on a laptop, never on the internet, so we say so loudly.
A malformed activity gets a 400 with the reason before botbuilder sees it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from msrest.exceptions import DeserializationError  # type: ignore[attr-defined]

from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams import activities
from bot.teams.bot import TeamsBot, TeamsOptions
from bot.teams.courier import TeamsCourier
from bot.teams.parse import check_activity

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on my side. Please try again in a minute."
ROUTE = "/api/messages"


class BotConfiguration:
    """The attribute names botbuilder's configuration readers expect, from our Settings."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.microsoft_app_id
        self.APP_PASSWORD = settings.microsoft_app_password.get_secret_value()
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id


def create_adapter(settings: Settings) -> CloudAdapter:
    """The adapter, with one error hook: log with the traceback, apologise in plain words."""
    if not settings.microsoft_app_id:
        log.warning(
            "MicrosoftAppId is not set: /api/messages accepts activities WITHOUT authentication. "
            "Use this only on your own machine (staffroom demo); set MicrosoftAppId and "
            "MicrosoftAppPassword before exposing the server."
        )
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(BotConfiguration(settings)))

    async def on_error(context: TurnContext, error: Exception) -> None:
        log.error("teams: turn failed", exc_info=error)
        try:
            if context.activity.type == ActivityTypes.invoke:
                await context.send_activity(activities.error_response(APOLOGY, 500))
            else:
                await context.send_activity(Activity(type=ActivityTypes.message, text=APOLOGY, text_format="plain"))
        except Exception as failure:  # the apology is best effort; the first error is logged above
            log.error("teams: couldn't send the apology (%s)", type(failure).__name__)

    adapter.on_turn_error = on_error
    return adapter


@dataclass
class TeamsChannel:
    """The Teams pieces of one server: adapter, bot and courier."""

    adapter: CloudAdapter
    bot: TeamsBot
    courier: TeamsCourier

    async def handle(self, request: web.Request) -> web.Response:
        """One activity in; 400 for anything malformed, 401 for a bad token, never a 500 for bad input."""
        if request.content_type != "application/json":
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body is not JSON"}, status=400)
        problem = check_activity(body)
        if problem is not None:
            return web.json_response({"error": problem}, status=400)
        try:
            activity = Activity().deserialize(body)
        except (DeserializationError, ValueError, TypeError, AttributeError):
            return web.json_response({"error": "the activity can't be read"}, status=400)
        auth_header = request.headers.get("Authorization", "")
        try:
            invoke = await self.adapter.process_activity(auth_header, activity, self.bot.on_turn)
        except PermissionError:
            return web.json_response({"error": "unauthorized"}, status=401)
        if invoke is not None:
            return web.json_response(invoke.body, status=invoke.status)
        return web.Response(status=200)


def mount_teams(app: web.Application, runtime: Runtime, options: TeamsOptions | None = None) -> TeamsChannel:
    """Add `POST /api/messages` to `app` and register the Teams courier on the runtime."""
    options = options or TeamsOptions()
    adapter = create_adapter(runtime.settings)
    courier = TeamsCourier(adapter, runtime.settings.microsoft_app_id, options)
    channel = TeamsChannel(adapter, TeamsBot(runtime, options), courier)
    app.router.add_post(ROUTE, channel.handle)
    runtime.couriers[channel.courier.platform] = channel.courier
    return channel
