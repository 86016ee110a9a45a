"""`staffroom policies import`: Word and PDF policies written as Markdown policy files.

Word documents are made here with python-docx (real heading styles, real numbering.xml);
the PDFs are the real Word-exported policies of the zoo (`../shared/zoo/originals`).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from docx.enum.style import WD_STYLE_TYPE
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bot.cli import main
from bot.importing.cleanup import tidy
from bot.importing.outline import Block, Outline
from bot.importing.pdf import _looks_like_heading
from bot.importing.word_numbering import format_number
from bot.importing.wording import Vocabulary
from intents.policy_library import MAX_PASSAGE_CHARS, PolicyDocument, read_policy_file
from tests.pdf_documents import PdfDocument, PdfPage
from tests.word_documents import WordBuilder

ROOT = Path(__file__).resolve().parents[1]
ZOO = ROOT.parent / "shared" / "zoo"
ORIGINALS = ZOO / "originals"
DEMO_SCHOOL = ROOT / "policy_text" / "demo" / "school.yaml"
needs_zoo = pytest.mark.skipif(
    not ORIGINALS.is_dir() and os.environ.get("CI") != "true", reason="../shared/zoo is not beside this checkout"
)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue()


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A school folder holding only school.yaml, as a school starts."""
    folder = tmp_path / "school"
    folder.mkdir()
    shutil.copy(DEMO_SCHOOL, folder / "school.yaml")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def policy(path: Path) -> PolicyDocument:
    document, problems = read_policy_file(path)
    assert document is not None, problems
    return document


# --- Word -------------------------------------------------------------------------------------------


