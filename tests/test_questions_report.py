"""`staffroom questions report`: logged questions grouped by what they ask, with counts and closest sections."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.cli import main
from bot.clock import FakeClock
from bot.questions.log import Feedback, LoggedQuestion, add_comment, log_question, mark_answer
from bot.questions.report import group_questions
from bot.school import School
from bot.store.database import Database
from intents.router import Router


def logged(number: int, text: str, *, closest: tuple[str, ...] = ()) -> LoggedQuestion:
    return LoggedQuestion(number, date(2000, 1, 1), text, False, closest, None, "")


def test_wordings_of_one_question_are_grouped_and_other_questions_are_not(school: School) -> None:
    analyzer = Router.from_folder(school.folder).analyzer
    questions = [
        logged(1, "can I take a sabbatical?", closest=("WFH · 3",)),
        logged(2, "where do I park my car?"),
        logged(3, "Can i take a sabatical"),
        logged(4, "sabbatical leave?", closest=("WFH · 3", "WFH · 4")),
        logged(5, "can i take a sabbatical?"),
        logged(6, "is there parking for my car"),
    ]
    groups = group_questions(questions, analyzer)
    assert [[q.id for q in group.questions] for group in groups] == [[1, 3, 4, 5], [2, 6]]
    assert groups[0].wording == "can I take a sabbatical?"  # the commonest wording, first asked among equals
    assert groups[0].representative.id == 1
    assert groups[0].closest == ["WFH · 3", "WFH · 4"]
    assert groups[0].other_wordings == ["Can i take a sabatical", "sabbatical leave?"]


async def test_the_report_lists_groups_with_counts_comments_and_the_command_to_teach(
    school: School, database: Database, database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    today = school.calendar.local_date(clock.now())
    citation = "Working from Home Policy · 3 Circumstances when staff may work from home"
    async with database.transaction() as session:
        for text, day in (("can I take a sabbatical?", today), ("can i take a sabbatical", today - timedelta(days=2)),
                          ("an old question", today - timedelta(days=30))):
            await log_question(session, school.id, text, answered=False, closest=[citation], asked_on=day)
        token = await log_question(session, school.id, "who do I contact about IT?", answered=True,
                                   closest=["Remote Learning Policy for staff · Who to Contact"], asked_on=today)
        await mark_answer(session, school.id, token, Feedback.BAD)
        await add_comment(session, school.id, token, "the helpdesk hours")
        await log_question(session, school.id, "answered and nobody minded", answered=True, closest=[], asked_on=today)
    monkeypatch.setenv("DATABASE_URL", database_url)
    since = (today - timedelta(days=7)).isoformat()
    assert await asyncio.to_thread(main, ["questions", "report", "--since", since]) == 0
    out = capsys.readouterr().out
    assert f"since {since}: 3 in 2 group(s)" in out
    assert "  1. 2× “can i take a sabbatical”  (2 declined)" in out  # the first asked of equally common wordings
    assert f"closest: {citation}" in out
    assert f"teach: staffroom questions teach 'can i take a sabbatical' --section '{citation}'" in out
    assert "  2. 1× “who do I contact about IT?”  (1 👎)" in out and "looking for: “the helpdesk hours”" in out
    assert "an old question" not in out and "nobody minded" not in out

    assert await asyncio.to_thread(main, ["questions", "report", "--since", "last week"]) == 2
    assert "'last week' is not a date" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["questions", "report", "--since", (today + timedelta(days=1)).isoformat()]) == 0
    assert "No questions logged since" in capsys.readouterr().out
