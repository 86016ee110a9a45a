"""Text analysis shared by messages and passages: words -> stems -> ideas.

A message and a passage are both turned into *units*: a word, or a lexicon
phrase ("line manager", "off sick"), each with the features it can match —
its stems and the lexicon idea it belongs to. Messages are also spell-checked
against the words the policies and lexicon know, with rapidfuzz.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

from intents.lexicon import Lexicon

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_WORD = re.compile(r"[a-z0-9]+")
# A number, or an ordinal of one ("22nd"): a date or a count names no topic.
_NUMBER = re.compile(r"\d+(?:st|nd|rd|th)?")
_PHONE = re.compile(r"\b0\d{3,4}[\s-]?\d{3}[\s-]?\d{3,4}\b")
# An email address's name comes before any number: "admin2042@…" is the admin address.
_EMAIL_NAME = re.compile(r"\b([A-Za-z]{3,})\d+@")
# "IT" in capitals is information technology, "it" is a pronoun.
_IT_CAPS = re.compile(r"\bI\.?T\b|\bICT\b")
# "I'll" is "I will"; "ill" without an apostrophe is unwell.
_I_WILL = re.compile(r"\bi'll\b", re.IGNORECASE)
# A possessive is its noun ("RM's number", "the DSL's role"); "what's" and "it's" are contractions.
_POSSESSIVE = re.compile(r"\b(\w+)'s\b", re.IGNORECASE)
_S_CONTRACTIONS = frozenset(
    {"what", "when", "where", "who", "how", "why", "that", "it", "let", "there", "here", "he", "she", "this"}
)
_LATIN_ABBREVIATIONS = re.compile(r"\b(?:e\.\s?g|i\.\s?e)\b\.?")
# "SEND" in capitals is special educational needs, "send" is a verb.
_SEND_CAPS = re.compile(r"\bSEND\b")
# The stemmer reads "careful" as "care" and "useful" as "use": keep such words whole.
_WHOLE_WORD_SUFFIXES = ("ful", "fully")
# Words whose stem is another word: "homeworking" (staff) is not "homework" (pupils), an
# "allowance" (money) is not being "allowed", "accountable" is not an email "account", and
# "reports" (to parents) are not "report" (an absence), "computing" (a subject) is not a "computer",
# and "lateness" (arriving late) is not "late" in the evening.
_UNSTEMMED = frozenset(
    {"homeworking", "allowance", "allowances", "accountable", "reports", "computing", "lateness",
     # Words whose stem is another word's of a different meaning: the local "authority" is not "authorise", a
     # "victim" is not victimisation, "capable" is no capability procedure, "political" is not "polite".
     "authority", "authorities", "victimisation", "victimization", "capability", "political", "politics",
     # "Closely" is no closure; "informal" and "informally" are not "inform".
     "closely", "informal", "informally",
     # "Expensive" is what something costs, not the expenses a member of staff claims.
     "expensive", "inexpensive"}
)

#: Feature emitted for a telephone number in a passage, shared with the "phone" idea.
PHONE_NUMBER = "~phone"

_stemmer = snowballstemmer.stemmer("english")
IRREGULAR_FORMS_FILE = Path(__file__).resolve().parent / "data" / "irregular_forms.txt"


def _read_irregular_forms(path: Path) -> dict[str, str]:
    """ "driven" -> "drive", "children" -> "child": the forms the stemmer can't bring to their word."""
    forms: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            form, word = line.split()
            forms[form] = word
    return forms


_IRREGULAR = _read_irregular_forms(IRREGULAR_FORMS_FILE)

#: Words of messages whose reading is kept (see `Analyzer._token`); cleared when full.
_TOKEN_CACHE_SIZE = 65536

