"""The policy library: Markdown policy files parsed into sections and passages.

A passage is what the assistant quotes: a paragraph, or a bullet together with
the line that introduces its list (and, for a nested bullet, the bullet above
it). Every passage carries a citation: document title, section number and
heading. The library is built once, at start-up, and never changes after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from intents.guarded_yaml import guarded_load

if TYPE_CHECKING:  # the parser is imported when a policy is read, not by a router loaded from its cache
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: Longest passage the assistant will quote; an answer is at most 1,200 characters.
MAX_PASSAGE_CHARS = 900

_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a passage comes from: "Working from Home Policy · 8.2 IT support"."""

    document: str
    section: str
    heading: str

    def __str__(self) -> str:
        where = f"{self.section} {self.heading}" if self.section else self.heading
        return f"{self.document} · {where}"


@dataclass(frozen=True, slots=True)
class Passage:
    """One quotable piece of a policy, with the lines that give it context."""

    citation: Citation
    body: str
    lead: tuple[str, ...]
    line: int

    @property
    def text(self) -> str:
        """The passage as quoted: the introducing lines, then the bullet or paragraph."""
        if not self.lead:
            return self.body
        lines = [self.lead[0], *(f"• {item}" for item in self.lead[1:]), f"• {self.body}"]
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading of a policy and the passages directly under it."""

    document: str
    number: str
    heading: str
    parent_heading: str
    level: int
    line: int
    passages: tuple[Passage, ...]

    @property
    def citation(self) -> Citation:
        return Citation(self.document, self.number, self.heading)


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """One policy file: its front matter and its sections in order."""

    path: Path
    title: str
    school: str
    source: str
    review: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a policy file, with where it is."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class PolicyFileError(ValueError):
    """A policy folder holds files that cannot be used; `problems` says which and where."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class PolicyLibrary:
    """Every policy of one school, with all passages numbered in reading order."""

    folder: Path
    documents: tuple[PolicyDocument, ...]
    passages: tuple[Passage, ...] = field(default=())

    def sections(self) -> Iterator[Section]:
        for document in self.documents:
            yield from document.sections


def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin)


def _inline_text(token: Token) -> str:
    """The plain text of an inline token, soft line breaks folded to spaces."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _split_heading(text: str) -> tuple[str, str]:
    match = _NUMBERED_HEADING.match(text)
    if match:
        return match.group(1), match.group(2).strip()
    return "", text.strip()


@dataclass
class _OpenSection:
    number: str
    heading: str
    parent_heading: str
    level: int
    line: int
    bodies: list[tuple[str, tuple[str, ...], int]] = field(default_factory=list)


def _read_front_matter(path: Path, token: Token | None, problems: list[Problem]) -> dict[str, Any]:
    if token is None:
        problems.append(Problem(path, 1, "no front matter: the file must start with '---' and a title"))
        return {}
    try:
        data = guarded_load(token.content) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        problems.append(Problem(path, line, f"front matter is not valid YAML: {error}"))
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 2, "front matter must be 'key: value' lines"))
        return {}
    return data


def parse_policy(path: Path, text: str) -> tuple[PolicyDocument | None, list[Problem]]:
    """Parse one policy's Markdown into a document, collecting every problem found."""
    problems: list[Problem] = []
    tokens = _markdown().parse(text)
    front = next((t for t in tokens if t.type == "front_matter"), None)
    meta = _read_front_matter(path, front, problems)
    title = str(meta.get("title") or "").strip()
    if front is not None and not title:
        problems.append(Problem(path, 2, "no title: add 'title: …' to the front matter"))

    open_sections: list[_OpenSection] = []
    heading_stack: list[tuple[int, str]] = []
    # Context for list items: one entry per open list, the line that introduces it.
    lead_stack: list[tuple[str, ...]] = []
    last_paragraph = ""
    item_texts: list[str] = []
    pending_heading: tuple[int, int] | None = None
    in_item_depth = 0

    def current() -> _OpenSection:
        if not open_sections:
            open_sections.append(_OpenSection("", title or path.stem, "", 1, 1))
        return open_sections[-1]

    for index, token in enumerate(tokens):
        line = (token.map[0] + 1) if token.map else 0
        if token.type == "heading_open":
            pending_heading = (int(token.tag[1:]), line)
        elif token.type == "inline" and pending_heading is not None:
            level, hline = pending_heading
            pending_heading = None
            number, heading = _split_heading(_inline_text(token))
            while heading_stack and heading_stack[-1][0] >= level:
                heading_stack.pop()
            parent = heading_stack[-1][1] if heading_stack else ""
            heading_stack.append((level, heading))
            open_sections.append(_OpenSection(number, heading, parent, level, hline))
            last_paragraph = ""
        elif token.type == "bullet_list_open" or token.type == "ordered_list_open":
            if in_item_depth and item_texts:
                lead_stack.append((*lead_stack[-1], item_texts[-1]) if lead_stack else (item_texts[-1],))
            else:
                lead_stack.append((last_paragraph,) if last_paragraph else ())
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if lead_stack:
                lead_stack.pop()
        elif token.type == "list_item_open":
            in_item_depth += 1
        elif token.type == "list_item_close":
            in_item_depth -= 1
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            content = _inline_text(token)
            if not content:
                continue
            if in_item_depth:
                item_texts.append(content)
                lead = lead_stack[-1] if lead_stack else ()
                current().bodies.append((content, lead, line))
            else:
                last_paragraph = content
                current().bodies.append((content, (), line))

    sections, section_problems = _close_sections(path, title, open_sections)
    problems.extend(section_problems)
    if not sections and not problems:
        problems.append(Problem(path, 1, "no sections: add headings such as '## 1. Aims'"))
    if problems:
        return None, problems
    document = PolicyDocument(
        path=path,
        title=title,
        school=str(meta.get("school") or ""),
        source=str(meta.get("source") or ""),
        review=str(meta.get("review") or ""),
        sections=tuple(sections),
    )
    return document, []


