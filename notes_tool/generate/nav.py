"""Navigation regions: each note's previous / index / next links, and the course index."""

from __future__ import annotations

from pathlib import Path

from notes_tool.model.mdtext import escape, href, link
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
        lines.append("Extras: " + ", ".join(link(e.title, href(e.file.path, here)) for e in extras))
    return "\n\n".join(lines) + "\n"


def index_lines(course: Course, index_path: Path) -> list[str]:
    """The lessons part of the course index: lessons in order, extras nested under them."""
    here = index_path.parent
    lines = []
    for lesson in course.lessons:
        if lesson.main is not None:
            main = course.entry(lesson.main)
            lines.append(f"- {link(main.label, href(main.file.path, here))}")
        else:
            lines.append(f"- {escape(f'Lesson {lesson.number}')}")
        for other in [*lesson.duplicates, *lesson.extras]:
            extra = course.entry(other)
            lines.append(f"  - {link(extra.label, href(extra.file.path, here))}")
    return lines
