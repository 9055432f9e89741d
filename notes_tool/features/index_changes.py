"""What a ``notes index`` run changes, and how it is written and recorded.

:class:`Change` is one file to rewrite (its edits and the bytes they apply to), :class:`Outcome`
what a run plans (:func:`notes_tool.features.index.plan`). :func:`write` applies the changes,
each atomically and guarded against the user saving the file in between; :func:`save` records
in the note store what the run found up to date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from notes_tool import __version__, parallel
from notes_tool.errors import ConcurrentEdit, NotesError
from notes_tool.fsio.confine import real_path
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.fsio.read import Snapshot, decode, encode, file_digest, read_snapshot
from notes_tool.fsio.write import create_new, write_atomic
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, apply_lines
from notes_tool.stores import facts
from notes_tool.stores.facts import FactsRow
from notes_tool.stores.note_store import Seen
from notes_tool.stores.regions import OutlineCache, OutlineEntry
from notes_tool.structure.workspace import Workspace


def digest(*parts: object) -> str:
    """A freshness key: what generated parts depend on besides a file's bytes (``parts``, and
    this release, which may generate them otherwise)."""
    data = json.dumps([__version__, *parts])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


@dataclass
class Change:
    """One file the run would rewrite: the edits, and the bytes they apply to (by hash).

    The new bytes are built only when written (:meth:`render`), one file at a time, so a run
    that rewrites every note never holds the whole workspace in memory.
    """

    path: Path
    parts: list[str]
    """What changed, for the status line: ``toc``, ``nav``, ``timestamps 3``..."""
    edits: list[Edit]
    sha: str | None
    """SHA-256 of the bytes the edits apply to; None for a new file (``content``)."""
    content: bytes = b""
    written: str | None = None
    """SHA-256 of the bytes :func:`write` wrote (what the file held right after)."""

    def render(self) -> tuple[bytes, Snapshot | None]:
        """The new bytes, and the snapshot they were made from (the write's guard)."""
        if self.sha is None:
            return self.content, None
        snapshot = read_snapshot(self.path)
        if snapshot.digest != self.sha:
            raise ConcurrentEdit("changed on disk while we worked; left as you saved it", self.path)
        text, bom = decode(snapshot.data, self.path)
        lines = document.split_lines(text)
        return encode(apply_lines(lines, self.edits, document.first_ending(lines)), bom), snapshot


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    """Files that could not be processed (the rest still was)."""
    warnings: list[NotesError] = field(default_factory=list)
    notices: list[NotesError] = field(default_factory=list)
    """What the owner's course index decided against the lessons' names (``notes check`` says
    it; ``notes index`` does not, on every run)."""
    fresh: dict[Path, tuple[str, OutlineEntry]] = field(default_factory=dict)
    """Cache entries to record once the changes are written (or were not needed)."""
    cache: OutlineCache | None = None
    facts: list[tuple[Path, FactsRow]] = field(default_factory=list)
    """Note facts from phase A's parses (of each note as read; stored for those left as they are)."""
    workspace: Workspace | None = None
    """Where to record them (None: ``--no-cache``)."""
    outlines: dict[Path, dict[str, Any]] = field(default_factory=dict)
    """What :func:`notes_tool.features.links.remember` found in each note this run parsed (kept
    in the note store with the note's record)."""
    held: dict[Path, set[Path]] = field(default_factory=dict)
    """Notes whose new outline is recorded only once these files' links to them are rewritten
    (:func:`notes_tool.features.links.follow`)."""
    root: Path | None = None
    """The workspace's folder: nothing is written that a link leads out of (:func:`write_one`)."""
    parsed: dict[Path, tuple[str, Note]] = field(default_factory=dict)
    """The notes phase A parsed in this process: path -> (SHA-256 of the bytes parsed, the parse)."""


@dataclass(frozen=True)
class Written:
    """What :func:`write_one` did (picklable, from a worker process)."""

    digest: str | None = None
    """SHA-256 of the bytes written; None when nothing was."""
    error: NotesError | None = None


def write_one(change: Change, root: Path | None, late_writes: LateWrites | None = None) -> Written:
    """Write one change (inside ``root``, once links are followed): what was written, or the
    error (``late_writes``: see :func:`write`)."""
    try:
        after, snapshot = change.render()
        if snapshot is None:
            create_new(change.path, after, within=root)
        elif not write_atomic(change.path, after, snapshot, within=root, late_writes=late_writes):
            return Written()
    except NotesError as exc:  # ConcurrentEdit included: the user's save wins
        return Written(error=exc)
    return Written(hashlib.sha256(after).hexdigest())


def write(outcome: Outcome, late_writes: LateWrites | None = None) -> list[Change]:
    """Write the planned changes (on every core for many); files saved meanwhile are skipped.

    With ``late_writes`` (the watcher's watch on the files its writes replace) every change is
    written in this process, where that watch is kept."""
    changes = outcome.changes
    jobs = [(change, outcome.root, late_writes) for change in changes]
    results = parallel.each_result(write_one, jobs) if late_writes is None else (write_one(*job) for job in jobs)
    written: list[Change] = []
    done: dict[Path, str] = {}
    for change, result in zip(changes, results, strict=True):
        if result.error is not None:
            outcome.errors.append(result.error)
        elif result.digest is not None:
            change.written = result.digest
            written.append(change)
            done[change.path] = result.digest
    save(outcome, done)
    return written


def save(outcome: Outcome, written: dict[Path, str] | None = None) -> None:
    """Store what this run learnt in the note store (:mod:`notes_tool.stores.note_store`), in one
    transaction: the notes now up to date, their outlines, and the facts of every note it parsed
    (a check, an export or a commit need not parse it again). A note with a planned change counts
    only once that change is written (``written``: path -> digest of the bytes written), and only
    if the file still holds those bytes; the facts of a rewritten note are not kept from this
    parse (:func:`notes_tool.features.refresh.refresh` parses it once more).
    """
    cache = outcome.cache
    if cache is None:
        return
    changed = {c.path for c in outcome.changes}
    written = written or {}
    outlined: list[tuple[Path, Seen, str | None, dict[str, Any]]] = []
    for path, (key, entry) in outcome.fresh.items():
        if outcome.held and any(p not in written for p in outcome.held.get(real_path(path), ())):
            continue  # its links elsewhere still lead to its old anchors: the next run follows them
        if path in changed:
            now = _as_written(path, entry, written.get(path))
            if now is None:
                continue
            entry = now
        cache.add(key, entry)
        if path in outcome.outlines:
            outlined.append((path, entry.seen, entry.title, facts.outline_part(outcome.outlines[path])))
    kept = [facts.record(path, row) for path, row in outcome.facts if path not in written]
    cache.save([*kept, *outlined])


def _as_written(path: Path, entry: OutlineEntry, digest: str | None) -> OutlineEntry | None:
    """The entry of a note as this run wrote it (bytes of SHA-256 ``digest``); None when it was
    not written, or the user saved it after our write (their bytes were never analysed)."""
    if digest is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    if file_digest(path) != digest:
        return None
    return replace(entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha=digest)
