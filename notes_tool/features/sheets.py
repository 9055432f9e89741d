"""Cheat sheets: the snippets the notes mark (:mod:`notes_tool.generate.snippets`) in ``cheatsheets/NAME.md``.

A sheet holds its snippets grouped by lesson, in lesson order (then the notes outside the
lessons, by path, each headed by its own title), each with a source line: a link
to the note's heading (absolute on GitHub when the repository's URL is known, since a gist
cannot follow relative links) and the video moment when the heading is timestamped. The notes
are the source of truth: a sheet is regenerated whole, inside its ``notes:cheats`` region; what
you write around the region (an intro) is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from notes_tool.edges import gitrepo
from notes_tool.errors import NoteError, NotesError
from notes_tool.fsio.confine import confined, linked_out
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.fsio.read import decode, encode, read_snapshot
from notes_tool.fsio.write import create_new, write_atomic
from notes_tool.generate.snippets import Extracted, Snippet
from notes_tool.model import document
from notes_tool.model.edit import apply, normalise, region_edit
from notes_tool.model.mdtext import escape, href
from notes_tool.parallel import Progress, map_jobs
from notes_tool.stores import facts
from notes_tool.stores.cache import read_json, write_json
from notes_tool.stores.facts import Facts
from notes_tool.structure.course import Course, fallback_title
from notes_tool.structure.workspace import SHEET_REGION as REGION
from notes_tool.structure.workspace import LessonFile, Workspace

OUTSIDE_THE_LESSONS = 1 << 30
"""The number a note outside the lessons is collected under: after every lesson, headed by its
own title (not ``Lesson N: ...``), its source lines linking it as a lesson's do."""


@dataclass
class Sheets:
    by_name: dict[str, list[tuple[LessonFile, Snippet]]] = field(default_factory=dict)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    titles: dict[LessonFile, str] = field(default_factory=dict)
    unread: bool = False
    """Whether a note that does not parse has snippets not known (then no sheet is deleted or emptied)."""


def _facts_of(path: Path) -> tuple[Facts | None, Extracted]:
    """A note's facts, or what stops it being read (runs in a worker process for many notes)."""
    try:
        note, snapshot, stat = document.load_stat(path)
    except NotesError as exc:
        if not path.exists():
            return None, Extracted()  # deleted since the folder was listed
        return None, Extracted(errors=[exc])
    return facts.of(note, facts.seen(snapshot.digest, stat)), Extracted()


def collect(ws: Workspace, progress: Progress | None = None) -> Sheets:
    """Every sheet's snippets, lessons in course order, snippets in document order.

    Notes unchanged since a command last parsed them are not parsed again: their snippets come
    from their record in the note store (:mod:`notes_tool.stores.facts`).
    """
    lesson_files = ws.lesson_files()
    files = lesson_files + [LessonFile(path, OUTSIDE_THE_LESSONS, "") for path in ws.other_notes(lesson_files)]
    refused = {f: linked_out(f.path, ws.root) for f in files}  # a note linked outside is never read
    files = [f for f in files if refused[f] is None]
    sheets = Sheets(warnings=[found for found in refused.values() if found is not None])
    results, sheets.unread = _snippets(ws, files, progress)
    for lesson_file in files:
        if lesson_file not in results:
            continue
        title, extracted = results[lesson_file]
        sheets.titles[lesson_file] = title or fallback_title(lesson_file.path)
        sheets.warnings.extend(extracted.warnings)
        sheets.errors.extend(extracted.errors)
        for snippet in extracted.snippets:
            sheets.by_name.setdefault(snippet.sheet, []).append((lesson_file, snippet))
    return sheets


def _snippets(
    ws: Workspace, files: list[LessonFile], progress: Progress | None
) -> tuple[dict[LessonFile, tuple[str | None, Extracted]], bool]:
    """Each note's title and snippets: as stored, else from one parse (on every core for many),
    whose facts are then stored; a note that cannot be read has its error instead, with the
    snippets it last had when they are known; and whether some are not."""
    recalled = facts.load_snippets(ws, [f.path for f in files])
    stale = [f for f in files if f.path not in recalled]
    parsed = map_jobs(_facts_of, [(f.path,) for f in stale], progress)
    facts.save(ws, [(found.path, facts.row(found)) for found, _ in parsed if found is not None])
    results = {f: recalled[f.path] for f in files if f.path in recalled}
    failed = [f.path for f, (found, failure) in zip(stale, parsed, strict=True) if found is None and failure.errors]
    last = facts.load_snippets(ws, failed, last=True) if failed else {}
    for lesson_file, (found, failure) in zip(stale, parsed, strict=True):
        results[lesson_file] = _read_or_last(lesson_file.path, found, failure, last)
    return results, any(path not in last for path in failed)


