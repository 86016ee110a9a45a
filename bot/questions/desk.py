"""What the assistant does with the questions staff ask: log them without who asked, and take 👍/👎.

Every policy answer and every decline gets 👍 / 👎 buttons carrying one random token.
A decline is logged at once; an answered question is kept only for the feedback window
(`FEEDBACK_WINDOW_DAYS`) unless someone marks it 👎. Safeguarding questions are never
logged: they may describe a child. A 👎 asks, optionally, what the person was looking for.

```mermaid
stateDiagram-v2
    [*] --> declined: no policy answers it (logged)
    [*] --> answered: quoted (kept for the feedback window)
    answered --> disliked: 👎 (logged)
    declined --> disliked: 👎
    answered --> liked: 👍
    disliked --> disliked: "what were you looking for?" (once)
```
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.messages import Action, Button, ButtonsBlock, FormBlock, Input, Reply, TextBlock
from bot.questions.log import Feedback, Marked, add_comment, log_question, mark_answer
from bot.questions.redact import name_pattern, redact
from bot.school import School
from bot.store.database import Database
from intents.routing import Intent

if TYPE_CHECKING:
    from bot.assistant import Answer, Assistant

log = logging.getLogger(__name__)

#: The buttons under every policy answer, and the form a 👎 opens.
ANSWER_GOOD = "answer.good"
ANSWER_BAD = "answer.bad"
LOOKING_FOR = "answer.looking_for"
ANSWER_FEEDBACK = frozenset({ANSWER_GOOD, ANSWER_BAD})
#: The form field for "what were you looking for?".
LOOKING_FOR_FIELD = "looking_for"
#: An answered question nobody marks 👎 is deleted after this many days.
FEEDBACK_WINDOW_DAYS = 7

THANKS_GOOD = "Thanks — glad that helped."
THANKS_BAD = "Thanks — I've noted that this answer didn't help, without your name, so the school can improve it."
ALREADY = "Thanks — feedback on this answer is already noted."
TOO_OLD = "That answer is too old to give feedback on now. Ask me again and use the new buttons."
THANKS_LOOKING_FOR = "Thanks — the school's policy lead will see what you were looking for (not who you are)."


def closest_sections(answer: Answer, limit: int = 3) -> list[str]:
    """The router's closest sections as citations, best first, each once."""
    if answer.routing is None:
        return []
    return list(dict.fromkeys(str(m.passage.citation) for m in answer.routing.matches))[:limit]


def feedback_buttons(token: str) -> ButtonsBlock:
    return ButtonsBlock(buttons=(Button(label="👍 Helpful", action_id=ANSWER_GOOD, value=token),
                                 Button(label="👎 Not helpful", action_id=ANSWER_BAD, value=token)))


def looking_for_form(token: str) -> FormBlock:
    field = Input(name=LOOKING_FOR_FIELD, label="In a few words (optional)", kind="text",
                  optional=True, max_length=500)
    return FormBlock(title="What were you looking for?", inputs=(field,), submit_label="Send",
                     submit_action_id=LOOKING_FOR, value=token)


class QuestionDesk:
    """One school's question log, attached to its assistant (it needs the school's database)."""

    def __init__(self, school: School, database: Database) -> None:
        self.school = school
        self.database = database
        self._names = name_pattern(member.name for member in school.directory)

    def redact(self, text: str) -> str:
        return redact(text, self._names)

    @staticmethod
    def takes(answer: Answer) -> bool:
        """Policy answers and declines get buttons; safeguarding, help, requests and refusals don't."""
        routing = answer.routing
        if routing is None or routing.safeguarding:
            return False
        return answer.intent in (Intent.POLICY, Intent.FALLBACK)

    async def note(self, answer: Answer, today: date) -> Reply:
        """Log the question (without who asked) and put 👍/👎 under its answer."""
        if not self.takes(answer):
            return answer.reply
        async with self.database.transaction() as session:
            token = await log_question(session, self.school.id, self.redact(answer.question),
                                       answered=answer.answered, closest=closest_sections(answer), asked_on=today)
        reply = answer.reply
        blocks = reply.blocks or (TextBlock(text=reply.text),)
        return reply.model_copy(update={"blocks": (*blocks, feedback_buttons(token))})

    # -- buttons --------------------------------------------------------------------------

    def handles(self, action_id: str) -> bool:
        return action_id in ANSWER_FEEDBACK or action_id == LOOKING_FOR

    async def act(self, action: Action, assistant: Assistant) -> Sequence[Reply]:
        """👍, 👎 (then the optional "what were you looking for?"), applied once per answer."""
        token = action.value.strip()
        if action.action_id == LOOKING_FOR:
            return [await self._looking_for(token, action.inputs.get(LOOKING_FOR_FIELD, ""))]
        feedback = Feedback.GOOD if action.action_id == ANSWER_GOOD else Feedback.BAD
        async with self.database.transaction() as session:
            marked = await mark_answer(session, self.school.id, token, feedback) if token else Marked.UNKNOWN
        log.info("answer feedback: %s %s", feedback.value, marked.value)
        if marked is Marked.UNKNOWN:
            return [Reply(text=TOO_OLD, ephemeral=True)]
        if marked is Marked.ALREADY:
            return [Reply(text=ALREADY, ephemeral=True)]
        if feedback is Feedback.GOOD:
            return [Reply(text=THANKS_GOOD, ephemeral=True)]
        return [Reply(text=THANKS_BAD, blocks=(TextBlock(text=THANKS_BAD), looking_for_form(token)))]

    async def _looking_for(self, token: str, typed: str) -> Reply:
        comment = self.redact(typed.strip())
        if not comment:
            return Reply(text="Thanks.")
        async with self.database.transaction() as session:
            kept = await add_comment(session, self.school.id, token, comment) if token else False
        return Reply(text=THANKS_LOOKING_FOR if kept else ALREADY)
