"""What check-ins say: the line manager's prompt, the staff morning message, the weekly notes.

Buttons carry only which report and which day; who pressed and whether they may is
decided from the verified person and the database (see `bot.checkins.actions`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.checkins.roster import HomeWorker
from bot.messages import Block, Button, ButtonsBlock, QuoteBlock, Reply, TextBlock

CHECKED_IN = "checkin.done"
REMIND_LATER = "checkin.later"
SEND_RESOURCES = "checkin.resources"
ALL_GOOD = "checkin.ok"
LIKE_A_CHAT = "checkin.chat"
ACTION_IDS = frozenset({CHECKED_IN, REMIND_LATER, SEND_RESOURCES, ALL_GOOD, LIKE_A_CHAT})

_PARTS = {"morning": " (morning)", "afternoon": " (afternoon)"}


def is_checkin_action(action_id: str) -> bool:
    return action_id in ACTION_IDS


def describe_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def button_value(staff_email: str, day: date) -> str:
    return json.dumps({"staff": staff_email, "day": day.isoformat()}, sort_keys=True)


@dataclass(frozen=True, slots=True)
class ButtonTarget:
    """Which report and which day a check-in button is about (nothing about who pressed it)."""

    staff_email: str
    day: date


def read_button_value(value: str) -> ButtonTarget | None:
    """The report and day from a button, or None when the value is not one of ours."""
    try:
        data = json.loads(value)
        return ButtonTarget(str(data["staff"]).strip().lower(), date.fromisoformat(str(data["day"])))
    except (ValueError, TypeError, KeyError, RecursionError):  # RecursionError: nested too deep to read
        return None


def _worker_line(worker: HomeWorker) -> str:
    job = f", {worker.member.job_title}" if worker.member.job_title else ""
    return f"{worker.member.name}{job}{_PARTS.get(worker.part_of_day, '')}"


def render_prompt(workers: Sequence[HomeWorker], day: date, *, reminder: bool = False) -> Reply:
    """The line manager's message: each report working from home, with the three buttons."""
    count = len(workers)
    who = "1 of your team is" if count == 1 else f"{count} of your team are"
    head = (
        f"Reminder: a wellbeing check-in with {_worker_line(workers[0])}, working from home {describe_day(day)}."
        if reminder and count == 1
        else f"Wellbeing check-in: {who} working from home today ({describe_day(day)}). "
        "A quick call or message supports them."
    )
    blocks: list[Block] = [TextBlock(text=head)]
    for worker in workers:
        value = button_value(worker.member.email, day)
        if not (reminder and count == 1):
            blocks.append(TextBlock(text=_worker_line(worker)))
        blocks.append(ButtonsBlock(buttons=(
            Button(label="Checked in", action_id=CHECKED_IN, value=value, style="primary"),
            Button(label="Remind me later", action_id=REMIND_LATER, value=value),
            Button(label="Send wellbeing resources", action_id=SEND_RESOURCES, value=value),
        )))
    text = "\n".join([head, *(f"- {_worker_line(w)}" for w in workers)]) if not reminder else head
    return Reply(text=text, blocks=tuple(blocks))


def render_morning_message(staff_email: str, day: date) -> Reply:
    """The optional morning message to someone working from home."""
    text = "Good morning! You're working from home today. How's today going?"
    value = button_value(staff_email, day)
    return Reply(text=text, blocks=(
        TextBlock(text=text),
        ButtonsBlock(buttons=(
            Button(label="All good", action_id=ALL_GOOD, value=value, style="primary"),
            Button(label="I'd like a chat", action_id=LIKE_A_CHAT, value=value),
        )),
    ))


def render_resources(quotes: Sequence[QuoteBlock], manager_name: str) -> Reply:
    """The wellbeing support the policy lists, quoted with its citation, for the staff member."""
    head = f"{manager_name} thought you might find the school's wellbeing support useful:"
    body = "\n\n".join(f"{q.citation}:\n{q.text}" for q in quotes)
    return Reply(text=f"{head}\n\n{body}", blocks=(TextBlock(text=head), *quotes))


def render_unchecked(names: Sequence[tuple[str, Sequence[date]]], first: date, last: date) -> Reply:
    """The line manager's end-of-week list of reports who worked from home without a recorded check-in."""
    head = (
        f"This week ({describe_day(first)} – {describe_day(last)}) no check-in was recorded with "
        f"{'this colleague' if len(names) == 1 else 'these colleagues'} on the days they worked from home:"
    )
    lines = [f"{name}: {', '.join(describe_day(day) for day in days)}" for name, days in names]
    return Reply(text="\n".join([head, *(f"- {line}" for line in lines)]),
                 blocks=(TextBlock(text=head), *(TextBlock(text=line) for line in lines)))


def render_head_summary(staff: int, days: int, checked: int, first: date, last: date) -> Reply:
    """The headteacher's weekly note: counts only, never names."""
    text = (
        f"Working from home this week ({describe_day(first)} – {describe_day(last)}): {staff} "
        f"{'member' if staff == 1 else 'members'} of staff, {days} staff-{'day' if days == 1 else 'days'}; "
        f"check-ins recorded on {checked} of those days."
    )
    return Reply(text=text, blocks=(TextBlock(text=text),))
