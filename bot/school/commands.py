"""Command-line jobs about the school: `staffroom directory import staff.csv [--apply]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.errors import ConfigError
from bot.school.loading import load_school, parse_school
from bot.school.staff_import import (
    apply_staff,
    check_line_managers,
    diff_directory,
    read_staff_csv,
    render_staff_file,
)


def import_directory(
    csv_path: Path,
    school_folder: Path | None = None,
    *,
    apply: bool = False,
    keep_missing: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """Print what the export would change; write it only with `apply`. Returns the exit status."""
    try:
        school = load_school(school_folder)
        incoming = read_staff_csv(csv_path)
        changes, staff = diff_directory(school, incoming, keep_missing=keep_missing)
        # The differences first, so a refused import still shows what it would have changed.
        for change in changes:
            print(change, file=out)
        check_line_managers(csv_path, staff, [c.email for c in changes if c.kind == "remove"])
        if all(change.kind == "keep" for change in changes):
            print("The directory already matches the export; nothing to change.", file=out)
            return 0
        counts = {kind: sum(c.kind == kind for c in changes) for kind in ("add", "update", "remove")}
        summary = f"{counts['add']} to add, {counts['update']} to update, {counts['remove']} to remove"
        if counts["remove"]:
            summary += (f" ({counts['remove']} not in the export are removed from the directory; "
                        "use --keep-missing to keep them)")
        if not apply:
            # Check now, so --apply is not the first time a problem shows.
            parse_school(school.file, render_staff_file(school.file.read_text("utf-8-sig"), staff))
            print(
                f"{summary}. Nothing written: run again with --apply to update {school.file}.",
                file=out,
            )
            return 0
        apply_staff(school, staff)
        print(f"{summary}. Written to {school.file}.", file=out)
        return 0
    except ConfigError as error:
        print("The import cannot be applied:", file=out)
        for problem in error.problems:
            print(f"  {problem}", file=out)
        return 1
