"""At the default level (INFO) the logs hold ids and counts only: no message text, reasons, notes, names, emails.

Each test sends a question, a request with a note and a decline with a reason, all of
distinctive text, through the real Slack or Teams endpoint (fakes on loopback), delivers
the outbox, and then reads every log record at INFO and above from every logger.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from conftest import PHASE_LEADER, TEACHER, fetch_request
from fakes.slack_harness import MANAGER_ID, TEACHER_ID, SlackHarness, running_slack
from fakes.slack_payloads import block_action, dm_event, text_input, view_submission
from test_slack_journey import ask_and_submit, find_button, meet_approvers, message_of
from test_teams_http import deliver, install, invoke_card, submit_request

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database
from tests.fakes_teams.harness import TeamsHarness, find_action, running_teams

QUESTION = "can I work from home on Friday Quetzalbury"
NOTE = "Private appointment Tapirvale"
REASON = "Cover shortage Okapindle"


class Everything(logging.Handler):
    """Every record at INFO and above, from every logger, formatted as a log file would hold it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def log_lines(school: School) -> Iterator[list[str]]:
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # Loggers that do not pass records up to the root get the handler too.
    loose = [logger for logger in logging.Logger.manager.loggerDict.values()
             if isinstance(logger, logging.Logger) and not logger.propagate]
    for logger in loose:
        logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for logger in loose:
            logger.removeHandler(handler)


def personal_data(school: School) -> list[str]:
    people = [text for member in school.directory for text in (member.name, member.email)]
    return [QUESTION, "Quetzalbury", NOTE, "Tapirvale", REASON, "Okapindle", "@oakfield.example", *people]


def assert_clean(lines: list[str], school: School) -> None:
    assert lines, "the journey logged something (otherwise this test proves nothing)"
    text = "\n".join(lines)
    for secret in personal_data(school):
        assert secret not in text, f"{secret!r} written to the log"


@pytest.fixture
async def slack(school: School, database: Database, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with running_slack(school, database, clock) as harness:
        yield harness


async def test_slack_journey_logs_no_personal_data(
    slack: SlackHarness, database: Database, school: School, log_lines: list[str]
) -> None:
    fake = slack.fake
    await meet_approvers(slack)
    await slack.post(dm_event(TEACHER_ID, QUESTION))
    request_id = await ask_and_submit(slack, note=NOTE)
    await slack.post(dm_event(TEACHER_ID, QUESTION))  # and the retry of a delivered event
    await slack.deliver_outbox()
    card = next(call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0MGR")
    decline = find_button(card.body["blocks"], "request.decline")
    await slack.post(block_action(MANAGER_ID, decline, message={**message_of(card), "ts": card.response["ts"]}))
    modal = fake.called("views.open")[-1].body["view"]
    await slack.post(view_submission(MANAGER_ID, modal, {"reason": {"reason": text_input(REASON)}}))
    await slack.deliver_outbox()
    assert (await fetch_request(database, request_id)).state == "declined"
    told = [call for call in fake.called("chat.postMessage") if call.body["channel"] == "D0TEACH"]
    assert any(REASON in call.body["text"] for call in told)  # the text did go through
    assert_clean(log_lines, school)


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


async def test_teams_journey_logs_no_personal_data(
    teams: TeamsHarness, database: Database, school: School, log_lines: list[str]
) -> None:
    await install(teams, PHASE_LEADER, TEACHER)
    await teams.say(TEACHER, QUESTION)
    await teams.say(TEACHER, QUESTION, channel=True)
    request_id = await submit_request(teams, note=NOTE)
    await deliver(teams)
    # The approval card (the install hello is a card too).
    [card] = [s for s in teams.connector.sent_to(teams.user(PHASE_LEADER).personal_conversation)
              if s.card and "request.decline" in json.dumps(s.card)]
    assert card.card is not None
    _, body = await teams.press(PHASE_LEADER, find_action(card.card, "request.decline"), card.activity_id)
    form = invoke_card(body)
    await teams.press(PHASE_LEADER, find_action(form, "request.decline_reason"), card.activity_id, reason=REASON)
    await deliver(teams)
    assert (await fetch_request(database, request_id)).state == "declined"
    activity = teams.message(TEACHER, QUESTION)
    await teams.post(activity)
    await teams.post(activity)  # delivered again: logged as already handled
    assert_clean(log_lines, school)
