"""The composition root: one assembly for the commands, the server, the demo and the test harnesses."""

from __future__ import annotations

import ast
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import START_REQUEST, Assistant
from bot.clock import FakeClock
from bot.root import Root, compose_app, read_settings
from bot.school import School, demo_school_folder
from bot.settings import Settings, load_settings
from bot.store.database import Database
from bot.teams.bot import TeamsOptions
from bot.teams.platform import TeamsPlatform
from tests.conftest import TEACHER
from tests.fakes.fake_slack_api import FakeSlackApi
from tests.fakes.slack_harness import build_runtime as build_slack_runtime
from tests.fakes.slack_harness import open_harness, slack_settings
from tests.fakes.slack_payloads import SIGNING_SECRET, dm_event
from tests.fakes_teams.fake_connector import FakeConnector
from tests.fakes_teams.harness import all_actions, find_action, start_harness
from tests.fakes_teams.harness import build_runtime as build_teams_runtime

ROOT = Path(__file__).resolve().parents[1]
BORROW = "can I borrow a laptop to work at home?"
TEACHER_ID = "U0TEACH"


def shape(assistant: Assistant) -> tuple[object, ...]:
    """What the assembly decides: the forms offered under answers, the time zone, what is attached."""
    return (
        # Each offer's fields but its `asked` recogniser (a closure built per assembly).
        tuple(tuple((f.name, getattr(offer, f.name)) for f in fields(offer) if f.name != "asked")
              for offer in assistant.offers),
        str(assistant.timezone),
        assistant.requests is not None,
        assistant.questions is not None,
    )


def slack_offers(blocks: list[dict[str, Any]]) -> list[str]:
    """The request type each form-opening button in a Slack message names."""
    return [json.loads(element["value"])["type"] for block in blocks for element in block.get("elements", [])
            if element.get("type") == "button" and element["action_id"] == START_REQUEST]


def teams_offers(card: dict[str, Any]) -> list[str]:
    """The request type each form-opening action in a Teams card names."""
    return [json.loads(action["data"]["staffroom"]["value"])["type"] for action in all_actions(card)
            if action.get("verb") == START_REQUEST]


# -- one assembly everywhere ---------------------------------------------------------------


async def test_both_harnesses_assemble_the_assistant_staffroom_serve_assembles(
    school: School, database: Database, clock: FakeClock
) -> None:
    production = Root(Settings(), policies=school.folder, clock=clock).assistant(database)
    assert production.offers  # the demo school offers the loan form under answers quoting its section
    async with FakeSlackApi() as fake:
        slack = build_slack_runtime(school, database, clock, slack_settings(fake))
    teams = build_teams_runtime(school, database, clock)
    assert shape(slack.assistant) == shape(production)
    assert shape(teams.assistant) == shape(production)


async def test_slack_and_teams_offer_the_equipment_loan_form_as_production_does(
    school: School, database: Database, clock: FakeClock
) -> None:
    profiles = {TEACHER_ID: {"email": TEACHER, "real_name": "Sam Carter"}}
    async with FakeSlackApi(profiles=profiles) as fake:
        slack = await open_harness(fake, build_slack_runtime(school, database, clock, slack_settings(fake)))
        try:
            await slack.post(dm_event(TEACHER_ID, BORROW))
            [answer] = fake.called("chat.postMessage")
            assert "equipment_loan" in slack_offers(answer.body["blocks"])
        finally:
            await slack.client.close()
    async with FakeConnector() as connector:
        teams = await start_harness(build_teams_runtime(school, database, clock), connector)
        try:
            [sent] = await teams.say(TEACHER, BORROW)
            assert sent.card is not None
            assert "equipment_loan" in teams_offers(sent.card)
            assert find_action(sent.card, START_REQUEST)["type"] == "Action.Execute"
        finally:
            await teams.client.close()


# -- platforms -------------------------------------------------------------------------------


def routes_of(root: Root, database: Database) -> tuple[set[str], set[str]]:
    runtime = root.runtime(database)
    app = root.app(runtime)
    return {getattr(route.resource, "canonical", "") for route in app.router.routes()}, set(runtime.couriers)


