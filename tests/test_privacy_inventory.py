"""The data inventory covers every column of the schema, and `staffroom data …` works from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table

from bot.cli import main
from bot.privacy.inventory import CLASSIFICATION, Kind, build_inventory, unclassified
from bot.privacy.retention import RULES
from bot.school import demo_school_folder, load_school
from bot.store.tables import Base


def test_every_column_of_every_table_is_classified() -> None:
    assert unclassified() == []
    assert set(CLASSIFICATION) == set(Base.metadata.tables), "a classified table the schema no longer has"
    for name, columns in CLASSIFICATION.items():
        assert set(columns) == {c.name for c in Base.metadata.tables[name].columns}, name


def test_a_new_column_without_a_classification_is_named() -> None:
    metadata = MetaData()
    Table("check_ins", metadata, Column("id", Integer, primary_key=True), Column("mood", String(20)))
    Table("pupil_notes", metadata, Column("id", Integer, primary_key=True))
    assert unclassified(dict(metadata.tables)) == ["check_ins.mood", "pupil_notes (no purpose)", "pupil_notes.id"]


def test_free_text_and_identifiers_are_personal_and_each_table_has_a_retention() -> None:
    entries = {entry.name: entry for entry in build_inventory(load_school().config)}
    assert ("note", Kind.FREE_TEXT) in entries["requests"].personal
    assert ("requester_email", Kind.IDENTIFIER) in entries["requests"].personal
    assert entries["scheduled_runs"].personal == ()
    assert all(entry.retention for entry in entries.values())
    for rule in RULES:
        if rule.table in Base.metadata.tables:
            assert entries[rule.table].retention == rule.describe(load_school().config)


@pytest.fixture
def school_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_school_folder(), folder)
    with (folder / "school.yaml").open("a", encoding="utf-8") as file:
        file.write("retention:\n  check_in_days: 200\n")
    return folder


def test_the_inventory_command_shows_the_schools_own_schedule(
    school_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "inventory", "--policies", str(school_folder)]) == 0
    printed = capsys.readouterr().out
    for table in Base.metadata.tables:
        assert f"### {table}" in printed
    assert "check-in records, by the day they were about: 200 days" in printed
    assert "`note` (free text)" in printed


def test_the_data_commands_from_the_command_line(
    school_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    assert main(["data", "purge", "--dry-run", "--policies", str(school_folder)]) == 0
    printed = capsys.readouterr().out
    assert "Would remove 0 from requests" in printed and "Nothing removed" in printed
    assert main(["data", "export", "nobody@elsewhere.example", "--out", str(tmp_path / "x.zip"),
                 "--policies", str(school_folder)]) == 1
    assert "Nothing is held" in capsys.readouterr().out
    assert main(["data", "erase", "h.okafor@oakfield.example", "--policies", str(school_folder)]) == 1
    assert "post of headteacher" in capsys.readouterr().out


def test_a_bad_retention_setting_stops_the_command_with_file_and_line(
    school_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (school_folder / "school.yaml").read_text("utf-8").replace("check_in_days: 200", "check_in_days: lots")
    (school_folder / "school.yaml").write_text(text, "utf-8")
    line = text.splitlines().index("  check_in_days: lots") + 1
    assert main(["data", "inventory", "--policies", str(school_folder)]) == 2
    assert f"school.yaml:{line}: retention.check_in_days" in capsys.readouterr().err


def test_the_readme_holds_the_inventory_of_the_default_schedule() -> None:
    from bot.privacy.inventory import render_inventory_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    assert render_inventory_table(build_inventory(load_school().config)) in readme
