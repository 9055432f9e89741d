"""The watch on late writes: an editor's save into a file our write has just replaced.

An editor that read the note before our rename and writes after it, in place, writes into the
old file, which no longer has a name. A long-running process (the watcher) gives a
:class:`LateWrites` to its guarded writes (:func:`notes_tool.fsio.write.write_atomic`), which
keeps each replaced file open for a moment; such a save is then merged back into the note
(:func:`notes_tool.fsio.merge.merge_lines`).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.errors import ConcurrentEdit, NotesError
from notes_tool.fsio.merge import merge_lines
from notes_tool.fsio.read import read_fd, read_snapshot
from notes_tool.fsio.write import create_new, write_atomic


@dataclass
class _Replaced:
    path: Path
    fd: int
    """Open on the file our write replaced (no longer under any name)."""
    before: bytes
    """What it held when we replaced it."""
    ours: bytes
    """What we wrote in its place."""
    until: float


@dataclass
class LateWrites:
    """Files our writes replaced, kept open for a moment to catch an in-place write into them.

    An editor that read the note before our rename and writes after it, in place, writes into
    the old file, which no longer has a name: the user's words would be lost. :meth:`reclaim`
    finds such writes and puts the user's bytes back under the note's name (our regions are
    recomputed on the next round). A long-running process (the watcher) passes one to its writes
    and calls :meth:`reclaim` a little after each round; one-shot commands have none.
    """

    window: float = 1.0
    """How long (seconds) a replaced file is watched."""
    _open: list[_Replaced] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def watch(self, path: Path, fd: int, before: bytes, ours: bytes) -> None:
        with self._lock:
            self._open.append(_Replaced(path, fd, before, ours, time.monotonic() + self.window))

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._open)

    def reclaim(self) -> list[Path]:
        """Put back what was written into replaced files; the notes whose bytes were put back."""
        now = time.monotonic()
        late: list[tuple[_Replaced, bytes]] = []
        with self._lock:
            keep: list[_Replaced] = []
            for item in self._open:
                try:
                    found = read_fd(item.fd)
                except OSError:
                    found = item.before
                if found != item.before:
                    late.append((item, found))
                elif now < item.until:
                    keep.append(item)
                else:
                    os.close(item.fd)
            self._open = keep
        restored: list[Path] = []
        for item, found in late:
            os.close(item.fd)
            if self._put_back(item, found):
                restored.append(item.path)
        return restored

    def _put_back(self, item: _Replaced, found: bytes) -> bool:
        """The late write's changes (from what we replaced to ``found``) applied to the note as
        it is now; where they cannot be (the same lines changed since), ``found`` is kept whole
        beside the note as ``NAME.recovered``."""
        for _ in range(3):  # (each try reads afresh: a save in between is merged with too)
            try:
                now = read_snapshot(item.path)
            except NotesError:
                break
            merged = merge_lines(item.before, found, now.data)
            if merged is None:
                break
            try:
                write_atomic(item.path, merged, now, late_writes=self)
                return True
            except ConcurrentEdit:
                continue
            except NotesError:
                break
        with contextlib.suppress(OSError, NotesError):
            create_new(item.path.with_name(item.path.name + ".recovered"), found)
        return False

    def close(self) -> None:
        with self._lock:
            for item in self._open:
                os.close(item.fd)
            self._open = []
