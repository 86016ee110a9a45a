"""Build outgoing Bot Framework activities from neutral replies, and invoke responses for cards."""

from __future__ import annotations

from typing import Any

from botbuilder.core import InvokeResponse
from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.messages import Reply
from bot.teams.cards import CARD_CONTENT_TYPE, ButtonKind, Card, is_plain, render_card

_SUMMARY_CHARS = 200


def render_activity(reply: Reply, kind: ButtonKind, viewers: tuple[str, ...] = ()) -> Activity:
    """A message activity: plain text when the reply is only text, else an Adaptive Card.

    `viewers` are the channel user ids the card is for; when it follows a request, with
    Universal Actions the card then refreshes for them, so decision buttons stay live only for
    whoever may still use them.
    """
    if is_plain(reply):
        return Activity(type=ActivityTypes.message, text=reply.text, text_format="plain")
    return Activity(
        type=ActivityTypes.message,
        summary=reply.text[:_SUMMARY_CHARS],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=render_reply_card(reply, kind, viewers))],
    )


def render_reply_card(reply: Reply, kind: ButtonKind, viewers: tuple[str, ...] = ()) -> Card:
    """The card; it refreshes for `viewers` when the core says it follows a request (an approver's card,
    a requester's "Request sent", kept up to date with whom it waits for and how it ended)."""
    follows = reply.follows
    refresh = (str(follows.request_id), viewers) if follows is not None and viewers else None
    return render_card(reply, kind, refresh)


def is_refusal(reply: Reply) -> bool:
    """A short answer just for the person who pressed (not allowed, already decided, fill this in)."""
    return reply.ephemeral and is_plain(reply)


def card_response(card: Card) -> Activity:
    """Replace the card the person pressed with `card` (Universal Actions)."""
    return _invoke(200, {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card})


def message_response(text: str) -> Activity:
    """Keep the card; show the person a short message."""
    return _invoke(200, {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text})


def error_response(text: str, status: int = 400) -> Activity:
    """Keep the card; tell the person why nothing happened."""
    code = "BadRequest" if status < 500 else "InternalServerError"
    return _invoke(
        200, {"statusCode": status, "type": "application/vnd.microsoft.error", "value": {"code": code, "message": text}}
    )


def _invoke(status: int, body: dict[str, Any]) -> Activity:
    return Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=status, body=body))


def bad_invoke(text: str) -> Activity:
    """An invoke we don't handle, or can't read: a 400 with the reason."""
    return _invoke(400, {"code": "BadRequest", "message": text})
