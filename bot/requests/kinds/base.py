"""The interface every request kind implements: what the core, the terminal, Slack and Teams rely on.

A kind is one module (`bot/requests/kinds/wfh.py`, say) with one `RequestKind` in it, named by the
`form:` of a request type in school.yaml. The core asks the kind for its form fields, checks a
submission with it, describes a stored request with it and runs what follows approval from it;
nothing outside the kind's module knows what its fields are.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from bot.requests.drafts import Draft, Refusal
from bot.school import School
from bot.school.config import LINE_MANAGER, RequestTypeConfig, SchoolConfig

#: What a field asks for; every front end renders each of these (a yes/no is a two-way choice).
FieldType = Literal["text", "long_text", "date", "choice", "yes_no"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a kind's form: its name (the key in the submission), label and type."""

    name: str
    label: str
    type: FieldType
    optional: bool = False
    #: (value, label) pairs of a choice.
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a request's description; `private` ones (a reason) only the requester and chain see."""

    label: str
    value: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class Agreement:
    """A step after approval: the requester accepts terms before the request counts as done."""

    #: Asked of the requester with the approval ("Before you receive the equipment, please accept …").
    ask: str
    button_label: str
    #: Told to the requester once accepted.
    thanks: str
    #: Told to the posts the request type names once accepted ("please issue it").
    tell: str
    #: Status while not yet accepted.
    waiting_status: str


@dataclass(frozen=True, slots=True)
class KindContext:
    """Where a kind is used: the school and the request type (its name and configuration)."""

    school: School
    type_name: str
    config: RequestTypeConfig

    @property
    def options(self) -> Mapping[str, Any]:
        return self.config.options


@dataclass(frozen=True, slots=True)
class Asked:
    """A message asking for this kind of request, and what to fill the form in with."""

    prefill: dict[str, Any] = field(default_factory=dict)
    #: The days as the message named them ("on Friday afternoon"), for the answer's wording.
    when_text: str = ""


class RequestKind(ABC):
    """Base of every kind: `fields`, `parse` and `facts` are its own; override the rest where it differs.
    Instances are stateless and shared."""

    #: The `form:` value that names this kind in school.yaml.
    name: ClassVar[str] = ""
    #: "ask to work from home", "ask for leave": how the answer to a direct ask phrases it.
    ask_phrase: ClassVar[str] = "send this request"
    #: Approved requests of this kind are days worked from home (wellbeing check-ins follow them).
    working_from_home: ClassVar[bool] = False
    #: The router's own request intent this kind answers (working from home), if any.
    routed_intent: ClassVar[str | None] = None
    #: Offer the form under any policy answer that quotes the sections the request type rests on.
    offered_under_answers: ClassVar[bool] = True
    #: Terms the requester accepts after approval, when the request type asks (`agreement: true`).
    agreement_terms: ClassVar[Agreement | None] = None

    # -- configuration ------------------------------------------------------------------

    def default_chain(self, config: SchoolConfig) -> tuple[str, ...]:
        """The approval chain when school.yaml gives none."""
        return (LINE_MANAGER, "headteacher")

    def check_options(self, options: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Problems with the request type's `options` in school.yaml: (key, message) pairs."""
        return [(key, "unknown option") for key in options]

    def agreement(self, context: KindContext) -> Agreement | None:
        """The step after approval, when the request type asks for one (`agreement: true`)."""
        return self.agreement_terms if context.config.agreement else None

    def button_label(self, context: KindContext) -> str:
        """The label of the button that opens the form."""
        return context.config.label

    # -- asking ---------------------------------------------------------------------------

    def asked(self, context: KindContext, text: str, today: date) -> Asked | None:
        """Whether `text` asks for this kind of request (and what it said); None when it doesn't."""
        return None

    # -- the form -----------------------------------------------------------------------

    @abstractmethod
    def fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        """The form's fields, in order."""

    def initial_values(self, context: KindContext, prefill: Mapping[str, Any], today: date) -> dict[str, str]:
        """What the form shows filled in, from a button's pre-fill (what the message said)."""
        return {}

    def title(self, context: KindContext) -> str:
        return context.config.label

    @abstractmethod
    def parse(self, context: KindContext, inputs: Mapping[str, str], today: date) -> Draft | Refusal:
        """Check one submission; nothing is stored here."""

    # -- deciding -----------------------------------------------------------------------

    def approval_fields(self, context: KindContext) -> tuple[FieldSpec, ...]:
        """What the final approver chooses when approving (paid or unpaid leave, say)."""
        return ()

    def parse_approval(self, context: KindContext, inputs: Mapping[str, str]) -> dict[str, str] | Refusal:
        """The approver's choices, checked, to keep with the request's details."""
        return {}

    # -- describing -----------------------------------------------------------------------

    @abstractmethod
    def facts(self, context: KindContext, details: Mapping[str, Any], start: date, end: date,
              weekday: int | None, note: str) -> list[Fact]:
        """The request's own facts, after who made it and before its status."""

