"""A fake Slack Web API: a real aiohttp server on a random loopback port.

Point a client at `fake.base_url` (`SLACK_API_URL`). Every call is recorded with its
method, parsed body (form or JSON; `blocks`, `view` and `metadata` decoded) and token.
Tell it to fail: `fail("chat.postMessage", status=429, retry_after=1)`, `status=500`,
or `error="user_not_found"` (200 with ok: false). Posted messages are kept per channel with their
metadata and answered by `conversations.history` (metadata only with `include_all_metadata`);
`delays` makes one method answer late, after the call has taken effect. Response URLs (slash commands) are
served at `/response/<id>` and recorded as method `response_url`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

JSON_FIELDS = ("blocks", "view", "metadata", "attachments", "users")


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    token: str | None
    at: float
    #: What the fake answered (its `ts` is where a posted message landed).
    response: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    retry_after: float | None = None
    times: int = 1


@dataclass
class FakeSlackApi:
    """The fake; use `async with FakeSlackApi() as fake:`."""

    team_id: str = "T0SCHOOL"
    bot_user_id: str = "U0BOT"
    #: users.info answers by user id: {"email": …, "real_name": …}.
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    #: oauth.v2.access answer (several workspaces); set by tests of the install flow.
    oauth_response: dict[str, Any] | None = None
    #: Extra delay before answering each call, in seconds (benchmarks: a network's round trip).
    delay: float = 0.0
    #: A different delay for some methods (a slow chat.postMessage: done, but answered late).
    delays: dict[str, float] = field(default_factory=dict)
    #: Messages posted, by channel, oldest first, with their metadata (conversations.history reads them).
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[Failure]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _views: Any = field(default_factory=lambda: itertools.count(1))
    _listeners: list[Callable[[Call], None]] = field(default_factory=list)

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlackApi:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/response/{id}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self._port}/response/{name}"

    # -- telling it what to do -------------------------------------------------------------

    def fail(self, method: str, *, status: int = 200, error: str | None = None,
             retry_after: float | None = None, times: int = 1) -> None:
        self._failures.setdefault(method, []).append(Failure(status, error, retry_after, times))

    def on_call(self, listener: Callable[[Call], None]) -> None:
        self._listeners.append(listener)

    # -- reading what happened ------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    def clear(self) -> None:
        self.calls.clear()

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.called(method)) < count:
            if loop.time() > deadline:
                raise AssertionError(f"{method} called {len(self.called(method))} times, expected {count}: "
                                     f"{self.methods()}")
            await asyncio.sleep(0.005)
        return self.called(method)

    # -- serving ----------------------------------------------------------------------------

    @staticmethod
    async def _parse(request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.method == "GET":
            return dict(request.query)
        body: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body.update(json.loads(raw) if raw else {})
        else:
            body.update(parse_qsl(raw, keep_blank_values=True))
            for name in JSON_FIELDS:
                if isinstance(body.get(name), str) and body[name][:1] in "[{":
                    body[name] = json.loads(body[name])
        return body

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._parse(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else body.get("token")
        call = Call(method, body, token, asyncio.get_running_loop().time())
        self.calls.append(call)
        for listener in self._listeners:
            listener(call)
        failure = self._take_failure(method)
        if failure is None:
            # The platform takes the call as it arrives; a slow answer comes after it is done.
            call.response = {"ok": True, **self._answer(method, body)}
        delay = self.delays.get(method, self.delay)
        if delay:
            await asyncio.sleep(delay)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            if failure.status == 429:
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers=headers)
            if failure.status >= 500:
                return web.Response(status=failure.status, text="upstream trouble", headers=headers)
            return web.json_response({"ok": False, "error": failure.error or "fatal_error"}, headers=headers)
        return web.json_response(call.response)

    def _take_failure(self, method: str) -> Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"user_id": self.bot_user_id, "bot_id": "B0BOT", "team_id": self.team_id, "team": "School",
                    "url": "https://school.slack.com/"}
        if method == "conversations.open":
            users = str(body.get("users", ""))
            return {"channel": {"id": "D" + users.split(",")[0].lstrip("U")}}
        if method in ("chat.postMessage", "chat.update"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            if method == "chat.postMessage":
                stored = {"type": "message", "ts": ts, "text": body.get("text"), "bot_id": "B0BOT"}
                if isinstance(body.get("metadata"), dict):
                    stored["metadata"] = body["metadata"]
                self.history.setdefault(str(body.get("channel")), []).append(stored)
            return {"channel": body.get("channel"), "ts": ts, "message": {"text": body.get("text")}}
        if method == "conversations.history":
            with_metadata = str(body.get("include_all_metadata", "")).lower() in ("true", "1")
            limit = int(body.get("limit") or 100)
            newest_first = list(reversed(self.history.get(str(body.get("channel")), [])))[:limit]
            messages = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
                        for m in newest_first]
            return {"messages": messages, "has_more": False}
        if method == "chat.postEphemeral":
            return {"message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.update", "views.publish", "views.push"):
            view_id = body.get("view_id") or f"V{next(self._views):05d}"
            return {"view": {**(body.get("view") or {}), "id": view_id, "hash": f"h{next(self._views)}"}}
        if method == "users.info":
            user = str(body.get("user", ""))
            profile = self.profiles.get(user, {})
            return {"user": {"id": user, "team_id": self.team_id, "profile": dict(profile)}}
        if method == "oauth.v2.access":
            return dict(self.oauth_response or {})
        return {}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await self._parse(request)
        self.calls.append(Call("response_url", body, None, asyncio.get_running_loop().time()))
        return web.Response(text="ok")
