"""Teach the assistant a wording: add a phrase to a section in the school's topics.yaml (or take it out).

The file is the school's own, with its comments and layout: the phrase is added at the
end of the section's list in place, and anything else (a new section or policy, an
unusual layout) goes through ruamel.yaml's round trip, which keeps the comments. Either
way the result is read back and checked — the same data as intended, every section real
(`intents.topics.read_topics`) — before it replaces the file, atomically.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.file_writing import replace_file
from bot.questions.redact import redact
from intents.policy_library import Citation, PolicyLibrary
from intents.text import normalise
from intents.topics import TOPICS_FILE_NAME, read_topics

#: A wording is a phrase staff say, not a paragraph.
MAX_PHRASE_CHARS = 120
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 '’?.!-]*$")
_HEADER = (
    "# How staff refer to what each section covers, in their own words.\n"
    "# Keys are a policy's title, then a section (its number, or its heading when it has none).\n"
)


class TeachError(ValueError):
    """The wording or section can't be taught; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class SectionKey:
    """A section as topics.yaml names it: the policy's title and the section's number (or heading)."""

    document: str
    key: str
    citation: Citation

    @property
    def label(self) -> str:
        """"Working from Home Policy · 8.2", as `--section` takes it."""
        return f"{self.document} · {self.key}"


def all_sections(library: PolicyLibrary) -> list[SectionKey]:
    """Every section that has passages, as topics.yaml keys it."""
    return [SectionKey(s.document, s.number or s.heading, s.citation) for s in library.sections() if s.passages]


def find_section(library: PolicyLibrary, text: str) -> SectionKey:
    """The section `text` names: "TITLE · NUMBER", "TITLE · HEADING" or a whole citation."""
    title, sep, rest = text.partition("·")
    if not sep:
        raise TeachError(f"Name the section as \"POLICY TITLE · NUMBER\" (e.g. \"Working from Home Policy · 8.2\"), "
                         f"not '{text}'.")
    wanted_title, wanted = normalise(title), normalise(rest)
    documents = {normalise(d.title): d.title for d in library.documents}
    if wanted_title not in documents:
        raise TeachError(f"No policy is titled '{title.strip()}'. The policies are: "
                         + "; ".join(d.title for d in library.documents) + ".")
    sections = [s for s in all_sections(library) if normalise(s.document) == wanted_title]
    for section in sections:
        names = {normalise(section.key), normalise(section.citation.heading),
                 normalise(f"{section.citation.section} {section.citation.heading}")}
        if wanted in names:
            return section
    raise TeachError(f"'{documents[wanted_title]}' has no section '{rest.strip()}'. Its sections are: "
                     + "; ".join(s.key for s in sections) + ".")


def find_taught_section(folder: Path, library: PolicyLibrary, text: str) -> SectionKey:
    """The section `text` names, as `find_section` finds it, or else as topics.yaml still names it: a
    re-imported policy may have lost a section that wordings were taught to, and `--undo` takes them out."""
    try:
        return find_section(library, text)
    except TeachError:
        title, _, rest = text.partition("·")
        path = folder / TOPICS_FILE_NAME
        try:
            data = _yaml().load(path.read_text(encoding="utf-8")) if path.is_file() else None
        except (YAMLError, UnicodeDecodeError):
            data = None
        for document, sections in (data.items() if isinstance(data, dict) else ()):
            if normalise(str(document)) != normalise(title) or not isinstance(sections, dict):
                continue
            for key in sections:
                if normalise(str(key)) == normalise(rest):
                    return SectionKey(str(document), str(key), Citation(str(document), "", str(key)))
        raise


def check_phrase(phrase: str) -> str:
    """The wording, tidied; refused when empty, too long, or holding an email address or phone number."""
    cleaned = " ".join(phrase.split())
    if not cleaned or not any(ch.isalnum() for ch in cleaned):
        raise TeachError("Give the wording to teach, e.g. \"can I take a sabbatical\".")
    if len(cleaned) > MAX_PHRASE_CHARS:
        raise TeachError(f"That wording is {len(cleaned)} characters; teach a phrase under {MAX_PHRASE_CHARS}.")
    if redact(cleaned) != cleaned:
        raise TeachError("A wording to teach can't hold an email address or a phone number.")
    return cleaned


# -- the file ---------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the school's lines
    return yaml


def _scalar(text: str) -> str:
    return text if _PLAIN.match(text) and ":" not in text and not text.endswith("?") else json.dumps(text)


def _plain_data(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [str(item) for item in node]
    return node


def _flow_end(text: str, offset: int) -> int | None:
    """The offset of the `]` closing the flow sequence that opens at `offset`; quotes and comments respected."""
    if offset >= len(text) or text[offset] != "[":
        return None
    quote = ""
    index = offset + 1
    while index < len(text):
        char = text[index]
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and text[index - 1] in " \t\n":
            newline = text.find("\n", index)
            if newline == -1:
                return None
            index = newline
        elif char == "]":
            return index
        index += 1
    return None


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[:line]) + column


def _key_scalar(key: str) -> str:
    """Section keys are double-quoted, as in the bundled file ("2.1" must not read as a number)."""
    return json.dumps(key)


