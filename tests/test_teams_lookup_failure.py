"""Teams: a policy question is answered even when Teams' member lookup fails; who asked is not needed for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from botbuilder.core.teams import TeamsInfo

from bot.clock import FakeClock
from bot.school import School
from bot.store.database import Database
from tests.conftest import TEACHER
from tests.fakes_teams.fake_connector import FakeConnector, card_texts
from tests.fakes_teams.harness import TeamsHarness, build_runtime, start_harness


@pytest.fixture
async def teams(school: School, database: Database, clock: FakeClock) -> AsyncIterator[TeamsHarness]:
    async with FakeConnector() as connector:
        harness = await start_harness(build_runtime(school, database, clock), connector)
        yield harness
        await harness.client.close()


QUESTION = "who do I contact about IT?"


def assert_answered(teams: TeamsHarness, card: dict[str, Any] | None) -> None:
    """The card quotes the policy passage the assistant gives anyone for the question, with its citation."""
    expected = teams.runtime.assistant.answer(QUESTION)
    assert expected.answered and expected.citations
    assert card is not None
    texts = " ".join(str(text) for text in card_texts(card))
    assert str(expected.citations[0]) in texts
    assert "Sorry" not in texts


async def test_a_question_is_answered_when_the_member_lookup_fails(teams: TeamsHarness) -> None:
    del teams.connector.members[teams.user(TEACHER).channel_id]  # Teams answers the lookup 404
    [answer] = await teams.say(TEACHER, QUESTION)
    assert teams.connector.lookups == 1
    assert_answered(teams, answer.card)


async def test_a_question_is_answered_when_the_lookup_answers_nonsense(teams: TeamsHarness) -> None:
    teams.connector.members[teams.user(TEACHER).channel_id] = {"email": 12345}  # type: ignore[dict-item]
    [answer] = await teams.say(TEACHER, QUESTION)
    assert teams.connector.lookups == 1
    assert_answered(teams, answer.card)


@pytest.mark.parametrize("failure", [
    aiohttp.ServerDisconnectedError(),           # the connection to Teams drops
    RuntimeError("token request failed"),         # the app's Entra token can't be had (MSAL's own errors)
    KeyError("members"),                         # botbuilder on an answer of another shape
])
async def test_a_question_is_answered_whatever_the_lookup_raises(
    teams: TeamsHarness, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    async def failing_lookup(*args: object, **kwargs: object) -> object:
        raise failure

    monkeypatch.setattr(TeamsInfo, "get_member", failing_lookup)
    [answer] = await teams.say(TEACHER, QUESTION)
    assert_answered(teams, answer.card)