def _read_or_last(
    path: Path, found: Facts | None, failure: Extracted, last: dict[Path, tuple[str | None, Extracted]]
) -> tuple[str | None, Extracted]:
    """A note's title and snippets as just read; for a note that does not parse, the snippets it
    last had (when known) with its error."""
    if found is not None:
        return found.title, found.snippets
    if path in last:
        title, before = last[path]
        return title, Extracted(before.snippets, errors=failure.errors)
    return None, failure


def blob_base(ws: Workspace) -> str | None:
    """``https://github.com/OWNER/REPO/blob/BRANCH/`` for absolute links, when known."""
    url, branch = ws.config.repo_url.rstrip("/"), ws.config.branch
    try:
        with gitrepo.open_repo(ws.root) as repo:
            if not url:
                url = gitrepo.github_web_url(next((r.url for r in repo.remotes if r.name == "origin"), "")) or ""
            if not branch and not repo.head.is_detached:
                branch = repo.active_branch.name
            top = gitrepo.top(repo)
    except NotesError:
        top = ws.root
    if not url:
        return None
    prefix = ws.root.resolve().relative_to(top.resolve()).as_posix() if ws.root.resolve() != top.resolve() else ""
    return f"{url}/blob/{quote(branch or 'main')}/" + (quote(prefix) + "/" if prefix else "")


def render_sheet(
    ws: Workspace,
    entries: list[tuple[LessonFile, Snippet]],
    course: Course,
    base: str | None,
) -> str:
    """The body of a sheet's ``notes:cheats`` region; ``course`` gives the notes' titles."""
    folder = ws.sheets_dir
    parts: list[str] = []
    current: LessonFile | None = None
    for lesson_file, snippet in sorted(entries, key=lambda e: (e[0].sort_key, ws.relative(e[0].path), e[1].line)):
        if lesson_file != current:
            current = lesson_file
            rel = ws.relative(lesson_file.path)
            outside = lesson_file.number == OUTSIDE_THE_LESSONS
            label = course.titles.get(lesson_file) or rel if outside else course.entry(lesson_file).label
            parts.append(f"## {escape(label)}\n")
            page = base + quote(rel) if base else href(lesson_file.path, folder)
            title = escape(course.titles.get(lesson_file, rel))
        parts.append(f"### {escape(snippet.caption)}\n")
        parts.append(snippet.body)
        target = page + (f"#{snippet.anchor}" if snippet.anchor else "")
        source = f"Source: [{title}" + (f" › {escape(snippet.heading)}" if snippet.heading else "") + f"]({target})"
        if snippet.moment:
            source += f" · [▶ {snippet.time}]({snippet.moment})"
        parts.append(source + "\n")
    return "\n".join(parts)


def default_sheet(name: str, course: str) -> str:
    return (
        f"# {name} cheat sheet\n\n"
        f"Snippets from my {course} notes. Write your own introduction here: notes_tool keeps it.\n\n"
        f"<!-- notes:{REGION} -->\n<!-- /notes:{REGION} -->\n"
    )


@dataclass
class SheetChange:
    name: str
    path: Path
    action: str
    """``create``, ``update``, ``delete``, or ``empty`` (no snippets, but your words are kept)."""
    content: bytes | None
    snapshot_sha: str | None

    @property
    def lists_change(self) -> bool:
        """Whether the course index, which lists the sheets, must follow (a sheet came or went)."""
        return self.action in ("create", "delete")


@dataclass
class Export:
    changes: list[SheetChange] = field(default_factory=list)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    fresh: dict[str, str] = field(default_factory=dict)
    """Sheet name -> digest of its region body, for sheets up to date once the changes are written."""
    workspace: Workspace | None = None
    state: dict[str, Any] = field(default_factory=dict)
    """The sheets' state as last recorded (size, mtime, body digest), read when planning."""


