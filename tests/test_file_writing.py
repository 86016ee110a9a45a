"""Files Staffroom writes into a school's folder (imported policies, topics.yaml) are readable as any other
file the administrator makes, and a replaced file keeps its permissions."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.file_writing import replace_file


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "policy.md"
    replace_file(target, "# Policy\n")
    assert target.read_text(encoding="utf-8") == "# Policy\n"
    assert _mode(target) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "topics.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    replace_file(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert _mode(target) == 0o640


def test_a_failed_write_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "policy.md"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(TypeError):
        replace_file(target, None)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["policy.md"]
