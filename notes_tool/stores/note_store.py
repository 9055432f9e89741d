"""The note store: one record per note, in one SQLite file of the cache folder (``notes.sqlite``).

A record is keyed once, by the note's path in the workspace, and holds the snapshot it describes
(size, mtime, SHA-256 of the bytes) with what each consumer takes from one parse of those bytes:

- ``title``;
- ``regions``: what ``notes index`` found up to date in it (:mod:`notes_tool.stores.regions`:
  the freshness key of its generated parts, its warnings, whether it has a nav region...);
- ``facts``: what ``notes check``, the cheat sheets and ``notes commit`` read
  (:mod:`notes_tool.stores.facts`);
- ``searched``: whether its sections in the search index (:mod:`notes_tool.stores.search_index`,
  same file) are of this snapshot;
- ``outline``: the outline links follow, the last one known *whatever the note holds now*
  (what the next parse is compared with to see a heading renamed).

Whoever parses a note writes what it learnt for that snapshot; a record written for other bytes
drops the rest (a trigger removes the note's search sections with it), so a consumer never reads
what another bytes' parse said. A file only touched (same bytes, new mtime) keeps its record.
A missing, old-version or corrupt file is rebuilt; failing to write only costs time.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypeVar

from notes_tool import __version__
from notes_tool.errors import NotesError
from notes_tool.fsio.read import file_digest
from notes_tool.stores.cache import discard, folder, open_db
from notes_tool.structure.workspace import Workspace

T = TypeVar("T")

DB_NAME = "notes.sqlite"
SCHEMA_VERSION = 1
VERSION = zlib.crc32(f"{SCHEMA_VERSION} {__version__}".encode()) & 0x7FFFFFFF
"""What a record says depends on how this release reads notes: another release starts afresh."""
LEGACY = ("outline.json", "facts.sqlite", "search.sqlite")
"""The stores this one replaced (removed from the cache folder when it is made)."""

_SECTIONS_OF_OLD = "SELECT id FROM owners WHERE path = old.key"
_DROP_SECTIONS = f"""
    INSERT INTO words (words, rowid, text)
        SELECT 'delete', rowid, heading || ' ' || prose || ' ' || code || ' ' || terms FROM sections
        WHERE rowid IN ({_SECTIONS_OF_OLD});
    DELETE FROM sections WHERE rowid IN ({_SECTIONS_OF_OLD});
    DELETE FROM contexts WHERE rowid IN ({_SECTIONS_OF_OLD});
    DELETE FROM owners WHERE path = old.key;
    INSERT INTO known_stale SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM known_stale);
"""
"""What the triggers below do: the sections of the note a record was of leave the index."""
SCHEMA = f"""
DROP TABLE IF EXISTS notes;
CREATE TABLE notes (
    key TEXT PRIMARY KEY,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha TEXT NOT NULL,
    title TEXT,
    regions TEXT,
    facts TEXT,
    searched INTEGER NOT NULL DEFAULT 0,
    outline TEXT
);
-- Values a workspace-wide step keeps ('search': a search made the index; the outline mark).
DROP TABLE IF EXISTS marks;
CREATE TABLE marks (name TEXT PRIMARY KEY, value TEXT);

-- The search index (notes_tool.stores.search_index): one row per section in 'sections'.
DROP TABLE IF EXISTS owners;
DROP TABLE IF EXISTS sections;
DROP TABLE IF EXISTS contexts;
DROP TABLE IF EXISTS words;
DROP TABLE IF EXISTS vocabulary;
DROP TABLE IF EXISTS known;
DROP TABLE IF EXISTS known_stale;
DROP TABLE IF EXISTS said;
DROP TABLE IF EXISTS said_files;
DROP TABLE IF EXISTS said_words;
DROP TABLE IF EXISTS said_vocabulary;
-- Which note each section row belongs to: deleting by an FTS5 column would scan it all.
CREATE TABLE owners (path TEXT NOT NULL, id INTEGER NOT NULL);
CREATE INDEX owners_path ON owners (path);
CREATE VIRTUAL TABLE sections USING fts5(
    heading, prose, code, terms,
    path UNINDEXED, lesson UNINDEXED, line UNINDEXED, breadcrumb UNINDEXED,
    anchor UNINDEXED, time UNINDEXED, video UNINDEXED,
    tokenize = 'porter unicode61'
);
-- The headings above each section's own (rowids those of 'sections'): a heading's words count
-- more for the sections under it too (notes_tool.features.search_rank).
CREATE VIRTUAL TABLE contexts USING fts5(text, tokenize = 'porter unicode61');
-- The same words, unstemmed and without positions: the vocabulary of the notes.
CREATE VIRTUAL TABLE words USING fts5(text, content = '', detail = 'none', tokenize = 'unicode61');
CREATE VIRTUAL TABLE vocabulary USING fts5vocab(words, 'row');
-- The vocabulary as a plain table: fts5vocab reads every doclist to list it (slow), so it is
-- copied here after the index changed, when a search first needs it, with the words said in
-- the videos ('said': how many transcript phrases hold it). 'stale' has one row while the copy
-- is out of date.
CREATE TABLE known (word TEXT PRIMARY KEY, sections INTEGER, said INTEGER) WITHOUT ROWID;
CREATE TABLE known_stale (yes INTEGER);
-- What was said in the videos: one row per transcript phrase (notes_tool.features.transcripts).
CREATE TABLE said_files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
CREATE VIRTUAL TABLE said USING fts5(
    text, path UNINDEXED, label UNINDEXED, lesson UNINDEXED, seconds UNINDEXED, link UNINDEXED,
    tokenize = 'porter unicode61'
);
-- The same phrases' words, unstemmed, rowids those of 'said': the vocabulary of the videos.
CREATE VIRTUAL TABLE said_words USING fts5(text, content = '', detail = 'none', tokenize = 'unicode61');
CREATE VIRTUAL TABLE said_vocabulary USING fts5vocab(said_words, 'row');

