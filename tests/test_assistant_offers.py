"""Request forms offered under policy answers: only where the answer quotes the section they rest on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.assistant import START_REQUEST
from bot.messages import ButtonsBlock, Reply
from bot.root import Root
from bot.school import demo_school_folder
from bot.settings import Settings


def offered_types(reply: Reply) -> list[str]:
    """The request type each form-opening button under the answer names."""
    return [json.loads(b.value)["type"] for blk in reply.blocks if isinstance(blk, ButtonsBlock)
            for b in blk.buttons if b.action_id == START_REQUEST]


def test_an_answer_quoting_the_equipment_section_offers_the_loan_form() -> None:
    assistant = Root(Settings(), policies=demo_school_folder()).assistant()
    answer = assistant.answer("can I borrow a laptop to work at home?")
    assert str(answer.citations[0]) == "Working from Home Policy · 8.1 Equipment"
    assert offered_types(answer.reply) == ["equipment_loan"]


def test_other_answers_offer_no_loan_form() -> None:
    assistant = Root(Settings(), policies=demo_school_folder()).assistant()
    answer = assistant.answer("who do I contact about IT problems?")
    assert answer.answered
    assert all(c.section != "8.1" for c in answer.citations)
    assert "equipment_loan" not in offered_types(answer.reply)


def test_help_names_the_requests_this_school_offers(tmp_path: Path) -> None:
    demo = Root(Settings(), policies=demo_school_folder()).assistant().answer("help").reply.text
    assert "ask to work from home, borrow equipment, ask for leave or go on a course" in demo
    # A folder of policies without school.yaml offers no requests, and its help doesn't promise any.
    for policy in demo_school_folder().glob("*.md"):
        shutil.copy(policy, tmp_path / policy.name)
    plain = Root(Settings(), policies=tmp_path).assistant().answer("help").reply.text
    assert "quoting the policy" in plain and "You can also" not in plain and "request" not in plain