#: Weights of words no policy mentions (see `Analyzer.unknown_weight`).
TOPIC_WEIGHT = 6.0
MAX_UNKNOWN_WEIGHT = 3.0
MIN_UNKNOWN_WEIGHT = 0.5
#: Shorter misspellings are too ambiguous to read as a topic word.
MIN_TOPIC_TYPO_LENGTH = 6
#: Prepositions of place: a topic after one ("from the car", "in the spare room") says where, not what.
#: Not "on" or "about" ("the policy on parking", "a question about pay"): those name the topic.
PLACE_PREPOSITIONS = frozenset({"from", "in", "into", "inside", "at"})
#: Words between a preposition and its noun: "from my car", "in the spare room".
_NOUN_PHRASE_STARTS = frozenset(
    {"the", "a", "an", "my", "our", "their", "his", "her", "your", "its", "this", "that", "these", "those", "own"}
)
#: Being sent a message about something: "emailed me about", "rang us about".
_MESSAGED = frozenset(
    {"messaged", "messages", "message", "emailed", "emails", "email", "texted", "texts", "rang", "rings", "phoned",
     "phones", "called", "calls", "contacted", "contacts", "asked", "asks", "chased", "chases", "pinged", "wrote"}
)
_WHO_WAS_TOLD = frozenset({"me", "us"})
#: Verbs whose "in" carries something in, stemmed: "bring in cake", "hand in homework", "send in photos".
_CARRYING_IN = frozenset({"bring", "brought", "send", "sent", "hand", "pop", "drop", "post", "email"})
#: At most this many words between being messaged and "about": "rang me late on Sunday about".
MAX_WORDS_BEFORE_MESSAGE = 6
#: At most this many words (determiners, everyday adjectives) between a preposition and its noun.
MAX_WORDS_BEFORE_PLACE = 3
#: Each of two words read as the one word they make ("play fighting") has at least this many letters.
MIN_JOINED_PART = 3


@lru_cache(maxsize=1)
def english() -> SpellChecker:
    """An English dictionary, so a real word we don't know is not "corrected" into one we do."""
    return SpellChecker(distance=1)


def english_rarity(word: str) -> float:
    """How rare a word is in general English: about 1.3 for "the", 7 for the rarest known words."""
    frequency = english().word_frequency
    return math.log10(frequency.total_words / (frequency[word] + 1))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The word's stem, so "approve", "approved" and "approval" meet; "-ful" words keep their meaning."""
    if word in _UNSTEMMED:
        return word
    if word.endswith(_WHOLE_WORD_SUFFIXES) and len(word) > 5:
        return word.removesuffix("ly")
    stemmed = str(_stemmer.stemWord(_IRREGULAR.get(word, word)))
    # "Pregnancy" and "pregnant", "absence" and "absent": the stemmer keeps -ancy/-ence apart from -ant/-ent
    # where the word is short.
    if len(stemmed) > 4 and stemmed.endswith(("anc", "enc")):
        return stemmed[:-1] + "t"
    return stemmed


