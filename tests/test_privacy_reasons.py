"""A request's reason and note reach only the requester and its approval chain (and their delegates)."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from conftest import HEAD, IT_TECHNICIAN, PHASE_LEADER, TEACHER, action, fetch_outbox, wfh_inputs

from bot.checkins.scheduler import Job, plan_job
from bot.clock import FakeClock
from bot.requests.commands import list_requests
from bot.requests.conversation import RequestConversation
from bot.requests.workflow import RequestWorkflow
from bot.school import School, parse_school
from bot.store.database import Database, open_database
from intents.policy_library import PolicyLibrary
from tests.fakes_teams.harness import TeamsHarness, running_teams

LOAN_WHY = "Carer at home Pangolindo"
WFH_NOTE = "Hospital visit Capybaran"


async def loan_approved_and_accepted(conversation: RequestConversation, now: datetime) -> None:
    inputs = {"item": "laptop", "why": LOAN_WHY}
    await conversation.handle_action(action(TEACHER, "request.submit", "equipment_loan", **inputs), now)
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), now)
    await conversation.handle_action(action(HEAD, "request.approve", 1), now)
    await conversation.handle_action(action(TEACHER, "loan.accept", 1), now)


async def test_the_it_technician_is_told_what_to_issue_but_not_why(
    conversation: RequestConversation, database: Database, clock: FakeClock
) -> None:
    await loan_approved_and_accepted(conversation, clock.now())
    rows = await fetch_outbox(database)
    told = [row.reply for row in rows if row.recipient_email == IT_TECHNICIAN]
    assert told and all(LOAN_WHY not in reply for reply in told)
    assert "Laptop" in told[0] or "laptop" in told[0]
    chain = [row.reply for row in rows if row.recipient_email in (PHASE_LEADER, HEAD, TEACHER)]
    assert any(LOAN_WHY in reply for reply in chain), "the chain and the requester still see it"


async def test_a_post_that_is_also_in_the_chain_sees_the_reason(
    school: School, database: Database, library: PolicyLibrary, clock: FakeClock, tmp_path: Path
) -> None:
    text = school.file.read_text("utf-8").replace(
        "chain: [line_manager, headteacher]      # WFH policy 8.1", "chain: [line_manager, it_technician]  #")
    changed = parse_school(tmp_path / "school.yaml", text)
    conversation = RequestConversation(RequestWorkflow(changed, database, library))
    now = clock.now()
    await conversation.handle_action(
        action(TEACHER, "request.submit", "equipment_loan", item="laptop", why=LOAN_WHY), now)
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), now)
    await conversation.handle_action(action(IT_TECHNICIAN, "request.approve", 1), now)
    await conversation.handle_action(action(TEACHER, "loan.accept", 1), now)
    told = [row.reply for row in await fetch_outbox(database) if row.recipient_email == IT_TECHNICIAN]
    assert told[-1].count(LOAN_WHY) == 1 and "please issue" in told[-1]


async def test_check_in_prompts_and_weekly_notes_carry_no_reasons(
    conversation: RequestConversation, database: Database, school: School, clock: FakeClock
) -> None:
    now = clock.now()
    day = school.calendar.local_date(now)
    await conversation.handle_action(
        action(TEACHER, "request.submit", "wfh", **wfh_inputs(start=day.isoformat(), note=WFH_NOTE)), now)
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", 1), now)
    await conversation.handle_action(action(HEAD, "request.approve", 1), now)
    async with database.reading() as session:
        planned = [*await plan_job(session, school, Job.PROMPTS, day), *await plan_job(session, school, Job.WEEKLY, day)]
    assert planned, "Sam Carter works from home today: his line manager is prompted"
    texts = json.dumps([p.notice.reply.model_dump(mode="json") for p in planned])
    assert "Sam Carter" in texts
    assert WFH_NOTE not in texts and "specific" not in texts.lower()


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with running_teams(school, database, clock) as harness:
        yield harness


async def test_my_requests_in_a_teams_channel_leave_out_reasons_and_notes(
    teams: TeamsHarness, conversation: RequestConversation, clock: FakeClock
) -> None:
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs(note=WFH_NOTE)),
                                     clock.now())
    [private] = await teams.say(TEACHER, "what's happening with my request?")
    assert WFH_NOTE in json.dumps(private.activity)  # their own chat: they see their note
    [in_channel] = await teams.say(TEACHER, "what's happening with my request?", channel=True)
    assert in_channel.conversation_id.startswith("19:")
    shown = json.dumps(in_channel.activity)
    assert "#1" in shown
    assert WFH_NOTE not in shown and "Specific" not in shown
    [approver] = await teams.say(PHASE_LEADER, "what's happening with my request?", channel=True)
    assert "#1" in json.dumps(approver.activity) and WFH_NOTE not in json.dumps(approver.activity)


def test_requests_list_shows_reasons_only_when_asked(
    school: School, library: PolicyLibrary, clock: FakeClock, tmp_path: Path
) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path / 'office.sqlite3'}"

    async def fill() -> None:
        database = await open_database(url)
        conversation = RequestConversation(RequestWorkflow(school, database, library))
        await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs(note=WFH_NOTE)),
                                         clock.now())
        await database.close()

    asyncio.run(fill())
    plain = io.StringIO()
    assert list_requests(url=url, schools=[school], out=plain) == 0
    assert "Sam Carter" in plain.getvalue() and WFH_NOTE not in plain.getvalue()
    assert "specific_task" not in plain.getvalue()
    shown = io.StringIO()
    assert list_requests(url=url, schools=[school], show_reasons=True, out=shown) == 0
    header, _rule, row = shown.getvalue().splitlines()
    assert header.split()[-2:] == ["Reason", "Note"]
    assert row.endswith(f"specific_task  {WFH_NOTE}")
