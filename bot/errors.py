"""The errors Staffroom raises on purpose, all under one base `StaffroomError`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class StaffroomError(Exception):
    """Base of every error Staffroom raises deliberately (anything else is a bug)."""


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in a configuration file, and exactly where it is."""

    file: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ConfigError(StaffroomError):
    """A configuration file cannot be used; `problems` names each fault with file, line and field."""

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        if not problems:
            raise ValueError("ConfigError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def file(self) -> Path:
        return self.problems[0].file

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def field(self) -> str:
        return self.problems[0].field


class StorageError(StaffroomError):
    """The database cannot be reached, named, or brought up to date."""


class WorkflowError(StaffroomError):
    """A workflow was asked for a transition its table does not allow (a bug, not a refusal)."""
