"""`staffroom chat` at a real terminal (a pty): Ctrl-C drops the line, Ctrl-D and /quit leave cleanly."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PROMPT = b"you> "


def _take_the_terminal() -> None:
    """In the child: a session of its own with the pty as its terminal, so Ctrl-C there sends it SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`staffroom chat` with a pty for its stdin, stdout and stderr, as a person would run it."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.main, secondary = pty.openpty()
        environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir), "TERM": "dumb"}
        environment.pop("DATABASE_URL", None)
        self.process = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", *args], stdin=secondary,
                                        stdout=secondary, stderr=secondary, env=environment,
                                        preexec_fn=_take_the_terminal)
        os.close(secondary)
        self.seen = b""

    def wait_for(self, wanted: bytes, timeout: float = 120) -> bytes:
        """Everything read until `wanted` appears after what was already seen."""
        start = len(self.seen)
        deadline = time.monotonic() + timeout
        while wanted not in self.seen[start:]:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {wanted!r} after {self.seen!r}"
            ready, _, _ = select.select([self.main], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.main, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"the chat ended before {wanted!r}: {self.seen[start:]!r}"
                self.seen += chunk
        return self.seen[start:]

    def type(self, keys: bytes) -> None:
        os.write(self.main, keys)

    def press_ctrl_c(self) -> None:
        """Ctrl-C once the chat is waiting at the keyboard, as a person's key press would be.

        A key press sent the instant the prompt appears can land before readline starts
        waiting (CPython's readline then notices Ctrl-C only at the next key); a person is
        never that quick, so wait until the chat's main thread sleeps in select().
        """
        wchan = Path(f"/proc/{self.process.pid}/wchan")
        deadline = time.monotonic() + 30
        while wchan.exists() and time.monotonic() < deadline:
            if wchan.read_text().startswith("poll_schedule_timeout"):
                break
            time.sleep(0.02)
        time.sleep(0.05)
        os.write(self.main, b"\x03")

    def finish(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.main], [], [], 0.2)
            if ready:
                try:
                    self.seen += os.read(self.main, 4096)
                except OSError:
                    break
        return self.process.wait(timeout=max(deadline - time.monotonic(), 1))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.main)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    running = Terminal(tmp_path, "--as", "s.carter@oakfield.example")
    yield running
    running.close()


def test_ctrl_c_drops_the_line_and_quit_leaves_without_a_traceback(terminal: Terminal) -> None:
    terminal.wait_for(PROMPT)
    terminal.type(b"who do I contact about")
    terminal.wait_for(b"who do I contact about")  # echoed: readline holds the line
    terminal.press_ctrl_c()  # the terminal sends SIGINT
    terminal.wait_for(PROMPT)
    terminal.type(b"who do I contact about IT?\r")
    answer = terminal.wait_for(PROMPT)
    assert b"8.2 IT support" in answer
    terminal.press_ctrl_c()
    terminal.wait_for(PROMPT)
    terminal.type(b"/quit\r")
    assert terminal.finish() == 0
    assert b"Traceback" not in terminal.seen and b"CancelledError" not in terminal.seen


def test_ctrl_c_in_a_form_drops_the_form_and_ctrl_d_leaves(terminal: Terminal) -> None:
    terminal.wait_for(PROMPT)
    terminal.type(b"can I work from home on Friday?\r")
    terminal.wait_for(PROMPT)
    terminal.type(b"1\r")  # Request to work from home: the form
    terminal.wait_for(PROMPT)
    terminal.type(b"1\r")  # Send request: the first field is asked
    terminal.wait_for(b"Date (or first date)")
    terminal.press_ctrl_c()
    dropped = terminal.wait_for(PROMPT)
    assert b"Send request: not sent." in dropped
    terminal.type(b"show my requests\r")
    listed = terminal.wait_for(PROMPT)
    assert b"Request #1" not in listed
    terminal.type(b"\x04")  # Ctrl-D at an empty line
    assert terminal.finish() == 0
    assert b"Traceback" not in terminal.seen and b"CancelledError" not in terminal.seen


def test_ctrl_c_stops_a_scripted_chat_waiting_for_its_next_line(tmp_path: Path) -> None:
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    chat = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment)
    assert chat.stdin is not None and chat.stdout is not None and chat.stderr is not None
    chat.stdin.write(b"who do I contact about IT?\n")
    chat.stdin.flush()
    answer = b""
    while b"8.2 IT support" not in answer:
        line = chat.stdout.readline()
        assert line, "the chat ended before answering"
        answer += line
    time.sleep(0.3)  # back to waiting for the next line (the pipe stays open)
    chat.send_signal(signal.SIGINT)
    assert chat.wait(timeout=60) == 130
    assert b"Traceback" not in chat.stderr.read()
    chat.stdin.close()
    chat.stdout.close()
    chat.stderr.close()
