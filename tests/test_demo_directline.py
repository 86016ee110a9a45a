"""The demo's Direct Line stand-in over HTTP: tokens, watermarks, card presses, bad input, loopback only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.demo.server import DemoServer, start_demo
from bot.root import compose_app
from bot.school.loading import demo_school_folder
from tests.conftest import HEAD, MONDAY_MORNING, TEACHER
from tests.fakes_teams.harness import all_actions
from tests.fakes_teams.schemas import assert_valid_card
from tests.test_demo_browser import TickingClock


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[DemoServer]:
    server = await start_demo(demo_school_folder(), tmp_path, clock=TickingClock(MONDAY_MORNING))
    yield server
    await server.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def session_of(http: aiohttp.ClientSession, demo: DemoServer, email: str) -> dict[str, Any]:
    async with http.post(f"{demo.url}demo/session", json={"email": email}) as response:
        assert response.status == 200
        return dict(await response.json())


async def activities(http: aiohttp.ClientSession, demo: DemoServer, session: dict[str, Any],
                     watermark: str = "0") -> dict[str, Any]:
    url = f"{demo.url}v3/directline/conversations/{session['conversationId']}/activities?watermark={watermark}"
    async with http.get(url, headers={"Authorization": f"Bearer {session['token']}"}) as response:
        assert response.status == 200
        return dict(await response.json())


async def post(http: aiohttp.ClientSession, demo: DemoServer, session: dict[str, Any], activity: Any) -> int:
    url = f"{demo.url}v3/directline/conversations/{session['conversationId']}/activities"
    async with http.post(url, json=activity, headers={"Authorization": f"Bearer {session['token']}"}) as response:
        return response.status


async def test_the_demo_listens_on_loopback_and_serve_has_no_direct_line(demo: DemoServer) -> None:
    assert demo.url.startswith("http://127.0.0.1:")
    routes = {getattr(r.resource, "canonical", "") for r in compose_app(demo.runtime).router.routes()}
    assert "/api/messages" not in routes  # serve without MicrosoftAppId has no Teams at all (fails closed)
    assert not any(str(route).startswith("/v3/") for route in routes)


async def test_everyone_is_greeted_at_start_so_they_can_be_reached(demo: DemoServer, http: aiohttp.ClientSession) -> None:
    for email in (TEACHER, HEAD):
        body = await activities(http, demo, await session_of(http, demo, email))
        assert body["activities"][0]["summary"].startswith("Hello, I'm Staffroom")  # a card of suggested questions


async def test_watermarks_return_only_what_is_new(demo: DemoServer, http: aiohttp.ClientSession) -> None:
    session = await session_of(http, demo, TEACHER)
    first = await activities(http, demo, session)
    assert await post(http, demo, session, {"type": "message", "text": "help", "from": {"id": "someone-else"}}) == 200
    later = await activities(http, demo, session, first["watermark"])
    assert [a["from"]["id"] for a in later["activities"]] == [session["userId"], "staffroom-bot"]
    assert int(later["watermark"]) == int(first["watermark"]) + 2


async def test_a_pressed_card_is_updated_in_place(demo: DemoServer, http: aiohttp.ClientSession) -> None:
    session = await session_of(http, demo, TEACHER)
    await post(http, demo, session, {"type": "message", "text": "can I work from home on Friday?"})
    await post(http, demo, session, {"type": "message", "value": _data_of(await _last_card(http, demo, session))})
    form = await _last_card_activity(http, demo, session)
    card = form["attachments"][0]["content"]
    assert_valid_card(card)
    data = {**_data_of(card), "start": "2026-11-27", "repeat": "once", "part_of_day": "whole_day",
            "reason_category": "specific_task"}
    await post(http, demo, session, {"type": "message", "value": data})
    body = await activities(http, demo, session)
    versions = [a for a in body["activities"] if a.get("id") == form["id"]]
    assert len(versions) == 2, "the form was sent again with the same id: Web Chat replaces it"
    assert "Request #1 sent" in str(versions[-1])


@pytest.mark.parametrize("token", ["", "Bearer wrong"])
async def test_an_unknown_token_is_refused(demo: DemoServer, http: aiohttp.ClientSession, token: str) -> None:
    session = await session_of(http, demo, TEACHER)
    url = f"{demo.url}v3/directline/conversations/{session['conversationId']}/activities"
    async with http.get(url, headers={"Authorization": token}) as response:
        assert response.status == 403


async def test_one_persons_token_cannot_read_anothers_chat(demo: DemoServer, http: aiohttp.ClientSession) -> None:
    mine, theirs = await session_of(http, demo, TEACHER), await session_of(http, demo, HEAD)
    url = f"{demo.url}v3/directline/conversations/{theirs['conversationId']}/activities"
    async with http.get(url, headers={"Authorization": f"Bearer {mine['token']}"}) as response:
        assert response.status == 403


async def test_bad_input_is_refused_without_a_500(demo: DemoServer, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{demo.url}demo/session", json={"email": "nobody@elsewhere.example"}) as response:
        assert response.status == 400
    async with http.post(f"{demo.url}demo/session", data="not json") as response:
        assert response.status == 400
    session = await session_of(http, demo, TEACHER)
    url = f"{demo.url}v3/directline/conversations/{session['conversationId']}/activities"
    async with http.post(url, data="{", headers={"Authorization": f"Bearer {session['token']}",
                                                 "Content-Type": "application/json"}) as response:
        assert response.status == 400
    async with http.put(f"{demo.url}v3/conversations/{session['conversationId']}/activities/nope", json={}) as response:
        assert response.status == 404
    async with http.post(f"{demo.url}v3/conversations/unknown/activities", json={}) as response:
        assert response.status == 404
    before = await activities(http, demo, session)
    assert await post(http, demo, session, {"type": "message", "value": {"staffroom": "garbage"}}) == 200
    await asyncio.sleep(0)
    after = await activities(http, demo, session, before["watermark"])
    assert "couldn't read that card" in str(after["activities"])


async def test_the_page_escapes_the_web_chat_url(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    server = await start_demo(demo_school_folder(), tmp_path, webchat_url='https://x/"><script>alert(1)</script>')
    try:
        async with http.get(server.url) as response:
            page = await response.text()
        assert "<script>alert(1)</script>" not in page
        assert '<option value="s.carter@oakfield.example">' in page
    finally:
        await server.stop()


async def _last_card_activity(http: aiohttp.ClientSession, demo: DemoServer, session: dict[str, Any]) -> dict[str, Any]:
    body = await activities(http, demo, session)
    return next(a for a in reversed(body["activities"]) if a.get("attachments"))


async def _last_card(http: aiohttp.ClientSession, demo: DemoServer, session: dict[str, Any]) -> dict[str, Any]:
    return dict((await _last_card_activity(http, demo, session))["attachments"][0]["content"])


def _data_of(card: dict[str, Any]) -> dict[str, Any]:
    [action] = [a for a in all_actions(card["body"]) if a["type"] == "Action.Submit"][-1:]
    assert "demo_card" in action["data"], "the stand-in stamps each Submit with its card"
    return dict(action["data"])
