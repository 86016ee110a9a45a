"""Section keywords: how a school's staff refer to what each policy section covers.

Read from `topics.yaml` beside the policies: policy title -> section (number or
heading) -> words and phrases. They are matched as if they were in the
section's heading, so "wifi down" finds "8.2 IT support".
"""

from __future__ import annotations

from pathlib import Path

import yaml

from intents.policy_library import PolicyLibrary, Problem
from intents.yaml_loader import FAST_LOADER

TOPICS_FILE_NAME = "topics.yaml"

#: (document title, section number or heading) -> keywords
SectionKeywords = dict[tuple[str, str], list[str]]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def read_topics(path: Path, library: PolicyLibrary) -> tuple[SectionKeywords, list[Problem]]:
    """Parse a topics file, checking every key names a real section."""
    if not path.is_file():
        return {}, []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=FAST_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(path, mark.line + 1 if mark else 1, f"not valid YAML: {error}")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [Problem(path, _line(root), "expected policy titles as keys")]
    known = {
        (section.document, key)
        for section in library.sections()
        for key in (section.number, section.heading)
        if key
    }
    titles = {document.title for document in library.documents}
    keywords: SectionKeywords = {}
    problems: list[Problem] = []
    for title_node, sections_node in root.value:
        title = str(title_node.value)
        if title not in titles:
            problems.append(Problem(path, _line(title_node), f"no policy titled '{title}'"))
            continue
        if not isinstance(sections_node, yaml.MappingNode):
            problems.append(Problem(path, _line(sections_node), "expected sections as keys"))
            continue
        for section_node, words_node in sections_node.value:
            section = str(section_node.value)
            if (title, section) not in known:
                problems.append(Problem(path, _line(section_node), f"'{title}' has no section '{section}'"))
                continue
            if not isinstance(words_node, yaml.SequenceNode) or not all(
                isinstance(item, yaml.ScalarNode) for item in words_node.value
            ):
                problems.append(Problem(path, _line(words_node), "expected a list of words and phrases"))
                continue
            keywords[(title, section)] = [str(item.value) for item in words_node.value]
    return keywords, problems
