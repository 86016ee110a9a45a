"""Slack payloads in, neutral events out: pure functions over the parsed request body.

Who is talking comes only from the fields Slack sets on a verified request (`user`,
`team`); a button's `value` names what it applies to and nothing more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Action, ConversationRef, Message, Person
from bot.slack.blocks import decode_metadata, read_view_inputs

PLATFORM = "slack"

#: Message subtypes that are a person writing (everything else is an edit, a join, a bot…).
_PERSON_SUBTYPES = frozenset({"", "file_share", "thread_broadcast"})
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a reply to an event goes, and how (thread, ephemeral, response URL, modal)."""

    team_id: str
    user_id: str
    channel_id: str = ""
    is_direct: bool = False
    thread_ts: str | None = None
    #: The message a button was clicked in (to update it in place).
    message_ts: str | None = None
    trigger_id: str | None = None
    response_url: str | None = None
    #: The modal a submission came from (to show the outcome in it).
    view_id: str | None = None
    #: True when the click came from App Home (republish it afterwards).
    from_home: bool = False
    #: Answer only this person, through `response_url` (a slash command).
    privately: bool = False


@dataclass(frozen=True, slots=True)
class Said:
    """A person wrote to the app: a DM, an @mention or a slash command."""

    place: Place
    text: str
    #: Stable id for de-duplicating Slack's retries.
    event_key: str


@dataclass(frozen=True, slots=True)
class Clicked:
    """A button press or a modal submission."""

    place: Place
    action_id: str
    value: str
    event_key: str
    inputs: dict[str, str] = field(default_factory=dict)
    #: True when the clicked message is one request's card (one row of buttons): it is
    #: replaced by the outcome. A list of several requests is left as it is.
    on_card: bool = False


def strip_mentions(text: str) -> str:
    """Drop `<@U…>` mentions (of the app, usually) so the question is what's left."""
    return _MENTION.sub(" ", text).strip()


def parse_message_event(body: Mapping[str, Any]) -> Said | None:
    """A direct message from a person; None for bots, edits, channel chatter and other subtypes."""
    event = _dict(body.get("event"))
    if event.get("bot_id") or _text(event.get("subtype")) not in _PERSON_SUBTYPES:
        return None
    if event.get("channel_type") != "im":
        return None
    user, channel = _text(event.get("user")), _text(event.get("channel"))
    team = _text(body.get("team_id")) or _text(event.get("team"))
    if not user or not channel or not team:
        return None
    thread = _text(event.get("thread_ts")) or None
    place = Place(team_id=team, user_id=user, channel_id=channel, is_direct=True, thread_ts=thread)
    return Said(place=place, text=_text(event.get("text")), event_key=_event_key(body, event))


def parse_mention_event(body: Mapping[str, Any]) -> Said | None:
    """An @mention in a channel: answered in the thread it started or belongs to."""
    event = _dict(body.get("event"))
    if event.get("bot_id"):
        return None
    user, channel, ts = _text(event.get("user")), _text(event.get("channel")), _text(event.get("ts"))
    team = _text(body.get("team_id")) or _text(event.get("team"))
    if not user or not channel or not team:
        return None
    thread = _text(event.get("thread_ts")) or ts or None
    place = Place(team_id=team, user_id=user, channel_id=channel, is_direct=channel.startswith("D"), thread_ts=thread)
    return Said(place=place, text=strip_mentions(_text(event.get("text"))), event_key=_event_key(body, event))


def _event_key(body: Mapping[str, Any], event: Mapping[str, Any]) -> str:
    """Slack's event id; without one, the message's channel and timestamp (equally unique)."""
    event_id = _text(body.get("event_id"))
    if event_id:
        return f"event:{event_id}"
    return f"message:{_text(event.get('channel'))}:{_text(event.get('ts'))}"


def parse_command(body: Mapping[str, Any]) -> Said | None:
    """`/staffroom QUESTION`: answered privately through the command's response URL."""
    user, team = _text(body.get("user_id")), _text(body.get("team_id"))
    trigger = _text(body.get("trigger_id"))
    if not user or not team or not trigger:
        return None
    channel = _text(body.get("channel_id"))
    place = Place(
        team_id=team,
        user_id=user,
        channel_id=channel,
        is_direct=channel.startswith("D"),
        trigger_id=trigger,
        response_url=_text(body.get("response_url")) or None,
        privately=True,
    )
    return Said(place=place, text=_text(body.get("text")), event_key=f"command:{trigger}")


def _team_of(body: Mapping[str, Any]) -> str:
    team = _dict(body.get("team")).get("id") or _dict(body.get("user")).get("team_id")
    return _text(team)


