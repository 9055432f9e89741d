"""The course index (the ``notes:index`` region of the course README): its lessons and sheets.

A fresh index is generated whole. An index the owner wrote (``notes index --adopt`` makes the
list of lessons in their README the region) is updated in place instead, so it stays theirs:
a line in their own words is kept as it is (the title in it is theirs to choose), a line in
the tool's form (``- [Lesson 5: Title](05_x.md)``) follows the note's title, other lines (links
to a project page, a remark) stay where they are, a lesson missing from the list is added after
the lesson before it, in the list's own bullets and indentation, and the line of a note that is
gone is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from notes_tool.fsio.confine import real_path
from notes_tool.model import document
from notes_tool.model.mdtext import escape, href, link
from notes_tool.structure.course import Course, lesson_number
from notes_tool.structure.lesson_list import Location
from notes_tool.structure.paths import own_repo_path
from notes_tool.structure.workspace import LessonFile, Workspace, parse_lesson_name

SHEETS_HEADING = "Cheat sheets:"
_OURS = re.compile(r"^(?P<indent>\s*)- \[(?:Lesson \d+|Extra): .*\]\((?P<href>[^)]*)\)\s*$")
"""A line in the tool's form (a ``-`` bullet, then ``Lesson N:`` or ``Extra:``): its title follows
the note's. Any other line is the owner's, and its title is theirs."""
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<bullet>[-*+]) ")


@dataclass(frozen=True)
class IndexLine:
    """One line of the generated list: the note it is about (None: a lesson with no main
    note), how deep it is nested, and its text after the bullet."""

    file: LessonFile | None
    depth: int
    text: str
    label: str = ""
    """The text of its link (what the course calls the note)."""


def lesson_lines(course: Course, index_path: Path) -> list[IndexLine]:
    """The lessons in order, extras nested under their lesson."""
    here = index_path.parent
    lines = []
    for lesson in course.lessons:
        if lesson.main is not None:
            main = course.entry(lesson.main)
            lines.append(IndexLine(lesson.main, 0, link(main.label, href(main.file.path, here)), main.label))
        else:
            lines.append(IndexLine(None, 0, escape(f"Lesson {lesson.number}")))
        for other in [*lesson.duplicates, *lesson.extras]:
            extra = course.entry(other)
            lines.append(IndexLine(other, 1, link(extra.label, href(extra.file.path, here)), extra.label))
    return lines


def index_body(
    current: str,
    lessons: list[IndexLine],
    sheets: list[str],
    index_path: Path,
    root: Path | None = None,
    location: Location | None = None,
) -> str:
    """The region's new body, from its ``current`` one; ``sheets``: the sheet lines after it;
    ``root``: where a root-absolute link (``/Lesson1.md``) leads from; ``location``: where the
    workspace is on GitHub (a link to its own repository by URL is one to the file)."""
    kept = _without_sheets(current.splitlines())
    known = link_targets([line.file for line in lessons if line.file is not None], index_path)
    links = {number: path for number, (path, _) in _lesson_links(kept, index_path, known, root, location).items()}
    if not links:  # empty, or only the tool's own list of sheets: generated whole
        body = [("  " * line.depth) + f"- {line.text}" for line in lessons]
    else:
        body = _merged(kept, links, lessons, index_path, root)
    if sheets:
        body += ["", SHEETS_HEADING, "", *sheets]
    return "".join(line + "\n" for line in body)


def owner_labels(
    body: str, index_path: Path, files: list[LessonFile], root: Path | None = None, location: Location | None = None
) -> dict[LessonFile, str]:
    """What the owner's lines of the index region (``body``) call each lesson note: the text of
    the link to it, on a line not in the tool's form. Navigation uses these, so the owner's
    titles read the same in every note's nav as in the index."""
    lines = _without_sheets(body.splitlines())
    by_path = {real_path(f.path): f for f in files}
    labels: dict[LessonFile, str] = {}
    found = _lesson_links(lines, index_path, link_targets(files, index_path), root, location)
    for number, (path, text) in found.items():
        target = by_path.get(path)
        if target is not None and target not in labels and not _OURS.match(lines[number]) and text.strip():
            labels[target] = " ".join(text.split())
    return labels


