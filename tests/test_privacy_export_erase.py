"""Subject access and erasure: all of one person's data, nothing of anyone else's; erasure keeps the record."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import DEPUTY, HEAD, OTHER_TEACHER, PHASE_LEADER, TEACHER, action, wfh_inputs
from privacy_builders import add_account, add_check_in
from sqlalchemy import select

from bot.clock import FakeClock
from bot.privacy.commands import run_erase, run_export
from bot.privacy.erase import PSEUDONYM_PREFIX
from bot.requests.conversation import RequestConversation
from bot.requests.workflow import RequestWorkflow
from bot.school import School, parse_school
from bot.store.database import Database, open_database
from bot.store.tables import AuditRow, Base, RequestRow
from intents.policy_library import PolicyLibrary

TEACHER_NOTE = "Dentist appointment Zebracorn"
TEACHER_CANCELLED_NOTE = "Boiler engineer Quokkabell"
MANAGER_NOTE = "Priya own errand Marmotide"
DECLINE_REASON = "Cover is short Narwhalix"
OTHER_NOTE = "Amira private matter Axolotlex"
TEACHER_BLOCK = (
    "  - name: Sam Carter\n    email: s.carter@oakfield.example\n    job_title: Year 5 Teacher\n"
    "    line_manager: p.shah@oakfield.example\n"
)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'privacy.sqlite3'}"


def without_teacher(school: School, tmp_path: Path) -> School:
    """The school after Sam Carter left: their entry removed from school.yaml."""
    text = school.file.read_text("utf-8")
    assert TEACHER_BLOCK in text
    return parse_school(tmp_path / "school.yaml", text.replace(TEACHER_BLOCK, ""))


async def fill(school: School, library: PolicyLibrary, url: str, clock: FakeClock, *, pending: bool = False) -> None:
    """Sam's request declined by Priya, one cancelled; Priya's and Amira's own; check-ins; accounts."""
    database = await open_database(url)
    conversation = RequestConversation(RequestWorkflow(school, database, library))
    now = clock.now()

    async def act(who: str, action_id: str, value: str | int, **inputs: str) -> None:
        await conversation.handle_action(action(who, action_id, value, **inputs), now)

    await act(TEACHER, "request.submit", "wfh", **wfh_inputs(note=TEACHER_NOTE))  # 1
    await act(OTHER_TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-11-30", note=OTHER_NOTE))  # 2
    await act(PHASE_LEADER, "request.submit", "wfh", **wfh_inputs(start="2026-12-01", note=MANAGER_NOTE))  # 3
    await act(PHASE_LEADER, "request.decline_reason", 1, reason=DECLINE_REASON)
    await act(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-12-02", note=TEACHER_CANCELLED_NOTE))  # 4
    await act(TEACHER, "request.cancel", 4)
    if pending:
        await act(TEACHER, "request.submit", "wfh", **wfh_inputs(start="2026-12-03", note="Still waiting"))  # 5
    today = clock.now().date()
    await add_check_in(database, staff=TEACHER, manager=PHASE_LEADER, day=today - timedelta(days=3), at=now)
    await add_check_in(database, staff=PHASE_LEADER, manager=DEPUTY, day=today - timedelta(days=3), at=now)
    await add_check_in(database, staff=OTHER_TEACHER, manager="t.whitfield@oakfield.example",
                       day=today - timedelta(days=3), at=now)
    await add_account(database, user_id="U0TEACH", email=TEACHER, at=now)
    await add_account(database, user_id="U0MGR", email=PHASE_LEADER, at=now)
    await database.close()


def read_zip(path: Path) -> tuple[str, dict[str, Any], str]:
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["data.json", "report.md"]
        report = archive.read("report.md").decode()
        raw = archive.read("data.json").decode()
    return report, json.loads(raw), raw


def dump_tables(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as text-comparable dicts."""
    async def dump() -> dict[str, list[dict[str, Any]]]:
        database = await open_database(url)
        try:
            async with database.reading() as session:
                found = {}
                for table in Base.metadata.sorted_tables:
                    rows = (await session.execute(select(table).order_by(*table.primary_key.columns))).mappings()
                    found[table.name] = [{k: str(v) for k, v in row.items()} for row in rows.all()]
                return found
        finally:
            await database.close()

    return asyncio.run(dump())


@pytest.fixture
def filled(school: School, library: PolicyLibrary, url: str, clock: FakeClock) -> Iterator[str]:
    asyncio.run(fill(school, library, url, clock))
    yield url


def test_export_holds_requests_decisions_and_check_ins_and_no_one_elses_reasons(
    school: School, filled: str, clock: FakeClock, tmp_path: Path
) -> None:
    out = io.StringIO()
    target = tmp_path / "priya.zip"
    assert run_export(school, PHASE_LEADER.upper(), target, url=filled, clock=clock, out=out) == 0, out.getvalue()
    report, data, raw = read_zip(target)
    assert data["directory_entry"]["name"] == "Priya Shah"
    assert [a["user_id"] for a in data["platform_accounts"]] == ["U0MGR"]
    [own] = data["requests"]
    assert own["note"] == MANAGER_NOTE and [a["event"] for a in own["audit"]] == ["submit"]
    [decision] = data["decisions_on_others_requests"]
    assert (decision["requester"], decision["event"], decision["your_note"]) == ("Sam Carter", "decline", DECLINE_REASON)
    assert [c["recorded_by"] for c in data["check_ins_about_you"]] == ["David Reyes"]
    assert [c["about"] for c in data["check_ins_you_recorded"]] == ["Sam Carter"]
    assert data["messages_to_you"], "the approver cards queued to her"
    for text in (MANAGER_NOTE, DECLINE_REASON, "Sam Carter", "David Reyes"):
        assert text in report
    for secret in (TEACHER_NOTE, TEACHER_CANCELLED_NOTE, OTHER_NOTE, "Amira"):
        assert secret not in raw and secret not in report, secret


def test_the_requester_sees_the_reason_they_were_given(
    school: School, filled: str, clock: FakeClock, tmp_path: Path
) -> None:
    target = tmp_path / "sam.zip"
    assert run_export(school, TEACHER, target, url=filled, clock=clock, out=io.StringIO()) == 0
    report, data, raw = read_zip(target)
    notes = {request["id"]: request["note"] for request in data["requests"]}
    assert notes == {1: TEACHER_NOTE, 4: TEACHER_CANCELLED_NOTE}
    decline = [a for a in data["requests"][0]["audit"] if a["event"] == "decline"]
    assert decline[0]["note"] == DECLINE_REASON and decline[0]["by"] == "Priya Shah"
    assert [c["recorded_by"] for c in data["check_ins_about_you"]] == ["Priya Shah"]
    assert any(DECLINE_REASON in m["text"] for m in data["messages_to_you"])
    for secret in (MANAGER_NOTE, OTHER_NOTE):
        assert secret not in raw and secret not in report


def test_export_refuses_bad_input_and_writes_nothing(
    school: School, filled: str, clock: FakeClock, tmp_path: Path
) -> None:
    cases = [
        ("nobody@elsewhere.example", tmp_path / "a.zip", 1, "Nothing is held about nobody@elsewhere.example"),
        ("not-an-email", tmp_path / "b.zip", 2, "is not an email address"),
        (TEACHER, Path("/proc/staffroom-export.zip"), 2, "Can't write /proc/staffroom-export.zip"),
        (TEACHER, tmp_path / "missing" / "c.zip", 2, "Can't write"),
    ]
    for email, target, status, message in cases:
        out = io.StringIO()
        assert run_export(school, email, target, url=filled, clock=clock, out=out) == status
        assert message in out.getvalue() and "nothing was written" in out.getvalue()
        assert not target.exists()
    existing = tmp_path / "existing.zip"
    existing.write_bytes(b"keep me")
    out = io.StringIO()
    assert run_export(school, TEACHER, existing, url=filled, clock=clock, out=out) == 2
    assert "already exists" in out.getvalue() and existing.read_bytes() == b"keep me"


def test_erase_pseudonymises_keeps_everyone_elses_data_and_the_audit_chain(
    school: School, filled: str, clock: FakeClock, tmp_path: Path
) -> None:
    left = without_teacher(school, tmp_path)
    before = dump_tables(filled)

    out = io.StringIO()
    assert run_erase(left, TEACHER, apply=False, name="Sam Carter", url=filled, clock=clock, out=out) == 0
    assert "2 request(s) of theirs" in out.getvalue() and "Nothing changed" in out.getvalue()
    assert dump_tables(filled) == before

    out = io.StringIO()
    assert run_erase(left, TEACHER, apply=True, name="Sam Carter", url=filled, clock=clock, out=out) == 0
    assert "Erased s.carter@oakfield.example" in out.getvalue()
    after = dump_tables(filled)
    everything = json.dumps(after)
    for personal in (TEACHER, "Sam Carter", TEACHER_NOTE, TEACHER_CANCELLED_NOTE, "U0TEACH"):
        assert personal not in everything, personal
    pseudonym = after["requests"][0]["requester_email"]
    assert pseudonym.startswith(PSEUDONYM_PREFIX) and len(pseudonym) == len(PSEUDONYM_PREFIX) + 4

    # The record of decisions: every audit entry kept, in order, with who did what.
    assert [(a["id"], a["request_id"], a["event"], a["to_state"]) for a in after["audit_log"]] == [
        (a["id"], a["request_id"], a["event"], a["to_state"]) for a in before["audit_log"]]
    actors = {(a["request_id"], a["event"]): a["actor_email"] for a in after["audit_log"]}
    assert actors[("1", "submit")] == pseudonym and actors[("1", "decline")] == PHASE_LEADER
    assert actors[("4", "cancel")] == pseudonym
    assert {a["note"] for a in after["audit_log"] if a["request_id"] in ("1", "4")} == {""}
    assert after["requests"][0]["decided_by"] == PHASE_LEADER and after["requests"][0]["state"] == "declined"

    # Everyone else's rows are exactly as they were.
    def others(tables: dict[str, list[dict[str, Any]]], name: str, column: str) -> list[dict[str, Any]]:
        return [row for row in tables[name] if row[column] != TEACHER and row[column] != pseudonym]

    assert others(after, "requests", "requester_email") == others(before, "requests", "requester_email")
    assert others(after, "check_ins", "staff_email") == others(before, "check_ins", "staff_email")
    assert others(after, "platform_accounts", "email") == others(before, "platform_accounts", "email")
    assert [r for r in after["requests"] if r["note"] == OTHER_NOTE]

    out = io.StringIO()
    assert run_export(left, TEACHER, tmp_path / "after.zip", url=filled, clock=clock, out=out) == 1
    assert "Nothing is held" in out.getvalue() and not (tmp_path / "after.zip").exists()

    out = io.StringIO()
    assert run_erase(left, TEACHER, apply=True, url=filled, clock=clock, out=out) == 0
    assert "Nothing is held" in out.getvalue()
    assert dump_tables(filled) == after


def test_erase_is_refused_while_they_hold_a_post_manage_someone_or_have_decisions_waiting(
    school: School, library: PolicyLibrary, url: str, clock: FakeClock, tmp_path: Path
) -> None:
    asyncio.run(fill(school, library, url, clock, pending=True))
    before = dump_tables(url)
    out = io.StringIO()
    assert run_erase(school, PHASE_LEADER, apply=True, url=url, clock=clock, out=out) == 1
    text = out.getvalue()
    assert "can't be erased yet (nothing was changed)" in text
    assert "requests are waiting for their decision: #5" in text
    assert "line manager of Sam Carter" in text
    assert "their own requests are still pending: #3" in text
    out = io.StringIO()
    assert run_erase(school, HEAD, apply=True, url=url, clock=clock, out=out) == 1
    assert "post of headteacher" in out.getvalue()
    out = io.StringIO()
    assert run_erase(without_teacher(school, tmp_path), TEACHER, apply=True, url=url, clock=clock, out=out) == 1
    assert "their own requests are still pending: #5" in out.getvalue()
    out = io.StringIO()
    assert run_erase(school, "not-an-email", apply=True, url=url, clock=clock, out=out) == 2
    assert dump_tables(url) == before


def test_erase_of_an_unknown_email_changes_nothing(school: School, filled: str, clock: FakeClock) -> None:
    before = dump_tables(filled)
    out = io.StringIO()
    assert run_erase(school, "nobody@elsewhere.example", apply=True, url=filled, clock=clock, out=out) == 0
    assert "Nothing is held about nobody@elsewhere.example" in out.getvalue()
    assert dump_tables(filled) == before


async def test_erase_works_on_every_database(
    school: School, database: Database, workflow: RequestWorkflow, clock: FakeClock, tmp_path: Path
) -> None:
    from bot.privacy.erase import erase

    conversation = RequestConversation(workflow)
    await conversation.handle_action(action(TEACHER, "request.submit", "wfh", **wfh_inputs(note=TEACHER_NOTE)),
                                     clock.now())
    await conversation.handle_action(action(TEACHER, "request.cancel", 1), clock.now())
    plan, pseudonym = await erase(database, without_teacher(school, tmp_path), TEACHER, clock.now())
    assert pseudonym is not None and not plan.refusals
    async with database.reading() as session:
        row = await session.get(RequestRow, 1)
        actors = list(await session.scalars(select(AuditRow.actor_email).order_by(AuditRow.id)))
    assert row is not None and row.note == "" and row.requester_email == pseudonym
    assert actors == [pseudonym, pseudonym]
