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


def adapter_imports_of_core_internals(source: str, module: str) -> list[str]:
    """What module `module` (dotted, e.g. "bot.slack.handlers") imports from `bot.requests` or `bot.store`,
    in any spelling: `import bot.store`, `from bot.store.outbox import …`, `from bot import store`, and
    relative imports (`from ..requests import cards`, `from .. import store`) resolved against `module`."""
    forbidden = ("bot.requests", "bot.store")
    package = module.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            origin = ".".join(part for part in (base, node.module or "") if part)
            names = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [name for name in names if any(name == f or name.startswith(f + ".") for f in forbidden)]
    return found


def test_slack_and_teams_import_nothing_from_the_request_workflow_or_the_database() -> None:
    """Adapters -> core: what a click did comes in the core's replies, storage through `bot.platform_storage`."""
    # The check itself sees every spelling (a module at bot/slack/handlers.py, or a package's __init__).
    for bad in ("import bot.store", "import bot.requests.cards as c", "from bot.store.outbox import record_shown",
                "from bot import store", "from bot import messages, requests", "from ..requests import cards",
                "from .. import store", "from ..store.events import first_sighting",
                "def f():\n    from bot.requests.cards import SUBMIT"):
        assert adapter_imports_of_core_internals(bad, "bot.slack.handlers"), bad
    for fine in ("import bot.messages", "from bot.runtime import Runtime", "from bot import messages",
                 "from . import blocks", "from .requests import x", "from ..platform_storage import EventLog",
                 "from bot.requestsish import x"):
        assert not adapter_imports_of_core_internals(fine, "bot.slack.handlers"), fine
    files = sorted(path for folder in ("slack", "teams") for path in (ROOT / "bot" / folder).rglob("*.py"))
    assert len(files) > 10
    problems = {}
    for path in files:
        # "bot.slack.handlers"; a package's "bot.slack.__init__" resolves relative imports in "bot.slack" too.
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found = adapter_imports_of_core_internals(path.read_text(encoding="utf-8"), module)
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert not problems, problems
