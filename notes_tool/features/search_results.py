"""What ``notes search`` answers: its hits, and how they are printed for people."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from notes_tool.errors import display_path
from notes_tool.printable import one_line

MARK_START, MARK_END = "\x02", "\x03"
"""Around the matched words of an excerpt."""
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Hit:
    breadcrumb: str
    time: str
    path: str
    line: int
    anchor: str
    link: str
    """The link to the heading's time in its video ("" when the heading has no time)."""
    excerpt: str
    """With the matched words between MARK_START and MARK_END."""
    lesson: int | None
    video: str = ""
    """The section's video moment: its heading's time, else the video it is about ("" if none)."""
    kind: str = "note"
    """``note``: a section of a note; ``said``: a phrase of a video's transcript."""
    section: str = ""
    """Of a ``said`` hit: the note's section that covers its moment (the last one with a time at
    or before it, in the same video), as ``breadcrumb`` ("" when no section does)."""
    section_at: str = ""
    """That section's ``path:line``."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["excerpt"] = self.excerpt.replace(MARK_START, "**").replace(MARK_END, "**")
        if self.kind != "said":
            del data["section"], data["section_at"]
        return data


@dataclass
class Answer:
    hits: list[Hit]
    said: list[str] = field(default_factory=list)
    """What the search did to the question, one line each (corrections, words left out...)."""


def readable(excerpt: str) -> str:
    """An excerpt for people: on one line."""
    return " ".join(excerpt.split())


def render(hits: list[Hit], root: Path, color: bool, cwd: Path | None = None) -> str:
    """Hits as people read them: ``breadcrumb (time)``, the excerpt, ``path:line`` (relative to
    ``cwd``, default the current folder), the video moment."""
    start, end = ("\033[1m", "\033[0m") if color else ("", "")
    lines = []
    for hit in _printable(hits):
        excerpt = readable(hit.excerpt).replace(MARK_START, start).replace(MARK_END, end)
        if hit.kind == "said":
            lines.append(f"{hit.breadcrumb} · said at {hit.time}: “{excerpt}”")
            if hit.video:
                lines.append(f"  {hit.video}")
            if hit.section:
                path, line = hit.section_at.rsplit(":", 1)
                lines.append(f"  in your notes: {hit.section} ({display_path(root / path, cwd)}:{line})")
            continue
        title = hit.breadcrumb + (f" ({hit.time})" if hit.time else "")
        lines.append(f"{start}{title}{end}" if color else title)
        if excerpt:
            lines.append(f"  {excerpt}")
        lines.append(f"  {display_path(root / hit.path, cwd)}:{hit.line}")
        if hit.video:
            lines.append(f"  {hit.video}")
    return "".join(line + "\n" for line in lines)


def _printable(hits: list[Hit]) -> list[Hit]:
    """``hits`` with every text a note or transcript gave them on one line, control characters
    shown as escapes (:func:`one_line`; the excerpt keeps its match marks, and its line breaks
    are spaces, as :func:`readable` makes them: an excerpt of code reads as one line of it)."""
    shown = []
    for hit in hits:
        pieces = (
            MARK_END.join(one_line(_SPACES.sub(" ", p)) for p in part.split(MARK_END))
            for part in hit.excerpt.split(MARK_START)
        )
        shown.append(
            replace(
                hit,
                breadcrumb=one_line(hit.breadcrumb),
                excerpt=MARK_START.join(pieces),
                time=one_line(hit.time),
                video=one_line(hit.video),
                section=one_line(hit.section),
                section_at=one_line(hit.section_at),
            )
        )
    return shown
