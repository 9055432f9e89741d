"""One refresh: everything derived from the notes brought up to date, in one pass over the notes
that changed. Every command that changes notes, and the watcher's round, call :func:`refresh`;
none puts the steps together itself.

The steps, in order:

1. the regions (:mod:`notes_tool.features.index`): timestamps, TOC, back-to-top, nav, the
   course index, wikilinks and links following renamed headings. Its phase A reads and parses
   each changed note once and takes from that parse what the other stores need: the note facts
   (title, snippets, anchors, links: what ``notes check`` and the cheat sheets read) and the
   outline the links follow;
2. a note the refresh rewrote is parsed once more, from the bytes written, for those stores;
3. the cheat sheets, from the stored facts (no note parsed again); the course index follows
   when a sheet came or went (it lists them);
4. the search index, from the same parses (a note parsed in this process is not parsed again;
   a big run parses in worker processes, whose parses the search index does not get).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.errors import NotesError
from notes_tool.features import index, index_changes, sheets
from notes_tool.features.index_changes import Change, Outcome
from notes_tool.features.sheets import Export, SheetChange
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.parallel import Progress
from notes_tool.stores import facts, search_index
from notes_tool.structure.workspace import Workspace


@dataclass
class Refreshed:
    """What :func:`refresh` wrote, and the problems it met."""

    outcome: Outcome
    """The regions' plan (its changes, errors and warnings)."""
    written: list[Change] = field(default_factory=list)
    """The files whose regions were rewritten."""
    export: Export = field(default_factory=Export)
    sheets: list[SheetChange] = field(default_factory=list)
    """The cheat sheets written or deleted."""
    followed: list[Change] = field(default_factory=list)
    """The course index rewritten again, after a sheet came or went (it lists them)."""
    searched: int = 0
    """Notes (re)indexed for search."""

    @property
    def changed(self) -> list[Change]:
        """Every file whose regions were rewritten, by either index run."""
        return [*self.written, *self.followed]

    @property
    def errors(self) -> list[NotesError]:
        return [*self.export.errors, *self.outcome.errors]


def refresh(
    ws: Workspace,
    only: list[Path] | None = None,
    *,
    regions: bool = True,
    cheats: bool | Export = True,
    search: bool | None = None,
    progress: Progress | None = None,
    late_writes: LateWrites | None = None,
) -> Refreshed:
    """Bring what is derived from the notes up to date (see the module's steps).

    ``only`` limits the notes whose regions are edited (``notes index PATHS``; the course index
    still follows). ``regions=False`` leaves the regions to the course index's run after a sheet
    came or went (``notes cheats export``). ``cheats``: whether the sheets are exported, or the
    export already planned. ``search``: True brings the search index up to date (the watcher
    keeps it warm); None only when a search has made it; False never. ``late_writes``: the
    watcher's watch on the files its writes replace (:class:`notes_tool.fsio.late_writes.LateWrites`).
    """
    outcome = index.plan(ws, only, progress) if regions else Outcome()
    done = Refreshed(outcome, index_changes.write(outcome, late_writes) if regions else [])
    parsed = _parsed_after(ws, outcome, done.written)
    if cheats is not False:
        done.export = sheets.plan_export(ws) if cheats is True else cheats
        done.sheets = sheets.write_export(done.export, late_writes)
    if any(change.lists_change for change in done.sheets):
        done.followed = index_changes.write(index.plan(ws), late_writes)
    done.searched = _search(ws, parsed, search)
    return done


def preview(ws: Workspace) -> list[tuple[Path, str]]:
    """What :func:`refresh` would write, nothing written (``notes commit --dry-run``): each file
    with its change as git says it (``A``, ``M``, ``D``)."""
    export = sheets.plan_export(ws)
    planned = [(c.path, {"create": "A", "delete": "D"}.get(c.action, "M")) for c in export.changes]
    return planned + [(c.path, "A" if c.sha is None else "M") for c in index.plan(ws).changes]


def _parsed_after(ws: Workspace, outcome: Outcome, written: list[Change]) -> dict[Path, tuple[str, Note]]:
    """The notes this run parsed, as they are now: those it rewrote parsed once more (their facts
    stored, as phase A's were for the others), the rest as phase A parsed them."""
    parsed = dict(outcome.parsed)
    rows = []
    for change in written:
        if change.path not in parsed:
            continue  # parsed in a worker (a big run), or never: the stores read it themselves
        try:
            note, snapshot, stat = document.load_stat(change.path)
        except NotesError:
            del parsed[change.path]
            continue
        digest = snapshot.digest
        parsed[change.path] = (digest, note)
        rows.append((change.path, facts.row(facts.of(note, facts.seen(digest, stat)))))
    if rows and outcome.workspace is not None:
        facts.save(ws, rows)
    return parsed


def _search(ws: Workspace, parsed: dict[Path, tuple[str, Note]], wanted: bool | None) -> int:
    """The search index brought up to date from the parses of this run (see :func:`refresh`)."""
    if wanted is False or (wanted is None and not search_index.in_use(ws)):
        return 0
    try:
        with search_index.open_index(ws) as db:
            return search_index.update(ws, db, parsed=parsed)
    except (sqlite3.Error, OSError):
        if wanted:
            raise
        return 0  # (the next search rebuilds it, and says why)
