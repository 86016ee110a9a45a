"""Which passages a policy answer quotes: the best, the close ones, then others while the reply has room."""

from __future__ import annotations

from bot.answers import MAX_ANSWER_CHARS, choose_passages, compose_policy_answer
from intents.policy_library import Citation, Passage
from intents.routing import Intent, Match, Routing

BEREAVEMENT = "Bereavement Policy"


def _passage(section: str, body: str, line: int) -> Passage:
    return Passage(Citation(BEREAVEMENT, section, "Death of a pupil" if section == "5" else "Staff support"), body, (), line)


def test_a_passage_scoring_a_third_of_the_best_is_still_quoted_while_the_reply_has_room() -> None:
    """A question worded unlike the policy often puts the passage that answers it well below the best: "what
    shouldn't I say to a grieving child" met the tips' "Don't" row at a third of the score of the section's
    opening."""
    best = _passage("5", "The headteacher tells the class, with the family's agreement, in the same words to all.", 1)
    tips = _passage("5", "Don't: say you know how they feel, or that they will get over it.", 4)
    other = _passage("7", "Staff can talk to the employee assistance programme at any time.", 9)
    matches = (Match(best, 0.9), Match(other, 0.18), Match(tips, 0.3))  # a fifth, a third of the best

    passages, _ = choose_passages(matches)

    assert tips in passages and other not in passages
    answer = compose_policy_answer(Routing(Intent.POLICY, 0.9, matches))
    first_block = answer.blocks[0].text
    assert "Don't: say you know how they feel" in first_block  # the same section's passages are quoted together
    assert len(answer.text) <= MAX_ANSWER_CHARS
