"""The request forms the assistant's answers offer, one per request type, built from its kind:
the button, the sections it rests on, the passages quoted when someone asks for it directly, and
how to recognise that ask."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.assistant import RequestOffer
from bot.requests.kinds.base import KindContext, RequestKind
from bot.requests.kinds.registry import approval_steps, kinds_of
from bot.requests.policy import find_passages
from bot.school import School
from bot.school.config import LINE_MANAGER
from intents.policy_library import PolicyLibrary
from intents.routing import Intent

#: The words for each approval step in an answer ("your line manager and the headteacher decide it").
_STEP_WORDS = {
    LINE_MANAGER: "your line manager",
    "headteacher": "the headteacher",
    "deputy": "the deputy headteacher",
    "it_technician": "the IT technician",
    "dsl": "the Designated Safeguarding Lead",
    "sendco": "the SENDCO",
    "chair_of_governors": "the chair of governors",
    "cpd_lead": "the CPD lead",
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
#: Longest button value read back (a form's pre-fill is a few short fields).
MAX_PREFILL_CHARS = 2000


def read_prefill(value: str) -> dict[str, Any]:
    """A button's pre-fill: a JSON object, or nothing (junk leaves the form as the kind fills it in)."""
    if not value or len(value) > MAX_PREFILL_CHARS:
        return {}
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("type", ""), str):
        return {}
    return data


def on_days(when_text: str) -> str:
    """ "on Friday" for a day named alone ("Friday", "the 14th"); "next Tuesday", "tomorrow" as they are."""
    first = when_text.split(" ", 1)[0].lower()
    if first in _WEEKDAYS or first == "the" or first[:1].isdigit():
        return f"on {when_text}"
    return when_text


def who_decides(steps: tuple[str, ...]) -> str:
    """ "your line manager and the headteacher decide it"."""
    words = list(dict.fromkeys(_STEP_WORDS.get(step, "the " + step.replace("_", " ")) for step in steps))
    if len(words) == 1:
        return f"{words[0]} decides it"
    return f"{', '.join(words[:-1])} and {words[-1]} decide it"


def _offer(kind: RequestKind, context: KindContext, library: PolicyLibrary | None) -> RequestOffer:
    config = context.config
    sections = frozenset((ref.document, ref.section) for ref in config.policy)
    rules = tuple(p for ref in config.policy for p in find_passages(library, ref)) if library else ()

    def asked(text: str, today: date) -> tuple[dict[str, Any], str] | None:
        found = kind.asked(context, text, today)
        return (found.prefill, on_days(found.when_text)) if found is not None else None

    return RequestOffer(
        type_name=context.type_name,
        label=kind.button_label(context),
        noun=config.label,
        sections=sections if kind.offered_under_answers else frozenset(),
        rules=rules,
        ask_phrase=kind.ask_phrase,
        route=who_decides(approval_steps(context.school, config)),
        intent=Intent(kind.routed_intent) if kind.routed_intent else None,
        asked=asked,
    )


def request_offers(school: School, library: PolicyLibrary | None) -> tuple[RequestOffer, ...]:
    """One offer per request type of the school, in school.yaml's order."""
    return tuple(_offer(kind, context, library) for kind, context in kinds_of(school))
