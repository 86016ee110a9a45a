"""A person's own list counts every request, shows the soonest open ones first, and says when there are more."""

from __future__ import annotations

from datetime import date, timedelta

from bot.assistant import Assistant
from bot.clock import FakeClock
from bot.messages import ButtonsBlock, FieldsBlock, Message, TextBlock
from bot.requests.conversation import RequestConversation
from bot.requests.listing import OWN_SHOWN
from bot.root import Root
from bot.school import School
from bot.settings import Settings
from tests.conftest import TEACHER, action, person, wfh_inputs

COUNT = 14


def school_days(school: School, first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if school.calendar.is_school_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def fourteen_pending(conversation: RequestConversation, clock: FakeClock, school: School) -> list[date]:
    """14 pending requests, sent furthest first, so the newest are the latest days."""
    today = school.calendar.local_date(clock.now())
    days = school_days(school, today + timedelta(days=1), COUNT)
    for day in reversed(days):
        [reply] = await conversation.handle_action(
            action(TEACHER, "request.submit", "wfh", **wfh_inputs(start=day.isoformat())), clock.now())
        assert "sent" in reply.text
    return days


def assistant_for(conversation: RequestConversation, clock: FakeClock) -> Assistant:
    return Root(Settings(), school=conversation.school, clock=clock).assistant(conversation.workflow.database)


async def test_show_my_requests_counts_all_and_lists_the_soonest_with_cancel(
    conversation: RequestConversation, clock: FakeClock, school: School
) -> None:
    days = await fourteen_pending(conversation, clock, school)
    assistant = assistant_for(conversation, clock)
    [reply] = await assistant.handle(Message(person=person(TEACHER), text="show my requests"))
    assert reply.text.startswith(f"You have {COUNT} request(s), {COUNT} open;")
    facts = [b for b in reply.blocks if isinstance(b, FieldsBlock)]
    assert len(facts) == OWN_SHOWN
    listed = [next(f.value for f in block.fields if f.label == "When") for block in facts]
    assert listed == [f"{day:%a %-d %b %Y}" for day in days[:OWN_SHOWN]]  # soonest first
    cancels = [b for b in reply.blocks if isinstance(b, ButtonsBlock)]
    assert len(cancels) == OWN_SHOWN
    note = [b.text for b in reply.blocks if isinstance(b, TextBlock) and b.text.startswith("Showing")]
    assert note == [f"Showing {OWN_SHOWN} of your {COUNT} requests: open ones soonest first. To find another, "
                    f"say \"cancel\" and its date, for example \"cancel {days[OWN_SHOWN]:%-d/%-m}\"."]


async def test_cancel_with_a_date_finds_a_request_beyond_the_first_ten(
    conversation: RequestConversation, clock: FakeClock, school: School
) -> None:
    days = await fourteen_pending(conversation, clock, school)
    last = days[-1]
    assistant = assistant_for(conversation, clock)
    [reply] = await assistant.handle(Message(person=person(TEACHER), text=f"cancel {last:%-d/%-m}"))
    facts = [b for b in reply.blocks if isinstance(b, FieldsBlock)]
    assert [next(f.value for f in block.fields if f.label == "When") for block in facts] == [f"{last:%a %-d %b %Y}"]
    [buttons] = [b for b in reply.blocks if isinstance(b, ButtonsBlock)]
    [cancel] = buttons.buttons
    [done] = await assistant.handle(action(TEACHER, cancel.action_id, cancel.value))
    assert "cancel" in done.text.lower()
