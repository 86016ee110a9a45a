"""`POST /api/messages`: Bot Framework's endpoint on the shared aiohttp server.

A `CloudAdapter` authenticated from our settings (`MicrosoftAppId`, `MicrosoftAppPassword`,
`MicrosoftAppType`, `MicrosoftAppTenantId`). Inbound tokens are checked by `bot.teams.auth`
(never botbuilder's blocking check); a bad token is 401, keys that can't be fetched 503,
and nothing is processed. Without an app id the endpoint is mounted only for `staffroom
demo` and for a loopback server started with `--teams-unauthenticated` (see `bot.teams.platform`).
A malformed activity gets a 400 with the reason before botbuilder sees it, and an activity
naming a service URL that is not Microsoft's (or a loopback one named in configuration)
is refused, so the bot never calls a host the sender picked.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, CallerIdConstants
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity
from msrest.exceptions import DeserializationError  # type: ignore[attr-defined]

from bot.platform_storage import PlatformStorage
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams import activities
from bot.teams.auth import ChannelKeys, KeysUnavailable, TokenValidator, Unauthorized
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


def create_adapter(settings: Settings, options: TeamsOptions) -> CloudAdapter:
    """The adapter, with one error hook: log with the traceback, apologise in plain words."""
    if not settings.microsoft_app_id:
        log.warning(
            "MicrosoftAppId is not set: /api/messages accepts activities WITHOUT authentication, "
            "on loopback only (staffroom demo, or serve --teams-unauthenticated)."
        )
    authentication = ConfigurationBotFrameworkAuthentication(
        BotConfiguration(settings), credentials_factory=options.credentials_factory
    )
    adapter = CloudAdapter(authentication)

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
    #: None: activities are accepted without a token (loopback only: the demo, --teams-unauthenticated).
    validator: TokenValidator | None
    options: TeamsOptions

    async def handle(self, request: web.Request) -> web.Response:
        """One activity in; 400 for anything malformed, 401 for a bad token, never a 500 for bad input."""
        if request.content_type != "application/json":
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        if self.validator is not None and not request.headers.get("Authorization", "").strip():
            return _unauthorized()  # refused before the body is even read
        try:
            body = json.loads(await request.read())  # JSON is UTF-8, whatever charset a header claims
        except (ValueError, RecursionError):  # not JSON, bad UTF-8, or nested too deep to read
            return web.json_response({"error": "the body is not JSON"}, status=400)
        problem = check_activity(body)
        if problem is not None:
            return web.json_response({"error": problem}, status=400)
        try:
            activity = Activity().deserialize(body)
        except (DeserializationError, ValueError, TypeError, AttributeError, RecursionError):
            return web.json_response({"error": "the activity can't be read"}, status=400)
        try:
            authenticated = await self.authenticate(request.headers.get("Authorization"), activity)
        except Unauthorized as refusal:
            log.info("teams: activity refused: %s", refusal)
            return _unauthorized()
        except KeysUnavailable:
            return web.json_response({"error": "can't check the token right now; try again shortly"}, status=503,
                                     headers={"Retry-After": "30"})
        if not self.options.service_urls.allows(activity.service_url):
            log.warning("teams: activity refused: its serviceUrl is not a Microsoft channel address")
            return web.json_response({"error": "the serviceUrl is not a Bot Framework channel address"}, status=400)
        try:
            invoke = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        except PermissionError:
            return _unauthorized()
        if invoke is not None:
            return web.json_response(invoke.body, status=invoke.status)
        return web.Response(status=200)

    async def authenticate(self, auth_header: str | None, activity: Activity) -> AuthenticateRequestResult:
        """Who sent the activity, as Microsoft's signed token says; what botbuilder needs to answer."""
        authentication = self.adapter.bot_framework_authentication
        if self.validator is None:
            # No credentials (loopback only): botbuilder's anonymous identity, whatever the header says.
            result: AuthenticateRequestResult = await authentication.authenticate_request(activity, None)
            return result
        claims = await self.validator.validate(auth_header, activity.channel_id, activity.service_url)
        identity = ClaimsIdentity(claims, True)
        result = AuthenticateRequestResult()
        result.claims_identity = identity
        result.audience = authentication.get_originating_audience()
        result.caller_id = CallerIdConstants.public_azure_channel
        result.connector_factory = authentication.create_connector_factory(identity)
        return result


def _unauthorized() -> web.Response:
    return web.json_response({"error": "unauthorized"}, status=401)


def mount_teams(app: web.Application, runtime: Runtime, storage: PlatformStorage,
                options: TeamsOptions | None = None) -> TeamsChannel:
    """Add `POST /api/messages` to `app`; the server registers the channel's courier on the runtime.

    `storage` is where the bot records the activities it has handled (it never opens the database).

    Call only with credentials (`MicrosoftAppId`) or with `options.unauthenticated` on a
    loopback server; `bot.teams.platform.TeamsPlatform` decides.
    """
    options = options or TeamsOptions()
    settings = runtime.settings
    if not settings.microsoft_app_id and not options.unauthenticated:
        raise ValueError("Teams without MicrosoftAppId is only for loopback (the demo, --teams-unauthenticated)")
    for url in settings.teams_loopback_urls:
        options.service_urls.allow_loopback(url)
    adapter = create_adapter(settings, options)
    courier = TeamsCourier(adapter, settings.microsoft_app_id, options)
    validator = (
        TokenValidator(settings.microsoft_app_id, ChannelKeys(options.metadata_url, options.key_timing))
        if settings.microsoft_app_id
        else None
    )
    channel = TeamsChannel(adapter, TeamsBot(runtime, storage.events, options), courier, validator, options)
    app.router.add_post(ROUTE, channel.handle)
    return channel
