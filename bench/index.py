"""`notes index` on a generated 2,000-note workspace (~81 MB), against md_toc and doctoc.

Run: python3 bench/index.py [--notes 2000] [--dir /tmp/notes-bench]

Measures, each as a whole process: a cold run on un-indexed notes (no cache, every note written),
a cold run on indexed notes (cache deleted, nothing to write), a no-op re-run, and a re-run after
editing one note; md_toc (PyPI package md_toc, TOC to stdout for every file in one process) and
doctoc (npm, when installed, on a copy) on the same files. Peak memory is the largest resident
set of any one process of the run. Targets: cold <= 0.5x md_toc; no-op and one-edit <= 0.5 s;
peak memory <= 200 MB.

Subprocesses run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed, one warm-up run),
as on a user's machine; the fast runs are the median of five.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, notes_command, workspace_parser
from corpus import build


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = workspace_parser()
    parser.add_argument("--no-doctoc", action="store_true", help="skip doctoc (slow: minutes)")
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    files = sorted(str(p) for p in root.glob("[0-9]*.md"))
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"workspace: {args.notes} notes, {size:.1f} MB, {os.cpu_count()} cores")
    notes = notes_command()
    rows = []
    timed([*notes, "--help"], root)  # warm-up: write bytecode caches
    if shutil.which("md_toc"):
        timed([shutil.which("md_toc") or "", "--help"], root)

    # Each measurement runs in a fresh process, so RUSAGE_CHILDREN's max is per run only
    # when the runs are ordered from the smallest to the largest; report our peak first.
    cold, peak = timed([*notes, "index"], root)
    rows.append(("notes index, cold, un-indexed notes", cold, peak))
    shutil.rmtree(root / ".notes-cache")
    cold_idx, _ = timed([*notes, "index"], root)
    rows.append(("notes index, cold, indexed notes", cold_idx, None))
    noop = statistics.median(timed([*notes, "index"], root)[0] for _ in range(5))
    rows.append(("notes index, no-op re-run (median of 5)", noop, None))
    edited = root / files[len(files) // 2]
    ones = []
    for n in range(5):
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n## 59:0{n} Edited section\n", encoding="utf-8")
        ones.append(timed([*notes, "index"], root)[0])
    rows.append(("notes index, one note edited (median of 5)", statistics.median(ones), None))

    md_toc = shutil.which("md_toc")
    md_toc_time = None
    if md_toc:
        md_toc_time, _ = timed([md_toc, "-c", "github", *files], root)
        rows.append(("md_toc -c github (TOC to stdout)", md_toc_time, None))
    doctoc = None if args.no_doctoc else shutil.which("doctoc")
    if doctoc:
        copy = args.dir.with_name(args.dir.name + "-doctoc")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".notes-cache"))
        doctoc_time, _ = timed([doctoc, "--github", "--notitle", str(copy)], copy)
        rows.append(("doctoc --github (writes in place)", doctoc_time, None))

    for label, seconds, mem in rows:
        extra = f"   peak {mem:.0f} MB" if mem is not None else ""
        print(f"{label:42s} {seconds:7.2f} s{extra}")
    if md_toc_time:
        print(f"cold / md_toc: {cold / md_toc_time:.2f}x (un-indexed), {cold_idx / md_toc_time:.2f}x (indexed)")
    print("targets: cold <= 0.5x md_toc, no-op and one edit <= 0.5 s, peak <= 200 MB")


if __name__ == "__main__":
    main()
