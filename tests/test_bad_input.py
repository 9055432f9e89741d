"""Bad input gets one line, `path:line: what is wrong`, a non-zero exit (or a warning), no
traceback, and nothing changed: odd files in the notes folder, odd arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run, tree_bytes

COMMANDS = [["index"], ["check"], ["cheats", "export"], ["search", "docker"]]


def notes(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (a hang fails the test instead of blocking the suite)."""
    return subprocess.run(
        [sys.executable, "-m", "notes_tool", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("odd", ["symlink loop", "folder", "fifo"])
def test_odd_things_named_like_notes_never_crash_or_hang(example: Path, odd: str) -> None:
    path = example / "07_odd.md"
    if odd == "symlink loop":
        (example / "loop.md").symlink_to("loop.md")
        path.symlink_to("loop.md")
    elif odd == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    for command in COMMANDS:
        done = notes(*command, cwd=example)
        assert "Traceback" not in done.stderr, (command, done.stderr)
        assert done.returncode in (0, 1), (command, done.stderr)
    if odd != "folder":  # (a folder is not a note: nothing to say)
        assert "07_odd.md:" in notes("check", cwd=example).stdout


def test_a_query_that_is_not_text_is_one_line(example: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notes_tool", "search", os.fsdecode(b"\xff")],
        cwd=example,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and done.stderr.startswith("search: the query is not valid text")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("args", [["search", "docker", "--lesson", "9" * 30], ["new", "X", "--lesson", "9" * 30]])
def test_huge_numbers_are_refused_by_name(example: Path, args: list[str]) -> None:
    result = run(*args, cwd=example)
    assert result.exit_code == 2 and "--lesson" in result.stderr


@pytest.mark.parametrize("title", ["Two\nlines", "Tab\there", "Bell\x07"])
def test_a_new_note_title_is_one_line_of_text(example: Path, title: str) -> None:
    before = tree_bytes(example)
    result = run("new", title, cwd=example)
    assert result.exit_code == 1 and "a note's title is one line of text" in result.stderr
    assert tree_bytes(example) == before
