"""Which sections changed between the last import of a policy and this one."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.importing.wording import fold
from intents.policy_library import PolicyDocument, Section


@dataclass
class SectionChanges:
    """Sections added, removed and reworded, each named as "2.1 Scope" or by its heading."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reworded: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.reworded)

    def lines(self) -> list[str]:
        return [
            f"{what}: {', '.join(names)}"
            for what, names in (("added", self.added), ("removed", self.removed), ("reworded", self.reworded))
            if names
        ]


def _keyed(document: PolicyDocument) -> dict[str, Section]:
    """Sections by heading, so a renumbered section is still the same one; by number when a heading repeats."""
    headings = [s.heading.lower() for s in document.sections]
    keyed: dict[str, Section] = {}
    for section in document.sections:
        if headings.count(section.heading.lower()) == 1:
            keyed[section.heading.lower()] = section
        else:
            keyed[section.number or f"{section.parent_heading}/{section.heading}".lower()] = section
    return keyed


def _name(section: Section) -> str:
    return f"{section.number} {section.heading}".strip()


def _wording(section: Section) -> tuple[str, ...]:
    return tuple(fold(passage.text) for passage in section.passages)


def compare(old: PolicyDocument, new: PolicyDocument) -> SectionChanges:
    """Sections of `new` that `old` did not have, the other way round, and those whose words changed."""
    before = _keyed(old)
    after = _keyed(new)
    changes = SectionChanges()
    for key, section in after.items():
        if key not in before:
            changes.added.append(_name(section))
        elif _wording(before[key]) != _wording(section):
            changes.reworded.append(_name(section))
    changes.removed = [_name(section) for key, section in before.items() if key not in after]
    return changes
