"""The policy clauses an approver sees, looked up in the school's policy library."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers import Quote
from bot.errors import ConfigProblem
from bot.messages import QuoteBlock
from bot.school import School
from bot.school.config import PolicyReference
from bot.school.yaml_lines import find_line
from intents.policy_library import Passage, PolicyLibrary


def find_passages(library: PolicyLibrary, reference: PolicyReference) -> list[Passage]:
    """The passages of one section, by document title and section number (never by wording)."""
    return [
        passage
        for passage in library.passages
        if passage.citation.document == reference.document and passage.citation.section == reference.section
    ]


def quote_section(passages: Sequence[Passage]) -> QuoteBlock | None:
    """One quote for a section: bullets that share an introducing line are quoted under it once."""
    if not passages:
        return None
    quote = Quote(passages[0].citation, tuple(passages))
    return QuoteBlock(text=quote.text, citation=str(quote.citation))


def quote_policy(library: PolicyLibrary | None, references: Sequence[PolicyReference]) -> tuple[QuoteBlock, ...]:
    """Quotes for each referenced section that the library holds."""
    if library is None:
        return ()
    quotes = (quote_section(find_passages(library, reference)) for reference in references)
    return tuple(quote for quote in quotes if quote is not None)


def check_policy_references(school: School, library: PolicyLibrary) -> tuple[list[ConfigProblem], list[str]]:
    """Request types pointing at a policy section the library does not have: (problems, warnings).

    A section missing from a policy the folder holds is a mistake (a problem). A whole policy the
    folder doesn't hold yet is a warning: its requests still work, and their cards quote nothing.
    """
    titles = {document.title for document in library.documents}
    problems, warnings = [], []
    for name, request_type in school.config.request_types.items():
        for index, reference in enumerate(request_type.policy):
            if find_passages(library, reference):
                continue
            line = find_line(school.lines, ("request_types", name, "policy", index))
            field = f"request_types.{name}.policy[{index}]"
            if reference.document in titles:
                problems.append(ConfigProblem(school.file, line, field,
                                              f"no section {reference.section} in '{reference.document}'"))
            else:
                warnings.append(str(ConfigProblem(
                    school.file, line, field, f"the folder has no policy titled '{reference.document}', so "
                    f"{name} requests quote nothing from it (they still work)")))
    return problems, warnings
