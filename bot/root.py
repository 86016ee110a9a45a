"""The composition root: settings → storage → school → router → assistant → platforms, built in one place.

Every command, `staffroom serve`, `staffroom demo` and the test harnesses assemble
Staffroom here, so each gets the same assistant (the same request rules, the same forms
offered under answers, the same question log) and the same platforms.

Settings come only from `Settings` (the environment, then a `.env` file in the folder the
command starts in); what the command line names (`--policies DIR`) wins over both.
Each part is built on first use, so `staffroom ask` never opens a database and no command
imports a platform it doesn't serve. A harness hands in the parts it made itself (a school
loaded on a fixed date, a shared router) and the root builds the rest as production does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.assistant import Assistant, RequestOffer
from bot.clock import Clock, SystemClock
from bot.errors import ConfigError, StaffroomError, StorageError
from bot.school.loading import SCHOOL_FILE, School, demo_school_folder, load_school
from bot.settings import Settings, load_settings
from intents.lexicon import LexiconError
from intents.policy_library import PolicyFileError, PolicyLibrary, load_library
from intents.router import Router

if TYPE_CHECKING:  # storage, the server and the platforms load only for the commands that use them
    from aiohttp import web

    from bot.platforms import Platform
    from bot.runtime import Runtime
    from bot.store.database import Database

log = logging.getLogger(__name__)

#: The time zone of a school folder without a school.yaml (only `ask` and `chat` run on one).
DEFAULT_TIMEZONE = "Europe/London"


class SetupError(StaffroomError):
    """The school folder or the settings can't be used; the message says which file and line, for a person."""


def read_settings(what: str = "settings") -> Settings:
    """`Settings` from the environment and `.env`; a bad value is a `SetupError` naming the variable."""
    try:
        return load_settings()
    except ConfigError as error:
        raise SetupError(f"The {what} can't be used:\n{error}") from None


def choose_school_folder(settings: Settings, policies: str | Path | None = None) -> Path:
    """`--policies DIR`, else `STAFFROOM_POLICIES` (environment, then `.env`), else the bundled demo school."""
    if policies:
        return Path(policies)
    return Path(settings.staffroom_policies) if settings.staffroom_policies else demo_school_folder()


def load_router(folder: Path, settings: Settings | None = None) -> Router:
    """The school's policies, topics and lexicon, ready to route questions (kept built between runs in
    the settings' cache folder)."""
    from intents.router_cache import cache_dir
    from intents.router_cache import load_router as cached_router

    settings = settings or Settings()
    try:
        return cached_router(folder, cache_dir(settings.staffroom_cache_dir, settings.xdg_cache_home))
    except (PolicyFileError, LexiconError) as error:
        raise SetupError(f"The policies in {folder} can't be used:\n{error}") from None


def load_policy_library(folder: Path) -> PolicyLibrary:
    """The school's policy files alone, without the topics and lexicon the router adds to them."""
    try:
        return load_library(folder)
    except PolicyFileError as error:
        raise SetupError(f"The policies in {folder} can't be used:\n{error}") from None


def load_school_if_configured(folder: Path, clock: Clock | None = None) -> School | None:
    """The folder's school.yaml, or None when there is none (a folder of policies only); a folder that
    isn't there at all (a mistyped `STAFFROOM_POLICIES`) is a `SetupError`, never "no school"."""
    if not folder.exists():
        raise SetupError(f"The school folder {folder} doesn't exist: check --policies or STAFFROOM_POLICIES "
                         "(in the environment or .env).")
    if not (folder / SCHOOL_FILE).is_file():
        return None
    try:
        return load_school(folder, clock=clock)
    except ConfigError as error:
        raise SetupError(f"The school configuration can't be used:\n{error}") from None


def assemble_assistant(router: Router, school: School | None, clock: Clock,
                       database: Database | None = None) -> Assistant:
    """The assistant for one school: its policies, the rules and forms its request types name, and
    (with its database) its request records and question log."""
    timezone = ZoneInfo(school.config.time_zone if school else DEFAULT_TIMEZONE)
    offers: tuple[RequestOffer, ...] = ()
    if school is not None:
        from bot.requests.offers import request_offers

        offers = request_offers(school, router.library)
    if school is None or database is None:
        return Assistant(router, clock, timezone, offers=offers)
    from bot.questions.desk import QuestionDesk
    from bot.requests.conversation import RequestConversation
    from bot.requests.workflow import RequestWorkflow

    requests = RequestConversation(RequestWorkflow(school, database, router.library))
    return Assistant(router, clock, timezone, requests=requests, offers=offers,
                     questions=QuestionDesk(school, database))


def bundled_platforms() -> list[Platform]:
    """Every chat platform Staffroom ships, each with its default options."""
    from bot.slack.platform import SlackPlatform
    from bot.teams.platform import TeamsPlatform

    return [SlackPlatform(), TeamsPlatform()]


def choose_platforms(registered: Sequence[Platform] = ()) -> list[Platform]:
    """The bundled platforms, each replaced by one `registered` under its name (with other options)."""
    chosen = {platform.name: platform for platform in bundled_platforms()}
    chosen.update({platform.name: platform for platform in registered})
    return list(chosen.values())


