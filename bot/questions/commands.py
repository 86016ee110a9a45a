"""`staffroom questions report [--since DATE]` and `staffroom questions teach "PHRASE" --section "TITLE · NUMBER"`."""

from __future__ import annotations

import asyncio
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from bot.clock import Clock, SystemClock
from bot.questions.desk import answered_from
from bot.questions.log import read_logged
from bot.questions.report import group_questions, render_report
from bot.questions.teaching import TeachError, all_sections, find_section, find_taught_section, teach_phrase
from bot.school import School
from bot.store.database import open_database
from intents.policy_library import PolicyLibrary
from intents.router import Router

#: The report covers the last week unless told otherwise.
DEFAULT_REPORT_DAYS = 7


def parse_since(text: str | None, school: School, clock: Clock) -> date | str:
    """`--since` as a date (default: a week ago in the school's zone), or what is wrong with it."""
    today = school.calendar.local_date(clock.now())
    if not text:
        return today - timedelta(days=DEFAULT_REPORT_DAYS)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return f"'{text}' is not a date: use YYYY-MM-DD, e.g. {today.isoformat()}."


def report_questions(school: School, router: Router, since_text: str | None, *, url: str | None = None,
                     clock: Clock | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the logged questions since the date, grouped by what they ask."""
    out, err = out or sys.stdout, err or sys.stderr
    since = parse_since(since_text, school, clock or SystemClock())
    if isinstance(since, str):
        print(since, file=err)
        return 2

    async def run() -> str:
        database = await open_database(url)
        try:
            async with database.reading() as session:
                questions = await read_logged(session, school.id, since)
        finally:
            await database.close()
        return render_report(group_questions(questions, router.analyzer), since)

    print(asyncio.run(run()), end="", file=out)
    return 0


def teach_wording(folder: Path, library: PolicyLibrary, phrase: str, section_text: str, *, undo: bool = False,
                  clock: Clock | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Add the wording to the section in topics.yaml (or take it out), then show what asking it gets now.

    `--undo` also takes a wording out of a section the policies no longer have (a re-imported policy lost
    it), which the folder's check reports and which would otherwise stop the assistant loading."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        section = find_taught_section(folder, library, section_text) if undo else find_section(library, section_text)
        taught = teach_phrase(folder, library, phrase, section, undo=undo)
    except TeachError as error:
        print(error, file=err)
        return 2
    phrase = " ".join(phrase.split())
    if not taught.changed:
        state = "isn't taught to" if undo else "is already taught to"
        print(f"“{phrase}” {state} {section.label} in {taught.file}; nothing changed.", file=out)
        return 0
    done = "Removed" if undo else "Taught"
    print(f"{done}: “{phrase}” → {section.label} in {taught.file}.", file=out)
    if section not in all_sections(library):
        print(f"{section.label} is no longer in the policies; run `staffroom policies check` to see what else "
              "needs a person.", file=out)
        return 0
    today = (clock or SystemClock()).now().date()
    fresh = Router.from_folder(folder)
    if answered_from(fresh, phrase, str(section.citation), today):
        print(f"Asking “{phrase}” now gets {section.citation}.", file=out)
    elif undo:
        print(f"Asking “{phrase}” no longer gets {section.citation}.", file=out)
    else:
        print(f"Asking “{phrase}” still isn't answered from {section.citation}: try a shorter wording, "
              "in the words staff use.", file=out)
    print("A running `staffroom serve` picks the change up with the next question.", file=out)
    return 0
