"""The router's fast paths give what the plain computations give: the passage search's
per-unit caches and inline coverage, the phrase-length index, and the cheap checks that
skip regex searches in `normalise` and `parse_when`.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from intents.dates import parse_when
from intents.passage_index import (
    DOCUMENT_COVERAGE,
    NUMBER_WORDS,
    PARTIAL_CREDIT,
    PREAMBLE_WEIGHT,
    RANK_COVERAGE,
    SCOPE,
    SECTION_TEXT_WEIGHT,
    SECTION_WEIGHT,
    TIE_DIGITS,
    PassageIndex,
    _best,
)
from intents.router import Router
from intents.routing import PartOfDay
from intents.text import Analyzer, Unit, normalise
from policy_text import DEMO_SCHOOL_DIR

MONDAY = date(2026, 11, 23)
QUESTIONS = Path(__file__).parent / "data" / "questions_tune.jsonl"


@pytest.fixture(scope="module")
def router() -> Router:
    return Router.from_folder(DEMO_SCHOOL_DIR)


@pytest.fixture(scope="module")
def questions() -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def _plain_search(index: PassageIndex, units: list[Unit], limit: int) -> list[tuple[int, float, float, float]]:
    """The search written plainly: every unit's postings read afresh, `_covers` per candidate and unit."""
    weights = index._weights(units)
    total_weight = sum(weights)
    if not units or total_weight <= 0:
        return []
    scores: dict[int, float] = defaultdict(float)
    context: dict[int, float] = defaultdict(float)
    for unit in units:
        by_passage: dict[int, float] = {}
        by_section: dict[int, float] = {}
        index.passage_postings.best(unit.features, 1.0, by_passage)
        index.passage_postings.best(unit.partial, PARTIAL_CREDIT, by_passage)
        index.section_postings.best(unit.features, SECTION_WEIGHT, by_section)
        index.section_postings.best(unit.partial, SECTION_WEIGHT * PARTIAL_CREDIT, by_section)
        # A section's whole text counts in ranking the passages the message matches, not in their own score.
        by_text: dict[int, float] = {}
        index.section_text_postings.best(unit.features, SECTION_TEXT_WEIGHT, by_text)
        index.section_text_postings.best(unit.partial, SECTION_TEXT_WEIGHT * PARTIAL_CREDIT, by_text)
        for section, value in by_text.items():
            context[section] += value
        for passage, value in by_passage.items():
            scores[passage] += value
        for section, value in by_section.items():
            for passage in index.members[section]:
                scores[passage] += value
    ranking = {passage: scores[passage] + context[index.section_of[passage]] for passage in sorted(scores)}
    candidates = sorted(ranking, key=ranking.__getitem__, reverse=True)[: max(limit * 3, 30)]
    scored = []
    ranks = {}
    for passage in candidates:
        covered = sum(w * index._covers(passage, u) for u, w in zip(units, weights, strict=True))
        # The share of the message (numbers aside) some passage of the same policy matches whole.
        document = index.passages[passage].citation.document
        same = [i for i, p in enumerate(index.passages) if p.citation.document == document]
        across = sum(
            w for u, w in zip(units, weights, strict=True)
            if not all(x.isdigit() or x in NUMBER_WORDS for x in u.surface.split())
            and any(index._covers(i, u) == 1.0 for i in same)
        ) / total_weight
        scored.append((passage, scores[passage], covered / total_weight, covered))
        ranks[passage] = ranking[passage] * (1 + RANK_COVERAGE * covered / total_weight) * (1 + DOCUMENT_COVERAGE * across)
        # A policy's aims rank lower unless the message names the section (its heading's own words).
        heading = index._heading_whole[index.section_of[passage]]
        if index._preamble[passage] and all(SCOPE not in u.features and u.features.isdisjoint(heading) for u in units):
            ranks[passage] *= PREAMBLE_WEIGHT
    scored.sort(key=lambda s: ranks[s[0]], reverse=True)
    return scored[:limit]


def test_search_matches_the_plain_computation(router: Router, questions: list[str]) -> None:
    for question in questions:
        units = router.analyzer.units(question, spellcheck=True)
        for limit in (6, 12):
            found = [(s.index, s.score, s.coverage, s.matched) for s in router.index.search(units, limit)]
            assert found == _plain_search(router.index, units, limit), question


