"""Dependencies point one way: adapters -> bot core -> intents; intents import no platform."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_PACKAGES = {"slack_bolt", "slack_sdk", "botbuilder", "aiohttp", "sqlalchemy", "bot"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_intents_imports_no_platform_database_or_core() -> None:
    files = sorted((ROOT / "intents").rglob("*.py"))
    assert files
    for path in files:
        assert not imported_top_levels(path) & PLATFORM_PACKAGES, path


def test_every_module_has_a_docstring() -> None:
    for package in ("bot", "intents"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip():
                continue
            if "versions" in path.parts:
                continue
            assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path
