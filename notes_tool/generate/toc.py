"""Per-note tables of contents with GitHub's anchors."""

from __future__ import annotations

from typing import Any

from notes_tool.errors import NoteError
from notes_tool.model.document import Heading, Note, Region
from notes_tool.model.edit import Edit, normalise
from notes_tool.printable import excerpt
from notes_tool.structure.config import check_toc_levels


def levels_for(note: Note, default: tuple[int, int]) -> tuple[int, int] | None:
    """The note's TOC levels: front matter ``toc_levels`` / ``toc: false`` over the config
    (a value that is not ``[min, max]`` counts as unset: see :func:`front_matter_problems`)."""
    if note.front_matter.get("toc") is False:
        return None
    value: Any = note.front_matter.get("toc_levels")
    checked = check_toc_levels(value) if value is not None else None
    return (checked[0], checked[1]) if checked else default


def front_matter_problems(note: Note) -> list[NoteError]:
    """Front matter TOC settings that cannot be used, each with its line."""
    problems = []
    value = note.front_matter.get("toc_levels")
    if value is not None and check_toc_levels(value) is None:
        problems.append(
            NoteError(
                f"front matter: 'toc_levels' must be [min, max] with 1 <= min <= max <= 6, not {excerpt(value)}; "
                "the workspace's levels are used",
                note.path,
                note.front_matter_line("toc_levels"),
            )
        )
    toc = note.front_matter.get("toc")
    if toc is not None and not isinstance(toc, bool):
        problems.append(
            NoteError(
                f"front matter: 'toc' must be true or false, not {excerpt(toc)}",
                note.path,
                note.front_matter_line("toc"),
            )
        )
    return problems


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


TOP_REGION = "top"
BACK_TO_TOP = "↑ Back to the top"


def _is_blank(line: str) -> bool:
    return not line.strip()


def back_to_top_edits(note: Note, levels: tuple[int, int] | None, enabled: bool) -> list[Edit]:
    """Edits that put one "back to the top" region at the end of each top-level section.

    Sections are the TOC's shallowest headings. Each region sits after the section's last line
    of content, after one blank line. Turning the option off removes the regions. The result is
    a fixed point: run on its own output, this returns no edits.
    """
    existing = [r for r in note.regions if r.name == TOP_REGION]
    title = note.title_heading
    wanted: list[tuple[int, str]] = []
    if enabled and levels is not None:
        listed = entries(note, levels)
        if listed:
            top = min(h.level for h in listed)
            starts = [h for h in listed if h.level == top]
            boundaries = [h.line for h in note.headings if h.level <= top and not h.nested and h.region is None]
            # (a note of chapters has no title to go back to: "#top" is the page's top, as browsers read it)
            body = f"[{BACK_TO_TOP}](#{title.slug if title is not None else 'top'})\n"
            in_top = {line for r in existing for line in range(r.start, r.end + 1)}
            marker_lines = {c.line for c in note.comments}
            omitted = {h.line for h in note.headings if h.omit}
            for section in starts:
                boundary = min((b for b in boundaries if b > section.line), default=len(note.lines))
                k = boundary
                if boundary in omitted and boundary - 1 in marker_lines:
                    k -= 1  # "<!-- omit from toc -->" belongs to the heading below it
                while k - 1 >= section.end and (_is_blank(note.lines[k - 1]) or k - 1 in in_top):
                    k -= 1
                if any(f.line < k < f.end or (not f.closed and f.end <= k) for f in note.fences):
                    continue  # would land inside a code block
                wanted.append((k, body))
    if _in_place(note, existing, wanted):
        return []
    # Each existing region goes, with the blank line we put above it; regions next to each
    # other go as one span, so that no two edits overlap.
    spans: list[list[int]] = []
    for region in existing:
        start = region.start - 1 if region.start > 0 and _is_blank(note.lines[region.start - 1]) else region.start
        if spans and start <= spans[-1][1]:
            spans[-1][1] = region.end + 1
        else:
            spans.append([start, region.end + 1])
    # (At the end of a file with no final newline, the line before then loses the ending we
    # gave it when we added the region: see :func:`notes_tool.model.edit.apply_lines`.)
    edits = [Edit(start, end, "") for start, end in spans]
    for k, body in wanted:
        edits.append(Edit(k, k, f"\n<!-- notes:{TOP_REGION} -->\n{body}<!-- /notes:{TOP_REGION} -->\n"))
    return edits


def _in_place(note: Note, existing: list[Region], wanted: list[tuple[int, str]]) -> bool:
    if len(existing) != len(wanted):
        return False
    for region, (k, body) in zip(existing, wanted, strict=True):
        if region.start != k + 1 or not _is_blank(note.lines[k]) or normalise(note.body(region)) != body:
            return False
    return True
