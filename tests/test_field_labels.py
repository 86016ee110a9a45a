"""Field labels repeated across a section's passages (a table's column headings, as an imported
table's rows read: "Step: 1; Action: …") count once for the section, not in every row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from intents.field_labels import labels_in, repeated_labels, without_labels
from intents.router import Router

TODAY = date(2026, 11, 23)

POLICY = """---
title: Behaviour Policy
---
## 3. Steps

Step: 1; Action: a reminder of the expected behaviour; Recorded by: class teacher

Step: 2; Action: time out in a partner class; Recorded by: class teacher

Step: 3; Action: a meeting with parents; Recorded by: headteacher

## 5. Records

Racist incidents are written in the incident log and recorded by the headteacher.

Rewards are recorded in the class book.
"""


def test_labels_open_the_text_or_a_field() -> None:
    assert labels_in("Step: 1; Action: a reminder: kindly; Recorded by: class teacher") == {
        "step", "action", "recorded by",
    }
    assert labels_in("Staff should note the following: a list") == set()
    assert labels_in("Meet at 10:30 in the hall") == set()


def test_only_labels_repeated_in_the_section_are_taken_out() -> None:
    bodies = ["Term: Data; Definition: any information", "Term: Consent; Definition: a clear yes", "Note: once"]
    labels = repeated_labels(bodies)
    assert labels == {"term", "definition"}
    assert without_labels(bodies[0], labels) == "Data; any information"
    assert without_labels(bodies[2], labels) == "Note: once"


def test_a_column_heading_counts_for_the_section_not_for_each_row(tmp_path: Path) -> None:
    (tmp_path / "behaviour.md").write_text(POLICY, encoding="utf-8")
    router = Router.from_folder(tmp_path)
    index = router.index
    rows = [i for i, p in enumerate(index.passages) if p.body.startswith("Step:")]
    assert len(rows) == 3
    action = router.analyzer.units("action")[0].features
    assert all(action.isdisjoint(index.passage_features[i]) for i in rows)
    assert not action.isdisjoint(index.section_features[index.section_of[rows[0]]])
    # A question sharing a column heading's word with every row is answered by the passage it is about.
    routing = router.route("how are racist incidents recorded?", TODAY)
    assert routing.matches and routing.matches[0].passage.body.startswith("Racist incidents")
