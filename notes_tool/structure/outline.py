"""The course outline of a course not named our way: which notes are its lessons, in what order.

In this order of trust: the ``lessons`` key of ``notes.toml`` (paths or patterns, folders
allowed); the owner's course index (the links of the lesson list in their README, in list items
or headings, in its order); numbers in file or folder names in every common form (``Lesson1``,
``lesson-01``, ``module6a``, ``Week1``, ``week-02-x``, ``1_x``, ``01 x``); then name order. A
folder can be a lesson: its ``README.md`` (or ``index.md``, else its first note) is the lesson's
note, the other notes in it are the lesson's extras.
"""

from __future__ import annotations

import fnmatch
import itertools
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from notes_tool.errors import NotesError
from notes_tool.fsio.confine import real_path
from notes_tool.structure.config import LessonsSetting
from notes_tool.structure.lessons import EXTRA_LETTER, LessonFile
from notes_tool.structure.paths import own_repo_path
from notes_tool.structure.tree import folder_note

if TYPE_CHECKING:
    from notes_tool.model.document import Note
    from notes_tool.model.links import Link

_WORDS = "lesson|lessons|module|week|chapter|unit|session|part|day|lecture|class|topic|section|sprint|step"
_NUMBERED = re.compile(
    rf"^(?P<prefix>(?:{_WORDS})?[\s_-]*)(?P<number>\d{{1,4}})(?P<letter>[a-z]?)(?:$|(?P<sep>[\s_.-]+)(?P<rest>.*)$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Naming:
    """A numbered name taken apart: ``week-02-docker`` is ``week-``, 2 (2 digits), ``-docker``."""

    prefix: str
    number: int
    letter: str
    width: int
    sep: str
    rest: str


def numbered(name: str) -> Naming | None:
    """The number a file or folder name gives (``.md`` dropped), in any common form."""
    stem = name[:-3] if name.lower().endswith(".md") else name.rstrip("/")
    match = _NUMBERED.match(stem)
    if match is None:
        return None
    digits = match.group("number")
    return Naming(
        match.group("prefix"),
        int(digits),
        match.group("letter").lower(),
        len(digits),
        match.group("sep") or "",
        match.group("rest") or "",
    )


@dataclass
class Unit:
    """A candidate lesson: a note, or a folder with notes in it."""

    path: Path
    note: Path
    extras: list[Path] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name + ("/" if self.is_folder else "")

    @property
    def is_folder(self) -> bool:
        return self.note != self.path


@dataclass
class Outline:
    """The lessons found, in course order, and how."""

    files: list[LessonFile]
    units: list[Unit]
    source: str
    """``notes.toml``, the index file's name, ``numbered names`` or ``name order``."""
    problems: list[NotesError] = field(default_factory=list)
    candidates: dict[Path, Unit] = field(default_factory=dict)
    """Every note and folder of notes that could be a lesson (real path -> unit)."""
    notices: list[NotesError] = field(default_factory=list)
    """What the owner's list decided against the names (said by ``init`` and ``check``, not on
    every ``index`` run: the list is followed, nothing is wrong)."""


def _natural(unit: Unit) -> tuple[int, int, str, str]:
    found = numbered(unit.name)
    if found is None:
        return (1, 0, "", unit.name.lower())
    return (0, found.number, found.letter, unit.name.lower())


def units_of(notes_dir: Path, notes: list[Path], skip: set[Path]) -> dict[Path, Unit]:
    """The candidate lessons in ``notes_dir``: each note directly in it, and each folder holding
    notes (real path -> unit), given every note of the workspace (``notes``)."""
    inside: dict[Path, list[Path]] = {}
    for note in notes:
        try:
            rel = note.relative_to(notes_dir)
        except ValueError:
            continue
        if note in skip:
            continue
        top = notes_dir / rel.parts[0]
        inside.setdefault(top, []).append(note)
    units: dict[Path, Unit] = {}
    for top, found in inside.items():
        if found == [top]:
            units[real_path(top)] = Unit(top, top)
            continue
        own = folder_note(top)
        ordered = sorted(found, key=lambda p: (len(p.relative_to(top).parts), _natural(Unit(p, p))))
        note = own if own in found else ordered[0]
        units[real_path(top)] = Unit(top, note, [p for p in ordered if p != note])
    return units


Location = Callable[[], tuple[str, str] | None]
"""Where the workspace is on GitHub, asked for only when a link needs it (see
:meth:`notes_tool.structure.workspace.Workspace.location`)."""


def resolve_link(base: Path, root: Path, href: str, location: Location | None = None) -> Path | None:
    if href.lower().startswith("https://github.com/") and location is not None:
        href = own_repo_path(href, location()) or href  # a link to the workspace's own repository
    target = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if not target or "://" in target or target.startswith(("mailto:", "//")):
        return None
    return real_path((root / target.lstrip("/")) if target.startswith("/") else base / target)


def _unit_of(path: Path, units: dict[Path, Unit]) -> Unit | None:
    """The candidate lesson a link leads to: the note or folder itself, or one of the folder's
    notes, directly in it or anywhere in a numbered folder (``notebooks/homework-3/homework.md``
    is no reason to make ``notebooks/`` a lesson, nor is a notebook in it)."""
    for depth, candidate in enumerate((path, *path.parents)):
        if candidate in units:
            unit = units[candidate]
            if depth == 0:
                return unit
            is_note = path in {real_path(p) for p in (unit.note, *unit.extras)}
            return unit if is_note and (depth <= 1 or numbered(unit.name) is not None) else None
    return None


_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*+]|\d{1,9}[.)])\s")


