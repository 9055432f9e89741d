"""Per-note tables of contents with GitHub's anchors."""

from __future__ import annotations

from typing import Any

from notes_tool.config import check_toc_levels
from notes_tool.document import Heading, Note


def levels_for(note: Note, default: tuple[int, int]) -> tuple[int, int] | None:
    """The note's TOC levels: front matter ``toc_levels`` / ``toc: false`` over the config."""
    if note.front_matter.get("toc") is False:
        return None
    value: Any = note.front_matter.get("toc_levels")
    checked = check_toc_levels(value) if value is not None else None
    return (checked[0], checked[1]) if checked else default


def entries(note: Note, levels: tuple[int, int]) -> list[Heading]:
    """Headings listed in the TOC: in range, not the title, not nested, generated or omitted."""
    low, high = levels
    title = note.title_heading
    return [
        h
        for h in note.headings
        if low <= h.level <= high and h is not title and not h.nested and h.region is None and not h.omit
    ]


def toc_body(headings: list[Heading]) -> str:
    """A nested list; depth follows the heading hierarchy, so skipped levels nest one step."""
    lines = []
    stack: list[int] = []
    for heading in headings:
        while stack and stack[-1] >= heading.level:
            stack.pop()
        indent = "  " * len(stack)
        stack.append(heading.level)
        lines.append(f"{indent}- [{heading.markdown}](#{heading.slug})")
    return "".join(line + "\n" for line in lines)