def _add_in_place(text: str, data: CommentedMap, section: SectionKey, phrase: str) -> str | None:
    """The text with a new `"KEY": [phrase]` line after the policy's last section (or a new policy at the end)."""
    mapping = data.get(section.document)
    entry = f"{_key_scalar(section.key)}: [{_scalar(phrase)}]"
    if mapping is None:
        title = section.document if _PLAIN.match(section.document) else json.dumps(section.document)
        text = text if text.strip() else _HEADER
        return text + ("" if text.endswith("\n") else "\n") + f"\n{title}:\n  {entry}\n"
    if not isinstance(mapping, CommentedMap) or not mapping:
        return None
    keys = list(mapping)
    indent = int(mapping.lc.key(keys[0])[1])
    line, column = mapping.lc.value(keys[-1])
    end = _flow_end(text, _offset(text, line, column))
    if end is None:
        return None
    newline = text.find("\n", end)
    at = len(text) if newline == -1 else newline
    return text[:at] + "\n" + " " * indent + entry + text[at:]


def _append_in_place(text: str, data: CommentedMap, section: SectionKey, phrase: str) -> str | None:
    """The text with `phrase` added at the end of the section's flow list, or None when that isn't its shape."""
    mapping = data.get(section.document)
    if not isinstance(mapping, CommentedMap) or section.key not in mapping:
        return _add_in_place(text, data, section, phrase)
    items = mapping[section.key]
    if not isinstance(items, CommentedSeq) or not items.fa.flow_style():
        return None
    line, column = mapping.lc.value(section.key)
    start = _offset(text, line, column)
    end = _flow_end(text, start)
    if end is None:
        return None
    before = text[start + 1:end].rstrip()
    addition = (", " if before.strip() else "") + _scalar(phrase)
    return text[:start + 1] + before + addition + text[end:]


def _remove_in_place(text: str, data: CommentedMap, section: SectionKey, phrase: str) -> str | None:
    """The text without the phrase appended last by `_append_in_place`, or None when it isn't there so."""
    mapping = data.get(section.document)
    if not isinstance(mapping, CommentedMap) or section.key not in mapping:
        return None
    line, column = mapping.lc.value(section.key)
    start = _offset(text, line, column)
    end = _flow_end(text, start)
    if end is None:
        return None
    inside = text[start + 1:end]
    if inside.endswith(", " + _scalar(phrase)):
        return text[:end - len(_scalar(phrase)) - 2] + text[end:]
    if inside != _scalar(phrase):
        return None
    # The section's only wording: its line goes (and the policy's, when it was its only section).
    first = text.rfind("\n", 0, _offset(text, *mapping.lc.key(section.key))) + 1
    if len(mapping) == 1:
        first = text.rfind("\n", 0, max(_offset(text, *data.lc.key(section.document)) - 1, 0)) + 1
    last = text.find("\n", end)
    return text[:first] + (text[last + 1:] if last != -1 else "")


def _edit_data(data: CommentedMap, section: SectionKey, phrase: str, undo: bool) -> bool:
    """Change the loaded document; False when there is nothing to change."""
    mapping = data.get(section.document)
    if mapping is None:
        if undo:
            return False
        mapping = data[section.document] = CommentedMap()
    items = mapping.get(section.key)
    existing = [str(item) for item in items] if isinstance(items, list) else []
    taught = [i for i, item in enumerate(existing) if normalise(item) == normalise(phrase)]
    if undo:
        if not taught:
            return False
        for index in reversed(taught):
            del items[index]
        if not items:
            del mapping[section.key]
        if not mapping:
            del data[section.document]
        return True
    if taught:
        return False
    if items is None:
        items = CommentedSeq()
        items.fa.set_flow_style()
        mapping[DoubleQuotedScalarString(section.key)] = items
    items.append(phrase)
    return True


@dataclass(frozen=True, slots=True)
class Taught:
    """What teaching did to the file."""

    changed: bool
    file: Path


def teach_phrase(folder: Path, library: PolicyLibrary, phrase: str, section: SectionKey, *,
                 undo: bool = False) -> Taught:
    """Add `phrase` to the section in `folder`/topics.yaml (or, with `undo`, take it out)."""
    phrase = check_phrase(phrase)
    path = folder / TOPICS_FILE_NAME
    original = path.read_text(encoding="utf-8") if path.is_file() else ""
    try:
        data = _yaml().load(original) if original.strip() else CommentedMap()
    except YAMLError as error:
        raise TeachError(f"{path} is not valid YAML ({error}); fix it first (`staffroom policies check`).") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise TeachError(f"{path} should hold policy titles as keys; fix it first (`staffroom policies check`).")
    in_place = (_remove_in_place if undo else _append_in_place)(original, data, section, phrase)
    if not _edit_data(data, section, phrase, undo):
        return Taught(False, path)
    expected = _plain_data(data)
    written = in_place if in_place is not None and _reads_as(in_place, expected) else _dump(data, original)
    if not _reads_as(written, expected):
        raise TeachError(f"{path} could not be changed safely; nothing was written.")
    _, problems = _read_back(written, folder, library)
    if problems:
        raise TeachError(f"{path} would not be valid afterwards, so nothing was written:\n"
                         + "\n".join(str(p) for p in problems))
    replace_file(path, written)
    return Taught(True, path)


def _dump(data: CommentedMap, original: str) -> str:
    out = io.StringIO()
    if not original.strip():
        out.write(_HEADER + "\n")
    _yaml().dump(data, out)
    return out.getvalue()


def _reads_as(text: str, expected: Any) -> bool:
    try:
        loaded = _yaml().load(text) if text.strip() else CommentedMap()
    except YAMLError:
        return False
    return bool(_plain_data(loaded if loaded is not None else {}) == expected)


def _read_back(text: str, folder: Path, library: PolicyLibrary) -> tuple[object, list[Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        trial = Path(scratch) / TOPICS_FILE_NAME
        trial.write_text(text, encoding="utf-8")
        return read_topics(trial, library)
