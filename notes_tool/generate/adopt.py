"""``notes index --adopt``: take over hand-made tables of contents and add missing regions, once.

What it does to a note, each at most once:
- a hand-made TOC (a heading "Table of contents", "Contents" or "TOC" followed by a list of
  ``#anchor`` links) becomes the ``notes:toc`` region; the heading stays, marked
  ``<!-- omit from toc -->`` on the line above so it does not list itself;
- doctoc (``START doctoc``/``END doctoc``) and markdown-toc (``toc``/``tocstop``) marker pairs
  become the ``notes:toc`` region;
- a note with no TOC at all gets an empty ``notes:toc`` region after its title;
- hand-made navigation (Previous / Index / Next lines linking to lessons and the index) that opens
  or ends a note becomes a ``notes:nav`` region; a line in it leading out of the course is kept
  just below the region; a note with none gets a region before its title;
- the course index file gets a ``notes:index`` region: in place of a list that links only to
  lesson notes, else above such a list (kept: it links to more than lessons), else at its end
  (:mod:`notes_tool.generate.adopt_index`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from notes_tool.fsio.confine import real_path
from notes_tool.model.document import Block, Note
from notes_tool.model.edit import Edit
from notes_tool.model.headings import Heading
from notes_tool.model.links import Link

_TOC_TITLES = {"table of contents", "contents", "toc", "table of content", "índice", "inhalt"}
_DOCTOC_START = re.compile(r"^START doctoc\b", re.IGNORECASE)
_DOCTOC_END = re.compile(r"^END doctoc\b", re.IGNORECASE)


@dataclass
class Adoption:
    edits: list[Edit] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    """What was taken over, for the user (``hand-made TOC at line 12``)."""
    kept: list[str] = field(default_factory=list)
    """What was left alone and why."""


def region_markers(name: str, body: str = "") -> str:
    """The lines of region ``name`` holding ``body``."""
    return f"<!-- notes:{name} -->\n{body}<!-- /notes:{name} -->\n"


def trimmed_end(note: Note, block: Block) -> int:
    """The block's end without the blank lines markdown-it counts into a list."""
    end = block.end
    while end > block.line and not note.lines[end - 1].strip():
        end -= 1
    return end


def handmade_toc(note: Note) -> tuple[int, Block] | None:
    """``(heading line, list block)`` of a hand-made TOC, if the note has one."""
    for heading in note.headings:
        if heading.nested or heading.region is not None:
            continue
        if heading.label.strip().rstrip(":").lower() not in _TOC_TITLES:
            continue
        after = [b for b in note.blocks if b.line >= heading.end]
        if after and after[0].kind in ("bullet_list", "ordered_list"):
            block = after[0]
            links = [link for link in note.links if block.line <= link.line < block.end]
            if links and all(link.href.startswith("#") for link in links):
                return heading.line, block
    return None


def marker_toc(note: Note) -> tuple[int, int, str] | None:
    """``(first line, last line, tool)`` of a doctoc or markdown-toc marker pair."""
    for opening in note.comments:
        if _DOCTOC_START.match(opening.text):
            closing = next((c for c in note.comments if c.line > opening.line and _DOCTOC_END.match(c.text)), None)
            if closing:
                return opening.line, closing.line, "doctoc"
        if opening.text.lower() == "toc":
            closing = next((c for c in note.comments if c.line > opening.line and c.text.lower() == "tocstop"), None)
            if closing:
                return opening.line, closing.line, "markdown-toc"
    return None


def adoptable(note: Note) -> list[str]:
    """What ``--adopt`` could take over in this note (for ``notes check``, of the notes of a
    workspace: ``--adopt`` takes these over in every note)."""
    found = []
    if note.region("toc") is None:
        handmade = handmade_toc(note)
        if handmade:
            found.append(f"hand-made TOC at line {handmade[0] + 1}")
        markers = marker_toc(note)
        if markers:
            found.append(f"{markers[2]} TOC at line {markers[0] + 1}")
    return found


def adopt_note(note: Note, course_pages: set[Path], nav_body: str = "", lesson: bool = True) -> Adoption:
    """What adopting ``note`` adds or replaces; ``course_pages``: the real paths of the lesson
    notes and the course index (what hand-made navigation links to); ``nav_body``: what its nav
    regions hold. A note that is not a lesson (``lesson=False``) has its hand-made TOC taken
    over, and nothing added: no nav, and a TOC only where it asks for one (``toc: true``)."""
    result = Adoption()
    if note.region("toc") is None:
        _adopt_toc(note, lesson, result)
    if note.region("nav") is None and lesson:
        _adopt_nav(note, course_pages, nav_body, result)
    return result


