"""The data inventory: each table, which columns hold personal data, why it is held, and for how long.

`CLASSIFICATION` names every column of every table; `staffroom data inventory` prints it
by walking the schema (`Base.metadata`), and a test fails when a column is added without
being classified here, so what a DPO reads stays true.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Table

from bot.privacy.retention import RULES
from bot.school.config import SchoolConfig
from bot.store.tables import Base


class Kind(StrEnum):
    """What a column holds, as far as data protection is concerned."""

    #: Identifies a person: an email, a chat user id, a conversation reference.
    IDENTIFIER = "identifier"
    #: Describes a person or what happened to them: dates, decisions, states.
    PERSONAL = "personal"
    #: Free text a person wrote: may hold anything, including special category data.
    FREE_TEXT = "free text"
    #: Secrets, encrypted at rest.
    SECRET = "secret (encrypted)"
    #: Bookkeeping with nothing about a person.
    NONE = "not personal"


@dataclass(frozen=True)
class TablePurpose:
    """Why a table exists and the lawful basis for holding it (UK GDPR Article 6)."""

    purpose: str
    lawful_basis: str
    #: How long rows are kept when no retention rule covers the table.
    kept: str = ""


_CONTRACT = "employment (Art. 6(1)(b)) and the school's legitimate interests in running it (Art. 6(1)(f))"
_OPERATIONS = "legitimate interests: running the service reliably (Art. 6(1)(f))"

PURPOSES: dict[str, TablePurpose] = {
    "requests": TablePurpose("requests staff make (working from home, equipment, leave, courses) and their approval",
                             _CONTRACT),
    "audit_log": TablePurpose("who decided what on each request, and when (the record of decisions)", _CONTRACT,
                              "removed with its request (see requests)"),
    "outbox": TablePurpose("messages to staff waiting to be delivered, and delivery receipts", _CONTRACT),
    "check_ins": TablePurpose("wellbeing check-ins a line manager recorded (duty of care, WFH policy 6)",
                              "legal obligation: health and safety duty of care (Art. 6(1)(c)); "
                              "legitimate interests (Art. 6(1)(f))"),
    "question_log": TablePurpose("questions the policies did not answer and answers marked 👎, without who asked, "
                                 "so the school can improve its policies' wording",
                                 "legitimate interests: improving the service (Art. 6(1)(f))"),
    "app_keys": TablePurpose("random keys the server made for itself: the one that signs what 👍/👎 buttons carry",
                             _OPERATIONS, "indefinitely (no personal data; one row per key)"),
    "scheduled_runs": TablePurpose("which timed jobs ran on which day", _OPERATIONS,
                                   "indefinitely (no personal data; a few rows a day)"),
    "platform_accounts": TablePurpose("which Slack or Teams account is which member of staff, to message them",
                                      _CONTRACT),
    "processed_events": TablePurpose("platform event ids already handled, so retries act once", _OPERATIONS,
                                     "7 days"),
    "slack_installations": TablePurpose("the Slack workspace's installation and bot token", _OPERATIONS,
                                        "until the app is uninstalled"),
    "slack_oauth_states": TablePurpose("one-time values for installing the Slack app", _OPERATIONS,
                                       "until used, or 10 minutes"),
    "audit_releases": TablePurpose("opens the audit log to the retention purge or an erasure, within its own "
                                   "transaction", _OPERATIONS, "never outlives that transaction (always empty)"),
}

ID, P, F, S, N = Kind.IDENTIFIER, Kind.PERSONAL, Kind.FREE_TEXT, Kind.SECRET, Kind.NONE

#: Every column of every table. A new column is a new entry (tests/test_privacy_inventory.py checks).
CLASSIFICATION: dict[str, dict[str, Kind]] = {
    "requests": {
        "id": N, "school_id": N, "type": P, "requester_email": ID, "state": P, "step": N, "chain": ID,
        "start_date": P, "end_date": P, "weekday": P, "details": P, "note": F, "created_at": P, "updated_at": P,
        "step_started_at": N, "reminded_step": N, "decided_by": ID, "decided_at": P, "agreement_accepted_at": P,
    },
    "audit_log": {
        "id": N, "request_id": N, "school_id": N, "actor_email": ID, "at": P, "event": P, "from_state": P,
        "to_state": P, "step": N, "note": F,
    },
    "outbox": {
        "id": N, "school_id": N, "recipient_email": ID, "request_id": N, "reason": N, "reply": F,
        "created_at": N, "deliver_after": N, "delivered_at": P, "attempts": N, "last_error": N,
        "dedupe_key": ID, "next_attempt_at": N, "lease_until": N, "lease_token": N, "dead_at": N,
        "platform": N, "receipt": ID, "sends_started": N,
    },
    "check_ins": {
        "id": N, "school_id": N, "staff_email": ID, "day": P, "manager_email": ID, "recorded_at": P,
    },
    "scheduled_runs": {
        "id": N, "school_id": N, "kind": N, "day": N, "outcome": N, "at": N, "messages": N,
    },
    "platform_accounts": {
        "id": N, "school_id": N, "platform": N, "workspace": N, "user_id": ID, "email": ID, "conversation": ID,
        "first_seen": P, "last_seen": P, "left_directory_at": P,
    },
    "processed_events": {"id": N, "platform": N, "event_id": N, "received_at": N},
    "slack_installations": {
        "id": N, "school_id": N, "enterprise_id": N, "team_id": N, "bot_user_id": N, "encrypted": S,
        "installed_at": N,
    },
    "slack_oauth_states": {"state": N, "expires_at": N},
    "audit_releases": {"id": N, "purpose": N, "at": N},
    # No column names who asked; the words are redacted of emails, phone numbers and staff names.
    "question_log": {
        "id": N, "school_id": N, "token": N, "asked_on": N, "text": F, "answered": N, "closest": N,
        "feedback": N, "comment": F,
    },
    "app_keys": {"name": N, "secret": N, "created_at": N},
}


@dataclass(frozen=True)
class TableEntry:
    """One table as the inventory shows it."""

    name: str
    purpose: TablePurpose
    retention: str
    personal: tuple[tuple[str, Kind], ...]
    other: tuple[str, ...]


def unclassified(tables: dict[str, Table] | None = None) -> list[str]:
    """Columns ("table.column") of the schema that `CLASSIFICATION` or `PURPOSES` do not cover."""
    missing = []
    for name, table in (tables if tables is not None else dict(Base.metadata.tables)).items():
        known = CLASSIFICATION.get(name, {})
        if name not in PURPOSES:
            missing.append(f"{name} (no purpose)")
        missing += [f"{name}.{column.name}" for column in table.columns if column.name not in known]
    return missing


def build_inventory(config: SchoolConfig) -> list[TableEntry]:
    """The inventory of the schema this version of Staffroom has, with the school's retention."""
    rules = {rule.table: rule for rule in RULES}
    entries = []
    for name, table in sorted(Base.metadata.tables.items()):
        purpose = PURPOSES[name]
        kinds = CLASSIFICATION[name]
        rule = rules.get(name)
        kept = rule.describe(config) if rule is not None else purpose.kept
        personal = tuple((c.name, kinds[c.name]) for c in table.columns if kinds[c.name] is not Kind.NONE)
        other = tuple(c.name for c in table.columns if kinds[c.name] is Kind.NONE)
        entries.append(TableEntry(name, purpose, kept, personal, other))
    return entries


def render_inventory(entries: list[TableEntry]) -> str:
    """The inventory as Markdown, for the DPO (the README's Data protection section is written from it)."""
    lines: list[str] = []
    for entry in entries:
        lines += [f"### {entry.name}", "", f"- Purpose: {entry.purpose.purpose}",
                  f"- Lawful basis: {entry.purpose.lawful_basis}", f"- Kept: {entry.retention}"]
        if entry.personal:
            lines.append("- Personal data: " + ", ".join(f"`{name}` ({kind.value})" for name, kind in entry.personal))
        else:
            lines.append("- Personal data: none")
        lines += [f"- Other columns: {', '.join(entry.other)}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_inventory_table(entries: list[TableEntry]) -> str:
    """The inventory as one Markdown table (the README's Data protection section holds it for the defaults)."""
    lines = ["| table | personal data | purpose | kept |", "|---|---|---|---|"]
    for entry in entries:
        personal = ", ".join(f"`{name}`" + (" (free text)" if kind is Kind.FREE_TEXT else "")
                             for name, kind in entry.personal) or "none"
        lines.append(f"| `{entry.name}` | {personal} | {entry.purpose.purpose} | {entry.retention} |")
    return "\n".join(lines) + "\n"
