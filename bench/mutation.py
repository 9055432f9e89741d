"""A small mutation run: which changes to the pure cores no fast test notices.

mutmut (3.x, installed on demand: ``pip install 'mutmut>=3.8,<4'``; not a dependency of the
tool) changes one operator, constant or call at a time in the code under test and runs the tests
that cover that function; a mutant no test fails on "survived": a behaviour nothing checks.

The run works on a copy of the project in a temporary folder (mutmut writes its ``mutants/``
folder and its state beside the code it mutates), over ``generate/``, ``model/`` and
``features/jsonc.py`` by default, with the fast unit tests only (no test through the CLI's
commands or a watcher), so it ends in minutes. It prints the survivors, grouped by function,
and the counts.

Run: python bench/mutation.py [--only notes_tool/features/jsonc.py ...] [--tests tests/test_jsonc.py ...]
                              [--max-children N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTATED = ["notes_tool/generate/*", "notes_tool/model/*", "notes_tool/features/jsonc.py"]
FAST_TESTS = [
    "tests/test_model.py",
    "tests/test_jsonc.py",
    "tests/test_course_index.py",
    "tests/test_toc.py",
    "tests/test_timestamps.py",
]
"""Tests that call the cores directly (a few of test_toc's and test_timestamps' go through the
CLI in-process; they are quick)."""
_SURVIVOR = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+): survived\s*$")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", default=MUTATED, help="files (globs) to mutate, from the project's root")
    parser.add_argument("--tests", nargs="+", default=FAST_TESTS, help="the tests to run against each mutant")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run at once (default: 2)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (to browse with `mutmut browse`)")
    args = parser.parse_args()
    if importlib.util.find_spec("mutmut") is None:
        print("mutmut is not installed here: pip install 'mutmut>=3.8,<4'", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="notes-mutation-"))
    try:
        top = _copy(work)
        _configure(work / "pyproject.toml", args.only, args.tests, [name for name in top if name != "notes_tool"])
        started = time.monotonic()
        mutmut = [sys.executable, "-m", "mutmut"]
        subprocess.run([*mutmut, "run", "--max-children", str(args.max_children)], cwd=work, check=True)
        listed = subprocess.run([*mutmut, "results"], cwd=work, check=True, capture_output=True, text=True).stdout
        _report(listed, time.monotonic() - started)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def _copy(work: Path) -> list[str]:
    """The project's files (tracked, and new ones git does not ignore) copied to ``work``; the
    names at its top."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, work / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return sorted({name.split("/", 1)[0] for name in listed.split("\0") if name})


def _configure(pyproject: Path, only: list[str], tests: list[str], others: list[str]) -> None:
    """mutmut reads its settings from ``[tool.mutmut]`` of the copy's pyproject.toml; it runs
    the tests in its ``mutants/`` folder, where ``others`` (what tests read) are copied too."""

    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    with pyproject.open("a", encoding="utf-8") as handle:
        handle.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["notes_tool"]\n'
            f"only_mutate = {toml_list(only)}\n"
            f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
            'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q"]\n'
            f"also_copy = {toml_list(others)}\n"
        )


def _report(results: str, seconds: float) -> None:
    survivors = [m.group("name") for line in results.splitlines() if (m := _SURVIVOR.match(line))]
    by_function: dict[str, list[str]] = {}
    for name in survivors:
        function, number = name.rsplit("__mutmut_", 1)
        by_function.setdefault(function, []).append(number)
    print(f"\n{len(survivors)} mutants survived ({seconds / 60:.1f} min); by function (mutant numbers):")
    for function, numbers in sorted(by_function.items()):
        print(f"  {function}: {', '.join(numbers)}")
    print("See one with: cd <the --keep folder> && python -m mutmut show NAME")


if __name__ == "__main__":
    sys.exit(main())
