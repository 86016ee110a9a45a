"""Choosing what to quote measures candidate replies without building them: the measure is the reply's length."""

from __future__ import annotations

import random

from bot.answers import _Lengths, _render, group_quotes
from intents.policy_library import PolicyLibrary


def test_the_measured_length_is_the_rendered_length(library: PolicyLibrary) -> None:
    passages = library.passages
    assert any(p.lead for p in passages)  # lists, whose lead lines are quoted once, are among them
    citations = [p.citation for p in passages]
    pick = random.Random(13)
    lengths = _Lengths()  # shared across candidates, as while choosing: what it remembers must stay right
    for size in (1, 2, 3, 5, 8) * 40:
        chosen = pick.sample(passages, size)
        also = pick.sample(citations, pick.choice((0, 0, 1, 2)))
        assert lengths.reply(chosen, also) == len(_render(group_quotes(chosen), also))
