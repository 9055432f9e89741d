"""#24 item 6: with ``notes watch`` running, a save that lands in the file the watcher just
replaced (an editor writing in place through the file it had open), then a newer save: the
older text must not be merged back. The latest save wins, nothing lost, nothing doubled.

Each race runs both ways the watcher's guarded write can go: swapping names atomically
(Linux's renameat2 RENAME_EXCHANGE) and the rename with a last look through the open file
that macOS and other systems without it get. The second is forced here by the switch the
code itself decides by (no renameat2 found), not by faking the file system."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_watch import Running, wait_until

from notes_tool.fsio import write

NOTE = "03_workflow-orchestration.md"


@pytest.fixture(params=["exchange", "rename"])
def swap(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How the watcher's writes replace a note: ``exchange`` where this system can swap names
    (skipped elsewhere), ``rename`` as on a system that cannot (macOS)."""
    if request.param == "exchange" and write._RENAMEAT2 is None:
        pytest.skip("this system cannot swap two names atomically")
    if request.param == "rename":
        monkeypatch.setattr(write, "_RENAMEAT2", None)
    return str(request.param)


@pytest.fixture
def watching(example: Path) -> Iterator[Callable[[], Running]]:
    started: list[Running] = []

    def start() -> Running:
        started.append(Running(example))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def _replaced(note: Path, inode: int, timeout: float = 10.0) -> None:
    """Wait (spinning: the window is short) until the watcher has renamed its write over the note."""
    deadline = time.monotonic() + timeout
    while os.stat(note).st_ino == inode:
        if time.monotonic() > deadline:
            raise AssertionError("the watcher never wrote the note")


def _write_through(handle: object, text: str) -> None:
    handle.seek(0)  # type: ignore[attr-defined]
    handle.write(text)  # type: ignore[attr-defined]
    handle.truncate()  # type: ignore[attr-defined]
    handle.flush()  # type: ignore[attr-defined]


def test_a_superseded_in_place_save_is_not_merged_back(
    example: Path, watching: Callable[[], Running], swap: str
) -> None:
    w = watching()
    note = example / NOTE
    for attempt in range(2):
        with open(note, "r+", encoding="utf-8", newline="") as editor:  # the editor holds the file open
            inode = os.fstat(editor.fileno()).st_ino
            buffer = editor.read() + f"\n## 15:0{attempt} Live section {attempt}\n"
            _write_through(editor, buffer)  # a save the watcher answers with a rename (a TOC line)
            _replaced(note, inode)
            buffer += f"\nline one {attempt}\n"
            _write_through(editor, buffer)  # the next save lands in the file just replaced
        buffer += f"line two {attempt}\n"
        with open(note, "w", encoding="utf-8", newline="") as again:  # then a newer save, by name
            again.write(buffer)
        wait_until(lambda: w.watcher.idle() and not w.watcher.late_writes.pending, timeout=30)
        time.sleep(0.3)
        wait_until(lambda: w.watcher.idle() and not w.watcher.late_writes.pending, timeout=30)
        text = note.read_text(encoding="utf-8")
        for line in (f"line one {attempt}", f"line two {attempt}"):
            assert text.count(f"{line}\n") == 1, (attempt, line, text)
        assert f") Live section {attempt}\n" in text, w.lines  # (the newer save had its round)
    assert not list(example.glob("*.recovered"))


@pytest.mark.slow
def test_soak_an_editor_saving_its_buffer_in_place_doubles_and_loses_nothing(
    example: Path, watching: Callable[[], Running]
) -> None:
    """200 saves of an editor's buffer, written in place after a random delay, a new line each:
    every line once, in order, whatever the watcher's renames in between."""
    w = watching()
    note = example / NOTE
    rng = random.Random(24)
    buffer = note.read_text(encoding="utf-8")
    for i in range(200):
        with open(note, "r+", encoding="utf-8", newline="") as editor:
            time.sleep(rng.uniform(0.0, 0.08))
            buffer += f"\nline-{i:03d}{' ## heading' if i % 9 == 0 else ''}\n"
            _write_through(editor, buffer)
        time.sleep(rng.uniform(0.0, 0.12))
    wait_until(lambda: w.watcher.idle() and not w.watcher.late_writes.pending, timeout=60)
    time.sleep(0.5)
    wait_until(lambda: w.watcher.idle() and not w.watcher.late_writes.pending, timeout=60)
    text = note.read_text(encoding="utf-8")
    doubled = [i for i in range(200) if text.count(f"line-{i:03d}") > 1]
    lost = [i for i in range(200) if f"line-{i:03d}" not in text]
    assert (doubled, lost) == ([], []), f"doubled {doubled}, lost {lost}\n{text[-1500:]!r}"
    assert [int(x[5:8]) for x in text.split() if x.startswith("line-")] == list(range(200))
