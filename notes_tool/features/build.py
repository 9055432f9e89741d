"""Commands that change notes and then refresh what is derived from them
(:func:`notes_tool.features.refresh.refresh`): a new note, a cheat-sheet export or a first
publish (the course index lists the notes, the sheets and their gists), stamped moments;
``notes index --adopt``'s take-over of notes the tool did not create."""

from __future__ import annotations

import difflib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from notes_tool.errors import NoteError, NotesError, display_path
from notes_tool.features import newnote, stamp
from notes_tool.features.index import plan
from notes_tool.features.index_changes import Change, Outcome, write
from notes_tool.features.index_course import INDEX_REGION
from notes_tool.features.publish import Published, publish
from notes_tool.features.refresh import refresh
from notes_tool.features.sheets import Export, SheetChange
from notes_tool.fsio.confine import linked_out, real_path
from notes_tool.fsio.read import Snapshot
from notes_tool.generate import adopt, course_index, nav
from notes_tool.generate.adopt import Adoption
from notes_tool.generate.adopt_index import adopt_index
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.parallel import Progress
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.lessons import LessonFile
from notes_tool.structure.paths import MARKDOWN_SUFFIXES
from notes_tool.structure.workspace import Workspace, open_workspace, reopened


def new_note(ws: Workspace, title: str, **options: Any) -> tuple[Path, Outcome]:
    """``notes new``: the note (:func:`notes_tool.features.newnote.create`), then a refresh."""
    path = newnote.create(ws, title, **options)
    done = refresh(reopened(ws), cheats=False)  # reloaded: notes.toml may now name the new lesson
    return path, done.outcome


def export_sheets(ws: Workspace, export: Export) -> list[SheetChange]:
    """Write the planned sheets; the course index follows when a sheet came or went."""
    return refresh(ws, regions=False, cheats=export).sheets


def publish_sheets(ws: Workspace, names: list[str], **options: Any) -> list[Published]:
    """``notes cheats publish``; the course index links each gist it created."""
    results = publish(ws, names, **options)
    if not options.get("dry_run") and any(r.action == "created" for r in results):
        refresh(reopened(ws), cheats=False)  # reloaded: notes.toml now records the gists
    return results


def preview_adoption(ws: Workspace) -> tuple[str, list[str], list[NotesError]]:
    """What ``notes index --adopt`` would change, as a unified diff, with its messages and the
    notes it cannot read; nothing written. It runs on a copy of the workspace's Markdown and
    settings, so the diff shows the regions filled as the index run fills them."""
    skipped_dirs = {".git", ws.config.cache_dir.strip("/"), ".venv", "node_modules"}

    def skipped(folder: str, names: list[str]) -> set[str]:
        """What the copy leaves out: all but folders, Markdown and the settings (images, data
        sets and notebooks are neither read nor changed by adopting, and may be large)."""
        return {
            name
            for name in names
            if name in skipped_dirs
            or (
                not (Path(folder) / name).is_dir()
                and name not in (CONFIG_NAME, ".gitignore")  # (what it ignores is not a note)
                and Path(name).suffix.lower() not in MARKDOWN_SUFFIXES
            )
        }

    with tempfile.TemporaryDirectory(prefix="notes-adopt-") as folder:
        copy = Path(folder) / ws.root.name
        shutil.copytree(ws.root, copy, ignore=skipped, symlinks=True)
        other = open_workspace(copy, find_location=lambda _copy: ws.location())
        adoption, messages = adopt_all(other)
        write(adoption)
        outcome = plan(other)
        write(outcome)
        diff: list[str] = []
        for path in sorted({c.path for c in [*adoption.changes, *outcome.changes]}):
            original = ws.root / path.relative_to(copy)
            before = original.read_bytes() if original.exists() else b""
            name = display_path(original)
            diff += difflib.unified_diff(
                before.decode("utf-8", "replace").splitlines(keepends=True),
                path.read_bytes().decode("utf-8", "replace").splitlines(keepends=True),
                f"a/{name}" if original.exists() else "/dev/null",
                f"b/{name}",
            )
        errors = [e for e in [*adoption.errors, *outcome.errors]]
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    here = display_path(ws.root)
    said = [m.replace(copy.as_posix() + "/", "" if here == "." else here + "/") for m in messages]
    return shown, said, [_renamed(e, copy, ws.root) for e in errors]


def _renamed(error: NotesError, copy: Path, root: Path) -> NotesError:
    """``error`` about a file of the copy, said of the workspace's own file."""
    if error.path is not None and error.path.is_relative_to(copy):
        return type(error)(error.message, root / error.path.relative_to(copy), error.line)
    return error


def notes_with_transcripts(ws: Workspace) -> tuple[list[Path], list[NoteError]]:
    """``notes stamp --all``: the lesson notes with a stored transcript, and a warning for each
    that is a link leading out of the workspace (left out)."""
    from notes_tool.features import transcripts  # (webvtt: only when stamping)

    notes = [f.path for f in ws.lesson_files() if transcripts.has_any(ws, f.path)]
    outside = [warning for warning in (linked_out(note, ws.root) for note in notes) if warning is not None]
    return [note for note in notes if linked_out(note, ws.root) is None], outside


