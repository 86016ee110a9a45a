"""Who you are in `staffroom chat`: a guest is told how to say so; `/as` with an unknown email is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def chat(data_dir: Path, lines: list[str], *args: str) -> str:
    environment = {**os.environ, "STAFFROOM_DATA_DIR": str(data_dir)}
    environment.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", *args], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=120, env=environment)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_guest_pressing_request_is_told_how_to_say_who_they_are(tmp_path: Path) -> None:
    out = chat(tmp_path, ["can I work from home on Friday?", "1", "show my requests"])
    assert "[1] Request to work from home" in out
    flat = " ".join(out.split())
    hint = "say who you are first: type /as EMAIL with your address from the staff directory (or start with " \
           "staffroom chat --as EMAIL)"
    assert flat.count(hint) == 2  # the button, and "show my requests"
    assert "I can't find you" not in out


def test_as_with_an_unknown_email_says_so_and_keeps_who_you_were(tmp_path: Path) -> None:
    out = chat(tmp_path, ["/as nobody@elsewhere.example", "show my requests"], "--as", "s.carter@oakfield.example")
    assert "You are now nobody@elsewhere.example" not in out
    assert ("nobody@elsewhere.example is not in Oakfield Primary School (demo)'s staff directory, so you are still "
            "Sam Carter.") in out
    assert "You have no requests, and none are waiting for you." in out.split("still Sam Carter")[1]


def test_starting_as_an_unknown_email_says_so(tmp_path: Path) -> None:
    out = chat(tmp_path, ["can I work from home on Friday?", "1"], "--as", "visitor@elsewhere.example")
    assert "You are now" not in out
    assert "visitor@elsewhere.example is not in Oakfield Primary School (demo)'s staff directory" in out
    assert "ask Olu Adeyemi, School Business Manager (o.adeyemi@oakfield.example) to add it" in out
