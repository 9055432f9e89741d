"""Navigation regions: each note's previous / index / next links."""

from __future__ import annotations

from pathlib import Path

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
