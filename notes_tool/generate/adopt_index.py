"""``notes index --adopt`` on the course index: the owner's list of lessons becomes the
``notes:index`` region, their titles kept; or empty markers put beside it take it in; else an
empty region goes at the end of the file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from notes_tool.fsio.confine import real_path
from notes_tool.generate.adopt import Adoption, region_markers, trimmed_end
from notes_tool.model.document import Block, Note
from notes_tool.model.edit import Edit
from notes_tool.model.regions import Region
from notes_tool.structure.lesson_list import Location
from notes_tool.structure.paths import own_repo_path


def _leads_to(note: Note, href: str, targets: set[Path], root: Path | None, location: Location | None) -> bool:
    """Whether a link of the index leads to a lesson (``targets``: their notes' and folders' real
    paths); ``/Lesson1.md`` leads from ``root``, as on GitHub, and so does a link to the
    workspace's own repository by URL (``location``: where it is on GitHub)."""
    if location is not None and href.lower().startswith("https://github.com/"):
        href = own_repo_path(href, location()) or href
    target = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if not target or "://" in target or target.startswith("//"):
        return False
    if target.startswith("/"):
        return root is not None and real_path(root / target.lstrip("/")) in targets
    return real_path(note.path.parent / target) in targets


def adopt_index(note: Note, targets: set[Path], root: Path | None = None, location: Location | None = None) -> Adoption:
    """The owner's list of lessons becomes the index region, as it is: their titles and their
    other links stay, and the index keeps them on every run (:mod:`notes_tool.generate.course_index`).
    ``targets``: the real paths of the lesson notes, and of the folders that are lessons."""
    result = Adoption()
    region = note.region("index")
    if region is not None:
        return _fill_empty_index(note, region, targets, root, location)

    span = _lesson_span(note, targets, root, location)
    if span is not None:
        first, end, what = span
        result.edits.append(Edit(first, first, "<!-- notes:index -->\n"))
        result.edits.append(Edit(end, end, "<!-- /notes:index -->\n"))
        result.done.append(f"{what} at line {first + 1} (your titles kept)")
        return result
    end = len(note.lines)
    blank = not any(line.strip() for line in note.lines)  # an empty README: no blank line above the index
    result.edits.append(Edit(end, end, ("" if blank else "\n") + region_markers("index")))
    result.done.append("index region at the end")
    return result


_SHORT = 100
"""A paragraph of at most this many characters that links a lesson is part of the lesson list
(``[Week 1](/week-01-introduction/)`` above each week's list); a longer one is prose."""


def _lesson_span(
    note: Note, targets: set[Path], root: Path | None, location: Location | None
) -> tuple[int, int, str] | None:
    """The lines of the owner's list of lessons: from the first block that links a lesson (a
    list, a heading, a short paragraph) to the last one (a heading: to the end of its section)."""
    blocks = _list_blocks(note, _leading_lines(note, targets, root, location))
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    if last.kind == "heading":
        return first.line, _section_end(note, last), "your lessons' headings"
    kinds = {b.kind for b in blocks}
    what = "your list of lessons" if len(blocks) == 1 else f"your lessons' {' and '.join(sorted(kinds))} blocks"
    return first.line, trimmed_end(note, last), what


def _leading_lines(note: Note, targets: set[Path], root: Path | None, location: Location | None) -> set[int]:
    """The lines with a link (not an image) that leads to a lesson."""
    return {link.line for link in note.links if not link.image and _leads_to(note, link.href, targets, root, location)}


def _list_blocks(note: Note, leading: set[int]) -> list[Block]:
    """The blocks outside regions that link a lesson and can be part of a list of lessons: a
    list, a heading, a short paragraph."""
    return [
        block
        for block in note.blocks
        if note.region_of(block.line) is None
        and any(block.line <= n < block.end for n in leading)
        and _may_list_lessons(note, block)
    ]


def _may_list_lessons(note: Note, block: Block) -> bool:
    """A list, a heading, or a paragraph short enough to be a list's caption."""
    if block.kind in ("bullet_list", "ordered_list", "heading"):
        return True
    return block.kind == "paragraph" and len("".join(note.lines[block.line : block.end]).strip()) <= _SHORT


def _section_end(note: Note, heading: Block) -> int:
    """Where the section of a heading block ends (the next heading of its level or above), its
    trailing blank lines left out."""
    level = next(h.level for h in note.headings if h.line == heading.line)
    after = [h.line for h in note.headings if h.line > heading.line and not h.nested and h.level <= level]
    end = after[0] if after else len(note.lines)
    while end > heading.end and not note.lines[end - 1].strip():
        end -= 1
    return end


def _fill_empty_index(
    note: Note, region: Region, targets: set[Path], root: Path | None, location: Location | None
) -> Adoption:
    """Empty index markers the owner put just above or below their list of lessons (as ``notes
    init`` advised): the list moves into the region, so the index is theirs, not a second one."""
    result = Adoption()
    span = _lesson_span(note, targets, root, location) if not note.body(region).strip() else None
    if span is None:
        return result
    first, end, what = span
    between = range(end, region.start) if end <= region.start else range(region.end + 1, first)
    if any(note.lines[n].strip() for n in between):
        return result
    result.edits += [
        Edit(region.start, region.end + 1, ""),  # the empty markers go around the list instead
        Edit(first, first, "<!-- notes:index -->\n"),
        Edit(end, end, "<!-- /notes:index -->\n"),
    ]
    result.done.append(f"{what} at line {first + 1} into the empty index region (your titles kept)")
    return result
