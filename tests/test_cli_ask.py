"""`staffroom ask`, `ask --jsonl`, `chat` scripted on stdin and `policies check`, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers import MAX_ANSWER_CHARS, compose_policy_answer
from intents.policy_library import Citation, Passage
from intents.routing import Intent, Match, Routing
from policy_text import DEMO_SCHOOL_DIR


def staffroom(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_ask_prints_a_quoted_cited_answer() -> None:
    result = staffroom("ask", "who", "do", "I", "ring", "about", "network", "problems?")
    assert result.returncode == 0
    assert "Working from Home Policy · 8.2 IT support" in result.stdout
    assert "01384 813920" in result.stdout


def test_ask_jsonl_writes_one_object_a_line_in_the_evaluation_shape() -> None:
    questions = ["who do I contact about IT?", "where do I park my car?", "can I wfh on Friday?", "help"]
    result = staffroom("ask", "--jsonl", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    for row in rows:
        assert set(row) == {"question", "intent", "answered", "confidence", "text", "citations", "slots"}
        assert len(row["text"]) <= 1200
    it, parking, wfh, help_ = rows
    assert it["intent"] == "policy" and it["answered"] and it["citations"]
    assert it["citations"][0].keys() == {"document", "section", "heading"}
    assert parking["intent"] == "fallback" and not parking["answered"]
    assert "line manager" in parking["text"]
    assert wfh["intent"] == "request_wfh" and "start" in wfh["slots"]
    assert help_["intent"] == "help"


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "🙂", "\x00\x01binary\xff", "x" * 10_000, "<!channel> *bold* `code`"],
)
def test_bad_input_to_ask_gets_a_polite_answer_and_no_traceback(junk: str) -> None:
    result = staffroom("ask", "--jsonl", stdin=junk.replace("\n", " ") + "\n")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) <= 1
    if rows and len(junk) > 4000:
        assert "too long" in rows[0]["text"] and not rows[0]["answered"]


def test_chat_reads_one_message_a_line_when_scripted() -> None:
    result = staffroom("chat", stdin="hello\nis my laptop hard drive supposed to be encrypted?\n/quit\nignored\n")
    assert result.returncode == 0
    replies = [block for block in result.stdout.split("staffroom> ") if block.strip()]
    assert len(replies) == 2
    assert "hard drive is encrypted" in replies[1]


def test_policies_check_passes_on_the_demo_school() -> None:
    result = staffroom("policies", "check", str(DEMO_SCHOOL_DIR))
    assert result.returncode == 0
    assert "2 policies" in result.stdout


def test_policies_check_names_file_and_line_and_fails(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\ntitle: Broken\n---\n\n## 1. Aims\n\n## 2. Hours\n\nText\n")
    result = staffroom("policies", "check", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'broken.md'}:5:" in result.stdout
    assert "Traceback" not in result.stderr


def test_policies_check_of_a_mistyped_folder_says_there_is_no_such_folder(tmp_path: Path) -> None:
    result = staffroom("policies", "check", str(tmp_path / "shcool"))
    assert result.returncode == 1
    assert result.stdout == f"{tmp_path / 'shcool'}: no such folder\n"  # no line 0 of a folder


def test_policies_help_says_check_covers_the_whole_folder() -> None:
    assert "school.yaml" in staffroom("policies", "--help").stdout


def test_ask_with_a_broken_policy_folder_says_so_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("no front matter\n")
    result = staffroom("ask", "--policies", str(tmp_path), "hello")
    assert result.returncode == 2
    assert "broken.md:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_jsonl_takes_the_question_from_json_objects_too() -> None:
    lines = [json.dumps({"q": "who do I ring about network problems?", "kind": "policy"}), "plain question?"]
    result = staffroom("ask", "--jsonl", stdin="\n".join(lines) + "\n")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["who do I ring about network problems?", "plain question?"]


def test_a_close_second_section_is_quoted_when_the_whole_reply_fits_the_limit() -> None:
    def passage(document: str, heading: str, letter: str, length: int) -> Passage:
        return Passage(Citation(document, "1", heading), letter * length, (), 1)

    first, second = passage("A Policy", "One", "a", 520), passage("A Policy", "Two", "b", 520)
    other = passage("B Policy", "Elsewhere", "c", 900)
    routing = Routing(Intent.POLICY, 0.9, (Match(first, 0.9), Match(second, 0.85), Match(other, 0.8)))
    answer = compose_policy_answer(routing)
    # Both sections fit beside the named other policy (over 1,000 characters, within 1,200).
    assert "a" * 520 in answer.text and "b" * 520 in answer.text
    assert "Also covered in: B Policy · 1 Elsewhere." in answer.text
    assert len(answer.text) <= MAX_ANSWER_CHARS
    longer = passage("A Policy", "Two", "b", 640)
    routing = Routing(Intent.POLICY, 0.9, (Match(first, 0.9), Match(longer, 0.85), Match(other, 0.8)))
    answer = compose_policy_answer(routing)
    # Too long with the other policy named: the second section is left out, not cut.
    assert "b" * 640 not in answer.text and "a" * 520 in answer.text
    assert len(answer.text) <= MAX_ANSWER_CHARS


def test_a_further_passage_fills_the_room_left_but_never_displaces_a_close_one() -> None:
    def passage(heading: str, letter: str, length: int, line: int) -> Passage:
        return Passage(Citation("A Policy", "1", heading), letter * length, (), line)

    best, close = passage("One", "a", 300, 1), passage("Two", "b", 300, 2)
    further, faint = passage("Three", "c", 300, 3), passage("Four", "d", 300, 4)
    # Ranked order, not score order: the further passage comes before the close one.
    matches = (Match(best, 0.9), Match(further, 0.5), Match(close, 0.8), Match(faint, 0.3))
    answer = compose_policy_answer(Routing(Intent.POLICY, 0.9, matches))
    # The close passage is chosen first, then the further one fills the room; the faint one never.
    assert answer.text.index("a" * 300) < answer.text.index("b" * 300) < answer.text.index("c" * 300)
    assert "d" * 300 not in answer.text
    assert len(answer.text) <= MAX_ANSWER_CHARS
    # No room for the further passage beside a long close one: it is left out, not cut.
    long_close = passage("Two", "b", 700, 2)
    matches = (Match(best, 0.9), Match(further, 0.5), Match(long_close, 0.8))
    answer = compose_policy_answer(Routing(Intent.POLICY, 0.9, matches))
    assert "b" * 700 in answer.text and "c" * 300 not in answer.text


def test_an_answer_piped_to_a_reader_that_stops_early_ends_without_a_traceback() -> None:
    """`staffroom ask "…" | head -3`: the reader leaves before the answer is written."""
    with subprocess.Popen([sys.executable, "-m", "bot.cli", "ask", "who do I contact about IT?"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # before the command has started up, let alone answered
        errors = process.stderr.read()
        process.wait(timeout=60)
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert process.returncode == 141
