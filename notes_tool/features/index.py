"""``notes index``: every generated region of the workspace, recomputed from the notes.

Two phases. Phase A looks at one note at a time and needs nothing else: timestamps, TOC and
back-to-top edits, the note's title, its current nav region. It runs on every core for a cold
run, and is skipped for a note whose bytes and settings have not changed since it was last found
up to date (its record in the note store). Phase B needs every title: each note's nav region and the course
index (:mod:`.index_course`). Nothing is written by :func:`plan`:
:func:`notes_tool.features.index_changes.write` applies the changes atomically, each guarded
against the user saving the file in between, and records what the run found up to date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from notes_tool import parallel
from notes_tool.errors import NoteError, NotesError
from notes_tool.features import links
from notes_tool.features.index_changes import Change, Outcome, digest
from notes_tool.features.index_course import owner_labels, plan_course_index
from notes_tool.fsio.confine import linked_out
from notes_tool.fsio.read import Snapshot
from notes_tool.generate import course_index, nav, note_problems, timestamps, toc
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, normalise, region_edit
from notes_tool.stores import facts
from notes_tool.stores.facts import FactsRow
from notes_tool.stores.note_store import current
from notes_tool.stores.regions import OutlineCache, OutlineEntry
from notes_tool.structure.config import Config
from notes_tool.structure.course import Course
from notes_tool.structure.outline import Outline
from notes_tool.structure.workspace import LessonFile, Workspace

FOLDER_NAMED_LIKE_A_NOTE = "is a folder named like a lesson note: not a note, not indexed (rename it)"
Progress = parallel.Progress


@dataclass
class Analysis:
    """Phase A's result for one note: picklable, small (no file contents)."""

    path: Path
    sha: str
    size: int
    mtime_ns: int
    title: str | None
    edits: list[Edit]
    parts: list[str]
    warnings: list[NotesError]
    nav: list[tuple[int, int, str]]
    """Each nav region's start and end lines and its current body (above the note, below it)."""
    error: NotesError | None = None
    facts: FactsRow | None = None
    """What ``notes check`` and the cheat sheets need of the note, from the same parse
    (serialised in the worker)."""
    links: dict[str, Any] | None = None
    """Its outline and waiting wikilinks (:func:`notes_tool.features.links.remember`)."""
    note: Note | None = None
    """The parse itself, kept only when phase A ran in this process (small runs: a save), so
    the stores that follow (the search index) take what they need from it instead of parsing."""


@dataclass(frozen=True)
class Settings:
    """What phase A needs from the configuration (picklable)."""

    toc_levels: tuple[int, int]
    back_to_top: bool

    @classmethod
    def of(cls, config: Config) -> Settings:
        return cls(config.toc_range, config.back_to_top)


def local_edits(note: Note, settings: Settings) -> tuple[list[Edit], list[str], list[NotesError]]:
    """Timestamps, TOC and back-to-top edits: everything that needs only the note itself."""
    edits, warnings = timestamps.heading_edits(note)
    warnings += toc.front_matter_problems(note) + note_problems.problems(note)
    parts: list[str] = [f"timestamps {len(edits)}"] if edits else []
    toc_region = note.region("toc")
    if toc_region is not None:
        levels = toc.levels_for(note, settings.toc_levels)
        body = toc.toc_body(toc.entries(note, levels)) if levels else ""
        change = region_edit(note, toc_region, body)
        if change:
            edits.append(change)
            parts.append("toc")
        enabled = note.front_matter.get("back_to_top", settings.back_to_top) is True
        top = toc.back_to_top_edits(note, levels, enabled)
        if top:
            edits.extend(top)
            parts.append("back-to-top")
    return edits, parts, warnings


def analyse(path: Path, settings: Settings, keep: bool = False) -> Analysis:
    """Phase A for one note (runs in a worker process for big runs); ``keep``: with the parse."""
    try:
        note, snapshot, stat = document.load_stat(path)
    except NotesError as exc:
        return failed(path, exc)
    found = analyse_note(note, snapshot, stat, settings)
    return replace(found, note=note) if keep else found


def failed(path: Path, error: NotesError) -> Analysis:
    """Phase A's result for a note that cannot be read or parsed."""
    return Analysis(path, "", 0, 0, None, [], [], [], [], error)


def analyse_note(note: Note, snapshot: Snapshot, stat: os.stat_result, settings: Settings) -> Analysis:
    """Phase A for a parsed note."""
    edits, parts, warnings = local_edits(note, settings)
    nav_state = [(r.start, r.end, normalise(note.body(r))) for r in note.regions if r.name == "nav"]
    digest = snapshot.digest
    found = facts.row(facts.of(note, facts.seen(digest, stat)))
    return Analysis(
        note.path,
        digest,
        stat.st_size,
        stat.st_mtime_ns,
        note.title,
        edits,
        parts,
        warnings,
        nav_state,
        None,
        found,
        links.remember(note),
    )


