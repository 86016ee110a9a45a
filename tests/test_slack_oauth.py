"""Several workspaces: OAuth install, tokens encrypted at rest in our database, one state use each."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import SlackHarness, build_runtime, open_harness, slack_settings
from fakes.slack_payloads import dm_event
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.errors import ConfigError
from bot.school import School
from bot.slack.app import SlackApp
from bot.slack.oauth import EncryptedInstallationStore, OAuthStateStore, make_cipher
from bot.store.database import Database
from bot.store.platform_storage import DatabaseInstallations, DatabaseSignInStates, open_platform_storage
from bot.store.tables import SlackInstallationRow

KEY = Fernet.generate_key().decode()
TOKEN = "xoxb-second-workspace-secret"
OAUTH_ANSWER = {
    "access_token": TOKEN, "token_type": "bot", "scope": "chat:write,commands", "bot_user_id": "U0BOT2",
    "app_id": "A0APP", "team": {"name": "Oakfield Juniors", "id": "T0JUNIOR"}, "enterprise": None,
    "is_enterprise_install": False, "authed_user": {"id": "U0ADMIN"},
}


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with FakeSlackApi(oauth_response=dict(OAUTH_ANSWER),
                            profiles={"U0JT": {"email": "s.carter@oakfield.example"}}) as fake:
        settings = slack_settings(fake, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="111.222",
                                  SLACK_CLIENT_SECRET="client-secret", STAFFROOM_SECRET_KEY=KEY)
        harness = await open_harness(fake, build_runtime(school, database, clock, settings))
        try:
            yield harness
        finally:
            await harness.client.close()


async def start_install(slack: SlackHarness) -> tuple[str, str]:
    """GET /slack/install: the Add-to-Slack link's state and the state cookie bolt set."""
    response = await slack.client.get("/slack/install", allow_redirects=False)
    assert response.status in (200, 302)
    page = await response.text()
    found = re.search(r'href="(https://slack.com/oauth/v2/authorize[^"]+)"', page)
    link = response.headers.get("Location") or (found.group(1) if found else "")
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["client_id"] == ["111.222"]
    assert "users:read.email" in query["scope"][0]
    cookie = response.headers["Set-Cookie"].split(";")[0]
    return query["state"][0], cookie


async def test_install_stores_the_workspace_encrypted_and_its_events_use_its_token(
    slack: SlackHarness, database: Database
) -> None:
    state, cookie = await start_install(slack)
    response = await slack.client.get(f"/slack/oauth_redirect?code=abc&state={state}", headers={"Cookie": cookie})
    assert response.status == 200, await response.text()
    assert slack.fake.called("oauth.v2.access")[0].body["code"] == "abc"

    async with database.reading() as session:
        row = await session.scalar(select(SlackInstallationRow))
    assert row is not None and row.team_id == "T0JUNIOR" and row.school_id == slack.runtime.school.id
    assert TOKEN not in row.encrypted and "U0ADMIN" not in row.encrypted
    assert TOKEN in Fernet(KEY.encode()).decrypt(row.encrypted.encode()).decode()

    slack.fake.clear()
    await slack.post(dm_event("U0JT", "who do I contact about IT?", team="T0JUNIOR"))
    answer = slack.fake.called("chat.postMessage")[0]
    assert answer.token == TOKEN
    assert await slack.slack.token_for("T0JUNIOR") == TOKEN
    assert await slack.slack.token_for("T0UNKNOWN") is None


async def test_a_state_is_accepted_once_and_a_forged_one_never(slack: SlackHarness, database: Database) -> None:
    forged = await slack.client.get("/slack/oauth_redirect?code=abc&state=forged", headers={"Cookie": "x=y"})
    assert 400 <= forged.status < 500
    state, cookie = await start_install(slack)
    first = await slack.client.get(f"/slack/oauth_redirect?code=abc&state={state}", headers={"Cookie": cookie})
    assert first.status == 200
    again = await slack.client.get(f"/slack/oauth_redirect?code=abc&state={state}", headers={"Cookie": cookie})
    assert 400 <= again.status < 500
    assert len(slack.fake.called("oauth.v2.access")) == 1
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(SlackInstallationRow)) == 1


async def test_states_expire(database: Database, clock: FakeClock) -> None:
    store = OAuthStateStore(DatabaseSignInStates(database, clock))
    state = await store.async_issue()
    clock.advance(timedelta(minutes=11))
    assert await store.async_consume(state) is False


async def test_an_installation_round_trips_and_a_wrong_key_reads_nothing(
    database: Database, clock: FakeClock
) -> None:
    kept = DatabaseInstallations(database, "demo", clock)
    store = EncryptedInstallationStore(kept, make_cipher(KEY))
    installation = Installation(app_id="A1", team_id="T9", bot_token="xoxb-9", bot_user_id="U9", bot_id="B9",
                                bot_scopes="chat:write", user_id="U1", bot_token_expires_in=3600)
    await store.async_save(installation)
    found = await store.async_find_installation(enterprise_id=None, team_id="T9")
    assert found is not None and found.bot_token == "xoxb-9" and found.bot_token_expires_at is not None
    bot = await store.async_find_bot(enterprise_id=None, team_id="T9")
    assert bot is not None and bot.bot_user_id == "U9"
    other = EncryptedInstallationStore(kept, make_cipher(Fernet.generate_key().decode()))
    assert await other.async_find_bot(enterprise_id=None, team_id="T9") is None
    # A new key first, the old one still reads (rotation).
    rotated = EncryptedInstallationStore(kept, make_cipher(f"{Fernet.generate_key().decode()},{KEY}"))
    assert await rotated.async_find_bot(enterprise_id=None, team_id="T9") is not None
    await store.async_delete_bot(enterprise_id=None, team_id="T9")
    assert await store.async_find_bot(enterprise_id=None, team_id="T9") is None


@pytest.mark.parametrize("key", [None, "", "not-a-fernet-key"])
def test_oauth_without_a_usable_secret_key_is_a_config_error(key: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        make_cipher(key)
    assert "STAFFROOM_SECRET_KEY" in str(caught.value)


async def test_the_server_refuses_oauth_without_a_secret_key(
    school: School, database: Database, clock: FakeClock
) -> None:
    async with FakeSlackApi() as fake:
        settings = slack_settings(fake, SLACK_BOT_TOKEN=None, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="s")
        with pytest.raises(ConfigError):
            SlackApp(build_runtime(school, database, clock, settings), open_platform_storage(database, "demo", clock))
