"""Note facts: a note parsed once (by index, check or export) is not parsed again until it changes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run

from notes_tool import document


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the lesson notes parsed from now on (in this process: small runs stay in it)."""
    names: list[str] = []
    real_parse = document.parse

    def counting(path: Path, *args: object, **kwargs: object) -> document.Note:
        if path.name[:2].isdigit():
            names.append(path.name)
        return real_parse(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(document, "parse", counting)
    yield names


def test_a_check_after_index_parses_no_note_and_says_the_same(example: Path, parsed: list[str]) -> None:
    intro = sorted(example.glob("01_*.md"))[0].name
    (example / "04_links.md").write_text(f"# Four\n\n[gone](missing.md) and [bad anchor]({intro}#nowhere)\n")
    assert run("index", cwd=example).exit_code == 0  # a new lesson: the others' nav is rewritten
    shutil.rmtree(example / ".notes-cache")
    assert "everything up to date" in run("index", cwd=example).stderr  # cold, nothing to write
    parsed.clear()
    result = run("check", cwd=example)
    assert parsed == []  # every note's facts came from the index's parse
    assert "04_links.md:3: link to a missing file: missing.md" in result.stdout
    assert f"04_links.md:3: no heading in {intro} has the anchor #nowhere" in result.stdout
    assert result.exit_code == 1


def test_an_edit_after_index_is_seen_by_check(example: Path, parsed: list[str]) -> None:
    assert run("index", cwd=example).exit_code == 0
    assert run("check", cwd=example).stdout == ""
    note = sorted(example.glob("01_*.md"))[0]
    note.write_text(note.read_text() + "\nSee [the missing part](nowhere.md).\n")
    parsed.clear()
    result = run("check", cwd=example)
    assert parsed == [note.name]  # only the edited note is read again
    assert f"{note.name}:" in result.stdout and "link to a missing file: nowhere.md" in result.stdout


def test_same_size_and_a_new_mtime_is_read_again(example: Path, parsed: list[str]) -> None:
    note = sorted(example.glob("01_*.md"))[0]
    text = note.read_text()
    note.write_text(text + "\n[x](a.md)\n")
    assert "link to a missing file: a.md" in run("check", cwd=example).stdout
    note.write_text(text + "\n[x](b.md)\n")  # same size: only the mtime tells
    stat = note.stat()
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "link to a missing file: b.md" in run("check", cwd=example).stdout


def test_cheats_export_after_check_parses_no_note(example: Path, parsed: list[str]) -> None:
    note = sorted(example.glob("01_*.md"))[0]
    note.write_text(note.read_text() + "\n```bash cheat=shell\nls -la\n```\n")
    assert run("index", cwd=example).exit_code == 0  # its back-to-top link: rewritten, so not stored
    stale = run("check", cwd=example)
    assert "cheatsheets/shell.md: cheat sheet is stale (create)" in stale.stdout
    parsed.clear()
    assert run("cheats", "export", cwd=example).exit_code == 0
    assert parsed == []
    assert "ls -la" in (example / "cheatsheets" / "shell.md").read_text()


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100])
def test_a_corrupt_or_empty_store_is_rebuilt(example: Path, parsed: list[str], damage: bytes) -> None:
    (example / "04_links.md").write_text("# Four\n\n[gone](missing.md)\n")
    first = run("check", cwd=example).stdout
    store = example / ".notes-cache" / "facts.sqlite"
    assert store.exists()
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(damage)
    parsed.clear()
    assert run("check", cwd=example).stdout == first
    assert len(parsed) >= 4  # read again, from the notes
    parsed.clear()
    assert run("check", cwd=example).stdout == first
    assert "04_links.md" not in parsed  # and stored again
