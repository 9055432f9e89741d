"""Note facts: what ``notes check`` and the cheat sheets need of each note, kept between runs.

Whoever parses a note (``notes index``'s phase A, ``notes check``, the cheat-sheet export) also
takes its :class:`Facts` from that parse: title, cheat-sheet snippets, heading anchors, the links
a check follows, HTML ids and hand-made TOCs. They are stored per note in an SQLite file in the
cache folder, keyed by the note's path in the workspace and trusted while its size and mtime are
the same. So a check right after ``notes index`` (or while ``notes watch`` runs) parses only the
notes saved since, and an export parses none that a check or an index already read.

One row per note, not one JSON file: the watcher records the note just saved without rewriting
every other. A missing, old or corrupt store is silently rebuilt; failing to write only costs time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, TypeVar

from notes_tool import __version__
from notes_tool.errors import NotesError
from notes_tool.generate import adopt
from notes_tool.generate.snippets import Extracted, extract, extracted_from_json, extracted_to_json
from notes_tool.model.document import Note
from notes_tool.stores.cache import open_db
from notes_tool.structure.workspace import Workspace

T = TypeVar("T")

DB_NAME = "facts.sqlite"
SCHEMA_VERSION = 4
_VERSION = zlib.crc32(f"{SCHEMA_VERSION} {__version__}".encode()) & 0x7FFFFFFF
"""Facts depend on how this release reads notes, so another release starts afresh."""
_SCHEMA = """
DROP TABLE IF EXISTS facts;
CREATE TABLE facts (key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, title TEXT, snippets TEXT, links TEXT);
DROP TABLE IF EXISTS outlines;
CREATE TABLE outlines (key TEXT PRIMARY KEY, data TEXT);
"""

LinkRef = tuple[str, int, bool]
"""``(href, 1-based line, is image)``."""
FactsRow = tuple[int, int, "str | None", str, str]
"""A note's facts as stored: size, mtime, title, then snippets and links as JSON."""


@dataclass(frozen=True)
class Facts:
    """What one parse of a note tells the other commands (picklable, from a worker process)."""

    path: Path
    size: int
    mtime_ns: int
    """Of the file as it was read: the facts hold while these do."""
    title: str | None
    snippets: Extracted
    anchors: frozenset[str]
    """Its headings' GitHub anchors."""
    links: tuple[LinkRef, ...]
    """Links and images that are not web URLs outside generated regions, or in the course index
    (which keeps the owner's lines of an adopted lesson list): what a check follows."""
    ids: frozenset[str]
    """``id="..."`` and ``name="..."`` values in its HTML (anchors GitHub also keeps)."""
    adoptable: tuple[str, ...]
    """Hand-made TOCs ``notes index --adopt`` could take over."""


def of(note: Note, stat: os.stat_result) -> Facts:
    """The facts of a parsed note; ``stat`` is the file's, taken before it was read."""
    return Facts(
        note.path,
        stat.st_size,
        stat.st_mtime_ns,
        note.title,
        extract(note),
        frozenset(h.slug for h in note.headings),
        tuple(
            (link.href, link.line + 1, link.image)
            for link in note.links
            if link.region in (None, "index") and not link.href.lower().startswith(("http://", "https://"))
        ),
        note.html_anchors,
        tuple(adopt.adoptable(note)),
    )


def _key(ws: Workspace, path: Path) -> str | None:
    """The store's key for ``path``: relative to the workspace (None outside it)."""
    key = ws.relative(Path(os.path.abspath(path)))
    return None if PurePath(key).is_absolute() else key  # outside: relative() gives the full path


def _with_store(ws: Workspace, work: Callable[[sqlite3.Connection], T], failed: T) -> T:
    """``work(db)`` in one transaction on the store; ``failed`` if the store cannot be used."""

    try:
        with open_db(ws, DB_NAME, _VERSION, _SCHEMA, "SELECT count(*) FROM facts") as db, db:
            return work(db)
    except (sqlite3.Error, OSError, NotesError):
        return failed


def load(ws: Workspace, paths: Iterable[Path]) -> dict[Path, Facts]:
    """The stored facts of those ``paths`` whose files are as they were (same size and mtime)."""
    found: dict[Path, Facts] = {}
    for path, (size, mtime_ns, title, snippets, links) in _rows(ws, paths, "title, snippets, links"):
        try:
            found[path] = _from_row(path, size, mtime_ns, title, snippets, links)
        except (ValueError, KeyError, TypeError):
            continue  # a row we cannot read is a row we do not have
    return found