def compose_app(runtime: Runtime, *registered: Platform, background: bool = False) -> web.Application:
    """The server's application for `runtime`, with every platform its settings switch on.

    `registered` replaces a bundled platform of the same name (Teams without credentials, for
    the demo and the harnesses); `background` starts the timed work, as `serve` does.
    """
    from bot.server import build_app

    return build_app(runtime, choose_platforms(registered), background=background)


class Root:
    """The parts of one Staffroom process, each built once on first use from the settings."""

    def __init__(
        self,
        settings: Settings,
        *,
        policies: str | Path | None = None,
        database_url: str | None = None,
        clock: Clock | None = None,
        school: School | None = None,
        router: Router | None = None,
    ) -> None:
        """`policies` and `database_url` are the command line's choices (they win over the settings);
        `school` and `router`, when given, are used as they are (a harness's, loaded once)."""
        self.settings = settings
        self.folder = school.folder if school is not None and not policies else choose_school_folder(settings, policies)
        self.clock: Clock = clock or SystemClock()
        self._database_url = database_url
        self._school = school
        self._school_loaded = school is not None
        self._router = router
        self._platforms: dict[str, Platform] = {}

    def with_clock(self, clock: Clock) -> Root:
        """The same root on another clock, keeping what is loaded already (the demo moves its clock)."""
        again = Root(self.settings, policies=self.folder, database_url=self._database_url, clock=clock,
                     school=self._school, router=self._router)
        again._school_loaded = self._school_loaded
        again._platforms = dict(self._platforms)
        return again

    # -- the school ------------------------------------------------------------------

    @property
    def router(self) -> Router:
        """The school's policies, loaded once."""
        if self._router is None:
            self._router = load_router(self.folder, self.settings)
        return self._router

    @property
    def school(self) -> School | None:
        """The school's school.yaml, loaded once; None for a folder of policies only."""
        if not self._school_loaded:
            self._school = load_school_if_configured(self.folder, self.clock)
            self._school_loaded = True
        return self._school

    def require_school(self, why: str) -> School:
        """The school, or a `SetupError` saying `why` a school.yaml is needed."""
        school = self.school
        if school is None:
            raise SetupError(why)
        return school

    # -- storage ---------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        """The database: the command line's URL, else `DATABASE_URL`, else SQLite in `STAFFROOM_DATA_DIR`.

        Raises `StorageError` for a URL that isn't a database's or a data folder that can't be made.
        """
        from bot.store.database import resolve_database_url

        return resolve_database_url(self._database_url or self.settings.database_url, self.settings.staffroom_data_dir)

    async def open_database(self) -> Database:
        """Open the database (SQLite is upgraded on open; PostgreSQL must be at the newest schema)."""
        from bot.store.database import open_database

        return await open_database(self.database_url)

    # -- the assistant ---------------------------------------------------------------

    def assistant(self, database: Database | None = None) -> Assistant:
        """The assistant; with `database` (and a school.yaml) also requests and the question log."""
        return assemble_assistant(self.router, self.school, self.clock, database)

    async def open_assistant(self) -> tuple[Assistant, Database | None]:
        """The assistant with the school's records open, when the folder has a school.yaml; call inside
        the event loop that will use it."""
        if self.school is None:
            return self.assistant(), None
        database = await self._open_records()
        return self.assistant(database), database

    def runtime(self, database: Database) -> Runtime:
        """What the server's handlers share, over an open database."""
        from bot.runtime import Runtime

        school = self.require_school(self._no_staff())
        return Runtime(school=school, assistant=self.assistant(database), database=database,
                       settings=self.settings, clock=self.clock)

    async def open_runtime(self) -> Runtime:
        """Load the school folder and open its database (SQLite is upgraded on open)."""
        school = self.require_school(self._no_staff())
        runtime = self.runtime(await self._open_records())
        for warning in school.warnings(self.clock):
            log.warning("%s", warning)
        return runtime

    def _no_staff(self) -> str:
        return f"{self.folder} has no school.yaml, so there is no staff directory to serve."

    async def _open_records(self) -> Database:
        """The school's database, opened once its policies are known to load; a failure is a `SetupError`."""
        _ = self.router
        try:
            return await self.open_database()
        except StorageError as error:
            raise SetupError(f"The request records can't be opened: {error}") from None

    # -- the platforms and the server ------------------------------------------------

    def register(self, platform: Platform) -> None:
        """Serve `platform` instead of the bundled one of the same name."""
        self._platforms[platform.name] = platform

    @property
    def platforms(self) -> list[Platform]:
        """Every platform this root serves when its settings switch it on."""
        return choose_platforms(tuple(self._platforms.values()))

    def app(self, runtime: Runtime, *, background: bool = False) -> web.Application:
        """The server's application for `runtime` with this root's platforms."""
        return compose_app(runtime, *self._platforms.values(), background=background)

    async def make_app(self) -> web.Application:
        """Open the runtime and build the application `staffroom serve` runs, timed work included."""
        from bot.server import freeze_start_up_objects

        app = self.app(await self.open_runtime(), background=True)
        app.on_startup.append(freeze_start_up_objects)
        return app

    def serve(self, host: str, port: int) -> None:
        """`staffroom serve`: refuse unsafe settings first, then listen (a busy port fails before
        anything starts, as OSError) and run until interrupted."""
        from bot.server import serve

        for platform in self.platforms:
            platform.check(self.settings, host)
        serve(self.make_app, host=host, port=port, log_level=self.settings.staffroom_log_level, what=str(self.folder))
