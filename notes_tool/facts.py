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

import functools
import json
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from notes_tool import __version__
from notes_tool.cheats import Extracted, extract, extracted_from_json, extracted_to_json
from notes_tool.document import Heading, Note, Source, links_in

if TYPE_CHECKING:
    import sqlite3

    from notes_tool.edit import Edit
    from notes_tool.workspace import Workspace

T = TypeVar("T")

DB_NAME = "facts.sqlite"
SCHEMA_VERSION = 1
_VERSION = zlib.crc32(f"{SCHEMA_VERSION} {__version__}".encode()) & 0x7FFFFFFF
"""Facts depend on how this release reads notes, so another release starts afresh."""
_SCHEMA = """
DROP TABLE IF EXISTS facts;
CREATE TABLE facts (key TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, title TEXT, snippets TEXT, links TEXT);
"""

LinkRef = tuple[str, int, bool]
"""``(href, 1-based line, is image)``."""
Row = tuple[int, int, "str | None", str, str]
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
    sources: tuple[Source, ...]
    """The blocks, outside generated regions, whose links may point into the repository: kept
    unparsed, so a run that never checks links (``notes index``) does not pay for parsing them."""
    references: dict[str, Any]
    """Its reference definitions, which links in ``sources`` may use."""
    ids: frozenset[str]
    """``id="..."`` and ``name="..."`` values in its HTML (anchors GitHub also keeps)."""
    adoptable: tuple[str, ...]
    """Hand-made TOCs ``notes index --adopt`` could take over."""
    parsed: tuple[LinkRef, ...] | None = None
    """The links of ``sources``, once a check has parsed them (stored with the rest)."""

    @cached_property
    def links(self) -> tuple[LinkRef, ...]:
        """Links and images outside generated regions that may point into the repository."""
        if self.parsed is not None:
            return self.parsed
        return tuple((link.href, link.line + 1, link.image) for link in links_in(list(self.sources), self.references))

    def with_links(self) -> Facts:
        """These facts with their links parsed (in a check's worker process, on every core)."""
        return self if self.parsed is not None else replace(self, parsed=self.links)


def of(note: Note, stat: os.stat_result) -> Facts:
    """The facts of a parsed note; ``stat`` is the file's, taken before it was read."""
    from notes_tool import adopt

    return Facts(
        note.path,
        stat.st_size,
        stat.st_mtime_ns,
        note.title,
        extract(note),
        frozenset(h.slug for h in note.headings),
        tuple(note.link_sources(may_hold_local_link, regions=False)),
        note.references,
        note.html_anchors,
        tuple(adopt.adoptable(note)),
    )


def survives(note: Note, found: Facts, edits: list[Edit]) -> bool:
    """Whether ``found`` (the note's facts) still holds, but for line numbers, once ``edits`` are
    written: see :func:`shifted`. ``notes index`` keeps the facts of the notes it rewrites so.

    True when every edit is one ``notes index`` makes and touches nothing the facts describe:
    it rewrites a generated region's body, adds or removes "back to the top" regions, or links a
    heading's time without changing the heading's text (so its anchor and the note's title stay).
    No edit may cross a block whose links are kept, a code block, the span of the note's cheat
    markers, or text with an HTML id or a reference definition (they would change the anchors,
    or how other links read). Anything else, and the note is parsed again when next needed.
    """
    from notes_tool.document import holds_html_id

    if not edits:
        return True
    if found.adoptable:
        return False  # its messages name lines
    kept = [(line, line + content.count("\n") + 1) for line, content, _ in found.sources]
    kept += [(fence.line, fence.end) for fence in note.fences]
    markers = [c.line for c in note.comments if c.text.lower().startswith(("cheat", "/cheat"))]
    if markers:
        kept.append((min(markers), max(markers) + 1))
    headings = {heading.line: heading for heading in note.headings}
    for edit in edits:
        if any(start < edit.end and edit.start < end for start, end in kept):
            return False  # (for an insertion, start == end: one strictly inside a block)
        old = note.lines[edit.start : edit.end]
        if any(holds_html_id(text) or "]:" in text for text in (*old, edit.text)):
            return False
        heading = headings.get(edit.start)
        if heading is not None and edit.end == edit.start + 1:
            # A linked time: same text, and the new link leads off the site (not a kept link).
            if not _same_text(heading, edit.text) or may_hold_local_link(edit.text):
                return False
            if found.references and "[" in edit.text:
                return False
            continue
        lines = range(edit.start, edit.end)
        if any(line in headings or (note.region_of(line) is None and old[line - edit.start].strip()) for line in lines):
            return False  # only generated regions and blank lines may go
        if not _in_one_body(note, edit) and not _apart(note, edit, headings):
            return False
    return True


def _same_text(heading: Heading, line: str) -> bool:
    """Whether ``line``, written over ``heading``'s line, gives it the same text (and anchor)."""
    from notes_tool.document import heading_text

    time, column = heading.time, heading.column
    if time is not None and column is not None and heading.raw[: time.end] == time.shown:
        # "12:34 Topic" -> "[12:34](URL) Topic": when the rest holds no Markdown, the text is
        # the same without parsing (most timed headings; a parse per heading is dear).
        rest = heading.raw[time.end :]
        linked = line[column:].startswith(f"[{time.shown}](") and line.rstrip("\r\n").endswith(rest)
        if linked and not any(char in rest for char in "[]()`<>*_\\&!#"):
            return True
    return heading_text(line) == heading.text


def _in_one_body(note: Note, edit: Edit) -> bool:
    """Whether ``edit`` replaces lines between one region's markers (which stay)."""
    return any(region.start < edit.start and edit.end <= region.end for region in note.regions)


