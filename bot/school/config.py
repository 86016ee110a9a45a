"""The shape of a school's configuration file (school.yaml), as pydantic models."""

from __future__ import annotations

import re
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.privacy.schedule import Retention

#: What the directory accepts as an email address (the staff import checks exports with it too).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Role(StrEnum):
    """The posts a school names a holder for."""

    HEADTEACHER = "headteacher"
    DEPUTY = "deputy"
    IT_TECHNICIAN = "it_technician"
    DSL = "dsl"
    SENDCO = "sendco"
    CHAIR_OF_GOVERNORS = "chair_of_governors"
    POLICY_LEAD = "policy_lead"
    CPD_LEAD = "cpd_lead"


#: An approval step: a role holder, or the requester's own line manager.
LINE_MANAGER = "line_manager"
ApproverStep = Literal[
    "line_manager", "headteacher", "deputy", "it_technician", "dsl", "sendco", "chair_of_governors", "cpd_lead"
]


def _check_email(value: str) -> str:
    value = value.strip().lower()
    if not EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value


Email = Annotated[str, AfterValidator(_check_email)]


class Strict(BaseModel):
    """Configuration sections: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StaffEntry(Strict):
    """One member of staff in the directory."""

    name: str = Field(min_length=1)
    email: Email
    job_title: str = ""
    line_manager: Email | None = None
    slack_user_id: str | None = None
    teams_user_id: str | None = None


class Term(Strict):
    """A term or half-term: staff work school days between these dates."""

    name: str
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Term:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Closure(Strict):
    """Days the school is closed inside a term (a snow day, a polling day)."""

    start: date
    end: date | None = None
    reason: str = ""

    @property
    def last(self) -> date:
        return self.end or self.start


class InsetDay(Strict):
    """A staff training day: staff work (so check-ins run) though pupils are not in school."""

    date: date
    reason: str = "INSET day"


class WorkingHours(Strict):
    start: time = time(8, 0)
    end: time = time(17, 0)

    @model_validator(mode="after")
    def _ordered(self) -> WorkingHours:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Roles(Strict):
    """Who holds each post, by email; a role may be left empty."""

    headteacher: Email
    deputy: Email | None = None
    it_technician: Email | None = None
    dsl: Email | None = None
    sendco: Email | None = None
    chair_of_governors: Email | None = None
    #: Reads the weekly digest of unanswered questions and may teach the assistant new wordings.
    policy_lead: Email | None = None
    #: Approves course (CPD) requests in place of the headteacher, when named.
    cpd_lead: Email | None = None


class PolicyReference(Strict):
    """A policy section the approver should see, by document title and section number."""

    document: str
    section: str

    @field_validator("section", mode="before")
    @classmethod
    def _section_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value


class RequestTypeConfig(Strict):
    """A kind of request a school runs, with its form and approval chain."""

    label: str
    #: The request kind (bot/requests/kinds): wfh, equipment_loan, leave_of_absence, course_request,
    #: or the Python module of the school's own kind.
    form: str = Field(min_length=1)
    #: Who decides, in order; when left out, the kind's own chain (line manager, then headteacher).
    chain: tuple[ApproverStep, ...] = ()
    #: Who takes a step that would fall to the requester themselves (the headteacher's own request).
    instead_of_self: Literal["deputy", "chair_of_governors"] = "chair_of_governors"
    policy: tuple[PolicyReference, ...] = ()
    #: On approval the requester must accept the loan agreement before it counts as issued.
    agreement: bool = False
    #: Roles told once the request is approved (and, with `agreement`, accepted).
    tell_roles: tuple[Role, ...] = ()
    #: Settings of the kind itself (the types of leave a school offers, say); the kind checks them.
    options: dict[str, Any] = Field(default_factory=dict)


class Delegate(Strict):
    """While an approver is away, another person decides in their place."""

    approver: Email
    delegate: Email
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> Delegate:
        if self.end < self.start:
            raise ValueError("end is before start")
        if self.approver == self.delegate:
            raise ValueError("an approver cannot delegate to themselves")
        return self


class CheckIns(Strict):
    """Wellbeing check-ins (WFH policy 6): when line managers are prompted, and what staff are asked."""

    enabled: bool = True
    #: Each school day, line managers with reports working from home are prompted then.
    prompt_time: time = time(10, 0)
    #: "Remind me later" during the morning comes back then; later in the day, the next working morning.
    afternoon_reminder: time = time(14, 0)
    #: On the last working day of the week: unchecked lists to line managers, counts to the headteacher.
    weekly_summary_time: time = time(15, 0)
    #: Ask staff working from home "How's today going?" each morning they do.
    morning_message: bool = False
    morning_message_time: time = time(9, 0)
    #: The policy section quoted by "Send wellbeing resources".
    wellbeing_policy: PolicyReference = PolicyReference(document="Working from Home Policy", section="6")


class Delivery(Strict):
    """How hard the outbox tries before a message becomes a dead letter."""

    max_attempts: int = Field(default=12, ge=1, le=100)
    first_retry_seconds: float = Field(default=30, gt=0, le=3600)
    longest_wait_seconds: float = Field(default=900, gt=0, le=86400)


class QuestionLog(Strict):
    """Questions the policies did not answer (and answers marked 👎), kept without who asked."""

    #: Logged questions are deleted this many days after they were asked.
    retention_days: int = Field(default=90, ge=1, le=3650)
    #: On the last working day of the week, the policy lead gets the week's questions.
    weekly_digest: bool = True
    digest_time: time = time(15, 0)


class BankHolidays(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"
    NONE = "none"


class SchoolConfig(Strict):
    """A whole school.yaml file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    time_zone: str = "Europe/London"
    bank_holidays: BankHolidays = BankHolidays.ENGLAND
    working_days: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = Field(
        default=("mon", "tue", "wed", "thu", "fri"), min_length=1
    )
    working_hours: WorkingHours = WorkingHours()
    terms: tuple[Term, ...] = ()
    #: Demo only: the dates below move to the academic year in progress when loaded (see bot/school/rolling.py).
    dates_follow_current_year: bool = False
    closures: tuple[Closure, ...] = ()
    inset_days: tuple[InsetDay, ...] = ()
    roles: Roles
    #: Who a person missing from the directory should ask to be added.
    directory_contact: str = "the school office"
    reminder_after_working_hours: float = Field(default=8, gt=0)
    request_types: dict[str, RequestTypeConfig] = Field(min_length=1)
    delegates: tuple[Delegate, ...] = ()
    check_ins: CheckIns = CheckIns()
    delivery: Delivery = Delivery()
    #: How long records are kept (bot/privacy/schedule.py).
    retention: Retention = Retention()
    question_log: QuestionLog = QuestionLog()
    staff: tuple[StaffEntry, ...] = Field(min_length=1)

    @field_validator("check_ins")
    @classmethod
    def _inside_working_hours(cls, value: CheckIns, info: ValidationInfo) -> CheckIns:
        hours = info.data.get("working_hours")
        if not isinstance(hours, WorkingHours):
            return value
        for name in ("prompt_time", "afternoon_reminder", "weekly_summary_time", "morning_message_time"):
            moment: time = getattr(value, name)
            if not hours.start <= moment < hours.end:
                raise ValueError(
                    f"{name} {moment:%H:%M} is outside working hours ({hours.start:%H:%M}-{hours.end:%H:%M})"
                )
        return value

    @field_validator("question_log")
    @classmethod
    def _digest_inside_working_hours(cls, value: QuestionLog, info: ValidationInfo) -> QuestionLog:
        hours = info.data.get("working_hours")
        if isinstance(hours, WorkingHours) and not hours.start <= value.digest_time < hours.end:
            window = f"{hours.start:%H:%M}-{hours.end:%H:%M}"
            raise ValueError(f"digest_time {value.digest_time:%H:%M} is outside working hours ({window})")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone '{value}' (e.g. Europe/London)")
        return value

    @property
    def working_weekdays(self) -> frozenset[int]:
        return frozenset(_WEEKDAYS.index(day) for day in self.working_days)
