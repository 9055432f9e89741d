"""Navigation regions: each note's previous / index / next links."""

from __future__ import annotations

from pathlib import Path

from notes_tool.errors import NoteError
from notes_tool.model.document import Note
from notes_tool.model.mdtext import href, link
from notes_tool.structure.course import Course, CourseEntry


def nav_body(course: Course, entry: CourseEntry, index_path: Path) -> str:
    """The ``notes:nav`` region of one note."""
    here = entry.file.path.parent
    previous, following = course.neighbours(entry.file)
    parts = []
    if previous is not None:
        parts.append(link(f"« {previous.label}", href(previous.file.path, here)))
    parts.append(link("Course index", href(index_path, here)))
    if following is not None:
        parts.append(link(f"{following.label} »", href(following.file.path, here)))
    lines = [" · ".join(parts)]
    if entry.main is not None:
        main = course.entry(entry.main)
        lines.append(f"Extra to {link(main.label, href(main.file.path, here))}")
    extras = course.extras_of(entry.file)
    if extras:
        lines.append("Extras: " + ", ".join(link(e.short_label, href(e.file.path, here)) for e in extras))
    return "\n\n".join(lines) + "\n"


def title_problems(note: Note) -> list[NoteError]:
    """A front matter ``title`` and a ``#`` title heading that say different things: the front
    matter's wins (in the nav, the index, search), so an edit of the heading alone changes
    nothing there. Said, on the heading's line."""
    value = note.front_matter.get("title")
    heading = note.title_heading
    if not isinstance(value, str) or not value.strip() or heading is None:
        return []
    if " ".join(value.split()) == " ".join(heading.text.split()):
        return []
    return [
        NoteError(
            f"the title heading says {heading.text.strip()!r} but the front matter's title, which the nav and "
            f"the index use, says {value.strip()!r}; make them agree (or delete the front matter's title)",
            note.path,
            heading.line + 1,
        )
    ]
