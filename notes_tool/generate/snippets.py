"""Cheat-sheet snippets: what a note marks for its sheets.

Two markings, both invisible on GitHub:
- a fence whose info string carries ``cheat=NAME`` (or ``cheat=git,docker``) after the
  language, optionally ``title="..."``;
- a range of prose and code between ``<!-- cheat: NAME "Title" -->`` and ``<!-- /cheat -->``.
The caption is the title, else the nearest heading above (without its time). The sheets
themselves are written by :mod:`notes_tool.features.sheets`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notes_tool.errors import NoteError, NotesError
from notes_tool.generate import timestamps
from notes_tool.model.document import Note
from notes_tool.model.edit import normalise
from notes_tool.model.mdtext import fence
from notes_tool.printable import control_problem
from notes_tool.structure.workspace import SHEET_NAME

_OPEN = re.compile(r'^cheat:\s*(?P<names>[^\s"]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
_CLOSE = "/cheat"


@dataclass(frozen=True)
class Snippet:
    sheet: str
    caption: str
    body: str
    """Markdown to put in the sheet (a fence, or the marked range as written)."""
    path: Path
    line: int
    """1-based line of the marker."""
    anchor: str
    """GitHub anchor of the heading the snippet sits under ("" above every heading)."""
    heading: str
    moment: str
    """The video link at the heading's time, when the heading is timestamped."""
    time: str
    body_line: int
    """1-based line of the note where ``body``'s first line comes from."""


@dataclass
class Extracted:
    snippets: list[Snippet] = field(default_factory=list)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)


def _sheet_names(value: str, path: Path, line: int, out: Extracted) -> list[str]:
    names = []
    for name in (n.strip() for n in value.split(",")):
        if SHEET_NAME.match(name):
            names.append(name)
        else:
            out.errors.append(
                NoteError(
                    f"bad cheat sheet name {name!r}: use letters, digits, - and _ (no /, .. or leading dot)",
                    path,
                    line,
                )
            )
    return names


def extract(note: Note) -> Extracted:
    """The snippets a note marks, with warnings for marker forms we do not understand."""
    out = Extracted()
    where = _Where(note)
    _fenced(note, where, out)
    _ranges(note, where, out)
    out.snippets.sort(key=lambda s: s.line)
    return out


@dataclass(frozen=True)
class _Place:
    """The heading a snippet sits under, and the video moment it has."""

    anchor: str = ""
    label: str = ""
    moment: str = ""
    time: str = ""


class _Where:
    """Which heading each line of a note sits under, and that heading's video moment."""

    def __init__(self, note: Note):
        self._note = note
        self._tops = [h for h in note.headings if h.region is None and not h.nested]
        self._starts = [h.line for h in self._tops]
        self._moments: dict[int, timestamps.Timed] | None = None  # found on the first snippet: most notes have none

    def of(self, line: int) -> _Place:
        at = bisect_left(self._starts, line) - 1  # the heading above the line
        if at < 0:
            return _Place()
        heading = self._tops[at]
        moment, time = self._moment(at)
        return _Place(heading.slug, heading.label, moment, time)

    def _moment(self, at: int) -> tuple[str, str]:
        """The moment of the nearest timestamped heading among this heading and its ancestors."""
        if self._moments is None:
            self._moments = {t.heading.line: t for t in timestamps.timed_headings(self._note)}
        level = self._tops[at].level + 1
        while at >= 0 and level > 1:
            ancestor = self._tops[at]
            timed = self._moments.get(ancestor.line)
            if ancestor.level < level and timed and timed.video and ancestor.time:
                return timed.video.at(ancestor.time.seconds), ancestor.time.shown
            level = min(level, ancestor.level)
            at -= 1
        return "", ""


def _fenced(note: Note, where: _Where, out: Extracted) -> None:
    """The fences marked ``cheat=NAME``; a fence that says ``cheat`` otherwise gets a warning."""
    for block in note.fences:
        if block.region is not None:
            continue
        if "cheat" not in block.attrs:
            if re.search(r"\bcheat\b", block.info):
                out.warnings.append(
                    NoteError("unknown cheat marker in the fence; write cheat=NAME", note.path, block.line + 1)
                )
            continue
        place = where.of(block.line)
        caption = block.attrs.get("title") or place.label or "Snippet"
        body = fence(block.content, block.lang)
        for name in _sheet_names(block.attrs["cheat"], note.path, block.line + 1, out):
            out.snippets.append(_snippet(name, caption, body, note.path, block.line, place, block.line + 1))


