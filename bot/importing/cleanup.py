"""What a reader skips, taken out of an outline; headings given their levels and made unique.

Dropped: tables of contents, dot leaders, signature lines, "printed copies may be out of date"
notices, and the cover's dates and approvals (which give the front matter's `review`). Each
heading gets its level (Word's heading styles, else its number's depth, else how prominent it
looks); a heading with no text under it becomes a paragraph, and a repeated heading is told
apart, so the written file passes `staffroom policies check`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.importing.outline import Block, Outline
from bot.importing.passages import sentences
from bot.importing.wording import SCHOOL_NAME as _SCHOOL
from bot.importing.wording import SECTION_WORD as _SECTION_WORD
from bot.importing.wording import Vocabulary, fold, is_blank_field

_LEADER = re.compile(r"(\.\s?){4,}|…{2,}|_{5,}|Error! Bookmark not defined")
#: A heading that names what kind of document it heads.
_NAMES_A_DOCUMENT = re.compile(r"\b(polic(y|ies)|procedures?|handbook|guidance|statement|plan)\b", re.I)
#: A template's blank to fill in: "(Academy Name)", "[School name]", "<insert date>".
_PLACEHOLDER = re.compile(
    r"[\(\[<]\s*(?:insert\s+)?(?:the\s+)?(?:academy|school|setting|trust|nursery|organisation)(?:'s)?\s+name\s*[\)\]>]",
    re.I,
)
_CONTENTS = re.compile(r"^(table of )?contents?:?$|^index$", re.I)
#: The column label over a table of contents' page numbers.
_PAGE_LABEL = re.compile(r"^(page|pages|page no\.?|page number)$", re.I)
_TOC_ENTRY = re.compile(r"\s\d{1,3}$")
_BOILERPLATE = re.compile(
    r"printed copies|uncontrolled (copy|document|when printed)|(document|copy) is uncontrolled"
    r"|check the (intranet|website|shared drive) for the (latest|current) version",
    re.I,
)
_SIGNATURE_LINE = re.compile(r"^[\s.…_\-–:]+$")
_SIGNATURE_WORDS = re.compile(r"\b(date|dated|signed|signature|chair|head ?teacher|governors?|principal|name)\b", re.I)
_COVER_FIELD = re.compile(
    r"^(date (of )?(adoption|adopted|approval|approved|ratified|ratification|issue|issued|policy|review|next review)"
    r"|(date of )?next review|review(ed)? (date|by|due|frequency|cycle|period)"
    r"|to be (reviewed|ratified|approved|adopted)|approved( by)?|ratified( by)?|adopted( by)?"
    r"|last (reviewed|updated|review)|policy (owner|lead|author|date|version)"
    r"|version( number| no\.?)?|status|author|owner|amended|updated|date|responsible|reviewer|committee)\b",
    re.I,
)
_REVIEW = re.compile(
    r"(?<!last )(next review|review date|date of (the )?(next )?review|to be reviewed|review due|due for review"
    r"|renewal date|^review:)",
    re.I,
)
_DATE_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{2,4}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b(autumn|spring|summer)( term)?\s+\d{4}\b|\b(19|20)\d{2}\b",
    re.I,
)
_CONTROL_LOG = re.compile(
    r"^(document |policy )?(version|revision|change|amendment)s? (control|history|record|log)( log)?:?$", re.I
)
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")
_TABLE_LEAD = re.compile(r"\b(below|following|as follows|this table|the table)\b", re.I)
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from"}


@dataclass
class Tidied:
    """An outline ready to write: its blocks, and what the cover said."""

    title: str
    school: str
    review: str
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)


def tidy(outline: Outline) -> Tidied:
    blocks = _without_contents_lists(_without_contents(outline.blocks))
    blocks, cover, school = _without_cover_fields(blocks)
    cover = outline.cover_lines + cover
    title = outline.title
    if not title:
        # The first heading near the start, unless it is a section's ("1. Consent") and a cover line names the
        # document ("(Academy Name) Photography and Video Policy").
        heading, rest = _first_heading_as_title(blocks)
        on_cover = _title_on_cover(cover)
        if on_cover and not _NAMES_A_DOCUMENT.search(heading):
            title = on_cover
        else:
            title, blocks = heading, rest
    title = readable_title(fold(title) or _title_from_file_name(outline.file_name))
    blocks = [b for b in blocks if not (b.kind == "heading" and fold(b.text).lower() == title.lower() and b.page <= 2)]
    blocks = _form_fields(blocks)
    notes = list(outline.notes)
    _mend_mistyped_numbers(blocks, notes)
    assign_levels(blocks)
    blocks = _rows_under_their_lead(_headings_with_text(blocks))
    blocks = _unique_headings(blocks, notes, title)
    return Tidied(title, outline.school or school, _review(cover, blocks), blocks, notes)


def _without_contents(blocks: list[Block]) -> list[Block]:
    kept: list[Block] = []
    in_contents = False
    after_signature = False
    for block in blocks:
        text = block.text
        if _CONTROL_LOG.match(text):
            continue
        if _CONTENTS.match(text):
            in_contents = True
            continue
        if in_contents and (
            ((_TOC_ENTRY.search(text) or _LEADER.search(text)) and len(text) < 200) or _PAGE_LABEL.match(text)
        ):
            continue
        in_contents = False
        if _LEADER.search(text) and len(text.split()) <= 25:
            continue
        if _SIGNATURE_LINE.match(text):
            after_signature = True
            continue
        if after_signature and len(text.split()) <= 8 and _SIGNATURE_WORDS.search(text):
            continue
        after_signature = False
        if re.match(r"^(signed|signature)\b", text, re.I) and len(text.split()) <= 10:
            continue
        if _BOILERPLATE.search(text) and len(text.split()) <= 40:
            continue
        kept.append(block)
    return kept


def _entry(text: str) -> str:
    """A contents entry or heading reduced to its letters and numbers, page number dropped."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"[\s.…_]*\d{0,3}$", "", fold(text)).lower())


