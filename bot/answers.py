"""Policy answers: the router's passages turned into a short, quoted, cited reply.

Only policy text is ever quoted, verbatim; the assistant's own words are
limited to saying where a quote comes from, that the policies don't cover
something, and who to ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.messages import Block, QuoteBlock, TextBlock
from intents.policy_library import Citation, Passage
from intents.routing import Intent, Match, Routing

#: The longest answer text; the evaluation and chat clients both expect short answers.
MAX_ANSWER_CHARS = 1200
#: Other passages are quoted too when they score at least this share of the best.
ALSO_QUOTE_RATIO = 0.8
#: Then, while the reply has room, passages scoring at least this share: a question worded unlike the
#: policy often ranks the passage that answers it just below a neighbour, and a second quote costs little.
ALSO_FILL_RATIO = 0.4
#: Another policy is named ("also covered in") when it scores at least this share of the best.
ALSO_NAME_RATIO = 0.7
#: At most this many quotes (a run of bullets of one list is one quote).
MAX_QUOTES = 4


@dataclass(frozen=True)
class Quote:
    """Passages of one section, quoted together under one citation in the policy's order."""

    citation: Citation
    passages: tuple[Passage, ...]

    @property
    def text(self) -> str:
        """Paragraphs apart; a list's introducing lines once, then its bullets."""
        chunks: list[list[str]] = []
        lead: tuple[str, ...] = ()
        for passage in self.passages:
            if passage.lead and passage.lead == lead and chunks:
                chunks[-1].append(f"• {passage.body}")
            elif passage.lead:
                chunks.append([passage.lead[0], *(f"• {item}" for item in passage.lead[1:]), f"• {passage.body}"])
            else:
                chunks.append([passage.body])
            lead = passage.lead
        return "\n\n".join("\n".join(chunk) for chunk in chunks)


@dataclass(frozen=True)
class PolicyAnswer:
    """What the assistant says to a policy question, before any platform renders it."""

    answered: bool
    text: str
    blocks: tuple[Block, ...]
    citations: tuple[Citation, ...] = field(default=())


def group_quotes(passages: Sequence[Passage]) -> list[Quote]:
    """One quote per section, in the order the sections first come; passages in reading order."""
    by_section: dict[Citation, list[Passage]] = {}
    for passage in passages:
        by_section.setdefault(passage.citation, []).append(passage)
    return [Quote(c, tuple(sorted(ps, key=lambda p: p.line))) for c, ps in by_section.items()]


def _render(quotes: list[Quote], also: list[Citation]) -> str:
    parts = [f"{quote.citation}:\n{quote.text}" for quote in quotes]
    if also:
        parts.append("Also covered in: " + "; ".join(str(c) for c in also) + ".")
    return "\n\n".join(parts)


def _also_named(matches: tuple[Match, ...], chosen: Sequence[Passage]) -> list[Citation]:
    """Other policies that score close to the best, named once each after the quotes."""
    best = matches[0]
    documents = {p.citation.document for p in chosen}
    also: list[Citation] = []
    for match in matches[1:]:
        document = match.passage.citation.document
        if document not in documents and match.score >= ALSO_NAME_RATIO * best.score:
            also.append(match.passage.citation)
            documents.add(document)
    return also


class _Lengths:
    """How long `_render` would make a reply, without building it: each section's quote is worked out
    once per set of its passages (choosing tries many candidate replies that share most of them)."""

    def __init__(self) -> None:
        self._quotes: dict[tuple[int, ...], int] = {}
        self._citations: dict[Citation, int] = {}

    def citation(self, citation: Citation) -> int:
        length = self._citations.get(citation)
        if length is None:
            length = self._citations[citation] = len(str(citation))
        return length

    def reply(self, passages: Sequence[Passage], also: Sequence[Citation]) -> int:
        """`len(_render(group_quotes(passages), also))`."""
        parts: list[int] = []
        for quote in group_quotes(passages):
            key = tuple(id(p) for p in quote.passages)
            text = self._quotes.get(key)
            if text is None:
                text = self._quotes[key] = len(quote.text)
            parts.append(self.citation(quote.citation) + 2 + text)  # "citation:\n" then the text
        if also:
            parts.append(len("Also covered in: ") + sum(self.citation(c) for c in also) + 2 * (len(also) - 1) + 1)
        return sum(parts) + 2 * (len(parts) - 1)


def choose_passages(matches: tuple[Match, ...]) -> tuple[list[Passage], list[Citation]]:
    """The passages to quote (best first, in reading order within a list) and policies to name.

    Close matches are added in rank order while the whole reply, with the policies it
    names, still fits in `MAX_ANSWER_CHARS`; one that does not fit is skipped, not cut.
    """
    if not matches:
        return [], []
    best = matches[0]
    chosen = [best.passage]
    sections = {best.passage.citation}  # one quote per section
    lengths = _Lengths()
    for ratio in (ALSO_QUOTE_RATIO, ALSO_FILL_RATIO):
        for match in matches[1:]:
            if match.score < ratio * best.score or match.passage in chosen or len(sections) >= MAX_QUOTES:
                continue
            candidate = [*chosen, match.passage]
            if lengths.reply(candidate, _also_named(matches, candidate)) <= MAX_ANSWER_CHARS:
                chosen.append(match.passage)
                sections.add(match.passage.citation)
    also = _also_named(matches, chosen)
    # The best passage's section first, in the policy's own order; then the others by rank.
    primary = sorted((p for p in chosen if p.citation == best.passage.citation), key=lambda p: p.line)
    return primary + [p for p in chosen if p.citation != best.passage.citation], also


def compose_policy_answer(routing: Routing) -> PolicyAnswer:
    """Quote the best passages with their citations, or say plainly the policies don't cover it."""
    if routing.intent is not Intent.POLICY or not routing.matches:
        return compose_decline(routing)
    passages, also = choose_passages(routing.matches)
    quotes = group_quotes(passages)
    text = _render(quotes, also)
    while len(text) > MAX_ANSWER_CHARS and len(quotes) > 1:
        quotes = quotes[:-1]
        text = _render(quotes, also)
    blocks: list[Block] = [QuoteBlock(text=q.text, citation=str(q.citation)) for q in quotes]
    if also:
        blocks.append(TextBlock(text="Also covered in: " + "; ".join(str(c) for c in also) + "."))
    citations = tuple(dict.fromkeys([q.citation for q in quotes] + also))
    return PolicyAnswer(True, text, tuple(blocks), citations)


def compose_decline(routing: Routing) -> PolicyAnswer:
    """No policy answers this: say so, name up to three nearby sections, point to a person.

    About safeguarding, the person is the DSL: the router puts the policy's
    DSL passage first, and it is quoted so the reply never leaves that out.
    """
    nearby = list(dict.fromkeys(m.passage.citation for m in routing.matches))[:3]
    text = "I couldn't find this in the school's policies, so I can't answer it from them."
    if nearby:
        text += " The closest sections are: " + "; ".join(str(c) for c in nearby) + "."
    if routing.safeguarding and routing.matches:
        dsl = routing.matches[0].passage
        quote = QuoteBlock(text=dsl.body, citation=str(dsl.citation))
        lead = text + " For safeguarding, the policy says who to go to:"
        full = f"{lead}\n\n{dsl.citation}:\n{dsl.body}"
        return PolicyAnswer(False, full, (TextBlock(text=lead), quote), (dsl.citation,))
    text += " Your line manager is the best person to ask."
    return PolicyAnswer(False, text, (TextBlock(text=text),), ())
