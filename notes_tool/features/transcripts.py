"""Transcripts of a note's videos: read from the forms users have, kept in one plain form.

``notes transcript add NOTE FILE [--video N]`` reads:

- text copied from YouTube's transcript panel: ``M:SS`` or ``H:MM:SS`` then the words, on the
  same line or the next; chapter titles and spoken time labels (``1 minute, 2 seconds``) that
  newer copies interleave are recognised and left out;
- WebVTT, from ``yt-dlp --write-auto-subs`` too (its word-timing tags, rolling repeated lines
  and ~10 ms cues cleaned, so each phrase appears once), and SRT, both read by webvtt-py;
- the JSON that youtube-transcript-api prints (``text``, ``start``, ``duration``).

It is stored once, as ``transcripts/<note>.v<N>.txt`` beside the notes (``<note>``: its path in the
notes folder, ``week1/README`` for a lesson folder's note): a first line naming the
note and the video, then one ``M:SS words`` line per phrase. People can read and diff it, and
``notes commit`` commits it with the notes. ``notes transcript fetch`` gets it from YouTube
instead (see :mod:`notes_tool.edges.youtube`).
"""

from __future__ import annotations

import codecs
import glob
import io
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from notes_tool.edges import youtube
from notes_tool.errors import NoteError, NotesError
from notes_tool.fsio.confine import confined, is_inside
from notes_tool.fsio.read import decode, read_snapshot
from notes_tool.fsio.write import write_atomic
from notes_tool.generate import timestamps, transcript_page
from notes_tool.model import document, stamped
from notes_tool.model.document import Note
from notes_tool.model.mdtext import href
from notes_tool.model.timecode import format_seconds as format_time
from notes_tool.model.transcript import (
    FOLDER,
    MAX_BYTES,
    MAX_SECONDS,
    TIME,
    Phrase,
    file_name,
    note_of,
    phrase_of,
    render,
    seconds,
)
from notes_tool.model.video import Video, parse_video
from notes_tool.printable import control_problem, excerpt
from notes_tool.structure.workspace import Workspace

_PANEL_LINE = re.compile(rf"^{TIME}(?:\s+(?P<text>.*\S))?\s*$")
_SPOKEN_LABEL = re.compile(r"^\d+ (?:hours?|minutes?|seconds?)(?:,? \d+ (?:minutes?|seconds?))*$", re.IGNORECASE)
SHORT_CUE = 0.05
"""Seconds: auto-captions' flash cues, which only repeat the line before."""


def parse(text: str, source: Path) -> list[Phrase]:
    """The phrases of a transcript in any of the forms above; one clear error if none fits."""
    stripped = text.strip()
    if not stripped:
        raise NoteError("the transcript is empty", source)
    if stripped.startswith("WEBVTT"):
        phrases = _from_captions(stripped, "vtt", source)
    elif stripped[0] in "[{":
        phrases = _from_json(stripped, source)
    elif re.match(r"^\d+\s*\n\d{2}:\d{2}:\d{2}[,.]\d{3} -->", stripped):
        phrases = _from_captions(stripped, "srt", source)
    else:
        phrases = _from_panel(stripped.splitlines(), source)
    if not phrases:
        raise NoteError("no transcript in a form notes knows (YouTube's panel, WebVTT, SRT or JSON)", source)
    return _in_order(one_line_phrases(phrases, source), source)


def one_line_phrases(phrases: list[Phrase], source: Path) -> list[Phrase]:
    """Each phrase on one line: line breaks and other spacing become one space; a phrase that
    still holds a control character (ESC, BEL: a terminal escape) is refused, since the
    transcript page, search and the terminal show it."""
    spaced = []
    for phrase in phrases:
        text = " ".join(phrase.text.split())
        problem = control_problem(text)
        if problem is not None:
            raise NoteError(f"the phrase at {format_time(phrase.start)} {problem}; nothing stored", source)
        spaced.append(Phrase(phrase.start, text))
    return spaced


def _in_order(phrases: list[Phrase], source: Path) -> list[Phrase]:
    """``phrases``, each at a time from 0:00 to 99:59:59, times never going back; else one error."""
    for phrase in phrases:
        if not 0 <= phrase.start <= MAX_SECONDS:
            shown = f"-{format_time(-phrase.start)}" if phrase.start < 0 else format_time(phrase.start)
            raise NoteError(f"a time out of range ({shown}): times run from 0:00 to 99:59:59", source)
    for before, after in pairwise(phrases):
        if after.start < before.start:
            raise NoteError(
                f"the times go backwards ({format_time(before.start)} then {format_time(after.start)})", source
            )
    return phrases


def _from_panel(lines: list[str], source: Path) -> list[Phrase]:
    """``0:05 words`` per line, or ``0:05`` then the words on the next line."""
    phrases: list[Phrase] = []
    waiting: int | None = None  # a time whose words are on the next line
    for raw in lines:
        line = raw.strip()
        if not line or _SPOKEN_LABEL.match(line):
            continue
        match = _PANEL_LINE.match(line)
        if match is not None:
            if match.group("text"):
                phrases.append(Phrase(seconds(match), match.group("text")))
                waiting = None
            else:
                waiting = seconds(match)
        elif waiting is not None:
            phrases.append(Phrase(waiting, line))
            waiting = None
        # else: a chapter title between phrases, not something said
    return phrases


