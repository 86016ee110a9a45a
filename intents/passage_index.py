"""The passage index: BM25-style scoring of a message against passages and their sections.

Two levels, so each does what it is good at: a *section* is indexed by its
heading and the school's keywords for it (staff name topics, not wordings),
a *passage* by its own text. A message scores on a passage by the best match
of each of its units at both levels; the section's whole text, a third index,
counts in ranking the passages a message matches, but not in their score. Its *coverage* is the share of the
message's weight the passage (with its section) matches, so a message about
something the policies never mention scores low however many common words it
shares with them.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from intents.acronyms import title_initials
from intents.field_labels import repeated_labels, without_labels
from intents.policy_library import PolicyLibrary
from intents.text import MAX_UNKNOWN_WEIGHT, Analyzer, Unit, english_rarity
from intents.topics import SectionKeywords

_K1 = 1.2
_B = 0.5
#: Share of a unit's credit earned by matching only a part of a phrase.
PARTIAL_CREDIT = 0.35
#: How much coverage counts in ranking, beside the score itself.
RANK_COVERAGE = 2
#: How much the share of a message its whole policy speaks of counts in ranking: a question about
#: bullying at the weekend is answered from the policy that speaks of both, before another naming one.
DOCUMENT_COVERAGE = 1.5
#: Numbers as messages and policies are read (digits up to ten are read as words, intents/data/english.yaml).
NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
})
#: The people every policy speaks of: none of them is what one policy is about.
EVERYONE = frozenset({"~pupils", "~parents", "~families", "~staff"})
#: At least this many passages, by score, are ranked by score and coverage.
MIN_CANDIDATES = 30
#: How much a section match counts beside the passage's own text.
SECTION_WEIGHT = 0.65
#: How much the words of a passage's whole section count in ranking beside its own: a question whose words are
#: spread over a section's paragraphs ("is it charged at cost for families on benefits?") is near each of them,
#: most of all the one matching best.
SECTION_TEXT_WEIGHT = 0.3
#: Length normalisation of a section's text: sections run from a line to pages, and a long one holds many words
#: by its length alone.
SECTION_TEXT_B = 0.75
#: Scores equal to this many decimal places are ties (sums in another order differ in the last bits).
TIE_DIGITS = 9
#: Far enough below a cut-off score that no score this much lower rounds (to `TIE_DIGITS` places) level with it.
_NEAR_CUTOFF = 1e-6
#: General-English rarity (see `text.english_rarity`) below which a plain word's weight is damped, over what span,
#: and at most how much: "down" (2.9) weighs a quarter, "moved" (4.0) half, "corridor" (5.4) nearly in full.
EVERYDAY_RARITY = 2.5
EVERYDAY_SPAN = 3.0
MIN_EVERYDAY_DAMPING = 0.25
#: How much a passage of a policy's opening sections (its aims, purpose, statement: headings listed as
#: `preamble_headings` in intents/data/intents.yaml) counts in ranking, unless the message names that
#: section: "Clearly define what bullying is" states an aim; the section defining it answers.
PREAMBLE_WEIGHT = 0.7
#: The idea of whom a policy applies to (intents/data/english.yaml): a policy's opening sections say it, so a
#: question asking it ranks them as any other.
SCOPE = "~applies"
#: How much a passage counts in ranking when the message names what one policy is about ("is the CCTV on at
#: night?") and the passage's own policy never speaks of it: next to nothing, as another policy's weekends
#: answer no CCTV question. It comes after every passage of a policy that does, unless none is a candidate.
OFF_TOPIC_WEIGHT = 0.02
#: A word of a policy's title is that policy's topic when at least this share of the passages holding it are
#: the policy's own ("cctv" in the CCTV policy, not "staff" in a staff policy)…
TOPIC_SHARE = 0.6
#: …and a message naming it weighs it this share of the rarest feature's weight: common as the word is in the
#: policy about it, it names what the question is about ("is the cctv on at weekends?").
TOPIC_WEIGHT = 1.0
#: Per-unit results kept between messages (a unit recurs across messages); cleared when full.
_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Scored:
    """A passage's score for one message, and how much of the message it covers."""

    index: int
    score: float
    coverage: float
    #: The weight of the message's units the passage matches: low when it shares only everyday words.
    matched: float = 0.0


class _UnitMatches(NamedTuple):
    """One unit's best value on each passage it matches, and on each section's members."""

    passages: tuple[tuple[int, float], ...]
    sections: tuple[tuple[tuple[int, ...], float], ...]
    #: What the unit scores on each section's whole text: it ranks the section's passages matching the message,
    #: but adds nothing to how strong a passage's own match is (`Scored.score`).
    context: tuple[tuple[int, float], ...]


