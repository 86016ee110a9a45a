"""The school lexicon: stopwords and synonym groups, loaded from YAML data files.

The bundled `intents/data/lexicon.yaml` holds the words UK school staff use; a
school extends it with a `lexicon.yaml` beside its policies. Each synonym group
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

BUNDLED_LEXICON = Path(__file__).resolve().parent / "data" / "lexicon.yaml"
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

    def extend(self, other: Lexicon) -> None:
        self.stopwords |= other.stopwords
        self.topic_words |= other.topic_words
        self.groups.extend(other.groups)
        self.shorthand.update(other.shorthand)


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
                    f"unknown key '{key}' (expected stopwords, topic_words, shorthand, synonyms)",
                )
            )
    return lexicon


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
    """The bundled lexicon extended by any school files that exist."""
    lexicon = parse_lexicon(BUNDLED_LEXICON, BUNDLED_LEXICON.read_text(encoding="utf-8"))
    for path in extra_files:
        if path.is_file():
            lexicon.extend(parse_lexicon(path, path.read_text(encoding="utf-8")))
    return lexicon
