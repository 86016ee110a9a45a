"""The check-in buttons: "Checked in", "Remind me later", "Send wellbeing resources", and the
staff member's "All good" / "I'd like a chat".

Who may press what comes from the verified person, the directory and the database: only a
report's own line manager records their check-in, and only for a day they worked from
home; only the staff member answers their own morning message. The button says only which
report and which day. Every message to someone else goes through the outbox once (a key
per person and day), so a double click sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.prompts import (
    ALL_GOOD,
    CHECKED_IN,
    LIKE_A_CHAT,
    REMIND_LATER,
    SEND_RESOURCES,
    ButtonTarget,
    describe_day,
    read_button_value,
    render_prompt,
    render_resources,
)
from bot.checkins.roster import HomeWorker, home_workers
from bot.messages import Action, Notice, Reply, TextBlock
from bot.requests.policy import quote_policy
from bot.requests.workflow import RequestWorkflow
from bot.school import School, StaffMember
from bot.store.outbox import add_notice_once
from bot.store.tables import CheckInRow
from bot.store.upsert import insert_for

STALE = "That button is from an old message I can't read any more. Nothing was changed."


def _text(text: str) -> Reply:
    return Reply(text=text, blocks=(TextBlock(text=text),), ephemeral=True)


def _when(school: School, moment: datetime, now: datetime) -> str:
    local = moment.astimezone(school.calendar.zone)
    today = school.calendar.local_date(now)
    if local.date() == today:
        return f"at {local:%H:%M} today"
    return f"on {describe_day(local.date())} at {local:%H:%M}"


async def _home_worker(session: AsyncSession, school: School, target: ButtonTarget) -> HomeWorker | None:
    workers = (await home_workers(session, school, target.day, target.day)).get(target.day, [])
    return next((w for w in workers if w.member.email == target.staff_email), None)


async def handle_checkin_action(workflow: RequestWorkflow, action: Action, now: datetime) -> Reply:
    """Apply one check-in button press from a verified person; a refusal changes nothing."""
    school = workflow.school
    member = school.directory.find_person(action.person)
    if member is None and action.person.unidentified:
        from bot.requests.conversation import UNIDENTIFIED

        return _text(UNIDENTIFIED)
    if member is None:
        return _text(f"I can't find you in the staff directory. Please ask {school.config.directory_contact}.")
    target = read_button_value(action.value)
    if target is None:
        return _text(STALE)
    if action.action_id in (ALL_GOOD, LIKE_A_CHAT):
        return await _answer_morning(workflow, member, target, action.action_id, now)
    staff = school.directory.get(target.staff_email)
    if staff is None or staff.line_manager != member.email:
        return _text("Only a colleague's line manager can use these check-in buttons. Nothing was changed.")
    if target.day > school.calendar.local_date(now):
        return _text(f"{describe_day(target.day)} hasn't come yet. Nothing was changed.")
    async with workflow.database.transaction() as session:
        worker = await _home_worker(session, school, target)
        if worker is None:
            return _text(f"{staff.name} isn't working from home on {describe_day(target.day)} "
                         "(the request may have been cancelled). Nothing was changed.")
        if action.action_id == CHECKED_IN:
            return await _record_check_in(session, school, member, staff, target, now)
        if action.action_id == REMIND_LATER:
            return await _remind_later(session, school, member, worker, target, now)
        if action.action_id == SEND_RESOURCES:
            return await _send_resources(session, workflow, member, staff, target, now)
    return _text(STALE)


async def _recorded(session: AsyncSession, school: School, target: ButtonTarget) -> CheckInRow | None:
    return await session.scalar(select(CheckInRow).where(
        CheckInRow.school_id == school.id, CheckInRow.staff_email == target.staff_email, CheckInRow.day == target.day))


async def _record_check_in(session: AsyncSession, school: School, member: StaffMember, staff: StaffMember,
                           target: ButtonTarget, now: datetime) -> Reply:
    statement = (
        insert_for(session, CheckInRow)
        .values(school_id=school.id, staff_email=staff.email, day=target.day, manager_email=member.email,
                recorded_at=now)
        .on_conflict_do_nothing(index_elements=["school_id", "staff_email", "day"])
        .returning(CheckInRow.id)
    )
    if await session.scalar(statement) is not None:
        return _text(f"Recorded: you checked in with {staff.name} ({describe_day(target.day)}).")
    existing = await _recorded(session, school, target)
    when = _when(school, existing.recorded_at, now) if existing else "earlier"
    return _text(f"Your check-in with {staff.name} was already recorded {when}.")


async def _remind_later(session: AsyncSession, school: School, member: StaffMember, worker: HomeWorker,
                        target: ButtonTarget, now: datetime) -> Reply:
    if await _recorded(session, school, target) is not None:
        return _text(f"Your check-in with {worker.member.name} is already recorded, so no reminder is needed.")
    calendar = school.calendar
    afternoon = calendar.at(target.day, school.config.check_ins.afternoon_reminder)
    same_day = calendar.local_date(now) == target.day
    when = afternoon if same_day and now < afternoon else calendar.next_working_morning(now)
    notice = Notice(recipient_email=member.email, reply=render_prompt([worker], target.day, reminder=True),
                    reason="checkin.reminder")
    key = f"checkin.later:{school.id}:{member.email}:{worker.member.email}:{target.day.isoformat()}:{when.isoformat()}"
    new = await add_notice_once(session, school.id, notice, dedupe_key=key, now=now, deliver_after=when)
    said = "I'll remind you" if new else "You'll already be reminded"
    return _text(f"{said} about {worker.member.name} {_when(school, when, now)}.")


async def _send_resources(session: AsyncSession, workflow: RequestWorkflow, member: StaffMember,
                          staff: StaffMember, target: ButtonTarget, now: datetime) -> Reply:
    school = workflow.school
    reference = school.config.check_ins.wellbeing_policy
    quotes = quote_policy(workflow.library, [reference])
    if not quotes:
        return _text(f"I can't find section {reference.section} of the {reference.document} in the policy "
                     f"library, so nothing was sent. Please ask {school.config.directory_contact}.")
    notice = Notice(recipient_email=staff.email, reply=render_resources(quotes, member.name),
                    reason="checkin.resources")
    key = f"checkin.resources:{school.id}:{staff.email}:{target.day.isoformat()}"
    new = await add_notice_once(session, school.id, notice, dedupe_key=key, now=now,
                                deliver_after=school.calendar.deliver_at(now))
    if not new:
        return _text(f"{staff.name} has already been sent the wellbeing support for {describe_day(target.day)}.")
    return _text(f"I've sent {staff.name} the wellbeing support from {quotes[0].citation}.")


async def _answer_morning(workflow: RequestWorkflow, member: StaffMember, target: ButtonTarget, action_id: str,
                          now: datetime) -> Reply:
    school = workflow.school
    if member.email != target.staff_email:
        return _text("This question was for someone else. Nothing was changed.")
    if action_id == ALL_GOOD:
        return _text("Glad to hear it. Have a good day!")
    manager = school.directory.line_manager_of(member.email)
    if manager is None:
        return _text("You have no line manager in the staff directory, so I couldn't pass that on. "
                     f"Please speak to {school.config.directory_contact}.")
    if target.day != school.calendar.local_date(now):
        return _text(f"That question was about {describe_day(target.day)}. Please message {manager.name} directly.")
    text = f"{member.name}, working from home today, would like a chat."
    notice = Notice(recipient_email=manager.email, reply=Reply(text=text, blocks=(TextBlock(text=text),)),
                    reason="checkin.chat")
    key = f"checkin.chat:{school.id}:{member.email}:{target.day.isoformat()}"
    async with workflow.database.transaction() as session:
        new = await add_notice_once(session, school.id, notice, dedupe_key=key, now=now,
                                    deliver_after=school.calendar.deliver_at(now))
    if not new:
        return _text(f"{manager.name} already knows you'd like a chat today.")
    return _text(f"I've let {manager.name} know you'd like a chat.")
