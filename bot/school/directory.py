"""The staff directory: who works at the school, their line manager and the posts they hold."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from bot.messages import Person
from bot.school.config import Delegate, Role, Roles, StaffEntry
from bot.school.yaml_lines import Location


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A person in the directory (emails are stored lower-case)."""

    name: str
    email: str
    job_title: str
    line_manager: str | None
    slack_user_id: str | None = None
    teams_user_id: str | None = None


@dataclass(frozen=True, slots=True)
class DirectoryFault:
    """A reason the directory cannot be used, and where in the file it comes from."""

    location: Location
    message: str


class Directory:
    """Staff by email, with their roles and delegations; built once from validated config."""

    def __init__(
        self,
        staff: Sequence[StaffMember],
        roles: dict[Role, str],
        delegates: Sequence[Delegate] = (),
    ) -> None:
        self._by_email = {member.email: member for member in staff}
        self._by_platform_id: dict[tuple[str, str], StaffMember] = {}
        for member in staff:
            if member.slack_user_id:
                self._by_platform_id[("slack", member.slack_user_id)] = member
            if member.teams_user_id:
                self._by_platform_id[("teams", member.teams_user_id)] = member
        self._roles = dict(roles)
        self._delegates = tuple(delegates)

    def __iter__(self) -> Iterator[StaffMember]:
        return iter(self._by_email.values())

    def __len__(self) -> int:
        return len(self._by_email)

    def get(self, email: str | None) -> StaffMember | None:
        return self._by_email.get(email.strip().lower()) if email else None

    def find_person(self, person: Person) -> StaffMember | None:
        """The staff member a verified person is: by platform user id, otherwise by email."""
        member = self._by_platform_id.get((person.platform, person.user_id))
        return member if member is not None else self.get(person.email)

    def holder_of(self, role: Role) -> StaffMember | None:
        return self.get(self._roles.get(role))

    def roles_of(self, email: str) -> tuple[Role, ...]:
        return tuple(role for role, holder in self._roles.items() if holder == email)

    def line_manager_of(self, email: str) -> StaffMember | None:
        member = self.get(email)
        return self.get(member.line_manager) if member else None

    def delegates_for(self, approver_email: str, day: date) -> tuple[StaffMember, ...]:
        """Who may decide for `approver_email` on `day` (their active delegates)."""
        found = (
            self.get(entry.delegate)
            for entry in self._delegates
            if entry.approver == approver_email and entry.start <= day <= entry.end
        )
        return tuple(member for member in found if member is not None)


def build_staff(entries: Sequence[StaffEntry]) -> list[StaffMember]:
    return [
        StaffMember(
            name=entry.name.strip(),
            email=entry.email,
            job_title=entry.job_title.strip(),
            line_manager=entry.line_manager,
            slack_user_id=entry.slack_user_id,
            teams_user_id=entry.teams_user_id,
        )
        for entry in entries
    ]


def check_directory(staff: Sequence[StaffMember], roles: Roles, delegates: Sequence[Delegate]) -> list[DirectoryFault]:
    """Every reason the directory is unusable: duplicates, missing people, management cycles."""
    faults: list[DirectoryFault] = []
    seen: dict[str, int] = {}
    for index, member in enumerate(staff):
        if member.email in seen:
            faults.append(DirectoryFault(("staff", index, "email"), f"{member.email} is listed twice"))
        seen.setdefault(member.email, index)
    for index, member in enumerate(staff):
        if member.line_manager is None:
            continue
        if member.line_manager not in seen:
            faults.append(
                DirectoryFault(
                    ("staff", index, "line_manager"),
                    f"line manager {member.line_manager} is not in the staff directory",
                )
            )
        elif member.line_manager == member.email:
            faults.append(DirectoryFault(("staff", index, "line_manager"), "a person cannot manage themselves"))
    faults.extend(_find_cycles(staff, seen))
    for role, holder in roles.model_dump().items():
        if holder is not None and holder not in seen:
            faults.append(DirectoryFault(("roles", role), f"{holder} ({role}) is not in the staff directory"))
    for index, entry in enumerate(delegates):
        for key in ("approver", "delegate"):
            email = getattr(entry, key)
            if email not in seen:
                faults.append(DirectoryFault(("delegates", index, key), f"{email} is not in the staff directory"))
    return faults


def _find_cycles(staff: Sequence[StaffMember], index_of: dict[str, int]) -> list[DirectoryFault]:
    manager = {m.email: m.line_manager for m in staff if m.line_manager in index_of}
    faults: list[DirectoryFault] = []
    reported: set[str] = set()
    for member in staff:
        path: list[str] = []
        current: str | None = member.email
        while current is not None and current not in path and current not in reported:
            path.append(current)
            current = manager.get(current)
        if current is None or current in reported or (current == member.email and len(path) == 1):
            continue
        cycle = path[path.index(current) :]
        if len(cycle) < 2:
            continue
        reported.update(cycle)
        first = min(cycle, key=lambda email: index_of[email])
        faults.append(
            DirectoryFault(
                ("staff", index_of[first], "line_manager"),
                "line management goes round in a circle: " + " -> ".join([*cycle, cycle[0]]),
            )
        )
    return faults
