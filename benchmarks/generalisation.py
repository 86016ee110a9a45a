"""Score the router on question sets about a school folder, per policy, as the judge would.

    python benchmarks/generalisation.py --policies DIR SET.jsonl [SET.jsonl ...] [--totals-only]

Each set is JSONL in the format of ``../shared/eval/`` (``q``, ``kind``, ``any``; ``policy`` names the
policy's file stem). It prints, for each policy and for the out-of-scope questions: right answers
(the answer quotes one of the phrases, as ``../shared/eval/score.py`` judges), right by the first quoted
block alone, and the total. ``--totals-only`` prints only the totals, for a set kept blind.
The questions are asked through ``staffroom ask --jsonl`` in one process, as a school would.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

MAX_CHARS = 1200
_BLOCK_START = re.compile(r"\n\n(?=[^\n]+ · [^\n]*:\n)")


def _norm(text: str) -> str:
    text = text.lower()
    for old, new in (("\u2019", "'"), ("\u2018", "'"), ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " ")):
        text = text.replace(old, new)
    return re.sub(r"\s+", " ", text)


def _right(question: dict[str, Any], answer: dict[str, Any], *, first_block: bool) -> bool:
    if question["kind"] == "out_of_scope":
        return not answer.get("answered")
    if question["kind"] == "my_requests":
        return answer.get("intent") in ("my_requests", "cancel_request")
    if question["kind"] != "policy":
        return bool(answer.get("intent") == question["kind"])
    text = answer.get("text") or ""
    if first_block:
        text = _BLOCK_START.split(text, maxsplit=1)[0]
    folded = _norm(text)
    return (
        bool(answer.get("answered"))
        and len(_norm(answer.get("text") or "")) <= MAX_CHARS
        and any(_norm(phrase) in folded for phrase in question["any"])
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", required=True, type=Path)
    parser.add_argument("--totals-only", action="store_true")
    parser.add_argument("--show-wrong", action="store_true", help="print the questions answered wrongly")
    parser.add_argument("sets", nargs="+", type=Path)
    options = parser.parse_args()
    questions = [json.loads(line) for path in options.sets for line in path.read_text().splitlines() if line.strip()]
    asked = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--jsonl", "--policies", str(options.policies)],
        input="\n".join(q["q"] for q in questions) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    answers = [json.loads(line) for line in asked.stdout.splitlines() if line.strip()]
    if len(answers) != len(questions):
        print(f"asked {len(questions)} questions, got {len(answers)} answers", file=sys.stderr)
        return 1
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for question, answer in zip(questions, answers, strict=True):
        group = question.get("policy", question["kind"]) if question["kind"] == "policy" else question["kind"]
        row = tally[group]
        right = _right(question, answer, first_block=False)
        row[0] += int(right)
        row[1] += int(_right(question, answer, first_block=True))
        row[2] += 1
        if options.show_wrong and not right and not options.totals_only:
            print(f"WRONG [{group} {question.get('section', '')}] {question['q']}")
            print("   ->", (answer.get("text") or "").split("\n", 1)[0][:140], f"({answer.get('intent')})")
    kinds = {q.get("policy", q["kind"]) if q["kind"] == "policy" else q["kind"]: q["kind"] for q in questions}
    policy_rows = [row for group, row in tally.items() if kinds[group] == "policy"]
    if not options.totals_only:
        for group, (answered, first_only, asked_in_group) in sorted(tally.items()):
            print(f"{group:48} {answered:4}/{asked_in_group:<4} first block {first_only:4}/{asked_in_group}")
    total = sum(r[0] for r in policy_rows)
    first = sum(r[1] for r in policy_rows)
    count = sum(r[2] for r in policy_rows)
    if count:
        print(f"{'policy questions':48} {total:4}/{count:<4} ({100 * total / count:.1f}%)"
              f" first block {first}/{count} ({100 * first / count:.1f}%)")
    if "out_of_scope" in tally:
        declined, _, asked_count = tally["out_of_scope"]
        print(f"{'out of scope declined':48} {declined:4}/{asked_count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
