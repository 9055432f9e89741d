"""Splicing edits into a note's original lines, keeping every other byte as it was.

An :class:`Edit` replaces a half-open range of lines with new text written with ``\\n``; the new
lines take the ending of the lines they replace (CRLF stays CRLF), and a last line that had no
ending keeps having none. Edits are applied bottom-up so earlier line numbers stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_tool.document import Note, Region


@dataclass(frozen=True)
class Edit:
    """Replace lines ``start .. end`` (zero-based, half-open) with ``text``."""

    start: int
    end: int
    text: str
    """New lines, ``\\n``-terminated (``""`` deletes the range)."""


def _ending(note: Note, index: int) -> str:
    """The ending of line ``index`` (or of the nearest line before it that has one)."""
    for line in reversed(note.lines[: index + 1]):
        stripped = line.rstrip("\r\n")
        if stripped != line:
            return line[len(stripped) :]
    return note.newline


def apply(note: Note, edits: list[Edit]) -> str:
    """The note's text (without BOM) with ``edits`` spliced in; overlapping edits are a bug."""
    lines = list(note.lines)
    last_start = len(lines) + 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if edit.end > last_start:
            raise ValueError(f"overlapping edits at line {edit.start + 1}")
        last_start = edit.start
        newline = _ending(note, edit.start if edit.start < edit.end else edit.start - 1)
        new_lines = [line + newline for line in edit.text.split("\n")[:-1]]
        if edit.text and not edit.text.endswith("\n"):
            new_lines.append(edit.text.rsplit("\n", 1)[-1] + newline)
        ends_file = edit.end == len(lines) and lines and not lines[-1].endswith(("\n", "\r"))
        if ends_file and new_lines:
            new_lines[-1] = new_lines[-1].rstrip("\r\n")
        if edit.start == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
            # Appending after a last line that has no ending: give that line one first.
            lines[-1] += note.newline
        lines[edit.start : edit.end] = new_lines
    return "".join(lines)


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def region_edit(note: Note, region: Region, body: str) -> Edit | None:
    """The edit that makes ``region`` hold ``body``, or None when it already does."""
    if body and not body.endswith("\n"):
        body += "\n"
    if normalise(note.body(region)) == body:
        return None
    return Edit(region.start + 1, region.end, body)