def parse_block_action(body: Mapping[str, Any]) -> Clicked | None:
    """The first button pressed in a block_actions payload (Slack sends one per click)."""
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return None
    pressed = actions[0]
    user, team = _text(_dict(body.get("user")).get("id")), _team_of(body)
    action_id = _text(pressed.get("action_id"))
    if not user or not team or not action_id:
        return None
    container = _dict(body.get("container"))
    channel = _text(_dict(body.get("channel")).get("id")) or _text(container.get("channel_id"))
    message = _dict(body.get("message"))
    view = _dict(body.get("view"))
    blocks = message.get("blocks")
    rows = [b for b in blocks if isinstance(b, dict) and b.get("type") == "actions"] if isinstance(blocks, list) else []
    place = Place(
        team_id=team,
        user_id=user,
        channel_id=channel,
        is_direct=channel.startswith("D"),
        thread_ts=_text(message.get("thread_ts")) or None,
        message_ts=_text(container.get("message_ts")) or _text(message.get("ts")) or None,
        trigger_id=_text(body.get("trigger_id")) or None,
        response_url=_text(body.get("response_url")) or None,
        from_home=view.get("type") == "home",
    )
    # The click's own time and trigger make it unique; the key names no one, so the record of handled
    # events can't be matched to a 👎 in the question log.
    stamp = f"{_text(pressed.get('action_ts'))}:{_text(body.get('trigger_id'))}"
    return Clicked(
        place=place,
        action_id=action_id,
        value=_text(pressed.get("value")),
        event_key=f"action:{team}:{action_id}:{stamp}",
        on_card=len(rows) == 1,
    )


def parse_view_submission(body: Mapping[str, Any]) -> Clicked | None:
    """A submitted modal: its callback id is the action, its private metadata the value and origin."""
    view = _dict(body.get("view"))
    user, team = _text(_dict(body.get("user")).get("id")), _team_of(body)
    action_id, view_id = _text(view.get("callback_id")), _text(view.get("id"))
    if not user or not team or not action_id or not view_id:
        return None
    metadata = decode_metadata(view.get("private_metadata"))
    channel = metadata.get("channel", "")
    place = Place(
        team_id=team,
        user_id=user,
        channel_id=channel,
        is_direct=channel.startswith("D"),
        message_ts=metadata.get("message_ts") or None,
        thread_ts=metadata.get("thread_ts") or None,
        view_id=view_id,
        from_home=metadata.get("home") == "1",
    )
    # The view's hash changes whenever the view is updated, so a resubmission after a fix counts.
    stamp = _text(view.get("hash")) or _text(body.get("trigger_id"))
    return Clicked(
        place=place,
        action_id=action_id,
        value=metadata.get("value", ""),
        event_key=f"view:{team}:{view_id}:{stamp}",
        inputs=read_view_inputs(view.get("state")),
        on_card=metadata.get("card") == "1",
    )


def form_metadata(value: str, place: Place, on_card: bool = False) -> dict[str, str]:
    """What a modal remembers about where it was opened, to reply and update there."""
    metadata = {"value": value, "channel": place.channel_id}
    if on_card:
        metadata["card"] = "1"
    if place.message_ts:
        metadata["message_ts"] = place.message_ts
    if place.thread_ts:
        metadata["thread_ts"] = place.thread_ts
    if place.from_home:
        metadata["home"] = "1"
    return metadata


def conversation_for(place: Place) -> ConversationRef | None:
    """A reference for proactive messages: only a direct message, never a shared channel."""
    if not place.is_direct or not place.channel_id:
        return None
    return ConversationRef(platform=PLATFORM, user_id=place.user_id, conversation_id=place.channel_id,
                           team_id=place.team_id)


def to_message(person: Person, said: Said) -> Message:
    return Message(person=person, text=said.text, conversation=conversation_for(said.place))


def to_action(person: Person, clicked: Clicked) -> Action:
    return Action(person=person, action_id=clicked.action_id, value=clicked.value, inputs=clicked.inputs,
                  conversation=conversation_for(clicked.place))


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 255


def find_shape_problem(body: Mapping[str, Any]) -> str | None:
    """Why a signed body is not a Slack request we can route (None when it is).

    Bolt assumes Slack's shapes; checking the fields its routing reads first turns an
    odd payload into a 400 instead of an error deep inside the framework.
    """
    kind = body.get("type")
    if "command" in body:
        return None if _is_id(body.get("command")) and _is_id(body.get("user_id")) else "incomplete command"
    if kind in ("url_verification", "ssl_check") or body.get("ssl_check"):
        return None
    if kind == "event_callback":
        event = body.get("event")
        return None if isinstance(event, dict) and _is_id(event.get("type")) else "event without a type"
    if kind in ("block_actions", "interactive_message"):
        actions = body.get("actions")
        if not isinstance(body.get("user"), dict) or not isinstance(actions, list) or not actions:
            return "actions without a user or actions"
        return None if all(isinstance(a, dict) and _is_id(a.get("action_id")) for a in actions) else "bad action"
    if kind in ("view_submission", "view_closed"):
        view = body.get("view")
        if not isinstance(body.get("user"), dict) or not isinstance(view, dict):
            return "view without a user or view"
        if not isinstance(view.get("callback_id"), str):
            return "view without a callback id"
        # Bolt reads the view's id and type; a submission without them can't be answered.
        return None if _is_id(view.get("id")) and _is_id(view.get("type")) else "view without an id or type"
    if kind in ("shortcut", "message_action"):
        return None if _is_id(body.get("callback_id")) and isinstance(body.get("user"), dict) else "bad shortcut"
    if kind == "block_suggestion":
        return None if _is_id(body.get("action_id")) else "bad suggestion"
    return "not a Slack request this app handles"
