"""Suggested questions for someone opening the app, drawn from the school's own policy headings.

Each heading with passages becomes a question ("What does the policy say about IT support?");
only questions the router answers from that very section are offered, so a suggestion
never leads to a decline. They are spread over the school's policies and change day by day.
"""

from __future__ import annotations

import re
from datetime import date

from bot.messages import Button, ButtonsBlock, Reply, TextBlock
from intents.router import Router
from intents.routing import Intent

#: The button that asks a suggested question; its value is the question's text.
ASK = "questions.ask"
#: How many suggestions are offered at once.
SUGGESTIONS = 4
#: The longest suggestion (a button label stays readable).
MAX_SUGGESTION_CHARS = 75
INTRO = "Not sure where to start? Try one of these:"
_WORD = re.compile(r"\S+")
#: Headings every policy has that nobody asks about ("Aims", "Monitoring arrangements", "Links with other policies").
_FURNITURE = re.compile(r"^(?:section \d+\s*:\s*)?(?:aims?|purpose|introduction|scope|definitions?|monitoring|review|"
                        r"links? with|related|appendix|contents|references|version|policy statement|"
                        r"statement of intent|legislation)\b", re.IGNORECASE)


def _lower_words(heading: str) -> str:
    """"Keeping Devices Secure" -> "keeping devices secure"; acronyms (IT, SLT, SENDCO) stay."""
    return _WORD.sub(lambda m: m.group(0) if m.group(0)[1:].lower() != m.group(0)[1:] else m.group(0).lower(),
                     heading.strip())


def candidate_questions(router: Router, today: date) -> list[list[str]]:
    """Per policy, in its order: the heading questions the router answers from their own section."""
    per_document: dict[str, list[tuple[bool, str]]] = {}
    for section in router.library.sections():
        if not section.passages or not section.heading.strip() or _FURNITURE.match(section.heading.strip()):
            continue
        heading = section.heading.strip().rstrip(":").strip()
        topic = _lower_words(heading)
        # A heading that is a question ("Why do some children bully?") is the question itself.
        asked = (heading,) if heading.endswith("?") else ()
        for question in (*asked, f"What does the policy say about {topic}?",
                         f"What does the {section.document} say about {topic}?"):
            if question.endswith("??"):
                continue
            if len(question) > MAX_SUGGESTION_CHARS:
                continue
            routing = router.route(question, today)
            if routing.intent is Intent.POLICY and routing.matches and \
                    routing.matches[0].passage.citation == section.citation:
                # A heading of one word ("Duties") says less than "flexible working": those come last.
                per_document.setdefault(section.document, []).append((len(topic.split()) < 2, question))
                break
    chosen = []
    for found in per_document.values():
        fuller = [question for one_word, question in found if not one_word]
        chosen.append(fuller if len(fuller) >= 2 else [question for _, question in found])
    return chosen


def suggest_questions(router: Router, today: date, count: int = SUGGESTIONS) -> list[str]:
    """`count` suggestions taken in turn from each policy, starting at a place that moves each day."""
    documents = candidate_questions(router, today)
    if not documents:
        return []
    start = today.toordinal()
    chosen: list[str] = []
    turn = 0
    while len(chosen) < count and turn < max(len(d) for d in documents) * len(documents):
        questions = documents[turn % len(documents)]
        question = questions[(start + turn // len(documents)) % len(questions)]
        if question not in chosen:
            chosen.append(question)
        turn += 1
    return chosen


def render_suggestions(questions: list[str], intro: str = INTRO) -> Reply:
    """The suggestions as buttons that ask them."""
    if not questions:
        return Reply(text=intro.split(":")[0] + ".", blocks=())
    # One row each: a question a line reads well, and Slack wants one action id per row.
    rows = tuple(ButtonsBlock(buttons=(Button(label=q, action_id=ASK, value=q),)) for q in questions)
    text = intro + "\n" + "\n".join(f"• {q}" for q in questions)
    return Reply(text=text, blocks=(TextBlock(text=intro), *rows))
