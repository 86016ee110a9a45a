"""👍/👎 under answers in Slack, Teams and the terminal, and the question log that keeps no one's identity."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from conftest import OTHER_TEACHER, TEACHER
from fakes.slack_harness import SlackHarness, running_slack
from fakes.slack_payloads import block_action, dm_event, mention_event, text_input, view_submission
from sqlalchemy import select

from bot.chat import TerminalChat
from bot.clock import FakeClock
from bot.messages import Action, Message, Person
from bot.questions.carried import PREFIX, CarriedQuestion, seal
from bot.questions.desk import (
    ALREADY,
    ANSWER_BAD,
    ANSWER_GOOD,
    FEEDBACK_WINDOW_DAYS,
    LOOKING_FOR,
    TOO_OLD,
    QuestionDesk,
)
from bot.questions.redact import redact
from bot.school import School
from bot.store.database import Database
from bot.store.tables import AppKeyRow, ProcessedEventRow, QuestionLogRow
from tests.fakes_teams.harness import TeamsHarness, find_action, running_teams

TEACHER_ID, OTHER_ID = "U0TEACH", "U0OTHER"
PROFILES = {
    TEACHER_ID: {"email": TEACHER, "real_name": "Sam Carter"},
    OTHER_ID: {"email": OTHER_TEACHER, "real_name": "Amira Hussain"},
}
#: A question no policy answers, holding a phone number and an email address of its own.
QUESTION = "can I bring my dog to school? ring me on 07700 900123 or sam.home@gmail.com"
LOGGED = "can I bring my dog to school? ring me on [phone] or [email]"
LOOKING = "the rules on pets, my number is +44 (0)20 7946 0018"


async def log_rows(database: Database) -> list[QuestionLogRow]:
    async with database.reading() as session:
        return list(await session.scalars(select(QuestionLogRow).order_by(QuestionLogRow.id)))


def row_text(row: QuestionLogRow) -> str:
    """Every column of a logged question, as one string to search for identity."""
    return json.dumps({column.name: str(getattr(row, column.name)) for column in QuestionLogRow.__table__.columns})


def assert_no_identity(haystack: str, *identity: str) -> None:
    for part in identity:
        assert part.lower() not in haystack.lower(), f"{part!r} found in {haystack[:300]}"


def find_button(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return dict(element)
    raise AssertionError(f"no {action_id} button")


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with running_slack(school, database, clock) as harness:
        yield harness


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


# --- Slack --------------------------------------------------------------------------------


async def test_slack_thumbs_down_logs_the_question_and_what_was_wanted_without_who_asked(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    answer = fake.called("chat.postMessage")[-1]
    assert "couldn't find this" in answer.body["text"]
    bad = find_button(answer.body["blocks"], ANSWER_BAD)
    find_button(answer.body["blocks"], ANSWER_GOOD)
    assert bad["value"] and TEACHER_ID not in bad["value"] and "@" not in bad["value"]

    await slack.post(block_action(TEACHER_ID, bad, message={"ts": "1700000000.1", "blocks": answer.body["blocks"]}))
    view = fake.called("views.open")[-1].body["view"]
    assert view["callback_id"] == LOOKING_FOR
    await slack.post(view_submission(TEACHER_ID, view, {"looking_for": {"looking_for": text_input(LOOKING)}}))
    shown = json.dumps(fake.called("views.update")[-1].body["view"])
    assert "policy lead will see" in shown

    [row] = await log_rows(database)
    assert row.text == LOGGED and not row.answered and row.feedback == "bad"
    assert row.comment == "the rules on pets, my number is [phone]"
    assert row.closest and all(" · " in citation for citation in row.closest)
    assert_no_identity(row_text(row), TEACHER_ID, TEACHER, "Sam Carter", "Carter", "D0TEACH", "07700", "gmail")
    # Nor does the record of handled Slack events say who pressed 👎.
    async with database.reading() as session:
        handled = list(await session.scalars(select(ProcessedEventRow.event_id)))
    assert any(ANSWER_BAD in key for key in handled)
    assert_no_identity(json.dumps(handled), TEACHER_ID)
    # Nothing the assistant logged holds the question or the person next to it.
    for record in caplog.records:
        message = record.getMessage()
        assert "dog" not in message and "pets" not in message, message
        assert_no_identity(message, "07700", "gmail", "7946")


async def test_slack_a_second_thumbs_down_and_one_on_someone_elses_answer_change_nothing(
    slack: SlackHarness, database: Database
) -> None:
    fake = slack.fake
    await slack.post(mention_event(TEACHER_ID, "<@U0BOT> is there a dress code for the staff party?"))
    answer = fake.called("chat.postMessage")[-1]
    bad = find_button(answer.body["blocks"], ANSWER_BAD)
    message = {"ts": "1700000000.2", "thread_ts": "1700000000.2", "blocks": answer.body["blocks"]}
    await slack.post(block_action(TEACHER_ID, bad, channel="C0STAFF", message=message))
    [before] = [row_text(row) for row in await log_rows(database)]
    opened = len(fake.called("views.open"))

    # The same answer, 👎 again by the asker and by a colleague reading the thread, then 👍.
    for user, button in ((TEACHER_ID, bad), (OTHER_ID, bad), (OTHER_ID, find_button(answer.body["blocks"], ANSWER_GOOD))):
        await slack.post(block_action(user, button, channel="C0STAFF", message=message))
        told = fake.called("chat.postEphemeral")[-1]
        assert told.body["user"] == user and ALREADY in told.body["text"]
    assert [row_text(row) for row in await log_rows(database)] == [before]
    assert len(fake.called("views.open")) == opened  # no second "what were you looking for?"


async def test_slack_escapes_the_feedback_buttons_and_a_forged_token_changes_nothing(
    slack: SlackHarness, database: Database
) -> None:
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, "who do I contact about IT? <!channel>"))
    answer = fake.called("chat.postMessage")[-1]
    assert "<!channel>" not in answer.body["text"]
    forged = {"action_id": ANSWER_BAD, "value": "not-a-token", "type": "button"}
    await slack.post(block_action(TEACHER_ID, forged))
    assert TOO_OLD in fake.called("chat.postMessage")[-1].body["text"]
    assert await log_rows(database) == []  # an answered question is written nowhere until its 👎; nor a forgery


def tampered(value: str) -> list[str]:
    """A carried value edited every way a forger could: the words, the day, the signature, cut short."""
    signature, payload = value[len(PREFIX):].split(".", 1)
    token, day, text, closest = json.loads(payload)
    changed = [json.dumps([token, day, text + " and my salary", closest], separators=(",", ":")),
               json.dumps([token, "2099-01-01", text, closest], separators=(",", ":")),
               json.dumps([token, day, text, ["Made-up Policy · 1"]], separators=(",", ":"))]
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [*(f"{PREFIX}{signature}.{edit}" for edit in changed), f"{PREFIX}{flipped}.{payload}",
            value[:-5], PREFIX + payload]


async def test_slack_an_answer_is_logged_only_by_its_thumbs_down_from_the_signed_button(
    slack: SlackHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    fake = slack.fake
    await slack.post(dm_event(TEACHER_ID, "who do I contact about IT? ring me on 07700 900123, Sam Carter"))
    answer = fake.called("chat.postMessage")[-1]
    assert "couldn't find this" not in answer.body["text"]
    bad, good = find_button(answer.body["blocks"], ANSWER_BAD), find_button(answer.body["blocks"], ANSWER_GOOD)
    assert bad["value"] == good["value"] and bad["value"].startswith(PREFIX) and len(bad["value"]) <= 2000
    assert_no_identity(bad["value"], TEACHER_ID, TEACHER, "Sam Carter", "07700")
    assert await log_rows(database) == []  # answered: nothing written

    message = {"ts": "1700000000.3", "blocks": answer.body["blocks"]}
    for forged in tampered(bad["value"]):
        await slack.post(block_action(TEACHER_ID, {**bad, "value": forged}, message=message))
        assert TOO_OLD in fake.called("chat.postMessage")[-1].body["text"]
    assert await log_rows(database) == [] and fake.called("views.open") == []

    await slack.post(block_action(TEACHER_ID, bad, message=message))
    view = fake.called("views.open")[-1].body["view"]
    assert view["callback_id"] == LOOKING_FOR and bad["value"] not in json.dumps(view)  # the form names the token
    await slack.post(view_submission(TEACHER_ID, view, {"looking_for": {"looking_for": text_input(LOOKING)}}))
    await slack.post(block_action(OTHER_ID, bad, message=message))
    await slack.post(block_action(TEACHER_ID, good, message=message))
    assert all(ALREADY in call.body["text"] for call in fake.called("chat.postEphemeral")[-2:])
    [row] = await log_rows(database)
    assert row.answered and row.feedback == "bad" and row.comment == "the rules on pets, my number is [phone]"
    assert row.text == "who do I contact about IT? ring me on [phone], [name]"
    assert row.closest and all(" · " in citation for citation in row.closest)
    assert_no_identity(row_text(row), TEACHER_ID, TEACHER, "Sam Carter", "07700")
    for record in caplog.records:
        assert "contact about IT" not in record.getMessage()


async def test_thumbs_up_keeps_only_its_mark_and_a_later_thumbs_down_is_already_noted(
    slack: SlackHarness, database: Database
) -> None:
    out = io.StringIO()
    chat = TerminalChat(slack.runtime.assistant, database, lambda prompt: None, out, TEACHER)
    await chat.take("who do I contact about IT?")
    assert await log_rows(database) == []
    await chat.take("/good")
    await chat.take("/bad")
    assert "glad that helped" in out.getvalue() and ALREADY in out.getvalue()
    [row] = await log_rows(database)
    assert row.answered and row.feedback == "good" and row.text == "" and row.closest == []


async def test_an_answers_buttons_count_for_the_feedback_window_only(
    school: School, database: Database, clock: FakeClock, slack: SlackHarness
) -> None:
    assistant = slack.runtime.assistant
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    [reply] = await assistant.handle(Message(person=person, text="who do I contact about IT?"))
    [early] = await assistant.handle(Message(person=person, text="how do I borrow a laptop?"))
    value, other = (next(b.value for block in r.blocks if block.type == "buttons" for b in block.buttons
                         if b.action_id == ANSWER_BAD) for r in (reply, early))
    clock.advance(timedelta(days=FEEDBACK_WINDOW_DAYS + 1))
    [late] = await assistant.handle(Action(person=person, action_id=ANSWER_BAD, value=value))
    assert late.text == TOO_OLD and await log_rows(database) == []
    clock.advance(timedelta(days=-1))
    [kept] = await assistant.handle(Action(person=person, action_id=ANSWER_BAD, value=other))
    assert kept.text != TOO_OLD and len(await log_rows(database)) == 1


async def test_a_value_from_another_school_or_key_is_refused(school: School, database: Database,
                                                             slack: SlackHarness) -> None:
    desk = slack.runtime.assistant.questions
    assert desk is not None
    question = CarriedQuestion("t" * 22, slack.runtime.assistant.today(), "who do I contact about IT?", ("A · 1",))
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    for value in (seal(await desk.feedback_key(), "another-school", question), seal(b"k" * 32, school.id, question)):
        [reply] = await desk.act(Action(person=person, action_id=ANSWER_BAD, value=value), slack.runtime.assistant)
        assert reply.text == TOO_OLD
    [reply] = await desk.act(Action(person=person, action_id=ANSWER_BAD,
                                    value=seal(await desk.feedback_key(), school.id, question)), slack.runtime.assistant)
    assert reply.text != TOO_OLD
    assert [row.text for row in await log_rows(database)] == ["who do I contact about IT?"]


async def test_every_instance_on_one_database_signs_with_the_same_key(school: School, database: Database) -> None:
    first, second = QuestionDesk(school, database), QuestionDesk(school, database)
    keys = await asyncio.gather(first.feedback_key(), second.feedback_key(), QuestionDesk(school, database).feedback_key())
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    async with database.reading() as session:
        assert list(await session.scalars(select(AppKeyRow.name))) == ["question_feedback"]


# --- Teams ---------------------------------------------------------------------------------


async def test_teams_thumbs_down_keeps_the_answer_asks_what_was_wanted_and_logs_no_identity(
    teams: TeamsHarness, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    [answer] = await teams.say(TEACHER, QUESTION)
    assert answer.card is not None
    bad = find_action(answer.card, ANSWER_BAD)
    sent = len(teams.connector.sent)
    status, body = await teams.press(TEACHER, bad, answer.activity_id)
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"  # the answer card stays
    [form] = teams.connector.sent[sent:]
    assert form.card is not None
    status, body = await teams.press(TEACHER, find_action(form.card, LOOKING_FOR), form.activity_id,
                                     looking_for=LOOKING)
    assert status == 200 and "policy lead will see" in json.dumps(body, ensure_ascii=False)

    # Pressing 👎 again changes nothing and sends no second form.
    status, body = await teams.press(TEACHER, bad, answer.activity_id)
    assert ALREADY in json.dumps(body, ensure_ascii=False)
    assert len(teams.connector.sent) == sent + 1

    [row] = await log_rows(database)
    assert row.text == LOGGED and row.feedback == "bad" and row.comment == "the rules on pets, my number is [phone]"
    user = teams.user(TEACHER)
    assert_no_identity(row_text(row), user.aad_object_id, user.channel_id, TEACHER, "Sam Carter", "Carter",
                       user.personal_conversation)
    for record in caplog.records:
        message = record.getMessage()
        assert "dog" not in message and "pets" not in message, message


async def test_teams_thumbs_up_keeps_the_card_and_says_thanks(teams: TeamsHarness, database: Database) -> None:
    [answer] = await teams.say(TEACHER, "who do I contact about IT?")
    assert answer.card is not None
    status, body = await teams.press(TEACHER, find_action(answer.card, ANSWER_GOOD), answer.activity_id)
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    assert "glad" in body["value"]
    [row] = await log_rows(database)
    assert row.answered and row.feedback == "good"


async def test_teams_a_long_answered_question_is_carried_shortened_and_logged_on_thumbs_down(
    teams: TeamsHarness, database: Database
) -> None:
    question = "who do I contact about IT? " + "ça ne marche pas 😀, ring 07700 900123 " * 90
    [answer] = await teams.say(TEACHER, question)
    assert answer.card is not None and "couldn't find this" not in json.dumps(answer.card, ensure_ascii=False)
    bad = find_action(answer.card, ANSWER_BAD)
    assert len(bad["data"]["staffroom"]["value"]) <= 2000
    assert await log_rows(database) == []
    status, _ = await teams.press(TEACHER, bad, answer.activity_id)
    assert status == 200
    [row] = await log_rows(database)
    assert row.answered and row.feedback == "bad"
    logged = redact(question)
    assert 100 < len(row.text) < len(logged) and logged.startswith(row.text) and "07700" not in row.text


# --- terminal and the core -------------------------------------------------------------------


async def test_terminal_bad_asks_on_a_prompt_line_and_good_before_any_answer_explains(
    slack: SlackHarness, database: Database
) -> None:
    lines = iter(["the rules on pets"])
    out = io.StringIO()
    chat = TerminalChat(slack.runtime.assistant, database, lambda prompt: next(lines, None), out, TEACHER)
    assert await chat.take("/good")
    assert "Ask me something first" in out.getvalue()
    await chat.take("can I bring my dog to school?")
    assert "[2] 👎 Not helpful" in out.getvalue()
    await chat.take("/bad")
    await chat.take("/bad")
    assert ALREADY in out.getvalue().split("policy lead will see")[-1]
    [row] = await log_rows(database)
    assert row.feedback == "bad" and row.comment == "the rules on pets"


async def test_terminal_bad_says_optional_once(slack: SlackHarness, database: Database) -> None:
    """The prompt line marks the field optional itself: its label saying so too read "(optional) (optional)"."""
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "the rules on pets"

    chat = TerminalChat(slack.runtime.assistant, database, answer, io.StringIO(), TEACHER)
    await chat.take("can I bring my dog to school?")
    await chat.take("/bad")
    assert prompts == ["  In a few words (optional): "]


async def test_safeguarding_help_and_requests_are_never_logged(slack: SlackHarness, database: Database) -> None:
    assistant = slack.runtime.assistant
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    for text in ("I'm worried about a child in my class who has bruises", "help", "can I work from home on Friday?"):
        [reply] = await assistant.handle(Message(person=person, text=text))
        assert ANSWER_BAD not in reply.model_dump_json()
    assert await log_rows(database) == []


async def test_an_empty_token_is_too_old_not_an_error(school: School, database: Database, slack: SlackHarness) -> None:
    desk = QuestionDesk(school, database)
    person = Person(platform="terminal", user_id=TEACHER, email=TEACHER)
    [reply] = await desk.act(Action(person=person, action_id=ANSWER_BAD, value=""), slack.runtime.assistant)
    assert reply.text == TOO_OLD and reply.ephemeral


@pytest.mark.parametrize(("text", "kept"), [
    ("call 07700 900123", "call [phone]"),
    ("call 07700900123", "call [phone]"),
    ("ring +44 7700 900123", "ring [phone]"),
    ("ring +44 (0)20 7946 0018", "ring [phone]"),
    ("ring (0161) 496 0000", "ring [phone]"),
    ("ring 0161-496-0000", "ring [phone]"),
    ("free on 0800 123 4567?", "free on [phone]?"),
    ("email j.bloggs+x@school.sch.uk now", "email [email] now"),
    ("<mailto:a@b.org|a@b.org> said", "[email] said"),
    ("<tel:+447700900123|07700 900123>", "[phone]"),
    ("wfh on 14/12/2026 or 2026-12-14 in room 101", "wfh on 14/12/2026 or 2026-12-14 in room 101"),
])
def test_emails_and_phone_numbers_are_taken_out_but_dates_stay(text: str, kept: str) -> None:
    assert redact(text) == kept


def test_staff_names_are_taken_out(school: School, database: Database) -> None:
    desk = QuestionDesk(school, database)
    assert desk.redact("can priya  shah approve Sam Carter's leave?") == "can [name] approve [name]'s leave?"
