"""`staffroom policies import FILE... --into DIR`: Word and PDF policies into the school's folder.

Each document is read, tidied and written as one Markdown policy, all or nothing: the file is
written to a temporary name beside it and renamed into place only once it reads back as a
valid policy, so a refused or failed document leaves the folder as it was. Then the folder
gets the same checks as `staffroom policies check`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

import yaml

from bot.file_writing import replace_file
from bot.importing.cleanup import tidy
from bot.importing.markdown_writer import render
from bot.importing.outline import ImportRefused, Outline
from bot.importing.sections_diff import compare
from intents.lexicon import SCHOOL_LEXICON_NAME, LexiconError, load_lexicon
from intents.policy_library import PolicyDocument, Problem, check_policy_folder, load_library, read_policy_file
from intents.topics import TOPICS_FILE_NAME, read_topics

_IMPORTABLE = (".pdf", ".docx", ".doc")
_IMPORTED_SOURCE = re.compile(r"\((PDF|Word document), ")


def _reader(path: Path) -> Callable[[Path], Outline]:
    """The reader for a file, by what its first bytes say it is (its name can be wrong)."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"%PDF") or (path.suffix.lower() == ".pdf" and b"%PDF" in path.read_bytes()[:1024]):
        from bot.importing.pdf import read_pdf

        return read_pdf
    if magic.startswith(b"PK\x03\x04"):
        from bot.importing.word import read_word

        return read_word
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(
            f"{path.name}: this is an old Word 97-2003 document (.doc) or a password-protected Word file, "
            "which can't be read; open it in Word, remove any password and save it as .docx (Word document) or PDF"
        )
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise ImportRefused(f"{path.name}: can't be read as a PDF (the file is damaged or is not a PDF)")
    if suffix == ".docx":
        raise ImportRefused(f"{path.name}: can't be read as a Word document (the file is damaged or is not .docx)")
    raise ImportRefused(f"{path.name}: not a PDF or Word (.docx) document")


def _documents(arguments: Sequence[Path]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(
                p for p in argument.iterdir()
                if p.is_file() and p.suffix.lower() in _IMPORTABLE and not p.name.startswith(("~$", "."))
            )
            if not found:
                problems.append(f"{argument}: no PDF or Word documents in this folder")
            files.extend(found)
        elif argument.is_file():
            files.append(argument)
        else:
            problems.append(f"{argument}: no such file or folder")
    return files, problems


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-") or "policy"
    return "policy-readme" if slug == "readme" else slug


def _front_matter(path: Path) -> dict[str, object]:
    try:
        text = path.read_text("utf-8-sig")
        if not text.startswith("---"):
            return {}
        data = yaml.safe_load(text.split("---", 2)[1])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, IndexError):
        return {}
    return data if isinstance(data, dict) else {}


def _target(folder: Path, file_name: str, title: str, written: Collection[Path] = ()) -> Path:
    """The file this document goes to: the one an earlier import of it wrote, else one named after it.

    A file another document of the same run has just written is not an earlier import of this one, even
    with the same title: two documents never overwrite each other.
    """
    named = folder / f"{_slug(file_name)}.md"
    if named.exists():
        return named
    for existing in sorted(folder.glob("*.md")):
        if existing in written:
            continue
        meta = _front_matter(existing)
        source = str(meta.get("source") or "")
        if str(meta.get("title") or "") == title and _IMPORTED_SOURCE.search(source):
            return existing
    return named


def _source(outline: Outline, path: Path) -> str:
    dated = outline.dated or datetime.fromtimestamp(path.stat().st_mtime)
    return f"{path.name} ({outline.kind}, {dated.day} {dated:%B %Y})"


def import_document(path: Path, folder: Path, out: TextIO, written: set[Path] | None = None) -> bool:
    """Import one document into the folder, printing what happened. False when nothing was written.

    `written` collects the files this run has written, so a later document of the run never replaces one.
    """
    written = set() if written is None else written
    try:
        outline = _reader(path)(path)
        tidied = tidy(outline)
        if not any(block.kind != "heading" for block in tidied.blocks):
            raise ImportRefused(f"{path.name}: no policy text found in the document")
        notes = list(tidied.notes)
        text = render(tidied, _source(outline, path), notes)
        target = _target(folder, path.name, tidied.title, written)
        document, problems = _read_back(target, text)
        if document is None and all("too long to quote" in p.message for p in problems):
            notes = [*tidied.notes, "lists nested too deep to quote each bullet with its lines above were "
                     "written as paragraphs"]
            text = render(tidied, _source(outline, path), notes, lists=False)
            document, problems = _read_back(target, text)
        if document is None:
            print(f"{path.name}: not imported; the policy written from it would not pass the check:", file=out)
            for problem in problems:
                print(f"  {problem}", file=out)
            return False
        earlier, _ = read_policy_file(target) if target.exists() else (None, [])
        replace_file(target, text)
        written.add(target)
    except ImportRefused as refusal:
        print(f"{refusal} (nothing written)", file=out)
        return False
    except OSError as error:
        print(f"{path.name}: not imported: {error.strerror or error} (nothing written)", file=out)
        return False
    except Exception as error:  # a document this importer can't follow: say so, never a traceback
        print(f"{path.name}: not imported: the document could not be read ({type(error).__name__}); "
              "try saving it again as PDF or .docx (nothing written)", file=out)
        return False
    passages = sum(len(section.passages) for section in document.sections)
    action = "replaced" if earlier is not None else "written"
    print(
        f"{path.name} → {target.name} ({action}): \"{document.title}\", {len(document.sections)} sections, "
        f"{passages} passages" + (f", {outline.pages} pages" if outline.pages else ""),
        file=out,
    )
    if earlier is not None:
        changes = compare(earlier, document)
        for line in changes.lines() if changes else ["no section changed"]:
            print(f"  {line}", file=out)
    for note in notes:
        print(f"  check: {note}", file=out)
    return True


def _read_back(target: Path, text: str) -> tuple[PolicyDocument | None, list[Problem]]:
    from intents.policy_library import parse_policy

    return parse_policy(target, text)


def check_folder(folder: Path) -> list[Problem]:
    """The checks of `staffroom policies check`: every policy file, then topics.yaml and lexicon.yaml."""
    _, problems = check_policy_folder(folder)
    if problems:
        return problems
    library = load_library(folder)
    _, problems = read_topics(folder / TOPICS_FILE_NAME, library)
    try:
        load_lexicon([folder / SCHOOL_LEXICON_NAME])
    except LexiconError as error:
        problems = [*problems, error.problem]
    return problems


def import_policies(arguments: Sequence[Path], folder: Path, out: TextIO | None = None) -> int:
    """Import every document named (or found in a named folder); 0 when all went in and the folder checks."""
    out = out or sys.stdout
    if folder.exists() and not folder.is_dir():
        print(f"{folder}: not a folder (--into needs the school's folder)", file=out)
        return 1
    files, missing = _documents(arguments)
    for message in missing:
        print(message, file=out)
    if not files:
        print("Nothing to import.", file=out)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    written: set[Path] = set()
    imported = sum(import_document(path, folder, out, written) for path in files)
    failed = len(files) - imported
    folder_problems = check_folder(folder)
    if folder_problems:
        print(f"The folder {folder} needs a person to look at:", file=out)
        for problem in folder_problems:
            print(f"  {problem}", file=out)
    summary = f"{imported} of {len(files)} documents imported into {folder}"
    print(summary + ("." if not folder_problems else f"; {len(folder_problems)} problem(s) in the folder."), file=out)
    return 0 if not (failed or missing or folder_problems) else 1
