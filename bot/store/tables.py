"""The database tables: requests, audit log, outbox, check-ins, question log, and what chat platforms told us."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite drops the zone, so it is put back on reading."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Every Staffroom table."""


class RequestRow(Base):
    """One request (working from home, an equipment loan…) and where it is in its chain."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(64))
    requester_email: Mapped[str] = mapped_column(String(320))
    state: Mapped[str] = mapped_column(String(16))
    #: Index into `chain` of the approver whose decision is awaited.
    step: Mapped[int] = mapped_column(Integer, default=0)
    #: The approvers' emails in order, fixed when the request is made.
    chain: Mapped[list[str]] = mapped_column(JSON)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    #: Monday = 0 for a weekly pattern between start_date and end_date; None for every day.
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Type-specific answers from the form (part of day, reason category, item…).
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Free text from the requester: personal data, never logged.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    step_started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reminded_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    agreement_accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_requests_requester", "school_id", "requester_email", "start_date"),
        Index("ix_requests_state", "school_id", "state"),
        Index("ix_requests_closed", "school_id", "state", "updated_at"),
    )


class AuditRow(Base):
    """One change to a request: who, when, from which state to which, and a note. Never updated."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    school_id: Mapped[str] = mapped_column(String(64))
    actor_email: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    event: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class OutboxRow(Base):
    """A notice for a person, written with the change that caused it, delivered later."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    recipient_email: Mapped[str] = mapped_column(String(320))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), nullable=True)
    reason: Mapped[str] = mapped_column(String(64))
    #: The neutral `Reply` as JSON.
    reply: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    #: Not before the recipient's working hours (WFH policy 4).
    deliver_after: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: A name for "this message, once" (a check-in prompt per school, manager and day): unique.
    dedupe_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    #: After a passing failure, not before this (backoff); `deliver_after` keeps the original order.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    #: A dispatcher is delivering it until then; `lease_token` says which one.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    lease_token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    #: Claims that may have sent it (counted when claimed; a hold gives its claim back). More than
    #: one when loaded after a claim: an earlier try may have reached the platform, so look first.
    sends_started: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Given up (too many attempts, or nobody to deliver to): a dead letter for a person to look at.
    dead_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    #: The platform that took it, and where it landed.
    platform: Mapped[str | None] = mapped_column(String(16), nullable=True)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (
        Index("ix_outbox_due", "delivered_at", "deliver_after"),
        Index("ix_outbox_recipient", "school_id", "recipient_email", "deliver_after", "id"),
        Index("ix_outbox_request", "request_id"),
        Index("uq_outbox_dedupe_key", "dedupe_key", unique=True),
    )


class CheckInRow(Base):
    """A line manager recorded a check-in with a report working from home that day."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    staff_email: Mapped[str] = mapped_column(String(320))
    day: Mapped[date] = mapped_column(Date)
    manager_email: Mapped[str] = mapped_column(String(320))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (UniqueConstraint("school_id", "staff_email", "day", name="uq_check_ins_day"),)


class ScheduledRunRow(Base):
    """A timed job (a day's check-in prompts, a weekly summary) taken once by one scheduler."""

    __tablename__ = "scheduled_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    day: Mapped[date] = mapped_column(Date)
    #: "sent", or "dropped" when its time passed while the service was down.
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    #: How many messages it queued.
    messages: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (UniqueConstraint("school_id", "kind", "day", name="uq_scheduled_runs"),)


class PlatformAccountRow(Base):
    """A chat account we have met: who it is in the directory and how to message it later.

    Filled on first contact (a Slack user matched by id or email, a Teams user on
    installation or first message), so notices can be delivered proactively.
    """

    __tablename__ = "platform_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    #: "slack" or "teams".
    platform: Mapped[str] = mapped_column(String(16))
    #: The Slack team (workspace) id or the Microsoft tenant id; "" when unknown.
    workspace: Mapped[str] = mapped_column(String(64), default="")
    user_id: Mapped[str] = mapped_column(String(128))
    #: Lower-case email from the directory, or None while the account is not matched.
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    #: The neutral `ConversationRef` as JSON: where a proactive message goes.
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    #: When the purge first found the account's person missing from the staff directory (None: present).
    left_directory_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        UniqueConstraint("platform", "workspace", "user_id", name="uq_platform_accounts_user"),
        Index("ix_platform_accounts_email", "school_id", "email"),
    )


class ProcessedEventRow(Base):
    """A platform event or action already handled: retries and replays are recognised by it."""

    __tablename__ = "processed_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (UniqueConstraint("platform", "event_id", name="uq_processed_events"),)


class SlackInstallationRow(Base):
    """One Slack workspace's installation (OAuth), its secrets encrypted at rest."""

    __tablename__ = "slack_installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    #: "" outside Enterprise Grid.
    enterprise_id: Mapped[str] = mapped_column(String(64), default="")
    team_id: Mapped[str] = mapped_column(String(64))
    bot_user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: The whole installation (tokens included) as JSON, encrypted with STAFFROOM_SECRET_KEY.
    encrypted: Mapped[str] = mapped_column(Text)
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (UniqueConstraint("enterprise_id", "team_id", name="uq_slack_installations_team"),)


class SlackOAuthStateRow(Base):
    """A state value handed out at /slack/install, accepted once before it expires."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditReleaseRow(Base):
    """Present only inside a retention purge's or an erasure's own transaction: the audit log opens to it.

    Inserted and deleted in that one transaction, so no other transaction ever sees a row here.
    """

    __tablename__ = "audit_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: "purge" (entries of expired requests may be deleted) or "erase" (a person may be pseudonymised).
    purpose: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())

class QuestionLogRow(Base):
    """A question the policies did not answer, or an answer marked 👎: the words only, never who asked.

    There is no column for a person: not a user id, name or email, and only the day it was asked.
    The text has email addresses and phone numbers removed before it is written (`bot.questions.redact`).
    An answered question gets a row only when its 👎 (or 👍, a marker without the words) is pressed.
    """

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    school_id: Mapped[str] = mapped_column(String(64))
    #: A random token naming one answer (it says nothing about who asked): a declined question's
    #: buttons carry it; an answered question's carry it inside their signed value (`bot.questions.carried`).
    token: Mapped[str] = mapped_column(String(32))
    #: The school's local date it was asked (no time of day, so it can't be matched to a message).
    asked_on: Mapped[date] = mapped_column(Date)
    #: The question, redacted.
    text: Mapped[str] = mapped_column(Text)
    #: True when the policies answered it (then the row exists because someone pressed 👎 or 👍).
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The closest sections the router found, as citations ("Working from Home Policy · 8.2 IT support").
    closest: Mapped[list[str]] = mapped_column(JSON)
    #: "good" or "bad" once someone pressed 👍 or 👎 (the first press counts).
    feedback: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: What the person was looking for, after a 👎 (redacted too).
    comment: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("token", name="uq_question_log_token"),
        Index("ix_question_log_school_day", "school_id", "asked_on"),
    )


class AppKeyRow(Base):
    """A random key the application made for itself: generated once, shared by every instance.

    `question_feedback` signs what an answer's 👍/👎 buttons carry (`bot.questions.carried`).
    """

    __tablename__ = "app_keys"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: 32 random bytes, URL-safe base64.
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
