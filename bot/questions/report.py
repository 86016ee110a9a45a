"""What staff asked that the policies didn't answer: logged questions grouped by what they ask.

Two questions ask the same thing when the router reads them alike — their analysed terms
(stems and school concepts, typos corrected, so "WFH" and "work from home" agree) overlap
by at least half — or when their wordings are close by rapidfuzz's token sort ratio. Groups
are listed largest first, each with its commonest wording, how often it was declined or
marked 👎, what people said they were looking for, and the sections the router found closest.
"""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from bot.questions.log import Feedback, LoggedQuestion
from intents.text import Analyzer, normalise

#: Shares of analysed terms (Jaccard) at or above which two questions ask the same.
SAME_TERMS = 0.5
#: rapidfuzz token sort ratio at or above which two wordings are the same question.
SAME_WORDING = 85.0


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Questions that ask the same thing."""

    questions: tuple[LoggedQuestion, ...]

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def wording(self) -> str:
        """The commonest wording (the first asked among equals)."""
        counts = Counter(normalise(q.text) for q in self.questions)
        best = max(counts.values())
        return next(q.text for q in self.questions if counts[normalise(q.text)] == best)

    @property
    def representative(self) -> LoggedQuestion:
        return next(q for q in self.questions if q.text == self.wording)

    @property
    def other_wordings(self) -> list[str]:
        seen = {normalise(self.wording)}
        others = []
        for question in self.questions:
            key = normalise(question.text)
            if key not in seen:
                seen.add(key)
                others.append(question.text)
        return others

    @property
    def declined(self) -> int:
        return sum(not q.answered for q in self.questions)

    @property
    def disliked(self) -> int:
        return sum(q.feedback is Feedback.BAD for q in self.questions)

    @property
    def looking_for(self) -> list[str]:
        return list(dict.fromkeys(q.comment for q in self.questions if q.comment))

    @property
    def closest(self) -> list[str]:
        """The sections the router found closest, most often first."""
        counts = Counter(c for q in self.questions for c in q.closest)
        return [citation for citation, _ in counts.most_common(3)]


def _terms(text: str, analyzer: Analyzer | None) -> frozenset[str]:
    if analyzer is None:
        return frozenset(normalise(text).split())
    return frozenset(f for unit in analyzer.units(text, spellcheck=True) for f in unit.features)


def _alike(a: tuple[frozenset[str], str], b: tuple[frozenset[str], str]) -> bool:
    terms_a, words_a = a
    terms_b, words_b = b
    union = terms_a | terms_b
    if union and len(terms_a & terms_b) / len(union) >= SAME_TERMS:
        return True
    return fuzz.token_sort_ratio(words_a, words_b) >= SAME_WORDING


def group_questions(questions: Sequence[LoggedQuestion], analyzer: Analyzer | None = None) -> list[QuestionGroup]:
    """Questions grouped by what they ask, largest group first (then the earliest asked)."""
    groups: list[list[LoggedQuestion]] = []
    keys: list[tuple[frozenset[str], str]] = []
    for question in questions:
        key = (_terms(question.text, analyzer), normalise(question.text))
        for index, first in enumerate(keys):
            if _alike(key, first):
                groups[index].append(question)
                break
        else:
            groups.append([question])
            keys.append(key)
    ordered = sorted(range(len(groups)), key=lambda i: (-len(groups[i]), i))
    return [QuestionGroup(tuple(groups[i])) for i in ordered]


def teach_command(group: QuestionGroup) -> str:
    """The command that teaches this group's wording to its closest section."""
    section = group.closest[0] if group.closest else "POLICY TITLE · SECTION"
    return f"staffroom questions teach {shlex.quote(group.wording)} --section {shlex.quote(section)}"


def render_report(groups: Sequence[QuestionGroup], since: date) -> str:
    """The report `staffroom questions report` prints, for the school's policy lead."""
    total = sum(group.count for group in groups)
    if not groups:
        return f"No questions logged since {since.isoformat()}: every question was answered and none marked 👎."
    lines = [f"Questions the policies didn't answer, or answers marked 👎, since {since.isoformat()}: "
             f"{total} in {len(groups)} group(s)", ""]
    for number, group in enumerate(groups, start=1):
        how = ", ".join(part for part in (f"{group.declined} declined" if group.declined else "",
                                          f"{group.disliked} 👎" if group.disliked else "") if part)
        lines.append(f"{number:>3}. {group.count}× “{group.wording}”  ({how})")
        if group.other_wordings:
            lines.append("      also asked: " + "; ".join(f"“{w}”" for w in group.other_wordings[:5]))
        if group.looking_for:
            lines.append("      looking for: " + "; ".join(f"“{c}”" for c in group.looking_for[:5]))
        if group.closest:
            lines.append("      closest: " + "; ".join(group.closest))
        lines.append("      teach: " + teach_command(group))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
