"""A school folder written by a test: the demo's policies and school.yaml with other request types."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bot.school import demo_school_folder

#: A short leave policy, written by tests that need a school whose policies cover leave.
LEAVE_POLICY = """---
title: Leave of Absence Policy
school: A test school
---

## 1. Purpose

This policy sets out when staff may be granted leave of absence during term time.

## 4. Medical appointments

Staff should make medical appointments outside school hours wherever possible. Where this is not possible,
leave of absence for a hospital or specialist appointment will be granted with pay by the headteacher.
"""

PARKING_TYPE = """  parking:
    label: Parking permit
    form: kinds_for_tests.parking_permit
"""

LEAVE_WITH_POLICY = """  leave:
    label: Leave of absence
    form: leave_of_absence
    tell_roles: [deputy]
    policy:
      - {document: Leave of Absence Policy, section: "4"}
"""


def write_school(folder: Path, extra_types: str = "", *, leave_policy: bool = False,
                 replace_leave: bool = False) -> Path:
    """Copy the demo school into `folder`, adding request types (YAML under request_types:)."""
    shutil.copytree(demo_school_folder(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    school = folder / "school.yaml"
    text = school.read_text(encoding="utf-8")
    if replace_leave:
        text = re.sub(r"  leave:\n(?:    .*\n|    #.*\n)+", "", text)
    text = text.replace("request_types:\n", "request_types:\n" + extra_types, 1)
    school.write_text(text, encoding="utf-8")
    if leave_policy:
        (folder / "leave-of-absence.md").write_text(LEAVE_POLICY, encoding="utf-8")
    return folder
