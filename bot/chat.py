"""`staffroom chat`: a conversation in the terminal, or scripted one message a line.

Buttons are numbered choices: type the number to press one. A form asks for
each field in turn (Enter keeps the value shown; a choice takes its number, its
label or the start of it; a field that is needed is asked again until answered; a form
the request refuses is offered again with what was typed kept). `/good` and `/bad` are 👍
and 👎 on the last answer; after `/bad` a prompt line asks what you were looking for. `/as EMAIL` switches person,
so one person can try request -> endorsement -> approval alone; messages the
assistant has for the person you switch to are shown then. At a terminal,
Ctrl-C drops the line being typed (or the form being filled in) and Ctrl-D or
/quit leaves.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TextIO

from sqlalchemy import select

from bot.assistant import Assistant
from bot.messages import Action, Button, ButtonsBlock, FormBlock, Message, Person, Reply, TextBlock
from bot.questions.desk import ANSWER_BAD, ANSWER_FEEDBACK, ANSWER_GOOD, LOOKING_FOR
from bot.store.database import Database
from bot.store.outbox import read_notice
from bot.store.tables import OutboxRow
from bot.terminal import render_reply
from bot.terminal_form import prompt_for, read_answer

PROMPT = "you> "
GREETING = "Staffroom — ask about the school's policies. Type \"help\" for ideas, \"/quit\" to leave."
TERMINAL = "terminal"
#: What someone who hasn't said who they are is told when they try to send or decide a request.
SAY_WHO_YOU_ARE = (
    "To send or decide requests, say who you are first: type /as EMAIL with your address from the staff "
    "directory (or start with staffroom chat --as EMAIL)."
)
#: The choice shown under a refused form: the same form, with what was typed kept.
FILL_IN_AGAIN = "Fill in the form again (what you typed is kept)"


def _refused(replies: list[Reply]) -> bool:
    """A submitted form was refused: one passing message of text only, with nothing to press."""
    return len(replies) == 1 and replies[0].ephemeral and all(isinstance(b, TextBlock) for b in replies[0].blocks)


def _enable_history() -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (importing it gives input() line editing and history)


def terminal_person(email: str) -> Person:
    """Who the terminal user says they are (the terminal is trusted: it runs on the school's machine)."""
    return Person(platform=TERMINAL, user_id=email.lower(), email=email.lower())


async def collect_terminal_notices(database: Database, email: str, shown: set[int]) -> list[OutboxRow]:
    """Messages waiting for this person that this session hasn't shown yet.

    Only shown, never taken: they stay in the outbox for Slack or Teams, so a card seen
    in the terminal still reaches the person there. `shown` collects the ids shown.
    """
    async with database.reading() as session:
        rows = list(
            await session.scalars(
                select(OutboxRow)
                .where(OutboxRow.recipient_email == email, OutboxRow.delivered_at.is_(None),
                       OutboxRow.dead_at.is_(None))
                .order_by(OutboxRow.id)
            )
        )
    fresh = [row for row in rows if row.id not in shown]
    shown.update(row.id for row in fresh)
    return fresh


class LineCancelled(Exception):
    """Ctrl-C at a prompt: the line being typed is dropped, as in a shell."""


#: Blocking Ctrl-C needs POSIX threads' signal masks (not on Windows, where input() sees Ctrl-C itself).
_CAN_HOLD = hasattr(signal, "pthread_sigmask")


@contextlib.contextmanager
def interrupts_held(at_terminal: bool) -> Iterator[None]:
    """Hold Ctrl-C back while the chat works; `read_line` lets it through while waiting for a line.

    Every thread started inside (SQLite's connection threads) inherits the held mask, so
    Ctrl-C always reaches the main thread's `input()` and never a worker thread that would
    leave it unnoticed. asyncio.run's own Ctrl-C handler only cancels the chat's task,
    which `input()` never notices (Ctrl-C seemed ignored, then the next line failed with
    CancelledError). A Ctrl-C pressed while a message is handled drops the next line.
    """
    if not (at_terminal and _CAN_HOLD and threading.current_thread() is threading.main_thread()):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def ctrl_c_interrupts() -> Iterator[None]:
    """Inside: Ctrl-C raises KeyboardInterrupt in the blocking read (after `interrupts_held`, too)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    mask: set[int | signal.Signals] | None = None
    try:
        if _CAN_HOLD:
            mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        yield
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def read_line(prompt: str, stdout: TextIO) -> str | None:
    """A line typed at the terminal; None at Ctrl-D; `LineCancelled` at Ctrl-C."""
    try:
        with ctrl_c_interrupts():
            return input(prompt)
    except EOFError:
        print(file=stdout, flush=True)
        return None
    except KeyboardInterrupt:
        print(file=stdout, flush=True)
        raise LineCancelled from None


class TerminalChat:
    """One terminal conversation: who is talking, and the choices last shown."""

    def __init__(self, assistant: Assistant, database: Database | None, read: Callable[[str], str | None],
                 stdout: TextIO, person_email: str | None) -> None:
        self.assistant = assistant
        self.database = database
        self.read = read
        self.stdout = stdout
        self.person = terminal_person(person_email) if person_email else Person(platform=TERMINAL, user_id="guest")
        self.choices: list[Button] = []
        self.forms: dict[str, FormBlock] = {}
        #: Waiting messages already shown in this session (outbox ids).
        self.shown: set[int] = set()
        #: The 👍/👎 buttons of the last answer, for `/good` and `/bad`.
        self.feedback: dict[str, Button] = {}

    def say(self, replies: list[Reply]) -> None:
        self.choices = []
        self.forms = {}
        requests = self.assistant.requests
        for reply in replies:
            if self.person.email is None and requests is not None and reply == requests.render_not_in_directory(
                self.person
            ):
                reply = Reply(text=SAY_WHO_YOU_ARE)
            for block in reply.blocks:
                if isinstance(block, FormBlock):
                    self.forms[block.submit_action_id] = block
                elif isinstance(block, ButtonsBlock) and any(b.action_id in ANSWER_FEEDBACK for b in block.buttons):
                    self.feedback = {b.action_id: b for b in block.buttons}
            print(f"staffroom> {render_reply(reply, self.choices)}\n", file=self.stdout, flush=True)

    async def switch_to(self, email: str) -> None:
        """Become the member of staff with this email; anyone else is refused, and who you were stays."""
        requests = self.assistant.requests
        if requests is None:
            print("staffroom> This school folder has no school.yaml, so there is no staff directory to choose "
                  "someone from.\n", file=self.stdout, flush=True)
            return
        wanted = terminal_person(email)
        member = requests.identify(wanted)
        if member is None:
            current = requests.identify(self.person)
            still = f"you are still {current.name}" if current else "you can ask about policies, not send requests"
            print(f"staffroom> {email or '(no email)'} is not in {requests.school.config.name}'s staff directory, "
                  f"so {still}. Check the address, or ask {requests.school.config.directory_contact} to add it.\n",
                  file=self.stdout, flush=True)
            return
        self.person = wanted
        print(f"staffroom> You are now {member.name} ({member.job_title}).\n", file=self.stdout, flush=True)
        await self.show_waiting()

    async def show_waiting(self) -> None:
        if self.database is None or not self.person.email:
            return
        rows = await collect_terminal_notices(self.database, self.person.email, self.shown)
        notices = [await self._as_it_stands(row) for row in rows]
        if notices:
            self.say(notices)

    async def _as_it_stands(self, row: OutboxRow) -> Reply:
        """A waiting decision card as its request stands now (no buttons once its step is settled)."""
        from bot.requests.current_card import CARD_REASONS, current_card

        reply = read_notice(row).reply
        requests = self.assistant.requests
        if self.database is None or requests is None or row.request_id is None or row.reason not in CARD_REASONS:
            return reply
        return await current_card(self.database, requests.workflow.school, row.request_id, reply,
                                  self.assistant.clock.now())

    def fill_form(self, form: FormBlock) -> dict[str, str] | None:
        """Ask for each field in turn, again until its answer fits; None when input ends midway."""
        values: dict[str, str] = {}
        for field in form.inputs:
            while True:
                typed = self.read(prompt_for(field))
                if typed is None:
                    return None
                answer = read_answer(field, typed)
                if answer.problem is None:
                    values[field.name] = answer.value
                    break
                print(f"  {answer.problem}", file=self.stdout, flush=True)
        return values

    async def press(self, button: Button) -> bool:
        """Press a button (filling in its form first); False when input ends midway."""
        inputs: dict[str, str] = {}
        form = self.forms.get(button.action_id)
        if form is not None:
            try:
                filled = self.fill_form(form)
            except LineCancelled:
                print(f"staffroom> {button.label}: not sent.\n", file=self.stdout, flush=True)
                return True
            if filled is None:
                return False
            inputs = filled
        action = Action(person=self.person, action_id=button.action_id, value=button.value, inputs=inputs)
        replies = await self.assistant.handle(action)
        self.say(replies)
        if form is not None and _refused(replies):
            self.offer_again(form, button, inputs)
        return True

    def offer_again(self, form: FormBlock, button: Button, typed: dict[str, str]) -> None:
        """After a refused form ("the last date is before the first"): a choice to fill it in again, with
        what was typed shown as each field's value (Enter keeps it), as Slack and Teams show the form again."""
        kept = tuple(field.model_copy(update={"initial": typed.get(field.name) or None}) for field in form.inputs)
        self.forms[button.action_id] = form.model_copy(update={"inputs": kept})
        self.choices.append(Button(label=FILL_IN_AGAIN, action_id=button.action_id, value=button.value))
        print(f"[{len(self.choices)}] {FILL_IN_AGAIN}\n", file=self.stdout, flush=True)

    async def give_feedback(self, action_id: str) -> bool:
        """`/good` or `/bad` on the last answer; a 👎's question is asked on a prompt line straight away."""
        button = self.feedback.get(action_id)
        if button is None:
            print("staffroom> Ask me something first: /good and /bad are about my last answer.\n",
                  file=self.stdout, flush=True)
            return True
        self.say(await self.assistant.handle(Action(person=self.person, action_id=action_id, value=button.value)))
        form = self.forms.get(LOOKING_FOR)
        if form is not None:
            return await self.press(Button(label=form.submit_label, action_id=LOOKING_FOR, value=form.value))
        return True

    async def take(self, text: str) -> bool:
        """Handle one line; False to stop."""
        if text in ("/quit", "/exit"):
            return False
        if text.startswith("/as "):
            await self.switch_to(text[4:].strip())
            return True
        if text in ("/good", "/bad"):
            return await self.give_feedback(ANSWER_GOOD if text == "/good" else ANSWER_BAD)
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            if not await self.press(self.choices[int(text) - 1]):
                return False
        else:
            self.say(await self.assistant.handle(Message(person=self.person, text=text)))
        await self.show_waiting()
        return True


async def run_chat(
    assistant: Assistant, stdin: TextIO, stdout: TextIO, person_email: str | None = None,
    database: Database | None = None,
) -> int:
    """Talk until end of input or /quit. Interactive on a terminal; line by line otherwise."""
    interactive = stdin.isatty() and stdout.isatty()

    def read(prompt: str) -> str | None:
        if interactive:
            return read_line(prompt, stdout)
        with ctrl_c_interrupts():  # scripted: Ctrl-C while waiting for a line stops the chat
            line = stdin.readline()
        return None if line == "" else line.rstrip("\n")

    if interactive:
        _enable_history()
        print(GREETING, file=stdout)
    chat = TerminalChat(assistant, database, read, stdout, person_email)
    if interactive and assistant.questions is not None:
        chat.say([assistant.questions.suggestions(assistant)])  # numbered: type one to ask it
    if person_email:
        await chat.switch_to(person_email)
    while True:
        try:
            line = read(PROMPT)
        except LineCancelled:
            continue
        if line is None:
            break
        text = line.strip()
        if not text:
            continue
        if not await chat.take(text):
            break
    return 0