def _without_contents_lists(blocks: list[Block]) -> list[Block]:
    """A list of the headings that follow (a table of contents without page numbers) is left out.

    A run of short lines on the first pages, at least half of which (and three or more) name a
    heading further on, is a table of contents.
    """
    later: list[set[str]] = []
    seen: set[str] = set()
    for block in reversed(blocks):
        later.append(set(seen))
        if block.kind == "heading":
            seen.add(_entry(block.text))
    later.reverse()
    dropped: set[int] = set()
    for position, block in enumerate(blocks):
        # The whole contents read as one paragraph (its lines run together): it names three or more
        # of the headings that follow and ends with a page number.
        if block.kind != "heading" and block.page <= 3 and re.search(r"\d$", block.text):
            run_together = _entry(block.text + " 0")
            if sum(1 for entry in later[position] if len(entry) > 6 and entry in run_together) >= 3:
                dropped.add(position)
    run: list[int] = []
    for position, block in enumerate([*blocks, Block("heading", "")]):
        listed = position < len(blocks) and _entry(block.text) in later[position]
        if block.page <= 3 and len(block.text.split()) <= 15 and (block.kind != "heading" or listed):
            run.append(position)
            continue
        matches = sum(1 for i in run if _entry(blocks[i].text) in later[i])
        if matches >= 3 and matches >= len(run) / 2:
            dropped.update(run)
        run = []
    return [block for position, block in enumerate(blocks) if position not in dropped]


