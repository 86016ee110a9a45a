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


def test_nothing_in_bot_or_intents_imports_the_command_line() -> None:
    """`bot.cli` is only the console entry point (`staffroom`): nothing it runs may import it back."""
    cli = ROOT / "bot" / "cli.py"
    files = [path for package in ("bot", "intents") for path in sorted((ROOT / package).rglob("*.py")) if path != cli]
    assert files
    for path in files:
        package = ".".join(path.relative_to(ROOT).parent.parts)  # what a relative import starts from
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
                module = ".".join(part for part in (base, node.module or "") if part)
                names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value]  # importlib.import_module("bot.cli")
            else:
                continue
            assert not any(name == "bot.cli" or name.startswith("bot.cli.") for name in names), (path, node.lineno)
