"""Subject access: everything held about one person, as a readable report and as JSON, in one zip.

Their own requests come with every audit entry (the reasons approvers gave were sent to
them); their decisions on other people's requests name the requester but never carry that
person's note or details; messages to them are given by their headline (an approver's card
also showed the requester's note: that is the requester's data, not repeated here).
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.messages import Reply
from bot.privacy.holdings import Holdings
from bot.requests.describe import name_of
from bot.school import School
from bot.store.tables import AuditRow, OutboxRow, RequestRow

REPORT_FILE = "report.md"
DATA_FILE = "data.json"


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _message_text(row: OutboxRow) -> str:
    try:
        reply = Reply.model_validate_json(row.reply)
    except ValueError:
        return ""
    return reply.text


def _audit(school: School, entry: AuditRow) -> dict[str, Any]:
    return {"at": _when(entry.at), "event": entry.event, "by": name_of(school, entry.actor_email),
            "from_state": entry.from_state, "to_state": entry.to_state, "step": entry.step, "note": entry.note}


def _own_request(school: School, row: RequestRow, audit: list[AuditRow]) -> dict[str, Any]:
    return {
        "id": row.id, "type": row.type, "state": row.state,
        "start_date": _when(row.start_date), "end_date": _when(row.end_date), "weekday": row.weekday,
        "details": row.details, "note": row.note,
        "approvers": [name_of(school, email) for email in row.chain],
        "created_at": _when(row.created_at), "updated_at": _when(row.updated_at),
        "decided_by": name_of(school, row.decided_by) if row.decided_by else None,
        "decided_at": _when(row.decided_at), "agreement_accepted_at": _when(row.agreement_accepted_at),
        "audit": [_audit(school, entry) for entry in audit],
    }


def build_export(school: School, held: Holdings, now: datetime) -> dict[str, Any]:
    """The machine-readable record (what `data.json` holds)."""
    member = held.member
    directory = None
    if member is not None:
        directory = {
            "name": member.name, "email": member.email, "job_title": member.job_title,
            "line_manager": name_of(school, member.line_manager) if member.line_manager else None,
            "slack_user_id": member.slack_user_id, "teams_user_id": member.teams_user_id,
            "roles": [role.value for role in school.directory.roles_of(member.email)],
            "delegations": [
                {"approver": name_of(school, d.approver), "delegate": name_of(school, d.delegate),
                 "start": _when(d.start), "end": _when(d.end)}
                for d in school.config.delegates if member.email in (d.approver, d.delegate)
            ],
        }
    return {
        "subject": held.email,
        "school": {"id": school.id, "name": school.config.name},
        "generated_at": _when(now),
        "directory_entry": directory,
        "platform_accounts": [
            {"platform": a.platform, "workspace": a.workspace, "user_id": a.user_id,
             "first_seen": _when(a.first_seen), "last_seen": _when(a.last_seen),
             "conversation_recorded": a.conversation is not None}
            for a in held.accounts
        ],
        "requests": [_own_request(school, row, held.audit.get(row.id, [])) for row in held.requests],
        "decisions_on_others_requests": [
            {"request_id": request.id, "requester": name_of(school, request.requester_email),
             "type": request.type, "start_date": _when(request.start_date), "end_date": _when(request.end_date),
             "event": entry.event, "at": _when(entry.at), "your_note": entry.note}
            for entry, request in held.decisions
        ],
        "check_ins_about_you": [
            {"day": _when(c.day), "recorded_by": name_of(school, c.manager_email), "recorded_at": _when(c.recorded_at)}
            for c in held.check_ins_about
        ],
        "check_ins_you_recorded": [
            {"day": _when(c.day), "about": name_of(school, c.staff_email), "recorded_at": _when(c.recorded_at)}
            for c in held.check_ins_recorded
        ],
        "messages_to_you": [
            {"id": m.id, "reason": m.reason, "created_at": _when(m.created_at),
             "delivered_at": _when(m.delivered_at), "given_up_at": _when(m.dead_at), "platform": m.platform,
             "text": _message_text(m)}
            for m in held.messages_to
        ],
    }


def _table(headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def render_report(data: dict[str, Any]) -> str:
    """The human-readable report (Markdown) of `build_export`'s record."""
    lines = [f"# Data held about {data['subject']}", "",
             f"{data['school']['name']}, generated {data['generated_at']}.",
             f"The same record, machine-readable, is in {DATA_FILE}.", ""]
    entry = data["directory_entry"]
    lines += ["## Staff directory", ""]
    if entry is None:
        lines += ["Not in the staff directory.", ""]
    else:
        lines += [f"- Name: {entry['name']}", f"- Email: {entry['email']}", f"- Job title: {entry['job_title']}",
                  f"- Line manager: {entry['line_manager'] or '—'}", f"- Roles: {', '.join(entry['roles']) or '—'}",
                  f"- Slack user id: {entry['slack_user_id'] or '—'}",
                  f"- Teams user id: {entry['teams_user_id'] or '—'}", ""]
    lines += ["## Chat accounts", ""]
    lines += _table(("Platform", "Workspace", "User id", "First seen", "Last seen"),
                    [(a["platform"], a["workspace"], a["user_id"], a["first_seen"], a["last_seen"])
                     for a in data["platform_accounts"]])
    lines += ["## Your requests", ""]
    if not data["requests"]:
        lines += ["None.", ""]
    for request in data["requests"]:
        lines += [f"### Request #{request['id']} ({request['type']}), {request['state']}", "",
                  f"- Dates: {request['start_date']} to {request['end_date']}",
                  f"- Details: {json.dumps(request['details'], ensure_ascii=False)}",
                  f"- Note: {request['note'] or '—'}",
                  f"- Approvers: {', '.join(request['approvers'])}", ""]
        lines += _table(("When", "What", "By", "Note"),
                        [(a["at"], a["event"], a["by"], a["note"]) for a in request["audit"]])
    lines += ["## Your decisions on other people's requests", ""]
    lines += _table(("When", "Request", "Requester", "Decision", "Your note"),
                    [(d["at"], f"#{d['request_id']}", d["requester"], d["event"], d["your_note"])
                     for d in data["decisions_on_others_requests"]])
    lines += ["## Check-ins recorded about you", ""]
    lines += _table(("Day", "Recorded by", "At"),
                    [(c["day"], c["recorded_by"], c["recorded_at"]) for c in data["check_ins_about_you"]])
    lines += ["## Check-ins you recorded", ""]
    lines += _table(("Day", "About", "At"),
                    [(c["day"], c["about"], c["recorded_at"]) for c in data["check_ins_you_recorded"]])
    lines += ["## Messages to you", ""]
    lines += _table(("Queued", "Delivered", "Why", "Text"),
                    [(m["created_at"], m["delivered_at"] or "not yet", m["reason"], m["text"])
                     for m in data["messages_to_you"]])
    return "\n".join(lines)


def write_export(path: Path, data: dict[str, Any]) -> None:
    """Write the zip; raise OSError when it can't be written (nothing is left half-written)."""
    archive = zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED)  # never over an existing file
    try:
        with archive:
            archive.writestr(REPORT_FILE, render_report(data))
            archive.writestr(DATA_FILE, json.dumps(data, ensure_ascii=False, indent=2))
    except OSError:
        path.unlink(missing_ok=True)
        raise
