"""Note facts: what ``notes check``, the cheat sheets and ``notes commit`` need of each note.

Whoever parses a note (``notes index``'s phase A, ``notes check``, the cheat-sheet export) also
takes its :class:`Facts` from that parse: title, cheat-sheet snippets, heading anchors, the links
a check follows, HTML ids, hand-made TOCs and what the note says (:mod:`notes_tool.generate.learned`).
They are the ``facts`` part of the note's record in the note store
(:mod:`notes_tool.stores.note_store`), trusted while the file holds the bytes they were taken
from. So a check right after ``notes index`` (or while ``notes watch`` runs) parses only the notes
saved since, and an export or a commit parses none that a check or an index already read.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notes_tool.generate import adopt, learned
from notes_tool.generate.learned import Learned
from notes_tool.generate.snippets import Extracted, extract, extracted_from_json, extracted_to_json
from notes_tool.model.document import Note
from notes_tool.stores import note_store
from notes_tool.stores.note_store import Seen
from notes_tool.structure.workspace import Workspace

LinkRef = tuple[str, int, bool]
"""``(href, 1-based line, is image)``."""
FactsRow = tuple[Seen, "str | None", str]
"""A note's facts as a worker sends them back: the bytes they are of, its title, the rest as JSON."""


@dataclass(frozen=True)
class Facts:
    """What one parse of a note tells the other commands (picklable, from a worker process)."""

    path: Path
    seen: Seen
    """The bytes that were parsed: the facts hold while the file holds them."""
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
    learned: Learned
    """What the note says, without what the tool generates (what a commit compares)."""


def seen(digest: str, stat: os.stat_result) -> Seen:
    """The bytes of SHA-256 ``digest``, read from a file of this ``stat`` (taken before reading)."""
    return Seen(stat.st_size, stat.st_mtime_ns, digest)


def of(note: Note, bytes_seen: Seen) -> Facts:
    """The facts of a parsed note (``bytes_seen``: what was parsed, see :func:`seen`)."""
    return Facts(
        note.path,
        bytes_seen,
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
        learned.of(note),
    )


def row(item: Facts) -> FactsRow:
    """The facts as stored (cheaper to send from a worker process than the objects)."""
    data = {
        "snippets": extracted_to_json(item.snippets),
        "anchors": sorted(item.anchors),
        "links": item.links,
        "ids": sorted(item.ids),
        "adoptable": list(item.adoptable),
        "learned": item.learned.to_json(),
    }
    return (item.seen, item.title, json.dumps(data, ensure_ascii=False))


def record(path: Path, found: FactsRow) -> tuple[Path, Seen, str | None, dict[str, Any]]:
    """The note store's record of these facts (:func:`notes_tool.stores.note_store.save`)."""
    return (path, found[0], found[1], {"facts": found[2]})


def save(ws: Workspace | None, rows: Iterable[tuple[Path, FactsRow]]) -> None:
    """Store these notes' facts (:func:`row`); notes outside the workspace are left out."""
    note_store.save(ws, [record(path, found) for path, found in rows])


def load(ws: Workspace, paths: Iterable[Path]) -> dict[Path, Facts]:
    """The stored facts of those ``paths`` whose files still hold the bytes they are of."""
    found: dict[Path, Facts] = {}
    for path, bytes_seen, title, data in note_store.fresh(ws, paths, "facts"):
        try:
            found[path] = _from_json(path, bytes_seen, title, json.loads(data))
        except (ValueError, KeyError, TypeError, RecursionError):
            continue  # a record we cannot read is a record we do not have
    return found


def load_snippets(ws: Workspace, paths: Iterable[Path], last: bool = False) -> dict[Path, tuple[str | None, Extracted]]:
    """Like :func:`load`, the titles and snippets only (what an export needs, decoded faster);
    with ``last``, as last recorded whatever the files hold now (a note that does not parse)."""
    found: dict[Path, tuple[str | None, Extracted]] = {}
    rows = note_store.records(ws, paths, _SNIPPETS) if last else note_store.fresh(ws, paths, _SNIPPETS)
    for path, _, title, data in rows:
        try:
            found[path] = (title, extracted_from_json(path, json.loads(data)))
        except (ValueError, KeyError, TypeError, RecursionError):
            continue
    return found


_SNIPPETS = "CASE WHEN json_valid(facts) THEN json_extract(facts, '$.snippets') END"
"""The snippets of a record's facts, taken out by SQLite (an export decodes them alone)."""


def prune(ws: Workspace) -> None:
    """Drop the records of files that are gone (deleted or renamed since)."""
    note_store.prune(ws)


def load_outlines(ws: Workspace, paths: Iterable[Path] | None = None) -> dict[Path, dict[str, Any]]:
    """The last known outline data of these notes (all the store has, when ``paths`` is None),
    whatever they hold now: what :mod:`notes_tool.features.links` compares the next parse with."""
    found: dict[Path, dict[str, Any]] = {}
    for path, _, _, data in note_store.records(ws, paths, "outline"):
        try:
            value = json.loads(data)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            found[path] = value
    return found


def outline_part(data: dict[str, Any]) -> dict[str, Any]:
    """The ``outline`` part of a record, from :func:`notes_tool.features.links.remember`'s data."""
    return {"outline": json.dumps(data, ensure_ascii=False)}


def _from_json(path: Path, bytes_seen: Seen, title: str | None, data: dict[str, Any]) -> Facts:
    return Facts(
        path,
        bytes_seen,
        title,
        extracted_from_json(path, data["snippets"]),
        frozenset(data["anchors"]),
        tuple((str(href), int(line), bool(image)) for href, line, image in data["links"]),
        frozenset(data["ids"]),
        tuple(data["adoptable"]),
        Learned.from_json(data["learned"]),
    )
