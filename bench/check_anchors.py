"""``notes check`` on a note with thousands of duplicate headings and a broken link under each.

#24: 5,000 ``## Same`` headings took ``notes check`` 83 s: each broken link's hint compared the
link with every anchor of the note (difflib), 5,000 x 5,000 times. The reference, measured in
the same run, is the same check of the same note with every link right (no hint to find), so
the ratio is what the 5,000 hints (and the 5,000 lines printed) cost. Target: <= 15x (it was
about 200x).

    python bench/check_anchors.py [--headings 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from common import ENV, notes_command, wall


def note(headings: int, broken: bool) -> str:
    lines = ["# Duplicates", ""]
    for i in range(headings):
        anchor = f"same-{i}" if i else "same"
        lines += ["## Same", "", f"[here](#{'sane' + anchor[4:] if broken else anchor})", ""]
    return "\n".join(lines)


def timed(headings: int, broken: bool, runs: int) -> float:
    with tempfile.TemporaryDirectory(prefix="notes-bench-anchors-") as folder:
        root = Path(folder) / "course"
        subprocess.run(
            [*notes_command(), "init", str(root), "--course", "Bench"], env=ENV, check=True, capture_output=True
        )
        (root / "01_duplicates.md").write_text(note(headings, broken))
        subprocess.run([*notes_command(), "index"], cwd=root, env=ENV, check=False, capture_output=True)
        best = min(wall([*notes_command(), "check"], cwd=root) for _ in range(runs))
        return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--headings", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    right = timed(args.headings, False, args.runs)
    broken = timed(args.headings, True, args.runs)
    print(
        f"{args.headings} duplicate headings: check {broken:.2f} s with a broken link under each, "
        f"{right:.2f} s with every link right: {broken / right:.2f}x (target <= 15x)"
    )


if __name__ == "__main__":
    main()