def _top(note: Note) -> Heading | None:
    """The heading a note's TOC and nav go with: its title, else (a note of chapters, several
    "#" headings) its first heading."""
    if note.title_heading is not None:
        return note.title_heading
    return next((h for h in note.headings if not h.nested and h.region is None), None)


def _adopt_toc(note: Note, lesson: bool, result: Adoption) -> None:
    """A TOC of markers or a hand-made one becomes the region; else one is added where wanted."""
    markers = marker_toc(note)
    handmade = handmade_toc(note)
    if markers:
        first, last, tool = markers
        result.edits.append(Edit(first, last + 1, region_markers("toc")))
        result.done.append(f"{tool} TOC at line {first + 1}")
    elif handmade:
        _adopt_handmade_toc(note, *handmade, result)
    elif lesson or note.front_matter.get("toc") is True:
        _add_toc(note, result)


def _adopt_handmade_toc(note: Note, heading_line: int, block: Block, result: Adoption) -> None:
    """The hand-made TOC's list becomes the region; its heading is marked to stay out of it."""
    result.edits.append(Edit(block.line, trimmed_end(note, block), region_markers("toc")))
    if not any(h.line == heading_line and h.omit for h in note.headings):
        result.edits.append(Edit(heading_line, heading_line, "<!-- omit from toc -->\n"))
    result.done.append(f"hand-made TOC at line {heading_line + 1}")


def _add_toc(note: Note, result: Adoption) -> None:
    """An empty TOC region after the title, or before the first chapter."""
    top = _top(note)
    if top is None:
        result.kept.append("no heading to put a TOC with")
    elif top is note.title_heading:
        result.edits.append(Edit(top.end, top.end, "\n" + region_markers("toc")))
        result.done.append("TOC region after the title")
    else:
        result.edits.append(Edit(top.line, top.line, region_markers("toc") + "\n"))
        result.done.append("TOC region before the first chapter")


def _adopt_nav(note: Note, course_pages: set[Path], nav_body: str, result: Adoption) -> None:
    """Hand-made navigation above the title and at the end becomes nav regions; without any
    above, a region goes before the title."""
    top = _top(note)
    where = top.line if top is not None else len(note.lines)
    above, below = _handmade_nav(note, where, course_pages, _Ours.of(note, nav_body))
    if above is not None:
        result.edits.append(Edit(above.start, above.end, _nav_region(note, above, nav_body)))
        result.done.append(f"hand-made navigation at line {above.start + 1}")
    elif top is not None:
        result.edits.append(Edit(top.line, top.line, region_markers("nav", nav_body) + "\n"))
        result.done.append("navigation region before the title")
    else:
        result.kept.append("no heading to put navigation above")
    if below is not None and (above is None or below.start >= above.end):
        result.edits.append(Edit(below.start, below.end, _nav_region(note, below, nav_body)))
        result.done.append(f"hand-made navigation at line {below.start + 1}")


def _nav_region(note: Note, nav: _Nav, body: str) -> str:
    """The nav region in place of hand-made navigation, the owner's own lines in it kept below."""
    kept = "".join(note.lines[n].rstrip("\r\n") + "\n" for n in nav.keep)
    return region_markers("nav", body) + ("\n" + kept if kept else "")


def _target(note: Note, href: str) -> Path:
    """Where a relative link of ``note`` leads (links followed)."""
    return real_path(note.path.parent / unquote(href.split("#", 1)[0]))


_NAV_WORDS = re.compile(r"\b(previous|next|back|index|return|coming soon|up)\b", re.IGNORECASE)


_LINKS = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
_WORDY = re.compile(r"[^\W\d_]{2,}")
"""A word of two letters or more: text beside the links of a would-be navigation line."""


def _nav_block(note: Note, block: Block, pages: set[Path], ours: _Ours) -> tuple[bool, list[int]]:
    """Whether ``block`` is hand-made navigation, and which of its lines to keep beside the nav
    region. Navigation: a short paragraph or quote whose links all lead to lesson notes or the
    course index (``> Previous: [Intro](01_intro.md)``), or that only says what is to come
    (``Next: coming soon``). A line in it that leads elsewhere, with a navigation word
    (``>> [Back to Midterm Project](../07_project/README.md)``), is the owner's: kept. So is a line
    linking a lesson note the generated nav does not (``>> Extra: [Virtual envs](05b_x.md)`` of a
    neighbouring lesson), and a "coming soon" with no next lesson in the generated nav. A link to
    a lesson note mistyped (``05a_deployment.md.md``, no such file) is navigation the region replaces."""
    if block.kind not in ("paragraph", "blockquote") or block.end - block.line > 3:
        return False, []
    text = "".join(note.lines[block.line : block.end])
    links = [link for link in note.links if block.line <= link.line < block.end]
    if not links:
        return _says_what_comes(note, block, text, ours)
    if any(link.image for link in links):
        return False, []
    leads = _Leads.of(note, links, pages, ours)
    if not _links_like_nav(note, text, leads):
        return False, []
    return True, sorted(set(leads.elsewhere) | leads.unlinked)


