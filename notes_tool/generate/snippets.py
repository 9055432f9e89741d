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
    moments: dict[int, timestamps.Timed] | None = None  # found on the first snippet: most notes have none
    tops = [h for h in note.headings if h.region is None and not h.nested]
    starts = [h.line for h in tops]

    def context(line: int) -> tuple[str, str, str, str]:
        nonlocal moments
        at = bisect_left(starts, line) - 1  # the heading above the line
        if at < 0:
            return "", "", "", ""
        if moments is None:
            moments = {t.heading.line: t for t in timestamps.timed_headings(note)}
        heading = tops[at]
        # The moment of the nearest timestamped heading among this heading and its ancestors.
        moment, time, level = "", "", heading.level + 1
        while at >= 0 and not moment and level > 1:
            ancestor = tops[at]
            timed = moments.get(ancestor.line)
            if ancestor.level < level and timed and timed.video and ancestor.time:
                moment, time = timed.video.at(ancestor.time.seconds), ancestor.time.shown
            level = min(level, ancestor.level)
            at -= 1
        return heading.slug, heading.label, moment, time

    for block in note.fences:
        if block.region is not None:
            continue
        if "cheat" not in block.attrs:
            if re.search(r"\bcheat\b", block.info):
                out.warnings.append(
                    NoteError("unknown cheat marker in the fence; write cheat=NAME", note.path, block.line + 1)
                )
            continue
        anchor, label, moment, time = context(block.line)
        caption = block.attrs.get("title") or label or "Snippet"
        body = fence(block.content, block.lang)
        for name in _sheet_names(block.attrs["cheat"], note.path, block.line + 1, out):
            out.snippets.append(
                Snippet(name, caption, body, note.path, block.line + 1, anchor, label, moment, time, block.line + 1)
            )

    opened: tuple[list[str], str, int] | None = None
    for comment in note.comments:
        text = comment.text
        if not text.lower().startswith(("cheat", "/cheat")):
            continue
        if text == _CLOSE:
            if opened is None:
                out.warnings.append(
                    NoteError("<!-- /cheat --> without an opening <!-- cheat: NAME -->", note.path, comment.line + 1)
                )
                continue
            names, title, start = opened
            body = normalise("".join(note.lines[start + 1 : comment.line])).strip("\n") + "\n"
            anchor, label, moment, time = context(start)
            for name in names:
                caption = title or label or "Snippet"
                out.snippets.append(
                    Snippet(name, caption, body, note.path, start + 1, anchor, label, moment, time, start + 2)
                )
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
                    "cheat range opened inside another; close it with <!-- /cheat -->",
                    note.path,
                    comment.line + 1,
                )
            )
        names = _sheet_names(match.group("names"), note.path, comment.line + 1, out)
        problem = control_problem(match.group("title") or "")
        if problem is not None:
            out.errors.append(
                NoteError(f"cheat title {problem}; it must be one line of text", note.path, comment.line + 1)
            )
            names = []
        opened = (names, match.group("title") or "", comment.line)
    if opened is not None:
        out.warnings.append(NoteError("cheat range never closed: add <!-- /cheat -->", note.path, opened[2] + 1))
    out.snippets.sort(key=lambda s: s.line)
    return out


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
