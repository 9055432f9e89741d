"""Splicing edits into a note's original lines, keeping every other byte as it was.

An :class:`Edit` replaces a half-open range of lines with new text written with ``\\n``; the new
lines take the ending of the lines they replace (CRLF stays CRLF), and a file whose last line
had no ending still ends without one (when its last lines are deleted, so does the line before).
Edits are applied bottom-up so earlier line numbers stay valid.
"""

from __future__ import annotations

from dataclasses import dataclass

from notes_tool.model.document import Note
from notes_tool.model.regions import Region


@dataclass(frozen=True)
class Edit:
    """Replace lines ``start .. end`` (zero-based, half-open) with ``text``."""

    start: int
    end: int
    text: str
    """New lines, ``\\n``-terminated (``""`` deletes the range)."""


def line_ending(lines: list[str], index: int, default: str = "\n") -> str:
    """The ending of line ``index`` (or of the nearest line before it that has one)."""
    for line in reversed(lines[: index + 1]):
        stripped = line.rstrip("\r\n")
        if stripped != line:
            return line[len(stripped) :]
    return default


def apply(note: Note, edits: list[Edit]) -> str:
    """The note's text (without BOM) with ``edits`` spliced in."""
    return apply_lines(note.lines, edits, note.newline)


def apply_lines(original: list[str], edits: list[Edit], newline: str = "\n") -> str:
    """``original`` lines with ``edits`` spliced in, bottom-up; overlapping edits are a bug."""
    lines = list(original)
    last_start = len(lines) + 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if edit.end > last_start:
            raise ValueError(f"overlapping edits at line {edit.start + 1}")
        last_start = edit.start
        new_lines = _new_lines(original, edit, newline)
        _keep_no_final_ending(lines, edit, new_lines, newline)
        lines[edit.start : edit.end] = new_lines
    return "".join(lines)


def _new_lines(original: list[str], edit: Edit, newline: str) -> list[str]:
    """The edit's text as lines, each ending as the file's line where it goes does."""
    ending = line_ending(original, edit.start if edit.start < edit.end else edit.start - 1, newline)
    new_lines = [line + ending for line in edit.text.split("\n")[:-1]]
    if edit.text and not edit.text.endswith("\n"):
        new_lines.append(edit.text.rsplit("\n", 1)[-1] + ending)
    return new_lines


def _keep_no_final_ending(lines: list[str], edit: Edit, new_lines: list[str], newline: str) -> None:
    """A file whose last line has no ending keeps none after an edit at its end; a line
    appended after that last line gives it one first."""
    if not lines or lines[-1].endswith(("\n", "\r")):
        return
    if edit.end == len(lines) and new_lines:
        new_lines[-1] = new_lines[-1].rstrip("\r\n")
    elif edit.end == len(lines) and edit.start > 0:
        # The last lines go: the line now last loses its ending, as the file had none.
        lines[edit.start - 1] = lines[edit.start - 1].rstrip("\r\n")
    if edit.start == len(lines):
        # Appending after a last line that has no ending: give that line one first.
        lines[-1] += newline


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def region_edit(note: Note, region: Region, body: str) -> Edit | None:
    """The edit that makes ``region`` hold ``body``, or None when it already does."""
    if body and not body.endswith("\n"):
        body += "\n"
    if normalise(note.body(region)) == body:
        return None
    return Edit(region.start + 1, region.end, body)
