"""`notes search` and `notes check` on the generated 2,000-note workspace.

Run: python3 bench/search.py [--notes 2000] [--dir /tmp/notes-bench] [--queries 100]

Measures the search index build (cold), then the same queries: in-process (the freshness check
of every note plus the query, and the query alone), as a whole `notes search` process (alone,
then with `notes watch` running, which answers it), and `grep -ril` over the same notes. Then
`notes check` against a cold `notes index` that rewrites every note (a course's first index):
right after it (check reads the facts that index kept, moved to the lines it wrote), and with
the cache folder deleted (a fresh clone in CI: check parses every note). Targets: p95 <= 50 ms
in-process; whole process faster than grep; check <= 1x a cold index. Subprocesses run with
bytecode caching on, as on a user's machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, notes_command, percentile, queries, wall, workspace_parser
from corpus import build

from notes_tool.features import search
from notes_tool.structure.workspace import open_workspace


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
    words = queries(args.queries)

    start = time.perf_counter()
    search.rebuild(ws)
    built = time.perf_counter() - start

    fresh_and_query, query_only = [], []
    with search.open_index(ws) as db:
        for q in words:
            t0 = time.perf_counter()
            search.update(ws, db)
            t1 = time.perf_counter()
            search.query(db, q)
            t2 = time.perf_counter()
            fresh_and_query.append(t2 - t0)
            query_only.append(t2 - t1)

    wall([*notes, "search", "docker"], root)  # warm-up: bytecode caches
    whole = [wall([*notes, "search", q], root) for q in words]
    grep = shutil.which("grep")
    files = sorted(str(p) for p in root.glob("[0-9]*.md"))
    greps = [wall([grep, "-ril", q, *files], root) for q in words] if grep else []

    size = sum(os.path.getsize(f) for f in files) / 1e6
    fresh = args.dir.with_name(args.dir.name + "-fresh")  # the course as built: never indexed
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(args.dir, fresh, ignore=shutil.ignore_patterns(".notes-cache"))
    fresh_root = fresh / root.relative_to(args.dir)
    index_cold = wall([*notes, "index"], fresh_root)  # rewrites every note (times, TOCs, nav)
    check = wall([*notes, "check"], fresh_root)  # reads the facts index kept
    shutil.rmtree(fresh_root / ".notes-cache")
    check_cold = wall([*notes, "check"], fresh_root)  # no cache: parses every note
    shutil.rmtree(fresh)

    # Last: the watcher's first round indexes the notes and exports the sheets (they change).
    watcher = subprocess.Popen([*notes, "watch"], cwd=root, env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        assert watcher.stderr is not None
        while "watching" not in (line := watcher.stderr.readline()):  # ready: the search server listens
            if not line:
                raise SystemExit("notes watch stopped before it was ready")
        wall([*notes, "search", "docker"], root)
        served = [wall([*notes, "search", q], root) for q in words]
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(60)
        if watcher.stderr is not None:
            watcher.stderr.close()

    print(f"workspace: {args.notes} notes, {size:.1f} MB, {os.cpu_count()} cores")
    print(f"search index build (cold)              {built:8.2f} s")
    row("in-process, freshness check + query", fresh_and_query)
    row("in-process, query alone", query_only)
    row("`notes search`, whole process", whole)
    row("the same, with `notes watch` running", served)
    if greps:
        row("`grep -ril`, same notes", greps)
        ratio = statistics.median(whole) / statistics.median(greps)
        served_ratio = statistics.median(served) / statistics.median(greps)
        print(f"whole process / grep (medians)         {ratio:6.2f}x, with the watcher {served_ratio:.2f}x")
    print(f"`notes index`, cold, rewriting notes  {index_cold:8.2f} s")
    print(f"`notes check` after it                 {check:8.2f} s   ({check / index_cold:.2f}x index cold)")
    print(f"`notes check`, no cache (fresh clone)  {check_cold:8.2f} s   ({check_cold / index_cold:.2f}x index cold)")
    print("targets: in-process p95 <= 50 ms; whole process faster than grep; check <= 1x index cold")


if __name__ == "__main__":
    main()
