"""The router's pipeline, stage by stage, as `staffroom ask --explain` prints it.

Every message goes through the same named stages, in order:

1. normalise  - fold case and typography, write out texting spellings, correct typos;
2. understand - the units of the message (words and lexicon phrases) and the ideas they
   stand for, the days named, and the key ideas that no passage of the school's policies holds;
3. retrieve   - the passages scoring best against those units, with how much of the message
   each covers;
4. rank       - the order the answer quotes them in (a passage holding the detail asked for first);
5. decide     - the intent, the confidence, and for a decline its named reason.

`route` records into a `Trace` only when given one, so routing a message costs nothing extra.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Stage(StrEnum):
    NORMALISE = "normalise"
    UNDERSTAND = "understand"
    RETRIEVE = "retrieve"
    RANK = "rank"
    DECIDE = "decide"


@dataclass
class Trace:
    """What each stage saw and did for one message, in order."""

    lines: list[tuple[Stage, str]] = field(default_factory=list)

    def add(self, stage: Stage, line: str) -> None:
        self.lines.append((stage, line))

    def render(self) -> str:
        """The stages in pipeline order, each with its lines."""
        out: list[str] = []
        for stage in Stage:
            mine = [line for s, line in self.lines if s is stage]
            if mine:
                out.append(f"{stage.value}:")
                out.extend(f"  {line}" for line in mine)
        return "\n".join(out)
