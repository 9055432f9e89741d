"""``notes stamp NOTE --review``: each moment stamp was not sure of, shown with the transcript
around it, confirmed with one key.

Keys: Enter (or y) accepts the proposed moment; 1-3 take a candidate; , and . step a phrase
earlier or later (the lines shown follow); t types a time; s skips; q quits. What was
accepted is written when the review ends (by q, by the last section, or by Ctrl-C), in one
guarded write: a note saved meanwhile keeps your edits, and a moment whose heading you
changed is left out and named.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import click

from notes_tool.cli.app import fail, say, shown
from notes_tool.features import build
from notes_tool.features import stamp as stamping
from notes_tool.model.timecode import format_seconds
from notes_tool.model.transcript import TIME, Phrase, seconds
from notes_tool.structure.workspace import Workspace

MIN_COLUMNS = 60
KEYS = "Enter accept  1-3 candidate  , . earlier/later  t type a time  s skip  q quit"


@dataclass
class Item:
    """A section under review: where its proposal stands in its transcript."""

    section: stamping.Section
    phrases: list[Phrase]
    at: int | None
    """The proposed phrase (None: nothing proposed)."""
    said: str
    first: int | None = None
    """Where the proposal started (stepping moves ``at`` away from it)."""

    def label(self) -> str:
        if self.at != self.first:
            return "moved"
        if self.said == "not in the video":
            return "a candidate: the video may not cover this section"
        return "sure" if self.said == "written" else self.said


def review_notes(ws: Workspace, notes: tuple[Path, ...], all_sections: bool, min_confidence: float) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("--review needs a terminal; off one, see the moments with: notes stamp NOTE --dry-run (or --json)")
    try:  # the terminal's own width (not $COLUMNS, which a shell may have set for another)
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        columns = shutil.get_terminal_size().columns
    if columns < MIN_COLUMNS:
        fail(f"the terminal is {columns} columns wide; --review needs {MIN_COLUMNS} (or use --dry-run)")
    for note in notes:
        if not _review(ws, note, all_sections, min_confidence, columns):
            break


def _review(ws: Workspace, note: Path, all_sections: bool, min_confidence: float, columns: int) -> bool:
    """Review one note; False when the user quit."""
    survey = stamping.survey(ws, note)
    chosen = _Chosen()
    items = _items(survey, all_sections, min_confidence, chosen)
    quit_ = False
    try:
        quit_ = _ask_each(note, items, columns, chosen)
    except KeyboardInterrupt:
        quit_ = True
        say("")
    _finish(ws, survey, chosen.wanted, chosen.yours)
    return not quit_


@dataclass
class _Chosen:
    """The moments to write, by heading line, and the headings whose time the user typed."""

    wanted: dict[int, int | None] = field(default_factory=dict)
    yours: set[int] = field(default_factory=set)


def _items(survey: stamping.Survey, all_sections: bool, min_confidence: float, chosen: _Chosen) -> list[Item]:
    """The sections to review: those with a moment found and no typed time (with
    ``all_sections``, stamp's own and the sure ones too). A sure moment of a section of its own
    is to be written, reviewed or not."""
    items = []
    for section in survey.sections:
        h, found = section.heading, section.found
        if found is None or found.typed or (h.time is not None and not (all_sections and section.own)):
            continue
        said = "stamp's" if section.own else stamping.verdict(found, min_confidence, section.text)
        if said == "written" and not section.parent:
            chosen.wanted[h.line] = found.seconds
            if not all_sections:
                continue
        items.append(_item(section, survey.phrases[section.video or 1], said))
    return items


def _item(section: stamping.Section, phrases: list[Phrase], said: str) -> Item:
    """A section under review, at the phrase of its moment (or of its first candidate)."""
    found = section.found
    assert found is not None
    moment = found.seconds if found.seconds is not None else next(iter(found.candidates), None)
    at = None if moment is None else max(0, bisect_right([p.start for p in phrases], moment) - 1)
    return Item(section, phrases, at, said, at)


def _ask_each(note: Path, items: list[Item], columns: int, chosen: _Chosen) -> bool:
    """Ask about each item in turn, noting what was chosen; True when the user quit."""
    for number, item in enumerate(items, 1):
        choice = _ask(note, item, number, len(items), columns)
        if choice == "quit":
            return True
        if isinstance(choice, tuple):
            moment, typed = choice
            chosen.wanted[item.section.heading.line] = moment
            if typed:
                chosen.yours.add(item.section.heading.line)
    return False


def _ask(note: Path, item: Item, number: int, total: int, columns: int) -> tuple[int, bool] | str | None:
    """What the user chose: (seconds, typed by them), "quit", or None (skipped)."""
    while True:
        _show(note, item, number, total, columns)
        key = click.getchar()
        found = item.section.found
        candidates = found.candidates if found else ()
        if key in ("\r", "\n", "y") and item.at is not None:
            return item.phrases[item.at].start, False
        if key in "123" and key and int(key) <= len(candidates):
            return candidates[int(key) - 1], False
        if key in (",", ".") and item.at is not None:
            item.at = min(max(item.at + (1 if key == "." else -1), 0), len(item.phrases) - 1)
        elif key == "t":
            typed = _typed_time()
            if typed is not None:
                return typed, True
        elif key == "s":
            return None
        elif key == "q":
            return "quit"


def _typed_time() -> int | None:
    text = click.prompt("time (M:SS or H:MM:SS, empty to go back)", default="", show_default=False)
    match = re.fullmatch(TIME, text.strip())
    if text.strip() and match is None:
        say(f"not a time: {text.strip()} (a key goes back)")
        click.getchar()
    return seconds(match) if match else None


def _show(note: Path, item: Item, number: int, total: int, columns: int) -> None:
    h, found = item.section.heading, item.section.found
    width = columns - 1
    click.clear()
    say(f"{shown(note)}  section {number} of {total}"[:width])
    say(f"{'#' * h.level} {h.label}"[:width])
    if item.at is None:
        say("no moment found: the video may never cover this section (t types one, s skips)"[:width])
    else:
        proposed = item.phrases[item.at].start
        say(f"proposed {format_seconds(proposed)}  ({item.label()})"[:width])
        say("")
        for k in range(max(0, item.at - 1), min(len(item.phrases), item.at + 3)):
            mark = ">" if k == item.at else " "
            phrase = item.phrases[k]
            say(f" {mark} {format_seconds(phrase.start):>7}  {phrase.text}"[:width])
    say("")
    candidates = found.candidates if found else ()
    listed = "   ".join(f"{k} {format_seconds(s)}" for k, s in enumerate(candidates, 1)) or "none"
    say(f"candidates: {listed}"[:width])
    say(KEYS[:width] if columns > len(KEYS) else "Enter 1-3 , . t s q")


def _finish(ws: Workspace, survey: stamping.Survey, wanted: dict[int, int | None], yours: set[int]) -> None:
    written = stamping.write(ws, survey, wanted, yours=yours)
    note = shown(survey.path)
    count = len(wanted) - len(written.dropped)
    say(f"{note}: {count} moment{'s' if count != 1 else ''} written")
    for label in written.dropped:
        say(f"{note}: {label!r} changed while you reviewed; its moment was left out", err=True)
    if count:
        build.link_times(ws)
