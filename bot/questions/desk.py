"""What the assistant does with the questions staff ask: log them without who asked, and take 👍/👎.

Every policy answer and every decline gets 👍 / 👎 buttons. A decline is logged at once and
its buttons carry the row's random token. An answered question is written nowhere: its
buttons carry the question as the log would keep it, signed (`bot.questions.carried`), and
its first 👎 writes the row (a 👍 writes only a marker, so a later press is "already
noted"). The buttons of an answer count for `FEEDBACK_WINDOW_DAYS`. Safeguarding questions
are never logged: they may describe a child. A 👎 asks, optionally, what the person was
looking for.

```mermaid
stateDiagram-v2
    [*] --> declined: no policy answers it (logged)
    [*] --> answered: quoted (nothing kept; the buttons carry it, signed)
    answered --> disliked: 👎 (logged)
    declined --> disliked: 👎
    answered --> liked: 👍 (a marker, no words)
    disliked --> disliked: "what were you looking for?" (once)
```
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.messages import Action, Button, ButtonsBlock, Choice, FormBlock, Input, Message, Person, Reply, TextBlock
from bot.questions.carried import CarriedQuestion, is_carried, seal, unseal
from bot.questions.digest import TEACH
from bot.questions.log import (
    Feedback,
    LoggedQuestion,
    Marked,
    NewQuestion,
    QuestionWriter,
    add_comment,
    find_logged,
    mark_answer,
    new_token,
    record_answer_feedback,
)
from bot.questions.redact import name_pattern, redact
from bot.questions.suggestions import ASK, render_suggestions, suggest_questions
from bot.questions.teaching import MAX_PHRASE_CHARS, TeachError, all_sections, find_section, teach_phrase
from bot.school import Role, School
from bot.store.database import Database
from bot.store.keys import app_key
from intents.router import Router
from intents.routing import Intent
from intents.topics import TOPICS_FILE_NAME

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
#: How many days an answered question's 👍/👎 count (never longer than the school keeps questions).
FEEDBACK_WINDOW_DAYS = 7
#: The `app_keys` key that signs what an answer's buttons carry.
FEEDBACK_KEY = "question_feedback"

THANKS_GOOD = "Thanks — glad that helped."
THANKS_BAD = "Thanks — I've noted that this answer didn't help, without your name, so the school can improve it."
ALREADY = "Thanks — feedback on this answer is already noted."
TOO_OLD = "That answer is too old to give feedback on now. Ask me again and use the new buttons."
THANKS_LOOKING_FOR = "Thanks — the school's policy lead will see what you were looking for (not who you are)."

#: The teach form's submit (the digest's *Teach* button opens it), and its fields.
TEACH_SAVE = "questions.teach.save"
PHRASE_FIELD = "phrase"
SECTION_FIELD = "section"
ONLY_THE_LEAD = "Only the school's policy lead (named in school.yaml) can teach me wordings."
#: How often a question looks whether topics.yaml changed (a teach from the command line, an edit).
TOPICS_CHECK_SECONDS = 2.0


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def answered_from(router: Router, question: str, section_citation: str, today: date) -> bool:
    """Whether the router now answers `question` from that section (quoted first)."""
    routing = router.route(question, today)
    return routing.intent is Intent.POLICY and bool(routing.matches) and \
        str(routing.matches[0].passage.citation) == section_citation


def closest_sections(answer: Answer, limit: int = 3) -> list[str]:
    """The router's closest sections as citations, best first, each once."""
    if answer.routing is None:
        return []
    return list(dict.fromkeys(str(m.passage.citation) for m in answer.routing.matches))[:limit]


def feedback_buttons(value: str) -> ButtonsBlock:
    """👍 and 👎, each carrying `value`: a declined question's token, or an answered one's signed value."""
    return ButtonsBlock(buttons=(Button(label="👍 Helpful", action_id=ANSWER_GOOD, value=value),
                                 Button(label="👎 Not helpful", action_id=ANSWER_BAD, value=value)))


def looking_for_form(token: str) -> FormBlock:
    field = Input(name=LOOKING_FOR_FIELD, label="In a few words", kind="text",
                  optional=True, max_length=500)
    return FormBlock(title="What were you looking for?", inputs=(field,), submit_label="Send",
                     submit_action_id=LOOKING_FOR, value=token)


