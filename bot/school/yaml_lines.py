"""YAML loading that remembers the line of every key and list item, for error messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from intents.guarded_yaml import GuardedLoader

#: A place in a loaded document: keys and list indexes from the root, e.g. ("staff", 3, "email").
Location = tuple[str | int, ...]


def _record_lines(node: yaml.Node, path: Location, lines: dict[Location, int], seen: set[int]) -> None:
    if id(node) in seen:
        return  # an alias: its lines were recorded where its anchor is (never expand it again)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
            lines[key_path] = key_node.start_mark.line + 1
            _record_lines(value_node, key_path, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            _record_lines(item, item_path, lines, seen)


def load_yaml_with_lines(text: str) -> tuple[Any, dict[Location, int]]:
    """Parse one YAML document safely (aliases limited, impossible dates reported with their line);
    return the data and a map from location to line (1-based)."""
    loader = GuardedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Location, int] = {(): node.start_mark.line + 1}
        _record_lines(node, (), lines, set())
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def find_line(lines: Mapping[Location, int], location: Location) -> int:
    """The line of `location`, or of its nearest recorded parent (0 when nothing is known)."""
    for length in range(len(location), -1, -1):
        line = lines.get(location[:length])
        if line is not None:
            return line
    return 0


def format_location(location: Location) -> str:
    """A field path as a person reads it: staff[3].line_manager."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