def _without_cover_fields(blocks: list[Block]) -> tuple[list[Block], list[str], str]:
    """Cover lines (dates, approvals, the school's name) from the first pages, taken out of the text.

    A short line on the first page before any text is cover matter, unless it is a sentence ("Applies to: all
    staff engaged with the school."): that is the policy's own wording, and is kept.
    """
    kept: list[Block] = []
    cover: list[str] = []
    school = ""
    body_started = False
    for block in blocks:
        early = block.page <= 2
        words = len(block.text.split())
        if early and words <= 20 and _COVER_FIELD.match(block.text) and ":" in block.text[:60]:
            cover.append(block.text)
            continue
        if early and not body_started and words <= 8 and _SCHOOL.match(block.text):
            school = school or block.text
            continue
        sentence = words >= 6 and block.text.rstrip().endswith(".")
        first_lines = block.page <= 1 and not body_started and not kept and block.kind != "heading"
        if first_lines and words <= 12 and not sentence:
            cover.append(block.text)
            continue
        if words > 15:
            body_started = True
        kept.append(block)
    return kept, cover, school


def _review(cover: list[str], blocks: list[Block]) -> str:
    for text in [*cover, *(b.text for b in blocks if len(b.text) < 300)]:
        if _REVIEW.search(text) and _DATE_WORD.search(text):
            return fold(text)
    return ""


def _first_heading_as_title(blocks: list[Block]) -> tuple[str, list[Block]]:
    """The first heading near the start is the title; when it is a letterhead ("Wickwar Out of School Club")
    straight above a heading naming the document ("Data Protection Policy"), that one is, and both go."""
    for position, block in enumerate(blocks[:5]):
        if block.kind == "heading" and block.page <= 2:
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if (
                following is not None
                and following.kind == "heading"
                and _NAMES_A_DOCUMENT.search(following.text)
                and not _NAMES_A_DOCUMENT.search(block.text)
            ):
                return following.text, blocks[:position] + blocks[position + 2 :]
            return block.text, blocks[:position] + blocks[position + 1 :]
    return "", blocks


def _title_on_cover(cover: list[str]) -> str:
    """A cover line naming the document ("(Academy Name) Photography and Video Policy"), without the template's
    placeholder in brackets, when no heading gave the title."""
    for line in cover:
        named = fold(_PLACEHOLDER.sub(" ", line))
        if _NAMES_A_DOCUMENT.search(named) and len(named.split()) <= 10 and ":" not in named:
            return named
    return ""


def _title_from_file_name(name: str) -> str:
    stem = Path(name).stem
    words = re.sub(r"[_\-]+", " ", stem).split()
    return " ".join(word if word.isupper() else word.capitalize() for word in words) or "Policy"


