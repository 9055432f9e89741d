"""What a note says that would otherwise pass silently: each a warning on its line, from
``notes index``, ``notes watch`` and ``notes check``."""

from __future__ import annotations

import re

from notes_tool.errors import NoteError, NotesError
from notes_tool.model.document import Note
from notes_tool.model.timecode import impossible_time


def problems(note: Note) -> list[NotesError]:
    """Every such warning of ``note``."""
    return [*title_problems(note), *_typed(note)]


def title_problems(note: Note) -> list[NotesError]:
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


def _typed(note: Note) -> list[NotesError]:
    """A time no video has at the start of a heading (``## 9:99 Bad time``), and front matter
    opened by a first ``---`` line and never closed."""
    found: list[NotesError] = []
    for heading in note.headings:
        typed = impossible_time(heading.raw) if heading.time is None and heading.region is None else None
        if typed is not None:
            found.append(
                NoteError(
                    f"{typed!r} is not a time (minutes and seconds go to 59): not linked", note.path, heading.line + 1
                )
            )
    if not note.front_matter and note.lines and note.lines[0].strip() == "---" and _front_matter_like(note):
        found.append(NoteError("front matter opened here is never closed by a `---` line: read as text", note.path, 1))
    return found


def _front_matter_like(note: Note) -> bool:
    """The line after an opening ``---`` reads like a YAML key (``title: ...``)."""
    return len(note.lines) > 1 and re.match(r"^[A-Za-z_][\w-]*:(\s|$)", note.lines[1]) is not None
