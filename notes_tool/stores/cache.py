"""The cache folder: where the note store (:mod:`notes_tool.stores.note_store`, with the search
index) is kept as an SQLite file (:func:`open_db`), and the few JSON files of workspace-wide
state (:func:`read_json`, :func:`write_json`). A missing, old or corrupt cache is rebuilt.

The cache folder comes with a clone when someone committed it, and git keeps symbolic links:
it is never taken as it is. Every path in it is had through :func:`folder` and :func:`entry`,
which go through :func:`notes_tool.fsio.confine.confined`: a link or anything but a regular file (a
folder for the folder) is discarded and made afresh inside the workspace, and a file is read
only up to :data:`MAX_READ` bytes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from notes_tool import __version__
from notes_tool.errors import NotesError
from notes_tool.fsio.confine import confined
from notes_tool.fsio.read import read_bytes
from notes_tool.fsio.write import write_atomic
from notes_tool.structure.workspace import Workspace

MAX_READ = 64 << 20
"""Bytes a JSON file of the cache may hold (the sheets' state, the course's start: a few kB):
a bigger one is not read, but discarded and rebuilt."""
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The files SQLite keeps for a database ``NAME``: ``NAME``, ``NAME-wal``..."""


IGNORE = b"# notes_tool's cache: never committed\n*\n"


def folder(ws: Workspace, make: bool = True) -> Path:
    """The workspace's cache folder, as the tool made it (a link or a file a clone put in its
    place is removed); with ``make``, created when missing, ignored by git whatever the
    workspace's .gitignore says. :class:`NotesError` (or OSError) when it cannot be had."""
    path = confined(ws.cache_dir, ws.root, owned="folder")
    if make:
        path.mkdir(parents=True, exist_ok=True)
        ignore = entry(path, ".gitignore")
        if not ignore.exists():
            write_atomic(ignore, IGNORE, within=path)
    return path


def entry(folder: Path, name: str, owned: Literal["file", "folder"] = "file") -> Path:
    """The file (or folder) ``name`` of the cache ``folder`` (from :func:`folder`): a link there,
    or anything but a regular file (a folder), is removed first, to be made afresh."""
    return confined(folder / name, folder, owned)


def read_json(ws: Workspace, name: str) -> dict[str, Any]:
    """What :func:`write_json` stored; {} when it is missing, corrupt, too big, or from another version."""
    try:
        payload = json.loads(read_bytes(entry(folder(ws, make=False), name), MAX_READ))
        data = payload["data"] if payload.get("version") == __version__ else {}
    except (OSError, NotesError, ValueError, KeyError, AttributeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(ws: Workspace, name: str, data: dict[str, Any]) -> None:
    """Store ``data`` in the cache folder, tagged with the tool's version; failures only cost time."""

    try:
        where = folder(ws)
        payload = {"version": __version__, "data": data}
        write_atomic(entry(where, name), json.dumps(payload, ensure_ascii=False).encode("utf-8"), within=where)
    except (OSError, NotesError):
        pass


def _connect(path: Path, version: int, schema: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")  # a watcher writes while a command reads
    db.execute("PRAGMA synchronous=NORMAL")  # a cache: WAL stays consistent without a sync per commit
    if db.execute("PRAGMA user_version").fetchone()[0] != version:
        _make(db, version, schema)
    return db


def _make(db: sqlite3.Connection, version: int, schema: str) -> None:
    """Run ``schema`` in one transaction, unless another process made the file meanwhile (two
    commands started at once on a new cache: the second waits, then finds it made)."""
    db.execute("BEGIN IMMEDIATE")
    if db.execute("PRAGMA user_version").fetchone()[0] == version:
        db.rollback()
        return
    statement = ""
    for line in schema.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()


def busy(exc: BaseException) -> bool:
    """Whether ``exc`` says another process held the file longer than we wait (not damage)."""
    locked = ("database is locked", "database table is locked")
    return isinstance(exc, sqlite3.OperationalError) and str(exc).startswith(locked)


class CacheWarning(UserWarning):
    """A cache that could not be read was discarded and rebuilt (shown as one line)."""


def discard(ws: Workspace, name: str) -> None:
    """Remove the SQLite file ``name`` of the cache folder (and its journal), whatever is there."""
    where = folder(ws, make=False)
    for suffix in SQLITE_SUFFIXES:
        path = where / f"{name}{suffix}"
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@contextmanager
def open_db(ws: Workspace, name: str, version: int, schema: str, probe: str) -> Iterator[sqlite3.Connection]:
    """The SQLite file ``name`` in the cache folder, made with ``schema`` when new or of another
    ``version`` (the script drops what it replaces); recreated, with a :class:`CacheWarning`,
    when it cannot be opened or ``probe`` fails on it. Its files (the database, its journal)
    are real files of the cache folder, never links (:func:`entry`): SQLite follows links."""
    where = folder(ws)
    path, *_ = [entry(where, name + suffix) for suffix in SQLITE_SUFFIXES]
    try:
        db = _connect(path, version, schema)
        db.execute(probe).fetchone()
    except sqlite3.DatabaseError as exc:
        if busy(exc):
            raise  # another command is writing it: what it holds is kept
        warnings.warn(CacheWarning(f"{name} in the cache folder could not be read; rebuilt"), stacklevel=3)
        discard(ws, name)
        db = _connect(path, version, schema)
    try:
        yield db
    finally:
        db.close()