def owner_pages(body: str, index_path: Path, files: list[LessonFile]) -> dict[Path, str]:
    """Pages of the repository the owner's index numbers as lessons, that are no lesson note
    (``* [Session 7: Midterm project](../07_midterm_project/README.md)``): real path -> label.
    Navigation leads to them as to that lesson, as the owner's own navigation did."""
    lines = _without_sheets(body.splitlines())
    note = document.parse(index_path, "".join(line + "\n" for line in lines))
    known = {real_path(f.path) for f in files} | {real_path(index_path)}
    pages: dict[Path, str] = {}
    for found in note.links:
        target = unquote(found.href.split("#", 1)[0])
        if not target or "://" in target or found.image or lesson_number(found.text) is None:
            continue
        path = real_path(index_path.parent / target)
        if path not in known and path.suffix.lower() in (".md", ".markdown") and path.is_file():
            pages.setdefault(path, " ".join(found.text.split()))
    return pages


def same_lessons(before: str, after: str) -> bool:
    """Whether two bodies of the index region list the same lessons in the same lines (their
    cheat sheets aside): then what the owner calls each lesson is the same too."""
    return _without_sheets(before.splitlines()) == _without_sheets(after.splitlines())


def _without_sheets(lines: list[str]) -> list[str]:
    """``lines`` without the list of cheat sheets the tool wrote at their end."""
    if SHEETS_HEADING not in lines:
        return lines
    at = len(lines) - 1 - lines[::-1].index(SHEETS_HEADING)
    if all(not line.strip() or line.startswith("- [") for line in lines[at + 1 :]):
        lines = lines[:at]
        while lines and not lines[-1].strip():
            lines.pop()
    return lines


def link_targets(files: list[LessonFile], index_path: Path) -> dict[Path, Path]:
    """Where a link to a lesson may lead (real paths) -> the lesson's note: the note itself, and
    the folder of a lesson that is a folder (``[Week 1](week1/)``, which GitHub shows as the
    folder's README), or of an extra that is its folder's README."""
    known = {real_path(f.path): real_path(f.path) for f in files}
    folders: dict[Path, list[Path]] = {}
    for f in files:
        if f.letter in ("", "a") and f.path.parent != index_path.parent:
            folders.setdefault(real_path(f.path.parent), []).append(real_path(f.path))
    known.update({folder: mains[0] for folder, mains in folders.items() if len(mains) == 1 and folder not in known})
    for f in files:  # an extra that is its own folder's note (``[dlt workshop](2_dlt-workshop/)`` under ``Extra:``)
        folder = real_path(f.path.parent)
        if f.letter not in ("", "a") and f.path.name.lower() in ("readme.md", "index.md") and folder not in known:
            known[folder] = real_path(f.path)
    return known


def _lesson_links(
    lines: list[str],
    index_path: Path,
    known: dict[Path, Path],
    root: Path | None = None,
    location: Location | None = None,
) -> dict[int, tuple[Path, str]]:
    """Line number -> the real path of the lesson note (``known``, or one named like a lesson
    note that is gone) its first link leads to, and that link's text."""
    note = document.parse(index_path, "".join(line + "\n" for line in lines))
    found: dict[int, tuple[Path, str]] = {}
    for found_link in note.links:
        path = None if found_link.line in found else _local_target(found_link.href, index_path, root, location)
        if path is None:
            continue
        if path in known:
            found[found_link.line] = (known[path], found_link.text)
        elif parse_lesson_name(path.name) is not None and not path.exists():
            found[found_link.line] = (path, found_link.text)
    return found


def _local_target(written: str, index_path: Path, root: Path | None, location: Location | None) -> Path | None:
    """The real path a link of the index leads to in the workspace (a full GitHub URL of its own
    repository included); None for a link elsewhere or to an anchor only."""
    if location is not None and root is not None and written.lower().startswith("https://github.com/"):
        written = own_repo_path(written, location()) or written
    target = unquote(written.split("#", 1)[0].split("?", 1)[0])
    if not target or "://" in target:
        return None
    if target.startswith("/") and root is not None:
        return real_path(root / target.lstrip("/"))
    return real_path(index_path.parent / target)


def _merged(
    lines: list[str], links: dict[int, Path], lessons: list[IndexLine], index_path: Path, root: Path | None
) -> list[str]:
    """The owner's lines with ours brought up to date (a gone lesson's line dropped), then every
    lesson not listed yet added where it belongs, in the owner's form."""
    by_path = {real_path(line.file.path): line for line in lessons if line.file is not None}
    out, placed = _kept(lines, links, by_path)
    form = _Form.of(lines, links, by_path)
    for position, line in enumerate(lessons):
        if line.file is None or real_path(line.file.path) in placed:
            continue
        at, indent = _place(out, placed, lessons, position, 0 if form.headings else form.indent(line.depth))
        added = form.lines(line, out, at, indent, placed, index_path, root)
        out[at:at] = added
        placed = {p: (n + len(added) if n >= at else n) for p, n in placed.items()}
        placed[real_path(line.file.path)] = at + (1 if added[0] == "" else 0)
    return out