def _snippet(name: str, caption: str, body: str, path: Path, line: int, place: _Place, body_line: int) -> Snippet:
    """A snippet for sheet ``name`` marked at (0-based) ``line``."""
    return Snippet(name, caption, body, path, line + 1, place.anchor, place.label, place.moment, place.time, body_line)


@dataclass(frozen=True)
class _Opened:
    """A ``<!-- cheat: NAME "Title" -->`` not closed yet."""

    names: list[str]
    title: str
    line: int


def _ranges(note: Note, where: _Where, out: Extracted) -> None:
    """The ranges between ``<!-- cheat: NAME "Title" -->`` and ``<!-- /cheat -->``, with
    warnings for a marker of another form, one without its pair, or one inside another."""
    opened: _Opened | None = None
    for comment in note.comments:
        text = comment.text
        if not text.lower().startswith(("cheat", "/cheat")):
            continue
        if text == _CLOSE:
            _close(note, opened, comment.line, where, out)
            opened = None
            continue
        match = _OPEN.match(text)
        if match is None:
            out.warnings.append(
                NoteError(
                    f'unknown cheat marker <!-- {text} -->; write <!-- cheat: NAME "Title" -->',
                    note.path,
                    comment.line + 1,
                )
            )
            continue
        if opened is not None:
            out.warnings.append(
                NoteError(
                    "cheat range opened inside another; close it with <!-- /cheat -->", note.path, comment.line + 1
                )
            )
        opened = _open(note, match, comment.line, out)
    if opened is not None:
        out.warnings.append(NoteError("cheat range never closed: add <!-- /cheat -->", note.path, opened.line + 1))


def _open(note: Note, match: re.Match[str], line: int, out: Extracted) -> _Opened:
    """The range a ``<!-- cheat: NAME "Title" -->`` opens; a title that is not one line of text
    is an error, and the range goes to no sheet."""
    names = _sheet_names(match.group("names"), note.path, line + 1, out)
    problem = control_problem(match.group("title") or "")
    if problem is not None:
        out.errors.append(NoteError(f"cheat title {problem}; it must be one line of text", note.path, line + 1))
        names = []
    return _Opened(names, match.group("title") or "", line)


def _close(note: Note, opened: _Opened | None, line: int, where: _Where, out: Extracted) -> None:
    """The snippets of the range a ``<!-- /cheat -->`` at ``line`` closes (a warning if none is open)."""
    if opened is None:
        out.warnings.append(NoteError("<!-- /cheat --> without an opening <!-- cheat: NAME -->", note.path, line + 1))
        return
    body = normalise("".join(note.lines[opened.line + 1 : line])).strip("\n") + "\n"
    place = where.of(opened.line)
    caption = opened.title or place.label or "Snippet"
    for name in opened.names:
        out.snippets.append(_snippet(name, caption, body, note.path, opened.line, place, opened.line + 2))


def extracted_to_json(found: Extracted) -> dict[str, Any]:
    """How the note facts store (:mod:`notes_tool.stores.facts`) keeps a note's snippets."""
    return {
        # vars(), not asdict(): the fields are plain values, and asdict's deep copy is 10x slower.
        "snippets": [{**vars(sn), "path": sn.path.as_posix()} for sn in found.snippets],
        "warnings": [[w.message, w.line] for w in found.warnings],
        "errors": [[e.message, e.line] for e in found.errors],
    }


def extracted_from_json(path: Path, data: dict[str, Any]) -> Extracted:
    return Extracted(
        snippets=[Snippet(**{**sn, "path": path}) for sn in data["snippets"]],
        warnings=[NoteError(m, path, line) for m, line in data["warnings"]],
        errors=[NoteError(m, path, line) for m, line in data["errors"]],
    )
