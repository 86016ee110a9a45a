"""Block Kit rendering: every neutral block, escaping, Slack's limits, modals and their submissions."""

from __future__ import annotations

from datetime import date

from fakes.slack_harness import check_blocks, check_view

from bot.messages import (
    Button,
    ButtonsBlock,
    Choice,
    Field_,
    FieldsBlock,
    FormBlock,
    Input,
    QuoteBlock,
    Reply,
    TextBlock,
)
from bot.requests.cards import render_approve_form, render_decline_form, render_request_form
from bot.requests.kinds.base import KindContext
from bot.requests.kinds.leave_of_absence import KIND as LEAVE_KIND
from bot.requests.kinds.registry import kinds_of
from bot.school import School
from bot.school.config import RequestTypeConfig
from bot.slack.adapter import parse_block_action, strip_mentions
from bot.slack.blocks import (
    escape_mrkdwn,
    read_view_inputs,
    render_blocks,
    render_form_view,
    render_message,
    render_result_view,
    render_retry_view,
)
from bot.slack.home import render_home

EVERYTHING = Reply(
    text="fallback",
    blocks=(
        TextBlock(text="Hello <@U1> & <!channel>"),
        QuoteBlock(text="Line one\n\nLine <two>", citation="WFH policy · 2.1 <Approval>"),
        FieldsBlock(fields=(Field_(label="From", value="Sam <Carter>"), Field_(label="When", value="Fri"))),
        ButtonsBlock(buttons=(Button(label="Approve", action_id="request.approve", value="1", style="primary"),
                              Button(label="Decline", action_id="request.decline", value="1", style="danger"),
                              Button(label="Later", action_id="x.later"))),
    ),
)


def test_every_neutral_block_renders_as_strict_block_kit() -> None:
    blocks = render_blocks(EVERYTHING)
    check_blocks(blocks)
    assert [b["type"] for b in blocks] == ["section", "section", "context", "section", "actions"]


def test_user_text_is_escaped_so_it_pings_nobody() -> None:
    blocks = render_blocks(EVERYTHING)
    text = str(blocks)
    assert "<@U1>" not in text and "<!channel>" not in text
    assert blocks[0]["text"]["text"] == "Hello &lt;@U1&gt; &amp; &lt;!channel&gt;"
    assert escape_mrkdwn("a&b<c>d") == "a&amp;b&lt;c&gt;d"


def test_the_fallback_text_is_escaped_as_well_as_the_blocks() -> None:
    message = render_message(Reply(text="Declined: <!channel> cover & <@U1>", blocks=EVERYTHING.blocks))
    assert message["text"] == "Declined: &lt;!channel&gt; cover &amp; &lt;@U1&gt;"


def test_a_quote_is_a_slack_quote_with_the_citation_as_context() -> None:
    quote, context = render_blocks(Reply(text="q", blocks=(QuoteBlock(text="A\n\nB", citation="X · 1"),)))
    assert quote["text"]["text"] == ">A\n>\n>B"
    assert context == {"type": "context", "elements": [{"type": "mrkdwn", "text": "X · 1"}]}


def test_long_text_is_split_without_breaking_an_escape() -> None:
    text = ("a" * 2995) + "&&&&&&&&&&" + ("b" * 4000)
    blocks = render_blocks(Reply(text="t", blocks=(TextBlock(text=text),)))
    check_blocks(blocks)
    assert len(blocks) >= 3
    joined = "".join(b["text"]["text"] for b in blocks)
    assert joined == escape_mrkdwn(text)
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)


def test_many_fields_and_buttons_stay_within_slacks_limits() -> None:
    fields = FieldsBlock(fields=tuple(Field_(label=f"L{n}", value="v" * 3000) for n in range(23)))
    buttons = ButtonsBlock(buttons=tuple(Button(label="x" * 100, action_id=f"a{n}", value="v" * 3000)
                                         for n in range(30)))
    blocks = render_blocks(Reply(text="t", blocks=(fields, buttons)))
    check_blocks(blocks)
    assert [len(b.get("fields", [])) for b in blocks[:3]] == [10, 10, 3]
    assert len(blocks[3]["elements"]) == 25


def test_more_than_fifty_blocks_are_cut_with_a_note() -> None:
    reply = Reply(text="t", blocks=tuple(TextBlock(text=f"para {n}") for n in range(80)))
    blocks = render_blocks(reply)
    check_blocks(blocks)
    assert len(blocks) == 50
    assert blocks[-1]["type"] == "context"


def test_a_fallback_text_is_always_there() -> None:
    message = render_message(Reply(text="Just text"))
    assert message["text"] == "Just text"
    check_blocks(message["blocks"])