@dataclass(frozen=True)
class _Leads:
    """Where the links of a would-be navigation block lead, by line."""

    elsewhere: list[int]
    """Lines with a link out of the course."""
    course: set[int]
    """Lines with a link to a lesson note or the index (or a mistyped one)."""
    unlinked: set[int]
    """Lines linking a lesson note the generated nav does not."""

    @staticmethod
    def of(note: Note, links: list[Link], pages: set[Path], ours: _Ours) -> _Leads:
        leads = [(link.line, *_lead(note, link.href, pages)) for link in links]
        return _Leads(
            sorted({line for line, kind, _ in leads if kind == "elsewhere"}),
            {line for line, kind, _ in leads if kind != "elsewhere"},
            {line for line, kind, target in leads if kind == "course" and target not in ours.links},
        )


def _says_what_comes(note: Note, block: Block, text: str, ours: _Ours) -> tuple[bool, list[int]]:
    """A block without links is navigation when it is short and says where it goes (``Next:
    coming soon``); it is kept when the generated nav has no next lesson to say instead."""
    is_nav = _NAV_WORDS.search(text) is not None and len(text) < 80
    return is_nav, list(range(block.line, trimmed_end(note, block))) if is_nav and not ours.has_next else []


def _links_like_nav(note: Note, text: str, leads: _Leads) -> bool:
    """Whether a block's links read as navigation: links to the course alone, not inside a
    sentence of the owner's (``Go to [pyspark.md](pyspark.md)``: navigation says where it leads,
    or is links alone); or each line leading elsewhere on its own, saying so with a navigation
    word, beside lines leading into the course."""
    elsewhere, course = leads.elsewhere, leads.course
    if not elsewhere:
        return _NAV_WORDS.search(text) is not None or not _WORDY.search(_LINKS.sub("", text))
    return bool(course) and not course & set(elsewhere) and all(_NAV_WORDS.search(note.lines[n]) for n in elsewhere)


def _lead(note: Note, href: str, pages: set[Path]) -> tuple[str, Path | None]:
    """Where a link of hand-made navigation leads: ``course`` (a lesson note or the index),
    ``broken`` (a mistyped link to one: ``05a_deployment.md.md``, no such file), or ``elsewhere``."""
    if "://" in href or href.startswith(("mailto:", "#")):
        return "elsewhere", None
    target = _target(note, href)
    if target in pages:
        return "course", target
    name = target.name.lower()
    mistyped = not target.exists() and any(
        name != page.name.lower() and name.startswith(page.name.lower()) for page in pages
    )
    return ("broken" if mistyped else "elsewhere"), target


@dataclass(frozen=True)
class _Ours:
    """What the generated nav region of a note links to, and whether it has a next lesson."""

    links: frozenset[Path]
    has_next: bool

    @staticmethod
    def of(note: Note, body: str) -> _Ours:
        hrefs = re.findall(r"\]\(([^)\s]+)\)", body)
        return _Ours(frozenset(_target(note, h) for h in hrefs if "://" not in h), " »](" in body)


@dataclass(frozen=True)
class _Nav:
    """Hand-made navigation lines: ``start``/``end`` (end exclusive) and the lines in them to keep."""

    start: int
    end: int
    keep: list[int]


def _handmade_nav(note: Note, top: int, pages: set[Path], ours: _Ours) -> tuple[_Nav | None, _Nav | None]:
    """The hand-made navigation that opens the note (above its first heading) and the one that
    ends it: runs of navigation blocks (:func:`_nav_block`) with at least one link among them."""
    blocks = [b for b in note.blocks if b.kind not in ("front_matter",) and note.region_of(b.line) is None]

    def run(ordered: list[Block]) -> list[tuple[Block, list[int]]]:
        found = []
        for block in ordered:
            is_nav, keep = _nav_block(note, block, pages, ours)
            if not is_nav:
                break
            found.append((block, keep))
        return found

    above = run([b for b in blocks if b.end <= top])
    below = run([b for b in reversed(blocks) if b.line >= top])[::-1]

    def span(found: list[tuple[Block, list[int]]]) -> _Nav | None:
        if not found:
            return None
        first, last = found[0][0], found[-1][0]
        if not any(first.line <= link.line < last.end for link in note.links):
            return None
        return _Nav(first.line, trimmed_end(note, last), [n for _, keep in found for n in keep])

    return span(above), span(below)