-- A note's sections are of its record's snapshot: when the record moves to other bytes, is
-- marked unsearched, or goes, they go too (whoever wrote it).
CREATE TRIGGER sections_stale AFTER UPDATE OF sha, searched ON notes
WHEN old.searched AND (old.sha IS NOT new.sha OR NOT new.searched)
BEGIN
{_DROP_SECTIONS}END;
CREATE TRIGGER sections_gone AFTER DELETE ON notes WHEN old.searched
BEGIN
{_DROP_SECTIONS}END;
"""
PROBE = "SELECT count(*) FROM notes"
PARTS = ("regions", "facts", "searched")
"""The columns that hold only for the record's snapshot (``outline`` outlives it)."""


@contextmanager
def connect(ws: Workspace) -> Iterator[sqlite3.Connection]:
    """The store of ``ws`` (made, or rebuilt with a warning, as :func:`open_db` says); the files
    of the stores it replaced are removed when it is made."""
    where = folder(ws)
    fresh = not (where / DB_NAME).exists()
    if fresh:
        for name in LEGACY:
            if (where / name).exists() or (where / f"{name}-wal").exists():
                discard(ws, name)
    with open_db(ws, DB_NAME, VERSION, SCHEMA, PROBE) as db:
        yield db


def using(ws: Workspace | None, work: Callable[[sqlite3.Connection], T], failed: T) -> T:
    """``work(db)`` in one transaction on the store; ``failed`` when there is none (``ws`` None:
    ``--no-cache``) or it cannot be used (a cache is only ever an optimisation)."""
    if ws is None:
        return failed
    try:
        with connect(ws) as db, db:
            return work(db)
    except (sqlite3.Error, OSError, NotesError):
        return failed


def key_of(ws: Workspace, path: Path) -> str | None:
    """The record's key for ``path``: relative to the workspace (None outside it)."""
    key = ws.relative(Path(os.path.abspath(path)))
    return None if PurePath(key).is_absolute() else key  # outside: relative() gives the full path


@dataclass(frozen=True)
class Seen:
    """The bytes a record describes: their size, mtime and SHA-256."""

    size: int
    mtime_ns: int
    sha: str

    def matches(self, stat: os.stat_result) -> bool:
        return self.size == stat.st_size and self.mtime_ns == stat.st_mtime_ns


def current(path: Path, seen: Seen) -> Seen | None:
    """``seen`` if the file still holds those bytes (the same size and mtime, or, touched since,
    the same SHA-256: then with its new mtime), else None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if seen.matches(stat):
        return seen
    if stat.st_size != seen.size:
        return None
    try:
        same = file_digest(path) == seen.sha
    except OSError:
        return None
    return Seen(stat.st_size, stat.st_mtime_ns, seen.sha) if same else None


def put(db: sqlite3.Connection, rows: Sequence[tuple[str, Seen, str | None, dict[str, Any]]]) -> None:
    """Record ``(key, seen, title, parts)`` for each note: ``parts`` (of :data:`PARTS`, and
    ``outline``) are set, the other parts kept when the record was already of these bytes,
    dropped when it was of others."""
    for key, seen, title, parts in rows:
        columns = ["size", "mtime_ns", "sha", "title", *parts]
        dropped = {"searched": "0"}
        kept = [
            f"{name} = CASE WHEN notes.sha = excluded.sha THEN notes.{name} ELSE {dropped.get(name, 'NULL')} END"
            for name in PARTS
            if name not in parts
        ]
        update = ", ".join([*kept, *(f"{name} = excluded.{name}" for name in columns)])
        db.execute(
            f"INSERT INTO notes (key, {', '.join(columns)}) VALUES (?{', ?' * len(columns)}) "
            f"ON CONFLICT (key) DO UPDATE SET {update}",
            (key, seen.size, seen.mtime_ns, seen.sha, title, *parts.values()),
        )


def touch(db: sqlite3.Connection, key: str, seen: Seen) -> None:
    """The record's file was touched, its bytes the same: its new size and mtime."""
    query = "UPDATE notes SET size = ?, mtime_ns = ? WHERE key = ? AND sha = ?"
    db.execute(query, (seen.size, seen.mtime_ns, key, seen.sha))


