"""Runs of several steps: everything generated brought up to date (``notes commit``, the
example course), and ``notes index --adopt``'s take-over of notes the tool did not create."""

from __future__ import annotations

from dataclasses import dataclass

from notes_tool.errors import NotesError, display_path
from notes_tool.features.index import Change, Outcome, plan, write
from notes_tool.features.sheets import Export, SheetChange, plan_export, write_export
from notes_tool.fsio import Snapshot
from notes_tool.generate import adopt
from notes_tool.generate.adopt import Adoption
from notes_tool.model import document
from notes_tool.model.document import Note
from notes_tool.structure.workspace import Workspace


@dataclass
class Built:
    """What :func:`build` wrote, and the problems it met."""

    sheets: list[SheetChange]
    written: list[Change]
    outcome: Outcome
    export: Export

    @property
    def errors(self) -> list[NotesError]:
        return [*self.export.errors, *self.outcome.errors]


def build(ws: Workspace) -> Built:
    """Everything generated, brought up to date: the cheat sheets, then the regions and the
    course index (which lists the sheets). ``notes commit`` runs it first; so does the example."""
    export = plan_export(ws)
    written_sheets = write_export(export)
    outcome = plan(ws)
    return Built(written_sheets, write(outcome), outcome, export)


def adopt_all(ws: Workspace) -> tuple[Outcome, list[str]]:
    """Plan ``--adopt``: regions added to notes and the course index; messages for the user."""
    outcome = Outcome()
    messages: list[str] = []
    files = ws.lesson_files()
    names = {f.path.name.lower() for f in files}
    index_name = ws.index_path.name
    for lesson_file in files:
        try:
            note, snapshot = document.load(lesson_file.path)
        except NotesError as exc:
            outcome.errors.append(exc)
            continue
        result = adopt.adopt_note(note, names, index_name)
        _adoption(outcome, messages, note, snapshot, result)
    if ws.index_path.exists():
        try:
            note, snapshot = document.load(ws.index_path)
            _adoption(outcome, messages, note, snapshot, adopt.adopt_index(note, names))
        except NotesError as exc:
            outcome.errors.append(exc)
    return outcome, messages


def _adoption(outcome: Outcome, messages: list[str], note: Note, snapshot: Snapshot, result: Adoption) -> None:
    shown = display_path(note.path)
    messages.extend(f"{shown}: {kept}" for kept in result.kept)
    if result.edits:
        parts = ["adopted " + "; ".join(result.done)]
        outcome.changes.append(Change(note.path, parts, result.edits, snapshot.digest))
