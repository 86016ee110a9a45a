"""The Slack app: slack-bolt's `AsyncApp` on the storage it is given, mounted on the Staffroom server.

One URL, `POST /slack/events`, takes the Events API, interactivity and slash commands.
Every listener only acknowledges and starts the real work in the background
(`bot.slack.handlers`), so Slack hears back within milliseconds. The signature is
checked before the body is parsed (401 for a bad or stale one, 400 for a body that
can't be read); bolt's own second check is switched off, as it would only repeat it.

One workspace runs on `SLACK_BOT_TOKEN`; several install through OAuth at `/slack/install`
with their tokens encrypted, kept by the platform storage the app is given.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.platform_storage import PlatformStorage
from bot.runtime import Runtime
from bot.slack.adapter import (
    Place,
    find_shape_problem,
    parse_block_action,
    parse_command,
    parse_mention_event,
    parse_message_event,
    parse_view_submission,
)
from bot.slack.blocks import render_waiting_view
from bot.slack.courier import SlackCourier
from bot.slack.handlers import Background, SlackHandlers
from bot.slack.identity import SlackIdentity
from bot.slack.library_logs import BOLT_LOGGER, WEB_API_LOGGER, library_logger
from bot.slack.oauth import EncryptedInstallationStore, OAuthStateStore, make_cipher

log = logging.getLogger(__name__)

#: Bot scopes the app asks for (manifest/slack/manifest.yaml lists the same).
BOT_SCOPES = (
    "app_mentions:read",
    "chat:write",
    "commands",
    "im:history",
    "im:read",
    "im:write",
    "users:read",
    "users:read.email",
)
#: Slack's Web API calls from event handling are retried on 429 after Retry-After, twice.
RATE_LIMIT_RETRIES = 2
WEB_API_TIMEOUT_SECONDS = 10

Ack = Callable[..., Awaitable[Any]]


class SlackApp:
    """The bolt app, its listeners and its HTTP endpoints, for one runtime.

    `storage` is where the adapter keeps what it must (events already handled, where a requester's
    confirmation landed, installations and install-link states); it never opens the database itself.
    """

    def __init__(self, runtime: Runtime, storage: PlatformStorage) -> None:
        settings = runtime.settings
        self.runtime = runtime
        self.storage = storage
        self.background = Background()
        self.identity = SlackIdentity(runtime)
        self.handlers = SlackHandlers(runtime, self.identity, self.background, storage, self.token_for)
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        self.verifier = SignatureVerifier(secret) if secret else None
        token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
        self.client = AsyncWebClient(token=None if settings.slack_client_id else token,
                                     base_url=settings.slack_api_url, timeout=WEB_API_TIMEOUT_SECONDS,
                                     logger=library_logger(WEB_API_LOGGER))
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES))
        self.installations: EncryptedInstallationStore | None = None
        self.bolt = self._build_bolt(secret, token)
        self._register_listeners()

    def _build_bolt(self, secret: str | None, token: str | None) -> AsyncApp:
        settings = self.runtime.settings
        common: dict[str, Any] = {
            "signing_secret": secret or "",
            # `events` checks every signature before the body is parsed; Socket Mode needs none.
            "request_verification_enabled": False,
            # Listeners only start tasks: they never use bolt's say/respond helpers.
            "attaching_conversation_kwargs_enabled": False,
            "client": self.client,
            # Listeners only ack and start a task: run them before answering, with no polling.
            "process_before_response": True,
            "logger": library_logger(BOLT_LOGGER),
        }
        if not settings.slack_client_id:
            return AsyncApp(**common)
        key = settings.staffroom_secret_key.get_secret_value() if settings.staffroom_secret_key else None
        self.installations = EncryptedInstallationStore(self.storage.installations, make_cipher(key))
        client_secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else None
        oauth = AsyncOAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            scopes=list(BOT_SCOPES),
            installation_store=self.installations,
            installation_store_bot_only=True,
            state_store=OAuthStateStore(self.storage.sign_in_states),
        )
        # Our authorize: the installation store with bolt's token cache, so each event costs no query.
        authorize = AsyncInstallationStoreAuthorize(
            logger=library_logger(BOLT_LOGGER),
            installation_store=self.installations,
            client_id=settings.slack_client_id,
            client_secret=client_secret,
            bot_only=True,
            cache_enabled=True,
            client=self.client,
        )
        return AsyncApp(
            **common,
            oauth_settings=oauth,
            authorize=authorize,  # type: ignore[arg-type]  # bolt accepts an AsyncAuthorize instance too
            installation_store_bot_only=True,
        )

    # -- listeners: acknowledge, then work in the background -----------------------------

    def _register_listeners(self) -> None:
        bolt, handlers = self.bolt, self.handlers

        @bolt.event("message")
        async def on_message(body: dict[str, Any], client: AsyncWebClient) -> None:
            said = parse_message_event(body)
            if said is not None:
                handlers.start(client, said.place, handlers.answer(client, said))

        @bolt.event("app_mention")
        async def on_mention(body: dict[str, Any], client: AsyncWebClient) -> None:
            said = parse_mention_event(body)
            if said is not None:
                handlers.start(client, said.place, handlers.answer(client, said))

        @bolt.event("app_home_opened")
        async def on_home(body: dict[str, Any], client: AsyncWebClient) -> None:
            event = body.get("event") or {}
            user, team = event.get("user"), body.get("team_id")
            if event.get("tab") == "home" and isinstance(user, str) and isinstance(team, str):
                place = Place(team_id=team, user_id=user)
                handlers.start(client, None, handlers.open_home(client, place, f"event:{body.get('event_id')}"))

        if self.installations is not None:
            bolt.event("tokens_revoked")(bolt.default_tokens_revoked_event_listener())
            bolt.event("app_uninstalled")(bolt.default_app_uninstalled_event_listener())

        @bolt.event(re.compile(".*"))
        async def on_other_event() -> None:
            """Acknowledge events we don't act on, so Slack doesn't retry them."""

        @bolt.command(re.compile(".*"))
        async def on_command(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
            await ack()
            said = parse_command(body)
            if said is not None:
                handlers.start(client, said.place, handlers.answer(client, said))

        @bolt.action(re.compile(".*"))
        async def on_action(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
            await ack()
            clicked = parse_block_action(body)
            if clicked is not None:
                handlers.start(client, clicked.place, handlers.click(client, clicked))

        @bolt.view(re.compile(".*"))
        async def on_submission(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
            clicked = parse_view_submission(body)
            if clicked is None:
                await ack()
                return
            await ack(response_action="update", view=render_waiting_view())
            handlers.start(client, clicked.place, handlers.submit(client, clicked, body.get("view") or {}))

    # -- HTTP ----------------------------------------------------------------------------

    def mount(self, app: web.Application) -> None:
        """Add the Slack routes, and open/close the shared HTTP session with the application."""
        app[SLACK_APP] = self
        if self.verifier is not None:
            app.router.add_post("/slack/events", self.events)
        if self.installations is not None:
            app.router.add_get("/slack/install", self.install)
            app.router.add_get("/slack/oauth_redirect", self.oauth_redirect)
        app.on_startup.append(self._open_session)
        app.on_shutdown.append(self._close)

    async def _open_session(self, app: web.Application) -> None:
        self.client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WEB_API_TIMEOUT_SECONDS))

    async def _close(self, app: web.Application) -> None:
        await self.background.drain()
        if self.client.session is not None:
            await self.client.session.close()
            self.client.session = None

    async def events(self, request: web.Request) -> web.Response:
        """Events, interactivity and slash commands: verify, parse, let bolt ack."""
        try:
            body = (await request.read()).decode("utf-8")  # Slack sends UTF-8, whatever charset a header claims
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
        assert self.verifier is not None
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        # Checked before the body is parsed: junk from anyone else costs nothing more.
        if not timestamp.isdigit() or not signature or not self.verifier.is_valid(body, timestamp, signature):
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=dict(request.headers))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            # Not UTF-8, not JSON or a form, or nested too deep to read.
            return web.json_response({"error": "unreadable body"}, status=400)
        if not isinstance(bolt_request.body, dict) or not bolt_request.body:
            return web.json_response({"error": "unreadable body"}, status=400)
        problem = find_shape_problem(bolt_request.body)
        if problem is not None:
            return web.json_response({"error": problem}, status=400)
        try:
            response = await self.bolt.async_dispatch(bolt_request)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
            log.warning("Slack request not understood (%s)", type(error).__name__)
            return web.json_response({"error": "request not understood"}, status=400)
        return await to_aiohttp_response(response)

    async def install(self, request: web.Request) -> web.Response:
        assert self.bolt.oauth_flow is not None
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt.oauth_flow.handle_installation(bolt_request))

    async def oauth_redirect(self, request: web.Request) -> web.Response:
        assert self.bolt.oauth_flow is not None
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt.oauth_flow.handle_callback(bolt_request))

    # -- proactive delivery ----------------------------------------------------------------

    async def token_for(self, team_id: str) -> str | None:
        """The bot token for a workspace: the single token, or the workspace's installation."""
        if self.installations is None:
            return self.client.token
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    def courier(self) -> SlackCourier:
        return SlackCourier(self.token_for, self.runtime.settings.slack_api_url, timeout=WEB_API_TIMEOUT_SECONDS)


#: The mounted Slack app, for tests and for other parts of the server that need it.
SLACK_APP: web.AppKey[SlackApp] = web.AppKey("slack_app", SlackApp)
