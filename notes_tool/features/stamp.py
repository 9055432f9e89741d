"""``notes stamp``: each section's moment in the video, found in its transcript, written into
the heading as a typed time would be (``## Volumes`` -> ``## 6:12 Volumes``; ``notes index``
then links it). Only a heading with no time gets one, and only when two independent ways of
finding it agree and it is sure (see :func:`verdict`); the rest are left to check (``--review``).
Typed times are facts the others are fitted around. Only the time prefix of a heading changes.

What stamp wrote is recorded beside the transcripts (:mod:`notes_tool.model.stamped`), so
``--redo`` recomputes stamp's own moments after the note changed and ``--clear`` removes them,
and neither touches a time you typed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from notes_tool.errors import NoteError
from notes_tool.features import links, transcripts
from notes_tool.fsio.confine import confined, linked_out
from notes_tool.fsio.read import decode, encode, read_snapshot
from notes_tool.fsio.write import write_atomic
from notes_tool.generate import timestamps
from notes_tool.generate.align import Found, align, words
from notes_tool.generate.sections import sections_of
from notes_tool.model import document, stamped
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, apply
from notes_tool.model.headings import Heading
from notes_tool.model.timecode import format_seconds
from notes_tool.model.transcript import MAX_BYTES, Phrase, url_of
from notes_tool.model.video import parse_video
from notes_tool.structure.workspace import Workspace

MIN_CONFIDENCE = 0.5
"""With agreement, the confidence a moment needs to be written (``bench/align.py``)..."""
RIVAL = 0.7
"""...with no other start, between its neighbours, scoring this near it (0.8 wrote a fifth more
moments, 9 in 10 right; 0.7, 19 in 20)..."""
MIN_LENGTH = 30
"""...and talk on the section running on this many seconds from it."""
TITLE_ONLY = (0.9, 60, 0.5, 0.3)
"""A heading alone: confidence, seconds of talk, rival, and how much the talk around the moment
is about it (``Found.about``): on published chapter titles, 90 % of those clearing these are
within 30 s (15 % of chapters written), against 80 % with the bars for sections with text."""
TEXT_WORDS = 3
"""Fewer words of its own than this (common words left out) and a section has no text: judged as
a heading alone (see :func:`verdict`); over subsections, its moment is theirs to say."""


def verdict(found: Found, min_confidence: float = MIN_CONFIDENCE, text: bool = True) -> str:
    """What a moment found means: ``typed``, ``written`` (sure), ``check`` or ``not in the video``.

    Sure: the segmentation and the point choice agree, it is confident, no rival start comes
    near it, and the talk it starts lasts (see ``bench/README.md`` for how often each is right).
    A heading with no ``text`` of its own under it is a few words: it must clear the stricter
    :data:`TITLE_ONLY` bars too."""
    if found.typed:
        return "typed"
    if found.seconds is None:
        return "not in the video"
    bars = (MIN_LENGTH, RIVAL, 0.0) if text else TITLE_ONLY[1:]
    least = min_confidence if text else max(min_confidence, TITLE_ONLY[0])
    sure = found.agree and found.confidence >= least and found.length >= bars[0] and found.rival < bars[1]
    return "written" if sure and found.about >= bars[2] else "check"


@dataclass(frozen=True)
class Row:
    """What stamping found for one heading."""

    heading: str
    line: int
    """1-based."""
    seconds: int | None
    confidence: float
    reason: str
    """``typed``, ``stamped`` (written now), ``stamped before`` (stamp's, kept), ``check``,
    ``not in the video``, ``no transcript for video N``, ``no video``."""
    anchor: str = ""
    """Of a stamped heading: its GitHub anchor once the time is in it (``210-volumes``)."""
    anchor_before: str = ""
    """...and before (``volumes``): links to that one, elsewhere, no longer lead to it."""
    candidates: tuple[int, ...] = ()
    """Other moments the section could start at, best first (seconds)."""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Section:
    """A section of the note, its video's number and what was found for it."""

    heading: Heading
    video: int | None
    found: Found | None
    """None: no transcript of its video (or no video)."""
    own: bool
    """Its time is one stamp wrote."""
    parent: bool = False
    """A heading over subsections, with hardly a word of its own: its moment is theirs to say."""
    text: bool = True
    """It has text of its own under it (not only its heading)."""


@dataclass
class Survey:
    """A note's sections and what was found for them, as the note read then."""

    path: Path
    note: Note
    sections: list[Section]
    phrases: dict[int, list[Phrase]] = field(default_factory=dict)
    """Each video's transcript, by number."""
    record: set[stamped.Moment] = field(default_factory=set)


def survey(ws: Workspace, path: Path, redo: bool = False) -> Survey:
    """Every section's moment (with ``redo``, stamp's own are found afresh, not kept)."""
    outside = linked_out(path, ws.root)
    if outside is not None:
        raise outside
    note, _ = document.load(path)
    title = note.title_heading
    heads = [h for h in note.headings if h.region is None and not h.nested and h is not title]
    if not heads:
        raise NoteError("has no sections to stamp", path)
    record = _read_record(ws, path)
    timed = [h for h in heads if h.time is not None]
    own = dict(zip((h.line for h in timed), stamped.owned([_moment(h) for h in timed], record), strict=True))
    texts = {s.line - 1: f"{s.prose} {s.code}" for s in sections_of(note, "", None, "")}
    result = Survey(path, note, [], record=record)
    found = _aligned(ws, result, heads, texts, {line for line, mine in own.items() if mine and redo})
    result.sections = _sections(heads, found, texts, own)
    return result


def _aligned(
    ws: Workspace, result: Survey, heads: list[Heading], texts: dict[int, str], afresh: set[int]
) -> dict[int, tuple[int | None, Found | None]]:
    """Each heading's video number and the moment its transcript aligns it to (None without a
    stored transcript); typed times, and stamp's own but those ``afresh`` (lines), stay fixed.
    The transcripts read are kept in ``result.phrases``."""
    note, path = result.note, result.path
    at = timestamps.VideosAt(note)
    found: dict[int, tuple[int | None, Found | None]] = {}
    for number, video in enumerate(timestamps.videos_of(note), 1):
        group = [h for h in heads if (v := at.at(h.line)) is not None and v.key == video.key]
        source = transcripts.stored_path(ws, path, number)
        if not group or not source.exists():
            found.update({h.line: (number, None) for h in group})
            continue
        phrases = result.phrases[number] = _transcript_of(transcripts.readable(ws, source), video.key)
        fixed = {i: h.time.seconds for i, h in enumerate(group) if h.time and h.line not in afresh}
        _in_order(path, group, fixed)
        moments = align([(h.label, texts.get(h.line, "")) for h in group], [(p.start, p.text) for p in phrases], fixed)
        found.update({h.line: (number, moment) for h, moment in zip(group, moments, strict=True)})
    return found


def _sections(
    heads: list[Heading], found: dict[int, tuple[int | None, Found | None]], texts: dict[int, str], own: dict[int, bool]
) -> list[Section]:
    """The surveyed sections: each heading with what was found for it, whether its time is
    stamp's, whether it is a parent over subsections and has text of its own."""
    sections = []
    for h, after in zip(heads, [*heads[1:], None], strict=True):
        number_of, moment = found.get(h.line, (None, None))
        text = len(words(texts.get(h.line, ""))) >= TEXT_WORDS
        parent = after is not None and after.level > h.level and not text
        sections.append(Section(h, number_of, moment, own.get(h.line, False), parent, text))
    return sections


def _transcript_of(source: Path, key: str) -> list[Phrase]:
    text, _ = decode(read_snapshot(source, MAX_BYTES).data, source)
    url = url_of(text.partition("\n")[0])
    stored = parse_video(url) if url else None
    if stored is not None and stored.key != key:
        raise NoteError(
            f"is the transcript of another video ({url}); store this one's with notes transcript add --replace", source
        )
    return transcripts.load(source)


def _in_order(path: Path, group: list[Heading], fixed: dict[int, int]) -> None:
    last: tuple[int, int] | None = None
    for i in sorted(fixed):
        if last is not None and fixed[i] < last[1]:
            raise NoteError(
                f"typed times go backwards ({format_seconds(last[1])} then {format_seconds(fixed[i])}); "
                "stamp fits sections between typed times in note order: correct one",
                path,
                group[i].line + 1,
            )
        last = (i, fixed[i])


def stamp(
    ws: Workspace, path: Path, dry_run: bool = False, min_confidence: float = MIN_CONFIDENCE, redo: bool = False
) -> list[Row]:
    """Find every section's moment; unless ``dry_run``, write the sure ones into their headings
    (with ``redo``, stamp's own earlier moments are found afresh: rewritten, or removed when no
    longer sure)."""
    found = survey(ws, path, redo)
    decided = [_row(section, min_confidence, redo) for section in found.sections]
    rows = [row for row, _ in decided]
    wanted = {
        s.heading.line: row.seconds if row.reason == "stamped" else None
        for s, (row, w) in zip(found.sections, decided, strict=True)
        if w
    }
    anchors = write(ws, found, wanted, dry_run).anchors
    return [replace(r, anchor=anchors.get(r.line - 1, r.anchor)) if r.reason == "stamped" else r for r in rows]


def _row(section: Section, min_confidence: float, redo: bool) -> tuple[Row, bool]:
    """What stamping says of one section (its time as typed or stamped before, or the moment
    found for it, and whether that is sure enough to write); and whether its heading's time is
    to be written: the sure moment, or none where stamp's own earlier one is no longer sure."""
    h, moment = section.heading, section.found
    if h.time is not None and not (redo and section.own):
        return Row(h.label, h.line + 1, h.time.seconds, 1.0, "stamped before" if section.own else "typed"), False
    if moment is None:
        reason = f"no transcript for video {section.video}" if section.video else "no video"
        return Row(h.label, h.line + 1, None, 0.0, reason), False
    said = verdict(moment, min_confidence, section.text)
    sure = said == "written" and h.column is not None and not section.parent
    reason = "stamped" if sure else ("check" if said == "written" else said)
    row = Row(h.label, h.line + 1, moment.seconds, moment.confidence, reason, h.slug, h.slug, moment.candidates)
    return row, sure or section.own


def clear(ws: Workspace, path: Path, dry_run: bool = False) -> list[Row]:
    """Take stamp's own moments out of the note's headings; the rows of those it took out."""
    found = survey(ws, path)
    own = [s.heading for s in found.sections if s.own and s.heading.time is not None]
    write(ws, found, {h.line: None for h in own}, dry_run)
    return [Row(h.label, h.line + 1, h.time.seconds if h.time else None, 1.0, "cleared") for h in own]


def write(
    ws: Workspace, found: Survey, wanted: dict[int, int | None], dry_run: bool = False, yours: Iterable[int] = ()
) -> Written:
    """Set (or, with None, remove) the time of the headings on the lines ``wanted`` names (lines
    of the note as surveyed), and record them as stamp's (but those on the lines ``yours``
    names: times the user typed).

    The note is read again first: saved since the survey (while you reviewed, say), each
    moment goes to the heading with the same text (and time) in what you saved, and one whose
    heading changed is left out; the write is guarded, a save racing it is never overwritten.
    The record is written after the note: an interruption between the two leaves a moment
    reading as typed, never a typed one reading as stamp's."""
    note, snapshot = document.load(found.path)
    heads = _matching(found, note)
    labels = {s.heading.line: s.heading.label for s in found.sections}
    written = Written(dropped=[labels[line] for line in wanted if line not in heads])
    edits = _retimings(note, heads, wanted)
    if not edits:
        return written
    text = apply(note, edits)
    after = document.parse(found.path, text, note.bom)
    now = {h.line: h for h in after.headings}
    written.anchors = {line: now[h.line].slug for line, h in heads.items() if h.line in now}
    if not dry_run:
        write_atomic(found.path, encode(text, note.bom), snapshot, within=ws.root)
        retimed = [heads[line] for line in wanted if line in heads]
        _record(ws, found, after, retimed, {(s, heads[line].label) for line, s in _sure(wanted, heads, yours)})
        _follow(ws, found.path, {h.slug: now[h.line].slug for h in retimed if h.line in now})
    return written


def _retimings(note: Note, heads: dict[int, Heading], wanted: dict[int, int | None]) -> list[Edit]:
    """The edits setting the wanted times in the headings still there."""
    return [e for line, s in wanted.items() if line in heads and (e := retime(note, heads[line], s)) is not None]


def _sure(wanted: dict[int, int | None], heads: dict[int, Heading], yours: Iterable[int]) -> list[tuple[int, int]]:
    """The lines and times of the moments written that are stamp's: set (not removed), on a
    heading still there, not typed by the user (``yours``)."""
    mine = set(yours)
    return [(line, s) for line, s in wanted.items() if s is not None and line in heads and line not in mine]


def _record(ws: Workspace, found: Survey, after: Note, retimed: list[Heading], stamps: set[stamped.Moment]) -> None:
    """Stamp's record of its own moments once the note holds ``after``: the retimed headings'
    old moments out, ``stamps`` in; only the moments still in a heading are kept (one renamed
    since is recorded under its new text)."""
    record = (found.record - {_moment(h) for h in retimed if h.time}) | stamps
    timed = [_moment(h) for h in after.headings if h.time is not None]
    _write_record(ws, found.path, {m for m, own in zip(timed, stamped.owned(timed, record), strict=True) if own})


def _follow(ws: Workspace, path: Path, moved: dict[str, str]) -> None:
    """Links elsewhere to the headings' old anchors follow them to the new ones."""
    _, problems = links.follow_anchors(ws, {path: {old: new for old, new in moved.items() if old != new}})
    for problem in problems:
        warnings.warn(str(problem), stacklevel=3)


@dataclass
class Written:
    anchors: dict[int, str] = field(default_factory=dict)
    """Each heading's anchor after the write, by its line in the survey."""
    dropped: list[str] = field(default_factory=list)
    """Headings changed in the note since the survey: their moments were not written."""


def _matching(found: Survey, note: Note) -> dict[int, Heading]:
    """The surveyed headings still in ``note`` as they were (same text, same time), by line."""
    if note.text == found.note.text:
        return {s.heading.line: s.heading for s in found.sections}
    now: dict[tuple[str, int, int], Heading] = {}
    for h in note.headings:
        key = (h.label, h.time.seconds if h.time else -1, 0)
        while key in now:
            key = (key[0], key[1], key[2] + 1)
        now[key] = h
    heads: dict[int, Heading] = {}
    seen: dict[tuple[str, int], int] = {}
    for h in found.note.headings:
        base = (h.label, h.time.seconds if h.time else -1)
        seen[base] = seen.get(base, -1) + 1
        match = now.get((*base, seen[base]))
        if match is not None and any(s.heading is h for s in found.sections):
            heads[h.line] = match
    return heads


def retime(note: Note, h: Heading, seconds: int | None) -> Edit | None:
    """The edit putting ``seconds`` (None: no time) at the start of the heading's text, in place
    of the time it has; None when the heading's text cannot be found on its line."""
    if h.column is None or (h.time is not None and seconds is not None and h.time.seconds == seconds):
        return None
    line = note.lines[h.line].rstrip("\r\n")
    old = 0
    if h.time is not None:
        if not h.raw.endswith(h.time.title):
            return None
        old = len(h.raw) - len(h.time.title)
    new = f"{format_seconds(seconds)} " if seconds is not None else ""
    # (an edit's text ends in "\n": splicing writes the note's own line ending)
    return Edit(h.line, h.line + 1, f"{line[: h.column]}{new}{line[h.column + old :]}\n")


def _moment(h: Heading) -> stamped.Moment:
    return (h.time.seconds if h.time else -1, h.label)


def _record_path(ws: Workspace, note: Path) -> Path:
    return transcripts.record_path(ws, note)


def _read_record(ws: Workspace, note: Path) -> set[stamped.Moment]:
    path = _record_path(ws, note)
    if not path.exists():
        return set()
    return stamped.parse(decode(read_snapshot(path, MAX_BYTES).data, path)[0])


def _write_record(ws: Workspace, note: Path, moments: Iterable[stamped.Moment]) -> None:
    path = confined(_record_path(ws, note), ws.root)
    moments = set(moments)
    if not moments:
        if path.exists():
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, stamped.render(note, moments).encode("utf-8"), within=ws.root)