def _lengths_by_first(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """The lengths of the phrases starting with each word, longest first."""
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        if phrase:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


def _omission_rank(typed: str, known: str) -> int:
    """0 when the typed word lacks a letter of the known one (the commonest slip), 1 same length, 2 extra."""
    return 0 if len(known) > len(typed) else 1 if len(known) == len(typed) else 2


def _fold_possessive(match: re.Match[str]) -> str:
    word = match.group(1)
    return word + "s" if word in _S_CONTRACTIONS else word


#: "One" counting a period of time ("a one-month review", "one week's notice").
_ONE_PERIOD = re.compile(r"\bone(?=[\s-]+(?:hour|day|week|month|year|term|half term)s?\b)")

#: Something brought or carried from home (at most four words between): "bring my own fan from home".
_CARRIED_FROM_HOME = re.compile(r"(\b(?:bring|brings|bringing|brought|fetch|fetches|fetching|fetched)"
                                r"\b(?:[\s/,&-]+(?!work)\w+){0,4}?[\s/,&-]+)from home\b")
#: "11+" and "11 +": the eleven plus.
_ELEVEN_PLUS = re.compile(r"\b11\s?\+")


def normalise(text: str) -> str:
    """Fold typography and case; keep words and numbers only."""
    # Each rewrite runs only when the text holds the letters it needs: most messages need none.
    text = text.translate(_QUOTES)
    if "IT" in text or "I.T" in text or "ICT" in text:
        text = _IT_CAPS.sub(" ict ", text)
    if "SEND" in text:
        text = _SEND_CAPS.sub(" sen ", text)
    if "'" in text:
        text = _I_WILL.sub("i will", text)
    if "@" in text:
        text = _EMAIL_NAME.sub(lambda m: f"{m.group(1)} {m.group(0)}", text)
    if "0" in text:
        text = _PHONE.sub(lambda m: " " + m.group(0).replace(" ", "") + " phonenumber ", text)
    text = text.lower()
    if "." in text:
        # "e.g." and "i.e." introduce an example or a restatement: they are not the words "e", "g", "i".
        text = _LATIN_ABBREVIATIONS.sub(" ", text)
    if "'" in text:
        text = _POSSESSIVE.sub(_fold_possessive, text).replace("'", "")
    if "+" in text:
        # "11+" is the eleven plus, the grammar schools' entrance test: the "+" is more than punctuation.
        text = _ELEVEN_PLUS.sub(" eleven plus ", text)
    if "from home" in text:
        # "Bring my own kettle from home": something carried from home, not working from home.
        text = _CARRIED_FROM_HOME.sub(r"\1from house", text)
    if "one" in text:
        # "One" is a stopword ("one of us"), but "one month" is the "1 Month" of a heading.
        text = _ONE_PERIOD.sub("1", text)
    return " ".join(_WORD.findall(text))


def words(text: str) -> list[str]:
    return normalise(text).split()


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing a message or passage mentions, and the features it matches by."""

    surface: str
    features: frozenset[str]
    known: bool
    #: Stems of a phrase's own words: they match too, for part of the credit.
    partial: frozenset[str] = frozenset()
    #: Named only as where something happens ("nicked from the car", "in the spare room"): a side
    #: word of the message, not what it is about.
    place: bool = False


class Analyzer:
    """Turns text into units, using one school's lexicon and vocabulary."""

    def __init__(self, lexicon: Lexicon, corpus_words: Iterable[str]) -> None:
        self.stopwords = {w for s in lexicon.stopwords for w in words(s)}
        # Texting spellings read as the words they stand for, before anything else ("wrk frm hme").
        self.shorthand = {
            typed[0]: " ".join(words(meant))
            for short, meant in lexicon.shorthand.items()
            if len(typed := words(short)) == 1 and words(meant)
        }
        # What a short form stands for is read through the others too: "y3" is "year 3", so "year three".
        self.shorthand = {
            typed: " ".join(self.shorthand.get(w, w) for w in meant.split()) for typed, meant in self.shorthand.items()
        }
        # A one-word topic is matched as a word, a longer one ("parents evening") as a phrase.
        self.topic_words = {w for s in lexicon.topic_words if len(words(s)) == 1 for w in words(s)}
        # By stem, so "reimbursed" is the topic "reimburse".
        self.topic_stems = {stem(w) for w in self.topic_words}
        self.topic_phrases = {
            tuple(stem(w) for w in words(s)) for s in lexicon.topic_words if len(words(s)) > 1
        }
        self.longest_topic = max((len(p) for p in self.topic_phrases), default=0)
        self.stopword_stems = {stem(w) for w in self.stopwords}
        # phrase (tuple of stems) -> ideas; a word may belong to several groups.
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.longest_phrase = 1
        vocabulary: set[str] = set(self.stopwords)
        for group in lexicon.groups:
            concept = "~" + "_".join(words(group[0]))
            for entry in group:
                entry_words = words(entry)
                if not entry_words:
                    continue
                vocabulary.update(entry_words)
                key = tuple(stem(w) for w in entry_words)
                self.phrases.setdefault(key, set()).add(concept)
                self.longest_phrase = max(self.longest_phrase, len(key))
        # An idea one of whose wordings is a topic word ("term time holiday" beside "holiday in term") is a topic.
        topic_keys = {(s,) for s in self.topic_stems} | self.topic_phrases
        self.topic_ideas = frozenset(
            concept for key in topic_keys & self.phrases.keys() for concept in self.phrases[key]
        )
        self.phrases.setdefault(("phonenumb",), set()).add(PHONE_NUMBER)
        for concepts in self.phrases.values():
            if "~phone" in concepts:
                concepts.add(PHONE_NUMBER)
        vocabulary.update(corpus_words)
        vocabulary.add("phonenumber")
        self.vocabulary = frozenset(vocabulary)
        self.vocabulary_stems = frozenset(stem(w) for w in vocabulary)
        self._choices = sorted(w for w in vocabulary if len(w) >= 3 and not w.isdigit())
        # A misspelt topic ("pensoin") is corrected to the topic, so it still counts against answering.
        self._topic_choices = sorted({w for t in lexicon.topic_words for w in words(t)} - vocabulary)
        self._corrections: dict[str, str | None] = {}
        # The lengths of the phrases (and topic phrases) starting with each stem, longest first: a phrase
        # is looked for only in the lengths that one could have.
        self._phrase_lengths = _lengths_by_first(self.phrases)
        self._topic_lengths = _lengths_by_first(self.topic_phrases)
        # A word of a message -> the word read, whether it is known, and its stem (see `_token`).
        self._tokens: dict[str, tuple[str, bool, str]] = {}
        self._phrase_units: dict[tuple[tuple[str, bool], ...], Unit] = {}

    # -- spelling ---------------------------------------------------------

    def correct(self, word: str) -> str | None:
        """The known word a misspelling stands for, or None when there is none."""
        if word in self.vocabulary or stem(word) in self.vocabulary_stems:
            return word
        if word in self.topic_words or stem(word) in self.topic_stems:
            return None
        if word in self._corrections:
            return self._corrections[word]
        result: str | None = None
        # "parking" is not a misspelling of "marking": leave real English words alone.
        if len(word) >= 4 and not word.isdigit() and not english().known([word]):
            result = self._nearest(word)
        self._corrections[word] = result
        return result

    def expand(self, plain: str) -> str:
        """Normalised text with its texting spellings written out: "can i wrk frm hme" -> "can i work from home"."""
        if not self.shorthand:
            return plain
        typed = plain.split()
        return " ".join(map(self.shorthand.get, typed, typed))

    def spell(self, plain: str) -> str:
        """Normalised text with its misspellings corrected, for matching cue phrases ("wifi pasword")."""
        return " ".join([self._token(w, True)[0] for w in self.expand(plain).split()])

    def _nearest(self, word: str) -> str | None:
        """The known word closest to a misspelling: fewest edits (a swap of two letters is one),
        then the same first letter, then a dropped letter over a wrong or extra one ("hurs" is
        "hours", not "hurt"), then the commoner word ("whare" is "where", not "share").

        A topic word no policy uses is chosen only when it is one edit away and nearer than
        any known word: "pensoin" is "pension", but "plae" is not "play".
        """
        edits = 1 if len(word) <= 7 else 2
        candidates = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=edits, limit=None)
        if len(word) >= MIN_TOPIC_TYPO_LENGTH:
            nearest = min((c[1] for c in candidates), default=edits + 1)
            topics = process.extract(word, self._topic_choices, scorer=OSA.distance, score_cutoff=1, limit=None)
            candidates += [t for t in topics if t[1] < nearest]
        if candidates:
            frequency = english().word_frequency
            best = min(
                candidates,
                key=lambda c: (c[1], c[0][0] != word[0], _omission_rank(word, c[0]), -frequency[c[0]], c[0]),
            )
            return str(best[0])
        cutoff = 80 if len(word) <= 5 else 84 if len(word) <= 7 else 80
        fuzzy = process.extractOne(word, self._choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return str(fuzzy[0]) if fuzzy is not None else None

    def is_topic(self, surface: str) -> bool:
        """Whether a unit's words name a topic of their own (see `topic_words` in the lexicon)."""
        stems = tuple(stem(w) for w in surface.split())
        if any(s in self.topic_stems for s in stems) or stems in self.topic_phrases:
            return True
        return not self.topic_ideas.isdisjoint(self.phrases.get(stems, ()))

    def unknown_weight(self, surface: str) -> float:
        """The weight of words no policy mentions: high for a topic, low for everyday words.

        A message about pay or parking is about something the policies don't
        cover; "proper" or "long" in a paraphrase is not a topic of its own.
        """
        if self.is_topic(surface):
            return TOPIC_WEIGHT
        parts = surface.split()
        # "q", "r u", "1:1": letters and numbers of text-speak name nothing.
        if all(len(p) <= 2 or _NUMBER.fullmatch(p) for p in parts):
            return MIN_UNKNOWN_WEIGHT
        rarity = max((english_rarity(w) for w in parts), default=0.0)
        return min(MAX_UNKNOWN_WEIGHT, max(MIN_UNKNOWN_WEIGHT, 1.3 * (rarity - 3.0)))

    # -- units ------------------------------------------------------------

    def _topic_phrase_at(self, stems: list[str], start: int) -> int:
        """The length of the longest topic phrase starting at `start`, or 0."""
        top = min(self.longest_topic, len(stems) - start)
        for length in self._topic_lengths.get(stems[start], ()):
            if 1 < length <= top and tuple(stems[start : start + length]) in self.topic_phrases:
                return length
        return 0

    def _longest_phrase_at(self, tokens: list[tuple[str, bool]], stems: list[str], start: int, limit: int) -> int:
        """The length of the longest lexicon phrase at `start`, at most `limit` words, or 0."""
        top = min(limit, len(tokens) - start)
        for length in self._phrase_lengths.get(stems[start], ()):
            # A length of 1 is listed only for a stem that is a phrase itself.
            if length <= top and (length == 1 or tuple(stems[start : start + length]) in self.phrases):
                return 0 if length == 1 and tokens[start][0] in self.stopwords else length
        return 0

    def _phrase_length_at(
        self, tokens: list[tuple[str, bool]], stems: list[str], start: int, longest: list[int]
    ) -> int:
        """The phrase to read at `start`, yielding to an overlapping phrase that is at least as long.

        In "a day off", "day off" (absence) wins over "a day" (per day). `longest` is the
        longest phrase at each position (`_longest_phrase_at` up to `longest_phrase` words).
        """
        length = longest[start]
        for later in range(start + 1, start + length):
            other = longest[later]
            if other >= length and later + other > start + length:
                return self._longest_phrase_at(tokens, stems, start, later - start)
        return length

    def _phrase_unit(self, tokens: list[tuple[str, bool]], stems: list[str]) -> Unit:
        """A lexicon phrase as one unit (made once per wording: units are immutable)."""
        key = tuple(tokens)
        unit = self._phrase_units.get(key)
        if unit is None:
            if len(self._phrase_units) >= _TOKEN_CACHE_SIZE:
                self._phrase_units.clear()
            unit = self._phrase_units[key] = self._new_phrase_unit(tokens, stems)
        return unit

    def _new_phrase_unit(self, tokens: list[tuple[str, bool]], stems: list[str]) -> Unit:
        """A lexicon phrase as one unit; a longer phrase's own words match for part of the credit."""
        concepts = self.phrases[tuple(stems)]
        content = {s for (w, _), s in zip(tokens, stems, strict=True) if w not in self.stopwords}
        surface = " ".join(w for w, _ in tokens)
        if len(tokens) == 1:
            return Unit(surface, frozenset(content | concepts), True)
        return Unit(surface, frozenset(concepts), True, frozenset(content))

    def _token(self, word: str, spellcheck: bool) -> tuple[str, bool, str]:
        """A word as read (spell-corrected when asked), whether it is known, and its stem."""
        if not spellcheck:
            return word, True, stem(word)
        token = self._tokens.get(word)
        if token is None:
            corrected = self.correct(word)
            read = word if corrected is None else corrected
            token = (read, corrected is not None, stem(read))
            if len(self._tokens) >= _TOKEN_CACHE_SIZE:
                self._tokens.clear()
            self._tokens[word] = token
        return token

    def units(self, text: str, *, spellcheck: bool = False) -> list[Unit]:
        """The content units of a text; stopwords are dropped unless part of a phrase."""
        read = self._joined([self._token(word, spellcheck) for word in self.expand(normalise(text)).split()])
        tokens = [(word, known) for word, known, _ in read]
        stems = [s for _, _, s in read]
        count = len(tokens)
        longest = [self._longest_phrase_at(tokens, stems, i, self.longest_phrase) for i in range(count)]
        topic_lengths = self._topic_lengths
        units: list[Unit] = []
        i = 0
        while i < count:
            topic = self._topic_phrase_at(stems, i) if stems[i] in topic_lengths else 0
            matched = self._phrase_length_at(tokens, stems, i, longest) if longest[i] else 0
            # A longer lexicon phrase says what the topic is about: "staff meeting on teams" is a video call;
            # a topic phrase that is itself a lexicon phrase ("social media") is read as its idea, so its
            # kinds ("snapchat") meet it.
            if topic and topic > matched:
                # One unit with its own feature: "parents evening" is not about parents or evenings.
                surface = " ".join(w for w, _ in tokens[i : i + topic])
                place = self._after_place_preposition(tokens, i)
                units.append(Unit(surface, frozenset({"_".join(stems[i : i + topic])}), True, place=place))
                i += topic
                continue
            if matched:
                units.append(self._phrase_unit(tokens[i : i + matched], stems[i : i + matched]))
                i += matched
                continue
            word, known = tokens[i]
            # "wedding" stems like "we'd": a topic word is never a stopword.
            if word not in self.stopwords and (stems[i] not in self.stopword_stems or stems[i] in self.topic_stems):
                place = stems[i] in self.topic_stems and self._after_place_preposition(tokens, i)
                units.append(Unit(word, frozenset({stems[i]}), known, place=place))
            i += 1
        return units

    def _joined(self, read: list[tuple[str, bool, str]]) -> list[tuple[str, bool, str]]:
        """Two words written as one elsewhere are that word: "play fighting" is the policies' "playfighting",
        "lunch time" their "lunchtime". Only words of some length, neither a stopword, and never a pair the
        lexicon reads as a phrase of its own."""
        if len(read) < 2:
            return read
        joined: list[tuple[str, bool, str]] = []
        i = 0
        while i < len(read):
            if i + 1 < len(read):
                first, second = read[i][0], read[i + 1][0]
                word = first + second
                if (
                    len(first) >= MIN_JOINED_PART
                    and len(second) >= MIN_JOINED_PART
                    and word in self.vocabulary
                    and first not in self.stopwords
                    and second not in self.stopwords
                    and (read[i][2], read[i + 1][2]) not in self.phrases
                    and (read[i][2], read[i + 1][2]) not in self.topic_phrases
                ):
                    joined.append((word, True, stem(word)))
                    i += 2
                    continue
            joined.append(read[i])
            i += 1
        return joined

    def _after_place_preposition(self, tokens: list[tuple[str, bool]], start: int) -> bool:
        """Whether the words before `start` are a preposition of place and the start of a noun
        phrase: "from [the] car", "in [the spare] room", not "book a room" or "the policy on parking"."""
        for back in range(start - 1, max(start - 2 - MAX_WORDS_BEFORE_PLACE, -1), -1):
            word, known = tokens[back]
            if word in PLACE_PREPOSITIONS:
                # "Send in birthday cake": the "in" of a phrasal verb the lexicon knows, or of one that
                # carries something in ("bring in", "hand in"), is no place.
                if back >= 1 and stem(word) == "in" and stem(tokens[back - 1][0]) in _CARRYING_IN:
                    return False
                return not (back >= 1 and (stem(tokens[back - 1][0]), stem(word)) in self.phrases)
            if word == "about":
                # "the head emailed me (on Sunday) about a data drop": what a message was about, not the
                # question's topic.
                before = [w for w, _ in tokens[max(0, back - MAX_WORDS_BEFORE_MESSAGE) : back]]
                return any(w in _MESSAGED for w in before) and any(w in _WHO_WAS_TOLD for w in before)
            # A determiner, an everyday adjective the policies never use ("spare") or another topic
            # word of the same noun ("in the car park") may stand before the noun.
            if word in _NOUN_PHRASE_STARTS or not known or word in self.topic_words:
                continue
            return False
        return False
