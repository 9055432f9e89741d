"""One command at a time writes a workspace: a lock file in the cache folder."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from notes_tool.errors import NotesError
from notes_tool.fsio.write import TEMP_SUFFIX as TEMP_MARK
from notes_tool.model.transcript import FOLDER as TRANSCRIPTS
from notes_tool.stores import cache
from notes_tool.structure.workspace import Workspace

LOCK_NAME = "notes.lock"
LOCK_WAIT = 60.0
"""Seconds a command waits for another one working on the same workspace."""
STALE_TEMP_AGE = 10.0
"""Seconds after which a temp file of ours is a crashed run's leftover (see :func:`workspace_lock`)."""


@contextmanager
def workspace_lock(ws: Workspace) -> Iterator[None]:
    """One command at a time writes the workspace (a lock file in the cache folder): a second
    ``notes index`` waits for the first instead of racing it over the same files. Holding it,
    temp files a crashed run left behind are removed. Where the cache folder cannot hold a
    lock (read-only), the command goes on without one."""
    try:
        lock = FileLock(cache.entry(cache.folder(ws), LOCK_NAME), timeout=LOCK_WAIT)
        lock.acquire()
    except Timeout:
        raise NotesError(
            f"another notes command has been working on this workspace for {LOCK_WAIT:.0f} s "
            f"(lock: {ws.relative(ws.cache_dir / LOCK_NAME)}); try again once it is done"
        ) from None
    except (OSError, NotesError):
        yield
        return
    try:
        _remove_stale_temp_files(ws)
        yield
    finally:
        lock.release()


def _remove_stale_temp_files(ws: Workspace) -> None:
    """``.NAME.XXXX.notes-tmp`` files of ours that a killed run left in the folders we write."""
    cutoff = time.time() - STALE_TEMP_AGE
    transcripts = ws.notes_dir / TRANSCRIPTS
    for folder in {ws.root, ws.notes_dir, ws.sheets_dir, ws.cache_dir, ws.index_path.parent, transcripts}:
        try:
            leftovers = [p for p in folder.iterdir() if p.name.startswith(".") and TEMP_MARK in p.name]
        except OSError:
            continue
        for path in leftovers:
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
