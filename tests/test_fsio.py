"""Atomic, guarded writes: the user's bytes always win a race with the tool."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notes_tool import fsio
from notes_tool.errors import ConcurrentEdit, NoteError


def test_write_is_atomic_keeps_the_mode_and_skips_unchanged(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\r\n")
    note.chmod(0o640)
    snapshot = fsio.read_snapshot(note)
    assert fsio.write_atomic(note, b"new\r\n", snapshot) is True
    assert note.read_bytes() == b"new\r\n"
    assert note.stat().st_mode & 0o777 == 0o640
    mtime = note.stat().st_mtime_ns
    assert fsio.write_atomic(note, b"new\r\n", fsio.read_snapshot(note)) is False
    assert note.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]  # no temp file left behind


def test_a_save_after_our_read_is_never_overwritten(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = fsio.read_snapshot(note)
    note.write_bytes(b"typed since\n")
    with pytest.raises(ConcurrentEdit):
        fsio.write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed since\n"


def test_a_rename_save_in_the_instant_before_our_swap_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if fsio._RENAMEAT2 is None:
        pytest.skip("no atomic exchange on this system")
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = fsio.read_snapshot(note)
    real = fsio._exchange
    calls: list[int] = []

    def editor_saves_first(a: Path, b: Path) -> bool:
        if not calls:  # the editor renames its own temp file over the note right now
            theirs = tmp_path / ".n.md.swp"
            theirs.write_bytes(b"saved by the editor\n")
            os.replace(theirs, note)
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(fsio, "_exchange", editor_saves_first)
    with pytest.raises(ConcurrentEdit):
        fsio.write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"saved by the editor\n"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


def test_without_exchange_an_in_place_write_in_that_instant_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = fsio.read_snapshot(note)
    monkeypatch.setattr(fsio, "_RENAMEAT2", None)
    real_replace = os.replace
    calls: list[int] = []

    def editor_writes_first(src: object, dst: object) -> None:
        if not calls:
            calls.append(1)
            with open(note, "r+b") as handle:  # in place, into the file we compared
                handle.write(b"typed in place\n")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", editor_writes_first)
    with pytest.raises(ConcurrentEdit):
        fsio.write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed in place\n"


def test_create_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "new.md"
    fsio.create_new(target, b"first\n")
    with pytest.raises(NoteError, match="already exists"):
        fsio.create_new(target, b"second\n")
    assert target.read_bytes() == b"first\n"


def test_a_stale_write_says_so_before_it_tries_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file saved since we read it is reported as such, even where no temp file could be made."""
    import tempfile

    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = fsio.read_snapshot(note)
    note.write_bytes(b"saved since\n")

    def no_room(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", no_room)
    with pytest.raises(ConcurrentEdit):
        fsio.write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"saved since\n"


def test_an_in_place_save_while_we_prepare_leaves_the_file_itself_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caught before any rename (macOS, Windows: no atomic exchange): the note keeps its inode,
    so an editor still holding it open goes on writing to the file on disk."""
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = fsio.read_snapshot(note)
    inode = note.stat().st_ino
    monkeypatch.setattr(fsio, "_RENAMEAT2", None)
    real_temp = fsio._temp_copy

    def editor_writes_meanwhile(path: Path, data: bytes, mode: int | None) -> Path:
        with open(note, "r+b") as handle:
            handle.write(b"typed")
        return real_temp(path, data, mode)

    monkeypatch.setattr(fsio, "_temp_copy", editor_writes_meanwhile)
    with pytest.raises(ConcurrentEdit):
        fsio.write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed"
    assert note.stat().st_ino == inode
