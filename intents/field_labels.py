"""Field labels that repeat across the passages of one section: a table's column headings.

An imported table becomes one passage a row, each cell after its column's heading
("Stage: 4; Consequence: …; Who: class teacher or TA"). The headings are the same in
every row, so a question using one of their words ("consequence") would match every
row as strongly as the words that tell the rows apart. They describe the section as a
whole, as its heading does: the index reads them once for the section, not in each row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

#: A label: a few words (not starting with a digit) then a colon and a space, opening the text or a "; " field.
_LABEL = re.compile(r"(?:^|(?<=; ))([A-Za-z][^:;\n]{0,40}?):[ \t]+")
#: At most this many words in a label; a longer run before a colon is a sentence introducing a list.
MAX_LABEL_WORDS = 4
#: A label repeats when this many passages of one section hold it.
MIN_REPEATS = 2


def labels_in(body: str) -> set[str]:
    """The field labels of one passage's text, lower case."""
    return {
        match.group(1).strip().lower()
        for match in _LABEL.finditer(body)
        if len(match.group(1).split()) <= MAX_LABEL_WORDS
    }


def repeated_labels(bodies: Iterable[str]) -> frozenset[str]:
    """The labels that open fields in at least `MIN_REPEATS` of a section's passages."""
    counts: Counter[str] = Counter()
    for body in bodies:
        counts.update(labels_in(body))
    return frozenset(label for label, count in counts.items() if count >= MIN_REPEATS)


def without_labels(body: str, labels: frozenset[str]) -> str:
    """A passage's text with the repeated labels taken out, their values kept."""
    if not labels:
        return body

    def drop(match: re.Match[str]) -> str:
        return "" if match.group(1).strip().lower() in labels else match.group(0)

    return _LABEL.sub(drop, body)
