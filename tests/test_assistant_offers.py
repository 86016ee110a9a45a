"""Request forms offered under policy answers: only where the answer quotes the section they rest on."""

from __future__ import annotations

from bot.assistant import START_LOAN
from bot.messages import ButtonsBlock, Reply
from bot.root import Root
from bot.school import demo_school_folder
from bot.settings import Settings


def button_actions(reply: Reply) -> list[str]:
    return [b.action_id for blk in reply.blocks if isinstance(blk, ButtonsBlock) for b in blk.buttons]


def test_an_answer_quoting_the_equipment_section_offers_the_loan_form() -> None:
    assistant = Root(Settings(), policies=demo_school_folder()).assistant()
    answer = assistant.answer("can I borrow a laptop to work at home?")
    assert str(answer.citations[0]) == "Working from Home Policy · 8.1 Equipment"
    assert button_actions(answer.reply) == [START_LOAN]


def test_other_answers_offer_no_loan_form() -> None:
    assistant = Root(Settings(), policies=demo_school_folder()).assistant()
    answer = assistant.answer("who do I contact about IT problems?")
    assert answer.answered
    assert all(c.section != "8.1" for c in answer.citations)
    assert START_LOAN not in button_actions(answer.reply)
