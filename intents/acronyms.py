"""Short forms a school's own policies spell out: "ESAs" are the policy's "Education Support Assistants".

Staff type the initials of what their policies write in full ("who do the ESAs report to?", "is the
SIP on the drive?"). Every run of three to six capitalised words in a policy ("Education Support
Assistants", "School Improvement Plan") gives the initials it may be typed as; the words "of", "and",
"for", "the", "in", "on" and "to" inside a run, and commas, are passed over ("Special Educational
Needs and Disabilities" is "SEND", "Equality, Diversity & Inclusion" is "EDI"). A short form is read
as its words only when it is not already a word of the policies, of English or of the lexicon, and
when no other run of the policies has the same initials.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from intents.text import english

#: A capitalised word, with the small words that may stand inside a name.
_RUN = re.compile(r"\b[A-Z][a-z]+(?:,?[ -](?:(?:of|and|for|the|in|on|to|&)[ -])?[A-Z][a-z]+)+")
_SMALL_WORDS = frozenset({"of", "and", "for", "the", "in", "on", "to", "&"})
#: How many capitalised words a spelt-out short form has.
FEWEST_WORDS = 3
MOST_WORDS = 6


def spelled_out(texts: Iterable[str], taken: set[str]) -> dict[str, str]:
    """Initials (lower case, and with a plural "s") -> the words a policy spells them out as.

    `taken` holds what a short form must not be: the policies' own words, English words, the lexicon's.
    """
    meanings: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for run in _RUN.finditer(text):
            words = [w for w in re.split(r",?[ -]", run.group()) if w]
            capitals = [w for w in words if w.lower() not in _SMALL_WORDS]
            # Every stretch of the run, so "Early Years Foundation Stage Policy" gives "EYFS" as well as "EYFSP".
            for start in range(len(capitals)):
                if capitals[start] == "The":
                    continue
                for end in range(start + FEWEST_WORDS, min(len(capitals), start + MOST_WORDS) + 1):
                    stretch = capitals[start:end]
                    initials = "".join(w[0] for w in stretch).lower()
                    meanings[initials].add(" ".join(stretch).lower())
    found: dict[str, str] = {}
    for initials, phrases in meanings.items():
        if len(phrases) != 1:
            continue  # two names with the same initials: the short form says neither for sure
        (phrase,) = phrases
        for typed in (initials, initials + "s"):
            if typed not in taken:
                found[typed] = phrase
    return found


#: Words of a title that its initials leave out: what kind of document it is.
_DOCUMENT_WORDS = frozenset({"policy", "policies", "procedure", "procedures", "statement", "guidance", "plan"})


@lru_cache(maxsize=512)
def title_initials(title: str) -> str | None:
    """The initials a policy's title is typed as ("the EDI policy" for "Equality, Diversity & Inclusion Policy"),
    in lower case: three letters or more, from its capitalised words (not from a short form already in it,
    "SEND"), and not an English word. None when there are none."""
    capitals = [
        w for w in re.findall(r"[A-Za-z]+", title)
        if re.fullmatch(r"[A-Z][a-z]+", w) and w.lower() not in _SMALL_WORDS and w.lower() not in _DOCUMENT_WORDS
    ]
    initials = "".join(w[0] for w in capitals).lower()
    return initials if len(initials) >= FEWEST_WORDS and not english().known([initials]) else None
