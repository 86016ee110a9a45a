"""What an answer's 👍/👎 buttons carry: signed, within Slack's 2,000 characters, and refused when altered."""

from __future__ import annotations

from datetime import date

import pytest

from bot.questions.carried import MAX_VALUE_CHARS, PREFIX, CarriedQuestion, is_carried, seal, unseal
from bot.questions.log import CLOSEST_KEPT, MAX_TEXT_CHARS

KEY = bytes(range(32))
SCHOOL = "oakfield"
DAY = date(2026, 11, 30)
CLOSEST = ("Working from Home Policy · 8.2 IT support", "Remote Learning Policy for staff · Who to Contact")


def carried(text: str, closest: tuple[str, ...] = CLOSEST) -> CarriedQuestion:
    return CarriedQuestion("Zq3u0bQhxZ0Yl6pIu1p8Ag", DAY, text, closest)


def test_what_is_sealed_is_what_is_opened() -> None:
    question = carried("who do I contact about IT? \"quoted\" \\ back-slashed, ça, 😀")
    value = seal(KEY, SCHOOL, question)
    assert is_carried(value) and value.isascii()
    assert unseal(KEY, SCHOOL, value) == question


@pytest.mark.parametrize("text", [
    "who do I contact about IT? " + "my laptop keeps failing. " * 150,
    "ça ne marche pas 😀 " * 200,
    "\u0000\u001f\"\\" * 400,
])
def test_a_long_question_is_shortened_to_fit_a_slack_button(text: str) -> None:
    value = seal(KEY, SCHOOL, carried(text))
    assert len(value) <= MAX_VALUE_CHARS
    opened = unseal(KEY, SCHOOL, value)
    assert opened is not None and opened.closest == CLOSEST
    assert text.startswith(opened.text) and len(opened.text) >= 100
    # All the log would keep, or cut no shorter than one more character (at most 12 escaped) would overflow.
    assert opened.text == text[:MAX_TEXT_CHARS] or len(value) > MAX_VALUE_CHARS - 12


def test_a_question_that_fits_is_carried_whole_up_to_what_the_log_keeps() -> None:
    text = "x" * (MAX_TEXT_CHARS + 50)
    opened = unseal(KEY, SCHOOL, seal(KEY, SCHOOL, carried(text)))
    assert opened is not None and opened.text == "x" * MAX_TEXT_CHARS


def test_long_citations_far_from_ascii_still_fit() -> None:
    closest = tuple("Политика работы из дома · " + "раздел " * 40 for _ in range(CLOSEST_KEPT + 2))
    value = seal(KEY, SCHOOL, carried("кто отвечает за ИТ? " * 60, closest))
    assert len(value) <= MAX_VALUE_CHARS
    opened = unseal(KEY, SCHOOL, value)
    assert opened is not None and 0 < len(opened.closest) <= CLOSEST_KEPT


def test_another_key_or_school_or_an_edit_is_refused() -> None:
    value = seal(KEY, SCHOOL, carried("who do I contact about IT?"))
    assert unseal(bytes(32), SCHOOL, value) is None
    assert unseal(KEY, "elsewhere", value) is None
    assert unseal(KEY, SCHOOL, value.replace("contact", "contract")) is None
    assert unseal(KEY, SCHOOL, value[:-1]) is None


@pytest.mark.parametrize("value", ["", "not-a-token", PREFIX, PREFIX + ".", PREFIX + "..", PREFIX + "é.[]",
                                   PREFIX + "abc.{\"a\":1}", "q1.\u0000.\u0000"])
def test_junk_is_refused_without_an_error(value: str) -> None:
    assert unseal(KEY, SCHOOL, value) is None
