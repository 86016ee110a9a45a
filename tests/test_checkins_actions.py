"""The check-in buttons through the assistant: who may press them, and each effect exactly once."""

from __future__ import annotations

from datetime import date, time

import pytest
from checkin_builders import approve_wfh, fortnight_school
from conftest import HEAD, OTHER_TEACHER, PHASE_LEADER, TEACHER, action, fetch_outbox
from sqlalchemy import func, select

from bot.assistant import Assistant
from bot.checkins.prompts import button_value
from bot.clock import FakeClock
from bot.messages import QuoteBlock
from bot.root import Root
from bot.school import School
from bot.settings import Settings
from bot.store.database import Database
from bot.store.outbox import read_notice
from bot.store.tables import CheckInRow
from intents.policy_library import PolicyLibrary

TUESDAY = date(2027, 4, 27)


@pytest.fixture
def fortnight() -> School:
    return fortnight_school()


@pytest.fixture
def clock(fortnight: School) -> FakeClock:
    return FakeClock(fortnight.calendar.at(TUESDAY, time(10, 5)))


@pytest.fixture
async def assistant(fortnight: School, database: Database, clock: FakeClock) -> Assistant:
    await approve_wfh(database, TEACHER, TUESDAY, TUESDAY, clock.now())
    return Root(Settings(), school=fortnight, clock=clock).assistant(database)


async def press(assistant: Assistant, email: str, action_id: str, staff: str = TEACHER, day: date = TUESDAY) -> str:
    [reply] = await assistant.handle(action(email, action_id, button_value(staff, day)))
    return reply.text


async def check_ins(database: Database) -> int:
    async with database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(CheckInRow)) or 0)


async def test_checked_in_is_recorded_once_by_the_line_manager(assistant: Assistant, database: Database) -> None:
    assert await press(assistant, PHASE_LEADER, "checkin.done") == "Recorded: you checked in with Sam Carter (Tue 27 Apr)."
    assert "already recorded at 10:05 today" in await press(assistant, PHASE_LEADER, "checkin.done")
    assert await check_ins(database) == 1


@pytest.mark.parametrize("who", [HEAD, OTHER_TEACHER, TEACHER])
async def test_only_the_line_manager_may_record_a_check_in(assistant: Assistant, database: Database, who: str) -> None:
    assert "Only a colleague's line manager" in await press(assistant, who, "checkin.done")
    assert await check_ins(database) == 0


async def test_no_check_in_for_a_day_they_do_not_work_from_home_or_a_future_day(
    assistant: Assistant, database: Database
) -> None:
    assert "hasn't come yet" in await press(assistant, PHASE_LEADER, "checkin.done", day=date(2027, 4, 28))
    assert "isn't working from home on Mon 26 Apr" in await press(assistant, PHASE_LEADER, "checkin.done",
                                                                   day=date(2027, 4, 26))
    assert await check_ins(database) == 0


async def test_a_tampered_button_value_changes_nothing(assistant: Assistant, database: Database) -> None:
    [reply] = await assistant.handle(action(PHASE_LEADER, "checkin.done", '{"staff": 5}'))
    assert "Nothing was changed" in reply.text
    assert await check_ins(database) == 0 and await fetch_outbox(database) == []


async def test_remind_me_later_comes_back_this_afternoon_once(
    assistant: Assistant, database: Database, fortnight: School
) -> None:
    assert await press(assistant, PHASE_LEADER, "checkin.later") == "I'll remind you about Sam Carter at 14:00 today."
    assert "already be reminded" in await press(assistant, PHASE_LEADER, "checkin.later")
    [row] = await fetch_outbox(database)
    assert row.recipient_email == PHASE_LEADER and row.deliver_after == fortnight.calendar.at(TUESDAY, time(14, 0))
    assert "Reminder" in read_notice(row).reply.text


async def test_remind_me_later_in_the_afternoon_comes_back_next_working_morning(
    assistant: Assistant, database: Database, fortnight: School, clock: FakeClock
) -> None:
    clock.set(fortnight.calendar.at(TUESDAY, time(15, 0)))
    assert await press(assistant, PHASE_LEADER, "checkin.later") == (
        "I'll remind you about Sam Carter on Wed 28 Apr at 08:00.")
    [row] = await fetch_outbox(database)
    assert row.deliver_after == fortnight.calendar.at(date(2027, 4, 28), time(8, 0))


async def test_wellbeing_resources_quote_policy_section_6_verbatim_once(
    assistant: Assistant, database: Database, library: PolicyLibrary
) -> None:
    sent = await press(assistant, PHASE_LEADER, "checkin.resources")
    assert "already been sent" in await press(assistant, PHASE_LEADER, "checkin.resources")
    [row] = await fetch_outbox(database)
    notice = read_notice(row)
    assert notice.recipient_email == TEACHER
    [quote] = [b for b in notice.reply.blocks if isinstance(b, QuoteBlock)]
    assert sent == f"I've sent Sam Carter the wellbeing support from {quote.citation}."
    section = [p for p in library.passages if p.citation.document == "Working from Home Policy"
               and p.citation.section == "6"]
    assert len(section) == 4 and all(p.body in quote.text and all(lead in quote.text for lead in p.lead)
                                     for p in section)
    assert quote.citation == "Working from Home Policy · 6 Wellbeing support"


async def test_morning_answers_only_from_the_staff_member_and_a_chat_tells_the_line_manager_once(
    assistant: Assistant, database: Database
) -> None:
    assert "for someone else" in await press(assistant, PHASE_LEADER, "checkin.chat")
    assert await press(assistant, TEACHER, "checkin.ok") == "Glad to hear it. Have a good day!"
    assert await fetch_outbox(database) == []
    assert await press(assistant, TEACHER, "checkin.chat") == "I've let Priya Shah know you'd like a chat."
    assert "already knows" in await press(assistant, TEACHER, "checkin.chat")
    [row] = await fetch_outbox(database)
    assert row.recipient_email == PHASE_LEADER and "Sam Carter" in read_notice(row).reply.text
    assert await check_ins(database) == 0  # nothing more is recorded
