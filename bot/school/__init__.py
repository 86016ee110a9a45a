"""A school: its configuration, staff directory and calendar."""

from bot.school.calendar import SchoolCalendar
from bot.school.config import Role, SchoolConfig
from bot.school.directory import Directory, StaffMember
from bot.school.loading import School, demo_school_folder, load_school, parse_school

__all__ = [
    "Directory",
    "Role",
    "School",
    "SchoolCalendar",
    "SchoolConfig",
    "StaffMember",
    "demo_school_folder",
    "load_school",
    "parse_school",
]
