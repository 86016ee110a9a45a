"""Routing latency and start-up time, printed.

    python benchmarks/routing_latency.py [--questions FILE ...]

1. p50/p99 time to route one question on the bundled demo policies;
2. the same on a synthetic library of 100 policy documents (about 2,000
   passages) generated from the bundled policies' sentences, shuffled;
3. start-up + first answer: a fresh `staffroom ask` process, wall clock and CPU time, with the
   router built once and kept (`intents.router_cache`; the first run, which builds it, shown apart);
4. the memory of each loaded router (Python allocations while it is built and
   warmed, tracemalloc), beside its latency.
Targets (issue 2): p99 <= 2 ms, <= 10 ms, start-up + first answer <= 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from intents.policy_library import load_library
from intents.router import Router
from policy_text import DEMO_SCHOOL_DIR

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUESTIONS = [ROOT / "tests" / "data" / f"questions_{name}.jsonl" for name in ("tune", "check")]
TODAY = date(2026, 11, 23)


def read_questions(paths: list[Path]) -> list[str]:
    questions = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                questions.append(json.loads(line)["q"])
    return questions


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_routing(router: Router, questions: list[str], rounds: int) -> tuple[float, float, float]:
    for question in questions:  # warm caches as a running server would be
        router.route(question, TODAY)
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            router.route(question, TODAY)
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.99), max(samples)


def write_synthetic_library(folder: Path, documents: int = 100, passages_each: int = 20) -> None:
    """Policies with headings and bullets, their sentences drawn from the bundled policies."""
    library = load_library(DEMO_SCHOOL_DIR)
    sentences = [p.body for p in library.passages]
    words = sorted({w for s in sentences for w in s.split()})
    generator = random.Random(7)
    for number in range(documents):
        lines = ["---", f"title: Synthetic Policy {number:03d}", "school: Benchmark", "---", ""]
        for section in range(1, passages_each // 4 + 1):
            lines += [f"## {section}. {' '.join(generator.sample(words, 3))}", ""]
            lines += [generator.choice(sentences), "", "Staff should note:", ""]
            lines += [f"- {' '.join(generator.sample(words, 12))}" for _ in range(3)]
            lines.append("")
        (folder / f"synthetic-{number:03d}.md").write_text("\n".join(lines), encoding="utf-8")


def load_measured(folder: Path, questions: list[str]) -> tuple[Router, float]:
    """A router for a folder, and the memory (MiB) it holds once built and warmed on the questions."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    router = Router.from_folder(folder)
    for question in questions:
        router.route(question, TODAY)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return router, held / 2**20


def time_startup(question: str, cache: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of a fresh `staffroom ask` (a loaded machine inflates the first, not the second)."""
    environment = {**os.environ, "STAFFROOM_CACHE_DIR": str(cache)}
    # An installed Staffroom runs from compiled bytecode; a shell that turns writing it off would time
    # Python compiling every module instead.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot.cli", "ask", question], check=True, capture_output=True, env=environment)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, nargs="*", default=DEFAULT_QUESTIONS)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    questions = read_questions(args.questions)

    # First, while this process is still small: a user's `staffroom ask` starts from a quiet shell,
    # not beside a benchmark holding a 2,000-passage index.
    with tempfile.TemporaryDirectory() as cache:
        cold = time_startup("who do I contact about IT?", Path(cache))
        runs = [time_startup("who do I contact about IT?", Path(cache)) for _ in range(5)]

    router, memory = load_measured(DEMO_SCHOOL_DIR, questions)
    p50, p99, worst = time_routing(router, questions, args.rounds)
    print(f"bundled policies: {len(router.library.passages)} passages, {len(questions)} questions x {args.rounds}, "
          f"router memory {memory:.1f} MiB")
    print(f"  route p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {worst:.3f} ms   (target p99 <= 2 ms)")

    with tempfile.TemporaryDirectory() as folder:
        write_synthetic_library(Path(folder))
        started = time.perf_counter()
        synthetic = Router.from_folder(Path(folder))
        built = time.perf_counter() - started
        del synthetic
        synthetic, memory = load_measured(Path(folder), questions)
        p50, p99, worst = time_routing(synthetic, questions, 1)
        print(f"synthetic library: {len(synthetic.library.documents)} documents, "
              f"{len(synthetic.library.passages)} passages, index built in {built:.2f} s, "
              f"router memory {memory:.1f} MiB")
        print(f"  route p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {worst:.3f} ms   (target p99 <= 10 ms)")

    walls = [wall for wall, _ in runs]
    print(f"start-up + first answer (fresh process): median {statistics.median(walls):.2f} s, "
          f"best {min(walls):.2f} s, CPU median {statistics.median(cpu for _, cpu in runs):.2f} s   (target <= 1 s)")
    print(f"  the first run, building the router and keeping it (and compiling bytecode): {cold[0]:.2f} s, "
          f"CPU {cold[1]:.2f} s")


if __name__ == "__main__":
    main()
