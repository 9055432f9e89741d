"""Per-note tables of contents with GitHub's anchors."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from notes_tool.errors import NoteError
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, normalise
from notes_tool.model.headings import Heading
from notes_tool.model.regions import Region
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
    places = _places(note, levels, existing) if enabled and levels is not None else []
    link = _top_link(note)
    if _in_place(note, existing, places, link):
        return []
    region = f"\n<!-- notes:{TOP_REGION} -->\n{link}<!-- /notes:{TOP_REGION} -->\n"
    return _removals(note, existing) + [Edit(k, k, region) for k in places]


def _top_link(note: Note) -> str:
    # (a note of chapters has no title to go back to: "#top" is the page's top, as browsers read it)
    title = note.title_heading
    return f"[{BACK_TO_TOP}](#{title.slug if title is not None else 'top'})\n"


def _places(note: Note, levels: tuple[int, int], existing: list[Region]) -> list[int]:
    """The line each top-level section's region goes before: after the section's last line of
    content (its trailing blank lines and our old regions are passed over), never inside a code
    block (such a section gets none)."""
    ours = {line for r in existing for line in range(r.start, r.end + 1)}
    places = []
    for heading, end in _top_sections(note, levels):
        place = _after_content(note, heading.end, _with_omit_marker(note, end), ours)
        if not _in_code_block(note, place):
            places.append(place)
    return places


def _top_sections(note: Note, levels: tuple[int, int]) -> list[tuple[Heading, int]]:
    """The sections of the TOC's shallowest headings: each heading, and the line its section
    ends before (the next heading as deep or shallower, or the end of the note)."""
    listed = entries(note, levels)
    if not listed:
        return []
    top = min(h.level for h in listed)
    boundaries = [h.line for h in note.headings if h.level <= top and not h.nested and h.region is None]
    sections = []
    for heading in (h for h in listed if h.level == top):
        after = bisect_right(boundaries, heading.line)
        sections.append((heading, boundaries[after] if after < len(boundaries) else len(note.lines)))
    return sections


def _with_omit_marker(note: Note, line: int) -> int:
    """Where the heading at ``line`` starts, counting the ``<!-- omit from toc -->`` on the line
    above it as its own (any other comment there is not: the end of a region, say)."""
    marked = any(c.line == line - 1 and c.omits_from_toc for c in note.comments)
    return line - 1 if marked else line


def _after_content(note: Note, floor: int, end: int, ours: set[int]) -> int:
    """``end`` moved up over blank lines and the lines of ``ours``, not above ``floor``."""
    while end - 1 >= floor and (_is_blank(note.lines[end - 1]) or end - 1 in ours):
        end -= 1
    return end


def _in_code_block(note: Note, line: int) -> bool:
    return any(f.line < line < f.end or (not f.closed and f.end <= line) for f in note.fences)


def _removals(note: Note, existing: list[Region]) -> list[Edit]:
    """Each existing region goes, with the blank line we put above it; regions next to each
    other go as one span, so that no two edits overlap."""
    spans: list[list[int]] = []
    for region in existing:
        start = region.start - 1 if region.start > 0 and _is_blank(note.lines[region.start - 1]) else region.start
        if spans and start <= spans[-1][1]:
            spans[-1][1] = region.end + 1
        else:
            spans.append([start, region.end + 1])
    # (At the end of a file with no final newline, the line before then loses the ending we
    # gave it when we added the region: see :func:`notes_tool.model.edit.apply_lines`.)
    return [Edit(start, end, "") for start, end in spans]


def _in_place(note: Note, existing: list[Region], places: list[int], link: str) -> bool:
    if len(existing) != len(places):
        return False
    for region, k in zip(existing, places, strict=True):
        if region.start != k + 1 or not _is_blank(note.lines[k]) or normalise(note.body(region)) != link:
            return False
    return True
