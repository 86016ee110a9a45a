"""Irregular word forms (intents/data/irregular_forms.txt): a question and a passage meet through the
word they are forms of, where the stemmer alone would keep them apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from intents.router import Router
from intents.routing import Intent
from intents.text import stem
from policy_text import DEMO_SCHOOL_DIR

TODAY = date(2026, 11, 23)

POLICY = """---
title: Transport Policy
---
## 1. Minibus

The minibus may be driven only by staff who hold a D1 entitlement on their licence.

## 2. Parking

Staff park in the staff car park, never in the bays kept for visitors.
"""


def test_irregular_forms_stem_as_their_word_and_regular_words_are_left_to_the_stemmer() -> None:
    assert stem("driven") == stem("drive")
    assert stem("children") == stem("child")
    assert stem("paid") == stem("pay")
    # A word that is a word in its own right, or one of whose lemmas is regular, is not rewritten.
    assert stem("leaves") == stem("leave")
    assert stem("left") != stem("leave")
    assert stem("media") != stem("medium")
    # An adjective in its own right is not folded onto a verb of another meaning ("broken", not "break").
    assert stem("broken") != stem("break")
    assert stem("broke") != stem("break")


def test_a_noun_in_ancy_or_ence_meets_its_adjective_in_ant_or_ent() -> None:
    assert stem("pregnancy") == stem("pregnant")
    assert stem("absence") == stem("absent")
    assert stem("urgency") == stem("urgent")
    assert stem("frequency") == stem("frequent")
    assert stem("confidence") == stem("confident")
    assert stem("pregnancy") != stem("pregnant".removesuffix("ant"))


def test_a_question_saying_pregnant_finds_the_passage_saying_pregnancy(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "disciplinary.md").write_text(
        "---\ntitle: Disciplinary Policy\n---\n## 3. Fairness\n\nThe procedure is applied fairly, whatever an "
        "employee's religion, disability, or pregnancy and maternity.\n\n## 4. Suspension\n\nSuspension is on full "
        "pay and kept as brief as possible.\n",
        encoding="utf-8",
    )
    routing = Router.from_folder(folder).route(
        "is the disciplinary procedure applied fairly if someone is pregnant?", TODAY
    )
    assert routing.intent is Intent.POLICY
    assert "pregnancy and maternity" in routing.matches[0].passage.text


def test_a_school_break_is_not_a_fault() -> None:
    analyzer = Router.from_folder(DEMO_SCHOOL_DIR).analyzer
    assert all("~issue" not in unit.features for unit in analyzer.units("on duty at break"))
    assert any("~issue" in unit.features for unit in analyzer.units("my laptop is broken"))


def test_a_question_in_one_form_finds_the_passage_in_another(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "transport.md").write_text(POLICY, encoding="utf-8")
    routing = Router.from_folder(folder).route("who is allowed to drive the minibus?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "D1 entitlement" in routing.matches[0].passage.text


BEHAVIOUR = """---
title: Behaviour Policy
---
## 1. Consequences

Playfighting in the first instance leads to a reminder, then time out at the next break.

## 2. Rewards

Children belong to a house and earn house points for kindness.
"""


def test_two_words_written_as_one_in_the_policy_are_read_as_that_word(tmp_path: Path) -> None:
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "behaviour.md").write_text(BEHAVIOUR, encoding="utf-8")
    router = Router.from_folder(folder)
    units = router.analyzer.units("two boys play fighting again")
    assert "playfighting" in [u.surface for u in units]
    routing = router.route("what is the consequence for play fighting?", TODAY)
    assert routing.intent is Intent.POLICY
    assert "Playfighting" in routing.matches[0].passage.text
    # Short words and stopwords are never joined: "be long" is not "belong".
    assert "belong" not in [u.surface for u in router.analyzer.units("will the time out be long")]
    assert "belong" in [u.surface for u in router.analyzer.units("which house do they belong to")]
