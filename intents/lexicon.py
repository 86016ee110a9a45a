"""The school lexicon: stopwords and synonym groups, loaded from YAML data files.

Three layers, read in order: general English (`intents/data/english.yaml`), the
language of UK schools (`intents/data/school_sector.yaml`), then the school's own
`lexicon.yaml` beside its policies, which adds to the bundled layers and may remove
from them (`remove:`). Each synonym group
becomes one idea (a "concept") that a message and a passage can share even
when their words differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from intents.policy_library import Problem
from intents.yaml_loader import FAST_LOADER

_DATA = Path(__file__).resolve().parent / "data"
#: The bundled layers, general first: English, then the language of UK schools.
ENGLISH_LEXICON = _DATA / "english.yaml"
SCHOOL_SECTOR_LEXICON = _DATA / "school_sector.yaml"
BUNDLED_LEXICONS = (ENGLISH_LEXICON, SCHOOL_SECTOR_LEXICON)
#: A school's own additions, read from its policy folder when present.
SCHOOL_LEXICON_NAME = "lexicon.yaml"


@dataclass
class Lexicon:
    """Stopwords and synonym groups as written (normalising happens in `text`)."""

    stopwords: set[str] = field(default_factory=set)
    groups: list[list[str]] = field(default_factory=list)
    topic_words: set[str] = field(default_factory=set)
    #: Texting spellings and short forms, word -> what it stands for ("wrk" -> "work", "2moro" -> "tomorrow").
    shorthand: dict[str, str] = field(default_factory=dict)
    #: What a later layer takes out of the layers before it (see `Removals`).
    removals: Removals = field(default_factory=lambda: Removals())

    def extend(self, other: Lexicon) -> None:
        """Add a later layer: its removals apply to everything read so far, then its entries are added."""
        other.removals.apply_to(self)
        self.stopwords |= other.stopwords
        self.topic_words |= other.topic_words
        self.groups.extend(other.groups)
        self.shorthand.update(other.shorthand)


@dataclass
class Removals:
    """A school's `remove:` section: bundled entries it does not want.

    `synonyms` entries are taken out of every group holding them (a group left with fewer than
    two entries goes); `ideas` removes whole groups by their name (first entry), the one way to
    drop a name. To override an
    entry, remove it and add it where it belongs.
    """

    stopwords: set[str] = field(default_factory=set)
    topic_words: set[str] = field(default_factory=set)
    synonyms: set[str] = field(default_factory=set)
    ideas: set[str] = field(default_factory=set)
    shorthand: set[str] = field(default_factory=set)

    def apply_to(self, lexicon: Lexicon) -> None:
        folded = _folded
        if self.stopwords:
            gone = {folded(w) for w in self.stopwords}
            lexicon.stopwords = {w for w in lexicon.stopwords if folded(w) not in gone}
        if self.topic_words:
            gone = {folded(w) for w in self.topic_words}
            lexicon.topic_words = {w for w in lexicon.topic_words if folded(w) not in gone}
        if self.shorthand:
            gone = {folded(w) for w in self.shorthand}
            lexicon.shorthand = {k: v for k, v in lexicon.shorthand.items() if folded(k) not in gone}
        if self.synonyms or self.ideas:
            entries = {folded(w) for w in self.synonyms}
            ideas = {folded(w) for w in self.ideas}
            kept = []
            for group in lexicon.groups:
                if folded(group[0]) in ideas:
                    continue
                # The first entry names the idea: it goes only with the idea (`ideas`).
                remaining = [group[0], *(entry for entry in group[1:] if folded(entry) not in entries)]
                if len(remaining) >= 2:
                    kept.append(remaining)
            lexicon.groups = kept


def _folded(text: str) -> str:
    """An entry as compared for removal: case, punctuation and spacing folded."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


class LexiconError(ValueError):
    """A lexicon file is malformed; `problem` names the file and line."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _line_of(node: yaml.Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def parse_lexicon(path: Path, text: str) -> Lexicon:
    """Parse one lexicon file, naming the line of anything malformed."""
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise LexiconError(Problem(path, line, f"not valid YAML: {error}")) from None
    if root is None:
        return Lexicon()
    if not isinstance(root, yaml.MappingNode):
        raise LexiconError(Problem(path, _line_of(root), "expected 'stopwords:' and 'synonyms:' keys"))
    lexicon = Lexicon()
    for key_node, value_node in root.value:
        key = key_node.value
        if key == "stopwords":
            lexicon.stopwords |= set(_strings(path, value_node, "stopwords"))
        elif key == "topic_words":
            lexicon.topic_words |= set(_strings(path, value_node, "topic_words"))
        elif key == "shorthand":
            lexicon.shorthand.update(_shorthand(path, value_node))
        elif key == "remove":
            lexicon.removals = _removals(path, value_node)
        elif key == "synonyms":
            if not isinstance(value_node, yaml.SequenceNode):
                raise LexiconError(Problem(path, _line_of(value_node), "'synonyms' must be a list of lists"))
            for group_node in value_node.value:
                group = _strings(path, group_node, "synonyms")
                if len(group) < 2:
                    raise LexiconError(
                        Problem(path, _line_of(group_node), "a synonym group needs at least two entries")
                    )
                lexicon.groups.append(group)
        else:
            raise LexiconError(
                Problem(
                    path,
                    _line_of(key_node),
                    f"unknown key '{key}' (expected stopwords, topic_words, shorthand, synonyms, remove)",
                )
            )
    return lexicon


_REMOVABLE = ("stopwords", "topic_words", "synonyms", "ideas", "shorthand")


def _removals(path: Path, node: yaml.Node) -> Removals:
    """`remove:` maps stopwords, topic_words, synonyms, ideas or shorthand to the entries to take out."""
    if not isinstance(node, yaml.MappingNode):
        raise LexiconError(Problem(path, _line_of(node), f"'remove' must map {', '.join(_REMOVABLE)} to lists"))
    removals = Removals()
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in _REMOVABLE:
            raise LexiconError(
                Problem(path, _line_of(key_node), f"unknown key 'remove: {key}' (expected {', '.join(_REMOVABLE)})")
            )
        getattr(removals, key).update(_strings(path, value_node, f"remove: {key}"))
    return removals


def _shorthand(path: Path, node: yaml.Node) -> dict[str, str]:
    """`shorthand:` maps one typed word to the word or words it stands for."""
    if not isinstance(node, yaml.MappingNode):
        raise LexiconError(Problem(path, _line_of(node), "'shorthand' must map a short form to what it stands for"))
    mapping: dict[str, str] = {}
    for key_node, value_node in node.value:
        if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            raise LexiconError(Problem(path, _line_of(value_node), "a shorthand entry needs what it stands for"))
        mapping[str(key_node.value)] = str(value_node.value)
    return mapping


def _strings(path: Path, node: yaml.Node, field_name: str) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise LexiconError(Problem(path, _line_of(node), f"'{field_name}' entries must be lists"))
    values = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            raise LexiconError(Problem(path, _line_of(item), f"'{field_name}' entries must be words"))
        values.append(str(item.value))
    return values


def load_lexicon(extra_files: Iterable[Path] = ()) -> Lexicon:
    """The bundled layers (English, then the school sector) extended by any school files that exist."""
    lexicon = Lexicon()
    for path in (*BUNDLED_LEXICONS, *extra_files):
        if path.is_file():
            lexicon.extend(parse_lexicon(path, path.read_text(encoding="utf-8")))
    return lexicon
