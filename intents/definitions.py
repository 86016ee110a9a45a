"""Questions asking what a term means, and the passages that define it.

"What are compressed hours?", "who counts as the sponsor?", "what does the policy count as personal
use?" ask for a definition. Policies give definitions in a few set shapes: a term and a colon opening a
line ("compressed hours: working full-time hours but over fewer days"), a term that "means", "refers
to" or "is defined as" something, or a glossary table's row ("Term: Processing; Definition: …").
Among passages that speak of the term, the one defining it answers first.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Longest term taken to be asked about: a longer tail ("what is the deadline for deciding my request")
#: is a question about a rule, not a term.
MAX_TERM_WORDS = 4

_ASKS_FOR_A_DEFINITION = [
    re.compile(r"^(?:so |and |but |ok |okay )?(?:what (?:is|are|s)|whats) (?:meant by )?(?:a |an |the )?(?P<term>.+)$"),
    re.compile(r"\bwhat does (?:a |an |the )?(?P<term>.+?) mean$"),
    re.compile(r"\b(?:mean|means|meant) by (?:a |an |the )?(?P<term>.+)$"),
    re.compile(r"\b(?:counts?|counted|classed|classes|class) as (?:a |an |the )?(?P<term>.+)$"),
    re.compile(r"\b(?:definition of|meaning of|define) (?:a |an |the )?(?P<term>.+)$"),
]
#: What follows a term when it is not part of it: "…in the photo policy", "…according to the policy".
_TRAILING = re.compile(r"\s+(?:in|under|for|according to|from|of) (?:the|this|our)\b.*$|\s+(?:exactly|then|here)$")
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the) ")
#: A term's few words of scope before what defines it: "“Personal use” of photography and videos is defined as…".
_WHAT_OF = r"(?:\s+(?:of|for|in|within|under|by)(?:\s+[\w/]+){1,4}?)?"
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def asked_term(plain: str) -> str | None:
    """The term a normalised message asks the meaning of, or None when it asks no definition."""
    for pattern in _ASKS_FOR_A_DEFINITION:
        match = pattern.search(plain)
        if match is None:
            continue
        term = _LEADING_ARTICLE.sub("", _TRAILING.sub("", match.group("term").strip()))
        if term and len(term.split()) <= MAX_TERM_WORDS:
            return term
    return None


def folded(body: str) -> str:
    """A passage's text as the definition tests read it: lower case, straight quotes and hyphens."""
    return body.translate(_QUOTES).lower()


def definition_test(term: str) -> Callable[[str], bool]:
    """Whether a passage's folded text (`folded`) defines the term: opens with it and a colon or dash, says it
    "means", "refers to" or "is defined as" something, or is the glossary row giving its definition."""
    first = term.split()[0]
    name = r"\W+".join(re.escape(word) for word in term.split()) + r"s?"
    opening = re.compile(rf"^\W*(?:the |a |an )?{name}\W{{0,2}}\s*(?::|-\s|is defined as\b|are defined as\b|means\b)")
    saying = re.compile(rf"\b{name}\W{{0,2}}{_WHAT_OF}\s+(?:is defined as|are defined as|means|refers(?: \w+)? to)\b")
    glossary = re.compile(rf"\b(?:term|word)\W+{name}\W*;\s*(?:definition|meaning)\b")

    def test(text: str) -> bool:
        return first in text and bool(opening.match(text) or saying.search(text) or glossary.search(text))

    return test
