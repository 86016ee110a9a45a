"""`staffroom serve`: one aiohttp application for every platform.

Routes: `GET /healthz` for load balancers; each chat platform the settings switch on
mounts its own endpoints onto the same application (see `build_app`). Which platforms
exist is the composition root's business (`bot.root`); nothing here names one.
"""

from __future__ import annotations

import gc
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

from aiohttp import web
from sqlalchemy import text

from bot.platforms import Platform
from bot.runtime import Runtime

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


def build_app(runtime: Runtime, platforms: Sequence[Platform] = (), *, background: bool = False) -> web.Application:
    """The application: health check, then the endpoints of each platform the settings switch on.

    `platforms` are the registrations the composition root holds (`bot.root.compose_app`);
    each configured one mounts its routes and registers its courier on the runtime.
    `background` starts the timed work (reminders, expiry, delivery); `serve` turns it on,
    tests drive those parts directly with a fake clock.
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    # Each platform mounts only when the settings switch it on, with the storage it may use.
    from bot.store.platform_storage import open_platform_storage

    storage = open_platform_storage(runtime.database, runtime.school.id, runtime.clock)
    for platform in platforms:
        if platform.is_configured(runtime.settings):
            runtime.couriers[platform.name] = platform.mount(app, runtime, storage)
        else:
            log.info("%s", platform.off_notice)

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


def serve(make_app: Callable[[], Awaitable[web.Application]], *, host: str, port: int, log_level: str,
          what: str) -> None:
    """Listen on `host`:`port` (a busy port fails first, as OSError), then run the application `make_app`
    builds until interrupted. `what` names what is served, for the log."""
    configure_logging(log_level)
    listening = listen_on(host, port)

    async def built() -> web.Application:
        app = await make_app()
        # Said once the school, the database and the platforms are ready (never before a setup error).
        log.info("Staffroom serving %s on http://%s:%d", what, host, port)
        return app

    web.run_app(built(), sock=listening, print=None)
