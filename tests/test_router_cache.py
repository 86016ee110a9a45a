"""The built router kept on disk (intents/router_cache.py): used again only when built from the same
files, rebuilt after any change, passed over when damaged or turned off; cue phrases kept uncompiled."""

from __future__ import annotations

import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.root import load_router
from bot.settings import Settings
from intents import router_cache
from intents.cues import phrase_pattern
from intents.router import Router
from intents.routing import Intent
from policy_text import DEMO_SCHOOL_DIR

TODAY = date(2026, 11, 23)

POLICY = """---
title: Equipment Policy
---
## 1. Borrowing equipment

Staff may borrow a school laptop to take home, after signing the loan agreement.
"""

MORE = """
## 2. Minibus

Only staff who hold a D1 entitlement on their licence may take pupils out in the minibus.
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    return folder


def _school(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "school"
    folder.mkdir(exist_ok=True)
    (folder / "equipment.md").write_text(text, encoding="utf-8")
    return folder


def test_a_router_is_kept_and_the_kept_one_answers_as_a_fresh_build(cache: Path) -> None:
    first = router_cache.load_router(DEMO_SCHOOL_DIR, cache)
    kept = list(cache.glob("router-*.pickle"))
    assert len(kept) == 1
    again = router_cache.load_router(DEMO_SCHOOL_DIR, cache)
    assert again is not first  # read from the file
    fresh = Router.from_folder(DEMO_SCHOOL_DIR)
    for question in ("who do I contact about IT?", "can I wfh on friday", "how long should my password be"):
        expected, got = fresh.route(question, TODAY), again.route(question, TODAY)
        assert (got.intent, got.confidence, got.reason) == (expected.intent, expected.confidence, expected.reason)
        assert [m.passage for m in got.matches] == [m.passage for m in expected.matches]


def test_a_changed_policy_is_read_again_not_taken_from_the_cache(cache: Path, tmp_path: Path) -> None:
    folder = _school(tmp_path, POLICY)
    question = "who can take pupils out in the minibus?"
    before = router_cache.load_router(folder, cache).route(question, TODAY)
    assert before.intent is Intent.FALLBACK
    (folder / "equipment.md").write_text(POLICY + MORE, encoding="utf-8")
    after = router_cache.load_router(folder, cache).route(question, TODAY)
    assert after.intent is Intent.POLICY
    assert "D1 entitlement" in after.matches[0].passage.text
    assert len(list(cache.glob("router-*.pickle"))) == 2


def test_a_school_file_beside_the_policies_changes_the_key(cache: Path, tmp_path: Path) -> None:
    folder = _school(tmp_path, POLICY)
    router_cache.load_router(folder, cache)
    (folder / "lexicon.yaml").write_text("synonyms:\n  - [minibus, school bus]\n", encoding="utf-8")
    router_cache.load_router(folder, cache)
    assert len(list(cache.glob("router-*.pickle"))) == 2


def test_a_damaged_cache_file_is_rebuilt_over(cache: Path, tmp_path: Path) -> None:
    folder = _school(tmp_path, POLICY)
    router_cache.load_router(folder, cache)
    (kept,) = cache.glob("router-*.pickle")
    kept.write_bytes(b"not a pickle")
    router = router_cache.load_router(folder, cache)
    assert router.route("can I borrow a laptop?", TODAY).intent is Intent.POLICY
    assert isinstance(pickle.loads(kept.read_bytes()), Router)


def test_caching_turned_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFFROOM_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    router = load_router(_school(tmp_path, POLICY), Settings())  # what every command does
    assert router.route("can I borrow a laptop?", TODAY).intent is Intent.POLICY
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_an_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    router = router_cache.load_router(_school(tmp_path, POLICY), blocker / "cache")
    assert router.route("can I borrow a laptop?", TODAY).intent is Intent.POLICY


def test_only_the_newest_routers_are_kept(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router_cache, "KEEP", 2)
    folder = _school(tmp_path, POLICY)
    for n in range(4):
        (folder / "equipment.md").write_text(POLICY + f"\nThe loan lasts {n + 1} weeks.\n", encoding="utf-8")
        router_cache.load_router(folder, cache)
    assert len(list(cache.glob("router-*.pickle"))) == 2


def test_cue_phrases_match_whole_words_longest_first_and_survive_pickling() -> None:
    phrases = phrase_pattern(["work from home", "work", "Home!"])
    text = "can i work from home or homework at work"
    found = [m.group(0) for m in phrases.finditer(text)]
    assert found == ["work from home", "work"]
    assert phrases.sub("_", text) == "can i _ or homework at _"
    kept = pickle.loads(pickle.dumps(phrases))
    assert kept == phrases
    assert [m.span() for m in kept.finditer(text)] == [m.span() for m in phrases.finditer(text)]
    assert phrase_pattern([]).search(text) is None


def test_the_demo_folder_is_left_as_it_was(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo"
    shutil.copytree(DEMO_SCHOOL_DIR, copy)
    router_cache.load_router(copy, cache)
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in DEMO_SCHOOL_DIR.iterdir())
