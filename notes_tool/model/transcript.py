"""A stored transcript: ``transcripts/<note stem>.v<N>.txt`` beside the notes.

It is keyed by the note's path in the notes folder: ``05_x.md`` keeps ``transcripts/05_x.v1.txt``
and ``week1/README.md`` has ``transcripts/week1/README.v1.txt``, so two lesson folders whose notes
are both ``README.md`` keep their own. The key mirrors a path that already exists on the user's
file system, so it is as portable (Windows names, case-insensitive file systems) as the notes.

A first line names the note, the video and its URL; then one ``M:SS words`` line per phrase.
The transcripts feature writes and reads it, the search index reads it too: this is the one
place that knows its form (and it imports nothing heavy, so search starts as fast as before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from notes_tool.model.timecode import format_seconds

FOLDER = "transcripts"
TIME = r"(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2})"
"""``M:SS`` or ``H:MM:SS``, as YouTube's transcript panel and the stored form write it."""
_NAME = re.compile(r"^(?P<note>.+)\.v(?P<video>\d+)\.txt$")
_HEADER = re.compile(r"^# Transcript of .*, video \d+: (?P<url>\S+)\s*$")
_LINE = re.compile(rf"^{TIME} (?P<text>.*)$")
MAX_SECONDS = 99 * 3600 + 59 * 60 + 59
"""The last moment a transcript may name (99:59:59): times past it, or negative, are refused."""
MAX_BYTES = 16 << 20
"""The most a transcript file may hold (a 10-hour video's is about 1 MB): a bigger one is
refused unread, by ``add`` and by whatever reads a stored one (``show``, ``stamp``, search)."""


@dataclass(frozen=True)
class Phrase:
    """What was said from ``start`` (whole seconds into the video) on."""

    start: int
    text: str


def seconds(match: re.Match[str]) -> int:
    """The seconds of a match of :data:`TIME`."""
    return int(match.group("h") or 0) * 3600 + int(match.group("m")) * 60 + int(match.group("s"))


def key(note: Path) -> str:
    """The note's key: its path in the notes folder (``note``, relative to it) without the
    suffix, in ``/`` form (``05_x``, ``week1/README``)."""
    return note.with_suffix("").as_posix()


def file_name(note: Path, video: int) -> str:
    """Where the transcript of the ``video``-th video of ``note`` (relative to the notes folder)
    is kept, relative to :data:`FOLDER`, in ``/`` form."""
    return f"{key(note)}.v{video}.txt"


def note_of(name: str) -> Path | None:
    """The note (``05_x.md``, ``week1/README.md``, relative to the notes folder) a stored
    transcript belongs to, from its path relative to :data:`FOLDER`; None for another file."""
    match = _NAME.match(name.replace("\\", "/"))
    return Path(match.group("note") + ".md") if match else None


def stored(folder: Path) -> list[str]:
    """The stored transcripts under ``folder`` (:data:`FOLDER`), as paths relative to it in ``/``
    form, sorted; nothing when there is no such folder."""
    if not folder.is_dir():
        return []
    names = (p.relative_to(folder).as_posix() for p in folder.rglob("*.txt") if p.is_file())
    return sorted(n for n in names if note_of(n) is not None)


def render(note: Path, video: int, url: str, phrases: list[Phrase]) -> str:
    header = f"# Transcript of {note.name}, video {video}: {url}\n"
    return header + "".join(f"{format_seconds(p.start)} {' '.join(p.text.split())}\n" for p in phrases)


def url_of(first_line: str) -> str | None:
    """The video's URL, from a stored transcript's first line."""
    match = _HEADER.match(first_line)
    return match.group("url") if match else None


def phrase_of(line: str) -> Phrase | None:
    """The phrase on a stored transcript's line; None when it is not ``M:SS words``."""
    match = _LINE.match(line)
    if match is None or seconds(match) > MAX_SECONDS:
        return None
    return Phrase(seconds(match), match.group("text"))
