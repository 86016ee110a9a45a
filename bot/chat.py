"""`staffroom chat`: a conversation in the terminal, or scripted one message a line."""

from __future__ import annotations

from typing import TextIO

from bot.assistant import Assistant
from bot.messages import Button
from bot.terminal import render_reply

PROMPT = "you> "
GREETING = "Staffroom — ask about the school's policies. Type \"help\" for ideas, \"/quit\" to leave."


def _enable_history() -> None:
    try:
        import readline  # noqa: F401  (importing it gives input() line editing and history)
    except ImportError:
        pass


def run_chat(assistant: Assistant, stdin: TextIO, stdout: TextIO, person_email: str | None = None) -> int:
    """Talk until end of input or /quit. Interactive on a terminal; line by line otherwise."""
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        _enable_history()
        print(GREETING, file=stdout)
    while True:
        try:
            line = input(PROMPT) if interactive else stdin.readline()
        except EOFError:
            break
        if not interactive and line == "":
            break
        text = line.strip()
        if text in ("/quit", "/exit"):
            break
        if not interactive and not text:
            continue
        choices: list[Button] = []
        reply = assistant.answer(text).reply
        print(f"staffroom> {render_reply(reply, choices)}\n", file=stdout, flush=True)
    return 0