@pytest.mark.parametrize("seed", range(20))
def test_best_candidates_are_the_full_sort_cut(seed: int) -> None:
    """Picking the best few gives the first few of every scored passage sorted, ties (equal
    to `TIE_DIGITS` places, or differing only in the last bits) going to the earlier passage."""
    rng = random.Random(seed)
    levels = [rng.uniform(0, 30) for _ in range(rng.randint(1, 40))]
    scores = {}
    for index in rng.sample(range(5000), rng.randint(0, 2000)):
        score = rng.choice(levels)
        # Sums added in another order differ in the last bits; nearby scores differ more.
        scores[index] = score + rng.choice([0.0, 1e-13, -1e-13, 1e-7, -1e-7, 1e-5])
    for count in (1, 18, 30, 36):
        expected = sorted(scores, key=lambda i: (-round(scores[i], TIE_DIGITS), i))[:count]
        assert _best(scores, count) == expected


def _plain_longest_phrase(analyzer: Analyzer, words: list[str], stems: list[str], start: int) -> int:
    """The longest lexicon phrase at `start`, trying every length."""
    for length in range(min(analyzer.longest_phrase, len(stems) - start), 0, -1):
        if tuple(stems[start : start + length]) in analyzer.phrases:
            return 0 if length == 1 and words[start] in analyzer.stopwords else length
    return 0


def test_phrase_lengths_match_trying_every_length(router: Router, questions: list[str]) -> None:
    analyzer = router.analyzer
    for question in questions:
        read = [analyzer._token(w, True) for w in analyzer.expand(normalise(question)).split()]
        tokens = [(word, known) for word, known, _ in read]
        stems = [s for _, _, s in read]
        for start in range(len(stems)):
            expected = _plain_longest_phrase(analyzer, [w for w, _ in tokens], stems, start)
            assert analyzer._longest_phrase_at(tokens, stems, start, analyzer.longest_phrase) == expected


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Can IT fix my laptop?", "can ict fix my laptop"),
        ("is the I.T. room free", "is the ict room free"),
        ("SEND review", "sen review"),
        ("I'll be late", "i will be late"),
        ("call 01234 567 890", "call 01234567890 phonenumber"),
        ("email admin2042@school.org", "email admin admin2042 school org"),
        ("the DSL\u2019s number", "the dsl number"),
        ("what's on", "whats on"),
        ("can i work from home", "can i work from home"),
    ],
)
def test_normalise_rewrites_only_what_is_there(text: str, plain: str) -> None:
    assert normalise(text) == plain


@pytest.mark.parametrize(
    ("text", "start", "end", "weekday", "part", "until_term_end"),
    [
        ("wfh tomorrow", date(2026, 11, 24), None, None, PartOfDay.WHOLE_DAY, False),
        ("every Friday", date(2026, 11, 27), None, 4, PartOfDay.WHOLE_DAY, False),
        ("3rd of May", date(2027, 5, 3), None, None, PartOfDay.WHOLE_DAY, False),
        ("12/3 to 14/3", date(2027, 3, 12), date(2027, 3, 14), None, PartOfDay.WHOLE_DAY, False),
        ("next week", date(2026, 11, 30), date(2026, 12, 4), None, PartOfDay.WHOLE_DAY, False),
        ("this afternoon", None, None, None, PartOfDay.AFTERNOON, False),
        ("monday morning", date(2026, 11, 30), None, None, PartOfDay.MORNING, False),
        ("until half-term", None, None, None, PartOfDay.WHOLE_DAY, True),
        ("can i work from home", None, None, None, PartOfDay.WHOLE_DAY, False),
    ],
)
def test_parse_when_skips_only_searches_that_cannot_match(
    text: str, start: date | None, end: date | None, weekday: int | None, part: PartOfDay, until_term_end: bool
) -> None:
    when = parse_when(text, MONDAY)
    assert (when.start, when.end, when.weekday, when.part_of_day, when.until_term_end) == (
        start, end, weekday, part, until_term_end
    )
