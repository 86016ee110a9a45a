"""A fake Bot Framework Connector: a real aiohttp server on a random loopback port.

Use its `service_url` as the activities' `serviceUrl`: the bot's replies, updates and
member lookups come here and are recorded. `fail(status, retry_after=…, times=…)` makes
the next sends fail (429, 5xx, 403) to test delivery outcomes; `lookup_failure` makes member
lookups fail (an HTTP status) or never answer ("hang").
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Sent:
    """One activity the bot sent (`kind` "send", "reply" or "update")."""

    kind: str
    conversation_id: str
    activity_id: str
    activity: dict[str, Any]

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return dict(attachment["content"])
        return None

    @property
    def text(self) -> str:
        """Every piece of text in the message: its text and its card's text runs."""
        parts = [self.activity.get("text") or ""]
        parts.extend(card_texts(self.card or {}))
        return "\n".join(p for p in parts if p)


def card_texts(node: Any) -> list[str]:
    """All `text` and `title` strings in a card, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "title") and isinstance(value, str):
                found.append(value)
            else:
                found.extend(card_texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(card_texts(item))
    return found


@dataclass
class FakeConnector:
    """`async with FakeConnector() as connector:`."""

    #: Member lookups by channel user id: {"email": …, "name": …, "aadObjectId": …}.
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    lookups: int = 0
    #: How member lookups fail: None answers them; an HTTP status (500, 403…) or "hang" (never answers).
    lookup_failure: int | str | None = None
    _failures: list[tuple[int, float | None]] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    _port: int = 0

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/"

    def fail(self, status: int, retry_after: float | None = None, times: int = 1) -> None:
        self._failures.extend([(status, retry_after)] * times)

    def sent_to(self, conversation_id: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation_id == conversation_id]

    async def __aenter__(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self._send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self._reply)
        app.router.add_put("/v3/conversations/{cid}/activities/{aid}", self._update)
        app.router.add_get("/v3/conversations/{cid}/members/{uid}", self._member)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()
        assert self._runner is not None
        await self._runner.cleanup()

    def _failure(self) -> web.Response | None:
        if not self._failures:
            return None
        status, retry_after = self._failures.pop(0)
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return web.json_response({"error": {"code": "Failure", "message": "fake"}}, status=status, headers=headers)

    async def _record(self, request: web.Request, kind: str, activity_id: str | None) -> web.Response:
        failure = self._failure()
        if failure is not None:
            return failure
        body = await request.json()
        new_id = activity_id if kind == "update" and activity_id else f"activity-{next(self._ids)}"
        self.sent.append(Sent(kind, request.match_info["cid"], new_id, body))
        return web.json_response({"id": new_id})

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record(request, "send", None)

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record(request, "reply", request.match_info["aid"])

    async def _update(self, request: web.Request) -> web.Response:
        return await self._record(request, "update", request.match_info["aid"])

    async def _member(self, request: web.Request) -> web.Response:
        self.lookups += 1
        if self.lookup_failure == "hang":
            await self._closing.wait()  # the Connector doesn't answer until it closes; the caller's timeout ends it
        if isinstance(self.lookup_failure, int):
            return web.json_response({"error": {"code": "Failure", "message": "fake"}}, status=self.lookup_failure)
        member = self.members.get(request.match_info["uid"])
        if member is None:
            return web.json_response({"error": {"code": "NotFound", "message": "no such member"}}, status=404)
        return web.json_response({"id": request.match_info["uid"], "userPrincipalName": member["email"], **member})
