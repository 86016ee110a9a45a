"""`staffroom directory import staff.csv`: compare an MIS/HR export with the directory, then apply.

The directory stays in the school's YAML file, next to the roles and approval chains that
refer to it, so there is one place an IT person reads and one file to back up. Applying an
import rewrites only the `staff:` list of that file (every other line and comment is kept
as it was), and only after the resulting file has passed the same checks as at start-up.
Platform user ids already in the directory are kept; people missing from the export are
removed unless they hold a role (the chair of governors is rarely in the MIS), in which
case they are kept and the difference says so.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import ConfigError, ConfigProblem
from bot.school.config import EMAIL
from bot.school.loading import School, parse_school

#: Column headings accepted for each field (compared without case, spaces or underscores).
_COLUMNS = {
    "name": ("name", "fullname", "staffname"),
    "email": ("email", "emailaddress", "workemail"),
    "job_title": ("jobtitle", "title", "role", "post"),
    "line_manager": ("linemanageremail", "linemanager", "manageremail", "manager"),
}


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """One person as an import would leave them."""

    name: str
    email: str
    job_title: str
    line_manager: str | None
    slack_user_id: str | None = None
    teams_user_id: str | None = None
    #: The line of the export it came from (0 when it came from the directory).
    line: int = field(default=0, compare=False)

    def as_yaml(self) -> dict[str, str]:
        entry = {"name": self.name, "email": self.email, "job_title": self.job_title}
        optional = {
            "line_manager": self.line_manager,
            "slack_user_id": self.slack_user_id,
            "teams_user_id": self.teams_user_id,
        }
        entry.update({key: value for key, value in optional.items() if value})
        return entry


@dataclass(frozen=True, slots=True)
class StaffChange:
    """One difference between the directory and the export."""

    kind: str  # "add", "update", "remove" or "keep"
    email: str
    detail: str

    def __str__(self) -> str:
        sign = {"add": "+", "update": "~", "remove": "-", "keep": "="}[self.kind]
        return f"{sign} {self.email}: {self.detail}"


#: Longest cell accepted (a name or job title is far shorter; a runaway cell is a broken export).
MAX_CELL = 200


def read_export_text(path: Path) -> str:
    """The export's text in the encodings spreadsheets save: UTF-8 (with or without BOM),
    UTF-16 ("Unicode text", tab-separated) and Windows-1252 (Excel's plain "CSV")."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError([ConfigProblem(path, 0, "", f"cannot be read: {error.strerror}")]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise ConfigError([ConfigProblem(path, 0, "", "is not text in UTF-8, UTF-16 or Windows-1252: save it as CSV")])


def _normalise(heading: str) -> str:
    return "".join(ch for ch in heading.lower() if ch.isalnum())


def read_staff_csv(path: Path) -> list[StaffRecord]:
    """Read an export with name, email, job title and line manager email columns."""
    text = read_export_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headings = {_normalise(h): h for h in reader.fieldnames or []}
    column: dict[str, str] = {}
    for wanted, accepted in _COLUMNS.items():
        found = next((headings[heading] for heading in accepted if heading in headings), None)
        if found is None and wanted != "line_manager":
            label = wanted.replace("_", " ")
            why = " (without it every job title would be emptied)" if wanted == "job_title" else ""
            raise ConfigError([ConfigProblem(path, 1, wanted, f"no '{label}' column in the heading row{why}")])
        if found is not None:
            column[wanted] = found
    records: list[StaffRecord] = []
    problems: list[ConfigProblem] = []
    first_seen: dict[str, int] = {}
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:  # a runaway cell (over the csv module's 128 KiB) or a broken quote
            problems.append(ConfigProblem(path, reader.line_num + 1, "", f"cannot be read as CSV ({error})"))
            break
        line = reader.line_num

        def cell(field: str, row: dict[str, Any] = row) -> str:
            return str(row.get(column.get(field, ""), "") or "").strip()

        too_long = next((f for f in ("name", "email", "job_title", "line_manager") if len(cell(f)) > MAX_CELL), None)
        if too_long is not None:
            problems.append(ConfigProblem(path, line, too_long, f"is {len(cell(too_long)):,} characters long; "
                                                                f"at most {MAX_CELL} are accepted"))
            continue
        email = cell("email").lower()
        if not EMAIL.match(email):
            problems.append(ConfigProblem(path, line, "email", f"'{email}' is not an email address"))
            continue
        if email in first_seen:
            problems.append(ConfigProblem(path, line, "email", f"{email} is also on line {first_seen[email]}"))
            continue
        first_seen[email] = line
        manager_cell = cell("line_manager").lower()
        if manager_cell and not EMAIL.match(manager_cell):
            problems.append(ConfigProblem(path, line, "line_manager", f"'{manager_cell}' is not an email address"))
            continue
        if not cell("name"):
            problems.append(ConfigProblem(path, line, "name", "is empty"))
            continue
        manager = cell("line_manager").lower() or None
        records.append(StaffRecord(cell("name"), email, cell("job_title"), manager, line=line))
    if problems:
        raise ConfigError(problems)
    return records


def diff_directory(
    school: School, incoming: Sequence[StaffRecord], *, keep_missing: bool = False
) -> tuple[list[StaffChange], list[StaffRecord]]:
    """The changes an import would make, and the staff list it would leave.

    People missing from the export are removed, unless they hold a role or `keep_missing`.
    """
    changes: list[StaffChange] = []
    result: list[StaffRecord] = []
    seen: set[str] = set()
    for record in incoming:
        seen.add(record.email)
        current = school.directory.get(record.email)
        if current is None:
            changes.append(StaffChange("add", record.email, f"{record.name}, {record.job_title}"))
            result.append(record)
            continue
        kept = StaffRecord(
            record.name,
            record.email,
            record.job_title,
            record.line_manager,
            current.slack_user_id,
            current.teams_user_id,
            line=record.line,
        )
        differences = [
            f"{label}: {before or '-'} -> {after or '-'}"
            for label, before, after in (
                ("name", current.name, kept.name),
                ("job title", current.job_title, kept.job_title),
                ("line manager", current.line_manager, kept.line_manager),
            )
            if (before or None) != (after or None)
        ]
        if differences:
            changes.append(StaffChange("update", record.email, "; ".join(differences)))
        result.append(kept)
    for member in school.directory:
        if member.email in seen:
            continue
        roles = school.directory.roles_of(member.email)
        if roles or keep_missing:
            why = f"but holds {', '.join(role.value for role in roles)}" if roles else "(kept: --keep-missing)"
            changes.append(StaffChange("keep", member.email, f"not in the export {why}"))
            result.append(
                StaffRecord(
                    member.name,
                    member.email,
                    member.job_title,
                    member.line_manager,
                    member.slack_user_id,
                    member.teams_user_id,
                )
            )
        else:
            changes.append(StaffChange("remove", member.email, f"{member.name}, {member.job_title}"))
    return changes, result


def check_line_managers(csv_path: Path, staff: Sequence[StaffRecord], removed: Sequence[str] = ()) -> None:
    """Refuse an import whose line managers are not in the resulting directory, with the CSV line.

    `removed` are the directory's people the import would remove (not in the export): a line manager
    among them means the export is probably partial, and the message says so.
    """
    emails = {record.email for record in staff}
    leaving = set(removed)
    problems = []
    for record in staff:
        if not record.line_manager or record.line_manager in emails:
            continue
        whose = "" if record.line else f"{record.name}'s (kept from the directory) "
        if record.line_manager in leaving:
            why = (f"{whose}line manager {record.line_manager} is in the directory but not in this export, so "
                   "the import would remove them: if the export is partial, run again with --keep-missing")
        else:
            why = f"{whose}line manager {record.line_manager} is not in the export or the directory"
        problems.append(ConfigProblem(csv_path, record.line, "line_manager", why))
    if problems:
        raise ConfigError(problems)


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def render_staff_file(text: str, staff: Sequence[StaffRecord]) -> str:
    """The school file with only its `staff:` list replaced."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("the school file is not a mapping")
    entry = next(((k, v) for k, v in root.value if k.value == "staff"), None)
    block = yaml.safe_dump([record.as_yaml() for record in staff], sort_keys=False, allow_unicode=True, width=1000)
    new = "staff:\n" + "".join(f"  {line}\n" for line in block.splitlines())
    if entry is None:
        return text.rstrip("\n") + "\n\n" + new
    key, value = entry
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    end_index = _last_scalar(value).end_mark.index
    newline = text.find("\n", end_index)
    end = len(text) if newline < 0 else newline + 1
    return text[:start] + new + text[end:]


def apply_staff(school: School, staff: Sequence[StaffRecord]) -> School:
    """Write the new staff list into the school file, after checking the result loads."""
    text = school.file.read_text(encoding="utf-8-sig")
    updated = render_staff_file(text, staff)
    checked = parse_school(school.file, updated)
    mode = stat.S_IMODE(school.file.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=school.file.parent, prefix=".school-", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(updated)
    os.chmod(temporary, mode)  # mkstemp makes 0600; the school file keeps the mode it had
    os.replace(temporary, school.file)
    return checked