def wellbeing_policy(path: Path, *, version: int = 1) -> Path:
    """A staff wellbeing policy as a school writes it in Word: numbered headings, lists, a table."""
    word = WordBuilder()
    section = word.document.sections[0]
    section.header.paragraphs[0].text = "Oakfield Primary School – Staff Wellbeing Policy"
    section.footer.paragraphs[0].text = "Page 1 of 3"
    word.paragraph("Staff Wellbeing Policy", "Title")
    word.paragraph("Next review: September 2027")
    word.paragraph("Printed copies of this policy may be out of date.")
    word.document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    word.paragraph("Aims\t1", "TOC 1")  # Word's table of contents
    headings = word.list_definition([("decimal", "%1."), ("decimal", "%1.%2")])
    heading_list = word.num(headings)
    bullets = word.list_definition([("bullet", "•"), ("bullet", "o")])
    letters = word.list_definition([("lowerLetter", "%1)")])
    romans = word.list_definition([("lowerRoman", "(%1)")])

    word.heading("Aims", 1, num=heading_list)
    word.paragraph("This policy aims to:")
    bullet_list = word.num(bullets)
    word.paragraph("Support the wellbeing of all staff", num=bullet_list)
    word.paragraph("Set out who to talk to", num=bullet_list)
    word.paragraph("your line manager *first*", num=bullet_list, level=1)
    word.paragraph("the <wellbeing> champion_lead", num=bullet_list, level=1)
    word.heading("Scope", 2, num=heading_list)
    word.paragraph("The policy applies to every member of staff, including supply staff & volunteers.")
    if version == 1:
        word.heading("Definitions", 2, num=heading_list)
        word.paragraph("Wellbeing means feeling well in body and mind.")
    word.heading("Procedures", 1, num=heading_list)
    word.heading("Asking for support", 2, num=heading_list)
    word.paragraph("To ask for support:")
    first = word.num(letters)
    word.paragraph("speak to your line manager", num=first)
    word.paragraph("book a meeting", num=first)
    word.paragraph("When the meeting is held:")
    again = word.num(letters, restart_at=1)
    word.paragraph("agree actions", num=again)
    word.paragraph("record them", num=again)
    word.paragraph("Then:")
    word.paragraph("review them after six weeks", num=again)
    word.paragraph("Occupational health can be reached:")
    roman = word.num(romans)
    for text in ("by phone", "by email", "in person"):
        word.paragraph(text, num=roman)
    if version == 2:
        word.paragraph("Meetings are held in private.")
        word.heading("Training", 2, num=heading_list)
        word.paragraph("All staff receive wellbeing training each year.")
    word.heading("Who to contact", 2, num=heading_list)
    table = word.document.add_table(rows=3, cols=2)
    for cell, text in zip(table.rows[0].cells, ("Role", "Contact"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row, (role, contact) in zip(table.rows[1:], (("Wellbeing lead", "Mrs Patel"), ("Union rep", "Mr Cole")),
                                    strict=True):
        row.cells[0].text, row.cells[1].text = role, contact
    return word.save(path)


def test_a_word_document_with_heading_styles_and_automatic_numbering_round_trips(school: Path, tmp_path: Path) -> None:
    source = wellbeing_policy(tmp_path / "Staff Wellbeing Policy.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    written = school / "staff-wellbeing-policy.md"
    document = policy(written)
    assert document.title == "Staff Wellbeing Policy"
    assert document.review == "Next review: September 2027"
    assert document.source.startswith("Staff Wellbeing Policy.docx (Word document, ")
    assert [(s.number, s.heading, s.level) for s in document.sections] == [
        ("1", "Aims", 2),
        ("1.1", "Scope", 3),
        ("1.2", "Definitions", 3),
        ("2", "Procedures", 2),
        ("2.1", "Asking for support", 3),
        ("2.2", "Who to contact", 3),
    ]
    passages = {s.number: [p.text for p in s.passages] for s in document.sections}
    assert passages["1"] == [
        "This policy aims to:\n• Support the wellbeing of all staff",
        "This policy aims to:\n• Set out who to talk to\n• your line manager *first*",
        "This policy aims to:\n• Set out who to talk to\n• the <wellbeing> champion_lead",
    ]
    assert passages["1.1"] == [
        "The policy applies to every member of staff, including supply staff & volunteers."
    ]
    assert passages["2.1"] == [
        "To ask for support:\n• a) speak to your line manager",
        "To ask for support:\n• b) book a meeting",
        "When the meeting is held:\n• a) agree actions",  # Word's "Restart numbering"
        "When the meeting is held:\n• b) record them",
        "Then:\n• c) review them after six weeks",  # the same list carries on
        "Occupational health can be reached:\n• (i) by phone",
        "Occupational health can be reached:\n• (ii) by email",
        "Occupational health can be reached:\n• (iii) in person",
    ]
    assert passages["2.2"] == ["Role: Wellbeing lead; Contact: Mrs Patel", "Role: Union rep; Contact: Mr Cole"]
    text = written.read_text("utf-8")
    assert "Oakfield Primary School – Staff Wellbeing Policy" not in text  # the running header
    assert "Page 1 of 3" not in text
    assert "Printed copies" not in text
    assert "Aims 1" not in text and "Aims\t1" not in text
    assert run("policies", "check", str(school))[0] == 0


def test_reimporting_an_updated_document_replaces_its_file_and_names_the_changed_sections(
    school: Path, tmp_path: Path
) -> None:
    first = wellbeing_policy(tmp_path / "wellbeing.docx")
    assert run("policies", "import", str(first), "--into", str(school))[0] == 0
    updated_folder = tmp_path / "updated"
    updated_folder.mkdir()
    updated = wellbeing_policy(updated_folder / "wellbeing.docx", version=2)

    status, out = run("policies", "import", str(updated), "--into", str(school))

    assert status == 0, out
    assert "(replaced)" in out
    assert "added: 2.2 Training" in out
    assert "removed: 1.2 Definitions" in out
    assert re.search(r"reworded: .*2\.1 Asking for support", out)
    assert sorted(p.name for p in school.glob("*.md")) == ["wellbeing.md"]
    assert [s.number for s in policy(school / "wellbeing.md").sections] == ["1", "1.1", "2", "2.1", "2.2", "2.3"]

    status, out = run("policies", "import", str(updated), "--into", str(school))
    assert "no section changed" in out


def test_a_paragraph_longer_than_the_quoting_limit_is_split_between_sentences(school: Path, tmp_path: Path) -> None:
    sentences = [f"Sentence {n} says what staff do on day {n}, e.g. sign in at the office." for n in range(1, 40)]
    word = WordBuilder()
    word.paragraph("Attendance at Training Policy", "Title")
    word.heading("Duties", 1)
    word.paragraph(" ".join(sentences))
    source = word.save(tmp_path / "training.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    passages = [p.text for p in policy(school / "training.md").sections[0].passages]
    assert len(passages) > 1
    assert all(len(p) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(p.endswith("at the office.") for p in passages)  # never mid-sentence
    assert " ".join(passages) == " ".join(sentences)
    assert "split between sentences" in out


def test_word_number_formats_are_the_ones_word_shows() -> None:
    assert [format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert [format_number(n, "upperRoman") for n in (4, 9, 14)] == ["IV", "IX", "XIV"]
    assert format_number(3, "decimalZero") == "03"


def test_a_word_broken_at_a_line_end_is_mended_only_when_it_is_one_word() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.join_hyphenated("the respon-", "sibility of") == "the responsibility of"
    assert vocabulary.join_hyphenated("to co-", "operate") == "to co-operate"  # two words joined by a hyphen
    assert vocabulary.join_hyphenated("near-", "misses") == "near-misses"
    seen = Vocabulary(["co-ordinator"])
    assert seen.join_hyphenated("the co-", "ordinator") == "the co-ordinator"  # as the document spells it


# --- bad input ------------------------------------------------------------------------------------


def one_page_pdf(path: Path) -> Path:
    """A real one-page PDF with text: the first page of a zoo PDF."""
    writer = PdfWriter()
    writer.add_page(PdfReader(ORIGINALS / "decoy-2022-promoting-positive-behaviour-policy.pdf").pages[0])
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def bad_documents(folder: Path) -> Iterator[tuple[Path, str]]:
    encrypted = PdfWriter(clone_from=one_page_pdf(folder / "plain.pdf"))
    encrypted.encrypt(user_password="secret", owner_password="owner")
    with (folder / "locked.pdf").open("wb") as stream:
        encrypted.write(stream)
    (folder / "plain.pdf").unlink()
    yield folder / "locked.pdf", "protected by a password"

    Image.new("RGB", (400, 560), "white").save(folder / "scanned.pdf")
    yield folder / "scanned.pdf", "looks scanned"

    truncated = (ORIGINALS / "decoy-2021-complaints-policy.pdf").read_bytes()[:4000]
    (folder / "broken.pdf").write_bytes(truncated)
    yield folder / "broken.pdf", "can't be read as a PDF"

    (folder / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    yield folder / "minutes.doc", "Word 97-2003"

    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    yield folder / "broken.docx", "can't be read as a Word document"

    long = PdfWriter()
    for _ in range(201):
        long.add_blank_page(width=595, height=842)
    with (folder / "handbook.pdf").open("wb") as stream:
        long.write(stream)
    yield folder / "handbook.pdf", "201 pages is more than the 200 pages"

    (folder / "notes.txt").write_text("not a policy", "utf-8")
    yield folder / "notes.txt", "not a PDF or Word (.docx) document"


@needs_zoo
def test_each_bad_document_is_named_with_its_reason_and_leaves_the_folder_as_it_was(
    school: Path, tmp_path: Path
) -> None:
    shutil.copy(ROOT / "policy_text" / "demo" / "working-from-home.md", school / "working-from-home.md")
    before = snapshot(school)
    bad = tmp_path / "bad"
    bad.mkdir()
    for path, reason in bad_documents(bad):
        status, out = run("policies", "import", str(path), "--into", str(school))
        assert status == 1, (path.name, out)
        assert path.name in out and reason in out, out
        assert "nothing written" in out
        assert "Traceback" not in out
        assert snapshot(school) == before, path.name


def test_a_failure_while_writing_leaves_no_half_written_file(
    school: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = wellbeing_policy(tmp_path / "wellbeing.docx")
    before = snapshot(school)

    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.file_writing.os.replace", disk_full)
    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 1
    assert "wellbeing.docx: not imported: No space left on device (nothing written)" in out
    assert snapshot(school) == before


def test_an_imported_policy_is_readable_as_any_file_the_administrator_makes(school: Path, tmp_path: Path) -> None:
    """`staffroom serve` may run as another account than the one that imported: the file is not private to it."""
    source = wellbeing_policy(tmp_path / "wellbeing.docx")
    previous = os.umask(0o022)
    try:
        status, out = run("policies", "import", str(source), "--into", str(school))
    finally:
        os.umask(previous)
    assert status == 0, out
    (written,) = [p for p in school.glob("*.md") if "wellbeing" in p.name]
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_missing_file_is_named(school: Path, tmp_path: Path) -> None:
    status, out = run("policies", "import", str(tmp_path / "nowhere.pdf"), "--into", str(school))
    assert status == 1
    assert "nowhere.pdf: no such file or folder" in out


# --- the zoo's real PDFs --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zoo_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """The four zoo PDFs imported at once, by naming their folder, into a folder holding school.yaml."""
    if not ORIGINALS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/zoo/originals is missing: CI has ../shared beside the clone")
        pytest.skip("../shared/zoo is not beside this checkout")
    folder = tmp_path_factory.mktemp("zoo") / "school"
    folder.mkdir()
    shutil.copy(DEMO_SCHOOL, folder / "school.yaml")
    status, out = run("policies", "import", str(ORIGINALS), "--into", str(folder))
    return folder, status, out


@needs_zoo
def test_the_zoo_pdfs_import_from_their_folder_and_pass_the_check(zoo_import: tuple[Path, int, str]) -> None:
    folder, status, out = zoo_import
    assert status == 0, out
    assert "4 of 4 documents imported" in out
    assert sorted(p.name for p in folder.glob("*.md")) == [
        "decoy-2021-complaints-policy.md",
        "decoy-2021-data-protection.md",
        "decoy-2021-health-safety-policy.md",
        "decoy-2022-promoting-positive-behaviour-policy.md",
    ]
    assert run("policies", "check", str(folder))[0] == 0
    titles = {policy(p).title for p in folder.glob("*.md")}
    assert titles == {
        "Complaints Policy",
        "Data Protection Policy",
        "Health and Safety (H&S) Policy",
        "Promoting Positive Behaviour Policy",
    }


@needs_zoo
def test_running_headers_footers_contents_and_cover_lines_are_left_out(zoo_import: tuple[Path, int, str]) -> None:
    folder, _, _ = zoo_import
    health = (folder / "decoy-2021-health-safety-policy.md").read_text("utf-8")
    assert "Updated March 2021" not in health and "Page 3 of 16" not in health
    assert not re.search(r"^Decoy Primary School$", health, re.M)
    assert "DATE OF ADOPTION" not in health.split("---", 2)[2]
    assert "review: 'DATE OF NEXT REVIEW: MARCH 2022'" in health
    protection = (folder / "decoy-2021-data-protection.md").read_text("utf-8")
    assert "Bookmark not defined" not in protection and "......" not in protection  # the contents page
    assert "Version Control" not in protection


@needs_zoo
def test_the_imported_health_and_safety_policy_matches_the_one_converted_by_hand(
    zoo_import: tuple[Path, int, str],
) -> None:
    folder, _, _ = zoo_import
    by_hand = policy(ZOO / "decoy-primary-health-and-safety.md")
    imported = policy(folder / "decoy-2021-health-safety-policy.md")

    # Same section tree: the hand-made file stops before the appendices (named first aiders, contractors).
    tree = [(s.number, s.heading, s.level) for s in imported.sections]
    assert tree[: len(by_hand.sections)] == [(s.number, s.heading, s.level) for s in by_hand.sections]

    # The hand-made file gives the table of model risk assessments as bullets without its header row;
    # the importer gives each row as a bullet with its column headings (as tables are imported), so
    # those rows are compared by their cells, and every other passage word for word.
    imported_texts = {fold(p.text) for s in imported.sections for p in s.passages}
    table_lead = "The table below identifies"
    rows = [p for s in by_hand.sections for p in s.passages if p.lead and table_lead in p.lead[0]]
    others = [fold(p.text) for s in by_hand.sections for p in s.passages if p not in rows]
    matched = sum(text in imported_texts for text in others)
    share = matched / len(others)
    print(f"health and safety: {matched}/{len(others)} passages identical ({share:.1%}), {len(rows)} table rows")
    assert share >= 0.95
    # Each row is quoted with the sentence that introduces the table, as the hand-made bullets are.
    imported_rows = [p for s in imported.sections for p in s.passages if p.lead and table_lead in p.lead[0]]
    cells = {fold(re.sub(r"(^|; )[^:;]+: ", " ", p.body)) for p in imported_rows}
    assert len(rows) == 18 and len(imported_rows) == 18
    assert all(fold(row.body) in cells for row in rows)
    assert all(p.body.startswith("Model Risk Assessment Number: RA ") for p in imported_rows)


def test_a_list_nested_too_deep_to_quote_is_written_as_paragraphs_rather_than_refused(
    school: Path, tmp_path: Path
) -> None:
    word = WordBuilder()
    word.paragraph("Marking Policy", "Title")
    word.heading("Feedback", 1)
    word.paragraph("Teachers give feedback in three ways, each described below in full detail for staff. " * 4)
    bullets = word.num(word.list_definition([("bullet", "•"), ("bullet", "o")]))
    parent = "Written feedback is given in green pen against the learning objective of the lesson. " * 6
    child = "Pupils respond to it in purple pen at the start of the next lesson in their books. " * 4
    word.paragraph(parent.strip(), num=bullets)
    word.paragraph(child.strip(), num=bullets, level=1)
    source = word.save(tmp_path / "marking.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    assert "written as paragraphs" in out
    document = policy(school / "marking.md")
    texts = [p.text for s in document.sections for p in s.passages]
    assert all(len(t) <= MAX_PASSAGE_CHARS for t in texts)
    assert fold(" ".join(texts)).endswith(fold(child))


def test_a_contents_list_typed_without_page_numbers_is_left_out(school: Path, tmp_path: Path) -> None:
    word = WordBuilder()
    word.paragraph("Lettings Policy", "Title")
    word.paragraph("This policy sets out how the school lets its buildings to groups from the community it serves.")
    for entry in ("Introduction", "Bookings", "Charges", "Cancellation"):
        word.paragraph(entry)
    for heading, text in (
        ("Introduction", "The school lets its hall to community groups."),
        ("Bookings", "Bookings are made with the school office."),
        ("Charges", "Charges are set by the governors each year."),
        ("Cancellation", "The school may cancel a letting at short notice."),
    ):
        word.heading(heading, 1)
        word.paragraph(text)
    source = word.save(tmp_path / "lettings.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "lettings.md")
    assert [s.heading for s in document.sections] == ["Lettings Policy", "Introduction", "Bookings", "Charges",
                                                       "Cancellation"]
    assert [p.text for p in document.sections[0].passages] == [
        "This policy sets out how the school lets its buildings to groups from the community it serves."
    ]


# --- PDF layout read from synthetic Word-like PDFs --------------------------------------------------


def _write_lines(page: PdfPage, y: float, lines: list[str], *, size: float = 11, pitch: float = 14) -> float:
    """Writes lines at the left margin, a raised small "¹" in them as a footnote mark; returns the next y."""
    for line in lines:
        x = 60.0
        for position, part in enumerate(line.split("¹")):
            if position:
                page.text(x, y + 4, "1", 6)  # the mark: small and raised, as Word prints it
                x += 3.6
            x = page.text(x, y, part, size)
        y -= pitch
    return y


def _wrapped(text: str, width: int = 75) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1].replace("¹", "")) + 1 + len(word.replace("¹", "")) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def test_a_footnote_in_a_pdf_is_its_own_passage_and_the_paragraph_it_interrupts_is_whole(
    school: Path, tmp_path: Path
) -> None:
    statement = (
        "All activities that are a part of the National Curriculum¹ for pupils of compulsory school age will be "
        "provided free of charge by the school, and this includes any materials, equipment and transport that "
        "take pupils between the school and the place where the activity happens, whatever the time of year or "
        "the number of pupils who take part in it on the day"
    )
    lines = _wrapped(statement)
    note = "The national curriculum is the set of subjects and standards that primary schools teach."
    pdf = PdfDocument()
    first = pdf.page()
    first.text(60, 780, "Trips Policy", 18, bold=True)
    first.text(60, 740, "1 Charges", 11, bold=True)
    y = _write_lines(first, 712, _wrapped(
        "The governors set out here which school trips and activities are free and which are charged, so that "
        "staff can tell parents before a trip is planned and parents know what to expect from the school."
    ))
    y = _write_lines(first, y - 14, ["Trips can be of three kinds -"])
    for kind in ("Day - a visit within the school day", "Residential - a visit with a night away",
                 "Sports - a fixture at another school"):
        y = _write_lines(first, y - 14, [kind])
    _write_lines(first, 190, lines[:-2])  # the paragraph runs on to the next page
    first.rule(60, 130, 144)  # Word's footnote separator, then the note under it
    first.text(60, 118, "1", 6)
    first.text(64, 114, note, 9)
    second = pdf.page()
    _write_lines(second, 780, lines[-2:])
    second.text(60, 740, "2 Remission", 11, bold=True)
    _write_lines(second, 712, _wrapped(
        "Parents who receive income support, or any of the other benefits that entitle a child to free school "
        "meals, pay nothing for board and lodging on a residential trip; other families who find the cost hard "
        "may ask the headteacher, who decides in confidence how much of it the school can pay."
    ))
    source = pdf.save(tmp_path / "trips.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "trips.md")
    charges = next(s for s in document.sections if s.heading == "Charges")
    texts = [p.text for p in charges.passages]
    assert fold(statement.replace("¹", "")) in texts  # whole, and without its mark
    assert texts.index(note) == texts.index(fold(statement.replace("¹", ""))) + 1
    kinds = [p for p in charges.passages if p.lead == ("Trips can be of three kinds -",)]
    assert [p.body for p in kinds] == ["Day - a visit within the school day", "Residential - a visit with a night away",
                                       "Sports - a fixture at another school"]
    assert [s.heading for s in document.sections][-1] == "Remission"


def test_rows_of_a_table_a_paragraph_introduces_are_quoted_with_it() -> None:
    outline = Outline("rota.pdf", "PDF", "Duty Rota Policy", None, [
        Block("heading", "1 Duties", strength=24),
        Block("paragraph", "The table below sets out who is on duty:"),
        Block("paragraph", "Day: Monday; Staff: Mr Cole", row=True),
        Block("paragraph", "Day: Tuesday; Staff: Mrs Patel", row=True),
        Block("heading", "2 Cover", strength=24),
        Block("paragraph", "Cover is arranged by the office."),
        Block("paragraph", "Day: Monday; Cover: Ms Shah", row=True),
    ])
    tidied = tidy(outline)
    kinds = [(b.kind, b.text) for b in tidied.blocks if b.row]
    assert kinds == [("item", "Day: Monday; Staff: Mr Cole"), ("item", "Day: Tuesday; Staff: Mrs Patel"),
                     ("paragraph", "Day: Monday; Cover: Ms Shah")]  # not introduced: a row on its own


def test_a_table_of_contents_run_together_into_one_paragraph_is_left_out() -> None:
    contents = "Description of this Policy 1 1 Aims 2 2 Bookings 2 3 Charges and payment 3 4 Cancellation 3"
    outline = Outline("lettings.pdf", "PDF", "Lettings Policy", None, [
        Block("paragraph", contents, page=1),
        *(block for heading in ("1 Aims", "2 Bookings", "3 Charges and payment", "4 Cancellation") for block in (
            Block("heading", heading, strength=24, page=2), Block("paragraph", f"What the policy says: {heading}.", page=2)
        )),
    ])
    tidied = tidy(outline)
    assert contents not in [b.text for b in tidied.blocks]
    assert [b.text for b in tidied.blocks if b.kind == "heading"] == ["1 Aims", "2 Bookings", "3 Charges and payment",
                                                                      "4 Cancellation"]


def test_a_letterhead_heading_above_the_policy_s_own_name_is_not_its_title(school: Path, tmp_path: Path) -> None:
    """A club's Word policy opens with its name and then the policy's, both as headings: the policy's is the title."""
    word = WordBuilder()
    word.heading("Wickwar Out of School Club", 2)
    word.heading("Data Protection Policy", 2)
    word.paragraph("We respect the privacy of the children attending the Club and of their parents.")
    word.heading("Confidentiality", 2)
    word.paragraph("We will only ever share information with a parent about their own child.")
    source = word.save(tmp_path / "data-protection.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "data-protection.md")
    assert document.title == "Data Protection Policy"
    assert "Wickwar Out of School Club" not in [s.heading for s in document.sections]
    assert "respect the privacy" in document.sections[0].passages[0].text


def test_items_marked_by_word_s_picture_bullets_stay_a_list(school: Path, tmp_path: Path) -> None:
    """Word draws a picture bullet as a small image, not a character: the items after "Each early career teacher
    will:" are a list of three, each marked by its picture, and the paragraph after them is no item."""
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Induction Policy", 18, bold=True)
    page.text(60, 740, "Posts for induction", 11, bold=True)
    y = _write_lines(page, 712, _wrapped(
        "The induction programme is underpinned by the early career framework, so that every teacher new to the "
        "profession is supported in the knowledge and skills the framework sets out, in a post suitable for it."
    ))
    page.text(60, y - 14, "Each early career teacher will:", 11)
    items = ["Have an appointed induction tutor, who will have qualified teacher status and oversee the assessment "
             "of the induction",
             "Have an appointed mentor, who will have qualified teacher status and oversee the development aspects "
             "of the induction",
             "Have a reduced timetable to allow them to undertake the activities in their induction programme"]
    y -= 36
    for item in items:
        page.picture(62, y - 1, 6, 10)  # as Word exports it: the picture, then the item's lines beside it
        for line in _wrapped(item, 70):
            page.text(74, y, line, 11)
            y -= 14.6
        y -= 6
    _write_lines(page, y - 10, _wrapped(
        "The headteacher checks that each post is suitable for induction before the teacher starts in it."
    ))
    source = pdf.save(tmp_path / "induction.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    text = (school / "induction.md").read_text(encoding="utf-8")
    assert all(f"- {item}" in text for item in items), text
    assert text.count("\n- ") == len(items)


def test_a_table_of_contents_headed_content_with_a_page_label_is_left_out() -> None:
    """ "Content" over "Page" and the dotted entries: none of it is policy, and the text after it is not under it."""
    outline = Outline("bereavement.pdf", "PDF", "Bereavement Policy", None, [
        Block("heading", "Content", strength=24, page=3),
        Block("paragraph", "Page", page=3),
        Block("paragraph", "Intent………………4", page=3),
        Block("paragraph", "Staff support………………8", page=3),
        Block("paragraph", "Each school has a designated group of staff to co-ordinate bereavement support.", page=4),
        Block("heading", "Intent", strength=24, page=4),
        Block("paragraph", "The trust supports everyone affected by a bereavement.", page=4),
    ])
    blocks = tidy(outline).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["Intent"]
    assert "Page" not in [b.text for b in blocks]
    assert blocks[0].text.startswith("Each school has a designated group")


def test_a_word_footnote_is_a_passage_after_the_paragraph_or_list_that_refers_to_it(
    school: Path, tmp_path: Path
) -> None:
    word = WordBuilder()
    word.paragraph("Charging Policy", "Title")
    word.heading("Free activities", 1)
    statement = word.paragraph("Everything that is part of the National Curriculum is free of charge.")
    word.footnote(statement, "The National Curriculum is the set of subjects primary schools teach.")
    word.paragraph("Parents are told of a cost before:")
    bullets = word.num(word.list_definition([("bullet", "•")]))
    first = word.paragraph("a trip is booked", num=bullets)
    word.footnote(first, "A trip is any visit away from the school site.")
    word.paragraph("a club starts", num=bullets)
    word.heading("Remission", 1)
    word.paragraph("Families on income support pay nothing for board and lodging.")
    source = word.save(tmp_path / "charging.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    free = policy(school / "charging.md").sections[0]
    assert [p.text for p in free.passages] == [
        "Everything that is part of the National Curriculum is free of charge.",
        "The National Curriculum is the set of subjects primary schools teach.",
        "Parents are told of a cost before:\n• a trip is booked",
        "Parents are told of a cost before:\n• a club starts",
        "A trip is any visit away from the school site.",
    ]


def test_a_paragraph_that_starts_in_bold_and_a_sentence_in_bold_in_a_pdf_stay_paragraphs(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Attendance Policy", 18, bold=True)
    page.text(60, 740, "Penalty notices", 11, bold=True)
    y = _write_lines(page, 712, _wrapped(
        "A penalty notice may be issued by the council when a request for leave in term time is refused and the "
        "pupil is absent all the same; it offers a parent the chance to pay a penalty instead of going to court."
    ))
    warning = _wrapped(
        "Parents should note that only one penalty notice per parent per child will normally be issued within a "
        "two-year period, and any second offence within that period is referred straight to court."
    )
    page.text(60, y - 14, warning[0], 11, bold=True)  # the first line in bold, as the school wrote it
    y = _write_lines(page, y - 28, warning[1:])
    page.text(60, y - 14, "Every day of school is important.", 11, bold=True)  # a sentence in bold on its own
    _write_lines(page, y - 28, ["Pupils who miss school fall behind their classmates."])
    source = pdf.save(tmp_path / "attendance.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "attendance.md")
    assert [s.heading for s in document.sections] == ["Penalty notices"]
    assert [p.text for p in document.sections[0].passages][-3:] == [
        " ".join(warning), "Every day of school is important.", "Pupils who miss school fall behind their classmates."
    ]


def test_a_long_bold_line_in_sentence_case_is_said_and_one_in_title_case_is_a_heading() -> None:
    """Both end with a full stop and hold no verb the importer knows ("is", "will"…): the sentence is in sentence
    case, the title capitalises its words."""
    assert not _looks_like_heading(
        "Our curriculum meets the needs of our students whilst maintaining an ambitious approach to meeting their needs.",
        1, None,
    )
    assert _looks_like_heading(
        "The Duties of the Senior Management Team, Subject Leaders, Extended services leader, Caretaker and Kitchen Manager.",
        1, None,
    )
    assert _looks_like_heading("Our Proposed Curriculum", 1, None)


def test_a_heading_numbered_like_1_0_heads_the_sections_numbered_1_1() -> None:
    outline = Outline("whistleblowing.pdf", "PDF", "Whistleblowing Policy", None, [
        block
        for heading in ("1.0 Introduction", "1.1 Scope", "1.2 Who it covers", "2.0 Aims")
        for block in (Block("heading", heading, strength=24), Block("paragraph", f"The policy's {heading}."))
    ])
    levels = [(b.text, b.level) for b in tidy(outline).blocks if b.kind == "heading"]
    assert levels == [("1.0 Introduction", 1), ("1.1 Scope", 2), ("1.2 Who it covers", 2), ("2.0 Aims", 1)]


def test_a_heading_at_the_foot_of_a_pdf_page_is_not_joined_to_bold_text_on_the_next(
    school: Path, tmp_path: Path
) -> None:
    filler = (
        "Charges for trips are based on the actual costs incurred, divided by the number of pupils who take part, "
        "and no family is asked to pay more so that others pay less; parents are told of every charge in writing."
    )
    pdf = PdfDocument()
    first = pdf.page()
    first.text(60, 780, "Charging Policy", 18, bold=True)
    first.text(60, 740, "1 Charges", 11, bold=True)
    y = _write_lines(first, 712, _wrapped(filler))
    _write_lines(first, y - 14, _wrapped(filler.replace("Charges for trips", "Charges for clubs")))
    first.text(60, 110, "2 Contacts", 11, bold=True)  # the last line of the page
    second = pdf.page()
    second.text(60, 780, "The Department for Education", 11, bold=True)
    y = _write_lines(second, 766, _wrapped(filler.replace("Charges for trips", "Questions about charges")))
    _write_lines(second, y - 14, _wrapped(filler.replace("Charges for trips", "Complaints about charges")))
    source = pdf.save(tmp_path / "charging.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    headings = [s.heading for s in policy(school / "charging.md").sections]
    assert headings == ["Charges", "Contacts", "The Department for Education"]


def _row(page: PdfPage, y: float, label: list[str], cell: list[str], *, pitch: float = 18) -> float:
    """A borderless table row: the bold label centred against its neighbour; returns the next row's y."""
    height = max(len(label), len(cell))
    for lines, x, bold in ((label, 60.0, True), (cell, 220.0, False)):
        start = y - (height - len(lines)) * pitch / 2  # centred in the row, as Word lays out a cell
        for position, text in enumerate(lines):
            page.text(x, start - position * pitch, text, 11, bold=bold)
    return y - height * pitch - 16  # the cell padding: more space between rows than between a cell's lines


def test_a_pdf_table_without_ruling_lines_is_read_row_by_row_under_its_headings(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    first = pdf.page()
    first.text(60, 780, "Disciplinary Policy", 18, bold=True)
    first.text(60, 740, "8 Outcomes", 11, bold=True)
    y = _write_lines(first, 712, _wrapped(
        "Following the hearing, you will be told of the decision in writing, usually within five working days of "
        "the hearing. The outcome may be:"
    ))
    y -= 20
    first.text(60, y, "Outcome", 11)  # the column headings: plain, over bold labels
    first.text(220, y, "Description", 11)
    y = _row(first, y - 34, ["No Further Action"], ["Allegations not upheld."])
    y = _row(first, y, ["Formal Verbal", "Warning"], ["Issued for unsatisfactory conduct."])
    y = _row(first, y, ["Working Environment"], ["Health and safety concerns, inadequate facilities,",
                                                 "or unreasonable workload."])
    y = _row(first, y, ["Dismissal"], ["Summary dismissal for gross misconduct; or dismissal",
                                       "with notice for failure to improve following",
                                       "warnings."])
    y = _write_lines(first, y - 20, _wrapped(
        "The outcome letter will explain the reason for the decision, the penalty and your right to appeal against "
        "it within five working days of receiving the letter."
    ))
    first.text(60, y - 20, "9 Abbreviations", 11, bold=True)
    y -= 48
    for short, meaning in (("DSL", "the designated safeguarding lead"), ("HR", "human resources"),
                           ("SLT", "the senior leadership team")):  # pairs in columns, but no headings over them
        first.text(60, y, short, 11)
        first.text(220, y, meaning, 11)
        y -= 14
    second = pdf.page()  # the table goes on over the page, its headings repeated
    second.text(60, 780, "10 Authority", 11, bold=True)
    second.text(60, 750, "Warning", 11)
    second.text(220, 750, "Who may give it", 11)
    y = _row(second, 716, ["Formal Verbal", "Warning"], ["Line Manager"])
    second.text(60, 650, "Warning", 11)
    second.text(220, 650, "Who may give it", 11)
    _row(second, 616, ["Final Written", "Warning"], ["Headteacher, or the Chair of Governors when the",
                                                    "Headteacher is involved"])
    source = pdf.save(tmp_path / "disciplinary.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "disciplinary.md")
    assert [s.heading for s in document.sections] == ["Outcomes", "Abbreviations", "Authority"]
    outcomes, abbreviations, authority = document.sections
    rows = [p for p in outcomes.passages if p.lead]
    assert all(p.lead[0].endswith("The outcome may be:") for p in rows)
    assert [p.body for p in rows] == [
        "Outcome: No Further Action; Description: Allegations not upheld.",
        "Outcome: Formal Verbal Warning; Description: Issued for unsatisfactory conduct.",
        "Outcome: Working Environment; Description: Health and safety concerns, inadequate facilities, or "
        "unreasonable workload.",
        "Outcome: Dismissal; Description: Summary dismissal for gross misconduct; or dismissal with notice for "
        "failure to improve following warnings.",
    ]
    assert outcomes.passages[-1].text.startswith("The outcome letter will explain")
    assert [p.text for p in abbreviations.passages] == [
        "DSL the designated safeguarding lead", "HR human resources", "SLT the senior leadership team"
    ]
    assert [p.text for p in authority.passages] == [
        "Warning: Formal Verbal Warning; Who may give it: Line Manager",
        "Warning: Final Written Warning; Who may give it: Headteacher, or the Chair of Governors when the "
        "Headteacher is involved",
    ]


def test_a_bold_phrase_wrapped_on_to_the_next_line_of_a_sentence_is_not_a_heading(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Records Policy", 18, bold=True)
    page.text(60, 740, "1 Keeping records", 11, bold=True)
    lines = [
        "Records about staff are kept securely for as long as the law requires and",
        "no longer; when they are no longer needed they are shredded or deleted in",
        "line with what the school sets out for each kind of record in its own Data",
    ]  # full lines: the sentence is carried over by the width of the page
    y = _write_lines(page, 712, lines)
    page.text(60, y, "Protection Policy.", 11, bold=True)  # the policy's name in bold, wrapped on to the next line
    y = _write_lines(page, y - 28, _wrapped(
        "Staff may ask to see the records the school keeps about them at any time, by writing to the headteacher."
    ))
    page.text(60, y - 14, "2 Sharing records", 11, bold=True)
    _write_lines(page, y - 42, ["Records are shared only with the member of staff's consent."])
    source = pdf.save(tmp_path / "records.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "records.md")
    assert [s.heading for s in document.sections] == ["Keeping records", "Sharing records"]
    assert document.sections[0].passages[0].text == " ".join([*lines, "Protection Policy."])


def test_a_letter_in_a_box_and_a_bold_sentence_run_into_its_paragraph_are_not_headings(
    school: Path, tmp_path: Path
) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "First Aid Policy", 18, bold=True)
    page.text(60, 740, "1 Accidents", 11, bold=True)  # headings with space under them
    y = _write_lines(page, 712, _wrapped(
        "Every accident to a pupil, member of staff or visitor is recorded on the day in the accident book kept "
        "in the school office, with what happened and the first aid given."
    ))
    page.text(60, y - 14, "A", 11, bold=True)  # the label of a box in a diagram
    y = _write_lines(page, y - 42, _wrapped(
        "The first aider on duty is called by the member of staff who finds the injured person, by radio or by "
        "sending a responsible pupil to the office."
    ))
    page.text(60, y - 14, "Staff report every head injury to the parents on the same day.", 11, bold=True)
    y = _write_lines(page, y - 28, _wrapped(  # straight under it: the sentence and its paragraph run on
        "A note goes home with the pupil, and the class teacher telephones the parents when the injury looks "
        "more than a bump."
    ))
    page.text(60, y - 14, "2 Medicines", 11, bold=True)
    _write_lines(page, y - 42, ["Medicines are kept locked in the school office."])
    source = pdf.save(tmp_path / "first-aid.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "first-aid.md")
    assert [s.heading for s in document.sections] == ["Accidents", "Medicines"]
    texts = [p.text for p in document.sections[0].passages]
    assert "Staff report every head injury to the parents on the same day." in texts


def _ruled_table(page: PdfPage, y: float, columns: list[float], rows: list[list[str]], *, height: float = 20) -> float:
    """A table ruled as Word draws it (thin filled rules round every cell); returns the y under its last rule."""
    left, right = columns[0], 540.0
    edges = [*columns, right]
    for position, row in enumerate(rows):
        top = y - position * height
        page.rule(left, top, right - left)
        for x in edges:
            page.box(x, top - height, 0.5, height)
        for x, text in zip(columns, row, strict=True):
            page.text(x + 5, top - 14, text, 10, bold=position == 0)
    bottom = y - len(rows) * height
    page.rule(left, bottom, right - left)
    return bottom


def test_a_log_of_the_policy_s_reviews_is_left_out_with_its_heading(school: Path, tmp_path: Path) -> None:
    """Who reviewed the document and when is the document's record, not policy: a table of review dates and
    sign-offs goes, as a version log does, and so does its heading ("do I get a parking permit?" was answered
    with "REVIEWED BY: Headteacher")."""
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Disciplinary Policy", 18, bold=True)
    page.text(60, 740, "12 Monitoring and Review", 11, bold=True)
    y = _write_lines(page, 712, ["This policy will be reviewed annually by the headteacher and the governing body."])
    page.text(60, y - 20, "Review of Policy Dates", 11, bold=True)
    _ruled_table(page, y - 40, [60, 200, 360], [
        ["Review Date", "Reviewed By", "Signed Off (Name & Role)"],
        ["Feb 2026", "Governing Body", "Chair: A Person"],
        ["Feb 2027", "Headteacher", "Headteacher:"],
    ])
    source = pdf.save(tmp_path / "disciplinary.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    text = (school / "disciplinary.md").read_text(encoding="utf-8")
    assert "reviewed annually" in text
    assert "Reviewed By" not in text and "Feb 2027" not in text and "Review of Policy Dates" not in text


def test_lines_under_a_ruled_table_on_white_shading_are_not_its_rows(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Disciplinary Policy", 18, bold=True)
    page.text(60, 740, "4 Disciplinary stages", 11, bold=True)
    y = _write_lines(page, 712, ["The stages of the procedure are set out below."])
    bottom = _ruled_table(page, y - 10, [60, 160, 360], [
        ["Stage", "Action", "Duration on File"],
        ["Stage 1", "Formal Verbal Warning", "3 months"],
        ["Stage 2", "Final Written Warning", "12 months"],
    ])
    note = [
        "Note: In cases of gross misconduct, the procedure may start at Stage 2, leading to dismissal without",
        "notice if the allegations are proven.",
    ]
    for position in range(len(note)):  # Word's white paragraph shading, straight under the table and wider
        page.box(58, bottom - (position + 1) * 16, 500, 16, grey=1)
    y = _write_lines(page, bottom - 12, note, pitch=16)
    page.text(60, y - 20, "5 Appeals", 11, bold=True)
    _write_lines(page, y - 48, ["You may appeal against any warning within five working days."])
    source = pdf.save(tmp_path / "disciplinary.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    stages = policy(school / "disciplinary.md").sections[0]
    assert [p.body for p in stages.passages][-3:] == [
        "Stage: Stage 1; Action: Formal Verbal Warning; Duration on File: 3 months",
        "Stage: Stage 2; Action: Final Written Warning; Duration on File: 12 months",
        " ".join(note),
    ]


def test_a_numbered_list_in_bold_stood_in_from_the_text_is_a_list_not_headings(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Equality Policy", 18, bold=True)
    page.text(60, 740, "1. Policy statement", 14, bold=True)
    y = _write_lines(page, 712, _wrapped(
        "The school values every member of its community and will not tolerate discrimination of any kind, "
        "whether against pupils, parents, staff or visitors."
    ))
    page.text(60, y - 20, "2. The equality duty", 14, bold=True)
    y = _write_lines(page, y - 48, ["As a school, we must have due regard to the need to:"])
    duties = ["Eliminate unlawful discrimination and harassment.", "Advance equality of opportunity.",
              "Foster good relations between people."]
    for position, duty in enumerate(duties, start=1):  # the number plain, the words in bold, stood in
        page.text(78, y, f"{position}.", 11)
        page.text(78 + 0.6 * 11 * 3, y, duty, 11, bold=True)
        y -= 14
    _write_lines(page, y - 14, ["The school publishes its equality information every year."])
    source = pdf.save(tmp_path / "equality.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "equality.md")
    assert [s.heading for s in document.sections] == ["Policy statement", "The equality duty"]
    items = [p for p in document.sections[1].passages if p.lead]
    assert [p.body for p in items] == [f"{n}. {duty}" for n, duty in enumerate(duties, start=1)]
    assert all(p.lead == ("As a school, we must have due regard to the need to:",) for p in items)


def test_a_section_number_the_document_gives_twice_is_left_off_the_second_heading() -> None:
    outline = Outline("performance.pdf", "PDF", "Performance Policy", None, [
        block
        for heading in ("8. Support", "9. Capability Procedure", "9. Probationary Period", "10. Records")
        for block in (Block("heading", heading, strength=24), Block("paragraph", f"The policy's {heading}."))
    ])
    tidied = tidy(outline)
    assert [b.text for b in tidied.blocks if b.kind == "heading"] == [
        "8. Support", "9. Capability Procedure", "Probationary Period", "10. Records"
    ]
    assert any("'9. Probationary Period'" in note for note in tidied.notes)


def test_a_form_at_the_end_of_a_policy_is_lines_of_text_not_headings(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Probation Policy", 18, bold=True)
    page.text(60, 740, "1. Reviews", 14, bold=True)
    y = _write_lines(page, 712, _wrapped(
        "Each new member of staff has a review with their line manager after one month, three months and five "
        "months, recorded on the form in Appendix A. The line manager agrees objectives at the first review, "
        "checks progress against them at each later one, and says what support the school will give."
    ))
    _write_lines(page, y - 14, _wrapped(
        "At the final review the line manager recommends whether the appointment is confirmed, the probation "
        "extended or the employment ended; the headteacher decides, and the decision is confirmed in writing "
        "within five working days of the review."
    ))
    form = pdf.page()
    form.text(60, 780, "Appendix A - Review Form", 14, bold=True)
    y = 740.0
    for label in ("Staff Member:", "Role:", "Line Manager:"):  # empty fields, with room to write in
        form.text(60, y, label, 11, bold=True)
        y -= 34
    form.text(60, y, "Please tick as appropriate:", 11, bold=True)
    bottom = _ruled_table(form, y - 10, [60, 360], [["Stage", "Done"], ["One month review", "Yes / No"],
                                                     ["Final review", "Yes / No"]])
    form.text(60, bottom - 40, "Summary of Progress", 14, bold=True)
    y = bottom - 70
    for label in ("Strengths:", "Areas for Development:"):
        form.text(60, y, label, 11)
        y -= 28
    form.text(60, y - 12, "Signatures", 14, bold=True)
    y -= 44
    for label in ("Line Manager:", "Staff Member:"):
        form.text(60, y, label, 11, bold=True)
        form.text(360, y, "Date:", 11, bold=True)
        y -= 34
    _write_lines(form, y, ["Signing confirms that the review took place, not that you agree with it."])
    source = pdf.save(tmp_path / "probation.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "probation.md")
    assert [s.heading for s in document.sections] == [
        "Reviews", "Appendix A - Review Form", "Summary of Progress", "Signatures"
    ]
    _, appendix, summary, signatures = document.sections
    assert [(p.lead, p.body) for p in appendix.passages] == [
        ((), "Staff Member: Role: Line Manager:"),
        (("Please tick as appropriate:",), "Stage: One month review; Done: Yes / No"),
        (("Please tick as appropriate:",), "Stage: Final review; Done: Yes / No"),
    ]
    assert [p.text for p in summary.passages] == ["Strengths: Areas for Development:"]
    assert [p.text for p in signatures.passages] == [
        "Line Manager: Date: Staff Member: Date:",
        "Signing confirms that the review took place, not that you agree with it.",
    ]


def test_a_table_row_with_only_its_first_cell_filled_heads_the_rows_under_it(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Fire Safety Policy", 18, bold=True)
    page.text(60, 740, "1. Checks", 14, bold=True)
    y = _write_lines(page, 712, ["The fire warden keeps the school safe day to day."])
    _ruled_table(page, y - 10, [60, 250, 400], [
        ["Check", "Who", "How often"],
        ["Daily checks", "", ""],
        ["Fire exits clear", "Fire warden", "Every morning"],
        ["Weekly checks", "", ""],
        ["Fire alarm test", "Fire warden", "Every Monday"],
        ["Fire doors close", "Caretaker", "Every Friday"],
    ])
    source = pdf.save(tmp_path / "fire-safety.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    checks = policy(school / "fire-safety.md").sections[0]
    assert [(p.lead, p.body) for p in checks.passages][1:] == [
        (("Daily checks",), "Check: Fire exits clear; Who: Fire warden; How often: Every morning"),
        (("Weekly checks",), "Check: Fire alarm test; Who: Fire warden; How often: Every Monday"),
        (("Weekly checks",), "Check: Fire doors close; Who: Caretaker; How often: Every Friday"),
    ]


def test_a_line_broken_by_hand_mid_sentence_does_not_split_its_paragraph(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Evacuation Procedure", 18, bold=True)
    page.text(60, 740, "1. Evacuation plans", 14, bold=True)
    opening = _wrapped(
        "Any pupil or member of staff who cannot use the stairs or hear the alarm has a personal evacuation "
        "plan, agreed with them or their parents and kept with the register. The plan says who helps them "
        "out of the building, by which exit, and where they wait for the fire service if the stairs are blocked."
    )
    broken = ["The plan is shared with all staff, in particular the wardens,",  # Shift+Enter in Word
              "and practised during every fire drill that the school holds."]
    y = _write_lines(page, 712, opening)
    _write_lines(page, y - 14, broken)
    source = pdf.save(tmp_path / "evacuation.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    plans = policy(school / "evacuation.md").sections[0]
    assert [p.text for p in plans.passages] == [" ".join(opening), " ".join(broken)]


def test_a_document_with_nothing_but_its_cover_is_tidied_without_error() -> None:
    tidied = tidy(Outline("notice.pdf", "PDF", "Fire Notice", None, [], cover_lines=["Fire Notice"]))
    assert tidied.blocks == []


_OPENING = _wrapped(
    "This policy sets out what the school does, who is responsible for it and how it is checked. It was agreed "
    "with staff, governors and parents, and it is reviewed every year by the governing body, which may change it "
    "sooner when the law or the guidance for schools changes or when staff or parents raise a concern about it."
)


def _bullet(page: PdfPage, y: float, lines: list[str], *, text_x: float = 85.2, pitch: float = 14) -> float:
    """A bulleted item at x 72, its wrapped lines starting at text_x; returns the next line's y."""
    page.text(72, y, f"- {lines[0]}", 11)
    for position, line in enumerate(lines[1:], start=1):
        page.text(text_x, y - position * pitch, line, 11)
    return y - len(lines) * pitch


def test_a_bullet_wrapped_on_a_portrait_page_is_whole_when_landscape_pages_follow(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Relationships Education Policy", 18, bold=True)
    page.text(60, 740, "1. Aims", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 6
    y = _write_lines(page, y, ["The aims of relationships education at our school are to:"]) - 6
    y = _bullet(page, y, ["Provide a framework in which sensitive and personal discussions can take",
                          "place"]) - 6
    y = _bullet(page, y, ["Prepare pupils for puberty, and give them an understanding of their growth",
                          "and the importance of hygiene"])
    _write_lines(page, y - 14, ["Every class has these lessons in the summer term."])
    curriculum = pdf.page(landscape=True)  # an appendix set across the page: its lines end much further right
    curriculum.text(60, 540, "Appendix 1: Curriculum", 11, bold=True)
    _write_lines(curriculum, 512, _wrapped(
        "Each year group follows the same six units, one each half term, and the learning deepens every year. " * 6,
        width=110,
    ))
    source = pdf.save(tmp_path / "relationships.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    aims = policy(school / "relationships.md").sections[0]
    assert [p.text for p in aims.passages][1:] == [
        "The aims of relationships education at our school are to:\n"
        "• Provide a framework in which sensitive and personal discussions can take place",
        "The aims of relationships education at our school are to:\n"
        "• Prepare pupils for puberty, and give them an understanding of their growth and the importance of hygiene",
        "Every class has these lessons in the summer term.",
    ]


def test_a_bullet_whose_sentence_wraps_back_to_the_margin_is_one_item(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Data Handling Policy", 18, bold=True)
    page.text(60, 740, "1. Personal data", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 6
    y = _write_lines(page, y, ["Personal data the school holds includes:"]) - 6
    # No hanging indent: the wrapped line starts under the bullet, not under its text.
    y = _bullet(page, y, ["Personal information about members of the school community, such as",
                          "names, addresses and contact details"], text_x=72) - 6
    y = _bullet(page, y, ["Professional records e.g. employment history, appraisal records and"], text_x=72)
    page.text(72, y, "references", 11)
    _write_lines(page, y - 20, ["Staff keep it no longer than the retention schedule says."])
    source = pdf.save(tmp_path / "data.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    data = policy(school / "data.md").sections[0]
    assert [p.body for p in data.passages][1:] == [
        "Personal information about members of the school community, such as names, addresses and contact details",
        "Professional records e.g. employment history, appraisal records and references",
        "Staff keep it no longer than the retention schedule says.",
    ]


def _ruled_rows(page: PdfPage, y: float, rows: list[list[list[str]]], *, header_band: bool = False) -> float:
    """A ruled table whose cells hold lines of text (the first row its headings, in bold or in white on a dark
    band); returns the y under its last rule."""
    columns, right, pitch = [60.0, 200.0], 540.0, 13.0
    for position, row in enumerate(rows):
        height = max(len(cell) for cell in row) * pitch + 8
        if position == 0 and header_band:
            page.box(columns[0], y - height, right - columns[0], height, grey=0.2)
        page.rule(columns[0], y, right - columns[0])
        for x in [*columns, right]:
            page.box(x, y - height, 0.5, height)
        for x, cell in zip(columns, row, strict=True):
            for line_number, text in enumerate(cell):
                indent = 9 if line_number and not text.startswith("- ") else 0  # a wrapped line under its bullet
                page.text(x + 5 + indent, y - 12 - line_number * pitch, text, 9, bold=position == 0 and not header_band,
                          grey=1.0 if position == 0 and header_band else 0.0)
        y -= height
    page.rule(columns[0], y, right - columns[0])
    return y


def test_a_table_cell_holding_a_list_of_sentences_is_quoted_an_item_at_a_time(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Health Education Policy", 18, bold=True)
    page.text(60, 740, "1. What pupils learn", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 10
    y = _ruled_rows(page, y, [
        [["Topic"], ["Pupils should know"]],
        [["Health and", "Prevention"], ["- about dental health and the benefits of good oral",
                                        "hygiene, including check-ups at the dentist.",
                                        "- the importance of sleep for good health.",
                                        "- about germs and the importance of handwashing."]],
        [["Basic First Aid"], ["how to make a clear call to the emergency services."]],
        [["Drugs"], ["- alcohol", "- tobacco"]],  # a short list of words: the row reads best whole
    ])
    next_page = pdf.page()  # the table goes on over the page, its headings repeated in white on a dark band
    _ruled_rows(next_page, 780, [
        [["Topic"], ["Pupils should know"]],
        [["Changing Body"], ["- key facts about puberty.", "- about menstrual wellbeing."]],
    ], header_band=True)
    source = pdf.save(tmp_path / "health.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    learning = policy(school / "health.md").sections[0]
    assert [p.text for p in learning.passages][1:] == [
        "Topic: Health and Prevention; Pupils should know: about dental health and the benefits of good oral hygiene, "
        "including check-ups at the dentist.",
        "Topic: Health and Prevention; Pupils should know: the importance of sleep for good health.",
        "Topic: Health and Prevention; Pupils should know: about germs and the importance of handwashing.",
        "Topic: Basic First Aid; Pupils should know: how to make a clear call to the emergency services.",
        "Topic: Drugs; Pupils should know: alcohol; tobacco",
        "Topic: Changing Body; Pupils should know: key facts about puberty.",
        "Topic: Changing Body; Pupils should know: about menstrual wellbeing.",
    ]


def test_a_line_asking_for_signatures_is_not_a_heading_the_pages_after_it_nest_under() -> None:
    outline = Outline("online-safety.pdf", "PDF", "Online Safety Policy", None, [
        Block("heading", "Policy Statements", strength=33.5, page=3),
        Block("paragraph", "Pupils are taught to keep themselves safe online.", page=3),
        Block("heading", "Class Charter", strength=45.5, page=23),
        Block("paragraph", "I will tell a grown-up if something online upsets me.", page=23),
        Block("heading", "Please sign below if you agree to follow this class charter:", strength=36, page=23),
        Block("heading", "Class:", strength=24, page=23),
        Block("heading", "Staff Acceptable Use Agreement", strength=33.5, page=24),
        Block("paragraph", "Staff use the school's systems for their work.", page=24),
        Block("heading", "Training Needs Audit", strength=33.5, page=26),
        Block("paragraph", "Staff say which training they need.", page=26),
    ])
    tidied = tidy(outline)
    assert [(b.text, b.level) for b in tidied.blocks if b.kind == "heading"] == [
        # the charter, a poster's title far larger than the headings, heads its own page only
        ("Policy Statements", 1), ("Class Charter", 1), ("Staff Acceptable Use Agreement", 1),
        ("Training Needs Audit", 1),
    ]
    paragraphs = [b.text for b in tidied.blocks if b.kind == "paragraph"]
    assert "Please sign below if you agree to follow this class charter:" in paragraphs
    assert "Class:" in paragraphs


def test_an_appendix_heads_the_headings_under_it_of_the_same_size() -> None:
    outline = Outline("rshe.pdf", "PDF", "RSHE Policy", None, [
        block
        for heading in ("9. Monitoring", "Appendix 1: Curriculum Map", "Curriculum Map", "Appendix 2: Outcomes")
        for block in (Block("heading", heading, strength=25.5), Block("paragraph", f"The policy's {heading}."))
    ])
    levels = [(b.text, b.level) for b in tidy(outline).blocks if b.kind == "heading"]
    assert levels == [
        ("9. Monitoring", 1), ("Appendix 1: Curriculum Map", 1), ("Curriculum Map", 2), ("Appendix 2: Outcomes", 1)
    ]


def test_an_abbreviation_in_capitals_heads_no_section_under_it(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Online Safety Policy", 18, bold=True)
    page.text(60, 740, "Links to other organisations", 14, bold=True)
    y = _write_lines(page, 712, _OPENING) - 10
    for name in ("UK Safer Internet Centre", "CEOP", "Cyberbullying", "INSURANCE"):
        page.text(60, y, name, 11, bold=True)
        y = _write_lines(page, y - 20, [f"Where to find help with {name.lower()}."]) - 10
    source = pdf.save(tmp_path / "links.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "links.md").sections
    assert [(s.heading, s.level) for s in sections] == [
        ("Links to other organisations", 2), ("UK Safer Internet Centre", 3), ("CEOP", 3), ("Cyberbullying", 3),
        ("INSURANCE", 3),  # a word in capitals closes the heading before it, as a heading set in capitals does
    ]


def test_column_headings_turned_sideways_leave_no_broken_words(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Online Safety Policy", 18, bold=True)
    page.text(60, 740, "Unsuitable Activities", 14, bold=True)
    y = _write_lines(page, 712, _OPENING) - 10
    for position, heading in enumerate(("Acceptable", "Acceptable at certain times", "Unacceptable")):
        page.turned_text(400 + 20 * position, y - 160, heading, 9)  # run up the page, one column each
    y = _write_lines(page, y - 180, ["User Actions", "On-line gaming (educational) x", "On-line gambling x"])
    source = pdf.save(tmp_path / "online-safety.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    body = (school / "online-safety.md").read_text(encoding="utf-8").split("---\n")[2]
    assert [line for line in body.splitlines() if line] == [  # no letters of the turned headings a line each
        "## Unsuitable Activities", " ".join(_OPENING), "### User Actions",
        "On-line gaming (educational) x", "On-line gambling x",
    ]


def test_a_document_s_own_title_at_its_start_heads_the_whole_document() -> None:
    """The largest heading, when it is the document's first (its title on the first page after a cover), is no
    poster: the sections after it stay under it."""
    outline = Outline("anti-bullying.pdf", "PDF", "Anti-Bullying Policy", None, [
        Block("heading", "OUR APPROACH TO BULLYING", strength=45.5, page=2),
        Block("heading", "Statutory Duty", strength=30, page=2),
        Block("paragraph", "The school has a duty to prevent bullying.", page=2),
        Block("heading", "Why do some children bully?", strength=30, page=3),
        Block("paragraph", "Some children bully to feel powerful.", page=3),
        Block("heading", "Monitoring and Review", strength=30, page=4),
        Block("paragraph", "The policy is reviewed every year.", page=4),
    ])
    levels = [(b.text, b.level) for b in tidy(outline).blocks if b.kind == "heading"]
    assert levels == [
        ("OUR APPROACH TO BULLYING", 1), ("Statutory Duty", 2), ("Why do some children bully?", 2),
        ("Monitoring and Review", 2),
    ]


def test_a_poster_title_far_larger_than_the_headings_heads_only_its_own_page(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    first = pdf.page()
    first.text(60, 780, "Online Safety Policy", 18, bold=True)
    first.text(60, 740, "Policy Statements", 14, bold=True)
    y = _write_lines(first, 712, _OPENING) - 10
    first.text(60, y, "Education of Pupils", 12, bold=True)
    _write_lines(first, y - 20, _OPENING)
    second = pdf.page()
    second.text(60, 780, "Education of Parents", 12, bold=True)
    _write_lines(second, 760, _OPENING + _OPENING)
    poster = pdf.page()
    poster.text(60, 760, "Our Class Charter", 22, bold=True)
    y = _write_lines(poster, 730, ["In our class we agree to keep ourselves and each other safe online."]) - 10
    poster.text(60, y, "Using Technology", 12, bold=True)
    _write_lines(poster, y - 20, [
        "We will ask a grown-up before we go online.", "We will only use the websites our teacher shows us.",
        "We will tell a grown-up if something online upsets us.", "We will be kind to others when we go online.",
    ])
    last = pdf.page()
    last.text(60, 780, "Staff Agreement", 12, bold=True)
    _write_lines(last, 760, _OPENING)
    source = pdf.save(tmp_path / "charter.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    levels = [(s.heading, s.level) for s in policy(school / "charter.md").sections]
    assert levels == [
        ("Policy Statements", 2), ("Education of Pupils", 3), ("Education of Parents", 3), ("Our Class Charter", 2), ("Using Technology", 3),
        ("Staff Agreement", 2),  # not nested under the poster's title
    ]


def test_a_sub_bullet_drawn_below_its_line_is_an_item_and_its_sentence_stays_whole(
    school: Path, tmp_path: Path
) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Critical Incidents Policy", 18, bold=True)
    page.text(60, 740, "1. Intruders", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 6
    y = _bullet(page, y, ["Stay calm and call for help from the nearest adult."]) - 4
    # Word's second-level bullet is a Courier New "o", whose box sits lower than the line of its text
    # (Arial's): pdfplumber reads the "o" as a line of its own between the item's first two lines.
    for first, rest in (
        ("Try to isolate the potential aggressor from as many adults and", "children as possible."),
        ("Keep yourself between the aggressor and a way out of the room,", "so that you can leave."),
    ):
        page.text(92, y - 4.5, "o", 11)
        page.text(106, y, first, 11)
        page.text(106, y - 14, rest, 11)
        y -= 32
    _write_lines(page, y - 6, ["Once the police arrive, they take charge of the situation."])
    source = pdf.save(tmp_path / "incidents.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    written = (school / "incidents.md").read_text("utf-8")
    assert not re.search(r"^\s*o\s*$", written, re.M)
    passages = policy(school / "incidents.md").sections[0].passages
    assert [(p.lead[-1:], p.body) for p in passages] == [  # each sub-bullet quoted with the bullet above it
        (("Stay calm and call for help from the nearest adult.",),
         "Try to isolate the potential aggressor from as many adults and children as possible."),
        (("Stay calm and call for help from the nearest adult.",),
         "Keep yourself between the aggressor and a way out of the room, so that you can leave."),
        ((), "Once the police arrive, they take charge of the situation."),
    ]


def test_numbered_headings_in_bold_stood_in_like_a_list_are_headings(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Safe Recruitment Policy", 18, bold=True)
    y = 740.0
    for number, heading, subheadings in (
        ("1.", "Statement of Purpose", []),
        ("2.", "Registration Requirements", []),
        ("3.", "Recruitment Procedures", ["3.1 Job Description", "3.2 Interviews"]),
    ):
        # Word's numbered heading style: the number stood in from the text, as a list's is, in the body's size.
        page.text(72, y, f"{number} {heading}", 11, bold=True)
        y = _write_lines(page, y - 14, _wrapped(f"The {heading.lower()} of the school is set out here, so that "
                                                "every applicant is treated fairly and every child is kept safe."))
        if number == "2.":  # a list straight under the heading, its bullets where the number is
            y = _bullet(page, y - 6, ["Every applicant is registered with the regulatory body."], text_x=96) - 6
        for subheading in subheadings:
            page.text(60, y - 14, subheading, 11, bold=True)
            y = _write_lines(page, y - 28, [f"What the school does for the {subheading[4:].lower()}."])
        y -= 20
    source = pdf.save(tmp_path / "recruitment.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "recruitment.md").sections
    assert [(s.number, s.heading, s.level) for s in sections] == [
        ("1", "Statement of Purpose", 2),
        ("2", "Registration Requirements", 2),
        ("3", "Recruitment Procedures", 2),
        ("3.1", "Job Description", 3),
        ("3.2", "Interviews", 3),
    ]
    assert sections[0].passages[0].text.startswith("The statement of purpose of the school is set out here")


def test_a_section_number_typed_with_a_comma_is_read_with_its_dot_only_where_its_neighbours_say_so() -> None:
    outline = Outline("recruitment.pdf", "PDF", "Safe Recruitment Policy", None, [
        block
        for heading in ("3 Recruitment", "3.3 Interviews", "3,4 Employment Offer", "3.5 Confidentiality",
                        "4 Appendices", "2,5 Litres of Water a Day")
        for block in (Block("heading", heading, strength=24), Block("paragraph", f"The policy's {heading}."))
    ])
    tidied = tidy(outline)
    assert [(b.text, b.level) for b in tidied.blocks if b.kind == "heading"] == [
        ("3 Recruitment", 1), ("3.3 Interviews", 2), ("3.4 Employment Offer", 2), ("3.5 Confidentiality", 2),
        ("4 Appendices", 1), ("2,5 Litres of Water a Day", 2),  # no section 2.4 or 2.6 around it: left as written
    ]
    assert any("'3,4 Employment Offer'" in note and "3.4" in note for note in tidied.notes)


def test_headings_in_a_font_drawn_bold_but_not_named_bold_are_headings(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument(nameless_fonts=True)  # "F1" and "F2", as Microsoft Print to PDF names every font
    page = pdf.page()
    page.text(60, 780, "First Aid Policy", 18, bold=True)
    y = 740.0
    for heading in ("Policy statement", "Procedures", "Legal framework"):
        page.text(60, y, heading, 11, bold=True)  # the body's size: only its weight tells it is a heading
        y = _write_lines(page, y - 14, _wrapped(
            f"The {heading.lower()} of the pre-school says what staff do when a child or an adult is hurt, "
            "who is trained in first aid, and where the first aid box is kept in the setting."
        )) - 14
    source = pdf.save(tmp_path / "first-aid.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "first-aid.md").sections
    assert [s.heading for s in sections] == ["Policy statement", "Procedures", "Legal framework"]
    assert all(len(s.passages) == 1 and s.passages[0].text.startswith("The ") for s in sections)


def _behaviour_policy_in_three_fonts(path: Path, *, nameless: bool) -> Path:
    """A pre-school's behaviour policy printed to PDF: bold headings, sub-headings in italic at the body's size,
    and lines in italic that are no headings (a number to ring, a rule in a sentence, a title too long for a line).
    """
    pdf = PdfDocument(nameless_fonts=nameless)
    page = pdf.page()
    page.text(60, 780, "7.1 Promoting positive behaviour", 14, bold=True)
    page.text(60, 740, "Procedures", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 14
    page.text(60, y, "Initial intervention approach", 11, italic=True)
    y = _bullet(page, y - 14, ["We use an initial problem solving intervention when children are in conflict."])
    y = _bullet(page, y, ["Periodically the effectiveness of the approach is checked and reflected on."]) - 14
    page.text(60, y, "Motivation and consequences", 11, italic=True)
    y = _write_lines(page, y - 14, _wrapped(
        "All children need consistent messages, clear boundaries and guidance to manage their behaviour "
        "through self-reflection and control."
    )) - 14
    page.text(60, y, "Out of hours ring the duty team on 0344 800 8020", 11, italic=True)
    y = _write_lines(page, y - 14, ["The senior person in charge makes the call and records it."]) - 14
    page.text(60, y, "Children are never shouted at.", 11, italic=True)
    y = _write_lines(page, y - 14, ["A child who is upset is helped to calm down with an adult beside them."]) - 14
    page.text(60, y, "The role of Ofsted and of the Local Safeguarding Children Board in", 11, italic=True)
    page.text(60, y - 20, "Complaints About the Setting", 11, italic=True)  # the same title, spaced wide
    _write_lines(page, y - 48, ["Parents may approach Ofsted directly at any stage of the complaints procedure."])
    return pdf.save(path)


@pytest.mark.parametrize("nameless", [True, False], ids=["fonts named F1 F2 F3", "fonts named Courier"])
def test_sub_headings_in_a_font_of_their_own_are_headings_under_the_bold_ones(
    school: Path, tmp_path: Path, nameless: bool
) -> None:
    source = _behaviour_policy_in_three_fonts(tmp_path / "behaviour.pdf", nameless=nameless)

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "behaviour.md").sections
    assert [(s.heading, s.level) for s in sections] == [
        ("Procedures", 2), ("Initial intervention approach", 3), ("Motivation and consequences", 3)
    ]
    assert [p.text for p in sections[1].passages] == [
        "We use an initial problem solving intervention when children are in conflict.",
        "Periodically the effectiveness of the approach is checked and reflected on.",
    ]
    kept_as_text = [p.text for p in sections[2].passages]
    assert "Out of hours ring the duty team on 0344 800 8020" in kept_as_text
    assert "Children are never shouted at." in kept_as_text
    assert any(fold(text).startswith("The role of Ofsted") for text in kept_as_text)
    assert "Complaints About the Setting" in " ".join(kept_as_text)


def test_a_number_to_ring_or_a_rule_in_bold_is_not_a_heading_but_a_question_in_bold_is(
    school: Path, tmp_path: Path
) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Safeguarding Policy", 18, bold=True)
    page.text(60, 740, "Procedures", 11, bold=True)
    y = _write_lines(page, 712, _OPENING) - 14
    page.text(60, y, "Out of Hours Ring the Emergency Duty Team 0344 800 8020", 11, bold=True)
    y = _write_lines(page, y - 14, ["The designated person makes the call and keeps a note of what was said."]) - 14
    page.text(60, y, "All allegations of abuse by those who work with children must be taken seriously", 11, bold=True)
    y = _write_lines(page, y - 14, ["We ensure that all parents know how to complain about the staff."]) - 14
    page.text(60, y, "What should be done when a child tells staff something worrying?", 11, bold=True)
    _write_lines(page, y - 14, ["They listen, stay calm and tell the designated person the same day."])
    source = pdf.save(tmp_path / "safeguarding.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "safeguarding.md").sections
    assert [s.heading for s in sections] == [
        "Procedures", "What should be done when a child tells staff something worrying?"
    ]
    texts = [p.text for p in sections[0].passages]
    assert "Out of Hours Ring the Emergency Duty Team 0344 800 8020" in texts
    assert "All allegations of abuse by those who work with children must be taken seriously" in texts


@pytest.mark.parametrize(
    ("title", "first", "second", "sections"),
    [
        # The title, larger, though it says no "policy"; a bold heading at the body's size that names one is no title.
        (("3.2 First Aid", 14), ("Policy statement", 11), ("Procedures", 11), ["Policy statement", "Procedures"]),
        # A title in bold at the body's size, over a first heading set larger ("1. Policy Statement"), is the title.
        (
            ("Oakfield Primary School Staff Probation Policy", 11),
            ("1. Policy Statement", 14),
            ("2. Scope", 14),
            ["Policy Statement", "Scope"],
        ),
    ],
)
def test_the_title_is_the_first_title_like_line_not_a_heading_under_it(
    school: Path, tmp_path: Path, title: tuple[str, int], first: tuple[str, int], second: tuple[str, int],
    sections: list[str],
) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, title[0], title[1], bold=True)
    page.text(60, 748, first[0], first[1], bold=True)
    y = _write_lines(page, 720, _OPENING) - 14
    page.text(60, y, second[0], second[1], bold=True)
    _write_lines(page, y - 28, ["The first aid box is kept in the office, out of the reach of children."])
    source = pdf.save(tmp_path / "policy.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "policy.md")
    assert document.title == title[0]
    assert [s.heading for s in document.sections][:2] == sections


def test_a_paragraph_in_wide_line_spacing_stays_whole_when_a_few_lines_elsewhere_are_set_closer(
    school: Path, tmp_path: Path
) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "First Aid Policy", 18, bold=True)
    # A box of two lines set close, as a template's statutory requirement at the head of a page.
    _write_lines(page, 750, ["At least one person with a current paediatric first aid certificate is on",
                             "the premises and available at all times when children are present."], pitch=12)
    page.text(60, 706, "Defibrillator", 11, bold=True)
    wide = [  # 1.5 line spacing; the second line starts with a capital, as a place name does
        "Our nearest defibrillator is on the outside wall of the village hall, next to",
        "Loddon Road. Ring 999 and you are given the code that opens its cabinet.",
    ]
    y = _write_lines(page, 688, wide, pitch=18) - 18
    y = _write_lines(page, y, _wrapped(" ".join(_OPENING), 75), pitch=18) - 18
    _write_lines(page, y, ["Staff check the first aid box every term and replace what has been used."], pitch=18)
    source = pdf.save(tmp_path / "first-aid.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    defibrillator = next(s for s in policy(school / "first-aid.md").sections if s.heading == "Defibrillator")
    assert defibrillator.passages[0].text == " ".join(wide)


_TRICKY_TEXT = [
    "The Fire & Rescue Service is called by the Manager.",
    "Write &amp; or &#169; or &copy; and they stay as typed.",
    "Children aged <5 and > 3, a <b>tag</b>, <https://example.org> and </p> are text.",
    "See https://hub.careinspectorate.com/early-years/#Review for the guidance.",
    "# not a heading", "Section #3 of the policy", "Fire safety ##", "~~~ not a fence", "a ~struck~ word",
    "| a | b |", "a | b", "1. not a list", "- not a bullet", "> not a quote", "+ not a bullet",
    "a\\b", "`code`", "*stars* and _lines_ and [brackets](link)",
]


@pytest.mark.parametrize("text", _TRICKY_TEXT)
def test_markdown_written_by_the_import_reads_back_as_the_document_s_words(text: str, tmp_path: Path) -> None:
    from bot.importing.markdown_writer import escape
    from intents.policy_library import parse_policy

    markdown = f"---\ntitle: T\n---\n\n## {escape(text, line_start=False)}\n\n{escape(text)}\n\n- {escape(text)}\n"
    document, problems = parse_policy(tmp_path / "t.md", markdown)

    assert document is not None, problems
    section = document.sections[0]
    heading = f"{section.number}. {section.heading}" if section.number else section.heading
    assert heading == text
    assert [p.body for p in section.passages] == [text, text] or [p.text for p in section.passages] == [
        f"{text}\n• {text}"
    ]


def test_an_ampersand_hash_or_bar_is_written_as_it_is_and_shown_to_staff_as_it_is(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Critical Incidents Policy", 18, bold=True)
    page.text(60, 740, "1. Fire & Evacuation", 11, bold=True)
    words = "The Fire & Rescue Service is called first | see hub.example.org/fire/#Review for guidance."
    _write_lines(page, _write_lines(page, 712, [words]) - 14, _OPENING)
    source = pdf.save(tmp_path / "incidents.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    written = (school / "incidents.md").read_text("utf-8")
    assert "## 1. Fire & Evacuation" in written and f"\n{words}\n" in written
    section = policy(school / "incidents.md").sections[0]
    assert section.heading == "Fire & Evacuation" and section.passages[0].text == words


def test_a_pdf_of_a_cover_page_alone_is_refused_for_having_no_policy_text(school: Path, tmp_path: Path) -> None:
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Lettings Policy", 18, bold=True)
    page.text(60, 740, "1. To be written", 11, bold=True)
    source = pdf.save(tmp_path / "lettings.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 1
    assert "lettings.pdf: no policy text found in the document" in out


def test_two_documents_with_the_same_title_in_one_import_never_overwrite_each_other(
    school: Path, tmp_path: Path
) -> None:
    """A title is how an updated document finds the file its earlier import wrote; two different documents
    of one run that share a title each keep their own file, and the folder check says what to look at."""
    paths = []
    for name, line in (("first-policy", "The first aid box is kept in the office."), ("second-policy", "Visitors sign in.")):
        pdf = PdfDocument()
        page = pdf.page()
        page.text(60, 780, "Policy Statement", 16, bold=True)
        y = _write_lines(page, 740, _OPENING) - 14
        page.text(60, y, "Procedures", 11, bold=True)
        _write_lines(page, y - 28, [line])
        paths.append(pdf.save(tmp_path / f"{name}.pdf"))

    status, out = run("policies", "import", *map(str, paths), "--into", str(school))

    assert "replaced" not in out
    assert "first aid box" in (school / "first-policy.md").read_text()
    assert "Visitors sign in" in (school / "second-policy.md").read_text()
    assert status == 1 and "duplicate title" in out


def test_a_sentence_under_a_word_title_is_the_policy_s_wording_not_cover_matter(school: Path, tmp_path: Path) -> None:
    """ "December 2025" under the title is cover matter; "Applies to: all staff …" is the policy's own sentence."""
    word = WordBuilder()
    word.paragraph("Expenses Policy", "Title")
    word.paragraph("December 2025")
    word.paragraph("Applies To: All practitioners and staff engaged with the school.")
    word.heading("Introduction", 1)
    word.paragraph("Expenses must be incurred solely for the purpose of the pupils' education and be reasonable.")
    source = word.save(tmp_path / "expenses.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    text = (school / "expenses.md").read_text("utf-8")
    assert "Applies To: All practitioners and staff engaged with the school." in text
    assert "\nDecember 2025\n" not in text


def _layout_table(page: PdfPage, y: float, rows: list[tuple[list[str], list[str]] | tuple[list[str], None]]) -> float:
    """A page set out in a ruled table, as some policies are: a row is two cells (left, right), or one cell drawn
    across both (right None) holding a bold heading or lines of a paragraph; returns the y under it."""
    left, middle, right, pitch = 60.0, 300.0, 540.0, 14.0
    for cells, other in rows:
        height = pitch * max(len(cells), len(other or [])) + 8
        page.rule(left, y, right - left)
        page.box(left, y - height, 0.5, height)
        page.box(right, y - height, 0.5, height)
        if other is not None:
            page.box(middle, y - height, 0.5, height)
        heading = other is None and len(cells) == 1 and len(cells[0].split()) <= 4
        for position, line in enumerate(cells):
            page.text(left + 5, y - 14 - position * pitch, line, 11, bold=heading)
        for position, line in enumerate(other or []):
            page.text(middle + 5, y - 14 - position * pitch, line, 11)
        y -= height
    page.rule(left, y, right - left)
    return y


def test_a_page_set_out_in_a_table_keeps_its_headings_and_paragraphs(school: Path, tmp_path: Path) -> None:
    """A bold line alone in a row heads what follows it, and a paragraph in a row is quoted as a paragraph, not
    as the value of a column headed by that line ("Responsible staff: Useful contacts")."""
    pdf = PdfDocument()
    page = pdf.page()
    page.text(60, 780, "Bereavement Policy", 18, bold=True)
    page.text(60, 740, "1. Intent", 14, bold=True)
    y = _write_lines(page, 712, ["The trust supports pupils and staff affected by a death in the school community."])
    group = [
        "Within each school a designated group of staff co-ordinates the",
        "bereavement support. The group is made up of senior leaders, family",
        "support workers and pastoral staff, who meet as soon as a death in",
        "the school community is known.",
    ]
    notice = [
        "The senior leaders make sure the list of contacts is completed and",
        "displayed on the staff notice board in the staff room.",
    ]
    _layout_table(page, y - 20, [
        (["Responsible staff"], None),
        ([*group, *notice], None),
        (["Useful contacts"], None),
        (["Cruse Bereavement Support"], ["0808 808 1677"]),
        (["Child Bereavement UK"], ["0800 028 8840"]),
    ])
    source = pdf.save(tmp_path / "bereavement.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    sections = policy(school / "bereavement.md").sections
    assert [s.heading for s in sections] == ["Intent", "Responsible staff", "Useful contacts"]
    assert [p.body for p in sections[1].passages] == [" ".join(group), " ".join(notice)]
    assert [p.body for p in sections[2].passages] == [
        "Cruse Bereavement Support; 0808 808 1677", "Child Bereavement UK; 0800 028 8840",
    ]


def test_a_running_footer_is_left_out_on_the_pages_that_print_it_without_a_page_number(
    school: Path, tmp_path: Path
) -> None:
    parts = [
        ("Aims", "The programme gives every early career teacher a reduced timetable and a mentor for two years, "
         "so that they have the time to plan, to watch others teach and to reflect on their own lessons."),
        ("Mentors", "Each mentor meets the early career teacher once a week and keeps a short record of the meeting, "
         "agreeing one or two targets that the teacher works on before they next meet."),
        ("Assessment", "Progress is reviewed each term against the teachers' standards by the induction tutor, who "
         "watches a lesson, reads the mentor's records and writes a short report the teacher signs."),
        ("Concerns", "If progress is not good enough, a support plan is agreed and the headteacher is told at once; "
         "the plan names what must improve, the help given and the date it is reviewed."),
    ]
    pdf = PdfDocument()
    footers = ["Induction Policy 1", "Induction Policy", "Induction Policy 3", "Induction Policy 4"]
    for number, ((heading, text), footer) in enumerate(zip(parts, footers, strict=True), start=1):
        page = pdf.page()
        if number == 1:
            page.text(60, 700, "Early Career Teacher Induction", 18, bold=True)
        page.text(60, 660, f"{number}. {heading}", 14, bold=True)
        y = _write_lines(page, 632, _wrapped(text))
        _write_lines(page, y - 14, _wrapped(  # enough words that no page is taken for a cover
            f"This part ({heading.lower()}) applies to every early career teacher in the school, whether they "
            "work full time or part time, and to those who started their induction at another school."
        ))
        page.text(60, 40, footer, 11)
    source = pdf.save(tmp_path / "induction.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    text = (school / "induction.md").read_text("utf-8")
    assert "Induction Policy" not in text.split("---", 2)[2], text
    assert [s.heading for s in policy(school / "induction.md").sections] == [h for h, _ in parts]


def test_a_template_s_cover_line_naming_the_document_is_its_title(school: Path, tmp_path: Path) -> None:
    """No Title style and no heading before the body: the cover line naming the document is the title, without the
    template's "(Academy Name)" still to be filled in, not the file's name."""
    word = WordBuilder()
    word.paragraph("Ormiston Academies Trust")
    word.paragraph("(Academy Name) Photography and Video Policy")
    word.heading("1. Consent", 1)
    word.paragraph("Consent for photographs is collected from parents when a pupil joins the academy.")
    source = word.save(tmp_path / "oat-photos-v3.docx")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    assert policy(school / "oat-photos-v3.md").title == "Photography and Video Policy"


def test_a_policy_named_only_in_its_page_header_takes_that_name_and_its_approval_line_heads_nothing(
    school: Path, tmp_path: Path
) -> None:
    """"FREEDOM OF INFORMATION POLICY" atop every page names the document; "Approved at FGB on 29/03/06",
    in bold under it, says when it was approved; "1. Introduction: what … is." is the first section."""
    text = (
        "The classes of information which we publish are set out in this scheme, with the manner in which the "
        "information is published and whether it is free of charge or on payment, as the model scheme asks."
    )
    pdf = PdfDocument()
    pages = [pdf.page(), pdf.page(), pdf.page()]
    for page in pages:
        page.text(60, 800, "Park Community School", 12, bold=True)
        page.text(60, 786, "FREEDOM OF INFORMATION POLICY", 12, bold=True)
    first, second, third = pages
    first.text(60, 740, "Approved at FGB on 29/03/06", 11, bold=True)
    first.text(60, 700, "1. Introduction: what a publication scheme is and why it has been developed.", 11, bold=True)
    for page, y, heading, subject in ((first, 684, "", "The classes"), (second, 740, "2. Paying for information",
                                      "The charges"), (third, 740, "3. Feedback and complaints", "The complaints")):
        if heading:
            page.text(60, y, heading, 11, bold=True)
            y -= 16
        y = _write_lines(page, y, _wrapped(text.replace("The classes", subject)))
        _write_lines(page, y - 14, _wrapped(text.replace("The classes", f"{subject} in full")))
    source = pdf.save(tmp_path / "foi.pdf")

    status, out = run("policies", "import", str(source), "--into", str(school))

    assert status == 0, out
    document = policy(school / "foi.md")
    assert document.title == "Freedom of Information Policy"
    assert [(s.number, s.heading) for s in document.sections][:3] == [
        ("1", "Introduction: what a publication scheme is and why it has been developed."),
        ("2", "Paying for information"),
        ("3", "Feedback and complaints"),
    ]