def _kept(
    lines: list[str], links: dict[int, Path], by_path: dict[Path, IndexLine]
) -> tuple[list[str], dict[Path, int]]:
    """The owner's lines, a line of ours rewritten to the lesson's text now, the line of a lesson
    note that is gone left out; and where each listed lesson's line is."""
    out: list[str] = []
    placed: dict[Path, int] = {}
    for number, text in enumerate(lines):
        target = links.get(number)
        if target is None:
            out.append(text)  # the owner's own line: kept
            continue
        line = by_path.get(target)
        if line is None:
            continue  # a lesson note that is gone
        ours = _OURS.match(text)
        if ours is not None:
            text = f"{ours.group('indent')}- {line.text}"
        placed[target] = len(out)
        out.append(text)
    return out, placed


def _place(
    out: list[str], placed: dict[Path, int], lessons: list[IndexLine], position: int, indent: int
) -> tuple[int, int]:
    """Where the missing lesson ``lessons[position]`` goes: after the lesson before it (an extra:
    after its lesson's lines the owner wrote, not between them) and what is nested under that;
    first when none is listed before it. With the indent it takes."""
    line = lessons[position]
    assert line.file is not None
    before = [real_path(x.file.path) for x in lessons[:position] if x.file is not None]
    anchor = next((placed[p] for p in reversed(before) if p in placed), None)
    if line.depth:
        own = [
            placed[p]
            for x in lessons
            if x.file is not None and x.file.number == line.file.number
            if (p := real_path(x.file.path)) in placed
        ]
        anchor = max(own, default=anchor)
    at = _after_item(out, anchor, indent) if anchor is not None else min(placed.values(), default=len(out))
    return at, indent


@dataclass(frozen=True)
class _Form:
    """How the owner lists lessons: their bullet, indentation and step, or headings (the first of
    theirs, and one of their lesson headings with its note as the template for a new one)."""

    bullet: str
    base: int
    step: int
    headings: list[re.Match[str]]
    template: tuple[str, LessonFile] | None

    @classmethod
    def of(cls, lines: list[str], links: dict[int, Path], by_path: dict[Path, IndexLine]) -> _Form:
        bullet, base, step = _style([lines[n] for n in links])
        headings = [m for m in (_HEADING.match(lines[n]) for n in links) if m is not None]
        template = next(
            (
                (lines[n], found.file)
                for n, path in sorted(links.items())
                if _HEADING.match(lines[n])
                and (found := by_path.get(path)) is not None
                and found.file is not None
                and found.depth == 0
                and not _OURS.match(lines[n])
            ),
            None,
        )
        return cls(bullet, base, step, headings, template)

    def indent(self, depth: int) -> int:
        return self.base + self.step * depth

    def lines(
        self,
        line: IndexLine,
        out: list[str],
        at: int,
        indent: int,
        placed: dict[Path, int],
        index_path: Path,
        root: Path | None,
    ) -> list[str]:
        """The lines a missing lesson adds at ``out[at]``: an item in the neighbours' bullet; where
        the owner's lessons are headings, a lesson is one more heading (blank lines around it),
        an extra an item under it."""
        here = _neighbour_bullet(out, at, indent, self.bullet)
        if not self.headings:
            return [" " * indent + f"{here} {line.text}"]
        shaped = _in_owners_form(self.template, line, index_path, root)
        added = [f"{self.headings[0].group('hashes')} {shaped}" if line.depth == 0 else f"{here} {line.text}"]
        listed = set(placed.values()) - {n for n in placed.values() if _HEADING.match(out[n])}
        previous, following = out[at - 1] if at > 0 else "", out[at] if at < len(out) else ""
        if previous.strip() and not (line.depth and at - 1 in listed):
            added.insert(0, "")
        if following.strip() and not (line.depth and at in listed):
            added.append("")
        return added


_OWNER_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<before>[^\[]*)\[[^\]]*\]\((?P<href>[^)\s]*)\)")


