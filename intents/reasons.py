"""The reason a member of staff gives for working from home, and its policy category."""

from __future__ import annotations

import re

from intents.routing import ReasonCategory

_REASON = re.compile(
    r"\b(?:because|cause|cos|coz|as|since|due to|to do|to get|so that|so i can|so i could)\b\s+(.{3,})$",
    re.IGNORECASE,
)
_CATEGORIES: tuple[tuple[ReasonCategory, re.Pattern[str]], ...] = (
    (ReasonCategory.HEALTH_ADVICE, re.compile(
        r"\b(?:doctor|gp|nhs|clinical|public health|medical|isolat\w*|quarantin\w*|covid|shielding)\b", re.I)),
    (ReasonCategory.FLEXIBLE_WORKING, re.compile(r"\b(?:flexible|flexi|part[- ]time|compressed)\b", re.I)),
    (ReasonCategory.SPECIFIC_TASK, re.compile(
        r"\b(?:reports?|marking|planning|assessment|data entry|moderation|paperwork|write[- ]?ups?)\b", re.I)),
)


def parse_reason(text: str) -> tuple[str | None, ReasonCategory | None]:
    """The reason clause of a request ("because …") and the category it suggests."""
    match = _REASON.search(text.strip().rstrip("?.!"))
    reason = match.group(1).strip() if match else None
    source = reason or ""
    for category, pattern in _CATEGORIES:
        if pattern.search(source):
            return reason, category
    return reason, (ReasonCategory.OTHER if reason else None)