class QuestionDesk:
    """One school's question log, attached to its assistant (it needs the school's database)."""

    def __init__(self, school: School, database: Database) -> None:
        self.school = school
        self.database = database
        self.writer = QuestionWriter(database)
        self._names = name_pattern(member.name for member in school.directory)
        self.topics_file = school.folder / TOPICS_FILE_NAME
        #: The topics.yaml the assistant's router was built from (size and time), to notice a teach.
        self._topics_stamp = _stamp(self.topics_file)
        self._checked_at = time.monotonic()
        self.check_every = TOPICS_CHECK_SECONDS
        self._reloading = asyncio.Lock()
        #: Today's suggested questions for the current router: (router, day) -> questions.
        self._suggested: tuple[Router, date, list[str]] | None = None
        #: The key that signs answered questions' buttons, read from the database once.
        self._key: bytes | None = None
        self._key_lock = asyncio.Lock()

    async def feedback_key(self) -> bytes:
        """The key answered questions' buttons are signed with: the database's, made there once (`app_keys`)."""
        if self._key is None:
            async with self._key_lock:
                if self._key is None:
                    self._key = await app_key(self.database, FEEDBACK_KEY)
        return self._key

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
        """Put 👍/👎 under the answer: a decline is logged (without who asked), an answer only carried."""
        if not self.takes(answer):
            return answer.reply
        text, closest = self.redact(answer.question), tuple(closest_sections(answer))
        if answer.answered:
            value = seal(await self.feedback_key(), self.school.id, CarriedQuestion(new_token(), today, text, closest))
        else:
            value = await self.writer.keep(NewQuestion(self.school.id, text, False, closest, today))
        reply = answer.reply
        blocks = reply.blocks or (TextBlock(text=reply.text),)
        return reply.model_copy(update={"blocks": (*blocks, feedback_buttons(value))})

    # -- buttons --------------------------------------------------------------------------

    def handles(self, action_id: str) -> bool:
        return action_id in ANSWER_FEEDBACK or action_id in (LOOKING_FOR, TEACH, TEACH_SAVE, ASK)

    async def act(self, action: Action, assistant: Assistant) -> Sequence[Reply]:
        """👍, 👎 (then the optional "what were you looking for?"), applied once per answer; and teaching."""
        if action.action_id in (TEACH, TEACH_SAVE):
            return [await self._teach(action, assistant)]
        if action.action_id == ASK:
            # A suggested question: asked as if typed (the button's text is only a question, like any message).
            return await assistant.handle(Message(person=action.person, text=action.value,
                                                  conversation=action.conversation))
        value = action.value.strip()
        if action.action_id == LOOKING_FOR:
            return [await self._looking_for(value, action.inputs.get(LOOKING_FOR_FIELD, ""))]
        feedback = Feedback.GOOD if action.action_id == ANSWER_GOOD else Feedback.BAD
        marked, token = await self._mark(value, feedback, assistant.today())
        log.info("answer feedback: %s %s", feedback.value, marked.value)
        if marked is Marked.UNKNOWN:
            return [Reply(text=TOO_OLD, ephemeral=True)]
        if marked is Marked.ALREADY:
            return [Reply(text=ALREADY, ephemeral=True)]
        if feedback is Feedback.GOOD:
            return [Reply(text=THANKS_GOOD, ephemeral=True)]
        return [Reply(text=THANKS_BAD, blocks=(TextBlock(text=THANKS_BAD), looking_for_form(token)))]

    async def _mark(self, value: str, feedback: Feedback, today: date) -> tuple[Marked, str]:
        """Apply a press once; with the token of the row it went to (the "looking for" form names it)."""
        if not value:
            return Marked.UNKNOWN, ""
        if not is_carried(value):  # a declined question: its row was written when it was declined
            async with self.database.transaction() as session:
                return await mark_answer(session, self.school.id, value, feedback), value
        carried = unseal(await self.feedback_key(), self.school.id, value)
        if carried is None:
            log.info("answer feedback: a button value that fails its signature check, ignored")
            return Marked.UNKNOWN, ""
        if not self.still_open(carried.asked_on, today):
            return Marked.UNKNOWN, ""
        question = NewQuestion(self.school.id, carried.text, True, carried.closest, carried.asked_on)
        async with self.database.transaction() as session:
            return await record_answer_feedback(session, question, carried.token, feedback), carried.token

    def still_open(self, asked_on: date, today: date) -> bool:
        """Whether an answer given on `asked_on` still takes 👍/👎: inside the window, and never longer than
        the school keeps questions (so the purge can't remove a row while its buttons still count).
        A day ahead is allowed for another instance whose clock has just passed midnight."""
        window = min(FEEDBACK_WINDOW_DAYS, self.school.config.question_log.retention_days)
        return today - timedelta(days=window) <= asked_on <= today + timedelta(days=1)

    async def _looking_for(self, token: str, typed: str) -> Reply:
        comment = self.redact(typed.strip())
        if not comment:
            return Reply(text="Thanks.")
        async with self.database.transaction() as session:
            kept = await add_comment(session, self.school.id, token, comment) if token else False
        return Reply(text=THANKS_LOOKING_FOR if kept else ALREADY)

    # -- suggested questions ------------------------------------------------------------------

    def suggestions(self, assistant: Assistant, intro: str | None = None) -> Reply:
        """3–4 questions from the school's own headings, as buttons that ask them (worked out once a day)."""
        router, today = assistant.router, assistant.today()
        if self._suggested is None or self._suggested[0] is not router or self._suggested[1] != today:
            self._suggested = (router, today, suggest_questions(router, today))
        questions = self._suggested[2]
        return render_suggestions(questions, intro) if intro else render_suggestions(questions)

    def welcome(self, assistant: Assistant, greeting: str) -> Reply:
        """A greeting followed by the suggested questions."""
        suggestions = self.suggestions(assistant)
        return Reply(text=f"{greeting}\n\n{suggestions.text}", blocks=(TextBlock(text=greeting), *suggestions.blocks))

    # -- the router follows topics.yaml -------------------------------------------------------

    async def keep_router_current(self, assistant: Assistant) -> None:
        """Rebuild the router when topics.yaml changed (taught from the command line, or edited)."""
        now = time.monotonic()
        if now - self._checked_at < self.check_every:
            return
        self._checked_at = now
        if _stamp(self.topics_file) != self._topics_stamp:
            await self.reload_router(assistant)

    async def reload_router(self, assistant: Assistant) -> None:
        """The school's policies and topics read again, off the event loop; the next question uses them."""
        async with self._reloading:
            stamp = _stamp(self.topics_file)
            try:
                router = await asyncio.to_thread(Router.from_folder, self.school.folder)
            except ValueError as error:  # a hand edit broke the file: keep answering with what we had
                log.warning("topics.yaml not reloaded (%s); `staffroom policies check` says why", type(error).__name__)
                self._topics_stamp = stamp
                return
            assistant.router = router
            self._topics_stamp = stamp
        log.info("policies and topics reloaded for %s", self.school.id)

    # -- teaching (the policy lead only) ------------------------------------------------------

    def is_policy_lead(self, person: Person) -> bool:
        """Decided from the verified person and the directory, never from a button."""
        member = self.school.directory.find_person(person)
        lead = self.school.directory.holder_of(Role.POLICY_LEAD)
        return member is not None and lead is not None and member.email == lead.email

    async def _teach(self, action: Action, assistant: Assistant) -> Reply:
        if not self.is_policy_lead(action.person):
            return Reply(text=ONLY_THE_LEAD, ephemeral=True)
        entry = None
        if action.value.isdigit():
            async with self.database.reading() as session:
                entry = await find_logged(session, self.school.id, int(action.value))
        if entry is None:
            days = self.school.config.question_log.retention_days
            return Reply(text=f"That question is no longer in the log (questions are kept {days} days).",
                         ephemeral=True)
        if action.action_id == TEACH:
            return self.teach_form(entry, assistant)
        phrase = action.inputs.get(PHRASE_FIELD, "")
        library = assistant.router.library
        try:
            section = find_section(library, action.inputs.get(SECTION_FIELD, ""))
            taught = await asyncio.to_thread(teach_phrase, self.school.folder, library, phrase, section)
        except TeachError as error:
            return Reply(text=str(error), ephemeral=True)
        if taught.changed:
            await self.reload_router(assistant)
        phrase = " ".join(phrase.split())
        answered = answered_from(assistant.router, phrase, str(section.citation), assistant.today())
        outcome = (f"Asking “{phrase}” now gets {section.citation}." if answered else
                   f"The router still doesn't answer “{phrase}” from {section.citation} on its own: "
                   "try a shorter wording, in the words staff use.")
        said = "Taught" if taught.changed else "Already taught"
        text = f"{said}: “{phrase}” → {section.label} (in {taught.file.name}). {outcome}"
        return Reply(text=text, blocks=(TextBlock(text=text),))

    def teach_form(self, entry: LoggedQuestion, assistant: Assistant) -> Reply:
        """The wording (the question as asked) and the section to add it to, closest sections first."""
        sections = all_sections(assistant.router.library)
        by_citation = {str(s.citation): s for s in sections}
        ordered = [by_citation[c] for c in entry.closest if c in by_citation]
        ordered += [s for s in sections if s not in ordered]
        choices = tuple(Choice(label=str(s.citation), value=s.label) for s in ordered)
        inputs = (
            Input(name=PHRASE_FIELD, label="The wording staff use", kind="text", initial=entry.text[:MAX_PHRASE_CHARS],
                  max_length=MAX_PHRASE_CHARS),
            Input(name=SECTION_FIELD, label="The section that answers it", kind="choice", choices=choices,
                  initial=choices[0].value if choices else None),
        )
        form = FormBlock(title="Teach Staffroom a wording", inputs=inputs, submit_label="Teach",
                         submit_action_id=TEACH_SAVE, value=str(entry.id))
        return Reply(text="Teach Staffroom a wording", blocks=(form,))