@pytest.mark.parametrize(("variables", "paths", "couriers"), [
    ({}, set(), set()),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, {"/slack/events"}, {"slack"}),
    ({"MicrosoftAppId": "00000000-0000-0000-0000-000000000001"}, {"/api/messages"}, {"teams"}),
], ids=["none", "slack", "teams"])
async def test_the_server_mounts_each_platform_its_settings_switch_on_and_no_other(
    school: School, database: Database, clock: FakeClock, variables: dict[str, str], paths: set[str],
    couriers: set[str],
) -> None:
    root = Root(load_settings(variables), school=school, clock=clock)
    mounted, registered = routes_of(root, database)
    assert mounted - {"/healthz"} == paths
    assert registered == couriers


async def test_a_registered_platform_replaces_the_bundled_one_of_its_name(
    school: School, database: Database, clock: FakeClock
) -> None:
    root = Root(load_settings({}), school=school, clock=clock)
    assert [platform.name for platform in root.platforms] == ["slack", "teams"]
    unauthenticated = TeamsPlatform(TeamsOptions(unauthenticated=True))
    root.register(unauthenticated)
    assert [platform.name for platform in root.platforms] == ["slack", "teams"]
    assert root.platforms[1] is unauthenticated
    mounted, registered = routes_of(root, database)
    assert "/api/messages" in mounted and registered == {"teams"}
    assert "/api/messages" not in {getattr(r.resource, "canonical", "") for r in
                                   compose_app(root.runtime(database)).router.routes()}


def test_the_server_and_the_root_name_no_platform_module_at_import() -> None:
    """The server learns the platforms from the root's registrations; the root loads them only when asked."""
    for name in ("server.py", "root.py"):
        tree = ast.parse((ROOT / "bot" / name).read_text(encoding="utf-8"))
        for node in tree.body:  # module level: what importing the file loads
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("bot.slack", "bot.teams")), (name, node.module)
    server = ast.parse((ROOT / "bot" / "server.py").read_text(encoding="utf-8"))
    for node in ast.walk(server):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith(("bot.slack", "bot.teams")), node.module


# -- settings: the command line, then the environment, then .env ----------------------------------


def test_the_command_line_wins_over_the_environment_which_wins_over_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite+aiosqlite:///from-dotenv.sqlite3\n"
                                   "STAFFROOM_POLICIES=/schools/from-dotenv\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "STAFFROOM_POLICIES", "STAFFROOM_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    from_dotenv = Root(read_settings())
    assert (from_dotenv.folder, from_dotenv.database_url) == (Path("/schools/from-dotenv"),
                                                              "sqlite+aiosqlite:///from-dotenv.sqlite3")
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///from-environment.sqlite3")
    monkeypatch.setenv("STAFFROOM_POLICIES", "/schools/from-environment")
    from_environment = Root(read_settings())
    assert (from_environment.folder, from_environment.database_url) == (
        Path("/schools/from-environment"), "sqlite+aiosqlite:///from-environment.sqlite3")
    from_flags = Root(read_settings(), policies="/schools/from-flag", database_url="sqlite+aiosqlite:///flag.sqlite3")
    assert (from_flags.folder, from_flags.database_url) == (Path("/schools/from-flag"), "sqlite+aiosqlite:///flag.sqlite3")


def test_without_any_setting_the_demo_school_and_a_data_folder_are_used(tmp_path: Path) -> None:
    root = Root(load_settings({"STAFFROOM_DATA_DIR": str(tmp_path / "data")}))
    assert root.folder == demo_school_folder()
    assert root.database_url == f"sqlite+aiosqlite:///{(tmp_path / 'data' / 'staffroom.sqlite3').resolve()}"


def test_a_bad_setting_is_a_setup_error_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.root import SetupError

    monkeypatch.setenv("MicrosoftAppType", "Sometimes")
    with pytest.raises(SetupError) as caught:
        read_settings("server settings")
    assert str(caught.value).startswith("The server settings can't be used:\n")
    assert "MicrosoftAppType" in str(caught.value)
