"""Caches are only ever an optimisation: whatever state one is in, a command says what it would
say without it, with at most one line about the rebuild."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run


def _fts(cache: Path) -> None:
    with sqlite3.connect(cache / "notes.sqlite") as db:
        db.execute("DELETE FROM sections_data WHERE id > 1")


def _schema(cache: Path) -> None:
    with sqlite3.connect(cache / "notes.sqlite") as db:
        db.execute("DROP TABLE owners")


def _folder(cache: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{cache}/notes.sqlite{suffix}").unlink(missing_ok=True)
    (cache / "notes.sqlite").mkdir()


def _garbage(cache: Path) -> None:
    (cache / "notes.sqlite").write_bytes(b"SQLite format 3\x00" + b"junk" * 1000)


def _outline(cache: Path) -> None:
    with sqlite3.connect(cache / "notes.sqlite") as db:
        db.execute("UPDATE notes SET regions = ?", (json.dumps({"size": "x", "fresh": [], "has_nav": 1}),))


def _facts(cache: Path) -> None:
    with sqlite3.connect(cache / "notes.sqlite") as db:
        db.execute("UPDATE notes SET facts = 'not json' WHERE rowid % 2 = 0")
        db.execute("UPDATE notes SET facts = '{\"snippets\": [1' WHERE rowid % 2 = 1")


@pytest.mark.parametrize("damage", [_fts, _schema, _folder, _garbage, _outline, _facts])
def test_a_damaged_cache_is_rebuilt_and_the_answers_stay_the_same(
    example: Path, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\n## Kangaroo volumes\n\nSee [gone](gone.md).\n")
    expected = {args: run(*args, cwd=example) for args in (("search", "kangaroo"), ("check",), ("index", "--check"))}
    damaged = shutil.copytree(example, tmp_path / "damaged")
    damage(damaged / ".notes-cache")
    (damaged / "03_workflow-orchestration.md").write_text(
        (damaged / "03_workflow-orchestration.md").read_text() + "\nA change since the damage.\n"
    )
    (example / "03_workflow-orchestration.md").write_text((damaged / "03_workflow-orchestration.md").read_text())
    for args in expected:
        got, want = run(*args, cwd=damaged), run(*args, cwd=example)
        assert (got.exit_code, got.stdout) == (want.exit_code, want.stdout), args
        extra = [line for line in got.stderr.splitlines() if line not in want.stderr.splitlines()]
        assert len(extra) <= 1 and all("rebuilt" in line for line in extra), (args, got.stderr)


def test_a_search_index_rebuilt_keeps_what_tells_a_renamed_heading(example: Path) -> None:
    """Damage in the full-text tables costs the search index only: a heading renamed after the
    rebuild is still followed by the links to it (the notes' outlines were kept)."""
    three = example / "03_workflow-orchestration.md"
    three.write_text(
        three.read_text() + "\nSee [troubleshooting](01b_virtual-environments-on-an-intel-mac.md#troubleshooting).\n"
    )
    assert run("index", cwd=example).exit_code == 0
    assert run("search", "docker", cwd=example).exit_code == 0
    _fts(example / ".notes-cache")
    result = run("search", "docker", cwd=example)
    assert result.exit_code == 0 and "rebuilt" in result.stderr
    extra = example / "01b_virtual-environments-on-an-intel-mac.md"
    extra.write_text(extra.read_text().replace("## Troubleshooting", "## When things go wrong"))
    assert run("index", cwd=example).exit_code == 0
    assert "(01b_virtual-environments-on-an-intel-mac.md#when-things-go-wrong)" in three.read_text()
