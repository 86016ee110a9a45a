"""Load a school folder: its school.yaml checked field by field, its directory and calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.clock import Clock, SystemClock
from bot.errors import ConfigError, ConfigProblem
from bot.school.calendar import SchoolCalendar
from bot.school.config import Role, SchoolConfig
from bot.school.directory import Directory, build_staff, check_directory
from bot.school.rolling import follow_current_year
from bot.school.yaml_lines import Location, find_line, format_location, load_yaml_with_lines

#: The file in a school folder that holds its configuration and staff directory.
SCHOOL_FILE = "school.yaml"


@dataclass(frozen=True)
class School:
    """One school as the bot runs it: configuration, directory and calendar."""

    config: SchoolConfig
    directory: Directory
    calendar: SchoolCalendar
    file: Path
    #: The line of each key and list item in `file`, for later error messages.
    lines: Mapping[Location, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def folder(self) -> Path:
        return self.file.parent

    def warnings(self, clock: Clock | None = None) -> list[str]:
        """What to fix in school.yaml that does not stop the school running (terms that have ended)."""
        today = self.calendar.local_date((clock or SystemClock()).now())
        ended = self.calendar.terms_ended_warning(today)
        if ended is None:
            return []
        return [str(ConfigProblem(self.file, find_line(self.lines, ("terms",)), "terms", ended))]


def demo_school_folder() -> Path:
    """The bundled demo school (its policies and school.yaml)."""
    return Path(__file__).resolve().parent.parent.parent / "policy_text" / "demo"


def _describe(error: ErrorDetails) -> str:
    location = error["loc"]
    if error["type"] == "extra_forbidden":
        name = str(location[-1]) if location else "?"
        if len(location) == 2 and location[0] == "roles":
            known = ", ".join(role.value for role in Role)
            return f"unknown role '{name}' (known roles: {known})"
        return f"unknown field '{name}'"
    if error["type"] == "missing":
        return "is required"
    return str(error["msg"]).removeprefix("Value error, ")


def _problems_from(file: Path, lines: dict[Location, int], error: ValidationError) -> list[ConfigProblem]:
    problems = []
    for detail in error.errors():
        # pydantic adds the union member or tag it tried; those are not places in the file.
        location: Location = tuple(part for part in detail["loc"] if isinstance(part, int) or "[" not in str(part))
        problems.append(ConfigProblem(file, find_line(lines, location), format_location(location), _describe(detail)))
    return problems


def parse_school(file: Path, text: str, *, clock: Clock | None = None) -> School:
    """Validate the text of a school.yaml; raise `ConfigError` naming file, line and field.

    `clock` says what today is, for a school whose dates follow the current academic year
    (the demo); a real school's dates are used as written.
    """
    try:
        data, lines = load_yaml_with_lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ConfigError([ConfigProblem(file, line, "", f"not valid YAML: {error}")]) from None
    if not isinstance(data, dict):
        raise ConfigError([ConfigProblem(file, 1, "", "expected 'key: value' settings")])
    try:
        config = SchoolConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(_problems_from(file, lines, error)) from None
    from bot.requests.kinds.registry import check_request_types  # the kinds read School: load them late

    kind_problems = check_request_types(config)
    if kind_problems:
        raise ConfigError([ConfigProblem(file, find_line(lines, location), format_location(location), message)
                           for location, message in kind_problems])
    staff = build_staff(config.staff)
    faults = check_directory(staff, config.roles, config.delegates)
    if faults:
        raise ConfigError(
            [ConfigProblem(file, find_line(lines, f.location), format_location(f.location), f.message) for f in faults]
        )
    today = (clock or SystemClock()).now().astimezone(ZoneInfo(config.time_zone)).date()
    config = follow_current_year(config, today)
    roles = {Role(name): email for name, email in config.roles.model_dump().items() if email}
    directory = Directory(staff, roles, config.delegates)
    return School(config, directory, SchoolCalendar(config), file, lines)


#: Largest school.yaml read (a directory of a few thousand staff is well under this).
MAX_SCHOOL_FILE_BYTES = 5_000_000


def load_school(folder: Path | None = None, *, clock: Clock | None = None) -> School:
    """Load `folder`/school.yaml (default: the demo school's); `clock` as for `parse_school`.

    Which folder a command uses (`--policies`, else `STAFFROOM_POLICIES`) is the composition root's choice.
    """
    folder = folder if folder is not None else demo_school_folder()
    file = folder / SCHOOL_FILE if folder.is_dir() else folder
    try:
        size = file.stat().st_size
        if size > MAX_SCHOOL_FILE_BYTES:
            raise ConfigError([ConfigProblem(file, 0, "", f"is {size:,} bytes; a school.yaml can be at most "
                                                          f"{MAX_SCHOOL_FILE_BYTES:,} bytes")])
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError([ConfigProblem(file, 0, "", f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ConfigError([ConfigProblem(file, 0, "", "unreadable encoding: save as UTF-8")]) from None
    return parse_school(file, text, clock=clock)
