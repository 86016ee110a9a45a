"""The policy lead's weekly digest: the week's logged questions, grouped, each with a *Teach* button."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import Block, Button, ButtonsBlock, Notice, Reply, TextBlock
from bot.questions.log import LoggedQuestion, read_logged
from bot.questions.report import group_questions
from bot.school import Role, School
from intents.text import Analyzer

#: The button beside each group; its value is a log entry's id (who may teach is decided in the core).
TEACH = "questions.teach"
#: How many groups the digest shows; the report lists them all.
DIGEST_GROUPS = 5
#: The digest covers the last seven days, the day it is sent included.
DIGEST_DAYS = 7


def render_digest(school: School, day: date, questions: Sequence[LoggedQuestion],
                  analyzer: Analyzer | None = None) -> Reply | None:
    """The digest's message, or None when nothing was logged."""
    groups = group_questions(questions, analyzer)
    if not groups:
        return None
    since = day - timedelta(days=DIGEST_DAYS - 1)
    total = sum(group.count for group in groups)
    intro = (f"This week staff asked {total} question(s) the policies didn't answer, or marked an answer 👎 "
             f"({len(groups)} different thing(s)). The commonest:")
    blocks: list[Block] = [TextBlock(text=intro)]
    lines = [intro]
    for group in groups[:DIGEST_GROUPS]:
        closest = f" — closest: {group.closest[0]}" if group.closest else ""
        line = f"{group.count}× “{group.wording}”{closest}"
        lines.append(line)
        blocks.append(TextBlock(text=line))
        blocks.append(ButtonsBlock(buttons=(Button(label="Teach this wording", action_id=TEACH,
                                                   value=str(group.representative.id)),)))
    outro = (f"Teach adds a wording to a section of {school.folder.name}/topics.yaml, so the next person who asks "
             f"gets that section. The full list: staffroom questions report --since {since.isoformat()}")
    blocks.append(TextBlock(text=outro))
    lines.append(outro)
    return Reply(text="\n".join(lines), blocks=tuple(blocks))


async def plan_digest(session: AsyncSession, school: School, day: date,
                      analyzer: Analyzer | None = None) -> tuple[Notice, str] | None:
    """The digest for the school's policy lead and its once-only key, or None (no lead, nothing logged)."""
    lead = school.directory.holder_of(Role.POLICY_LEAD)
    if lead is None:
        return None
    questions = await read_logged(session, school.id, day - timedelta(days=DIGEST_DAYS - 1), day)
    reply = render_digest(school, day, questions, analyzer)
    if reply is None:
        return None
    notice = Notice(recipient_email=lead.email, reply=reply, reason="questions.digest")
    return notice, f"questions.digest:{school.id}:{lead.email}:{day.isoformat()}"
