"""Recognising a message that asks for a kind of request: a person asking for something for
themselves ("can I…", "I'd like to…"), then the kind's own words close after it.

The words are true in every school (leave, time off, a course); nothing here names a school's documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from intents.text import normalise

#: How a person asks for something for themselves, in normalised text.
ASKS = (
    "can i", "could i", "may i", "might i", "can i please", "could i please", "please can i", "please could i",
    "id like to", "i would like to", "i want to", "i need to", "i wish to", "im hoping to", "i am hoping to",
    "is it ok if i", "is it okay if i", "is it alright if i", "would it be ok if i", "would it be possible to",
    "i would like", "id like", "i need", "i want", "request", "requesting", "apply for", "permission to",
)


def words_pattern(phrases: Iterable[str]) -> str:
    alternatives = sorted({normalise(p) for p in phrases if normalise(p)}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(a) for a in alternatives) + ")"


def asking_for(verbs: Iterable[str], things: Iterable[str], *, gap: int = 5) -> re.Pattern[str]:
    """An ask, then (within `gap` words) one of `verbs`, then (within `gap` words) one of `things`."""
    words = rf"(?: \w+){{0,{gap}}}"
    return re.compile(
        rf"\b{words_pattern(ASKS)}{words} {words_pattern(verbs)}{words} {words_pattern(things)}\b"
    )


def asks(pattern: re.Pattern[str], text: str) -> bool:
    return pattern.search(normalise(text)) is not None