def _from_captions(text: str, form: str, source: Path) -> list[Phrase]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=form)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise NoteError(f"not a valid {form.upper()} file ({exc})", source) from None
    phrases: list[Phrase] = []
    last = ""
    for caption in captions.captions:
        if caption.end_in_seconds - caption.start_in_seconds < SHORT_CUE and caption.text.strip() == last:
            continue
        for line in (part.strip() for part in caption.text.splitlines()):
            # Auto-captions roll: each cue repeats the line before it, then adds one.
            if line and line != last:
                phrases.append(Phrase(int(caption.start_in_seconds), line))
                last = line
    return phrases


def _from_json(text: str, source: Path) -> list[Phrase]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise NoteError(f"not valid JSON ({exc})", source) from None
    except RecursionError:  # (json reads nested arrays and objects recursively)
        raise NoteError("not valid JSON (nested too deeply)", source) from None
    items = data.get("snippets", data) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    return _from_snippets(items, source)


def _from_snippets(items: list[Any], source: Path) -> list[Phrase]:
    phrases = []
    for item in items:
        if not isinstance(item, dict) or "text" not in item or "start" not in item:
            raise NoteError("a JSON transcript is a list of {text, start, duration}", source)
        try:
            start = int(float(item["start"]))
        except (TypeError, ValueError, OverflowError):
            raise NoteError(f"a snippet's start is not a number of seconds: {excerpt(item['start'])}", source) from None
        words = " ".join(str(item["text"]).split())
        if words:
            phrases.append(Phrase(start, words))
    return phrases


def in_notes(ws: Workspace, note: Path) -> Path:
    """``note``'s path relative to the notes folder (what its transcripts are keyed by; its
    name alone when it is not in the notes folder)."""
    for folder, path in ((ws.notes_dir, note), (ws.notes_dir.resolve(), note.resolve())):
        try:
            return path.relative_to(folder)
        except ValueError:
            continue
    return Path(note.name)


def stored_path(ws: Workspace, note: Path, video: int) -> Path:
    return ws.notes_dir / FOLDER / file_name(in_notes(ws, note), video)


def record_path(ws: Workspace, note: Path) -> Path:
    """Where the record of the times stamp wrote into ``note`` is kept."""
    return ws.notes_dir / FOLDER / stamped.file_name(in_notes(ws, note))


def orphans(ws: Workspace) -> list[NoteError]:
    """Stored transcripts whose note is gone (renamed, most often: search and stamp find a
    transcript by its note's path), one warning each, for ``notes check``."""
    folder = ws.notes_dir / FOLDER
    found = []
    for path in sorted(folder.rglob("*.txt")) if folder.is_dir() else []:
        name = path.relative_to(folder).as_posix()
        note, what = note_of(name), "the transcript"
        if note is None:
            note, what = stamped.note_of(name), "the record of stamp's moments"
        if note is not None and not (ws.notes_dir / note).is_file():
            shown = note.as_posix()
            found.append(NoteError(f"{what} of {shown}, which is not there (rename it with its note)", path))
    return found


def has_any(ws: Workspace, note: Path) -> bool:
    """Whether a transcript of any of the note's videos is stored."""
    first = stored_path(ws, note, 1)
    return first.parent.is_dir() and any(first.parent.glob(glob.escape(first.name[: -len(".v1.txt")]) + ".v*.txt"))


def readable(ws: Workspace, stored: Path) -> Path:
    """``stored`` (a stored transcript), when it stays inside the workspace once links are
    followed; else one clear error. A clone may bring a transcript that is a link to a file
    elsewhere (``~/.bash_history``): nothing of it is shown, written into a page or stamped
    from, as search never reads it."""
    if not is_inside(stored, ws.root):
        raise NoteError("is a link to a file outside the workspace; not read", stored)
    return stored


def load(path: Path) -> list[Phrase]:
    """The phrases of a stored transcript."""
    text, _ = decode(read_snapshot(path, MAX_BYTES).data, path)
    phrases = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase = phrase_of(line)
        if phrase is None:
            raise NoteError("not a transcript line (M:SS words)", path, number)
        problem = control_problem(phrase.text)
        if problem is not None:
            raise NoteError(f"the phrase {problem}", path, number)
        phrases.append(phrase)
    return phrases


def add(ws: Workspace, note_path: Path, source: Path, video: int | str = 1, replace: bool = False) -> tuple[Path, int]:
    """Store the transcript in ``source`` for the note's ``video`` (see :func:`which_video`);
    the path written and how many phrases it holds. Nothing is written when anything is wrong."""
    video, wanted = which_video(note_path, video)
    url = wanted.url
    try:
        text = _source_text(read_snapshot(source, MAX_BYTES).data, source)
    except NotesError as exc:
        raise NoteError(exc.message, source, exc.line) from None
    return _store(ws, note_path, video, url, parse(text, source), replace)


