"""Which heading times ``notes stamp`` wrote: ``transcripts/<note stem>.stamped.txt``
(``transcripts/week1/README.stamped.txt`` for ``week1/README.md``).

A time in a heading reads the same whether you typed it or stamp wrote it. So that ``notes
stamp --redo`` and ``--clear`` touch only stamp's own, stamp keeps a record beside the
transcripts (committed and cloned with them): a first line saying what the file is, then one
``M:SS heading`` line per moment it wrote (or you accepted in ``--review``). A heading whose time
and text still match a line is stamp's; one whose text you changed but whose time is still the
one stamp wrote is stamp's too, when no heading has the recorded text any more. Change the time
and it is yours: a typed time, a fact that is never moved.
"""

from __future__ import annotations

from pathlib import Path

from notes_tool.model.timecode import format_seconds
from notes_tool.model.transcript import key, phrase_of

SUFFIX = ".stamped.txt"
Moment = tuple[int, str]
"""Seconds and the heading's text (without its time)."""


def file_name(note: Path) -> str:
    """The record's path under the transcripts folder for ``note`` (relative to the notes
    folder), keyed as the note's transcripts are (:func:`notes_tool.model.transcript.key`)."""
    return f"{key(note)}{SUFFIX}"


def note_of(name: str) -> Path | None:
    """The note a record (its path under the transcripts folder) belongs to."""
    name = name.replace("\\", "/")
    return Path(name.removesuffix(SUFFIX) + ".md") if name.endswith(SUFFIX) else None


def parse(text: str) -> set[Moment]:
    moments = set()
    for line in text.splitlines():
        entry = phrase_of(line.strip()) if not line.startswith("#") else None
        if entry is not None:
            moments.add((entry.start, entry.text))
    return moments


def render(note: Path, moments: set[Moment]) -> str:
    header = f"# Heading times notes stamp wrote into {note.name}; change one and it is yours (typed)\n"
    return header + "".join(f"{format_seconds(s)} {label}\n" for s, label in sorted(moments))


def owned(headings: list[Moment], record: set[Moment]) -> list[bool]:
    """Which of the note's timed headings (seconds and text, in order) are stamp's."""
    labels = {label for _, label in headings}
    renamed = {seconds for seconds, label in record if label not in labels}
    return [(s, label) in record or s in renamed for s, label in headings]
