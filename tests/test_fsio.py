"""Atomic, guarded writes: the user's bytes always win a race with the tool."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from notes_tool.errors import ConcurrentEdit, NoteError
from notes_tool.fsio import write
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.fsio.merge import merge_lines
from notes_tool.fsio.read import file_digest, read_snapshot
from notes_tool.fsio.write import create_new, write_atomic


def test_write_is_atomic_keeps_the_mode_and_skips_unchanged(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"old\r\n")
    note.chmod(0o640)
    snapshot = read_snapshot(note)
    assert write_atomic(note, b"new\r\n", snapshot) is True
    assert note.read_bytes() == b"new\r\n"
    assert note.stat().st_mode & 0o777 == 0o640
    mtime = note.stat().st_mtime_ns
    assert write_atomic(note, b"new\r\n", read_snapshot(note)) is False
    assert note.stat().st_mtime_ns == mtime
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]  # no temp file left behind


def test_a_save_after_our_read_is_never_overwritten(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = read_snapshot(note)
    note.write_bytes(b"typed since\n")
    with pytest.raises(ConcurrentEdit):
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed since\n"


def test_a_rename_save_in_the_instant_before_our_swap_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if write._RENAMEAT2 is None:
        pytest.skip("no atomic exchange on this system")
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = read_snapshot(note)
    real = write._exchange
    calls: list[int] = []

    def editor_saves_first(a: Path, b: Path) -> bool:
        if not calls:  # the editor renames its own temp file over the note right now
            theirs = tmp_path / ".n.md.swp"
            theirs.write_bytes(b"saved by the editor\n")
            os.replace(theirs, note)
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(write, "_exchange", editor_saves_first)
    with pytest.raises(ConcurrentEdit):
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"saved by the editor\n"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


def test_without_exchange_an_in_place_write_in_that_instant_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = read_snapshot(note)
    monkeypatch.setattr(write, "_RENAMEAT2", None)
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
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed in place\n"


def test_create_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "new.md"
    create_new(target, b"first\n")
    with pytest.raises(NoteError, match="already exists"):
        create_new(target, b"second\n")
    assert target.read_bytes() == b"first\n"


def test_a_stale_write_says_so_before_it_tries_to_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file saved since we read it is reported as such, even where no temp file could be made."""
    import tempfile

    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = read_snapshot(note)
    note.write_bytes(b"saved since\n")

    def no_room(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", no_room)
    with pytest.raises(ConcurrentEdit):
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"saved since\n"


def test_an_in_place_save_while_we_prepare_leaves_the_file_itself_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caught before any rename (macOS, Windows: no atomic exchange): the note keeps its inode,
    so an editor still holding it open goes on writing to the file on disk."""
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    snapshot = read_snapshot(note)
    inode = note.stat().st_ino
    monkeypatch.setattr(write, "_RENAMEAT2", None)
    real_temp = write._temp_copy

    def editor_writes_meanwhile(path: Path, data: bytes, mode: int | None) -> Path:
        with open(note, "r+b") as handle:
            handle.write(b"typed")
        return real_temp(path, data, mode)

    monkeypatch.setattr(write, "_temp_copy", editor_writes_meanwhile)
    with pytest.raises(ConcurrentEdit):
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"typed"
    assert note.stat().st_ino == inode


@pytest.mark.parametrize(
    ("base", "theirs", "current", "merged"),
    [
        (b"a\nb\n", b"a\nb\nmine\n", b"a\nb\nours\n", b"a\nb\nours\nmine\n"),  # added at the end
        (b"a\nb\nc\n", b"a\nmine\nb\nc\n", b"a\nb\nc\nours\n", b"a\nmine\nb\nc\nours\n"),
        (b"t\nx\nregion\n", b"t\nx\nregion\nmine\n", b"t\nx\nours\nregion\n", b"t\nx\nours\nregion\nmine\n"),
        (b"a\nb\nc\n", b"a\nB\nc\n", b"a\nb\nc\nours\n", b"a\nB\nc\nours\n"),  # a line changed we left alone
        (b"a\nb\nc\n", b"a\nB\nc\n", b"a\nours\nc\n", None),  # both changed the same line
    ],
)
def test_a_late_write_is_merged_into_the_current_file(
    base: bytes, theirs: bytes, current: bytes, merged: bytes | None
) -> None:
    assert merge_lines(base, theirs, current) == merged


def test_a_pipe_named_like_a_note_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "03_f.md"
    os.mkfifo(fifo)
    with pytest.raises(NoteError, match="not a regular file"):
        read_snapshot(fifo)
    assert file_digest(fifo) is None


def test_a_read_only_note_is_left_alone(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(b"read\n")
    note.chmod(0o444)
    snapshot = read_snapshot(note)
    with pytest.raises(NoteError, match="read-only"):
        write_atomic(note, b"ours\n", snapshot)
    assert note.read_bytes() == b"read\n"


def test_a_symlinked_note_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "x.md"
    target.parent.mkdir()
    target.write_bytes(b"read\n")
    link = tmp_path / "03_x.md"
    link.symlink_to(Path("elsewhere") / "x.md")
    assert write_atomic(link, b"ours\n", read_snapshot(link), within=tmp_path)
    assert link.is_symlink() and target.read_bytes() == b"ours\n"


def test_a_link_is_written_through_only_inside_the_folder_given(tmp_path: Path) -> None:
    """Without a folder to check the link against, the write refuses; with one, a link that
    leads out of it is refused: nothing written, the link left as it is."""
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"theirs\n")
    inside = tmp_path / "ws"
    inside.mkdir()
    link = inside / "03_x.md"
    link.symlink_to(outside)
    (tmp_path / "out").mkdir()
    (inside / "folder").symlink_to(tmp_path / "out", target_is_directory=True)
    for within, says in ((None, "is a symbolic link; not written through"), (inside, "leads outside the workspace")):
        with pytest.raises(NoteError, match=says):
            write_atomic(link, b"ours\n", read_snapshot(link), within=within)
        with pytest.raises(NoteError, match=says):
            create_new(inside / "folder" / "new.md", b"x", within=inside) if within else create_new(link, b"x")
    assert outside.read_bytes() == b"theirs\n" and link.is_symlink() and not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename"])
def test_a_write_into_the_file_we_replaced_is_put_back_when_late_writes_watch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """An editor that opened the note before our write, and writes in place after it, writes
    into the replaced file: the watch given to the write finds it and merges it back."""
    if not exchange:
        monkeypatch.setattr(write, "_RENAMEAT2", None)
    note = tmp_path / "n.md"
    note.write_bytes(b"a\nb\n")
    late = LateWrites()
    with open(note, "r+b") as editor:
        assert write_atomic(note, b"a\nb\nours\n", read_snapshot(note), late_writes=late)
        assert late.pending
        editor.write(b"a\nb\nmine\n")
    assert late.reclaim() == [note]
    assert note.read_bytes() == b"a\nb\nours\nmine\n"
    assert late.pending  # (the put-back write is watched in its turn)
    late.close()


BASE = b"# T\ntoc: old\n\ntext\n"
OURS = b"# T\ntoc: new\n\ntext\n"
"""What the write puts in: a line of its own region changed."""
ONE, TWO = BASE + b"one\n", BASE + b"one\ntwo\n"
"""The editor's saves: its buffer, a line more each (without our region's change)."""


def _once_ours_holds_the_name(monkeypatch: pytest.MonkeyPatch, exchange: bool, editor: Callable[[], None]) -> None:
    """Run ``editor`` (real writes) right after the write's swap (renameat2) or rename (the way
    of systems without it, forced by the switch the code decides by) puts ours under the note's
    name, before the write looks at the file it displaced."""
    calls: list[int] = []
    if exchange:
        if write._RENAMEAT2 is None:
            pytest.skip("no atomic exchange on this system")
        real_exchange = write._exchange

        def exchange_then(a: Path, b: Path) -> bool:
            done = real_exchange(a, b)
            if not calls:
                calls.append(1)
                editor()
            return done

        monkeypatch.setattr(write, "_exchange", exchange_then)
        return
    monkeypatch.setattr(write, "_RENAMEAT2", None)
    real_replace = os.replace

    def replace_then(src: object, dst: object) -> None:
        real_replace(src, dst)  # type: ignore[arg-type]
        if not calls:
            calls.append(1)
            editor()

    monkeypatch.setattr(os, "replace", replace_then)


def _save_in_place(editor: BinaryIO, data: bytes) -> None:
    editor.seek(0)
    editor.write(data)
    editor.truncate()
    editor.flush()


@pytest.mark.parametrize("watched", [True, False], ids=["watcher", "one-shot"])
@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename"])
def test_an_in_place_save_then_a_save_by_name_in_that_instant_are_both_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool, watched: bool
) -> None:
    """The editor's in-place save lands in the file our write displaced, and its next save, by
    name, in ours while ours holds the name: the user's version is put back, and the newer save
    is merged into it (the watcher), or kept beside it (a one-shot command); never lost."""
    note = tmp_path / "n.md"
    note.write_bytes(BASE)
    snapshot = read_snapshot(note)
    late = LateWrites() if watched else None
    with open(note, "r+b") as editor:

        def saves() -> None:
            _save_in_place(editor, ONE)
            note.write_bytes(TWO)  # (open by name, truncate, write)

        _once_ours_holds_the_name(monkeypatch, exchange, saves)
        with pytest.raises(ConcurrentEdit):
            write_atomic(note, OURS, snapshot, late_writes=late)
    if late is None:
        assert (note.read_bytes(), (tmp_path / "n.md.recovered").read_bytes()) == (ONE, TWO)
        return
    assert late.reclaim() == [note]
    late.close()
    assert note.read_bytes() == TWO
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "rename"])
def test_two_saves_in_place_through_the_file_the_editor_holds_open_are_both_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    """The first in-place save lands in the file our write displaced (the user's version is put
    back); the second comes a moment later through the same open file: it is kept too."""
    note = tmp_path / "n.md"
    note.write_bytes(BASE)
    snapshot = read_snapshot(note)
    late = LateWrites()
    with open(note, "r+b") as editor:
        _once_ours_holds_the_name(monkeypatch, exchange, lambda: _save_in_place(editor, ONE))
        with pytest.raises(ConcurrentEdit):
            write_atomic(note, OURS, snapshot, late_writes=late)
        _save_in_place(editor, TWO)
    late.reclaim()
    late.close()
    assert note.read_bytes() == TWO
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]
