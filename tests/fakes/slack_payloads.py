"""Slack request bodies as Slack sends them, signed with slack_sdk's SignatureVerifier."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

SIGNING_SECRET = "test-signing-secret"
TEAM = "T0SCHOOL"
_ids = itertools.count(1)


def signed_headers(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature, "Content-Type": content_type}


def event_body(event: dict[str, Any], event_id: str | None = None, team: str = TEAM) -> str:
    return json.dumps({
        "token": "unused", "team_id": team, "api_app_id": "A0APP", "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()), "event": event,
    })


def dm_event(user: str, text: str, event_id: str | None = None, team: str = TEAM) -> str:
    ts = f"1700000100.{next(_ids):06d}"
    return event_body({"type": "message", "channel_type": "im", "channel": "D" + user.lstrip("U"),
                       "user": user, "text": text, "ts": ts, "event_ts": ts, "team": team}, event_id, team)


def mention_event(user: str, text: str, channel: str = "C0STAFF", thread_ts: str | None = None) -> str:
    ts = f"1700000200.{next(_ids):06d}"
    event: dict[str, Any] = {"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts,
                             "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_body(event)


def home_opened(user: str) -> str:
    return event_body({"type": "app_home_opened", "user": user, "channel": "D" + user.lstrip("U"), "tab": "home",
                       "event_ts": "1700000300.000001"})


def form_body(fields: dict[str, str]) -> str:
    return urlencode(fields)


def interactive_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(user: str, action: dict[str, Any], *, channel: str | None = None,
                 message: dict[str, Any] | None = None, home: bool = False, team: str = TEAM) -> str:
    """A button press: in a message (channel + message with its blocks) or in App Home."""
    pressed = {"type": "button", "block_id": "b1", "action_ts": f"1700000400.{next(_ids):06d}", **action}
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "team_id": team}, "team": {"id": team},
        "api_app_id": "A0APP", "trigger_id": f"trigger-{next(_ids)}", "actions": [pressed],
    }
    if home:
        payload["view"] = {"id": "VHOME", "type": "home"}
        payload["container"] = {"type": "view", "view_id": "VHOME"}
    else:
        channel = channel or "D" + user.lstrip("U")
        message = message or {"ts": "1700000000.000001", "blocks": []}
        payload["channel"] = {"id": channel}
        payload["container"] = {"type": "message", "channel_id": channel, "message_ts": message["ts"]}
        payload["message"] = message
        payload["response_url"] = "http://127.0.0.1:1/unused"
    return interactive_body(payload)


def view_submission(user: str, view: dict[str, Any], values: dict[str, dict[str, Any]], *,
                    view_id: str = "V00001", view_hash: str | None = None, team: str = TEAM) -> str:
    """A submitted modal: `view` as the app opened it, `values` as Slack reports the inputs."""
    submitted = {**view, "id": view_id, "hash": view_hash or f"hash-{next(_ids)}", "state": {"values": values},
                 "team_id": team}
    payload = {"type": "view_submission", "user": {"id": user, "team_id": team}, "team": {"id": team},
               "api_app_id": "A0APP", "trigger_id": f"trigger-{next(_ids)}", "view": submitted}
    return interactive_body(payload)


def slash_command(user: str, text: str, response_url: str, channel: str = "C0STAFF") -> str:
    return form_body({"command": "/staffroom", "text": text, "user_id": user, "team_id": TEAM,
                      "channel_id": channel, "response_url": response_url, "trigger_id": f"trigger-{next(_ids)}"})


def datepicker(value: str) -> dict[str, Any]:
    return {"type": "datepicker", "selected_date": value}


def select(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value, "text": {"type": "plain_text",
                                                                                  "text": value}}}


def text_input(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}
