"""The note store shared by processes: a watcher, a search, a check run at once on one workspace
give the answers each would give alone (real processes on one real SQLite file)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
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


@pytest.mark.slow
def test_a_store_busy_for_longer_than_a_command_waits_is_kept_not_rebuilt(example: Path) -> None:
    """Another command writing the store for over 10 s (a first index of many notes, a slow
    disk) is no damage: a search says it is busy, the store keeps every record (the outlines
    that tell a renamed heading, the facts, the search index)."""
    assert run("search", "docker", cwd=example).exit_code == 0
    store = example / ".notes-cache" / "notes.sqlite"
    with sqlite3.connect(store) as db:
        before = db.execute("SELECT count(*), count(outline), count(facts) FROM notes").fetchone()
    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\n## Wombat volumes\n\nThe wombat keeps its data.\n")
    writer = sqlite3.connect(store, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE marks SET value = value")
    commands = [_notes("search", "wombat", cwd=example), _notes("check", cwd=example)]
    outputs = [command.communicate(timeout=60) for command in commands]
    writer.execute("ROLLBACK")
    writer.close()
    (_, searched), (_, checked) = outputs
    assert commands[0].returncode == 1 and "busy" in searched and "rebuilt" not in searched, searched
    assert "rebuilt" not in checked and "Traceback" not in checked, checked
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*), count(outline), count(facts) FROM notes").fetchone() == before
    assert "02_docker-and-postgres.md:" in run("search", "wombat", cwd=example).stdout
