"""`notes --help` start-up against bare Python start-up (target: within 4x).

Run: python3 bench/startup.py [--runs 20]
Both run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed), as on a user's machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, notes_command


def timed(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    help_cmd = [*notes_command(), "--help"]
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    helped = timed(help_cmd, args.runs)
    print(f"python -c pass : {bare * 1000:7.1f} ms (median of {args.runs})")
    print(f"notes --help   : {helped * 1000:7.1f} ms")
    print(f"ratio          : {helped / bare:7.2f}x  (target <= 4x)")
    probe = (
        "import sys, notes_tool.cli; "
        "print(sorted(m for m in ('git', 'watchdog', 'jinja2', 'markdown_it', 'yaml') if m in sys.modules))"
    )
    heavy = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"heavy modules imported by the CLI module: {heavy}")


if __name__ == "__main__":
    main()
