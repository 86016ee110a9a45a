"""Two clicks at the same moment on two connections: exactly one decision stands.

Each side reads the request, then waits at a barrier until the other has read it too, so
both really do decide on the same pending request before either writes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from conftest import DEPUTY, HEAD, PHASE_LEADER, TEACHER, action, fetch_audit, fetch_request, wfh_inputs
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Reply
from bot.requests.conversation import RequestConversation
from bot.requests.records import RequestRecord
from bot.requests.workflow import RequestWorkflow
from bot.school import School
from bot.store.database import Database, create_engine
from intents.policy_library import PolicyLibrary

#: Tuesday 8 December 2026: the deputy stands in for the headteacher (demo delegates).
DURING_DELEGATION = datetime(2026, 12, 8, 9, 14, tzinfo=UTC)
ROUNDS = 10


class ReadThenWait(RequestWorkflow):
    """A workflow whose first read of a request waits for the other side's first read."""

    def __init__(self, *args: object, barrier: asyncio.Barrier, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.barrier = barrier
        self.waited = False

    async def load(self, session: AsyncSession, request_id: int) -> RequestRecord | None:
        found = await super().load(session, request_id)
        if not self.waited:
            self.waited = True
            await asyncio.wait_for(self.barrier.wait(), timeout=10)
        return found


@pytest.fixture
async def second_database(database_url: str) -> AsyncIterator[Database]:
    """Another engine (its own connections) on the same database, as a second instance would."""
    database = Database(create_engine(database_url))
    yield database
    await database.close()


async def race(
    school: School,
    library: PolicyLibrary,
    databases: tuple[Database, Database],
    clicks: tuple[tuple[str, str, dict[str, str]], tuple[str, str, dict[str, str]]],
    request_id: int,
) -> list[Reply]:
    barrier = asyncio.Barrier(2)
    sides = [RequestConversation(ReadThenWait(school, database, library, barrier=barrier)) for database in databases]
    results = await asyncio.gather(
        *(
            side.handle_action(action(who, action_id, request_id, **inputs), DURING_DELEGATION)
            for side, (who, action_id, inputs) in zip(sides, clicks, strict=True)
        )
    )
    return [replies[0] for replies in results]


async def endorsed_request(conversation: RequestConversation, request_id: int) -> None:
    """Request `request_id` (the next one made), endorsed and waiting for the headteacher."""
    inputs = wfh_inputs(start="2026-12-10")
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **inputs), DURING_DELEGATION)
    await conversation.handle_action(action(PHASE_LEADER, "request.endorse", request_id), DURING_DELEGATION)


async def test_headteacher_and_delegate_approving_at_once_make_one_decision(
    school: School,
    library: PolicyLibrary,
    conversation: RequestConversation,
    database: Database,
    second_database: Database,
) -> None:
    for request_id in range(1, ROUNDS + 1):
        await endorsed_request(conversation, request_id)
        replies = await race(
            school,
            library,
            (database, second_database),
            ((HEAD, "request.approve", {}), (DEPUTY, "request.approve", {})),
            request_id,
        )
        winners = [r for r in replies if r.text.startswith("You approved")]
        losers = [r for r in replies if "was already approved by" in r.text]
        assert (len(winners), len(losers)) == (1, 1), [r.text for r in replies]
        record = await fetch_request(database, request_id)
        assert record.state == "approved"
        winner_email = HEAD if replies[0] in winners else DEPUTY
        assert record.decided_by == winner_email
        name = "Helen Okafor" if winner_email == HEAD else "David Reyes"
        assert losers[0].text == f"Request #{request_id} was already approved by {name} at 09:14."
        decisions = [a for a in await fetch_audit(database, request_id) if a.event == "approve"]
        assert len(decisions) == 1


async def test_approve_and_decline_at_once_leave_exactly_one_outcome(
    school: School,
    library: PolicyLibrary,
    conversation: RequestConversation,
    database: Database,
    second_database: Database,
) -> None:
    await endorsed_request(conversation, 1)
    replies = await race(
        school,
        library,
        (database, second_database),
        ((HEAD, "request.approve", {}), (DEPUTY, "request.decline_reason", {"reason": "Cover needed"})),
        1,
    )
    record = await fetch_request(database, 1)
    audit = [a.event for a in await fetch_audit(database, 1)]
    assert record.state in ("approved", "declined")
    assert audit.count("approve") + audit.count("decline") == 1
    assert sum(r.text.startswith("You ") for r in replies) == 1


async def test_double_click_from_two_instances_endorses_once(
    school: School,
    library: PolicyLibrary,
    conversation: RequestConversation,
    database: Database,
    second_database: Database,
) -> None:
    await conversation.handle_action(
        action(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-12-10")), DURING_DELEGATION
    )
    replies = await race(
        school,
        library,
        (database, second_database),
        ((PHASE_LEADER, "request.endorse", {}), (PHASE_LEADER, "request.endorse", {})),
        1,
    )
    assert sorted(r.text for r in replies)[0] == "Request #1 was already endorsed by Priya Shah at 09:14."
    assert (await fetch_request(database, 1)).step == 1
    assert [a.event for a in await fetch_audit(database, 1)] == ["submit", "endorse"]