def stamp_notes(
    ws: Workspace,
    notes: list[Path],
    dry_run: bool = False,
    min_confidence: float = stamp.MIN_CONFIDENCE,
    progress: Progress | None = None,
    redo: bool = False,
) -> list[list[stamp.Row]]:
    """``notes stamp``: the moments found in each note; written, then linked by one build (the
    index, and the cheat sheets, whose links to a stamped heading follow its new anchor)."""
    found = []
    for done, note in enumerate(notes, 1):
        found.append(stamp.stamp(ws, note, dry_run, min_confidence, redo))
        if progress is not None:
            progress(done, len(notes))
    if not dry_run and any(row.reason == "stamped" for rows in found for row in rows):
        refresh(ws)
    return found


def clear_notes(ws: Workspace, notes: list[Path], dry_run: bool = False) -> list[list[stamp.Row]]:
    """``notes stamp --clear``: stamp's own moments taken out of each note, then one index run."""
    cleared = [stamp.clear(ws, note, dry_run) for note in notes]
    if not dry_run and any(cleared):
        refresh(ws, cheats=False)
    return cleared


def link_times(ws: Workspace) -> None:
    """One refresh: the times just written into headings become links into the video."""
    refresh(ws, cheats=False)


def adopt_all(ws: Workspace) -> tuple[Outcome, list[str]]:
    """Plan ``--adopt``: regions added to notes and the course index; messages for the user.
    Lesson notes get a TOC and nav; every other note has its hand-made TOC taken over."""
    outcome = Outcome(root=ws.root)
    messages: list[str] = []
    notes = ws.notes()
    files = ws.outline(notes).files
    loaded = _load_inside(ws, notes, outcome)
    # The nav regions are written filled, as the index would fill them: an extra named by the
    # `extras` pattern is placed by its hand-made link back, which its nav region replaces.
    titles = {f: loaded[f.path][0].title or "" for f in files if f.path in loaded}
    course = course_index.owners_course(ws, files, titles, owners_index_labels(ws, files))
    course_pages = {real_path(f.path) for f in files} | {real_path(ws.index_path)}
    course_pages |= {real_path(page.path) for page in course.pages}
    by_path = {f.path: f for f in files}
    for path, (note, snapshot) in loaded.items():
        lesson_file = by_path.get(path)
        if lesson_file is None:
            result = adopt.adopt_note(note, course_pages, lesson=False)
        else:
            nav_body = nav.nav_body(course, course.entry(lesson_file), ws.index_path)
            result = adopt.adopt_note(note, course_pages, nav_body)
        _adoption(outcome, messages, note, snapshot, result)
    _adopt_index(ws, files, course_pages, outcome, messages)
    return outcome, messages


def _load_inside(ws: Workspace, paths: list[Path], outcome: Outcome) -> dict[Path, tuple[Note, Snapshot]]:
    """Each note read and parsed; one linked outside the workspace is left (a warning), one that
    cannot be read is an error."""
    loaded: dict[Path, tuple[Note, Snapshot]] = {}
    for path in paths:
        outside = linked_out(path, ws.root)
        if outside is not None:
            outcome.warnings.append(outside)
            continue
        try:
            loaded[path] = document.load(path)
        except NotesError as exc:
            outcome.errors.append(exc)
    return loaded


def _adopt_index(
    ws: Workspace, files: list[LessonFile], course_pages: set[Path], outcome: Outcome, messages: list[str]
) -> None:
    """The course index adopted: its hand-made TOC, and the owner's list of lessons as the index
    region (a workspace of notes none of which is a lesson gets no empty index appended)."""
    if not ws.index_path.exists() and linked_out(ws.index_path, ws.root) is None:
        return
    loaded = _load_inside(ws, [ws.index_path], outcome)
    if not loaded:
        return
    note, snapshot = loaded[ws.index_path]
    targets = set(course_index.link_targets(files, ws.index_path))
    result = adopt.adopt_note(note, course_pages, lesson=False)
    index = adopt_index(note, targets, ws.root, ws.location) if files else adopt.Adoption()
    result.edits += index.edits
    result.done += index.done
    result.kept += index.kept
    _adoption(outcome, messages, note, snapshot, result)


def owners_index_labels(ws: Workspace, files: list[LessonFile]) -> dict[str, str]:
    """The owner's labels and lesson pages from their course index: its region, else the whole
    file (the list adopting is about to make the region)."""
    try:
        index, _ = document.load(ws.index_path)
    except NotesError:
        return {}
    region = index.region(INDEX_REGION)
    return course_index.owner_labels_in(ws, index.body(region) if region is not None else index.text, files)


def _adoption(outcome: Outcome, messages: list[str], note: Note, snapshot: Snapshot, result: Adoption) -> None:
    shown = display_path(note.path)
    messages.extend(f"{shown}: {kept}" for kept in result.kept)
    if result.edits:
        parts = ["adopted " + "; ".join(result.done)]
        outcome.changes.append(Change(note.path, parts, result.edits, snapshot.digest))
