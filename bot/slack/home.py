"""App Home: suggested questions, the person's requests with their status and Cancel, and what waits for them."""

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
    requests = await assistant.show_requests(person)
    return requests if requests is not None else Reply(text=INTRO, blocks=(TextBlock(text=INTRO),))


def render_home(reply: Reply, suggestions: Reply | None = None) -> JsonDict:
    """The home tab view: a header, the intro, suggested questions, then the requests (at most 100 blocks)."""
    intro: JsonDict = {"type": "section", "text": {"type": "mrkdwn", "text": escape_mrkdwn(INTRO)}}
    header: JsonDict = {"type": "header", "text": {"type": "plain_text", "text": "Staffroom"}}
    suggested = render_blocks(suggestions, MAX_VIEW_BLOCKS) if suggestions is not None and suggestions.blocks else []
    blocks: list[JsonDict] = [header, intro, *suggested, {"type": "divider"}, *render_blocks(reply, MAX_VIEW_BLOCKS)]
    return {"type": "home", "blocks": fit(blocks, MAX_VIEW_BLOCKS)}


async def publish_home(client: AsyncWebClient, assistant: Assistant, person: Person) -> None:
    reply = await build_home_reply(assistant, person)
    suggestions = assistant.questions.suggestions(assistant) if assistant.questions is not None else None
    await client.views_publish(user_id=person.user_id, view=render_home(reply, suggestions))
