"""YAML for files a school edits (school.yaml, a policy's front matter): safe, small, and every mistake a place.

PyYAML's safe loader still expands aliases — a "billion laughs" file of a few lines grew to
gigabytes once something walked it — and turns a date that doesn't exist (2026-02-30) into
a bare ValueError with no line. `GuardedLoader` refuses more than `MAX_ALIASES` aliases and
reports an impossible date as a YAML error with its line, like any other YAML mistake.
"""

from __future__ import annotations

from typing import Any

import yaml

#: Anchors may be reused this many times in one document; a school's settings need few if any.
MAX_ALIASES = 20


class GuardedLoader(yaml.SafeLoader):
    """The safe loader, with aliases counted and impossible dates reported where they are."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases_seen = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases (*name): refusing to expand them", event.start_mark
                )
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a real date ({error})", node.start_mark
            ) from None


GuardedLoader.add_constructor("tag:yaml.org,2002:timestamp", GuardedLoader.construct_yaml_timestamp)


def guarded_load(text: str) -> Any:
    """`yaml.safe_load`, guarded: raises `yaml.YAMLError` (with a mark) for every problem above."""
    loader = GuardedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
