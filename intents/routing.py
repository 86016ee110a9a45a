"""What the router understood of a message: intent, confidence, slots, passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from intents.policy_library import Passage


class Intent(StrEnum):
    """What a member of staff wants."""

    POLICY = "policy"
    REQUEST_WFH = "request_wfh"
    MY_REQUESTS = "my_requests"
    CANCEL_REQUEST = "cancel_request"
    HELP = "help"
    FALLBACK = "fallback"


class PartOfDay(StrEnum):
    WHOLE_DAY = "whole_day"
    MORNING = "morning"
    AFTERNOON = "afternoon"


class ReasonCategory(StrEnum):
    """Why staff may work from home, in the words of WFH policy section 3 and 2.1."""

    FLEXIBLE_WORKING = "flexible_working"
    HEALTH_ADVICE = "health_advice"
    SPECIFIC_TASK = "specific_task"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class WhenSlots:
    """The days a request is about: one date, a range, or a weekly pattern.

    `weekday` (Monday = 0) marks a weekly pattern starting at `start`; `until`
    ends it when the message says so ("until Christmas" is left to the school
    calendar, as `until_term_end`).
    """

    start: date | None = None
    end: date | None = None
    weekday: int | None = None
    until_term_end: bool = False
    part_of_day: PartOfDay = PartOfDay.WHOLE_DAY
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self.start is None and self.weekday is None


@dataclass(frozen=True, slots=True)
class RequestSlots:
    """Everything a working-from-home request message said about itself."""

    when: WhenSlots = field(default_factory=WhenSlots)
    reason: str | None = None
    reason_category: ReasonCategory | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A passage and how well it answers the message (0..1, comparable across messages)."""

    passage: Passage
    score: float


@dataclass(frozen=True, slots=True)
class Routing:
    """The router's verdict on one message."""

    intent: Intent
    confidence: float
    matches: tuple[Match, ...] = ()
    slots: RequestSlots | None = None
    safeguarding: bool = False
