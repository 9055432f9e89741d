"""The ``regions`` part of the note store's records: what ``notes index`` found up to date in
each note (:class:`OutlineEntry`), read and written for a run by :class:`OutlineCache`, and
the course index's owner labels that search names lessons by (:func:`owner_labels`).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from notes_tool.stores.note_store import Seen, forget_gone, key_of, keyed, save
from notes_tool.structure.workspace import Workspace


@dataclass
class OutlineEntry:
    """What ``notes index`` found of a note (or the course index) up to date: the ``regions``
    part of its record, with its snapshot and title."""

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
    (:func:`notes_tool.features.links.summary`; its outline is kept apart); None when not known."""

    def matches(self, stat: os.stat_result) -> bool:
        return self.seen.matches(stat)

    @property
    def seen(self) -> Seen:
        return Seen(self.size, self.mtime_ns, self.sha)

    def regions(self) -> str:
        data = asdict(self)
        for name in ("size", "mtime_ns", "sha", "title"):
            del data[name]
        return json.dumps(data, ensure_ascii=False)


_KINDS: dict[str, type | tuple[type, ...]] = {
    "fresh": str,
    "has_nav": bool,
    "warnings": list,
    "labels": (dict, type(None)),
    "links": (dict, type(None)),
}
"""The type of each field of a ``regions`` part."""


def _entry(seen: Seen, title: Any, regions: str) -> OutlineEntry | None:
    """The entry a record stores, or None when it cannot be read (damaged, edited by hand)."""
    try:
        value = json.loads(regions)
        entry = OutlineEntry(seen.size, seen.mtime_ns, seen.sha, title, **value)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(title, (str, type(None))) or any(not isinstance(getattr(entry, k), t) for k, t in _KINDS.items()):
        return None
    warnings_valid = all(isinstance(w, list) and len(w) == 2 and isinstance(w[0], str) for w in entry.warnings)
    labels_valid = all(isinstance(v, str) for v in (entry.labels or {}).values())
    return entry if warnings_valid and labels_valid else None


class OutlineCache:
    """The ``regions`` part of every record of ``ws``; ``ws=None`` keeps them in memory only
    (``--no-cache``). Changes are written by :meth:`save`, the records of notes no longer
    listed cleared by :meth:`prune`."""

    def __init__(self, ws: Workspace | None):
        self.ws = ws
        self.entries: dict[str, OutlineEntry] = {}
        self._dirty: set[str] = set()
        self._dropped: set[str] = set()
        if ws is None:
            return
        for key, seen, title, regions in keyed(ws, "regions"):
            entry = _entry(seen, title, regions)
            if entry is not None:  # (an entry we cannot read is a note parsed again)
                self.entries[key] = entry

    def get(self, key: str) -> OutlineEntry | None:
        return self.entries.get(key)

    def add(self, key: str, entry: OutlineEntry) -> None:
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self._dirty.add(key)

    def prune(self, keep: set[str]) -> None:
        for key in set(self.entries) - keep:
            del self.entries[key]
            self._dirty.discard(key)
            self._dropped.add(key)

    def save(self, also: Iterable[tuple[Path, Seen, str | None, dict[str, Any]]] = ()) -> None:
        """Write the entries added since, cleared the pruned ones, and ``also`` records (as
        :func:`save`) in the same transaction."""
        ws = self.ws
        if ws is None:
            return
        rows = [(ws.root / key, self.entries[key]) for key in sorted(self._dirty)]
        dropped = sorted(self._dropped)

        def clear(db: sqlite3.Connection) -> None:
            db.executemany("UPDATE notes SET regions = NULL WHERE key = ?", [(key,) for key in dropped])
            forget_gone(db, ws, dropped)

        records = [(path, e.seen, e.title, {"regions": e.regions()}) for path, e in rows]
        save(ws, [*records, *also], clear if dropped else None)
        self._dirty.clear()
        self._dropped.clear()


def owner_labels(db: sqlite3.Connection, ws: Workspace) -> dict[str, str]:
    """What the owner's course index calls each note (its path in the workspace -> label), as
    ``notes index`` last found it, while the index file is as it was then; {} otherwise."""
    key = key_of(ws, ws.index_path)
    query = "SELECT size, mtime_ns, sha, title, regions FROM notes WHERE key = ? AND regions IS NOT NULL"
    row = db.execute(query, (key,)).fetchone()
    entry = _entry(Seen(*row[:3]), row[3], row[4]) if row is not None else None
    try:
        fresh = entry is not None and entry.matches(ws.index_path.stat())
    except OSError:
        return {}
    return dict(entry.labels or {}) if fresh and entry is not None else {}
