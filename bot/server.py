"""`staffroom serve`: one aiohttp application for every platform.

Routes: `GET /healthz` for load balancers; Slack and Teams mount their own
endpoints onto the same application when configured (see `build_app`).
"""

from __future__ import annotations

import gc
import ipaddress
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy import text

from bot.runtime import Runtime, open_runtime
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.teams.bot import TeamsOptions

log = logging.getLogger(__name__)

RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)

#: Largest request body accepted: Slack and Teams payloads are far smaller.
MAX_BODY_BYTES = 1024 * 1024


async def database_reachable(runtime: Runtime) -> bool:
    """True when a trivial query succeeds on the school's database."""
    try:
        async with runtime.database.reading() as session:
            await session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not healthy"; the reason goes to the log
        log.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 otherwise."""
    runtime = request.app[RUNTIME]
    if await database_reachable(runtime):
        from bot.store.outbox import count_dead

        dead = await count_dead(runtime.database)
        return web.json_response({"status": "ok", "school": runtime.school.id, "dead_letters": dead})
    return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)


async def run_background_work(app: web.Application) -> AsyncIterator[None]:
    """Timed work for the life of the server (a cleanup context: starts, then stops on shutdown)."""
    runtime = app[RUNTIME]
    upkeep = None
    if runtime.assistant.requests is not None:
        from bot.requests.upkeep import Upkeep

        upkeep = Upkeep(runtime.assistant.requests.workflow, runtime.clock)
        upkeep.start()
    from bot.delivery.service import start_delivery
    from bot.privacy.daily import DailyPurge

    delivery = start_delivery(runtime)
    purge = DailyPurge(runtime.school, runtime.database, runtime.clock)
    purge.start()
    yield
    await purge.stop()
    await delivery.stop()
    if upkeep is not None:
        await upkeep.stop()


def build_app(runtime: Runtime, *, background: bool = False, teams: TeamsOptions | None = None) -> web.Application:
    """The application: health check, then each configured platform's endpoints.

    `background` starts the timed work (reminders, expiry, delivery); `serve` turns it
    on, tests drive those parts directly with a fake clock. Teams is mounted with
    `MicrosoftAppId`, or without it only when `teams.unauthenticated` says so (the demo,
    and `serve --teams-unauthenticated`, both on loopback).
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    # Platform adapters mount here, each only when configured, with the storage they may use.
    settings = runtime.settings
    from bot.store.platform_storage import open_platform_storage

    storage = open_platform_storage(runtime.database, runtime.school.id, runtime.clock)
    if settings.slack_configured or (settings.slack_app_token and settings.slack_bot_token):
        from bot.slack.app import SlackApp

        slack = SlackApp(runtime, storage)
        slack.mount(app)
        runtime.couriers["slack"] = slack.courier()
        if settings.slack_app_token is not None:
            from bot.slack.socket_mode import attach_socket_mode

            attach_socket_mode(slack, app, settings.slack_app_token.get_secret_value())
    # Teams (Bot Framework): POST /api/messages with credentials; without, only on loopback when asked for.
    if settings.microsoft_app_id or (teams is not None and teams.unauthenticated):
        from bot.teams.adapter import mount_teams

        mount_teams(app, runtime, storage, teams)
    else:
        log.info("Teams is off: MicrosoftAppId is not set, so /api/messages is not served")

    if background:
        app.cleanup_ctx.append(run_background_work)

    async def close_database(app: web.Application) -> None:
        await app[RUNTIME].database.close()

    app.on_cleanup.append(close_database)
    return app


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


async def freeze_start_up_objects(app: web.Application) -> None:
    """Take what start-up loaded (policy index, directory, libraries) out of the garbage collector's rounds.

    Those objects live as long as the server; left in, every full collection walks them
    all, a pause of 100-170 ms in the middle of answering (`benchmarks/slack_events.py`
    measured it). Reference counting still frees them if they ever go.
    """
    gc.collect()
    gc.freeze()


async def make_app(folder: Path, settings: Settings, teams: TeamsOptions | None = None) -> web.Application:
    """Open the runtime for a school folder and build its application."""
    runtime = await open_runtime(folder, settings)
    app = build_app(runtime, background=True, teams=teams)
    app.on_startup.append(freeze_start_up_objects)
    return app


class ServeError(Exception):
    """`staffroom serve` was asked for something unsafe; the message says what to do instead."""


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def teams_options_for(settings: Settings, host: str, teams_unauthenticated: bool) -> TeamsOptions | None:
    """What `serve` tells the Teams adapter; refuses unauthenticated Teams anywhere but loopback."""
    if not teams_unauthenticated:
        return None
    if settings.microsoft_app_id:
        raise ServeError("--teams-unauthenticated is for a server without MicrosoftAppId; unset one or the other.")
    if not is_loopback_host(host):
        raise ServeError(
            f"--teams-unauthenticated accepts Teams activities from anyone, so it only runs on loopback: "
            f"use --host 127.0.0.1 (not {host}), or set MicrosoftAppId and MicrosoftAppPassword."
        )
    from bot.teams.bot import TeamsOptions

    return TeamsOptions(unauthenticated=True)


def check_secret_key(settings: Settings) -> None:
    """With OAuth installs, STAFFROOM_SECRET_KEY must be usable before anything starts."""
    if not settings.slack_client_id:
        return
    from bot.errors import ConfigError
    from bot.slack.oauth import make_cipher

    key = settings.staffroom_secret_key.get_secret_value() if settings.staffroom_secret_key else None
    try:
        make_cipher(key)
    except ConfigError as error:
        raise ServeError(f"The server settings can't be used:\n{error}") from None


def listen_on(host: str, port: int) -> socket.socket:
    """A socket listening on `host`:`port`, taken before start-up so a busy port fails first (OSError)."""
    family, kind, protocol, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listening = socket.socket(family, kind, protocol)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    return listening


def serve(folder: Path, settings: Settings, host: str, port: int, *, teams_unauthenticated: bool = False) -> None:
    """Run until interrupted."""
    teams = teams_options_for(settings, host, teams_unauthenticated)
    check_secret_key(settings)
    configure_logging(settings.staffroom_log_level)
    listening = listen_on(host, port)
    log.info("Staffroom serving %s on http://%s:%d", folder, host, port)
    web.run_app(make_app(folder, settings, teams), sock=listening, print=None)