def readable_title(title: str) -> str:
    """A title in capitals put in title case ("HEALTH AND SAFETY POLICY" → "Health and Safety Policy")."""
    letters = [c for c in title if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return title
    vocabulary = Vocabulary()
    words = []
    for position, word in enumerate(title.split()):
        core = re.sub(r"[^A-Za-z]", "", word)
        if core and core == word and vocabulary.is_word(core):
            lowered = word.lower()
            words.append(lowered if position and lowered in _SMALL_WORDS else word.capitalize())
        elif core and word.strip("()").isalpha() and len(core) > 4 and vocabulary.is_word(core):
            words.append(word.lower().replace(core.lower(), core.capitalize(), 1))
        else:
            words.append(word)  # an abbreviation such as (H&S) or SEND stays as written
    return " ".join(words)


def assign_levels(blocks: list[Block]) -> None:
    """Give every heading its level: Word's style level, else its number's depth, else its prominence."""
    display = _display_titles(blocks)
    # Open headings: (level, strength, numbered)
    stack: list[tuple[int, float, bool]] = []
    opened: list[Block] = []  # the heading each stack entry stands for
    for block in blocks:
        if block.kind != "heading":
            continue
        for position, heading in enumerate(opened):
            if id(heading) in display and heading.page < block.page:
                del stack[position:], opened[position:]  # a poster's title heads its own page only
                break
        numbered = _NUMBERED.match(block.text)
        styled = block.level  # Word's heading style gives the level; else it is worked out here
        if block.level:
            level = block.level
            while stack and stack[-1][0] >= level:
                stack.pop()
        elif numbered:
            # "2.0 Aims" heads section 2, as "2 Aims" would: "2.1" goes under it.
            depth = re.sub(r"(\.0)+$", "", numbered.group(1)).count(".") + 1
            while stack and (stack[-1][2] or stack[-1][1] <= block.strength):
                stack.pop()
            level = depth + (stack[-1][0] if stack else 0)
        elif _SECTION_WORD.match(block.text):
            stack.clear()
            level = 1
        else:
            while stack and stack[-1][1] <= block.strength and not (stack[-1][2] and stack[-1][1] >= block.strength):
                stack.pop()
            level = stack[-1][0] + 1 if stack else 1
        block.level = min(level, 5)
        # "Section 2", "Appendix A": nothing but another such heading closes them.
        strength = block.strength + (100 if _SECTION_WORD.match(block.text) and not styled else 0)
        del opened[len(stack):]
        stack.append((block.level, strength, bool(numbered)))
        opened.append(block)


def _display_titles(blocks: list[Block]) -> set[int]:
    """A one-off title set far larger than every other heading after the first page (a pupils' class charter
    poster in 22pt): it heads the headings on its own page, not the rest of the document after it.
    """
    headings = [b for b in blocks if b.kind == "heading" and not b.level and b.strength]
    if len(headings) < 3:
        return set()
    largest = max(headings, key=lambda b: b.strength)
    others = [b.strength for b in headings if b is not largest]
    if (
        largest.page <= 1
        or largest is headings[0]  # the document's own title, at its start, heads the whole document
        or largest.strength < max(others) + 4  # 2pt larger than any other heading
        or _SECTION_WORD.match(largest.text)
        or _NUMBERED.match(largest.text)
    ):
        return set()
    return {id(largest)}


def _form_fields(blocks: list[Block]) -> list[Block]:
    """A form's empty fields ("Name:", "Line Manager: Date:") are its text, not headings; fields one under another
    are one passage ("Name: Role: Date:"), so a form reads as the lines of a form.

    A line ending with a colon over a list or a table introduces it and stays as it is; a heading on
    its own ending with a colon ("Procedure:") with its text under it stays a heading, but with a
    heading or nothing after it ("Class:" at the foot of a charter to sign) it is a field.
    """
    fields = [
        block.kind != "item" and is_blank_field(block.text)
        and not (following is not None and (following.kind == "item" or following.row))
        for block, following in itertools.zip_longest(blocks, blocks[1:])
    ]
    result: list[Block] = []
    for position, block in enumerate(blocks):
        if not fields[position]:
            result.append(block)
            continue
        beside = (position > 0 and fields[position - 1]) or (position + 1 < len(blocks) and fields[position + 1])
        following = blocks[position + 1] if position + 1 < len(blocks) else None
        heads_text = following is not None and following.kind != "heading"  # else a field left to fill in
        if block.kind == "heading" and not beside and block.text.count(":") < 2 and heads_text:
            result.append(block)
            continue
        back = len(result)
        while back and result[back - 1].kind == "heading" and re.search(r"[.?:]$", result[back - 1].text):
            # Questions or instructions straight over a form's fields are its prompts, not headings.
            back -= 1
            result[back] = Block("paragraph", result[back].text, page=result[back].page)
        if position > 0 and fields[position - 1] and result[-1].page >= block.page - 1:
            result[-1] = Block("paragraph", f"{result[-1].text} {block.text}", page=result[-1].page)
        else:
            result.append(Block("paragraph", block.text, page=block.page))
    return result


def _successor(number: str) -> str:
    """The number of the next section at the same depth: "3.3" → "3.4"."""
    *parents, last = number.split(".")
    return ".".join([*parents, str(int(last) + 1)])


def _mend_mistyped_numbers(blocks: list[Block], notes: list[str]) -> None:
    """A section number typed with a comma for its dot ("3,4 Employment Offer") is read as the number it is.

    Only where the headings around it say so: the numbered heading before it is the section before
    ("3.3"), or the one after it is the section after ("3.5"), and no other heading has the number.
    """
    headings = [block for block in blocks if block.kind == "heading"]
    numbers = [_split(block.text)[0] for block in headings]
    for position, block in enumerate(headings):
        match = re.match(r"(\d+(?:\.\d+)*),(\d+)(\s+)(?=[A-Z])", block.text)
        if not match or numbers[position]:
            continue
        number = f"{match.group(1)}.{match.group(2)}"
        before = next((n for n in reversed(numbers[:position]) if n), "")
        after = next((n for n in numbers[position + 1 :] if n), "")
        if number in numbers or not (
            (before and _successor(before) == number) or (after and _successor(number) == after)
        ):
            continue
        written = block.text
        block.text = f"{number}{block.text[match.end(2):]}"
        numbers[position] = number
        notes.append(f"the heading '{written}' is read as section {number}: check the document's numbering")


def _headings_with_text(blocks: list[Block]) -> list[Block]:
    """A heading with nothing under it (not even a deeper heading) is kept as a paragraph."""
    result: list[Block] = []
    for position, block in enumerate(blocks):
        if block.kind == "heading":
            following = blocks[position + 1] if position + 1 < len(blocks) else None
            if following is None or (following.kind == "heading" and following.level <= block.level):
                result.append(Block("paragraph", block.text, page=block.page))
                continue
        result.append(block)
    return result


def _rows_under_their_lead(blocks: list[Block]) -> list[Block]:
    """A table's rows under the paragraph that introduces it become that paragraph's list.

    "The table below identifies the model risk assessments:" is then quoted with each row, as a
    line introducing a bulleted list is, so a row is never quoted without what it is a row of.
    A table straight under its heading, or after a paragraph about something else, stays rows.
    """
    result: list[Block] = []
    lead: Block | None = None
    for block in blocks:
        if block.row and lead is not None:
            result.append(Block("item", block.text, depth=0, page=block.page, row=True))
            continue
        if not block.row:
            lead = block if block.kind == "paragraph" and _introduces_table(block.text) else None
        result.append(block)
    return result


def _introduces_table(text: str) -> bool:
    last = sentences(text)[-1] if text.strip() else ""
    return bool(re.search(r"(:|:\s*[-–])$", last.rstrip()) or _TABLE_LEAD.search(last))


def _split(heading: str) -> tuple[str, str]:
    match = _NUMBERED.match(heading)
    return (match.group(1), match.group(2).strip()) if match else ("", heading.strip())


def _unique_headings(blocks: list[Block], notes: list[str], title: str) -> list[Block]:
    """A section number or heading used twice is told apart by where it sits, as the check requires."""
    numbers: set[str] = set()
    names: dict[str, int] = {}
    if blocks and blocks[0].kind != "heading":
        names[f"/{title}".lower()] = 1  # text before the first heading is filed under the title
    stack: list[tuple[int, str]] = []
    for block in blocks:
        if block.kind != "heading":
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        number, heading = _split(block.text)
        if number and number in numbers:
            # An appendix numbering from 1 again is told apart by its heading; a number the document
            # gives twice by mistake ("9. Formal Procedure", "9. Probation") is left off the second.
            context = next((text for _, text in reversed(stack) if not _NUMBERED.match(text)), "")
            written = block.text
            block.text = f"{context}: {block.text}" if context else heading
            notes.append(f"section number {number} is used twice; the second ('{written}') is headed '{block.text}'")
            number, heading = _split(block.text)
        if number:
            numbers.add(number)
        else:
            key = f"{parent}/{heading}".lower()
            names[key] = names.get(key, 0) + 1
            if names[key] > 1:
                block.text = f"{block.text} ({names[key]})"
                heading = block.text
        stack.append((block.level, _split(block.text)[1]))
    return blocks
