"""The course outline of a course not named our way: which notes are its lessons, in what order.

In this order of trust: the ``lessons`` key of ``notes.toml`` (paths or patterns, folders
allowed); the owner's course index (the links of the lesson list in their README, in list items
or headings, in its order); numbers in file or folder names in every common form (``Lesson1``,
``lesson-01``, ``module6a``, ``Week1``, ``week-02-x``, ``1_x``, ``01 x``); then name order. A
folder can be a lesson: its ``README.md`` (or ``index.md``, else its first note) is the lesson's
note, the other notes in it are the lesson's extras.

This module puts the outline together (:func:`discover`) and says it back (:func:`as_setting`,
:func:`summary`); its pieces live beside it: the candidate lessons (:mod:`.units`), numbers in
names (:mod:`.numbered`) and the owner's lesson list (:mod:`.lesson_list`).
"""

from __future__ import annotations

import fnmatch
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.errors import NotesError
from notes_tool.fsio.confine import real_path
from notes_tool.structure.config import LessonsSetting
from notes_tool.structure.lesson_list import Location, from_index, with_unlisted
from notes_tool.structure.lessons import EXTRA_LETTER, LessonFile
from notes_tool.structure.numbered import lesson_word, numbered
from notes_tool.structure.units import Unit, natural, units_of


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
        matched, said = _matched(pattern, by_name, notes_dir, units)
        problems += said
        out += [u for u in matched if u not in out]
        problems += _take_extras(matched[-1] if matched else None, pattern, extras, notes_dir, notes)
    taken = {real_path(p) for u in out for p in u.extras}
    return [u for u in out if real_path(u.note) not in taken], problems


def _matched(
    pattern: str, by_name: dict[str, Unit], notes_dir: Path, units: dict[Path, Unit]
) -> tuple[list[Unit], list[str]]:
    """The candidate lessons a pattern matches, in course order (by name); what is wrong when it
    matches none: the empty lesson folders it names, else that it matches nothing."""
    wanted = pattern.strip().removeprefix("./")
    matched = sorted((u for n, u in by_name.items() if fnmatch.fnmatchcase(n, wanted)), key=natural)
    if matched:
        return matched, []
    empty = [p for p in _folders(notes_dir) if fnmatch.fnmatchcase(p.name, wanted.rstrip("/"))]
    empty = [p for p in empty if real_path(p) not in units]
    if empty:
        return [], [f"lessons: {p.relative_to(notes_dir).as_posix()}/ is a lesson folder with no note" for p in empty]
    return [], [f"lessons: {pattern!r} matches no note"]


def _take_extras(lesson: Unit | None, pattern: str, extras: list[str], notes_dir: Path, notes: set[Path]) -> list[str]:
    """The ``extras`` listed with ``pattern`` made extras of the last lesson it matched; what is
    wrong with them (not a note of the workspace, or no lesson matched)."""
    problems = []
    for extra in extras:
        note = notes_dir / extra.strip().removeprefix("./")
        if lesson is None or real_path(note) not in notes:
            problems.append(f"lessons: {extra!r} (an extra of {pattern!r}) is not a note")
        elif note not in lesson.extras:
            lesson.extras.append(note)
    return problems


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
        kind = lesson_word(unit.name)
        files.append(LessonFile(unit.note, number, letter, code, kind))
        files += [LessonFile(extra, number, EXTRA_LETTER, code, kind) for extra in unit.extras]
    return files


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
    notices: list[NotesError] = []
    if patterns:
        chosen, said = from_patterns(patterns, notes_dir, units)
        problems = [NotesError(message, root / "notes.toml") for message in said]
        source = "notes.toml"
    else:
        chosen, source, problems = _listed_or_named(root, index, units, index_name, location, notices)
    problems += _duplicates(chosen, root)
    return Outline(lesson_files(chosen), chosen, source, problems, units, notices if source == index_name else [])


def _listed_or_named(
    root: Path,
    index: Path | None,
    units: dict[Path, Unit],
    index_name: str,
    location: Location | None,
    notices: list[NotesError],
) -> tuple[list[Unit], str, list[NotesError]]:
    """The lessons the owner's index lists (two at least), else those numbered names give, else
    those of name order; their source; what is wrong with them."""
    empty: list[NotesError] = []
    listed = from_index(index, root, units, empty, location, notices) if index is not None and index.exists() else []
    if index is not None and len(listed) >= 2:
        chosen = with_unlisted(listed, units)
        swapped = _out_of_order(chosen)
        if swapped is None:
            return chosen, index_name, empty
        message = (
            f"lists {swapped[0].name} before {swapped[1].name}, against their numbers; the lessons follow this list"
        )
        return chosen, index_name, [*empty, NotesError(message, index)]
    chosen = sorted((u for u in units.values() if numbered(u.name) is not None), key=natural)
    if len(chosen) >= 2:
        return chosen, "numbered names", []
    # Name order only among two or more: one unnumbered folder (``theory/``) is a folder of
    # notes, not a course of one lesson.
    folders = [u for u in units.values() if u.is_folder] or list(units.values())
    return (sorted(folders, key=natural) if len(folders) >= 2 else []), "name order", []


def as_setting(outline: Outline, notes_dir: Path) -> LessonsSetting:
    """The outline as ``notes.toml``'s ``lessons``: one pattern when it finds exactly these
    lessons in this order (``Lesson*.md``, ``[0-9]*/``), else each lesson's path; a lesson with
    extras of its own outside its folder (the README nests ``wandb.md`` under a lesson) is
    written as a list, the lesson then its extras."""
    entries = [_setting_entry(u, notes_dir) for u in outline.units]
    pattern = _one_pattern(outline, notes_dir) if all(isinstance(e, str) for e in entries) else None
    return [pattern] if pattern is not None else entries


def _setting_entry(unit: Unit, notes_dir: Path) -> str | list[str]:
    """A lesson as ``lessons`` names it: its path, or a list of it and its extras outside it."""
    name = unit.path.relative_to(notes_dir).as_posix() + ("/" if unit.is_folder else "")
    outside = [e for e in unit.extras if not (unit.is_folder and unit.path in e.parents)]
    return [name, *(e.relative_to(notes_dir).as_posix() for e in outside)] if outside else name


def _one_pattern(outline: Outline, notes_dir: Path) -> str | None:
    """The one pattern that finds exactly the outline's lessons, in order, if there is one: all
    notes or all folders, numbered names with the same prefix."""
    chosen = outline.units
    names = [numbered(u.name) for u in chosen]
    prefixes = {n.prefix for n in names if n is not None}
    if not chosen or None in names or len(prefixes) != 1 or len({u.is_folder for u in chosen}) != 1:
        return None
    prefix = prefixes.pop()
    pattern = (prefix + "*" if prefix else "[0-9]*") + ("/" if chosen[0].is_folder else ".md")
    matched, problems = from_patterns([pattern], notes_dir, outline.candidates)
    return pattern if not problems and [m.path for m in matched] == [u.path for u in chosen] else None


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