class _Postings:
    """One inverted index with BM25 term weights over a list of feature bags."""

    def __init__(self, bags: Sequence[Counter[str]], length_norm: float = _B) -> None:
        count = max(len(bags), 1)
        average = sum(sum(b.values()) for b in bags) / count or 1.0
        frequency: Counter[str] = Counter()
        for bag in bags:
            frequency.update(bag.keys())
        self.idf = {f: math.log(1 + (count - df + 0.5) / (df + 0.5)) for f, df in frequency.items()}
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for index, bag in enumerate(bags):
            norm = _K1 * (1 - length_norm + length_norm * sum(bag.values()) / average)
            for feature, tf in bag.items():
                self.postings[feature].append((index, self.idf[feature] * tf * (_K1 + 1) / (tf + norm)))

    def best(self, features: Iterable[str], factor: float, into: dict[int, float]) -> None:
        for feature in features:
            for index, value in self.postings.get(feature, ()):
                value *= factor
                if value > into.get(index, 0.0):
                    into[index] = value


def _whole(units: Iterable[Unit]) -> frozenset[str]:
    """The features units match whole: not the words of a phrase ("child" in "looking after my child")."""
    return frozenset(f for unit in units for f in unit.features)


def _bag(units: Iterable[Unit], repeat: int = 1) -> Counter[str]:
    bag: Counter[str] = Counter()
    for unit in units:
        for feature in unit.features | unit.partial:
            bag[feature] += repeat
    return bag


