"""App Home: the person's requests with their status and Cancel, and what waits for their decision."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.assistant import Assistant
from bot.messages import Person, Reply, TextBlock
from bot.slack.blocks import MAX_VIEW_BLOCKS, JsonDict, escape_mrkdwn, fit, render_blocks

INTRO = (
    "Ask me about the school's policies in a message here, mention me in a channel, "
    "or type `/staffroom` and your question. Ask to work from home and I'll send the request "
    "to your approvers."
)


async def build_home_reply(assistant: Assistant, person: Person) -> Reply:
    """What App Home shows: requests when the school's records are attached, else the intro."""
    if assistant.requests is None:
        return Reply(text=INTRO, blocks=(TextBlock(text=INTRO),))
    return await assistant.requests.show_my_requests(person, assistant.clock.now())


def render_home(reply: Reply) -> JsonDict:
    """The home tab view: a header, the intro, then the requests (at most 100 blocks)."""
    intro: JsonDict = {"type": "section", "text": {"type": "mrkdwn", "text": escape_mrkdwn(INTRO)}}
    header: JsonDict = {"type": "header", "text": {"type": "plain_text", "text": "Staffroom"}}
    blocks: list[JsonDict] = [header, intro, {"type": "divider"}, *render_blocks(reply, MAX_VIEW_BLOCKS)]
    return {"type": "home", "blocks": fit(blocks, MAX_VIEW_BLOCKS)}


async def publish_home(client: AsyncWebClient, assistant: Assistant, person: Person) -> None:
    reply = await build_home_reply(assistant, person)
    await client.views_publish(user_id=person.user_id, view=render_home(reply))