def _apart(note: Note, edit: Edit, headings: dict[int, Heading]) -> bool:
    """Whether the blocks around ``edit`` stay as they are: a blank line, an ATX heading (one
    line) or the file's edge keeps what is above from running into what follows (a paragraph
    would take in the next line; text over ``---`` would become a heading)."""
    lines = note.lines
    above_apart = edit.start == 0 or not lines[edit.start - 1].strip()
    below = headings.get(edit.end)
    atx_below = below is not None and below.end == below.line + 1
    below_apart = edit.end == len(lines) or not lines[edit.end].strip() or atx_below
    if not edit.text:
        return above_apart or below_apart
    last = edit.text.removesuffix("\n").rsplit("\n", 1)[-1].strip()
    ends_apart = not last or last.endswith("-->")  # a blank line, or a comment's end closes it
    return (above_apart or edit.text.startswith("\n")) and (below_apart or ends_apart)


def shifted(stored: Row, edits: list[Edit]) -> Row:
    """A stored row (:func:`row`) moved to the lines of the note once ``edits`` are spliced in;
    only for edits the facts :func:`survive <survives>`. Size and mtime stay the caller's to set."""
    from notes_tool.edit import line_map

    moved = line_map(edits)

    def moved_1(line: int) -> int:
        """``moved`` for a 1-based line number (or a half-open span's end)."""
        return moved(line - 1) + 1

    size, mtime_ns, title, snippets_json, links_json = stored
    snippets = json.loads(snippets_json)
    for snippet in snippets["snippets"]:
        snippet["line"] = moved_1(snippet["line"])
        snippet["body_line"] = moved_1(snippet["body_line"])
    for problem in (*snippets["warnings"], *snippets["errors"]):
        if problem[1] is not None:
            problem[1] = moved_1(problem[1])
    links = json.loads(links_json)
    links["sources"] = [[moved(line), content, region] for line, content, region in links["sources"]]
    for reference in links["references"].values():
        if isinstance(reference.get("map"), list):  # markdown-it keeps where each was defined
            first, end = reference["map"]
            reference["map"] = [moved(first), moved_1(end)]
    if links.get("parsed") is not None:
        links["parsed"] = [[href, moved_1(line), image] for href, line, image in links["parsed"]]
    dump = functools.partial(json.dumps, ensure_ascii=False)
    return (size, mtime_ns, title, dump(snippets), dump(links))


def may_hold_local_link(content: str) -> bool:
    """Cheap test: some ``](`` in ``content`` is not followed by an http(s) URL (never checked).

    Sound, not exact: an inline link's destination follows its ``](`` directly (or after a ``<``),
    so a block whose every ``](`` leads to a web URL holds no link to check. Autolinks
    (``<https://...>``) always carry a scheme, and reference links are parsed whatever this says.
    """
    start = content.find("](")
    while start >= 0:
        if not content[start + 2 : start + 11].lstrip("<").lower().startswith(("http://", "https://")):
            return True
        start = content.find("](", start + 2)
    return False


def _key(ws: Workspace, path: Path) -> str | None:
    """The store's key for ``path``: relative to the workspace (None outside it)."""
    key = ws.relative(Path(os.path.abspath(path)))
    return None if PurePath(key).is_absolute() else key  # outside: relative() gives the full path


def _with_store(ws: Workspace, work: Callable[[sqlite3.Connection], T], failed: T) -> T:
    """``work(db)`` in one transaction on the store; ``failed`` if the store cannot be used."""
    import sqlite3

    from notes_tool.cache import open_db

    try:
        with open_db(ws.cache_dir, DB_NAME, _VERSION, _SCHEMA, "SELECT count(*) FROM facts") as db, db:
            return work(db)
    except (sqlite3.Error, OSError):
        return failed


def recall(ws: Workspace, paths: Iterable[Path]) -> dict[Path, Facts]:
    """The stored facts of those ``paths`` whose files are as they were (same size and mtime)."""
    found: dict[Path, Facts] = {}
    for path, (size, mtime_ns, title, snippets, links) in _rows(ws, paths, "title, snippets, links"):
        try:
            found[path] = _from_row(path, size, mtime_ns, title, snippets, links)
        except (ValueError, KeyError, TypeError):
            continue  # a row we cannot read is a row we do not have
    return found


def recall_snippets(ws: Workspace, paths: Iterable[Path]) -> dict[Path, tuple[str | None, Extracted]]:
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


def remember(ws: Workspace, rows: Iterable[tuple[Path, Row]]) -> None:
    """Store these notes' facts (:func:`row`); notes outside the workspace are left out."""
    keyed = [(key, *row) for path, row in rows if (key := _key(ws, path)) is not None]
    if keyed:
        insert = "INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?)"
        _with_store(ws, lambda db: db.executemany(insert, keyed), None)


def forget_missing(ws: Workspace) -> None:
    """Drop the rows of files that are gone (deleted or renamed since)."""

    def forget(db: sqlite3.Connection) -> None:
        gone = [(key,) for (key,) in db.execute("SELECT key FROM facts") if not (ws.root / key).exists()]
        db.executemany("DELETE FROM facts WHERE key = ?", gone)

    _with_store(ws, forget, None)


def row(item: Facts) -> Row:
    """The facts as stored (cheaper to send from a worker process than the objects)."""
    links = {
        "anchors": sorted(item.anchors),
        "sources": item.sources,
        "references": item.references,
        "ids": sorted(item.ids),
        "adoptable": list(item.adoptable),
    }
    if item.parsed is not None:
        links["parsed"] = item.parsed
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
        tuple((int(line), str(content), region) for line, content, region in data["sources"]),
        dict(data["references"]),
        frozenset(data["ids"]),
        tuple(data["adoptable"]),
        None if data.get("parsed") is None else tuple((str(h), int(n), bool(i)) for h, n, i in data["parsed"]),
    )
