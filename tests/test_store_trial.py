"""The one note store as users meet it: what one command records never costs another its answer
(a search, a check, an index and a commit taking turns on one workspace)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes


def test_a_search_while_a_note_does_not_parse_keeps_the_title_it_last_had(example: Path) -> None:
    """`notes index` keeps a broken note's last title in its neighbours' nav and the course
    index; a search made in between (or the watcher's refresh of the search index) must not
    make it forget it."""
    assert run("search", "docker", cwd=example).exit_code == 0
    note = example / "01_introduction-to-data-engineering.md"
    note.write_bytes(note.read_bytes() + b"\ncaf\xe9\n")
    before = tree_bytes(example)
    found = run("search", "docker", cwd=example)
    assert found.exit_code == 0, found.stderr
    indexed = run("index", cwd=example)
    assert indexed.exit_code == 1 and "not UTF-8" in indexed.stderr
    assert tree_bytes(example) == before, indexed.stdout
    assert run("search", "introduction", cwd=example).stdout.count("01_introduction-to-data-engineering.md:") == 0


def test_a_lesson_note_that_is_not_utf8_is_named_in_the_commit_subject(example: Path) -> None:
    note = example / "01_introduction-to-data-engineering.md"
    note.write_bytes(note.read_bytes() + b"\ncaf\xe9\n")
    result = run("commit", "--dry-run", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Notes for 1", result.stdout  # was "Update " (nothing named)


def _records(ws: Path) -> list[str]:
    with sqlite3.connect(ws / ".notes-cache" / "notes.sqlite") as db:
        return sorted(key for (key,) in db.execute("SELECT key FROM notes"))


def test_a_note_renamed_again_and_again_leaves_no_record_behind(example: Path) -> None:
    assert run("search", "orchestration", cwd=example).exit_code == 0
    assert run("check", cwd=example).exit_code in (0, 1)
    first = _records(example)
    note = example / "03_workflow-orchestration.md"
    for step in range(8):
        note = note.rename(example / f"topic_{step}.md")
        assert run("index", cwd=example).exit_code == 0
        found = run("search", "orchestration", cwd=example).stdout
        assert f"topic_{step}.md:" in found and "03_workflow" not in found and f"topic_{step - 1}.md" not in found
    assert len(_records(example)) == len(first)  # each rename's record of the old path went with it
    note.rename(example / "03_workflow-orchestration.md")
    run("search", "orchestration", cwd=example)  # a search alone forgets them too
    assert _records(example) == first


@pytest.mark.parametrize("cache", ["kept", "deleted"])
def test_a_note_that_does_not_parse_keeps_its_cheat_sheet(example: Path, cache: str) -> None:
    """The git sheet's snippets are all in note 1: a bad byte in it must not delete the sheet
    (and its line in the course index) on the next export, commit or save."""
    if cache == "deleted":
        shutil.rmtree(example / ".notes-cache")
    sheet = (example / "cheatsheets" / "git.md").read_bytes()
    note = example / "01_introduction-to-data-engineering.md"
    note.write_bytes(note.read_bytes() + b"\ncaf\xe9\n")
    exported = run("cheats", "export", cwd=example)
    assert exported.exit_code == 1 and "not UTF-8" in exported.stderr
    committed = run("commit", cwd=example)
    assert committed.exit_code == 0, committed.stderr
    assert (example / "cheatsheets" / "git.md").read_bytes() == sheet
    assert git("status", "--short", cwd=example) == ""


def test_a_note_never_read_that_does_not_parse_leaves_every_sheet_as_it_is(example: Path) -> None:
    """A sheet fed by two notes, one of them unreadable and never read before (a fresh clone):
    its snippets are unknown, so no sheet is rewritten without them."""
    two = example / "02_docker-and-postgres.md"
    two.write_text(two.read_text() + '\n## More git\n\n```bash cheat=git title="History"\ngit log --oneline\n```\n')
    assert run("cheats", "export", cwd=example).exit_code == 0
    sheet = (example / "cheatsheets" / "git.md").read_bytes()
    assert b"git log --oneline" in sheet
    shutil.rmtree(example / ".notes-cache")
    two.write_bytes(two.read_bytes() + b"\ncaf\xe9\n")
    exported = run("cheats", "export", cwd=example)
    assert exported.exit_code == 1 and "not UTF-8" in exported.stderr
    assert (example / "cheatsheets" / "git.md").read_bytes() == sheet
