"""A clone's ``.gitignore`` with a pathological pattern: the rules become regular expressions,
and ``*a*a*a*a*b`` against a long note name backtracks for seconds per file (minutes with more
stars) in every command that lists the notes (``notes search`` does before every search)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run


def test_a_pathological_gitignore_pattern_does_not_hang_the_walk(example: Path) -> None:
    (example / ".gitignore").write_text(".notes-cache/\n" + "*a" * 6 + "*b\n")
    for number in range(3):
        (example / f"{'a' * 240}{number}.md").write_text(f"# Long {number}\n\nzebra words\n")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "notes_tool", "search", "zebra"],
            cwd=example,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("notes search still listing the notes after 30 s") from None
    assert "Traceback" not in done.stderr
    assert "Long 0" in done.stdout


def test_ordinary_gitignore_rules_still_apply(example: Path) -> None:
    (example / ".gitignore").write_text(".notes-cache/\ndrafts/**/*.md\n*.private.md\n")
    (example / "drafts" / "deep").mkdir(parents=True)
    (example / "drafts" / "deep" / "wip.md").write_text("# Work in progress\n\nzebra draft\n")
    (example / "diary.private.md").write_text("# Diary\n\nzebra diary\n")
    (example / "kept.md").write_text("# Kept\n\nzebra kept\n")
    found = run("search", "zebra", cwd=example).stdout
    assert "Kept" in found
    assert "Work in progress" not in found and "Diary" not in found