def plan_export(ws: Workspace, progress: Progress | None = None) -> Export:
    """What ``notes cheats export`` would write: each sheet made, updated, emptied or deleted."""
    sheets = collect(ws, progress)
    result = Export(warnings=sheets.warnings, errors=sheets.errors, names=sorted(sheets.by_name), workspace=ws)
    result.state = read_json(ws, STATE_FILE)
    base = blob_base(ws)
    course = Course(ws.lessons(), sheets.titles)  # once for all the sheets: it lists every note
    for name in sorted(set(sheets.by_name) | set(ws.existing_sheets())):
        path = ws.sheet_path(name)
        entries = sheets.by_name.get(name, [])
        if not path.exists():
            if entries:
                _plan_new(ws, result, name, render_sheet(ws, entries, course, base))
            continue
        if sheets.unread:
            continue  # some of its snippets may be in a note that does not parse (and was never read)
        body = render_sheet(ws, entries, course, base) if entries else ""
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if entries and _as_written(path, result.state.get(name), digest):
            result.fresh[name] = digest
            continue  # the sheet is as we last wrote it, and its snippets did not change
        _plan_existing(ws, result, name, body if entries else None, digest)
    return result


def _as_written(path: Path, last: Any, digest: str) -> bool:
    """Whether the sheet at ``path`` is as the last export wrote it, from snippets of ``digest``."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return bool(last) and [stat.st_size, stat.st_mtime_ns, digest] == last


def _plan_new(ws: Workspace, result: Export, name: str, body: str) -> None:
    path = ws.sheet_path(name)
    note = document.parse(path, default_sheet(name, ws.config.course))
    region = note.region(REGION)
    assert region is not None
    edit = region_edit(note, region, body)
    new = apply(note, [edit] if edit else [])
    result.changes.append(SheetChange(name, path, "create", new.encode("utf-8"), None))
    result.fresh[name] = hashlib.sha256(body.encode("utf-8")).hexdigest()


def _plan_existing(ws: Workspace, result: Export, name: str, body: str | None, digest: str) -> None:
    """A sheet's region brought up to ``body``; a sheet with no snippets left (``body`` None)
    deleted when the rest of it is as we made it, else emptied."""
    path = ws.sheet_path(name)
    try:
        snapshot = read_snapshot(path)
        text, bom = decode(snapshot.data, path)
        note = document.parse(path, text, bom)
    except NotesError as exc:
        result.errors.append(exc)
        return
    region = note.region(REGION)
    if region is None:
        result.warnings.append(NoteError(f"no <!-- notes:{REGION} --> region; sheet left alone", path))
        return
    if body is None:
        untouched = normalise(text).replace(normalise(note.body(region)), "") == default_sheet(name, ws.config.course)
        if untouched:
            result.changes.append(SheetChange(name, path, "delete", None, snapshot.digest))
            return
    edit = region_edit(note, region, body or "")
    result.fresh[name] = digest
    if edit is not None:
        action = "update" if body is not None else "empty"
        result.changes.append(SheetChange(name, path, action, encode(apply(note, [edit]), bom), snapshot.digest))


def write_export(export: Export, late_writes: LateWrites | None = None) -> list[SheetChange]:
    """Make the planned changes (``late_writes``: see :func:`notes_tool.fsio.write.write_atomic`); the ones made."""
    done = []
    failed: set[str] = set()
    for change in export.changes:
        root = export.workspace.root if export.workspace is not None else None
        try:
            if root is not None:
                confined(change.path, root)
            if change.action == "create":
                assert change.content is not None
                create_new(change.path, change.content, within=root)
            elif change.action == "delete":
                current = read_snapshot(change.path)
                if current.digest != change.snapshot_sha:
                    raise NoteError("changed on disk while we worked; left as you saved it", change.path)
                change.path.unlink()
            else:
                assert change.content is not None
                snapshot = read_snapshot(change.path)
                if snapshot.digest != change.snapshot_sha:
                    raise NoteError("changed on disk while we worked; left as you saved it", change.path)
                write_atomic(change.path, change.content, snapshot, within=root, late_writes=late_writes)
            done.append(change)
        except NotesError as exc:
            export.errors.append(exc)
            failed.add(change.name)
    _save_state(export, failed)
    return done


STATE_FILE = "sheets.json"


def _save_state(export: Export, failed: set[str]) -> None:
    """Remember each up-to-date sheet's size, mtime and body digest (skips re-parsing it)."""
    ws = export.workspace
    if ws is None:
        return
    state = {}
    for name, digest in export.fresh.items():
        if name in failed:
            continue
        try:
            stat = ws.sheet_path(name).stat()
        except OSError:
            continue
        state[name] = [stat.st_size, stat.st_mtime_ns, digest]
    if state != export.state:
        write_json(ws, STATE_FILE, state)
