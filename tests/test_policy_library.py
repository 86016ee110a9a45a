"""The policy library: bundled policies parse into cited, verbatim passages; bad files are named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intents.policy_library import MAX_PASSAGE_CHARS, PolicyFileError, check_policy_folder, load_library
from policy_text import DEMO_SCHOOL_DIR

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def fold(text: str) -> str:
    text = re.sub(r"\[bookmark: _Toc\d+\]", "", text)
    text = text.replace("·", " ").replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def test_bundled_policies_load_with_citations() -> None:
    library = load_library(DEMO_SCHOOL_DIR)
    titles = {d.title for d in library.documents}
    assert titles == {"Working from Home Policy", "Remote Learning Policy for staff"}
    citations = {str(p.citation) for p in library.passages}
    assert "Working from Home Policy · 8.2 IT support" in citations
    assert "Remote Learning Policy for staff · Who to Contact" in citations


def test_a_bullet_is_quoted_with_the_line_that_introduces_it() -> None:
    library = load_library(DEMO_SCHOOL_DIR)
    rm = next(p for p in library.passages if p.body.startswith("RM for network issues"))
    assert rm.text.splitlines()[0].startswith("If staff are having issues with technical equipment")
    assert rm.text.endswith("• RM for network issues 01384 813920")


def test_a_nested_bullet_carries_its_parent_bullet() -> None:
    library = load_library(DEMO_SCHOOL_DIR)
    eschools = next(p for p in library.passages if p.body == "Work will be uploaded to eSchools.")
    assert eschools.lead == ("Teachers are responsible for:", "Setting work")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_every_passage_is_verbatim_from_the_source_documents() -> None:
    if not SEEDS.is_dir():  # pragma: no cover - guarded by skipif
        return
    source = fold(" ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")))
    library = load_library(DEMO_SCHOOL_DIR)
    for passage in library.passages:
        assert fold(passage.body) in source, passage.body


def test_no_passage_is_too_long_to_quote() -> None:
    library = load_library(DEMO_SCHOOL_DIR)
    assert max(len(p.body) for p in library.passages) <= MAX_PASSAGE_CHARS


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_in(folder: Path) -> list[str]:
    _, problems = check_policy_folder(folder)
    return [str(p) for p in problems]


def test_missing_title_is_reported_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\nschool: X\n---\n\n## 1. Aims\n\nText.\n")
    [problem] = problems_in(tmp_path)
    assert problem.startswith(f"{tmp_path / 'a.md'}:2:") and "no title" in problem


def test_empty_section_is_reported_at_its_heading(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: A\n---\n\n## 1. Aims\n\nText.\n\n## 2. Roles\n\n## 3. Hours\n\nMore.\n")
    [problem] = problems_in(tmp_path)
    assert ":9:" in problem and "empty section 'Roles'" in problem


def test_duplicate_section_number_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: A\n---\n\n## 1. Aims\n\nText.\n\n## 1. Again\n\nMore.\n")
    [problem] = problems_in(tmp_path)
    assert ":9:" in problem and "duplicate section 1" in problem


def test_unreadable_encoding_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: A\n---\n\n## Aims\n\nCaf\xe9\n".encode("latin-1"))
    [problem] = problems_in(tmp_path)
    assert ":7:" in problem and "unreadable encoding" in problem


def test_passage_too_long_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: A\n---\n\n## Aims\n\n" + "word " * 400 + "\n")
    [problem] = problems_in(tmp_path)
    assert ":7:" in problem and "too long to quote" in problem


def test_broken_front_matter_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\n\n## Aims\n\nText.\n")
    problems = problems_in(tmp_path)
    assert problems and "front matter is not valid YAML" in problems[0]


def test_load_library_raises_with_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "## Aims\n\nText.\n")
    write(tmp_path, "b.md", "---\ntitle: B\n---\n\n## Aims\n")
    with pytest.raises(PolicyFileError) as raised:
        load_library(tmp_path)
    assert len(raised.value.problems) == 2
