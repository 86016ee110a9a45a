"""Teams fails closed: only Microsoft-signed activities are processed, only Microsoft's hosts are called,
and a stalled key endpoint slows nothing but Teams."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.clock import FakeClock
from bot.root import compose_app
from bot.school import School
from bot.settings import Settings
from bot.store.accounts import find_account
from bot.store.database import Database
from bot.teams.auth import KeyTiming
from bot.teams.bot import TeamsOptions
from tests.conftest import HEAD, TEACHER, count_rows
from tests.fakes.fake_slack_api import FakeSlackApi
from tests.fakes.slack_harness import slack_settings
from tests.fakes.slack_payloads import dm_event, signed_headers
from tests.fakes_teams.fake_connector import FakeConnector
from tests.fakes_teams.harness import TENANT, TeamsHarness, build_runtime, start_harness
from tests.fakes_teams.token_issuer import APP_ID, StaticCredentials, TokenIssuer, new_key

CREDENTIALS = {"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "secret"}


def authenticated_options(issuer: TokenIssuer, fetch_timeout: float = 5.0) -> TeamsOptions:
    return TeamsOptions(metadata_url=issuer.metadata_url, credentials_factory=StaticCredentials(),
                        key_timing=KeyTiming(fetch_timeout=fetch_timeout, first_backoff=30.0))


@pytest.fixture
async def issuer() -> AsyncIterator[TokenIssuer]:
    async with TokenIssuer() as stand_in:
        yield stand_in


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock, issuer: TokenIssuer,
                connector: FakeConnector) -> AsyncIterator[TeamsHarness]:
    settings = Settings.model_validate(CREDENTIALS)
    harness = await start_harness(build_runtime(school, database, clock, settings), connector,
                                  authenticated_options(issuer))
    yield harness
    await harness.client.close()


async def post(teams: TeamsHarness, activity: dict[str, Any], authorization: str | None) -> tuple[int, Any]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await teams.client.post("/api/messages", json=activity, headers=headers)
    body = await response.json() if response.content_type == "application/json" else await response.text()
    return response.status, body


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


# --- a good token works -------------------------------------------------------------------


async def test_a_microsoft_signed_activity_is_answered(teams: TeamsHarness, issuer: TokenIssuer) -> None:
    activity = teams.message(TEACHER, "who do I contact about IT?")
    status, _ = await post(teams, activity, f"Bearer {issuer.token(activity['serviceUrl'])}")
    assert status == 200
    [answer] = teams.connector.sent
    assert answer.conversation_id == teams.user(TEACHER).personal_conversation
    row = await find_account(teams.runtime.database, "teams", TENANT, teams.user(TEACHER).aad_object_id)
    assert row is not None and row.email == TEACHER


# --- every bad token is a 401 and nothing happens -----------------------------------------------


def _bad_headers(issuer: TokenIssuer, service_url: str) -> dict[str, str | None]:
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": service_url, "exp": now + 3600}
    return {
        "missing": None,
        "empty": "",
        "not a bearer": "Basic dXNlcjpwYXNz",
        "not a JWT": "Bearer not-a-jwt",
        "garbage segments": "Bearer a.b.c",
        "unsigned (alg none)": "Bearer " + _b64({"alg": "none", "typ": "JWT", "kid": issuer.kid}) + "." + _b64(claims) + ".",
        "HS256 with the public key": "Bearer " + _hs256(claims, issuer),
        "forged (another key, same kid)": "Bearer " + issuer.token(service_url, key=new_key()),
        "unknown key id": "Bearer " + issuer.token(service_url, kid="not-a-microsoft-key"),
        "expired": "Bearer " + issuer.token(service_url, expires_in=-3600),
        "another bot's audience": "Bearer " + issuer.token(service_url, aud="99999999-0000-0000-0000-000000000000"),
        "another issuer": "Bearer " + issuer.token(service_url, iss="https://evil.example"),
        "another service URL": "Bearer " + issuer.token("https://smba.trafficmanager.net/emea/"),
        "no serviceurl claim": "Bearer " + issuer.token(service_url, serviceurl=None),
    }


def _hs256(claims: dict[str, Any], issuer: TokenIssuer) -> str:
    """The classic confusion attack: HMAC-signed with the published public key as the secret."""
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import serialization

    public = issuer.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    signing_input = _b64({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}) + "." + _b64(claims)
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


BAD = ["missing", "empty", "not a bearer", "not a JWT", "garbage segments", "unsigned (alg none)",
       "HS256 with the public key", "forged (another key, same kid)", "unknown key id", "expired",
       "another bot's audience", "another issuer", "another service URL", "no serviceurl claim"]


@pytest.mark.parametrize("case", BAD)
async def test_every_bad_token_is_a_401_and_nothing_is_processed(
    teams: TeamsHarness, issuer: TokenIssuer, database: Database, case: str
) -> None:
    activity = teams.message(HEAD, "who do I contact about IT?")
    before = await count_rows(database)
    status, body = await post(teams, activity, _bad_headers(issuer, activity["serviceUrl"])[case])
    assert status == 401, (case, body)
    assert body == {"error": "unauthorized"}
    assert teams.connector.sent == [] and teams.connector.lookups == 0
    assert await count_rows(database) == before
    assert await find_account(database, "teams", TENANT, teams.user(HEAD).aad_object_id) is None


async def test_unknown_key_ids_do_not_make_the_server_fetch_keys_for_every_request(
    teams: TeamsHarness, issuer: TokenIssuer
) -> None:
    activity = teams.message(TEACHER, "help")
    good = f"Bearer {issuer.token(activity['serviceUrl'])}"
    assert (await post(teams, activity, good))[0] == 200
    fetched = issuer.requests
    for n in range(5):
        token = issuer.token(activity["serviceUrl"], kid=f"junk-{n}")
        assert (await post(teams, teams.message(TEACHER, "help"), f"Bearer {token}"))[0] == 401
    assert issuer.requests == fetched  # keys were fetched moments ago: no refetch per junk kid


# --- a stalled key endpoint slows only Teams --------------------------------------------------


async def test_a_stalled_key_endpoint_gives_teams_a_prompt_503_and_slack_and_healthz_keep_answering(
    school: School, database: Database, clock: FakeClock, issuer: TokenIssuer, connector: FakeConnector
) -> None:
    issuer.stall = True
    async with FakeSlackApi() as slack:
        settings = slack_settings(slack, microsoft_app_id=APP_ID, microsoft_app_password="secret")
        harness = await start_harness(build_runtime(school, database, clock, settings), connector,
                                      authenticated_options(issuer, fetch_timeout=3.0))
        try:
            activity = harness.message(TEACHER, "help")
            token = f"Bearer {issuer.token(activity['serviceUrl'])}"
            loop = asyncio.get_running_loop()
            started = loop.time()
            teams_call = asyncio.create_task(post(harness, activity, token))
            for _ in range(100):  # the fetch starts at once; a loaded machine may take a moment
                if issuer.requests:
                    break
                await asyncio.sleep(0.1)
            assert issuer.requests == 1  # the fetch is under way and stalled

            # While Teams waits, the rest of the server answers at once.
            for _ in range(3):
                t0 = loop.time()
                health = await harness.client.get("/healthz")
                assert health.status == 200 and loop.time() - t0 < 1.0
            body = dm_event("U0TEACHER", "who do I contact about IT?")
            t0 = loop.time()
            slack_response = await harness.client.post("/slack/events", data=body.encode(),
                                                       headers=signed_headers(body, content_type="application/json"))
            assert slack_response.status == 200 and loop.time() - t0 < 1.0
            await slack.wait_for("chat.postMessage", timeout=10)

            status, answer = await teams_call
            assert status == 503 and "try again" in answer["error"]
            assert loop.time() - started < 6.0  # the fetch timeout (3 s), not the stall (60 s)
            assert connector.sent == []

            # Backing off: the next activity is refused at once, without another fetch.
            t0 = loop.time()
            status, _ = await post(harness, harness.message(TEACHER, "help"), token)
            assert status == 503 and loop.time() - t0 < 1.0
            assert issuer.requests == 1
        finally:
            await harness.client.close()


# --- fail closed without credentials -------------------------------------------------------------


async def test_a_slack_only_server_does_not_serve_teams_at_all(
    school: School, database: Database, clock: FakeClock, connector: FakeConnector
) -> None:
    """The reported attack: an activity naming the sender's own server, whose member lookup says 'headteacher'."""
    async with FakeSlackApi() as slack:
        runtime = build_runtime(school, database, clock, slack_settings(slack))
        client: TestClient[Any, Any] = TestClient(TestServer(compose_app(runtime)))
        await client.start_server()
        try:
            harness = TeamsHarness(client, connector, runtime)
            connector.members["29:attacker"] = {"email": HEAD, "name": "Helen Okafor", "aadObjectId": "attacker"}
            activity = harness.message(HEAD, "show my requests")
            activity["from"] = {"id": "29:attacker", "name": "Helen Okafor", "aadObjectId": "attacker"}
            response = await client.post("/api/messages", json=activity)
            assert response.status in (404, 405)
            assert connector.lookups == 0 and connector.sent == []
            assert await find_account(database, "teams", TENANT, "attacker") is None
            assert "teams" not in runtime.couriers
        finally:
            await client.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_refuses_unauthenticated_teams_off_loopback(host: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", host, "--teams-unauthenticated"]) == 2
    error = capsys.readouterr().err
    assert "loopback" in error and "Traceback" not in error


def test_serve_refuses_unauthenticated_teams_beside_credentials(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    assert main(["serve", "--host", "127.0.0.1", "--teams-unauthenticated"]) == 2
    assert "MicrosoftAppId" in capsys.readouterr().err


# --- only Microsoft's hosts are called ------------------------------------------------------------


@pytest.mark.parametrize("service_url", ["https://evil.example/", "http://169.254.169.254/latest/",
                                         "https://smba.trafficmanager.net.evil.example/",
                                         "http://smba.trafficmanager.net/emea/", "OTHER_LOOPBACK"])
async def test_an_activity_naming_a_host_that_is_not_microsofts_is_refused_and_nothing_is_called(
    school: School, database: Database, clock: FakeClock, connector: FakeConnector, service_url: str
) -> None:
    async with FakeConnector() as attacker:
        harness = await start_harness(build_runtime(school, database, clock), connector)
        try:
            attacker.members[harness.user(HEAD).channel_id] = {"email": HEAD, "name": "x", "aadObjectId": "x"}
            activity = harness.message(HEAD, "show my requests")
            activity["serviceUrl"] = attacker.service_url if service_url == "OTHER_LOOPBACK" else service_url
            before = await count_rows(database)
            status, body = await harness.post(activity)
            assert status == 400 and "serviceUrl" in body["error"]
            assert attacker.lookups == 0 and attacker.sent == [] and connector.sent == []
            assert await count_rows(database) == before
        finally:
            await harness.client.close()


def test_the_service_url_policy_knows_microsofts_teams_hosts() -> None:
    from bot.teams.service_urls import ServiceUrlPolicy

    policy = ServiceUrlPolicy(["http://127.0.0.1:3980/"])
    for good in ("https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/teams/",
                 "https://smba.infra.gcc.teams.microsoft.com/teams", "https://smba.infra.gov.teams.microsoft.us/teams",
                 "https://smba.infra.dod.teams.microsoft.us/teams", "https://webchat.botframework.com/",
                 "http://127.0.0.1:3980/"):
        assert policy.allows(good), good
    for bad in ("https://smba.trafficmanager.net:8443/", "https://botframework.com.evil.example/",
                "https://evilbotframework.com/", "http://127.0.0.1:3981/", "http://localhost:3980/", "ftp://x/",
                "https://user@evil.example/", "", None):
        assert not policy.allows(bad), bad
    with pytest.raises(ValueError):
        policy.allow_loopback("http://10.0.0.5:3980/")
    with pytest.raises(ValueError):
        Settings.model_validate({"staffroom_teams_loopback_urls": "http://example.org/"})