def _is_empty_lesson(target: Path, index: Path) -> bool:
    """A folder beside the course index with no note in it (a unit would have been found)."""
    return target.parent == real_path(index.parent) and target.is_dir()


def listed_links(note: Note) -> Iterator[Link]:
    """The links of a course index's list items and headings (its lesson list), images left out."""
    lists = [b for b in note.blocks if b.kind in ("bullet_list", "ordered_list")]
    for link in note.links:
        if link.image or link.region not in (None, "index"):
            continue
        if link.heading or any(b.line <= link.line < b.end for b in lists):
            yield link


def from_index(
    index: Path,
    root: Path,
    units: dict[Path, Unit],
    empty: list[NotesError] | None = None,
    location: Location | None = None,
    said: list[NotesError] | None = None,
) -> list[Unit]:
    """The lessons the owner's course index lists, in its order: the links of its list items
    and headings that lead to a candidate lesson (a note, or a folder of notes). A link in an
    item nested under a lesson's item (``* [My notes](wandb.md)`` under ``* [Module 2](...)``)
    is an extra of that lesson, and so is one under an item that names extras (``- Extra:``,
    ``- Bonus``): of the lesson its name numbers, else of the lesson listed before it; ``said``
    gets a line for each such extra whose name numbers it as a lesson (the list decides).
    ``empty`` gets a line for each top-level link to a folder beside the index that holds no
    note."""
    from notes_tool.model import document  # (a search of unchanged notes loads no parser)

    try:
        note, _ = document.load(index)
    except (NotesError, OSError):
        return []
    by_line: dict[int, Unit] = {}
    headings: set[int] = set()
    for link in listed_links(note):
        if link.line in by_line:
            continue
        target = resolve_link(index.parent, root, link.href, location)
        unit = _unit_of(target, units) if target is not None else None
        top_level = link.heading or not note.lines[link.line][:1].isspace()
        if unit is None and empty is not None and target is not None and top_level and _is_empty_lesson(target, index):
            empty.append(NotesError(f"links {target.name}/ as a lesson, but it holds no note", index, link.line + 1))
        if unit is not None and real_path(unit.note) != real_path(index):
            by_line[link.line] = unit
            if link.heading:
                headings.add(link.line)
    found: list[Unit] = []
    placed: set[int] = set()
    stack: list[tuple[int, Unit | str | None]] = []
    loose: list[tuple[int, Unit, int]] = []
    """Units listed under an item that names extras: (line, unit, lessons listed before it)."""
    for number, text in enumerate(note.lines):
        item = _ITEM.match(text) if number not in headings else None
        unit = by_line.get(number)
        if item is None:
            if number in headings:
                stack = []
            if unit is not None and id(unit) not in placed:
                found.append(unit)
                placed.add(id(unit))
            continue
        indent = len(item.group("indent"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = next((u for _, u in reversed(stack) if u is not None), None)
        names_extras = unit is None and _EXTRAS_ITEM.match(text[item.end() :]) is not None
        stack.append((indent, _EXTRAS if names_extras else unit))
        if unit is None or id(unit) in placed:
            continue
        placed.add(id(unit))
        if isinstance(parent, Unit) and parent is not unit:
            _add_extras(parent, unit)
        elif parent == _EXTRAS:
            loose.append((number, unit, len(found)))
        else:
            found.append(unit)
    for number, unit, before in loose:
        _place_extra(index, number, unit, found, before, said)
    return found


_EXTRAS = "extras"
_EXTRAS_ITEM = re.compile(
    r"^[*_]*(?:extras?|bonus(?:es)?|optional|workshops?|appendix|appendices|more|further)\b[^\[\]()]*$",
    re.IGNORECASE,
)
"""An item, with no link, that names what is listed under it as extras (``Extra:``, ``**Bonus**``)."""


def _add_extras(lesson: Unit, unit: Unit) -> None:
    lesson.extras += [p for p in (unit.note, *unit.extras) if p not in lesson.extras]


def _place_extra(
    index: Path, line: int, unit: Unit, lessons: list[Unit], before: int, said: list[NotesError] | None
) -> None:
    """``unit``, listed as an extra (under ``Extra:``), made one of the lesson its name numbers,
    else of the lesson listed before it (``before``: how many were), else a lesson after all."""
    name = numbered(unit.name)
    same = [u for u in lessons if name is not None and (n := numbered(u.name)) is not None and n.number == name.number]
    lesson = same[0] if same else (lessons[before - 1] if before else None)
    if lesson is None:
        lessons.append(unit)
        return
    _add_extras(lesson, unit)
    if name is not None and said is not None:
        said.append(
            NotesError(
                f"lists {unit.name} as an extra, though its name numbers it lesson {name.number}{name.letter}: "
                f"it is an extra of {lesson.name}, as the list says",
                index,
                line + 1,
            )
        )


def _with_unlisted(listed: list[Unit], units: dict[Path, Unit]) -> list[Unit]:
    """The index's lessons, and the numbered candidates of the same kind it does not list (as a
    lesson or as an extra), each before the first listed lesson with a higher number."""
    folders = all(u.is_folder for u in listed)
    out = list(listed)
    extras = {real_path(p) for u in listed for p in u.extras}  # (listed as extras: the list decides)
    for unit in sorted(units.values(), key=_natural):
        found = numbered(unit.name)
        if unit in out or found is None or unit.is_folder != folders or real_path(unit.note) in extras:
            continue
        later = [i for i, u in enumerate(out) if (n := numbered(u.name)) and n.number > found.number]
        out.insert(later[0] if later else len(out), unit)
    return out


def from_patterns(
    patterns: Sequence[str | list[str]], notes_dir: Path, units: dict[Path, Unit]
) -> tuple[list[Unit], list[str]]:
    """The lessons ``notes.toml`` names (paths or patterns, in order; a folder ends with ``/``;
    a list is a lesson and its extras), and what is wrong with them."""
    out: list[Unit] = []
    problems: list[str] = []
    by_name = {u.path.relative_to(notes_dir).as_posix() + ("/" if u.is_folder else ""): u for u in units.values()}
    notes = {real_path(p) for u in units.values() for p in (u.note, *u.extras)}
    # (an extra is a note of the workspace: never a file that a link in it leads to elsewhere)
    for entry in patterns:
        pattern, *extras = entry if isinstance(entry, list) else [entry]
        wanted = pattern.strip().removeprefix("./")
        matched = sorted((u for n, u in by_name.items() if fnmatch.fnmatchcase(n, wanted)), key=_natural)
        if not matched:
            empty = [p for p in _folders(notes_dir) if fnmatch.fnmatchcase(p.name, wanted.rstrip("/"))]
            empty = [p for p in empty if real_path(p) not in units]
            if empty:
                problems += [
                    f"lessons: {p.relative_to(notes_dir).as_posix()}/ is a lesson folder with no note" for p in empty
                ]
            else:
                problems.append(f"lessons: {pattern!r} matches no note")
        out += [u for u in matched if u not in out]
        for extra in extras:
            note = notes_dir / extra.strip().removeprefix("./")
            if not matched or real_path(note) not in notes:
                problems.append(f"lessons: {extra!r} (an extra of {pattern!r}) is not a note")
            elif note not in matched[-1].extras:
                matched[-1].extras.append(note)
    taken = {real_path(p) for u in out for p in u.extras}
    return [u for u in out if real_path(u.note) not in taken], problems


def _folders(notes_dir: Path) -> list[Path]:
    """The folders directly in ``notes_dir`` (where lessons are), in name order: a lesson
    pattern is matched against names, never handed to a glob (``**/**/**/...`` in a clone's
    ``notes.toml`` fans out exponentially over a deep tree, and a glob follows links out)."""
    try:
        with os.scandir(notes_dir) as listing:
            return sorted(Path(e.path) for e in listing if e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def numbering(units: list[Unit]) -> list[tuple[int, str]]:
    """Each lesson's number and letter: those of their names when the names number them in this
    order (``module6a``, ``module6b``), else their places (1, 2, 3..., or 0, 1, 2... when the
    first one's name says 0)."""
    names = [numbered(u.name) for u in units]
    keys = [(n.number, n.letter) for n in names if n is not None]
    if len(keys) == len(units) and all(a < b for a, b in itertools.pairwise(keys)):
        return keys
    first = 0 if names and names[0] is not None and names[0].number == 0 else 1  # (a course may start at 0)
    return [(first + place, "") for place in range(len(units))]


def lesson_files(units: list[Unit], width: int = 1) -> list[LessonFile]:
    """The lessons' notes and their extras, numbered (:func:`numbering`)."""
    files = []
    for unit, (number, letter) in zip(units, numbering(units), strict=True):
        code = f"{number:0{width}d}{letter}"
        kind = _kind(unit.name)
        files.append(LessonFile(unit.note, number, letter, code, kind))
        files += [LessonFile(extra, number, EXTRA_LETTER, code, kind) for extra in unit.extras]
    return files


def _kind(name: str) -> str:
    """What a numbered name calls a lesson (``Module`` for ``module6a.md``), "" if it says nothing."""
    found = numbered(name)
    word = found.prefix.strip(" _-") if found is not None else ""
    return word[:1].upper() + word[1:].lower() if word else ""


def _out_of_order(units: list[Unit]) -> tuple[Unit, Unit] | None:
    """Two lessons whose numbered names say the other order."""
    for first, second in itertools.pairwise(units):
        a, b = numbered(first.name), numbered(second.name)
        if a is not None and b is not None and (a.number, a.letter) > (b.number, b.letter):
            return first, second
    return None


def _duplicates(units: list[Unit], root: Path) -> list[NotesError]:
    seen: dict[tuple[int, str], Unit] = {}
    problems = []
    for unit in units:
        found = numbered(unit.name)
        if found is None:
            continue
        key = (found.number, found.letter)
        if key in seen:
            first, second = (_shown(u.note, root) for u in (seen[key], unit))
            problems.append(
                NotesError(f"{first} and {second} both claim lesson {found.number}{found.letter}", unit.note)
            )
        else:
            seen[key] = unit
    return problems


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover(
    notes_dir: Path,
    root: Path,
    notes: list[Path],
    index: Path | None,
    patterns: LessonsSetting,
    index_name: str,
    location: Location | None = None,
) -> Outline:
    """The outline of a course not named our way (see the module's docstring); ``location``:
    where the workspace is on GitHub, for an index linking its own repository by URL."""
    skip = {index} if index is not None else set()
    units = units_of(notes_dir, notes, skip)
    problems: list[NotesError] = []
    notices: list[NotesError] = []
    if patterns:
        chosen, said = from_patterns(patterns, notes_dir, units)
        problems = [NotesError(message, root / "notes.toml") for message in said]
        source = "notes.toml"
    else:
        empty: list[NotesError] = []
        listed = (
            from_index(index, root, units, empty, location, notices) if index is not None and index.exists() else []
        )
        if len(listed) >= 2:
            chosen, source = _with_unlisted(listed, units), index_name
            problems += empty
            swapped = _out_of_order(chosen)
            if swapped is not None:
                message = (
                    f"lists {swapped[0].name} before {swapped[1].name}, against their numbers; "
                    "the lessons follow this list"
                )
                problems.append(NotesError(message, index))
        else:
            chosen = sorted((u for u in units.values() if numbered(u.name) is not None), key=_natural)
            source = "numbered names"
            if len(chosen) < 2:
                # Name order only among two or more: one unnumbered folder (``theory/``) is a
                # folder of notes, not a course of one lesson.
                folders = [u for u in units.values() if u.is_folder] or list(units.values())
                chosen, source = (sorted(folders, key=_natural) if len(folders) >= 2 else []), "name order"
    problems += _duplicates(chosen, root)
    return Outline(lesson_files(chosen), chosen, source, problems, units, notices if source == index_name else [])


def as_setting(outline: Outline, notes_dir: Path) -> LessonsSetting:
    """The outline as ``notes.toml``'s ``lessons``: one pattern when it finds exactly these
    lessons in this order (``Lesson*.md``, ``[0-9]*/``), else each lesson's path; a lesson with
    extras of its own outside its folder (the README nests ``wandb.md`` under a lesson) is
    written as a list, the lesson then its extras."""
    chosen = outline.units

    def entry(unit: Unit) -> str | list[str]:
        name = unit.path.relative_to(notes_dir).as_posix() + ("/" if unit.is_folder else "")
        outside = [e for e in unit.extras if not (unit.is_folder and unit.path in e.parents)]
        return [name, *(e.relative_to(notes_dir).as_posix() for e in outside)] if outside else name

    entries = [entry(u) for u in chosen]
    names = [numbered(u.name) for u in chosen]
    prefixes = {n.prefix for n in names if n is not None}
    plain = all(isinstance(e, str) for e in entries)
    if plain and chosen and None not in names and len(prefixes) == 1 and len({u.is_folder for u in chosen}) == 1:
        prefix = prefixes.pop()
        pattern = (prefix + "*" if prefix else "[0-9]*") + ("/" if chosen[0].is_folder else ".md")
        matched, problems = from_patterns([pattern], notes_dir, outline.candidates)
        if not problems and [m.path for m in matched] == [u.path for u in chosen]:
            return [pattern]
    return entries


def summary(outline: Outline, others: int) -> list[str]:
    """What ``notes init`` found, in two lines."""
    units = outline.units
    if not units:
        return []
    folders = all(u.is_folder for u in units)
    notes = sorted({u.note.name for u in units}) if folders else []
    kind = f"one folder each, its {notes[0]} the note" if len(notes) == 1 else "one folder each"
    kind = kind if folders else "one note or folder each" if any(u.is_folder for u in units) else "one note each"
    span = units[0].name if len(units) == 1 else f"{units[0].name} ... {units[-1].name}"
    order = {
        "notes.toml": "in the order notes.toml gives",
        "numbered names": "in the order of their numbers",
        "name order": "in name order",
    }.get(outline.source, f"in the order of the list in {outline.source}")
    extras = sum(len(u.extras) for u in units)
    line = f"      {order}"
    if extras:
        line += f"; {_count(extras, 'other note')} kept under their lessons"
    if others:
        line += f"; {_count(others, 'note')} outside the lessons (indexed and searched, no nav)"
    return [f"found {_count(len(units), 'lesson')}: {kind} ({span})", line]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
