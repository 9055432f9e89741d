"""Helpers shared by the benchmarks."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

WORDS = [
    *"docker volume kubernetes model deploy flask pipenv lambda tensor serving gateway pods".split(),
    *"regression gradient threshold precision recall dropout bucket cluster ingress feature".split(),
    *"encoding pandas numpy sklearn accuracy epoch layer kernel image service".split(),
]
"""Query words for the search benchmarks (all occur in the generated notes)."""

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Subprocesses run with bytecode caching on, as on a user's machine."""


def notes_command() -> list[str]:
    """The ``notes`` script installed for the interpreter running the benchmark.

    Not the first ``notes`` on PATH: that may be a version manager's shim (pyenv's is a bash
    script that costs more than the whole search), or another installation.
    """
    script = Path(sysconfig.get_path("scripts")) / ("notes.exe" if os.name == "nt" else "notes")
    return [str(script)] if script.exists() else [sys.executable, "-m", "notes_tool"]


def wall(cmd: list[str], cwd: Path | None = None) -> float:
    """Wall-clock seconds of one command, its output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, check=False)
    return time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def workspace_parser(notes: int = 2000, folder: str = "/tmp/notes-bench") -> argparse.ArgumentParser:
    """Arguments for a benchmark on a generated workspace: ``--notes`` and ``--dir``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=notes)
    parser.add_argument("--dir", type=Path, default=Path(folder))
    return parser


def queries(count: int) -> list[str]:
    """The same ``count`` query words for every search benchmark run."""
    rng = random.Random(5)
    return [rng.choice(WORDS) for _ in range(count)]
