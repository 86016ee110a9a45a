"""`staffroom demo`: the real server, a Direct Line stand-in and Web Chat, on loopback only.

Everything the bot does here is what it does in Teams: activities go through
`POST /api/messages`, answers come back through the Connector endpoints, notices for
other people go through the outbox and the Teams courier. Only the channel is local.
The database is a fresh SQLite file in a temporary folder, so trying things changes
nothing real.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.demo.directline import DemoPerson, DirectLine
from bot.demo.page import DEFAULT_WEBCHAT_URL, render_page
from bot.root import Root, compose_app, read_settings
from bot.runtime import Runtime
from bot.school import School
from bot.settings import Settings

log = logging.getLogger(__name__)

#: The demo listens here only: it accepts activities without authentication.
LOOPBACK = "127.0.0.1"


class DemoClock:
    """Real time, moved on to the school's next working morning when started out of hours.

    Staffroom holds messages until the recipient's working hours (WFH policy 4); at nine
    in the evening the demo would otherwise show an approver nothing until tomorrow.
    """

    def __init__(self, school: School, real: Clock | None = None) -> None:
        self.real = real or SystemClock()
        now = self.real.now()
        calendar = school.calendar
        self.offset = timedelta(0) if calendar.is_working_time(now) else calendar.next_working_morning(now) - now

    def now(self) -> datetime:
        return self.real.now() + self.offset


@dataclass
class DemoServer:
    """A running demo: its address, runtime and Direct Line stand-in."""

    url: str
    runtime: Runtime
    directline: DirectLine
    runner: web.AppRunner

    async def stop(self) -> None:
        await self.runner.cleanup()


def demo_people(school: School) -> list[DemoPerson]:
    """Everyone in the directory, the demo's requester and approvers first."""
    people = [DemoPerson(m.email, m.name, m.job_title) for m in school.directory]
    first = ("s.carter@", "p.shah@", "h.okafor@")
    return sorted(people, key=lambda p: next((i for i, f in enumerate(first) if p.email.startswith(f)), len(first)))


async def open_demo_runtime(folder: Path, data_dir: Path, clock: Clock | None = None,
                            settings: Settings | None = None) -> Runtime:
    """The school's assistant over a fresh SQLite database in `data_dir`, on the demo's clock unless given one."""
    root = Root(settings or read_settings(), policies=folder,
                database_url=f"sqlite+aiosqlite:///{data_dir / 'demo.sqlite3'}", clock=clock)
    school = root.require_school(f"{folder} has no school.yaml, so the demo has no staff to play.")
    if clock is None:
        root = root.with_clock(DemoClock(school))
    return await root.open_runtime()


def build_demo_app(
    runtime: Runtime, directline: DirectLine, webchat_url: str, webchat_file: Path | None
) -> web.Application:
    """The server's application plus the page, the session route and the Direct Line stand-in."""
    from bot.teams.bot import TeamsOptions
    from bot.teams.platform import TeamsPlatform

    # The demo's channel is the Direct Line stand-in on this same loopback server, with no tokens.
    app = compose_app(runtime, TeamsPlatform(TeamsOptions(unauthenticated=True)))
    directline.mount(app)
    people = list(directline.people.values())

    async def page(request: web.Request) -> web.Response:
        clock = f"{runtime.clock.now().astimezone(runtime.school.calendar.zone):%a %-d %b %H:%M}"
        return web.Response(text=render_page(people, webchat_url, clock), content_type="text/html")

    async def session(request: web.Request) -> web.Response:
        try:
            body: Any = await request.json()
        except ValueError:
            body = None
        email = body.get("email") if isinstance(body, dict) else None
        if not isinstance(email, str) or email not in directline.people:
            return web.json_response({"error": "choose someone from the list"}, status=400)
        conversation = directline.conversation_of(email)
        person = conversation.person
        initials = "".join(word[0] for word in person.name.split()[:2]).upper()
        return web.json_response({"token": conversation.token, "conversationId": person.conversation_id,
                                  "userId": person.user_id, "name": person.name, "initials": initials})

    app.router.add_get("/", page)
    app.router.add_post("/demo/session", session)
    if webchat_file is not None:
        script = webchat_file

        async def webchat(request: web.Request) -> web.FileResponse:
            return web.FileResponse(script, headers={"Content-Type": "text/javascript"})

        app.router.add_get("/webchat.js", webchat)
    return app


async def start_demo(
    folder: Path,
    data_dir: Path,
    *,
    port: int = 0,
    listening: socket.socket | None = None,
    webchat_url: str = DEFAULT_WEBCHAT_URL,
    webchat_file: Path | None = None,
    clock: Clock | None = None,
    settings: Settings | None = None,
    delivery_idle_seconds: float = 0.5,
) -> DemoServer:
    """Start the demo on loopback (port 0: any free port, or a socket already `listening`) and open everyone's chat."""
    from bot.delivery.service import DeliveryService

    runtime = await open_demo_runtime(folder, data_dir, clock, settings)
    directline = DirectLine(demo_people(runtime.school))
    if webchat_file is not None:
        webchat_url = "/webchat.js"
    app = build_demo_app(runtime, directline, webchat_url, webchat_file)
    delivery = DeliveryService(runtime.database, runtime.couriers, {runtime.school.id: runtime.school}, runtime.clock,
                               idle_seconds=delivery_idle_seconds)

    async def run_delivery(app: web.Application) -> Any:
        delivery.start()
        yield
        await delivery.stop()

    app.cleanup_ctx.append(run_delivery)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site: web.BaseSite = web.SockSite(runner, listening) if listening else web.TCPSite(runner, LOOPBACK, port)
    try:
        await site.start()
    except OSError:  # the port is taken: stop what setup started (delivery, the database) before saying so
        await runner.cleanup()
        raise
    sockets = getattr(site._server, "sockets", None) or []
    bound = int(sockets[0].getsockname()[1]) if sockets else port
    url = f"http://{LOOPBACK}:{bound}/"
    directline.service_url = url
    courier = runtime.couriers["teams"]
    options = getattr(courier, "options", None)
    if options is not None:
        options.submit_service_urls.add(url)  # Web Chat knows Action.Submit, not Action.Execute
        options.service_urls.allow_loopback(url)  # the bot may call the Direct Line stand-in
    for email in directline.people:
        await directline.introduce(email)
    return DemoServer(url, runtime, directline, runner)


def run_demo(root: Root, port: int, webchat_url: str, webchat_file: Path | None) -> None:
    """`staffroom demo` for the root's school folder and settings: serve until Ctrl-C, then forget
    everything. A busy port fails first (OSError)."""
    from bot.server import listen_on

    listening = listen_on(LOOPBACK, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="staffroom-demo-") as data_dir:
        asyncio.run(_serve(root, Path(data_dir), listening, webchat_url, webchat_file))


async def _serve(root: Root, data_dir: Path, listening: socket.socket, webchat_url: str,
                 webchat_file: Path | None) -> None:
    server = await start_demo(root.folder, data_dir, listening=listening, webchat_url=webchat_url,
                              webchat_file=webchat_file, settings=root.settings)
    print(f"Staffroom demo: open {server.url} in your browser (Ctrl-C to stop).", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
