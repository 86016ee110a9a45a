"""`directory import staff.csv`: differences shown, applied only with apply=True, checked first."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bot.school import demo_school_folder, load_school
from bot.school.commands import import_directory

HEADER = "Name,Email,Job Title,Line Manager Email\n"
# Everyone in the demo except Lucy Bennett (TA) and Margaret Ellis (chair, holds a role);
# Sam Carter has a new job title; Jo Price is new.
EXPORT = (
    HEADER
    + """\
Helen Okafor,h.okafor@oakfield.example,Headteacher,
David Reyes,d.reyes@oakfield.example,Deputy Headteacher,h.okafor@oakfield.example
Priya Shah,p.shah@oakfield.example,Upper Key Stage 2 Phase Leader,d.reyes@oakfield.example
Tom Whitfield,t.whitfield@oakfield.example,Key Stage 1 Phase Leader,d.reyes@oakfield.example
Sam Carter,S.Carter@oakfield.example,Year 6 Teacher,p.shah@oakfield.example
Amira Hussain,a.hussain@oakfield.example,Year 1 Teacher,t.whitfield@oakfield.example
Nadia Brooks,n.brooks@oakfield.example,Pastoral Lead and Designated Safeguarding Lead,h.okafor@oakfield.example
Fiona McLeod,f.mcleod@oakfield.example,SENDCO,d.reyes@oakfield.example
Gareth Lewis,g.lewis@oakfield.example,IT Technician,o.adeyemi@oakfield.example
Olu Adeyemi,o.adeyemi@oakfield.example,School Business Manager,h.okafor@oakfield.example
Jo Price,j.price@oakfield.example,Year 3 Teacher,p.shah@oakfield.example
"""
)


@pytest.fixture
def school_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_school_folder(), folder)
    text = (folder / "school.yaml").read_text(encoding="utf-8")
    # A platform id the import must keep (the MIS export knows nothing of chat accounts).
    text = text.replace("job_title: Year 5 Teacher\n", "job_title: Year 5 Teacher\n    slack_user_id: U5\n")
    (folder / "school.yaml").write_text(text, encoding="utf-8")
    return folder


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "staff.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_shows_differences_and_writes_nothing(tmp_path: Path, school_folder: Path) -> None:
    before = (school_folder / "school.yaml").read_bytes()
    out = io.StringIO()
    assert import_directory(write_csv(tmp_path, EXPORT), school_folder, out=out) == 0
    shown = out.getvalue()
    assert "+ j.price@oakfield.example: Jo Price, Year 3 Teacher" in shown
    assert "~ s.carter@oakfield.example: job title: Year 5 Teacher -> Year 6 Teacher" in shown
    assert "- l.bennett@oakfield.example: Lucy Bennett, Teaching Assistant" in shown
    assert "= m.ellis@oakfield.example: not in the export but holds chair_of_governors" in shown
    assert "1 to add, 1 to update, 1 to remove" in shown
    assert "--apply" in shown
    assert (school_folder / "school.yaml").read_bytes() == before


def test_apply_rewrites_only_the_staff_list(tmp_path: Path, school_folder: Path) -> None:
    out = io.StringIO()
    assert import_directory(write_csv(tmp_path, EXPORT), school_folder, apply=True, out=out) == 0
    text = (school_folder / "school.yaml").read_text(encoding="utf-8")
    assert "# Oakfield Primary School: a fictional school" in text  # comments kept
    assert "# While an approver is away" in text
    school = load_school(school_folder)
    directory = school.directory
    assert directory.get("j.price@oakfield.example") is not None
    assert directory.get("l.bennett@oakfield.example") is None
    assert directory.get("m.ellis@oakfield.example") is not None
    carter = directory.get("s.carter@oakfield.example")
    assert carter is not None and carter.job_title == "Year 6 Teacher" and carter.slack_user_id == "U5"
    again = io.StringIO()
    assert import_directory(write_csv(tmp_path, EXPORT), school_folder, out=again) == 0
    assert "nothing to change" in again.getvalue()


def test_unknown_line_manager_in_export_is_refused_with_its_csv_line(tmp_path: Path, school_folder: Path) -> None:
    before = (school_folder / "school.yaml").read_bytes()
    export = EXPORT.replace("Year 3 Teacher,p.shah@oakfield.example", "Year 3 Teacher,ghost@oakfield.example")
    path = write_csv(tmp_path, export)
    out = io.StringIO()
    assert import_directory(path, school_folder, apply=True, out=out) == 1
    assert f"{path}:12: line_manager: line manager ghost@oakfield.example" in out.getvalue()
    assert (school_folder / "school.yaml").read_bytes() == before


def test_removing_a_line_manager_still_in_use_is_refused(tmp_path: Path, school_folder: Path) -> None:
    before = (school_folder / "school.yaml").read_bytes()
    export = "\n".join(line for line in EXPORT.splitlines() if not line.startswith("Priya Shah")) + "\n"
    out = io.StringIO()
    assert import_directory(write_csv(tmp_path, export), school_folder, apply=True, out=out) == 1
    assert "p.shah@oakfield.example" in out.getvalue()
    assert (school_folder / "school.yaml").read_bytes() == before


def test_a_partial_export_shows_its_differences_and_says_to_keep_the_missing(
    tmp_path: Path, school_folder: Path
) -> None:
    before = (school_folder / "school.yaml").read_bytes()
    # One department's export: Sam's line manager is in the directory but not in this file.
    path = write_csv(tmp_path, HEADER + "Sam Carter,s.carter@oakfield.example,Year 5 Teacher,p.shah@oakfield.example\n"
                     "Jo Price,j.price@oakfield.example,Year 3 Teacher,s.carter@oakfield.example\n")
    out = io.StringIO()
    assert import_directory(path, school_folder, apply=True, out=out) == 1
    printed = out.getvalue()
    assert "+ j.price@oakfield.example" in printed and "- p.shah@oakfield.example" in printed  # the differences
    assert (f"{path}:2: line_manager: line manager p.shah@oakfield.example is in the directory but not in this "
            "export, so the import would remove them: if the export is partial, run again with --keep-missing") in printed
    assert "not in the export or the directory" not in printed
    assert (school_folder / "school.yaml").read_bytes() == before
    out = io.StringIO()
    assert import_directory(path, school_folder, keep_missing=True, out=out) == 0
    assert "1 to add, 0 to update, 0 to remove" in out.getvalue()


def test_export_without_an_email_column_is_refused(tmp_path: Path, school_folder: Path) -> None:
    out = io.StringIO()
    path = write_csv(tmp_path, "Name,Job Title\nJo Price,Teacher\n")
    assert import_directory(path, school_folder, out=out) == 1
    assert "no 'email' column" in out.getvalue()
