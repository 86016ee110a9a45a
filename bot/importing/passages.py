"""Splitting a passage longer than the assistant quotes (900 characters) between sentences."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "st", "no", "vs", "cf", "approx", "incl", "para", "ref"}


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, never broken after an abbreviation such as "e.g." or "Mr."."""
    result: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rstrip(".!?\"”’)")
        last_word = before.split()[-1].lower() if before.split() else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        result.append(text[start : match.start()].strip())
        start = match.end()
    result.append(text[start:].strip())
    return [s for s in result if s]


def split_passage(text: str, limit: int) -> tuple[list[str], bool]:
    """`text` in pieces of at most `limit` characters, split between sentences where it can be.

    The flag is True when a single sentence was longer than the limit and had to be split
    between clauses (at "; " or ", ") instead: a person should look at it.
    """
    if len(text) <= limit:
        return [text], False
    pieces: list[str] = []
    clause_split = False
    for sentence in sentences(text):
        parts = [sentence]
        if len(sentence) > limit:
            clause_split = True
            parts = _split_long_sentence(sentence, limit)
        for part in parts:
            if pieces and len(pieces[-1]) + 1 + len(part) <= limit:
                pieces[-1] = f"{pieces[-1]} {part}"
            else:
                pieces.append(part)
    return pieces, clause_split


def _split_long_sentence(sentence: str, limit: int) -> list[str]:
    for separator in ("; ", ": ", ", ", " "):
        chunks = sentence.split(separator)
        if len(chunks) == 1:
            continue
        pieces: list[str] = []
        for chunk in chunks:
            if pieces and len(pieces[-1]) + len(separator) + len(chunk) <= limit:
                pieces[-1] = f"{pieces[-1]}{separator}{chunk}"
            else:
                pieces.append(chunk)
        # Keep the separator's punctuation at the end of each piece.
        mark = separator.strip()
        pieces = [p + mark if i < len(pieces) - 1 else p for i, p in enumerate(pieces)]
        if all(len(p) <= limit for p in pieces):
            return pieces
    return [sentence[i : i + limit] for i in range(0, len(sentence), limit)]
