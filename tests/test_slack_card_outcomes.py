"""The Slack adapter applies the core's card outcome as it is: its own platform's copies, where they landed."""

from __future__ import annotations

from fakes.fake_slack_api import FakeSlackApi
from fakes.slack_harness import check_blocks
from slack_sdk.web.async_client import AsyncWebClient

from bot.messages import CardCopy, Reply, TextBlock
from bot.slack.adapter import Place
from bot.slack.retire import replace_copies

SETTLED = Reply(text="Endorsed by Priya Shah.", blocks=(TextBlock(text="Endorsed by Priya Shah."),))
CLICKED = Place(team_id="T1", user_id="U1", channel_id="D-clicked", message_ts="1.0")


def slack_copy(channel: str, ts: str, team: str = "T1") -> CardCopy:
    return CardCopy(platform="slack", receipt={"channel": channel, "ts": ts, "team": team}, reply=SETTLED)


async def test_only_slack_copies_are_replaced_and_the_clicked_card_is_left_when_already_replaced() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
        teams_copy = CardCopy(platform="teams", receipt={"conversation_id": "a:1", "activity_id": "9"}, reply=SETTLED)
        copies = (slack_copy("D-clicked", "1.0"), teams_copy, slack_copy("D-other", "2.0"),
                  CardCopy(platform="slack", receipt={}, reply=SETTLED))

        async def no_token(team: str) -> str | None:
            return None

        assert await replace_copies(client, no_token, copies, clicked=CLICKED, skip_clicked=True) == 1
        [update] = fake.called("chat.update")
        assert (update.body["channel"], update.body["ts"]) == ("D-other", "2.0")
        check_blocks(update.body["blocks"])
        assert "Endorsed by Priya Shah." in update.body["text"]

        fake.clear()
        # Not replaced by the handler (a click on a list, say): then the clicked place is updated like any copy.
        assert await replace_copies(client, no_token, copies, clicked=CLICKED) == 2


async def test_a_copy_in_another_workspace_is_replaced_in_that_workspaces_name_or_left() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
        tokens = {"T2": "xoxb-two"}

        async def token_for(team: str) -> str | None:
            return tokens.get(team)

        copies = (slack_copy("D-two", "3.0", team="T2"), slack_copy("D-three", "4.0", team="T3"))
        assert await replace_copies(client, token_for, copies, clicked=CLICKED) == 1
        [update] = fake.called("chat.update")
        assert update.body["channel"] == "D-two" and update.token == "xoxb-two"


async def test_a_copy_slack_refuses_to_update_does_not_stop_the_others() -> None:
    async with FakeSlackApi() as fake:
        client = AsyncWebClient(token="xoxb-one", base_url=fake.base_url)
        fake.fail("chat.update", error="message_not_found")

        async def no_token(team: str) -> str | None:
            return None

        copies = (slack_copy("D-gone", "5.0"), slack_copy("D-here", "6.0"))
        assert await replace_copies(client, no_token, copies, clicked=CLICKED) == 1
        assert [call.body["channel"] for call in fake.called("chat.update")] == ["D-gone", "D-here"]