def test_the_request_forms_render_as_strict_modals(school: School) -> None:
    today = date(2026, 11, 23)
    forms = [render_request_form(kind, context, {}, today) for kind, context in kinds_of(school)]
    assert len(forms) == len(school.config.request_types)
    for reply in (*forms, render_decline_form(12), render_approve_form(12, LEAVE_KIND.approval_fields(
            KindContext(school, "leave", RequestTypeConfig(label="Leave", form="leave_of_absence"))), today)):
        form = next(block for block in reply.blocks if isinstance(block, FormBlock))
        view = render_form_view(form, {"value": form.value, "channel": "D1"})
        check_view(view)
        assert view["callback_id"] == form.submit_action_id
        assert len(view["title"]["text"]) <= 24
        assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [i.name for i in form.inputs]


def test_a_long_form_title_moves_into_a_header() -> None:
    form = FormBlock(title="Request to work from home", inputs=(Input(name="n", label="N", kind="text"),),
                     submit_label="Send", submit_action_id="s")
    view = render_form_view(form, {})
    assert view["title"]["text"] == "Staffroom"
    assert view["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "Request to work from home"}}


def test_initial_values_fill_the_modal() -> None:
    form = FormBlock(title="T", submit_label="Send", submit_action_id="s", inputs=(
        Input(name="d", label="D", kind="date", initial="2026-11-27"),
        Input(name="c", label="C", kind="choice", initial="b", choices=(Choice(label="A", value="a"),
                                                                          Choice(label="B", value="b"))),
        Input(name="t", label="T", kind="text", initial="hi", optional=True, max_length=50),
    ))
    view = render_form_view(form, {"value": "x"})
    check_view(view)
    date_block, choice_block, text_block = view["blocks"]
    assert date_block["element"]["initial_date"] == "2026-11-27"
    assert choice_block["element"]["initial_option"]["value"] == "b"
    assert text_block["element"]["initial_value"] == "hi" and text_block["optional"] is True
    assert text_block["element"]["max_length"] == 50


def test_submitted_values_are_read_by_field_name() -> None:
    state = {"values": {
        "start": {"start": {"type": "datepicker", "selected_date": "2026-11-27"}},
        "end": {"end": {"type": "datepicker", "selected_date": None}},
        "part": {"part": {"type": "static_select", "selected_option": {"value": "morning"}}},
        "note": {"note": {"type": "plain_text_input", "value": "hi"}},
        "odd": "not a dict",
    }}
    assert read_view_inputs(state) == {"start": "2026-11-27", "end": "", "part": "morning", "note": "hi"}
    assert read_view_inputs("nonsense") == {}


def test_a_retry_view_keeps_the_inputs_and_adds_one_notice() -> None:
    form = FormBlock(title="T", submit_label="Send", submit_action_id="s",
                     inputs=(Input(name="d", label="D", kind="date"),))
    view = render_form_view(form, {"value": "x"})
    retry = render_retry_view(render_retry_view(view, "first <problem>"), "second problem")
    check_view(retry)
    notices = [b for b in retry["blocks"] if b.get("block_id") == "staffroom_notice"]
    assert len(notices) == 1 and "second problem" in notices[0]["text"]["text"]
    assert retry["callback_id"] == "s" and retry["private_metadata"] == view["private_metadata"]


def test_result_and_home_views_are_strict(school: School) -> None:
    check_view(render_result_view(EVERYTHING))
    home = render_home(Reply(text="t", blocks=tuple(TextBlock(text=f"r{n}") for n in range(150))))
    check_view(home)
    assert len(home["blocks"]) == 100


def test_mentions_are_stripped_from_a_question() -> None:
    assert strip_mentions("<@U0BOT> who do I contact about IT?") == "who do I contact about IT?"
    assert strip_mentions("<@U0BOT|staffroom>  hi") == "hi"


def test_a_card_is_one_row_of_buttons_a_list_is_several() -> None:
    def payload(rows: int) -> dict[str, object]:
        blocks = [{"type": "actions", "elements": []} for _ in range(rows)]
        return {"type": "block_actions", "user": {"id": "U1"}, "team": {"id": "T1"},
                "actions": [{"action_id": "request.approve", "value": "1", "action_ts": "1.2"}],
                "container": {"channel_id": "D1", "message_ts": "1.0"}, "channel": {"id": "D1"},
                "message": {"ts": "1.0", "blocks": blocks}}

    one, several = parse_block_action(payload(1)), parse_block_action(payload(3))
    assert one is not None and one.on_card
    assert several is not None and not several.on_card
