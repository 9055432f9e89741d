"""The course index's part of a ``notes index`` run: its region planned from the lessons' lines
and the cheat sheets, in the owner's words (:mod:`notes_tool.generate.course_index`), unless
its record says it is up to date.
"""

from __future__ import annotations

from dataclasses import replace

from notes_tool.errors import NoteError, NotesError
from notes_tool.features.index_changes import Change, Outcome, digest
from notes_tool.fsio.confine import linked_out
from notes_tool.generate import course_index
from notes_tool.model import document, mdtext
from notes_tool.model.edit import region_edit
from notes_tool.stores.regions import OutlineCache, OutlineEntry
from notes_tool.structure.course import Course
from notes_tool.structure.workspace import LessonFile, Workspace

INDEX_REGION = "index"


def _sheet_lines(ws: Workspace) -> list[str]:
    """The course index's list of cheat sheets, with their gists once published."""
    lines = []
    for name in ws.existing_sheets():
        sheet = mdtext.link(name, mdtext.href(ws.sheet_path(name), ws.index_path.parent))
        gist = ws.config.gists.get(name, {})
        url = gist.get("url") if isinstance(gist, dict) else None
        lines.append(f"- {sheet}" + (f" ([gist]({url}))" if url else ""))
    return lines


def owner_labels(ws: Workspace, cache: OutlineCache, files: list[LessonFile]) -> dict[str, str]:
    """The owner's labels for the lessons (note path -> label), from the course index's region;
    kept with the index's record, so an unchanged index is not read for them again. Empty when
    there is no such file or region, or it does not parse (the index's planning says so)."""
    cached = _index_record(ws, cache)
    if cached is not None and cached.labels is not None:
        return cached.labels
    try:
        note = document.load(ws.index_path)[0]
    except NotesError:
        return {}
    region = note.region(INDEX_REGION)
    labels = course_index.owner_labels_in(ws, note.body(region), files) if region is not None else {}
    if cached is not None:
        cache.add(ws.relative(ws.index_path), replace(cached, labels=labels))
    return labels


def _index_record(ws: Workspace, cache: OutlineCache | None) -> OutlineEntry | None:
    """The course index's record, when the file is as it was then."""
    cached = cache.get(ws.relative(ws.index_path)) if cache else None
    try:
        return cached if cached is not None and cached.matches(ws.index_path.stat()) else None
    except OSError:
        return None


NO_INDEX_REGION = (
    "no course index region; `notes index --adopt` makes your list of lessons the index (or "
    f"adds one at the end); or put <!-- notes:{INDEX_REGION} --> on the line above your list "
    f"and <!-- /notes:{INDEX_REGION} --> on the line below it"
)


def plan_course_index(
    ws: Workspace, course: Course, outcome: Outcome, labels: dict[str, str], files: list[LessonFile]
) -> None:
    """The course index's region planned: its lesson lines and cheat sheets (a new file when there
    is none), unless its record says it is up to date with them."""
    path = ws.index_path
    outside = linked_out(path, ws.root)
    if outside is not None:
        outcome.warnings.append(outside)
        return
    lessons = course_index.lesson_lines(course, path)
    sheets = _sheet_lines(ws)
    fresh = digest("course index", [(line.depth, line.text) for line in lessons], sheets)
    if _index_up_to_date(ws, outcome.cache, fresh):
        return  # the index file has not changed since it was found up to date
    if not path.exists():
        body = course_index.index_body("", lessons, sheets, path)
        text = f"# {ws.config.course}\n\n<!-- notes:{INDEX_REGION} -->\n{body}<!-- /notes:{INDEX_REGION} -->\n"
        outcome.changes.append(Change(path, ["index (new file)"], [], None, text.encode("utf-8")))
        return
    try:
        note, snapshot, stat = document.load_stat(path)
    except NotesError as exc:
        outcome.errors.append(exc)
        return
    region = note.region(INDEX_REGION)
    if region is None:
        if lessons:  # (no lesson to list, notes none of them lessons: no index asked for)
            outcome.warnings.append(NoteError(NO_INDEX_REGION, path))
        return
    body = course_index.index_body(note.body(region), lessons, sheets, path, ws.root, ws.location)
    change = region_edit(note, region, body)
    if change is not None and not course_index.same_lessons(note.body(region), body):
        labels = course_index.owner_labels_in(ws, body, files)  # the lines we add for lessons have labels too
    entry = OutlineEntry(stat.st_size, stat.st_mtime_ns, snapshot.digest, None, fresh, labels=labels)
    outcome.fresh[path] = (ws.relative(path), entry)
    if change:
        outcome.changes.append(Change(path, ["index"], [change], snapshot.digest))


def _index_up_to_date(ws: Workspace, cache: OutlineCache | None, fresh: str) -> bool:
    """Whether the course index's record says it is as it was when found up to date for ``fresh``."""
    cached = _index_record(ws, cache)
    return cached is not None and cached.fresh == fresh
