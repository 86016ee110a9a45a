"""The Teams courier: proactive delivery through continue_conversation, and what failures mean."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery.courier import Delivered, Recipient, RetryLater, Undeliverable
from bot.messages import Button, ButtonsBlock, ConversationRef, Follow, Reply, TextBlock
from bot.requests.cards import APPROVE
from bot.settings import Settings
from bot.teams.adapter import create_adapter
from bot.teams.bot import TeamsOptions
from bot.teams.courier import TeamsCourier
from tests.conftest import HEAD
from tests.fakes_teams.fake_connector import FakeConnector
from tests.fakes_teams.schemas import assert_valid_card

CARD = Reply(
    text="Sam Carter asks you to approve request #4.",
    blocks=(TextBlock(text="Sam Carter asks you to approve request #4."),
            ButtonsBlock(buttons=(Button(label="Approve", action_id=APPROVE, value="4", style="primary"),))),
    follows=Follow(request_id=4),  # as the core marks a decision card
)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake


def recipient(connector: FakeConnector, conversation: bool = True) -> Recipient:
    ref = ConversationRef(platform="teams", user_id="29:h.okafor", conversation_id="a:personal-h.okafor",
                          service_url=connector.service_url, tenant_id="tenant-oakfield")
    return Recipient(email=HEAD, platform="teams", workspace="tenant-oakfield", user_id="aad-head",
                     conversation=ref if conversation else None)


def courier(connector: FakeConnector | None = None) -> TeamsCourier:
    options = TeamsOptions(unauthenticated=True)
    if connector is not None:
        options.service_urls.allow_loopback(connector.service_url)
    return TeamsCourier(create_adapter(Settings(), options), "", options)


async def test_a_card_is_delivered_as_a_new_message_that_refreshes_for_the_recipient(connector: FakeConnector) -> None:
    result = await courier(connector).deliver(recipient(connector), CARD, "key-1")
    assert isinstance(result, Delivered)
    [sent] = connector.sent
    assert sent.kind == "send" and sent.conversation_id == "a:personal-h.okafor"
    assert result.receipt == {"conversation_id": "a:personal-h.okafor", "activity_id": sent.activity_id}
    assert sent.card is not None
    assert_valid_card(sent.card)
    assert sent.card["refresh"]["userIds"] == ["29:h.okafor"]
    assert sent.activity["channelData"]["tenant"]["id"] == "tenant-oakfield"


async def test_someone_who_never_installed_the_app_is_undeliverable(connector: FakeConnector) -> None:
    result = await courier(connector).deliver(recipient(connector, conversation=False), CARD, "key-1")
    assert isinstance(result, Undeliverable) and "installed" in result.reason
    assert connector.sent == []


async def test_throttling_is_retried_after_what_teams_asks(connector: FakeConnector) -> None:
    connector.fail(429, retry_after=7)
    result = await courier(connector).deliver(recipient(connector), CARD, "key-1")
    assert result == RetryLater("Teams answered HTTP 429", 7.0)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried(connector: FakeConnector, status: int) -> None:
    connector.fail(status)
    result = await courier(connector).deliver(recipient(connector), CARD, "key-1")
    assert isinstance(result, RetryLater)


@pytest.mark.parametrize("status", [403, 404])
async def test_a_removed_app_is_undeliverable(connector: FakeConnector, status: int) -> None:
    connector.fail(status)
    result = await courier(connector).deliver(recipient(connector), CARD, "key-1")
    assert isinstance(result, Undeliverable) and str(status) in result.reason


async def test_an_unreachable_connector_is_retried() -> None:
    ref = ConversationRef(platform="teams", user_id="29:x", conversation_id="a:x", service_url="http://127.0.0.1:9/")
    options = TeamsOptions(unauthenticated=True)
    options.service_urls.allow_loopback("http://127.0.0.1:9/")
    result = await TeamsCourier(create_adapter(Settings(), options), "", options).deliver(Recipient(HEAD, "teams", "t", "u", ref), CARD, "key-1")
    assert isinstance(result, RetryLater)


async def test_a_stored_conversation_on_a_host_that_is_not_microsofts_is_never_called(
    connector: FakeConnector,
) -> None:
    # The fake Connector's loopback address is not named in configuration: nothing may call it.
    result = await courier().deliver(recipient(connector), CARD, "key-1")
    assert isinstance(result, Undeliverable) and "Microsoft" in result.reason
    assert connector.sent == []
