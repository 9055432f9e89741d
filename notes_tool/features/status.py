"""``notes status``: the course at a glance, from what the other commands already know.

Its lessons in order (each with its transcripts and how many of its sections have a moment in
the video), the notes that have no place in the outline, stored transcripts
whose note is gone, the cheat sheets (published or not), what ``notes index --check`` and
``notes check`` would say, and what ``notes commit`` would commit. It writes nothing but the
caches ``notes check`` writes.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.edges import gitrepo
from notes_tool.errors import NotesError, counted
from notes_tool.features import build, check, commit, refresh, transcripts
from notes_tool.generate import course_index
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.model.headings import Heading
from notes_tool.model.transcript import FOLDER
from notes_tool.structure.workspace import LessonFile, Workspace


@dataclass(frozen=True)
class LessonStatus:
    file: LessonFile
    label: str
    extra: bool
    transcripts: int
    """How many of its videos have a stored transcript."""
    timed: int
    """Sections (below the title) whose heading has a moment in the video."""
    sections: int


@dataclass
class Status:
    course: str
    lessons: list[LessonStatus] = field(default_factory=list)
    outside: list[Path] = field(default_factory=list)
    """Notes with no place in the course outline (indexed and searched, no nav)."""
    orphans: list[Path] = field(default_factory=list)
    """Stored transcripts whose note is not there."""
    sheets: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    """Files ``notes index`` or ``notes cheats export`` would rewrite."""
    errors: int = 0
    warnings: int = 0
    uncommitted: list[str] | None = None
    """What ``notes commit`` would stage (relative to the repository); None without git."""
    git_problem: str = ""


def status(ws: Workspace) -> Status:
    found = Status(ws.config.course)
    files = ws.lesson_files()
    found.lessons = _lessons(ws, files)
    found.outside = ws.other_notes(files)
    found.orphans = [problem.path for problem in transcripts.orphans(ws) if problem.path is not None]
    found.sheets = sorted(p.stem for p in ws.sheets_dir.glob("*.md")) if ws.sheets_dir.is_dir() else []
    found.published = sorted(name for name in ws.config.gists if name in found.sheets)
    found.stale = sorted({path for path, _ in refresh.preview(ws)})
    problems = check.run_check([ws.root], ws)
    found.errors = sum(1 for p in problems if p.error)
    found.warnings = len(problems) - found.errors
    _git(ws, found)
    return found


def _lessons(ws: Workspace, files: list[LessonFile]) -> list[LessonStatus]:
    """Each lesson as the course index names it, with its transcripts and timed sections."""
    notes = _readable(files)
    titles = {f: note.title or "" for f, note in notes.items()}
    course = course_index.owners_course(ws, files, titles, build.owners_index_labels(ws, files))
    lessons = []
    for lesson_file in files:
        entry = course.entry(lesson_file)
        note = notes.get(lesson_file)
        sections = [h for h in note.headings if _section(note, h)] if note is not None else []
        stored = _transcripts(ws, lesson_file.path)
        timed = sum(1 for h in sections if h.time is not None)
        lessons.append(LessonStatus(lesson_file, entry.label, entry.is_extra, stored, timed, len(sections)))
    return lessons


def _readable(files: list[LessonFile]) -> dict[LessonFile, Note]:
    """The lesson notes that parse (`notes check` says why the others do not)."""
    notes: dict[LessonFile, Note] = {}
    for lesson_file in files:
        try:
            notes[lesson_file] = document.load(lesson_file.path)[0]
        except NotesError:
            continue
    return notes


def _section(note: Note, heading: Heading) -> bool:
    """A section of the note's own: not its title, nor in a list, quote or generated region."""
    return heading is not note.title_heading and not heading.nested and heading.region is None


def _transcripts(ws: Workspace, note: Path) -> int:
    folder = ws.notes_dir / FOLDER
    return len(list(folder.glob(glob.escape(note.stem) + ".v*.txt"))) if folder.is_dir() else 0


def _git(ws: Workspace, found: Status) -> None:
    if gitrepo.top_of(ws.root) is None:
        return
    try:
        with gitrepo.open_repo(ws.root) as repo:
            found.uncommitted = commit.select(ws, repo)[0]
    except NotesError as exc:
        found.git_problem = exc.message


def render(found: Status, shown: Callable[[Path], str]) -> list[str]:
    """The status as lines for the terminal (``shown``: how a path is shown)."""
    return [
        *_lesson_lines(found),
        *_stamps_line(found),
        *_other_files_lines(found, shown),
        _stale_line(found, shown),
        _check_line(found),
        _git_line(found),
    ]


def _lesson_lines(found: Status) -> list[str]:
    """The course's counts, then one line per lesson: its transcripts and timed sections."""
    mains = sum(1 for lesson in found.lessons if not lesson.extra)
    extras = len(found.lessons) - mains
    lines = [f"{found.course}: {counted(mains, 'lesson')}, {counted(extras, 'extra')}"]
    width = max((len(lesson.file.code) for lesson in found.lessons), default=2)
    for lesson in found.lessons:
        said = counted(lesson.transcripts, "transcript") if lesson.transcripts else "no transcript"
        timed = f"{lesson.timed}/{lesson.sections} sections timed"
        lines.append(f"  {lesson.file.code:<{width}}  {lesson.label}  ({said}, {timed})")
    return lines


def _stamps_line(found: Status) -> list[str]:
    """How many sections of notes with a transcript have no moment yet (nothing when none)."""
    pending = [lesson for lesson in found.lessons if lesson.transcripts and lesson.timed < lesson.sections]
    if not pending:
        return []
    untimed = sum(lesson.sections - lesson.timed for lesson in pending)
    return [
        f"stamps: {counted(untimed, 'section')} without a moment yet, in {counted(len(pending), 'note')} "
        "with a transcript (`notes stamp --all` finds what it can)"
    ]


def _other_files_lines(found: Status, shown: Callable[[Path], str]) -> list[str]:
    """The notes outside the outline, the orphaned transcripts and the cheat sheets, where any."""
    lines = []
    if found.outside:
        first = ", ".join(shown(p) for p in found.outside[:5])
        more = f" and {len(found.outside) - 5} more" if len(found.outside) > 5 else ""
        lines.append(f"other notes, not in the outline (indexed and searched, no nav): {first}{more}")
    if found.orphans:
        lines.append("transcripts of notes that are not there: " + ", ".join(shown(p) for p in found.orphans))
    if found.sheets:
        named = [f"{name} (published)" if name in found.published else name for name in found.sheets]
        lines.append("cheat sheets: " + ", ".join(named))
    return lines


def _stale_line(found: Status, shown: Callable[[Path], str]) -> str:
    """The generated files that are out of date, or that none is."""
    if not found.stale:
        return "generated parts: up to date"
    return (
        f"stale: {', '.join(shown(p) for p in found.stale)} (`notes index` and `notes cheats export` "
        "bring them up to date; `notes commit` runs both)"
    )


def _check_line(found: Status) -> str:
    """What `notes check` would count."""
    check_says = f"{counted(found.errors, 'error')}, {counted(found.warnings, 'warning')}"
    return f"check: {check_says}" + (" (`notes check` lists them)" if found.errors or found.warnings else "")


def _git_line(found: Status) -> str:
    """What `notes commit` would commit, or why git cannot say."""
    if found.git_problem:
        return f"git: {found.git_problem}"
    if found.uncommitted is None:
        return "git: not a git repository (`git init`, or `notes init` makes one)"
    if found.uncommitted:
        return f"uncommitted: {counted(len(found.uncommitted), 'file')} (`notes commit --dry-run` lists them)"
    return "uncommitted: nothing"
