"""#24 item 1: a clone that commits its cache folder (or files in it) as links to elsewhere.

git keeps symbolic links, and a clone decides what its ``.notes-cache`` holds, ignored by git
or not. No command may write through such a link, read without bound from one (``/dev/zero``),
or take the clone's cache as it is: a link, or anything that is not a regular file, is
discarded and made afresh as a real file inside the workspace.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run
from test_watch import Running

CACHE = ".notes-cache"
ENTRIES = [
    "sheets.json",
    "notes.sqlite",
    "notes.sqlite-wal",
    "notes.sqlite-shm",
    "notes.sqlite-journal",
    "notes.lock",
    ".gitignore",
]
COMMANDS = [["index"], ["search", "volumes"], ["check"], ["cheats", "export"]]
BASHRC = b"# ~/.bashrc: the user's own\nexport PATH=$HOME/bin:$PATH\n"


def outside_file(tmp_path: Path) -> Path:
    home = tmp_path / "victim-home"
    home.mkdir(exist_ok=True)
    victim = home / ".bashrc"
    victim.write_bytes(BASHRC)
    return victim


def fresh_cache(root: Path) -> Path:
    """The workspace's cache folder emptied, as a clone that committed one would bring it."""
    folder = root / CACHE
    for path in folder.iterdir() if folder.is_dir() else []:
        path.unlink()
    folder.mkdir(exist_ok=True)
    return folder


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_cache_file_linked_outside_is_never_written_through(example: Path, tmp_path: Path, entry: str) -> None:
    victim = outside_file(tmp_path)
    folder = fresh_cache(example)
    (folder / entry).symlink_to(victim)
    (example / "02_docker-and-postgres.md").write_text(
        (example / "02_docker-and-postgres.md").read_text() + "\n## A new section\n"
    )  # so that index has something to write, and the caches something to learn
    for args in COMMANDS:
        result = run(*args, cwd=example)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert victim.read_bytes() == BASHRC, (args, entry)
        assert list(victim.parent.iterdir()) == [victim], (args, entry)
    # the cache is the tool's own again: what it uses is a real file inside
    assert not (folder / entry).is_symlink()


def test_the_cache_folder_linked_outside_is_never_written_through(example: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_bytes(b"theirs\n")
    fresh_cache(example).rmdir()
    (example / CACHE).symlink_to(elsewhere, target_is_directory=True)
    for args in COMMANDS:
        result = run(*args, cwd=example)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.exit_code == 0, (args, result.stderr)
        assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"], args
        assert (elsewhere / "keep.txt").read_bytes() == b"theirs\n"
    assert (example / CACHE).is_dir() and not (example / CACHE).is_symlink()


def test_watch_starting_writes_nothing_through_a_linked_cache(example: Path, tmp_path: Path) -> None:
    victim = outside_file(tmp_path)
    folder = fresh_cache(example)
    for entry in ENTRIES:
        (folder / entry).symlink_to(victim)
    Running(example).stop()  # started (its first round run), then stopped
    assert victim.read_bytes() == BASHRC and list(victim.parent.iterdir()) == [victim]
    assert not any(p.is_symlink() for p in folder.iterdir())


def _bounded(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``notes ARGS`` in a child limited to 1 GB of memory and 60 s (an unbounded read of
    /dev/zero fails fast there instead of taking the machine's memory)."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        [sys.executable, "-m", "notes_tool", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
        env=env,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists() or sys.platform == "win32", reason="needs /dev/zero")
@pytest.mark.parametrize("entry", ["sheets.json", "notes.sqlite"])
def test_a_cache_file_linked_to_dev_zero_is_not_read_without_bound(example: Path, entry: str) -> None:
    folder = fresh_cache(example)
    (folder / entry).symlink_to("/dev/zero")
    for args in (["index"], ["cheats", "export"], ["check"], ["search", "volumes"]):
        result = _bounded(args, example)
        assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, (args, result.stderr)
        assert result.returncode == 0, (args, result.stderr)


def test_a_huge_cache_file_is_not_read_whole(example: Path) -> None:
    """A clone's 4 GB ``notes.sqlite`` (sparse here: it costs no disk) is discarded unread."""
    folder = fresh_cache(example)
    for name in ("notes.sqlite", "sheets.json"):
        with (folder / name).open("wb") as handle:
            handle.truncate(4 << 30)
    for args in (["index"], ["cheats", "export"]):
        result = _bounded(args, example)
        assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr, (args, result.stderr)
        assert result.returncode == 0, (args, result.stderr)
    assert (folder / "notes.sqlite").stat().st_size < 1 << 20
