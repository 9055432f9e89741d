"""`notes search` and `notes check` on the generated 2,000-note workspace.

Run: python3 bench/search.py [--notes 2000] [--dir /tmp/notes-bench] [--queries 100]

Measures the search index build (cold), then the same questions (single words, several words,
sentences, a misspelling, compounds) in-process (the freshness check of every note plus the
query) and as a whole `notes search` process with no watcher running. Then `notes check` against
a cold `notes index` with no cache (a fresh clone in CI), and right after an index. Targets:
in-process p95 <= 50 ms; whole process p95 <= 100 ms; check <= 1.3x a cold index with no cache
and <= 0.5x right after an index. Subprocesses run with bytecode caching on, as a user's do.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import notes_command, percentile, queries, wall, workspace_parser
from corpus import build

from notes_tool.features import search
from notes_tool.stores import search_index
from notes_tool.structure.workspace import open_workspace

QUESTIONS = [
    "docker volume",
    "deploy flask model with docker",
    "how do I keep the data when the container stops",
    "kuberntes deployment",
    "k-fold cross validation",
    "tflite lambda",
    "precision recall threshold",
    "gradient boosting trees",
]
"""Multi-word questions, mixed with the single words of common.queries()."""


def row(label: str, samples: list[float]) -> None:
    p50, p95 = percentile(samples, 0.5) * 1000, percentile(samples, 0.95) * 1000
    print(f"{label:38s} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    parser = workspace_parser()
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    notes = notes_command()
    ws = open_workspace(root)
    words = [q for pair in zip(queries(args.queries), QUESTIONS * args.queries, strict=False) for q in pair]

    start = time.perf_counter()
    search_index.rebuild(ws)
    built = time.perf_counter() - start

    in_process = []
    for q in words:
        t0 = time.perf_counter()
        search.ask(ws, q)
        in_process.append(time.perf_counter() - t0)

    wall([*notes, "search", "docker"], root)  # warm-up: bytecode caches
    whole = [wall([*notes, "search", *q.split()], root) for q in words]

    files = sorted(root.glob("[0-9]*.md"))
    size = sum(os.path.getsize(f) for f in files) / 1e6
    fresh = args.dir.with_name(args.dir.name + "-fresh")  # the course as built: never indexed
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(args.dir, fresh, ignore=shutil.ignore_patterns(".notes-cache"))
    fresh_root = fresh / root.relative_to(args.dir)
    clone = fresh.with_name(fresh.name + "-clone")
    shutil.rmtree(clone, ignore_errors=True)
    shutil.copytree(fresh, clone)
    clone_root = clone / root.relative_to(args.dir)
    index_cold = wall([*notes, "index"], fresh_root)  # no cache; rewrites every note (times, TOCs, nav)
    check_after = wall([*notes, "check"], fresh_root)  # right after it
    check_cold = wall([*notes, "check"], clone_root)  # a fresh clone: no cache, nothing indexed
    shutil.rmtree(fresh)
    shutil.rmtree(clone)

    print(f"workspace: {args.notes} notes, {size:.1f} MB, {os.cpu_count()} cores")
    print(f"search index build (cold)              {built:8.2f} s")
    row("in-process, freshness check + query", in_process)
    row("`notes search`, whole process", whole)
    print(f"`notes index`, cold, no cache          {index_cold:8.2f} s")
    print(f"`notes check`, no cache (fresh clone)  {check_cold:8.2f} s   ({check_cold / index_cold:.2f}x index cold)")
    print(f"`notes check` right after the index    {check_after:8.2f} s   ({check_after / index_cold:.2f}x index cold)")
    print("targets: in-process p95 <= 50 ms; whole process p95 <= 100 ms; check <= 1.3x cold index, <= 0.5x after one")


if __name__ == "__main__":
    main()