LOOKUPS = 500
"""Records read by key at most (beyond, one pass over the table is quicker than the lookups, and
SQLite takes only so many parameters in one query)."""


def keyed(ws: Workspace, column: str, keys: Sequence[str] | None = None) -> list[tuple[str, Seen, str | None, Any]]:
    """``(key, seen, title, column)`` of every record whose ``column`` is set (of those ``keys``
    only, at most :data:`LOOKUPS`, when given), as stored."""
    query = f"SELECT key, size, mtime_ns, sha, title, {column} FROM notes WHERE {column} IS NOT NULL"
    if keys is not None:
        query += f" AND key IN ({', '.join('?' * len(keys))})"
    rows: list[tuple[Any, ...]] = using(ws, lambda db: db.execute(query, list(keys or ())).fetchall(), [])
    return [(key, Seen(size, mtime_ns, sha), title, value) for key, size, mtime_ns, sha, title, value in rows]


def records(ws: Workspace, paths: Iterable[Path] | None, column: str) -> list[tuple[Path, Seen, str | None, Any]]:
    """``(path, seen, title, column)`` of the records of ``paths`` (every record when None)
    whose ``column`` is set, as stored (not checked against the files)."""
    if paths is None:
        return [(ws.root / key, *rest) for key, *rest in keyed(ws, column)]
    wanted = {key: path for path in paths if (key := key_of(ws, path)) is not None}
    if not wanted:
        return []
    rows = keyed(ws, column, sorted(wanted) if len(wanted) <= LOOKUPS else None)
    return [(wanted[key], *rest) for key, *rest in rows if key in wanted]


def fresh(ws: Workspace, paths: Iterable[Path], column: str) -> list[tuple[Path, Seen, str | None, Any]]:
    """Like :func:`records`, only those whose file still holds the record's bytes (a touched
    file's record takes its new mtime)."""
    found, touched = [], []
    for path, seen, title, value in records(ws, paths, column):
        now = current(path, seen)
        if now is None:
            continue
        if now != seen:
            touched.append((key_of(ws, path), now))
        found.append((path, now, title, value))
    if touched:

        def record_touched(db: sqlite3.Connection) -> None:
            for key, now in touched:
                if key is not None:
                    touch(db, key, now)

        using(ws, record_touched, None)
    return found


def save(
    ws: Workspace | None,
    rows: Iterable[tuple[Path, Seen, str | None, dict[str, Any]]],
    more: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Record these notes' parts (:func:`put`; parts of one note's same bytes in one record); a
    file that no longer holds the bytes it was read from is left out (saved since: its next
    parse records it), as is one outside the workspace. ``more(db)`` runs in the same
    transaction."""
    if ws is None:
        return
    merged: dict[str, tuple[str, Seen, str | None, dict[str, Any]]] = {}
    for path, seen, title, parts in rows:
        key = key_of(ws, path)
        if key is None:
            continue
        before = merged.get(key)
        if before is not None and before[1].sha == seen.sha:
            merged[key] = (key, seen, title, {**before[3], **parts})
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if seen.matches(stat):
            merged[key] = (key, seen, title, parts)
    if not merged and more is None:
        return

    def write(db: sqlite3.Connection) -> None:
        put(db, list(merged.values()))
        if more is not None:
            more(db)

    using(ws, write, None)


def prune(ws: Workspace) -> None:
    """Drop the records of files that are gone (deleted or renamed since)."""
    using(ws, lambda db: forget_gone(db, ws, [key for (key,) in db.execute("SELECT key FROM notes")]), None)


def forget_gone(db: sqlite3.Connection, ws: Workspace, keys: Iterable[str]) -> None:
    """Drop the records of those ``keys`` whose files are gone: a note renamed again and again
    leaves no record of each old path behind (a file that is there but no longer a note keeps
    its record, cleared by whoever noticed)."""
    gone = [(key,) for key in keys if not (ws.root / key).exists()]
    db.executemany("DELETE FROM notes WHERE key = ?", gone)
