"""Request forms offered under policy answers: only where the answer quotes the section they rest on."""

from __future__ import annotations

import json

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
