"""``notes stamp``: each section's moment in the video, found in its transcript, written into
the heading as a typed time would be (``## Volumes`` -> ``## 6:12 Volumes``; ``notes index``
then links it). Only a heading with no time gets one, and only when the match is sure enough;
typed times are facts the others are fitted around. Only the time prefix of a heading changes.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from notes_tool.errors import NoteError
from notes_tool.features import links, transcripts
from notes_tool.fsio import encode, write_atomic
from notes_tool.generate import timestamps
from notes_tool.generate.align import align
from notes_tool.generate.sections import sections_of
from notes_tool.model import document
from notes_tool.model.edit import Edit, apply
from notes_tool.model.timecode import format_seconds
from notes_tool.structure.workspace import Workspace

MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Row:
    """What stamping found for one heading."""

    heading: str
    line: int
    """1-based."""
    seconds: int | None
    confidence: float
    reason: str
    """``typed``, ``stamped``, ``not sure enough``, ``not in the video``, ``no transcript for video N``."""
    anchor: str = ""
    """Of a stamped heading: its GitHub anchor once the time is in it (``210-volumes``)."""
    anchor_before: str = ""
    """...and before (``volumes``): links to that one, elsewhere, no longer lead to it."""

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def stamp(ws: Workspace, path: Path, dry_run: bool = False, min_confidence: float = MIN_CONFIDENCE) -> list[Row]:
    """Find every section's moment; unless ``dry_run``, write those sure enough into their headings."""
    note, snapshot = document.load(path)
    title = note.title_heading
    heads = [h for h in note.headings if h.region is None and not h.nested and h is not title]
    if not heads:
        raise NoteError("has no sections to stamp", path)
    videos = timestamps.videos_of(note)
    keys = [video.key for video in videos]
    at = timestamps.VideosAt(note)
    texts = {s.line - 1: f"{s.prose} {s.code}" for s in sections_of(note, "", None, "")}
    rows: dict[int, Row] = {}
    edits: list[Edit] = []
    for number in range(1, len(videos) + 1):
        group = [h for h in heads if (v := at.at(h.line)) is not None and v.key == keys[number - 1]]
        source = transcripts.stored_path(ws, path, number)
        if not group:
            continue
        if not source.exists():
            for h in group:
                reason = "typed" if h.time else f"no transcript for video {number}"
                rows[h.line] = Row(
                    h.label, h.line + 1, h.time.seconds if h.time else None, 1.0 if h.time else 0.0, reason
                )
            continue
        phrases = [(p.start, p.text) for p in transcripts.load(source)]
        fixed = {i: h.time.seconds for i, h in enumerate(group) if h.time is not None}
        found = align([(h.label, texts.get(h.line, "")) for h in group], phrases, fixed)
        for h, moment in zip(group, found, strict=True):
            if moment.typed:
                rows[h.line] = Row(h.label, h.line + 1, moment.seconds, 1.0, "typed")
            elif moment.seconds is None:
                rows[h.line] = Row(h.label, h.line + 1, None, 0.0, "not in the video")
            elif moment.confidence < min_confidence or h.column is None:
                rows[h.line] = Row(h.label, h.line + 1, moment.seconds, moment.confidence, "not sure enough")
            else:
                rows[h.line] = Row(h.label, h.line + 1, moment.seconds, moment.confidence, "stamped", h.slug, h.slug)
                line, time = note.lines[h.line].rstrip("\r\n"), format_seconds(moment.seconds)
                # (an edit's text ends in "\n": splicing writes the note's own line ending)
                edits.append(Edit(h.line, h.line + 1, f"{line[: h.column]}{time} {line[h.column :]}\n"))
    for h in heads:
        rows.setdefault(h.line, Row(h.label, h.line + 1, None, 0.0, "no video"))
    if edits:
        text = apply(note, edits)
        anchors = {h.line: h.slug for h in document.parse(path, text, note.bom).headings}
        for number, row in rows.items():
            if row.reason == "stamped":
                rows[number] = replace(row, anchor=anchors.get(number, row.anchor))
        if not dry_run:
            write_atomic(path, encode(text, note.bom), snapshot)
            moved = {row.anchor_before: row.anchor for row in rows.values() if row.reason == "stamped"}
            _, problems = links.follow_anchors(ws, {path: moved})  # links elsewhere follow the new anchors
            for problem in problems:
                warnings.warn(str(problem), stacklevel=2)
    return [rows[h.line] for h in heads]
