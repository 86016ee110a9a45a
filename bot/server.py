"""`staffroom serve`: one aiohttp application for every platform.

Routes: `GET /healthz` for load balancers; Slack and Teams mount their own
endpoints onto the same application when configured (see `build_app`).
"""

from __future__ import annotations

import gc
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web
from sqlalchemy import text

from bot.runtime import Runtime, open_runtime
from bot.settings import Settings

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

    delivery = start_delivery(runtime)
    yield
    await delivery.stop()
    if upkeep is not None:
        await upkeep.stop()


def build_app(runtime: Runtime, *, background: bool = False) -> web.Application:
    """The application: health check, then each configured platform's endpoints.

    `background` starts the timed work (reminders, expiry, delivery); `serve` turns it
    on, tests drive those parts directly with a fake clock.
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    # Platform adapters mount here, each only when configured.
    settings = runtime.settings
    if settings.slack_configured or (settings.slack_app_token and settings.slack_bot_token):
        from bot.slack.app import SlackApp

        slack = SlackApp(runtime)
        slack.mount(app)
        runtime.couriers["slack"] = slack.courier()
        if settings.slack_app_token is not None:
            from bot.slack.socket_mode import attach_socket_mode

            attach_socket_mode(slack, app, settings.slack_app_token.get_secret_value())
    # Teams (Bot Framework): POST /api/messages, always; unauthenticated (with a warning) without MicrosoftAppId.
    from bot.teams.adapter import mount_teams

    mount_teams(app, runtime)

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


async def make_app(folder: Path, settings: Settings) -> web.Application:
    """Open the runtime for a school folder and build its application."""
    runtime = await open_runtime(folder, settings)
    app = build_app(runtime, background=True)
    app.on_startup.append(freeze_start_up_objects)
    return app


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


def serve(folder: Path, settings: Settings, host: str, port: int) -> None:
    """Run until interrupted."""
    configure_logging(settings.staffroom_log_level)
    listening = listen_on(host, port)
    log.info("Staffroom serving %s on http://%s:%d", folder, host, port)
    web.run_app(make_app(folder, settings), sock=listening, print=None)
