"""The cache folder, and the outline cache: what we last learnt about each note's outline.

The outline cache is one JSON file in the workspace's cache folder, keyed by the note's path
relative to the workspace: its size, mtime and SHA-256, its title, and the freshness key it was
last found up to date for (see :mod:`notes_tool.features.index`). The search index and the note facts
(:mod:`notes_tool.stores.facts`) are SQLite files there (:func:`open_db`). A missing, old or corrupt
cache is silently rebuilt.

The cache folder comes with a clone when someone committed it, and git keeps symbolic links:
it is never taken as it is. Every path in it is had through :func:`folder` and :func:`entry`,
which go through :func:`notes_tool.fsio.confined`: a link or anything but a regular file (a
folder for the folder) is discarded and made afresh inside the workspace, and a file is read
only up to :data:`MAX_READ` bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from notes_tool import __version__
from notes_tool.errors import NotesError
from notes_tool.fsio import confined, read_bytes, write_atomic
from notes_tool.structure.workspace import Workspace

FILE = "outline.json"
MAX_READ = 64 << 20
"""Bytes a JSON file of the cache may hold (the outline of 10,000 notes takes about 4 MB):
a bigger one is not read, but discarded and rebuilt."""
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The files SQLite keeps for a database ``NAME``: ``NAME``, ``NAME-wal``..."""


@dataclass
class OutlineEntry:
    size: int
    mtime_ns: int
    sha: str
    title: str | None
    fresh: str = ""
    """The freshness key the note was up to date for ("" when it was not)."""
    warnings: list[list[Any]] = field(default_factory=list)
    """``[message, line]`` of each warning, replayed when the note is skipped."""
    has_nav: bool = False
    """Whether the note has a nav region (then it depends on its neighbours' titles)."""
    labels: dict[str, str] | None = None
    """Of the course index: what the owner's lines call each note (its path -> label); None
    when not worked out yet."""
    links: dict[str, Any] | None = None
    """Of a note: how many wikilinks wait in it and its backlinks region
    (:func:`notes_tool.features.links.summary`; its outline is in the facts store); None when
    not known."""

    def matches(self, stat: os.stat_result) -> bool:
        return self.size == stat.st_size and self.mtime_ns == stat.st_mtime_ns


class OutlineCache:
    """The cache file of ``ws``; ``ws=None`` keeps it in memory only (``--no-cache``)."""

    def __init__(self, ws: Workspace | None):
        self.ws = ws
        self.entries: dict[str, OutlineEntry] = {}
        self._dirty = False
        if ws is None:
            return
        for key, value in read_json(ws, FILE).items():
            entry = _entry(value)
            if entry is not None:
                self.entries[key] = entry  # (an entry we cannot read is a note parsed again)

    def get(self, key: str) -> OutlineEntry | None:
        return self.entries.get(key)

    def add(self, key: str, entry: OutlineEntry) -> None:
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self._dirty = True

    def prune(self, keep: set[str]) -> None:
        for key in set(self.entries) - keep:
            del self.entries[key]
            self._dirty = True

    def save(self) -> None:
        if not self._dirty or self.ws is None:
            return
        write_json(self.ws, FILE, {k: asdict(v) for k, v in sorted(self.entries.items())})
        self._dirty = False


def _entry(value: Any) -> OutlineEntry | None:
    """The entry ``value`` stores, or None when it is not one (edited by hand, another release)."""
    try:
        entry = OutlineEntry(**value)
    except TypeError:
        return None
    valid = (
        all(isinstance(n, int) and not isinstance(n, bool) for n in (entry.size, entry.mtime_ns))
        and isinstance(entry.sha, str)
        and isinstance(entry.title, (str, type(None)))
        and isinstance(entry.fresh, str)
        and isinstance(entry.has_nav, bool)
        and isinstance(entry.warnings, list)
        and all(isinstance(w, list) and len(w) == 2 and isinstance(w[0], str) for w in entry.warnings)
        and (
            entry.labels is None
            or (isinstance(entry.labels, dict) and all(isinstance(v, str) for v in entry.labels.values()))
        )
        and isinstance(entry.links, (dict, type(None)))
    )
    return entry if valid else None


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
        db.executescript(schema)
        db.execute(f"PRAGMA user_version = {version}")
        db.commit()
    return db


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
    except sqlite3.DatabaseError:
        warnings.warn(CacheWarning(f"{name} in the cache folder could not be read; rebuilt"), stacklevel=3)
        discard(ws, name)
        db = _connect(path, version, schema)
    try:
        yield db
    finally:
        db.close()