class PassageIndex:
    """Inverted indexes over one school's passages and sections."""

    def __init__(
        self,
        library: PolicyLibrary,
        analyzer: Analyzer,
        keywords: SectionKeywords,
        preamble: Callable[[str], bool] = lambda heading: False,
    ) -> None:
        self.passages = library.passages
        self.analyzer = analyzer
        section_ids: dict[tuple[str, str, str], int] = {}
        section_bags: list[Counter[str]] = []
        section_whole: list[frozenset[str]] = []
        self.section_of: list[int] = []
        section_labels: dict[tuple[str, str, str], frozenset[str]] = {}
        heading_whole: list[frozenset[str]] = []
        for section in library.sections():
            key = (section.document, section.number, section.heading)
            section_ids[key] = len(section_bags)
            units = analyzer.units(f"{section.heading} {section.parent_heading}")
            bag = _bag(units, 2)
            document_units = analyzer.units(section.document)
            bag.update(_bag(document_units))
            whole = set(_whole(units) | _whole(document_units))
            # The policy's initials name it too ("EDI" for "Equality, Diversity & Inclusion Policy"): a question
            # naming them is covered by its passages, though they add nothing to any passage's score.
            initials = title_initials(section.document)
            if initials:
                whole |= _whole(analyzer.units(initials))
            heading_whole.append(_whole(units))
            # A table's column headings, repeated in every row, are read once for the section.
            labels = repeated_labels(p.body for p in section.passages)
            section_labels[key] = labels
            if labels:
                label_units = analyzer.units(" ".join(sorted(labels)))
                bag.update(_bag(label_units))
                whole |= _whole(label_units)
            for name in (section.number, section.heading):
                for phrase in keywords.get((section.document, name), []):
                    phrase_units = analyzer.units(phrase)
                    bag.update(_bag(phrase_units))
                    whole |= _whole(phrase_units)
            section_bags.append(bag)
            section_whole.append(frozenset(whole))
        passage_bags = []
        passage_whole = []
        for passage in self.passages:
            citation = passage.citation
            key = (citation.document, citation.section, citation.heading)
            self.section_of.append(section_ids[key])
            units = analyzer.units(_indexed_text(passage.text, passage.body, section_labels.get(key, frozenset())))
            passage_bags.append(_bag(units))
            passage_whole.append(_whole(units))
        # A passage of an opening section (aims, purpose), and what the section's own heading names.
        self._preamble = [preamble(p.citation.heading) for p in self.passages]
        self._heading_whole = heading_whole
        self.passage_postings = _Postings(passage_bags)
        text_bags: list[Counter[str]] = [Counter() for _ in section_bags]
        for index, bag in enumerate(passage_bags):
            text_bags[self.section_of[index]].update(bag)
        self.section_text_postings = _Postings(text_bags, SECTION_TEXT_B)
        self.section_postings = _Postings(section_bags)
        self.members: dict[int, list[int]] = defaultdict(list)
        for index, owner in enumerate(self.section_of):
            self.members[owner].append(index)
        # Every feature of a passage or section (a phrase's own words too), and those matched whole.
        self.passage_features = [frozenset(b) for b in passage_bags]
        self.section_features = [frozenset(b) for b in section_bags]
        self.passage_whole = passage_whole
        self.section_whole = section_whole
        # Per passage, with its section: what `_covers` reads on every candidate of every message.
        self._whole_with_section = [w | section_whole[s] for w, s in zip(passage_whole, self.section_of, strict=True)]
        self._any_with_section = [
            f | self.section_features[s] for f, s in zip(self.passage_features, self.section_of, strict=True)
        ]
        # Per policy document, every feature its passages and sections match whole: how much of a message
        # the policy as a whole speaks of (see `search`).
        documents: dict[str, int] = {}
        self.document_of = [documents.setdefault(p.citation.document, len(documents)) for p in self.passages]
        document_whole: list[set[str]] = [set() for _ in documents]
        for index, with_section in enumerate(self._whole_with_section):
            document_whole[self.document_of[index]] |= with_section
        self._document_whole = [frozenset(features) for features in document_whole]
        self._topics = self._policy_topics(documents)
        #: The weight of the rarest feature: what a message can match at most per unit, in this library.
        self.max_weight = max([*self.passage_postings.idf.values(), *self.section_postings.idf.values(), 0.0])
        self._member_tuples = [tuple(self.members.get(s, ())) for s in range(len(section_bags))]
        self._terms_cache: dict[Unit, tuple[float, bool]] = {}
        self._matches_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], _UnitMatches] = {}

    def _policy_topics(self, documents: dict[str, int]) -> frozenset[str]:
        """What each policy is about: the features of its title that its own passages hold most of."""
        holders: dict[str, Counter[int]] = defaultdict(Counter)
        for index, features in enumerate(self.passage_whole):
            for feature in features:
                holders[feature][self.document_of[index]] += 1
        return frozenset(
            feature
            for title, number in documents.items()
            for feature in _whole(self._naming_units(self.analyzer.units(title)))
            if feature in holders
            and not feature.isdigit()
            and holders[feature][number] >= TOPIC_SHARE * sum(holders[feature].values())
        )

    def _naming_units(self, units: Sequence[Unit]) -> list[Unit]:
        """The words of a title that can name what a policy is about: not a number ("7.1"), not the people
        every policy speaks of ("children", "staff")."""
        return [u for u in units if not _is_number(u.surface) and u.features.isdisjoint(EVERYONE)]

    def off_topic(self, index: int, units: Sequence[Unit]) -> bool:
        """Whether a message names what a policy is about and a passage's own policy never speaks of it."""
        return self._speaks_of_none(self.document_of[index], self._named_topics(units))

    def _named_topics(self, units: Sequence[Unit]) -> list[frozenset[str]]:
        """The features of each unit naming what one policy is about."""
        return [u.features for u in units if self.names_a_policy_topic(u)]

    def _speaks_of_none(self, document: int, topics: list[frozenset[str]]) -> bool:
        """Whether a policy never speaks of one of the topics."""
        spoken = self._document_whole[document]
        return any(features.isdisjoint(spoken) for features in topics)

    def names_a_policy_topic(self, unit: Unit) -> bool:
        """Whether a unit names what one policy is about (a word of its title mostly found in it)."""
        return not unit.features.isdisjoint(self._topics)

    def unmatched(self, unit: Unit) -> bool:
        """Whether no passage or section of the library matches a unit at all."""
        return not unit.known or not (
            unit.features & self.passage_postings.idf.keys() or unit.features & self.section_postings.idf.keys()
        )

    def _weight(self, unit: Unit) -> float:
        """How much a unit of a message matters: rare features more, unknown topic words most."""
        if self.unmatched(unit):
            weight = self.analyzer.unknown_weight(unit.surface)
            # Where something happened ("from the car") weighs like an everyday word, not a topic.
            return min(weight, MAX_UNKNOWN_WEIGHT) if unit.place else weight
        weights = [self.passage_postings.idf[f] for f in unit.features if f in self.passage_postings.idf]
        weights += [self.section_postings.idf[f] for f in unit.features if f in self.section_postings.idf]
        weight = max(weights) * self._everyday_damping(unit)
        if self.names_a_policy_topic(unit):
            weight = max(weight, TOPIC_WEIGHT * self.max_weight)
        return weight

    @staticmethod
    def _everyday_damping(unit: Unit) -> float:
        """A plain word common in all English ("down", "made", "house") says little of what a question
        is about, however rare it is in one school's policies: its weight is damped. Lexicon ideas are not."""
        if " " in unit.surface or any(f.startswith("~") for f in unit.features):
            return 1.0
        if len(unit.surface) <= 2:
            # A letter or two ("e", "op") names nothing however rare it is.
            return MIN_EVERYDAY_DAMPING
        rarity = english_rarity(unit.surface)
        return min(1.0, max(MIN_EVERYDAY_DAMPING, (rarity - EVERYDAY_RARITY) / EVERYDAY_SPAN))

    def _unit_terms(self, unit: Unit) -> tuple[float, bool]:
        """A unit's weight and whether it names an unknown topic, computed once per distinct unit."""
        terms = self._terms_cache.get(unit)
        if terms is None:
            if len(self._terms_cache) >= _CACHE_SIZE:
                self._terms_cache.clear()
            terms = self._terms_cache[unit] = (self._weight(unit), self._unknown_topic(unit))
        return terms

    def _weights(self, units: Sequence[Unit]) -> list[float]:
        """Each unit's weight; a second unknown topic ("christmas concert") adds to the first less."""
        weights = []
        topics = 0
        for unit in units:
            weight, unknown_topic = self._unit_terms(unit)
            if unknown_topic:
                topics += 1
                if topics > 1:
                    weight = min(weight, MAX_UNKNOWN_WEIGHT)
            weights.append(weight)
        return weights

    def unknown_topics(self, units: Sequence[Unit]) -> list[Unit]:
        """The units naming a topic no passage or section mentions ("parking", "lunch duty")."""
        return [unit for unit in units if self._unit_terms(unit)[1]]

    def _unknown_topic(self, unit: Unit) -> bool:
        """A topic word or phrase of the lexicon that no passage or section mentions, and
        not only where something happens ("nicked from the car")."""
        if unit.place:
            return False
        known = unit.known and bool(
            unit.features & self.passage_postings.idf.keys() or unit.features & self.section_postings.idf.keys()
        )
        return not known and self.analyzer.is_topic(unit.surface)

    def covers_idea(self, index: int, idea: str) -> bool:
        """Whether a passage or its section names an idea (a lexicon concept or a stem) whole."""
        return idea in self.passage_whole[index] or idea in self.section_whole[self.section_of[index]]

    def _covers(self, index: int, unit: Unit) -> float:
        """1 when a passage (with its section) matches a unit whole, part of that for a phrase's words, else 0."""
        if not unit.features.isdisjoint(self._whole_with_section[index]):
            return 1.0
        features = self._any_with_section[index]
        return PARTIAL_CREDIT if not (features.isdisjoint(unit.features) and features.isdisjoint(unit.partial)) else 0.0

    def _matches(self, unit: Unit) -> _UnitMatches:
        """What a unit scores on the passages and sections it matches, computed once per distinct unit.

        Keyed by the features in their iteration order: the order the postings are read in decides
        which of two equal scores ranks first, so it is kept exactly.
        """
        key = (tuple(unit.features), tuple(unit.partial))
        found = self._matches_cache.get(key)
        if found is None:
            by_passage: dict[int, float] = {}
            by_section: dict[int, float] = {}
            self.passage_postings.best(unit.features, 1.0, by_passage)
            self.passage_postings.best(unit.partial, PARTIAL_CREDIT, by_passage)
            self.section_postings.best(unit.features, SECTION_WEIGHT, by_section)
            self.section_postings.best(unit.partial, SECTION_WEIGHT * PARTIAL_CREDIT, by_section)
            by_text: dict[int, float] = {}
            self.section_text_postings.best(unit.features, SECTION_TEXT_WEIGHT, by_text)
            self.section_text_postings.best(unit.partial, SECTION_TEXT_WEIGHT * PARTIAL_CREDIT, by_text)
            found = _UnitMatches(
                tuple(by_passage.items()),
                tuple((self._member_tuples[section], value) for section, value in by_section.items()),
                tuple(by_text.items()),
            )
            if len(self._matches_cache) >= _CACHE_SIZE:
                self._matches_cache.clear()
            self._matches_cache[key] = found
        return found

    def search(self, units: Sequence[Unit], limit: int = 8) -> list[Scored]:
        """The best passages for a message's units, best first."""
        weights = self._weights(units)
        total_weight = sum(weights)
        if not units or total_weight <= 0:
            return []
        # Each value is added in the same order as ever, so equal sums (and ties) come out the same.
        scores: dict[int, float] = {}
        get = scores.get
        context: dict[int, float] = {}
        context_get = context.get
        for unit in units:
            matches = self._matches(unit)
            for index, value in matches.passages:
                scores[index] = get(index, 0.0) + value
            for members, value in matches.sections:
                for index in members:
                    scores[index] = get(index, 0.0) + value
            for section, value in matches.context:
                context[section] = context_get(section, 0.0) + value
        # What ranks a passage the message matches: its own score with its section's text.
        section_of = self.section_of
        ranking = {index: score + context.get(section_of[index], 0.0) for index, score in scores.items()}
        # Ranked by that score first; enough of them that one covering more of the message is kept.
        # Ties go to the passage that comes first in the policies, so the answer never depends on
        # the order sets happen to iterate in (that changes with Python's hash seed).
        candidates = _best(ranking, max(limit * 3, MIN_CANDIDATES))
        # Per unit: its weight, that weight with partial credit, its whole features, and all it matches by.
        terms = [
            (w, w * PARTIAL_CREDIT, u.features, u.features | u.partial if u.partial else u.features)
            for u, w in zip(units, weights, strict=True)
        ]
        whole_with_section = self._whole_with_section
        any_with_section = self._any_with_section
        ranked = []
        document_coverage: dict[int, float] = {}
        # A number ("at 2", "two boys") names nothing a policy is about.
        naming = [not _is_number(u.surface) for u in units]
        topics = self._named_topics(units)
        off_topic: dict[int, bool] = {}
        # Whom a policy applies to is what its opening sections say.
        asks_scope = any(SCOPE in u.features for u in units)
        for index in candidates:
            document = self.document_of[index]
            across = document_coverage.get(document)
            if across is None:
                spoken_of = self._document_whole[document]
                across = document_coverage[document] = sum(
                    weight
                    for (weight, _, features, _), named in zip(terms, naming, strict=True)
                    if named and not features.isdisjoint(spoken_of)
                ) / total_weight
            whole = whole_with_section[index]
            matched_any = any_with_section[index]
            # The sum of weight x credit in unit order; a unit it does not match adds nothing.
            covered = 0.0
            for weight, partial_weight, features, either in terms:
                if not features.isdisjoint(whole):
                    covered += weight
                elif not matched_any.isdisjoint(either):
                    covered += partial_weight
            score = scores[index]
            coverage = covered / total_weight
            rank = ranking[index] * (1 + RANK_COVERAGE * coverage) * (1 + DOCUMENT_COVERAGE * across)
            if topics:
                away = off_topic.get(document)
                if away is None:
                    away = off_topic[document] = self._speaks_of_none(document, topics)
                if away:
                    rank *= OFF_TOPIC_WEIGHT
            if self._preamble[index] and not asks_scope and all(
                features.isdisjoint(self._heading_whole[self.section_of[index]]) for _, _, features, _ in terms
            ):
                rank *= PREAMBLE_WEIGHT
            ranked.append((rank, index, score, coverage, covered))
        ranked.sort(key=_rank_then_order)
        return [Scored(index, score, coverage, covered) for _, index, score, coverage, covered in ranked[:limit]]


def _indexed_text(text: str, body: str, labels: frozenset[str]) -> str:
    """What a passage is indexed by: its text, the section's repeated field labels taken out of its body."""
    if not labels:
        return text
    return text[: len(text) - len(body)] + without_labels(body, labels)


def _best(scores: dict[int, float], count: int) -> list[int]:
    """The `count` best passages by score (to `TIE_DIGITS` places), the earlier passage first among equals.

    Only passages scoring near the `count`-th best raw score can be among them, so only those are
    sorted: the same list as sorting every scored passage, in a fraction of the time.
    """
    pool: Iterable[int] = scores
    if len(scores) > count:
        cutoff = heapq.nlargest(count, scores.values())[-1] - _NEAR_CUTOFF
        pool = [index for index, score in scores.items() if score >= cutoff]
    return sorted(pool, key=lambda i: (-round(scores[i], TIE_DIGITS), i))[:count]


def _is_number(surface: str) -> bool:
    return all(word.isdigit() or word in NUMBER_WORDS for word in surface.split())


def _rank_then_order(item: tuple[float, int, float, float, float]) -> tuple[float, int]:
    """Best rank first; among equals (to `TIE_DIGITS` places), the earlier passage."""
    return -round(item[0], TIE_DIGITS), item[1]
