"""`directory import` with real MIS exports: Excel's encodings, missing people said aloud, bad cells refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.school import demo_school_folder, load_school
from tests.test_school_import import EXPORT


@pytest.fixture
def school_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_school_folder(), folder)
    return folder


def staffroom(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", "directory", "import", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_excel_exports_are_read(school_folder: Path, tmp_path: Path, encoding: str) -> None:
    text = EXPORT.replace("Jo Price", "Zoë Price")
    if encoding == "utf-16":
        text = text.replace(",", "\t")  # Excel's "Unicode text" is tab-separated UTF-16
    export = tmp_path / "staff.csv"
    export.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = staffroom(str(export), "--policies", str(school_folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "+ j.price@oakfield.example: Zoë Price, Year 3 Teacher" in result.stdout


def test_people_missing_from_the_export_are_said_to_be_removed_or_kept(school_folder: Path, tmp_path: Path) -> None:
    export = tmp_path / "staff.csv"
    export.write_text(EXPORT, encoding="utf-8")
    shown = staffroom(str(export), "--policies", str(school_folder))
    assert "- l.bennett@oakfield.example: Lucy Bennett, Teaching Assistant" in shown.stdout
    assert "1 not in the export are removed from the directory; use --keep-missing to keep them" in shown.stdout
    kept = staffroom(str(export), "--policies", str(school_folder), "--keep-missing", "--apply")
    assert kept.returncode == 0, kept.stdout
    assert "= l.bennett@oakfield.example: not in the export (kept: --keep-missing)" in kept.stdout
    assert load_school(school_folder).directory.get("l.bennett@oakfield.example") is not None


def test_an_export_without_a_job_title_column_is_refused(school_folder: Path, tmp_path: Path) -> None:
    export = tmp_path / "staff.csv"
    export.write_text("Name,Email\nJo Price,j.price@oakfield.example\n", encoding="utf-8")
    before = (school_folder / "school.yaml").read_text(encoding="utf-8")
    result = staffroom(str(export), "--policies", str(school_folder), "--apply")
    assert result.returncode == 1
    assert f"{export}:1: job_title: no 'job title' column in the heading row" in result.stdout
    assert (school_folder / "school.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(("size", "says"), [(1_000_000, "cannot be read as CSV (field larger than field limit"),
                                              (5_000, "name: is 5,000 characters long; at most 200")])
def test_a_huge_cell_is_refused_with_its_csv_line(school_folder: Path, tmp_path: Path, size: int, says: str) -> None:
    export = tmp_path / "staff.csv"
    export.write_text(EXPORT.replace("Jo Price", "J" * size), encoding="utf-8")
    result = staffroom(str(export), "--policies", str(school_folder))
    assert result.returncode == 1
    line = EXPORT.splitlines().index(next(x for x in EXPORT.splitlines() if x.startswith("Jo Price"))) + 1
    assert f"{export}:{line}: {says}" in result.stdout
    assert "Traceback" not in result.stderr


def test_apply_keeps_the_school_files_mode(school_folder: Path, tmp_path: Path) -> None:
    export = tmp_path / "staff.csv"
    export.write_text(EXPORT, encoding="utf-8")
    os.chmod(school_folder / "school.yaml", 0o644)
    result = staffroom(str(export), "--policies", str(school_folder), "--apply")
    assert result.returncode == 0, result.stdout
    assert (school_folder / "school.yaml").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("bad", "field", "says"), [
    ("Jo Price,j.price@oakfield,Year 3 Teacher,p.shah@oakfield.example", "email", "'j.price@oakfield' is not"),
    ("Jo Price,a.hussain@oakfield.example,Year 3 Teacher,", "email", "a.hussain@oakfield.example is also on line 7"),
    ("Jo Price,j.price@oakfield.example,Year 3 Teacher,p.shah", "line_manager", "'p.shah' is not an email"),
])
def test_a_bad_row_is_named_by_its_csv_line_not_school_yaml(
    school_folder: Path, tmp_path: Path, bad: str, field: str, says: str
) -> None:
    export = tmp_path / "staff.csv"
    text = EXPORT.replace("Jo Price,j.price@oakfield.example,Year 3 Teacher,p.shah@oakfield.example", bad)
    export.write_text(text, encoding="utf-8")
    result = staffroom(str(export), "--policies", str(school_folder))
    assert result.returncode == 1
    line = text.splitlines().index(bad) + 1
    assert f"{export}:{line}: {field}: {says}" in result.stdout
    assert "school.yaml" not in result.stdout


def test_a_formula_looking_cell_is_stored_as_the_text_it_is(school_folder: Path, tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","Click")'
    export = tmp_path / "staff.csv"
    export.write_text(EXPORT.replace("Year 3 Teacher", '"' + formula.replace('"', '""') + '"'), encoding="utf-8")
    result = staffroom(str(export), "--policies", str(school_folder), "--apply")
    assert result.returncode == 0, result.stdout
    member = load_school(school_folder).directory.get("j.price@oakfield.example")
    assert member is not None and member.job_title == formula
