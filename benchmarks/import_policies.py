"""Import time per page for the zoo's real PDFs, printed.

    python benchmarks/import_policies.py [--zoo DIR] [--repeat N]

Each PDF of `../shared/zoo/originals` (or --zoo DIR) is imported into a fresh folder holding
the demo school.yaml, N times (default 2); the best wall-clock time is reported per document
and per page, with the file's passage count. The PDF importer takes at most 200 pages.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path

import pdfplumber

from bot.importing.command import import_document
from bot.importing.pdf import MAX_PAGES
from intents.policy_library import read_policy_file
from policy_text import DEMO_SCHOOL_DIR

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zoo", type=Path, default=ROOT.parent / "shared" / "zoo" / "originals")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    pdfs = sorted(args.zoo.glob("*.pdf"))
    if not pdfs:
        raise SystemExit(f"no PDFs in {args.zoo}")
    total_pages = 0
    total_seconds = 0.0
    print(f"{'document':<55} {'pages':>5} {'passages':>8} {'seconds':>8} {'s/page':>7}")
    for pdf in pdfs:
        best = float("inf")
        passages = 0
        with pdfplumber.open(pdf) as document:
            pages = len(document.pages)
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                shutil.copy(DEMO_SCHOOL_DIR / "school.yaml", folder / "school.yaml")
                out = io.StringIO()
                started = time.perf_counter()
                if not import_document(pdf, folder, out):
                    raise SystemExit(out.getvalue())
                best = min(best, time.perf_counter() - started)
                written = next(folder.glob("*.md"))
                document, _ = read_policy_file(written)
                passages = sum(len(s.passages) for s in document.sections) if document else 0
        total_pages += pages
        total_seconds += best
        print(f"{pdf.name:<55} {pages:>5} {passages:>8} {best:>8.2f} {best / pages:>7.3f}")
    per_page = total_seconds / total_pages
    print(f"{'all':<55} {total_pages:>5} {'':>8} {total_seconds:>8.2f} {per_page:>7.3f}")
    print(f"at this rate the longest PDF imported ({MAX_PAGES} pages) takes about {per_page * MAX_PAGES:.0f} s")


if __name__ == "__main__":
    main()
