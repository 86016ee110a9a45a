"""Questions asking what a term means are answered by the passage defining it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from intents.definitions import asked_term, definition_test, folded
from intents.router import Router
from intents.routing import Intent
from intents.text import normalise

TODAY = date(2026, 11, 23)

FLEXIBLE_WORKING = """---
title: Flexible Working Policy
---
In this policy, the sponsor refers collectively to the trust and every one of its academies.

## 3. Types of flexible working

Staff may ask for part-time working, job sharing, staggered hours or compressed hours, and may combine
them: part-time working with compressed hours is one example.

The kinds of arrangement the school can agree are set out below:

- part-time working: working fewer than the full-time hours of the post
- compressed hours: working full-time hours but over fewer days
- staggered hours: starting and finishing at different times from colleagues

## 4. Personal use of the school's equipment

Staff may take school laptops home for preparing lessons; personal use of equipment at home needs the
headteacher's permission.

“Personal use” of equipment is defined as any use that is not for the work of the school.

## 5. The sponsor

The sponsor's human resources lead will review every flexible working arrangement of a headteacher each year.
"""


@pytest.mark.parametrize(
    ("message", "term"),
    [
        ("what are compressed hours", "compressed hours"),
        ("whats a key person", "key person"),
        ("what does the policy mean by personal use", "personal use"),
        ("in the photo policy who counts as the sponsor", "sponsor"),
        ("what does lado mean", "lado"),
        ("what is the definition of a looked after child", "looked after child"),
        ("what counts as personal use in the equipment policy", "personal use"),
    ],
)
def test_a_question_for_a_meaning_names_its_term(message: str, term: str) -> None:
    assert asked_term(normalise(message)) == term


@pytest.mark.parametrize(
    "message",
    ["what is the deadline for deciding a request made by a teacher", "can I work compressed hours", "who is our DSL"],
)
def test_other_questions_ask_for_no_meaning(message: str) -> None:
    assert asked_term(normalise(message)) in (None, "our dsl")


@pytest.mark.parametrize(
    ("body", "term", "defined"),
    [
        ("compressed hours: working full-time hours but over fewer days", "compressed hours", True),
        ("“Personal use” of school equipment is defined as any use that is not for work", "personal use", True),
        ("In this document, the sponsor refers collectively to the trust and its academies.", "sponsor", True),
        ("Term: Processing; Definition: Anything done to personal data", "processing", True),
        ("Part-time working with compressed hours is one example.", "compressed hours", False),
        ("The sponsor will ensure that every academy keeps a register.", "sponsor", False),
    ],
)
def test_a_passage_defines_a_term_in_the_shapes_policies_use(body: str, term: str, defined: bool) -> None:
    assert definition_test(term)(folded(body)) is defined


@pytest.mark.parametrize(
    ("question", "definition"),
    [
        ("what are compressed hours", "working full-time hours but over fewer days"),
        ("in the flexible working policy what does the sponsor mean", "refers collectively to the trust"),
    ],
)
def test_the_passage_defining_the_term_answers_first(tmp_path: Path, question: str, definition: str) -> None:
    (tmp_path / "flexible-working.md").write_text(FLEXIBLE_WORKING, encoding="utf-8")
    routing = Router.from_folder(tmp_path).route(question, TODAY)
    assert routing.intent is Intent.POLICY
    assert definition in routing.matches[0].passage.text


def test_explain_says_a_question_asks_for_a_meaning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "flexible-working.md").write_text(FLEXIBLE_WORKING, encoding="utf-8")
    assert main(["ask", "--explain", "--policies", str(tmp_path), "what are compressed hours"]) == 0
    explained = capsys.readouterr().out
    assert 'asks what "compressed hours" means: a passage defining it comes first' in explained
    assert explained.index("working full-time hours but over fewer days") < explained.index("decide:")