def load_snippets(ws: Workspace, paths: Iterable[Path]) -> dict[Path, tuple[str | None, Extracted]]:
    """Like :func:`recall`, the titles and snippets only (what an export needs, decoded faster)."""
    found: dict[Path, tuple[str | None, Extracted]] = {}
    for path, (_, _, title, snippets) in _rows(ws, paths, "title, snippets"):
        try:
            found[path] = (title, extracted_from_json(path, json.loads(snippets)))
        except (ValueError, KeyError, TypeError):
            continue
    return found


def _rows(ws: Workspace, paths: Iterable[Path], columns: str) -> Iterator[tuple[Path, tuple[Any, ...]]]:
    """``(path, (size, mtime_ns, *columns))`` of the stored rows whose file has not changed."""
    wanted = {key: path for path in paths if (key := _key(ws, path)) is not None}
    if not wanted:
        return
    query = f"SELECT key, size, mtime_ns, {columns} FROM facts"
    rows: list[tuple[Any, ...]] = _with_store(ws, lambda db: db.execute(query).fetchall(), [])
    for key, *values in rows:
        path = wanted.get(key)
        if path is None:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_size == values[0] and stat.st_mtime_ns == values[1]:
            yield path, tuple(values)


def save(ws: Workspace, rows: Iterable[tuple[Path, FactsRow]]) -> None:
    """Store these notes' facts (:func:`row`); notes outside the workspace are left out."""
    keyed = [(key, *row) for path, row in rows if (key := _key(ws, path)) is not None]
    if keyed:
        insert = "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?)"
        _with_store(ws, lambda db: db.executemany(insert, keyed), None)


def prune(ws: Workspace) -> None:
    """Drop the rows of files that are gone (deleted or renamed since)."""

    def forget(db: sqlite3.Connection) -> None:
        for table in ("facts", "outlines"):
            gone = [(key,) for (key,) in db.execute(f"SELECT key FROM {table}") if not (ws.root / key).exists()]
            db.executemany(f"DELETE FROM {table} WHERE key = ?", gone)

    _with_store(ws, forget, None)


def load_outlines(ws: Workspace, paths: Iterable[Path] | None = None) -> dict[Path, dict[str, Any]]:
    """The last known outline data of these notes (all the store has, when ``paths`` is None),
    whatever they hold now: what :mod:`notes_tool.features.links` compares the next parse with.
    Kept apart from the facts, which hold only while a note is unchanged."""
    wanted = None if paths is None else {key: path for path in paths if (key := _key(ws, path)) is not None}
    if wanted is not None and not wanted:
        return {}

    def read(db: sqlite3.Connection) -> list[tuple[str, str]]:
        if wanted is None:
            return db.execute("SELECT key, data FROM outlines").fetchall()
        keys = sorted(wanted)
        found = []
        for at in range(0, len(keys), 500):
            chunk = keys[at : at + 500]
            query = f"SELECT key, data FROM outlines WHERE key IN ({', '.join('?' * len(chunk))})"
            found += db.execute(query, chunk).fetchall()
        return found

    rows: list[tuple[str, str]] = _with_store(ws, read, [])
    found: dict[Path, dict[str, Any]] = {}
    for key, data in rows:
        path = ws.root / key if wanted is None else wanted.get(key)
        if path is None:
            continue
        try:
            value = json.loads(data)
        except ValueError:
            continue
        if isinstance(value, dict):
            found[path] = value
    return found


def save_outlines(ws: Workspace, rows: Iterable[tuple[Path, dict[str, Any]]]) -> None:
    """Remember these notes' outline data (see :func:`load_outlines`)."""
    keyed = [(key, json.dumps(data, ensure_ascii=False)) for path, data in rows if (key := _key(ws, path)) is not None]
    if keyed:
        _with_store(ws, lambda db: db.executemany("INSERT OR REPLACE INTO outlines VALUES (?, ?)", keyed), None)


def row(item: Facts) -> FactsRow:
    """The facts as stored (cheaper to send from a worker process than the objects)."""
    links = {
        "anchors": sorted(item.anchors),
        "links": item.links,
        "ids": sorted(item.ids),
        "adoptable": list(item.adoptable),
    }
    snippets = json.dumps(extracted_to_json(item.snippets), ensure_ascii=False)
    return (item.size, item.mtime_ns, item.title, snippets, json.dumps(links, ensure_ascii=False))


def _from_row(path: Path, size: int, mtime_ns: int, title: str | None, snippets: str, links: str) -> Facts:
    data = json.loads(links)
    return Facts(
        path,
        size,
        mtime_ns,
        title,
        extracted_from_json(path, json.loads(snippets)),
        frozenset(data["anchors"]),
        tuple((str(href), int(line), bool(image)) for href, line, image in data["links"]),
        frozenset(data["ids"]),
        tuple(data["adoptable"]),
    )
