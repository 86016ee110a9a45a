"""Whole-word phrase matching on normalised text, compiled when first used.

A cue list compiled as one alternation of a few hundred phrases is matched fast by `re`, but all
of them compiled up front cost a fresh `staffroom ask` time it mostly does not need: a question uses a
few lists. A phrase set holds its phrases and compiles its pattern on its first search, and is
stored (pickled, see `intents.router_cache`) as its phrases alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any


class PhraseSet:
    """Phrases of normalised words, matched as whole words, the longest at a place first."""

    __slots__ = ("_compiled", "phrases")

    def __init__(self, phrases: Iterable[str]) -> None:
        #: Longest first, so that at one place the regular expression takes the longest phrase.
        self.phrases: tuple[str, ...] = tuple(sorted({p for p in phrases if p}, key=len, reverse=True))
        self._compiled: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            if self.phrases:
                compiled = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in self.phrases) + r")\b")
            else:
                compiled = re.compile(r"(?!x)x")
            self._compiled = compiled
        return compiled

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text)

    def sub(self, replacement: str, text: str) -> str:
        return self.pattern.sub(replacement, text)

    def __getstate__(self) -> dict[str, Any]:
        return {"phrases": self.phrases}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.phrases = state["phrases"]
        self._compiled = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PhraseSet) and other.phrases == self.phrases

    def __hash__(self) -> int:
        return hash(self.phrases)

    def __repr__(self) -> str:
        return f"PhraseSet({len(self.phrases)} phrases)"
