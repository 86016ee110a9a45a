"""Read a Bot Framework activity: who sent it, where, and what they said or pressed.

Pure functions over the JSON body or botbuilder's `Activity`: no network, no database.
`check_activity` rejects a malformed body before botbuilder sees it; the rest turn a
good activity into the neutral words the core understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bot.messages import ConversationRef
from bot.teams.cards import DATA_KEY

PLATFORM = "teams"
#: The Teams channel; anything else (the local demo's Web Chat) is another client.
TEAMS_CHANNEL = "msteams"
#: The invoke a Universal Action (`Action.Execute`) sends.
CARD_ACTION_INVOKE = "adaptiveCard/action"

_MAX_INPUTS = 20
_MAX_INPUT_CHARS = 4000
_MAX_ID_CHARS = 512
#: A button's value: as long as Slack allows, since a 👍/👎 carries its signed question (bot.questions.carried).
_MAX_VALUE_CHARS = 2000
_AT_TAG = re.compile(r"</?at>", re.IGNORECASE)


def check_activity(body: object) -> str | None:
    """Why `body` is not an activity we can answer (None when it is)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (an activity)"
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "the activity has no type"
    service_url = body.get("serviceUrl")
    if not isinstance(service_url, str) or not service_url.startswith(("https://", "http://")):
        return "the activity has no serviceUrl"
    for name in ("conversation", "from"):
        part = body.get(name)
        if not isinstance(part, dict) or not _is_id(part.get("id")):
            return f"the activity has no {name}.id"
    if not isinstance(body.get("channelId"), str):
        return "the activity has no channelId"
    for name in ("text", "name", "id", "replyToId"):
        if body.get(name) is not None and not isinstance(body.get(name), str):
            return f"the activity's {name} must be a string"
    return None


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_ID_CHARS


@dataclass(frozen=True, slots=True)
class Account:
    """A chat account as the channel reported it."""

    #: The stable id we key people by: Entra's object id (aadObjectId) in Teams, else the channel's id.
    user_id: str
    #: The tenant (a school's Microsoft 365), or the channel for clients without one.
    workspace: str
    display_name: str | None
    #: The channel's own id for this user ("29:…"), which conversations and `refresh.userIds` use.
    channel_user_id: str


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant the activity came from, if the channel says."""
    conversation = activity.conversation
    if conversation is not None:
        extra = getattr(conversation, "additional_properties", None) or {}
        tenant_id = conversation.tenant_id or extra.get("tenantId")
        if isinstance(tenant_id, str) and tenant_id:
            return tenant_id
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    return None


def team_of(activity: Activity) -> str | None:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team")
    return str(team["id"]) if isinstance(team, dict) and isinstance(team.get("id"), str) else None


def account_of(activity: Activity) -> Account:
    """Who sent the activity (the channel authenticated the request that carried it)."""
    sender = activity.from_property
    user_id = sender.aad_object_id or sender.id
    return Account(
        user_id=str(user_id),
        workspace=tenant_of(activity) or str(activity.channel_id),
        display_name=sender.name or None,
        channel_user_id=str(sender.id),
    )


def is_personal(activity: Activity) -> bool:
    """A one-to-one chat with the bot (where proactive messages to this person go)."""
    kind = activity.conversation.conversation_type if activity.conversation else None
    return kind in (None, "personal")


def conversation_of(activity: Activity) -> ConversationRef:
    """Enough to message this conversation later with `continue_conversation`."""
    return ConversationRef(
        platform=PLATFORM,
        user_id=str(activity.from_property.id),
        conversation_id=str(activity.conversation.id),
        service_url=str(activity.service_url),
        tenant_id=tenant_of(activity),
        team_id=team_of(activity),
        shared=not is_personal(activity),
    )


def message_text(activity: Activity) -> str:
    """What the person wrote, without the @mention of the bot (channels need one to reach us)."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties if hasattr(entity, "additional_properties") else {}
        if getattr(entity, "type", None) != "mention":
            continue
        mentioned = props.get("mentioned") if isinstance(props, dict) else None
        mention_text = props.get("text") if isinstance(props, dict) else None
        if isinstance(mentioned, dict) and mentioned.get("id") == bot_id and isinstance(mention_text, str):
            text = text.replace(mention_text, " ")
    return " ".join(_AT_TAG.sub(" ", text).split())


@dataclass(frozen=True, slots=True)
class CardAction:
    """A button press or form submission, as the client claims it."""

    action_id: str
    value: str
    inputs: dict[str, str]


def parse_card_data(data: object, verb: str | None = None) -> CardAction | None:
    """Our button data (`{"staffroom": {"action", "value"}}` plus the form's inputs beside it)."""
    if not isinstance(data, dict):
        return None
    ours = data.get(DATA_KEY)
    if not isinstance(ours, dict):
        return None
    action_id = ours.get("action") if verb is None else verb
    value = ours.get("value", "")
    if not isinstance(action_id, str) or not action_id or not isinstance(value, str):
        return None
    if verb is not None and ours.get("action") not in (None, verb):
        return None
    inputs = {
        key: item[:_MAX_INPUT_CHARS]
        for key, item in data.items()
        if key != DATA_KEY and isinstance(key, str) and isinstance(item, str)
    }
    if len(inputs) > _MAX_INPUTS:
        return None
    return CardAction(action_id[:_MAX_ID_CHARS], value[:_MAX_VALUE_CHARS], inputs)


def parse_execute(value: Any) -> CardAction | None:
    """The `Action.Execute` in an `adaptiveCard/action` invoke's value."""
    if not isinstance(value, dict):
        return None
    action = value.get("action")
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        return None
    verb = action.get("verb")
    if not isinstance(verb, str):
        return None
    return parse_card_data(action.get("data"), verb)