def _analyse_many(paths: list[Path], settings: Settings, progress: Progress | None) -> list[Analysis]:
    keep = parallel.in_process(len(paths))  # (a parse is not worth sending back from a worker)
    return parallel.map_jobs(analyse, [(path, settings, keep) for path in paths], progress)


def freshness(settings: Settings, nav_body: str | None) -> str:
    """What a note's generated parts depend on besides its own bytes."""
    return digest(list(settings.toc_levels), settings.back_to_top, nav_body)


def plan(
    ws: Workspace,
    only: list[Path] | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> Outcome:
    """What ``notes index`` would change; ``only`` limits the notes edited (not the index)."""
    run = _Run.start(ws, only, progress, use_cache)
    known, stale = _known(ws, run.cache, run.every)
    analysed = run.analyse(stale)  # phase A: the notes the cache does not know as they are
    labels = owner_labels(ws, run.cache, run.files)
    course = _course(run, known, analysed, labels)
    nav_bodies = {f.path: nav.nav_body(course, course.entry(f), ws.index_path) for f in run.files}
    analysed.update(run.analyse(_neighbours_changed(run, known, nav_bodies)))
    _finish_notes(run, known, analysed, nav_bodies)
    _finish_others(run)
    plan_course_index(ws, course, run.outcome, labels, run.files)
    _follow_links(ws, run.files, run.cache, run.outcome)
    if only is None:
        run.outcome.warnings += run.problems
        run.outcome.notices += run.outline.notices
    run.cache.prune({ws.relative(p) for p in run.every} | {ws.relative(ws.index_path)})
    return run.outcome


@dataclass
class _Run:
    """What one :func:`plan` works with: the settings, the cache, the notes in course order."""

    ws: Workspace
    settings: Settings
    cache: OutlineCache
    outcome: Outcome
    outline: Outline
    every: list[Path]
    """The lesson notes in course order, then the other notes."""
    wanted: set[Path] | None
    """The notes to edit (resolved), when not all."""
    progress: Progress | None

    @classmethod
    def start(cls, ws: Workspace, only: list[Path] | None, progress: Progress | None, use_cache: bool) -> _Run:
        cache = OutlineCache(ws if use_cache else None)
        outcome = Outcome(cache=cache, workspace=ws if use_cache else None, root=ws.root)
        notes = ws.notes()
        outline = ws.outline(notes)
        lesson_paths = {f.path for f in outline.files}
        every = [f.path for f in outline.files] + [p for p in notes if p not in lesson_paths]
        wanted = {p.resolve() for p in only} if only is not None else None
        return cls(ws, Settings.of(ws.config), cache, outcome, outline, every, wanted, progress)

    @property
    def files(self) -> list[LessonFile]:
        return self.outline.files

    @property
    def problems(self) -> list[NotesError]:
        """The outline's problems, and folders named like notes (said when every note is indexed)."""
        folders = [NoteError(FOLDER_NAMED_LIKE_A_NOTE, f) for f in self.ws.folders_named_like_notes()]
        return [*self.outline.problems, *folders]

    def edits(self, path: Path) -> bool:
        """Whether this run edits the note at ``path``."""
        return self.wanted is None or path.resolve() in self.wanted

    def analyse(self, paths: list[Path]) -> dict[Path, Analysis]:
        """Phase A for ``paths``. A note linked outside the workspace is not read: its title,
        headings and links stay out of the course index, the nav and the links (and phase B
        says it is left alone)."""
        inside = [p for p in paths if linked_out(p, self.ws.root) is None]
        found = dict(zip(inside, _analyse_many(inside, self.settings, self.progress), strict=True))
        return {p: found.get(p) or Analysis(p, "", 0, 0, None, [], [], [], []) for p in paths}

    def fresh_key(self, path: Path, has_nav: bool, nav_bodies: dict[Path, str]) -> str:
        """What the note's generated parts depend on now, besides its bytes."""
        return freshness(self.settings, nav_bodies[path] if has_nav and path in nav_bodies else None)


def _course(
    run: _Run, known: dict[Path, OutlineEntry], analysed: dict[Path, Analysis], labels: dict[str, str]
) -> Course:
    """The course with every lesson's title: as the cache knows it, as phase A just read it, or,
    for a note that does not parse, as it last was."""
    titles: dict[LessonFile, str] = {}
    for f in run.files:
        if f.path in known:
            titles[f] = known[f.path].title or ""
        elif analysed[f.path].error is None:
            titles[f] = analysed[f.path].title or ""
        else:  # a note that does not parse keeps the title it last had
            last = run.cache.get(run.ws.relative(f.path))
            titles[f] = (last.title or "") if last is not None else ""
    return course_index.owners_course(run.ws, run.files, titles, labels, own_word=run.outline.source != "names")


def _neighbours_changed(run: _Run, known: dict[Path, OutlineEntry], nav_bodies: dict[Path, str]) -> list[Path]:
    """Cached notes whose neighbours or settings changed: they need phase A after all."""
    return [
        path
        for path, entry in known.items()
        if entry.fresh != run.fresh_key(path, entry.has_nav, nav_bodies) and run.edits(path)
    ]


def _finish_notes(
    run: _Run, known: dict[Path, OutlineEntry], analysed: dict[Path, Analysis], nav_bodies: dict[Path, str]
) -> None:
    """Phase B for every note phase A read; the others recorded as fresh, as the cache knows them."""
    for path in run.every:
        if path in analysed:
            if run.edits(path):
                _finish(run.ws, run.outcome, analysed[path], nav_bodies.get(path), run.settings)
        elif path in known:
            entry = known[path]
            run.outcome.warnings.extend(NoteError(m, path, line) for m, line in entry.warnings)
            run.outcome.fresh[path] = (run.ws.relative(path), entry)


def _finish_others(run: _Run) -> None:
    """Other Markdown files named on the command line: their TOC only."""
    if not run.wanted:
        return
    notes = {p.resolve() for p in run.every}
    for path in sorted(run.wanted):
        if path not in notes and path != run.ws.index_path.resolve():
            _finish(run.ws, run.outcome, analyse(path, run.settings), None, run.settings, cached=False)


def _follow_links(ws: Workspace, files: list[LessonFile], cache: OutlineCache, outcome: Outcome) -> None:
    """Wikilinks written out, and links to renamed headings followed (:mod:`~notes_tool.features.links`):
    their line edits join the file's other changes, when made from the same bytes."""
    followed = links.follow(ws, files, cache, outcome.fresh, outcome.outlines)
    outcome.warnings.extend(followed.warnings)
    outcome.held = followed.held
    for path, remembered in followed.remembered.items():
        if path in outcome.fresh:
            key, entry = outcome.fresh[path]
            outcome.fresh[path] = (key, replace(entry, links=links.summary(remembered)))
            outcome.outlines[path] = remembered
    for item in followed.files:
        change = next((c for c in outcome.changes if c.path == item.path), None)
        if change is None:
            outcome.changes.append(Change(item.path, item.parts, item.edits, item.sha))
        elif change.sha == item.sha:  # (else saved since phase A read it: the next run follows)
            taken = [(e.start, max(e.end, e.start + 1)) for e in change.edits]
            kept = [e for e in item.edits if not any(a <= e.start < b for a, b in taken)]
            change.edits += kept
            change.parts += item.parts if kept else []


def _known(ws: Workspace, cache: OutlineCache, paths: list[Path]) -> tuple[dict[Path, OutlineEntry], list[Path]]:
    """The notes the cache knows as they are now (unchanged since it saw them), and the rest."""
    known: dict[Path, OutlineEntry] = {}
    stale: list[Path] = []
    for path in paths:
        entry = cache.get(ws.relative(path))
        now = current(path, entry.seen) if entry is not None else None  # (a touched file keeps its entry)
        if entry is not None and now is not None and entry.links is not None:
            known[path] = replace(entry, size=now.size, mtime_ns=now.mtime_ns)
        else:
            stale.append(path)
    return known, stale


def _finish(
    ws: Workspace,
    outcome: Outcome,
    local: Analysis,
    nav_body: str | None,
    settings: Settings,
    cached: bool = True,
) -> None:
    """Phase B for one note: add its nav edit, then plan the change (or record it as fresh)."""
    problem = local.error or linked_out(local.path, ws.root)
    if problem is not None:  # (a note linked outside is left alone: said as a warning)
        (outcome.errors if local.error is not None else outcome.warnings).append(problem)
        return
    outcome.warnings.extend(local.warnings)
    edits, parts = _with_nav(local, nav_body)
    if cached:
        outcome.fresh[local.path] = (ws.relative(local.path), _entry_of(local, nav_body, settings))
        if local.links is not None:
            outcome.outlines[local.path] = local.links
    if edits:
        outcome.changes.append(Change(local.path, parts, edits, local.sha))
    if local.facts is not None:
        outcome.facts.append((local.path, local.facts))
    if local.note is not None:
        outcome.parsed[local.path] = (local.sha, local.note)


def _with_nav(local: Analysis, nav_body: str | None) -> tuple[list[Edit], list[str]]:
    """Phase A's edits and their parts, with the nav regions that differ from ``nav_body``."""
    edits, parts = list(local.edits), list(local.parts)
    if nav_body is not None:
        stale = [(start, end) for start, end, current in local.nav if current != nav_body]
        edits += [Edit(start + 1, end, nav_body) for start, end in stale]
        parts += ["nav"] if stale else []
    return edits, parts


def _entry_of(local: Analysis, nav_body: str | None, settings: Settings) -> OutlineEntry:
    """The note's record once up to date: what its generated parts depend on, its warnings."""
    return OutlineEntry(
        local.size,
        local.mtime_ns,
        local.sha,
        local.title,
        freshness(settings, nav_body if local.nav else None),
        [[w.message, w.line] for w in local.warnings],
        bool(local.nav),
        links=links.summary(local.links) if local.links is not None else None,
    )
