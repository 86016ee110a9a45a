"""What an answered question's 👍/👎 buttons carry: the question as the log would keep it, signed.

An answered question is written nowhere when it is answered. Its buttons carry what a 👎
needs — the words already redacted, the closest sections, the day it was asked, and a
random token naming this one answer — signed with HMAC-SHA256 under the database's own
key (`bot.store.keys`), bound to the school. A press whose value was forged, edited or cut
short fails the check and writes nothing; the token lets only the first press count.

The value is ASCII (JSON with non-ASCII escaped), so its length is the same however a
platform counts characters, and it fits a Slack button (2,000 characters): a long question
is shortened to fit, and what is signed is exactly what is carried.

    q1.<signature>.["<token>","2026-11-30","<question>",["<citation>", …]]
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date

from bot.questions.log import CLOSEST_KEPT, MAX_TEXT_CHARS

#: What a carried value starts with (a declined question's buttons carry a bare token instead).
PREFIX = "q1."
#: Slack's limit for a button's value; Teams and the terminal take as much.
MAX_VALUE_CHARS = 2000
#: Longest citation carried (a section heading is far shorter).
MAX_CITATION_CHARS = 150
#: What the signature is for, so a signature made by this key for anything else never passes here.
_PURPOSE = b"staffroom.answer-feedback.v1"


@dataclass(frozen=True, slots=True)
class CarriedQuestion:
    """An answered question as its buttons carry it (the words already redacted)."""

    token: str
    asked_on: date
    text: str
    closest: tuple[str, ...]


def is_carried(value: str) -> bool:
    """True for a signed value (an answered question's buttons), False for a bare token or junk."""
    return value.startswith(PREFIX)


def _signature(key: bytes, school_id: str, payload: str) -> str:
    message = b"\0".join((_PURPOSE, school_id.encode("utf-8"), payload.encode("utf-8")))
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _value(key: bytes, school_id: str, question: CarriedQuestion, text: str, closest: tuple[str, ...]) -> str:
    payload = json.dumps([question.token, question.asked_on.isoformat(), text, list(closest)], separators=(",", ":"))
    return f"{PREFIX}{_signature(key, school_id, payload)}.{payload}"


def _fit(text: str, room: int) -> str:
    """The longest start of `text` whose JSON escaping takes at most `room` characters."""
    used = 0
    for end, character in enumerate(text):
        used += len(json.dumps(character)) - 2
        if used > room:
            return text[:end]
    return text


def seal(key: bytes, school_id: str, question: CarriedQuestion) -> str:
    """The signed value for the buttons, at most `MAX_VALUE_CHARS` long (the question shortened to fit)."""
    text = question.text[:MAX_TEXT_CHARS]
    closest = tuple(c[:MAX_CITATION_CHARS] for c in question.closest[:CLOSEST_KEPT])
    value = _value(key, school_id, question, text, closest)
    if len(value) <= MAX_VALUE_CHARS:
        return value
    room = MAX_VALUE_CHARS - len(_value(key, school_id, question, "", closest))
    while room < 0 and closest:  # only when citations are long and far from ASCII
        closest = closest[:-1]
        room = MAX_VALUE_CHARS - len(_value(key, school_id, question, "", closest))
    if room < 0:
        raise ValueError("a feedback value without its question still doesn't fit")
    return _value(key, school_id, question, _fit(text, room), closest)


def unseal(key: bytes, school_id: str, value: str) -> CarriedQuestion | None:
    """The question a value carries, or None when it isn't one this key signed for this school."""
    if not is_carried(value):
        return None
    signature, _, payload = value[len(PREFIX):].partition(".")
    expected = _signature(key, school_id, payload).encode("ascii")
    if not payload or not hmac.compare_digest(signature.encode("utf-8"), expected):
        return None
    try:
        carried = json.loads(payload)
        if not isinstance(carried, list):
            return None
        token, day, text, closest = carried
        asked_on = date.fromisoformat(day)
    except (ValueError, TypeError):
        return None
    if not (isinstance(token, str) and token and isinstance(text, str) and isinstance(closest, list)
            and all(isinstance(c, str) for c in closest)):
        return None
    return CarriedQuestion(token, asked_on, text, tuple(closest))
