"""Turn logic with botbuilder's TestAdapter, and the pure parsing and card rendering underneath."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference

from bot.clock import FakeClock
from bot.messages import Choice, FormBlock, Input, QuoteBlock, Reply, TextBlock
from bot.runtime import Runtime
from bot.school import School
from bot.store.database import Database
from bot.store.platform_storage import DatabaseEventLog
from bot.teams.bot import TeamsBot
from bot.teams.cards import ButtonKind, render_card
from bot.teams.parse import check_activity, message_text, parse_card_data, parse_execute
from tests.conftest import TEACHER
from tests.fakes_teams.harness import build_runtime
from tests.fakes_teams.schemas import assert_valid_card

REFERENCE = ConversationReference(
    channel_id="msteams",
    service_url="https://smba.example/",
    conversation=ConversationAccount(id="a:personal", conversation_type="personal", tenant_id="t1"),
    user=ChannelAccount(id="29:s.carter", name="Sam Carter", aad_object_id="aad-sam"),
    bot=ChannelAccount(id="28:bot", name="Staffroom"),
)


@pytest.fixture
async def runtime(school: School, database: Database, clock: FakeClock) -> Runtime:
    rt = build_runtime(school, database, clock)
    # As if Teams' member lookup had already told us her email on an earlier turn.
    await rt.meet(platform="teams", workspace="t1", user_id="aad-sam", email=TEACHER)
    return rt


def bot_for(runtime: Runtime) -> TeamsBot:
    """The bot as `mount_teams` builds it, recording handled activities in the test's database."""
    return TeamsBot(runtime, DatabaseEventLog(runtime.database, runtime.clock))


async def test_a_question_gets_a_card_with_the_policy_quoted(runtime: Runtime) -> None:
    adapter = TestAdapter(bot_for(runtime).on_turn, REFERENCE)
    await adapter.send("who do I contact about IT?")
    reply = adapter.get_next_activity()
    card = reply.attachments[0].content
    assert_valid_card(card)
    assert any(item.get("style") == "emphasis" for item in card["body"])
    assert reply.summary and card["fallbackText"]


async def test_help_is_plain_text(runtime: Runtime) -> None:
    adapter = TestAdapter(bot_for(runtime).on_turn, REFERENCE)
    await adapter.send("help")
    reply = adapter.get_next_activity()
    assert reply.text_format == "plain" and not reply.attachments


async def test_a_work_from_home_question_offers_the_form_button(runtime: Runtime) -> None:
    adapter = TestAdapter(bot_for(runtime).on_turn, REFERENCE)
    await adapter.send("can I work from home on Friday?")
    card = adapter.get_next_activity().attachments[0].content
    actions = [a for item in card["body"] if item["type"] == "ActionSet" for a in item["actions"]]
    assert [a["verb"] for a in actions] == ["request.start"]
    assert actions[0]["type"] == "Action.Execute"


def test_the_bot_mention_is_removed_but_other_mentions_stay() -> None:
    activity = Activity().deserialize({
        "type": "message", "text": "<at>Staffroom</at> is <at>Priya</at> in today?",
        "recipient": {"id": "28:bot"},
        "entities": [
            {"type": "mention", "text": "<at>Staffroom</at>", "mentioned": {"id": "28:bot", "name": "Staffroom"}},
            {"type": "mention", "text": "<at>Priya</at>", "mentioned": {"id": "29:p", "name": "Priya"}},
        ],
    })
    assert message_text(activity) == "is Priya in today?"


def test_card_data_is_read_only_in_our_shape() -> None:
    assert parse_card_data({"staffroom": {"action": "request.submit", "value": "wfh"}, "start": "2026-11-27",
                            "count": 3}).inputs == {"start": "2026-11-27"}  # type: ignore[union-attr]
    assert parse_card_data({"action": "request.approve"}) is None
    assert parse_card_data("text") is None
    assert parse_execute({"action": {"type": "Action.Submit", "verb": "x", "data": {}}}) is None
    # The verb and our data must agree: a verb can't borrow another button's data.
    assert parse_execute({"action": {"type": "Action.Execute", "verb": "request.approve",
                                     "data": {"staffroom": {"action": "request.cancel", "value": "1"}}}}) is None


@pytest.mark.parametrize("body", [None, [], {}, {"type": "message"}, {"type": "message", "serviceUrl": "ftp://x"}])
def test_check_activity_names_what_is_missing(body: Any) -> None:
    assert isinstance(check_activity(body), str)


def test_every_block_renders_to_a_valid_card_and_user_text_is_never_markdown() -> None:
    reply = Reply(text="fallback", blocks=(
        TextBlock(text="**not bold** [link](http://x) <b>tag</b>\nsecond line"),
        QuoteBlock(text="Staff should contact the IT technician.", citation="ICT policy · 4.2"),
        FormBlock(title="Form", submit_label="Send", submit_action_id="request.submit", value="wfh", inputs=(
            Input(name="d", label="Date", kind="date", initial="2026-11-27"),
            Input(name="c", label="Choice", kind="choice", choices=(Choice(label="A", value="a"),)),
            Input(name="t", label="Note", kind="text", optional=True, max_length=500),
        )),
    ))
    for kind in ButtonKind:
        card = render_card(reply, kind)
        assert_valid_card(card)
        runs = [item["inlines"][0] for item in card["body"] if item["type"] == "RichTextBlock"]
        assert runs[0]["type"] == "TextRun" and runs[0]["text"] == "**not bold** [link](http://x) <b>tag</b>"
        assert runs[1]["text"] == "second line"
    submit = render_card(reply, ButtonKind.SUBMIT)["body"][-1]["items"][-1]["actions"][0]
    assert submit["type"] == "Action.Submit" and "verb" not in submit


def test_a_broken_card_fails_the_schema_check() -> None:
    with pytest.raises(AssertionError):
        assert_valid_card({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "Input.Date", "min": 3}]})
