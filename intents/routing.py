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


class DeclineReason(StrEnum):
    """Why a policy question was not answered: every decline names one."""

    EMPTY = "empty"
    NOT_COVERED = "not_covered"
    LOW_CONFIDENCE = "low_confidence"
    DETAIL_NOT_HELD = "detail_not_held"
    NEVER_IN_POLICIES = "never_in_policies"
    OTHER_POLICY = "other_policy"
    ABOUT_SOMEONE_ELSE = "about_someone_else"
    SCHOOL_HOLIDAYS = "school_holidays"

    @property
    def explanation(self) -> str:
        return _REASON_TEXT[self]


_REASON_TEXT = {
    DeclineReason.EMPTY: "the message has no words to route",
    DeclineReason.NOT_COVERED: "a key idea of the question appears in none of the school's policies",
    DeclineReason.LOW_CONFIDENCE: "the best passage covers too little of the question, or shares only everyday "
    "words with it",
    DeclineReason.DETAIL_NOT_HELD: "the question asks for a detail (a time, date, number or contact) "
    "that none of the best passages holds",
    DeclineReason.NEVER_IN_POLICIES: "policies name roles, not people, hold no passwords or codes, "
    "and say which software to use, not how to work it",
    DeclineReason.OTHER_POLICY: "the question names a policy the school's folder does not hold",
    DeclineReason.ABOUT_SOMEONE_ELSE: "the question is about what pupils or parents do, "
    "and the best passage speaks only of staff",
    DeclineReason.SCHOOL_HOLIDAYS: "the policies speak of working days, not school holidays",
}


@dataclass(frozen=True, slots=True)
class Routing:
    """The router's verdict on one message; a declined policy question says why (`reason`)."""

    intent: Intent
    confidence: float
    matches: tuple[Match, ...] = ()
    slots: RequestSlots | None = None
    safeguarding: bool = False
    reason: DeclineReason | None = None