def _in_owners_form(
    template: tuple[str, LessonFile] | None, line: IndexLine, index_path: Path, root: Path | None
) -> str:
    """A lesson heading's text after its ``#``s in the form of the owner's ``template`` (one of
    their lesson headings and its note): what they write before the link, with their lesson's
    number made this one's (``5. [Lesson 5](/Lesson5.md)`` after ``1. [Lesson 1](/Lesson1.md)``),
    and a root-absolute link where theirs is."""
    match = _OWNER_HEADING.match(template[0]) if template is not None else None
    if match is None or template is None or line.file is None:
        return line.text
    before = _renumbered(match.group("before"), template[1].number, line.file.number)
    rooted = match.group("href").startswith("/") and root is not None
    target = (
        "/" + href(line.file.path, root) if rooted and root is not None else href(line.file.path, index_path.parent)
    )
    return before + link(line.label, target)


def _renumbered(text: str, old: int, new: int) -> str:
    """``text`` with the number ``old`` in it (as written: ``01`` keeps its width) made ``new``."""
    found = re.search(rf"(?<!\d)0*{old}(?!\d)", text)
    if found is None:
        return text
    return text[: found.start()] + str(new).zfill(len(found.group())) + text[found.end() :]


def _neighbour_bullet(lines: list[str], at: int, indent: int, default: str) -> str:
    """The bullet of the nearest item indented by ``indent`` in the list ``at`` is in (before it,
    else after it): a new line must use its list's bullet (another bullet starts a new list)."""
    for direction in (-1, 1):
        near = at - 1 if direction < 0 else at
        while 0 <= near < len(lines):
            match = _ITEM.match(lines[near])
            if match is None and lines[near].strip() and not lines[near].startswith(" "):
                break  # a paragraph or a heading: the list ends here
            if match is not None and len(match.group("indent")) == indent:
                return match.group("bullet")
            near += direction
    return default


def _style(items: list[str]) -> tuple[str, int, int]:
    """The owner's bullet, the indentation of their least nested items and the step of their
    nesting (``-``, 0, 2 if unknown)."""
    bullets = [m for m in (_ITEM.match(item) for item in items) if m is not None]
    bullet = bullets[0].group("bullet") if bullets else "-"
    indents = sorted({len(m.group("indent")) for m in bullets})
    base = indents[0] if indents else 0
    return bullet, base, indents[1] - base if len(indents) > 1 else 2


_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})\s")


def _after_item(lines: list[str], at: int, indent: int) -> int:
    """The line after the item at ``at`` and what is nested under it, where an item indented by
    ``indent`` goes: after the lines nested deeper than the item or than ``indent`` (lesson 2
    goes after the extras of lesson 1 and the owner's remarks beside them). After a heading: its
    section, up to the next heading of its level or above."""
    heading = _HEADING.match(lines[at])
    if heading is not None:
        level = len(heading.group("hashes"))
        end = at + 1
        while end < len(lines) and not ((h := _HEADING.match(lines[end])) and len(h.group("hashes")) <= level):
            end += 1
        return end
    match = _ITEM.match(lines[at])
    depth = min(len(match.group("indent")) if match else 0, indent)
    end = at + 1
    while end < len(lines) and _nested(lines, end, depth):
        end += 1
    return end


def _nested(lines: list[str], at: int, depth: int) -> bool:
    """Whether the line at ``at`` is indented deeper than ``depth`` (an item or the text of one),
    or is a blank line before such a line."""
    following = next((line for line in lines[at:] if line.strip()), "")
    return len(following) - len(following.lstrip()) > depth


def owner_labels_in(ws: Workspace, index_text: str, files: list[LessonFile]) -> dict[str, str]:
    """What the owner's index (``index_text``) calls each lesson note, and the pages outside the
    notes it numbers as lessons (path relative to the workspace -> label)."""
    found = owner_labels(index_text, ws.index_path, files, ws.root, ws.location)
    labels = {ws.relative(f.path): label for f, label in found.items()}
    pages = owner_pages(index_text, ws.index_path, files)
    labels.update({ws.relative(page): label for page, label in pages.items()})
    return labels


def owners_course(
    ws: Workspace,
    files: list[LessonFile],
    titles: dict[LessonFile, str],
    labels: dict[str, str],
    own_word: bool = False,
) -> Course:
    """The course with the owner's labels (see :func:`owner_labels_in`) and pages; ``own_word``:
    see :class:`~notes_tool.structure.course.Course`."""
    by_path = {ws.relative(f.path): f for f in files}
    pages = {
        LessonFile(ws.root / key, number, ""): label
        for key, label in labels.items()
        if key not in by_path and (number := lesson_number(label)) is not None
    }
    own = {by_path[k]: v for k, v in labels.items() if k in by_path}
    return Course(ws.lessons(files), titles, {**own, **pages}, own_word=own_word, pages=list(pages))
