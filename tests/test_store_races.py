"""The note store shared by processes: a watcher, a search, a check run at once on one workspace
give the answers each would give alone (real processes on one real SQLite file)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import run


def _notes(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "notes_tool", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_searches_indexing_the_same_note_at_once_show_its_section_once(example: Path) -> None:
    assert run("search", "docker", cwd=example).exit_code == 0  # the index is made
    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\n## Wombat volumes\n\nThe wombat keeps its data.\n")
    writer = sqlite3.connect(example / ".notes-cache" / "notes.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # both searches read the index, and wait to write it
    searches = [_notes("search", "wombat", cwd=example) for _ in range(2)]
    time.sleep(2)
    writer.execute("ROLLBACK")
    writer.close()
    for search in searches:
        _, err = search.communicate(timeout=60)
        assert search.returncode == 0, err
    found = run("search", "wombat", cwd=example)
    assert found.stdout.count("02_docker-and-postgres.md:") == 1, found.stdout


def test_commands_started_together_on_a_new_cache_make_it_once_without_a_warning(example: Path) -> None:
    cache = example / ".notes-cache"
    shutil.rmtree(cache)
    cache.mkdir()
    writer = sqlite3.connect(cache / "notes.sqlite", isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")  # the commands find no store, and wait to make it
    commands = [_notes(*args, cwd=example) for args in [("search", "docker"), ("check",), ("search", "postgres")] * 2]
    time.sleep(2)
    writer.execute("ROLLBACK")
    writer.close()
    for command in commands:
        _, err = command.communicate(timeout=60)
        assert "rebuilt" not in err and "Traceback" not in err, err
    assert run("search", "docker", cwd=example).stdout.count("02_docker-and-postgres.md:") >= 1