def _source_text(data: bytes, source: Path) -> str:
    """A transcript file's text: UTF-8 (with or without a BOM), or UTF-16 with its BOM (what
    Windows' Notepad saves as "Unicode")."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise NoteError("not UTF-8 text, nor UTF-16 though it starts like it; save it as UTF-8", source) from None
    return decode(data, source, "a transcript (text)")[0]


def fetch(
    ws: Workspace,
    note_path: Path,
    video: int | str = 1,
    languages: tuple[str, ...] = ("en",),
    replace: bool = False,
) -> tuple[Path, int]:
    """Fetch the transcript of the note's ``video``-th video from YouTube (online; the youtube
    extra) and store it as :func:`add` does."""
    video, wanted = which_video(note_path, video)
    if wanted.kind != "youtube":
        raise NoteError(f"video {video} is not on YouTube ({wanted.url}); fetch reads YouTube only", note_path)
    # (a problem in what YouTube sent is told against the note it was fetched for)
    phrases = _from_snippets(youtube.fetch(wanted.key, languages), note_path)
    if not phrases:
        raise NoteError(f"YouTube's transcript of video {video} is empty", note_path)
    return _store(ws, note_path, video, wanted.url, _in_order(one_line_phrases(phrases, note_path), note_path), replace)


def page(ws: Workspace, note_path: Path, video: int | str = 1) -> tuple[Path, str]:
    """The stored transcript of the note's ``video``-th video as Markdown (see
    :mod:`notes_tool.generate.transcript_page`), and where :func:`write_page` puts it."""
    note, _ = document.load(note_path)
    video, wanted = _which(note, video)
    stored = readable(ws, stored_path(ws, note_path, video))
    if not stored.exists():
        raise NoteError(f"has no transcript for video {video} yet (notes transcript add or fetch)", note_path)
    sections = [
        (t.heading.time.seconds, t.heading.label, t.heading.slug)
        for t in timestamps.timed_headings(note)
        if t.heading.time is not None and t.video is not None and t.video.key == wanted.key
    ]
    target = stored.with_suffix(".md")
    note_href = href(note_path.resolve(), target.parent.resolve())
    title = note.title or note_path.stem
    return target, transcript_page.page(title, note_href, video, wanted, load(stored), sections)


def write_page(ws: Workspace, note_path: Path, video: int | str = 1) -> tuple[Path, bool]:
    """Write :func:`page` beside the stored transcript (only when it changed)."""
    target, text = page(ws, note_path, video)
    return target, write_atomic(target, text.encode("utf-8"), within=ws.root)


def remove(ws: Workspace, note_path: Path, video: int | str = 1) -> list[Path]:
    """Delete the stored transcript of the note's ``video`` (see :func:`which_video`) and its
    page (``transcripts/NOTE.vN.md``), if written; what was deleted. The note may be gone (a
    transcript left behind by a rename): then the video is named by its number."""
    named = str(video).strip()
    if note_path.is_file():
        number = which_video(note_path, video)[0]
    elif named.isdigit():
        number = int(named)
    else:
        raise NoteError("is not there: name its video by number (--video 1)", note_path)
    stored = confined(stored_path(ws, note_path, number), ws.root)
    if not stored.is_file():
        raise NoteError(f"no transcript of its video {number} is stored ({stored.name})", note_path)
    removed = []
    for path in (stored, confined(stored.with_suffix(".md"), ws.root)):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def which_video(note_path: Path, video: int | str) -> tuple[int, Video]:
    """The note's video that ``video`` names, and its number: its number (1: the first, in the
    front matter or else the first video link), its id (``W3Zm6rjOq70``) or its URL."""
    return _which(document.load(note_path)[0], video)


def _which(note: Note, video: int | str) -> tuple[int, Video]:
    note_path = note.path
    videos = timestamps.videos_of(note)
    if not videos:
        raise NoteError("has no video (put its URL under `video:` in the front matter)", note_path)
    named = str(video).strip()
    if named.isdigit() and 1 <= int(named) <= len(videos):
        return int(named), videos[int(named) - 1]
    parsed = parse_video(named)
    for number, candidate in enumerate(videos, 1):
        if candidate.key in (named, parsed.key if parsed else None):
            return number, candidate
    listing = ", ".join(f"{number} {candidate.key}" for number, candidate in enumerate(videos, 1))
    raise NoteError(f"has no video {named} (its videos: {listing})", note_path)


def _store(
    ws: Workspace, note_path: Path, video: int, url: str, phrases: list[Phrase], replace: bool
) -> tuple[Path, int]:
    """Write the stored form; a different transcript already there (which you may have
    corrected by hand) is replaced only when ``replace`` says so."""
    target = confined(stored_path(ws, note_path, video), ws.root)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = render(note_path, video, url, phrases).encode("utf-8")
    snapshot = read_snapshot(target) if target.exists() else None
    if snapshot is not None and snapshot.data != data and not replace:
        raise NoteError("holds a different transcript of this video (edited by hand?); --replace replaces it", target)
    write_atomic(target, data, snapshot, within=ws.root)
    return target, len(phrases)
