"""Two installations of notes_tool on the same generated workspace, run by turns: what a change
costs or saves, as CPU seconds (steadier than wall time on a shared machine) and wall time.

Run: python3 bench/versus.py OTHER_NOTES [--notes 2000] [--dir /tmp/notes-versus] [--rounds 4]

OTHER_NOTES is the ``notes`` script of the other installation (a venv made from a checkout of
main, say); this one is the script of the interpreter running the benchmark. Each round copies
the generated workspace afresh for each installation, the order alternating, and runs: a cold
`notes index` (un-indexed notes, then again with the cache deleted), a no-op index, an index
after one note is edited, the first search (it builds the search index), a search, a check and
a cheat-sheet export. Prints the medians and this installation's ratio to the other's.
"""

from __future__ import annotations

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

STEPS = [
    ("index, cold, un-indexed", ["index"]),
    ("index, cold, cache deleted", ["index"]),
    ("index, no-op", ["index"]),
    ("index, one note edited", ["index"]),
    ("search, first (builds the index)", ["search", "docker"]),
    ("search", ["search", "docker"]),
    ("check", ["check"]),
    ("cheats export", ["cheats", "export"]),
]


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its workers) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def one_round(notes: list[str], base: Path, folder: Path) -> list[tuple[float, float]]:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base, folder, symlinks=True)
    found = []
    for label, args in STEPS:
        if label == "index, cold, cache deleted":
            shutil.rmtree(folder / ".notes-cache")
        if label == "index, one note edited":
            note = sorted(folder.glob("[0-9]*.md"))[len(list(folder.glob("[0-9]*.md"))) // 2]
            note.write_text(note.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        found.append(timed([*notes, *args], folder))
    return found


def main() -> None:
    parser = workspace_parser(folder="/tmp/notes-versus")
    parser.add_argument("other", help="the other installation's `notes` script")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    base = build(args.dir / "base", args.notes)
    sides = {"this": notes_command(), "other": [args.other]}
    results: dict[str, list[list[tuple[float, float]]]] = {"this": [], "other": []}
    for turn in range(args.rounds):
        order = ["this", "other"] if turn % 2 == 0 else ["other", "this"]
        for side in order:
            results[side].append(one_round(sides[side], base, args.dir / side))
            print(f"round {turn + 1} {side} done", file=sys.stderr)
    print(f"{args.notes} notes, {args.rounds} rounds; medians, this installation against the other")
    print(f"{'step':<34} {'CPU this':>9} {'other':>7} {'ratio':>6}   {'wall this':>9} {'other':>7} {'ratio':>6}")
    for at, (label, _) in enumerate(STEPS):
        cpu = [statistics.median(r[at][1] for r in results[s]) for s in ("this", "other")]
        wall = [statistics.median(r[at][0] for r in results[s]) for s in ("this", "other")]
        print(
            f"{label:<34} {cpu[0]:9.2f} {cpu[1]:7.2f} {cpu[0] / cpu[1]:6.2f}x  "
            f"{wall[0]:9.2f} {wall[1]:7.2f} {wall[0] / wall[1]:6.2f}x"
        )


if __name__ == "__main__":
    main()
