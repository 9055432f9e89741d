"""Candidate lessons of a course not named our way: each note directly in the notes folder,
and each folder holding notes (its ``README.md``, or ``index.md``, else its first note, is the
lesson's note; the others are its extras).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.fsio.confine import real_path
from notes_tool.structure.numbered import numbered
from notes_tool.structure.tree import folder_note


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


def natural(unit: Unit) -> tuple[int, int, str, str]:
    """The sort key of course order by names: numbered names first, by number and letter."""
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
        ordered = sorted(found, key=lambda p: (len(p.relative_to(top).parts), natural(Unit(p, p))))
        note = own if own in found else ordered[0]
        units[real_path(top)] = Unit(top, note, [p for p in ordered if p != note])
    return units
