"""The question log in the database: write a question, mark 👍/👎 once, read the week's.

Rows hold the redacted words, the day and the closest sections, never a person (see
`QuestionLogRow`). A declined question is written when it is declined and its buttons carry
the row's random token; an answered question's row is written by its first 👎 or 👍, from
what its buttons carry (`bot.questions.carried`). Either way the first press decides the
feedback and every later press, by anyone, changes nothing. Old rows go with the daily
retention purge (`bot.privacy.retention`, `question_log.retention_days`).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.store.database import Database
from bot.store.tables import Base, QuestionLogRow
from bot.store.upsert import insert_for

#: Longest question or comment kept (a question over 4,000 characters is refused before this).
MAX_TEXT_CHARS = 1000
MAX_COMMENT_CHARS = 500
#: How many of the router's closest sections are kept with a question.
CLOSEST_KEPT = 3
#: Most questions in one insert.
MAX_BATCH = 200
#: The table itself, for inserts that need nothing of the ORM.
_TABLE = Base.metadata.tables[QuestionLogRow.__tablename__]


class Feedback(StrEnum):
    GOOD = "good"
    BAD = "bad"


class Marked(StrEnum):
    """What pressing 👍 or 👎 did."""

    RECORDED = "recorded"
    ALREADY = "already"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """A question as the log keeps it."""

    id: int
    asked_on: date
    text: str
    answered: bool
    closest: tuple[str, ...]
    feedback: Feedback | None
    comment: str

    @classmethod
    def from_row(cls, row: QuestionLogRow) -> LoggedQuestion:
        return cls(row.id, row.asked_on, row.text, row.answered, tuple(row.closest),
                   Feedback(row.feedback) if row.feedback else None, row.comment)


def new_token() -> str:
    """A random token for an answer's buttons: 128 bits, unguessable, meaning nothing."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True, slots=True)
class NewQuestion:
    """A question to keep, already redacted."""

    school_id: str
    text: str
    answered: bool
    closest: tuple[str, ...]
    asked_on: date

    def values(self, token: str) -> dict[str, object]:
        return {"school_id": self.school_id, "token": token, "asked_on": self.asked_on,
                "text": self.text[:MAX_TEXT_CHARS], "answered": self.answered,
                "closest": list(self.closest[:CLOSEST_KEPT]), "feedback": None, "comment": ""}


async def keep_questions(session: AsyncSession | AsyncConnection, questions: Sequence[tuple[NewQuestion, str]],
                         ) -> None:
    """Insert (question, token) pairs in one statement (the table's own, cached: the ORM adds nothing here)."""
    if questions:
        rows = [question.values(token) for question, token in questions]
        await session.execute(insert(_TABLE), rows)


async def log_question(session: AsyncSession, school_id: str, text: str, *, answered: bool,
                       closest: Sequence[str], asked_on: date) -> str:
    """Keep one (already redacted) question; returns the token its answer's buttons carry."""
    token = new_token()
    await keep_questions(session, [(NewQuestion(school_id, text, answered, tuple(closest), asked_on), token)])
    return token


class QuestionWriter:
    """Writes questions in batches: every question that arrived meanwhile shares one commit.

    `await writer.keep(question)` returns the token once the row is committed, so an answer's
    buttons never go out before a 👎 could find its question. On SQLite the commit is most of
    the cost, and a burst of questions would otherwise pay it once each.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self._waiting: list[tuple[NewQuestion, str, asyncio.Future[str]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def keep(self, question: NewQuestion) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.append((question, new_token(), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                async with self.database.engine.begin() as connection:  # no ORM session: it would add only cost
                    await keep_questions(connection, [(question, token) for question, token, _ in batch])
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for _, token, future in batch:
                if not future.done():
                    future.set_result(token)


async def mark_answer(session: AsyncSession, school_id: str, token: str, feedback: Feedback) -> Marked:
    """Record 👍 or 👎 on an answer once: a conditional update, so a second press (or a race) changes nothing."""
    result = await session.execute(
        update(QuestionLogRow)
        .where(QuestionLogRow.school_id == school_id, QuestionLogRow.token == token,
               QuestionLogRow.feedback.is_(None))
        .values(feedback=feedback.value)
    )
    if getattr(result, "rowcount", 0) == 1:
        return Marked.RECORDED
    found = await session.scalar(
        select(QuestionLogRow.id).where(QuestionLogRow.school_id == school_id, QuestionLogRow.token == token)
    )
    return Marked.ALREADY if found is not None else Marked.UNKNOWN


async def record_answer_feedback(session: AsyncSession, question: NewQuestion, token: str,
                                 feedback: Feedback) -> Marked:
    """The first 👍/👎 on an answered question writes its row; any later press (same token) changes nothing.

    A 👎 keeps the (redacted) words and the closest sections; a 👍 keeps only that it was
    pressed, so a later 👎 on the same answer is "already noted" and no words are held for it.
    """
    values = question.values(token) | {"answered": True, "feedback": feedback.value}
    if feedback is Feedback.GOOD:
        values |= {"text": "", "closest": []}
    statement = (insert_for(session, QuestionLogRow).values(**values)
                 .on_conflict_do_nothing(index_elements=["token"]).returning(QuestionLogRow.id))
    return Marked.RECORDED if await session.scalar(statement) is not None else Marked.ALREADY


async def add_comment(session: AsyncSession, school_id: str, token: str, comment: str) -> bool:
    """"What were you looking for?" after a 👎: kept once (redacted by the caller), never overwritten."""
    result = await session.execute(
        update(QuestionLogRow)
        .where(QuestionLogRow.school_id == school_id, QuestionLogRow.token == token,
               QuestionLogRow.feedback == Feedback.BAD.value, QuestionLogRow.comment == "")
        .values(comment=comment[:MAX_COMMENT_CHARS])
    )
    return getattr(result, "rowcount", 0) == 1


async def read_logged(session: AsyncSession, school_id: str, since: date, until: date | None = None,
                      ) -> list[LoggedQuestion]:
    """The questions kept for the school's report: declined ones and answers marked 👎, oldest first."""
    query = select(QuestionLogRow).where(
        QuestionLogRow.school_id == school_id,
        QuestionLogRow.asked_on >= since,
        or_(QuestionLogRow.answered.is_(False), QuestionLogRow.feedback == Feedback.BAD.value),
    )
    if until is not None:
        query = query.where(QuestionLogRow.asked_on <= until)
    rows = await session.scalars(query.order_by(QuestionLogRow.asked_on, QuestionLogRow.id))
    return [LoggedQuestion.from_row(row) for row in rows]


async def find_logged(session: AsyncSession, school_id: str, entry_id: int) -> LoggedQuestion | None:
    row = await session.get(QuestionLogRow, entry_id)
    return LoggedQuestion.from_row(row) if row is not None and row.school_id == school_id else None
