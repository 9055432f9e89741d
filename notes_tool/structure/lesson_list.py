"""The lessons a course's own index lists: the links of the lesson list in the owner's README (in
list items or headings), in its order, and the extras listed under them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from notes_tool.errors import NotesError
from notes_tool.fsio.confine import real_path
from notes_tool.structure.numbered import numbered
from notes_tool.structure.paths import own_repo_path
from notes_tool.structure.units import Unit, natural

if TYPE_CHECKING:
    from notes_tool.model.document import Note
    from notes_tool.model.links import Link

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
    by_line, headings = _linked_units(note, index, root, units, empty, location)
    walk = _ListWalk()
    for number, text in enumerate(note.lines):
        item = _ITEM.match(text) if number not in headings else None
        unit = by_line.get(number)
        if item is None:
            walk.outside_items(unit, number in headings)
        else:
            names_extras = unit is None and _EXTRAS_ITEM.match(text[item.end() :]) is not None
            walk.item(number, len(item.group("indent")), unit, names_extras)
    for number, unit, before in walk.loose:
        _place_extra(index, number, unit, walk.found, before, said)
    return walk.found


def _linked_units(
    note: Note,
    index: Path,
    root: Path,
    units: dict[Path, Unit],
    empty: list[NotesError] | None,
    location: Location | None,
) -> tuple[dict[int, Unit], set[int]]:
    """The candidate lessons the list links, by line (the first link of a line that leads to
    one), and the lines that are headings; ``empty`` gets a line for each top-level link to a
    folder beside the index that holds no note."""
    by_line: dict[int, Unit] = {}
    headings: set[int] = set()
    for link in listed_links(note):
        if link.line in by_line:
            continue
        target = resolve_link(index.parent, root, link.href, location)
        unit = _unit_of(target, units) if target is not None else None
        if unit is None and empty is not None and target is not None and _links_empty_folder(note, link, target, index):
            empty.append(NotesError(f"links {target.name}/ as a lesson, but it holds no note", index, link.line + 1))
        if unit is not None and real_path(unit.note) != real_path(index):
            by_line[link.line] = unit
            if link.heading:
                headings.add(link.line)
    return by_line, headings


def _links_empty_folder(note: Note, link: Link, target: Path, index: Path) -> bool:
    """Whether a link of the list at its top level leads to a folder beside the index with no
    note in it (a unit would have been found)."""
    top_level = link.heading or not note.lines[link.line][:1].isspace()
    return top_level and target.parent == real_path(index.parent) and target.is_dir()


@dataclass
class _ListWalk:
    """The lesson list read line by line: its lessons in order, the extras nested under them."""

    found: list[Unit] = field(default_factory=list)
    placed: set[int] = field(default_factory=set)
    """The units already placed (their ids): a lesson linked twice counts once."""
    stack: list[tuple[int, Unit | str | None]] = field(default_factory=list)
    """The items open above this line: their indent, and the unit each links (or :data:`_EXTRAS`)."""
    loose: list[tuple[int, Unit, int]] = field(default_factory=list)
    """Units listed under an item that names extras: (line, unit, lessons listed before it)."""

    def outside_items(self, unit: Unit | None, heading: bool) -> None:
        """A line that is no list item: a heading closes the list above it; a lesson linked there
        is one."""
        if heading:
            self.stack = []
        if unit is not None and id(unit) not in self.placed:
            self.found.append(unit)
            self.placed.add(id(unit))

    def item(self, number: int, indent: int, unit: Unit | None, names_extras: bool) -> None:
        """A list item: the lesson it links, or an extra of the lesson of the item it is under."""
        while self.stack and self.stack[-1][0] >= indent:
            self.stack.pop()
        parent = next((u for _, u in reversed(self.stack) if u is not None), None)
        self.stack.append((indent, _EXTRAS if names_extras else unit))
        if unit is None or id(unit) in self.placed:
            return
        self.placed.add(id(unit))
        if isinstance(parent, Unit) and parent is not unit:
            _add_extras(parent, unit)
        elif parent == _EXTRAS:
            self.loose.append((number, unit, len(self.found)))
        else:
            self.found.append(unit)


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


def with_unlisted(listed: list[Unit], units: dict[Path, Unit]) -> list[Unit]:
    """The index's lessons, and the numbered candidates of the same kind it does not list (as a
    lesson or as an extra), each before the first listed lesson with a higher number."""
    folders = all(u.is_folder for u in listed)
    out = list(listed)
    extras = {real_path(p) for u in listed for p in u.extras}  # (listed as extras: the list decides)
    for unit in sorted(units.values(), key=natural):
        found = numbered(unit.name)
        if unit in out or found is None or unit.is_folder != folders or real_path(unit.note) in extras:
            continue
        later = [i for i, u in enumerate(out) if (n := numbered(u.name)) and n.number > found.number]
        out.insert(later[0] if later else len(out), unit)
    return out
