"""Ranking reads the whole policy too (intents/passage_index.py, DOCUMENT_COVERAGE): of two passages
matching a question alike, the one whose policy speaks of more of the question ranks first."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import passage_index
from intents.router import Router

TRIPS = """---
title: Trips Policy
---
## 1. Contributions

Parents are asked for a voluntary contribution.

## 2. Music

Tuition for a musical instrument is charged to parents.
"""

CLUBS = """---
title: Clubs Policy
---
## 1. Contributions

Parents are asked for a voluntary contribution.

## 2. Rooms

Clubs meet in the hall.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a-clubs.md").write_text(CLUBS, encoding="utf-8")
    (tmp_path / "b-charging.md").write_text(TRIPS, encoding="utf-8")
    return tmp_path


def _order(folder: Path) -> list[str]:
    """The documents of the two passages asking for a voluntary contribution, in rank order."""
    router = Router.from_folder(folder)
    units = router.analyzer.units("is a voluntary contribution asked of parents for instrument tuition?")
    ranked = [router.library.passages[s.index] for s in router.index.search(units, 10)]
    return [p.citation.document for p in ranked if "voluntary contribution" in p.text]


def test_the_policy_speaking_of_more_of_the_question_ranks_its_passage_first(folder: Path) -> None:
    assert _order(folder) == ["Trips Policy", "Clubs Policy"]


def test_without_it_the_two_passages_tie_and_the_first_in_the_folder_wins(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passage_index, "DOCUMENT_COVERAGE", 0.0)
    assert _order(folder) == ["Clubs Policy", "Trips Policy"]