def _close_sections(
    path: Path, title: str, open_sections: list[_OpenSection]
) -> tuple[list[Section], list[Problem]]:
    problems: list[Problem] = []
    sections: list[Section] = []
    seen: dict[tuple[str, str], int] = {}
    for position, raw in enumerate(open_sections):
        # Numbered sections are unique by number; unnumbered ones by heading under their parent.
        key = (raw.number, "") if raw.number else ("", f"{raw.parent_heading}/{raw.heading}".lower())
        if key in seen:
            what = f"section {raw.number}" if raw.number else f"section '{raw.heading}'"
            problems.append(Problem(path, raw.line, f"duplicate {what} (first at line {seen[key]})"))
        seen.setdefault(key, raw.line)
        has_children = any(
            later.level > raw.level for later in open_sections[position + 1 : position + 2]
        )
        if not raw.bodies and not has_children:
            problems.append(Problem(path, raw.line, f"empty section '{raw.heading}': it has no text"))
        passages = []
        # A line that introduces a list is quoted with each of its bullets, not on its own.
        leads = {lead for _, lead, _ in raw.bodies}
        for body, lead, line in raw.bodies:
            if (*lead, body) in leads:
                continue
            quoted_length = len(body) + sum(len(item) for item in lead)
            if quoted_length > MAX_PASSAGE_CHARS:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"passage too long to quote ({quoted_length} characters, at most "
                        f"{MAX_PASSAGE_CHARS}): split it into paragraphs or bullets",
                    )
                )
            citation = Citation(title, raw.number, raw.heading)
            passages.append(Passage(citation, body, lead, line))
        sections.append(
            Section(title, raw.number, raw.heading, raw.parent_heading, raw.level, raw.line, tuple(passages))
        )
    return sections, problems


#: Largest policy file read: the longest real policies are a few hundred kilobytes of text.
MAX_POLICY_BYTES = 2_000_000


def read_policy_file(path: Path) -> tuple[PolicyDocument | None, list[Problem]]:
    """Read and parse one file; an unreadable encoding is a problem, not a crash."""
    try:
        size = path.stat().st_size
        if size > MAX_POLICY_BYTES:
            return None, [Problem(path, 0, f"is {size / 1_000_000:.1f} MB; a policy file can be at most "
                                           f"{MAX_POLICY_BYTES // 1_000_000} MB of text: split it into several files")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(path, 0, f"cannot be read: {error.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "unreadable encoding: save the file as UTF-8")]
    if "\x00" in text:
        return None, [Problem(path, text[: text.index("\x00")].count("\n") + 1, "binary content, not text")]
    return parse_policy(path, text)


def check_policy_folder(folder: Path) -> tuple[list[PolicyDocument], list[Problem]]:
    """Parse every `*.md` policy in a folder; return the documents and all problems."""
    if not folder.exists():
        return [], [Problem(folder, 0, "no such folder")]
    if not folder.is_dir():
        return [], [Problem(folder, 0, "not a folder of policy files")]
    files = sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")
    if not files:
        return [], [Problem(folder, 0, "no policy files (*.md) in this folder")]
    documents: list[PolicyDocument] = []
    problems: list[Problem] = []
    titles: dict[str, Path] = {}
    for path in files:
        document, found = read_policy_file(path)
        problems.extend(found)
        if document is None:
            continue
        if document.title in titles:
            problems.append(
                Problem(path, 2, f"duplicate title '{document.title}' (also in {titles[document.title].name})")
            )
            continue
        titles[document.title] = path
        documents.append(document)
    return documents, problems


def load_library(folder: Path) -> PolicyLibrary:
    """Load a school's policy folder, or raise `PolicyFileError` naming every problem."""
    documents, problems = check_policy_folder(folder)
    if problems:
        raise PolicyFileError(problems)
    passages = tuple(
        passage for document in documents for section in document.sections for passage in section.passages
    )
    return PolicyLibrary(folder, tuple(documents), passages)
