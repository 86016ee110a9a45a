"""Hostile or broken configuration: refused quickly with file and line, never a traceback or a blow-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.school.loading import demo_school_folder

LAUGHS = 'lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{n + 1}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
)


@pytest.fixture
def school(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(demo_school_folder(), folder)
    return folder


def test_a_billion_laughs_school_yaml_is_refused_at_once(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (school / "school.yaml").write_text(LAUGHS + (school / "school.yaml").read_text(encoding="utf-8"))
    started = time.monotonic()
    assert main(["checkins", "preview", "--policies", str(school)]) == 2
    assert time.monotonic() - started < 5
    error = capsys.readouterr().err
    assert "school.yaml:" in error and "aliases" in error and "Traceback" not in error


def test_a_date_that_does_not_exist_in_school_yaml_names_its_line(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (school / "school.yaml").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Polling station" in row)
    (school / "school.yaml").write_text(text.replace("{start: 2027-05-06, reason: Polling station}",
                                                     "{start: 2027-02-30, reason: Polling station}"))
    assert main(["checkins", "preview", "--policies", str(school)]) == 2
    error = capsys.readouterr().err
    assert f"school.yaml:{line}" in error and "2027-02-30 is not a real date" in error
    assert "Traceback" not in error


def test_a_date_that_does_not_exist_in_front_matter_names_its_line(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = school / "remote-learning.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("---\n", "---\nreviewed: 2026-02-30\n", 1))
    assert main(["policies", "check", str(school)]) == 1
    out = capsys.readouterr()
    assert "remote-learning.md:2" in out.out and "not a real date" in out.out
    assert "Traceback" not in out.err


def test_billion_laughs_in_front_matter_is_refused(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = school / "remote-learning.md"
    policy.write_text(policy.read_text(encoding="utf-8").replace("---\n", "---\n" + LAUGHS, 1))
    started = time.monotonic()
    assert main(["policies", "check", str(school)]) == 1
    assert time.monotonic() - started < 5
    assert "aliases" in capsys.readouterr().out


def test_an_oversized_policy_is_refused_before_it_is_read(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = school / "huge.md"
    paragraph = "Staff should read this sentence carefully before they do anything else at all. " * 12 + "\n\n"
    with policy.open("w", encoding="utf-8") as out:
        out.write("---\ntitle: Huge\n---\n\n## 1. Everything\n\n")
        while out.tell() < 3_000_000:
            out.write(paragraph)
    started = time.monotonic()
    assert main(["policies", "check", str(school)]) == 1
    assert time.monotonic() - started < 5
    out_text = capsys.readouterr().out
    assert "huge.md" in out_text and "at most 2 MB" in out_text


@pytest.mark.parametrize("key", [None, "not-a-fernet-key", ","])
def test_oauth_without_a_usable_secret_key_says_so_without_a_traceback(tmp_path: Path, key: str | None) -> None:
    env = {**os.environ, "SLACK_CLIENT_ID": "123.456", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "x",
           "STAFFROOM_DATA_DIR": str(tmp_path)}
    env.pop("SLACK_BOT_TOKEN", None)
    env.pop("STAFFROOM_SECRET_KEY", None)
    if key is not None:
        env["STAFFROOM_SECRET_KEY"] = key
    result = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", "0"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "STAFFROOM_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
