"""Ranking reads a passage's whole section too (intents/passage_index.py, SECTION_TEXT_WEIGHT): of two passages
matching a question alike, the one whose section speaks of the rest of the question ranks first."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import passage_index
from intents.router import Router

CHARGING = """---
title: Charging Policy
---
## 1. Music

This is charged at cost.

Lessons take place weekly.

## 2. Residential visits

This is charged at cost.

Families receiving benefits pay nothing.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "charging.md").write_text(CHARGING, encoding="utf-8")
    return tmp_path


def _order(folder: Path) -> list[str]:
    """The sections of the two passages saying "charged at cost", in rank order."""
    router = Router.from_folder(folder)
    units = router.analyzer.units("is it charged at cost for families on benefits?")
    ranked = [router.library.passages[s.index] for s in router.index.search(units, 10)]
    return [p.citation.heading for p in ranked if "charged at cost" in p.text]


def test_the_passage_whose_section_speaks_of_the_rest_of_the_question_ranks_first(folder: Path) -> None:
    assert _order(folder) == ["Residential visits", "Music"]


def test_without_it_the_two_passages_tie_and_the_first_in_the_policy_wins(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passage_index, "SECTION_TEXT_WEIGHT", 0.0)
    assert _order(folder) == ["Music", "Residential visits"]
