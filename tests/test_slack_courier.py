"""The Slack courier: DMs a reply; rate limits, outages and gone accounts come back as values."""

from __future__ import annotations

import pytest
from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import check_blocks

from bot.delivery.courier import Delivered, Recipient, RetryLater, Undeliverable
from bot.messages import Button, ButtonsBlock, Reply, TextBlock
from bot.slack.courier import SlackCourier

REPLY = Reply(text="Sam asks you to endorse request #1.",
              blocks=(TextBlock(text="Sam asks you to endorse request #1 <!here>"),
                      ButtonsBlock(buttons=(Button(label="Endorse", action_id="request.endorse", value="1"),))))
PRIYA = Recipient(email="p.shah@oakfield.example", platform="slack", workspace="T0SCHOOL", user_id="U0MGR")


async def token(team: str) -> str | None:
    return "xoxb-school" if team == "T0SCHOOL" else None


def courier_for(fake: FakeSlackApi, timeout: int = 5) -> SlackCourier:
    return SlackCourier(token, fake.base_url, timeout=timeout)


async def test_a_notice_is_sent_as_a_dm_and_the_receipt_says_where() -> None:
    async with FakeSlackApi() as fake:
        result = await courier_for(fake).deliver(PRIYA, REPLY, "key-1")
        assert isinstance(result, Delivered)
        assert fake.methods() == ["conversations.open", "chat.postMessage"]
        assert fake.called("conversations.open")[0].body["users"] == "U0MGR"
        post = fake.called("chat.postMessage")[0]
        assert post.token == "xoxb-school"
        assert post.body["channel"] == "D0MGR" == result.receipt["channel"]
        assert result.receipt["ts"] and result.receipt["team"] == "T0SCHOOL"
        assert post.body["metadata"]["event_payload"] == {"key": "key-1"}
        check_blocks(post.body["blocks"])
        assert "<!here>" not in str(post.body["blocks"])


async def test_429_is_retry_later_with_slacks_retry_after() -> None:
    async with FakeSlackApi() as fake:
        fake.fail("chat.postMessage", status=429, retry_after=7)
        result = await courier_for(fake).deliver(PRIYA, REPLY, "key-1")
        assert result == RetryLater("Slack rate limit", after_seconds=7.0)
        assert len(fake.called("chat.postMessage")) == 1  # the dispatcher retries, not the courier


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_slack_outage_is_retry_later(status: int) -> None:
    async with FakeSlackApi() as fake:
        fake.fail("conversations.open", status=status)
        result = await courier_for(fake).deliver(PRIYA, REPLY, "key-1")
        assert isinstance(result, RetryLater), result
        assert fake.called("chat.postMessage") == []


@pytest.mark.parametrize("method, error", [
    ("conversations.open", "user_not_found"),
    ("conversations.open", "account_inactive"),
    ("chat.postMessage", "account_inactive"),
    ("chat.postMessage", "invalid_auth"),
])
async def test_a_gone_account_is_undeliverable(method: str, error: str) -> None:
    async with FakeSlackApi() as fake:
        fake.fail(method, error=error)
        result = await courier_for(fake).deliver(PRIYA, REPLY, "key-1")
        assert result == Undeliverable(f"Slack: {error}")


async def test_a_timeout_is_retry_later() -> None:
    async with FakeSlackApi(delay=1.5) as fake:
        result = await courier_for(fake, timeout=1).deliver(PRIYA, REPLY, "key-1")
        assert isinstance(result, RetryLater), result


async def test_an_unreachable_slack_is_retry_later() -> None:
    courier = SlackCourier(token, "http://127.0.0.1:1/api/", timeout=2)
    assert isinstance(await courier.deliver(PRIYA, REPLY, "key-1"), RetryLater)


async def test_a_workspace_without_the_app_is_undeliverable() -> None:
    async with FakeSlackApi() as fake:
        elsewhere = Recipient(email="x@y.example", platform="slack", workspace="T0OTHER", user_id="U1")
        result = await courier_for(fake).deliver(elsewhere, REPLY, "key-1")
        assert isinstance(result, Undeliverable)
        assert fake.calls == []
