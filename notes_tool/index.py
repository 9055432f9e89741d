"""``notes index``: every generated region of the workspace, recomputed from the notes.

Per note: timestamps -> TOC -> nav -> back-to-top links; then the course index. Nothing is
written here: :func:`plan` returns the changes, :func:`write` applies them atomically, each
guarded against the user saving the file in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes_tool import document, nav, timestamps, toc
from notes_tool.course import Course, Entry
from notes_tool.document import Note
from notes_tool.edit import Edit, apply, region_edit
from notes_tool.errors import NoteError, NotesError
from notes_tool.fsio import Snapshot, create_new, encode, write_atomic
from notes_tool.workspace import LessonFile, Workspace

INDEX_REGION = "index"


@dataclass
class Change:
    """One file the run would rewrite."""

    path: Path
    before: bytes
    after: bytes
    snapshot: Snapshot | None
    parts: list[str]
    """What changed, for the status line: ``toc``, ``nav``, ``timestamps 3``..."""


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    """Files that could not be processed (the rest still was)."""
    warnings: list[NotesError] = field(default_factory=list)


@dataclass
class Loaded:
    note: Note
    snapshot: Snapshot


def load_notes(files: list[LessonFile], outcome: Outcome) -> dict[LessonFile, Loaded]:
    loaded = {}
    for lesson_file in files:
        try:
            note, snapshot = document.load(lesson_file.path)
        except NotesError as exc:
            outcome.errors.append(exc)
            continue
        loaded[lesson_file] = Loaded(note, snapshot)
    return loaded


def note_edits(
    ws: Workspace, course: Course, entry: Entry | None, note: Note
) -> tuple[list[Edit], list[str], list[NotesError]]:
    """The edits that bring one note's generated parts up to date, what they touch, warnings."""
    edits, warnings = timestamps.heading_edits(note)
    parts: list[str] = [f"timestamps {len(edits)}"] if edits else []
    toc_region = note.region("toc")
    if toc_region is not None:
        levels = toc.levels_for(note, ws.config.toc_range)
        body = toc.toc_body(toc.entries(note, levels)) if levels else ""
        change = region_edit(note, toc_region, body)
        if change:
            edits.append(change)
            parts.append("toc")
    nav_region = note.region("nav")
    if nav_region is not None and entry is not None:
        change = region_edit(note, nav_region, nav.nav_body(course, entry, ws.index_path))
        if change:
            edits.append(change)
            parts.append("nav")
    return edits, parts, warnings


def index_body(ws: Workspace, course: Course) -> str:
    return "".join(line + "\n" for line in nav.index_lines(course, ws.index_path))


def plan(ws: Workspace, only: list[Path] | None = None) -> Outcome:
    """What ``notes index`` would change; ``only`` limits the notes edited (not the index)."""
    outcome = Outcome()
    files = ws.lesson_files()
    loaded = load_notes(files, outcome)
    course = Course(ws.lessons(), {f: item.note.title or "" for f, item in loaded.items()})
    wanted = {p.resolve() for p in only} if only is not None else None

    for lesson_file, item in loaded.items():
        if wanted is not None and lesson_file.path.resolve() not in wanted:
            continue
        _add_change(outcome, item, *note_edits(ws, course, course.entry(lesson_file), item.note))

    # Other Markdown files named on the command line: their TOC only.
    lesson_paths = {f.path.resolve() for f in files}
    for path in sorted(wanted or ()):
        if path in lesson_paths or path == ws.index_path.resolve():
            continue
        try:
            note, snapshot = document.load(path)
        except NotesError as exc:
            outcome.errors.append(exc)
            continue
        _add_change(outcome, Loaded(note, snapshot), *note_edits(ws, course, None, note))

    _plan_course_index(ws, course, outcome)
    return outcome


def _add_change(
    outcome: Outcome, item: Loaded, edits: list[Edit], parts: list[str], warnings: list[NotesError]
) -> None:
    outcome.warnings.extend(warnings)
    if not edits:
        return
    note = item.note
    after = encode(apply(note, edits), note.bom)
    if after != item.snapshot.data:
        outcome.changes.append(Change(note.path, item.snapshot.data, after, item.snapshot, parts))


def _plan_course_index(ws: Workspace, course: Course, outcome: Outcome) -> None:
    path = ws.index_path
    body = index_body(ws, course)
    if not path.exists():
        text = (
            f"# {ws.config.course}\n\n<!-- notes:{INDEX_REGION} -->\n{body}<!-- /notes:{INDEX_REGION} -->\n"
        )
        outcome.changes.append(Change(path, b"", text.encode("utf-8"), None, ["index (new file)"]))
        return
    try:
        note, snapshot = document.load(path)
    except NotesError as exc:
        outcome.errors.append(exc)
        return
    region = note.region(INDEX_REGION)
    if region is None:
        outcome.warnings.append(
            NoteError(
                f"no course index region; add the lines <!-- notes:{INDEX_REGION} --> and "
                f"<!-- /notes:{INDEX_REGION} --> where the index should go",
                path,
            )
        )
        return
    change = region_edit(note, region, body)
    if change:
        after = encode(apply(note, [change]), note.bom)
        outcome.changes.append(Change(path, snapshot.data, after, snapshot, ["index"]))


def write(outcome: Outcome) -> list[Change]:
    """Write the planned changes; a file the user saved meanwhile is skipped and reported."""
    written = []
    for change in outcome.changes:
        try:
            if change.snapshot is None:
                create_new(change.path, change.after)
                written.append(change)
            elif write_atomic(change.path, change.after, change.snapshot):
                written.append(change)
        except NotesError as exc:  # ConcurrentEdit included: the user's save wins
            outcome.errors.append(exc)
    return written
