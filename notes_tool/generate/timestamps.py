"""Timestamped headings: ``## 12:34 Topic`` becomes ``## [12:34](VIDEO&t=754s) Topic``.

The visible time is the source of truth: the link is re-derived from it on every run, so editing
``12:34`` to ``12:40`` fixes the link and changing the note's video updates every link.

Which video a heading points into: the note's front matter ``video`` (or the first of
``videos``), overridden from a section on by a video link written under a heading (the
``_([Video source](URL))_`` habit): the nearest preceding one wins, and it applies to its own
section's heading too. A time written in another form than ours (``### Step 2 [[19:39](URL)]``,
``> [03:53](URL) Title`` under the heading) is read, never rewritten; its own link names the
video of its section.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from notes_tool.errors import NoteError, NotesError
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit
from notes_tool.model.headings import Heading
from notes_tool.model.timecode import LEAD, format_seconds
from notes_tool.model.video import Video, is_known_host, parse_video

MAX_CHAPTER_TITLE = 100
MIN_CHAPTER_SECONDS = 10
MIN_CHAPTERS = 3


@dataclass(frozen=True)
class Timed:
    """A timestamped heading and the video it points into (None: no video known)."""

    heading: Heading
    video: Video | None


def front_matter_videos(note: Note) -> list[Video]:
    values = note.front_matter.get("videos")
    if not isinstance(values, list):
        values = []
    single = note.front_matter.get("video")
    candidates = [single, *values] if single else list(values)
    videos = []
    for value in candidates:
        video = parse_video(value) if isinstance(value, str) else None
        if video is not None:
            videos.append(video)
    return videos


def body_videos(note: Note) -> list[tuple[int, int, Video]]:
    """``(section line, link line, video)`` of video links written in the prose."""
    starts = sorted(h.line for h in note.headings if h.region is None)
    found = []
    for link in note.links:
        if link.image or link.heading or link.region is not None:
            continue
        if not (is_known_host(link.href) or "video" in link.text.lower()):
            continue
        video = parse_video(link.href)
        if video is None:
            continue
        section = max((line for line in starts if line <= link.line), default=link.line)
        found.append((section, link.line, video))
    return sorted(found, key=lambda item: (item[0], item[1]))


def _video_for(default: list[Video], links: list[tuple[int, int, Video]], line: int) -> Video | None:
    video = default[0] if default else None
    for section, _line, candidate in links:
        if section <= line:
            video = candidate
    return video


def own_video(heading: Heading) -> Video | None:
    """The video a heading's time written in another form than ours links to (``### Step 2
    [[19:39](URL)]``, ``> [03:53](URL) Title`` under it): it wins for that section."""
    time = heading.time
    if time is None or time.form == LEAD or not time.url:
        return None
    return parse_video(time.url)


class VideosAt:
    """The video in force at each line of a note: a video link written in the prose takes over
    from its section on; before any, the front matter's video. A heading whose time links a
    video itself (written in another form than ours) is about that video."""

    def __init__(self, note: Note):
        self._default = front_matter_videos(note)
        self._links = body_videos(note)
        self._own = {h.line: video for h in note.headings if h.region is None and (video := own_video(h))}

    def at(self, line: int) -> Video | None:
        own = self._own.get(line)
        return own if own is not None else _video_for(self._default, self._links, line)

    def moment(self, line: int, seconds: int | None) -> str:
        """A link to ``seconds`` into the video in force at ``line``; without a time, to the
        section's first video link carrying a time (its first moment), else to the video itself
        (at the time its URL starts at, if any). "" when no video is known."""
        video = self.at(line)
        if video is None:
            return ""
        if seconds is not None:
            return video.at(seconds)
        first = next((v for section, _, v in self._links if section == line and v.start is not None), None)
        if first is not None:
            return first.at(first.start or 0)
        return video.at(video.start) if video.start else video.url


def video_numbers_at(note: Note, lines: list[int]) -> list[int | None]:
    """Which of the note's videos (1-based, as ``notes chapters --video``) each line is under."""
    default, links = front_matter_videos(note), body_videos(note)
    keys = [v.key for v in _distinct([*default, *(v for _, _, v in links)])]
    numbers: list[int | None] = []
    for line in lines:
        video = _video_for(default, links, line)
        numbers.append(keys.index(video.key) + 1 if video is not None and video.key in keys else None)
    return numbers


def timed_headings(note: Note) -> list[Timed]:
    """Every heading with a typed time, in any form (see :attr:`Heading.time`), and its video."""
    if not any(h.time for h in note.headings):
        return []
    default = front_matter_videos(note)
    links = body_videos(note)
    out = []
    for heading in note.headings:
        if heading.time is None or heading.region is not None:
            continue
        video = own_video(heading) or _video_for(default, links, heading.line)
        if video is None and heading.time.url:
            video = parse_video(heading.time.url)  # the heading's own link names its video
        out.append(Timed(heading, video))
    return out


def videos_of(note: Note) -> list[Video]:
    """The note's distinct videos, in order of appearance (front matter first)."""
    return _distinct([*front_matter_videos(note), *(v for _, _, v in body_videos(note))])


def _distinct(videos: list[Video]) -> list[Video]:
    seen: dict[str, Video] = {}
    for video in videos:
        seen.setdefault(video.key, video)
    return list(seen.values())


def _destination(url: str) -> str:
    return f"<{url}>" if any(c in url for c in " ()<>") else url


def heading_edits(note: Note) -> tuple[list[Edit], list[NotesError]]:
    """Edits that (re)link every timestamped heading; a warning for headings with no video."""
    edits: list[Edit] = []
    orphans: list[Heading] = []
    for timed in timed_headings(note):
        heading, time = timed.heading, timed.heading.time
        assert time is not None
        if time.form != LEAD:
            continue  # (a time in another form than ours is the owner's: read, never rewritten)
        if timed.video is None:
            orphans.append(heading)
            continue
        target = timed.video.at(time.seconds)
        if time.url == target:
            continue
        line = note.lines[heading.line]
        content = line.rstrip("\r\n")
        column = heading.column
        if column is None or not content[column:].startswith(heading.raw[: time.end]):
            continue  # the heading's text is not on its line verbatim (multi-line setext): leave it
        token = f"[{time.shown}]({_destination(target)})"
        edits.append(
            Edit(heading.line, heading.line + 1, content[:column] + token + content[column + time.end :] + "\n")
        )
    warnings: list[NotesError] = []
    if orphans:
        more = f" (and {len(orphans) - 1} more)" if len(orphans) > 1 else ""
        warnings.append(
            NoteError(
                f"timestamped heading{more} but no video: add `video: URL` to the front matter",
                note.path,
                orphans[0].line + 1,
            )
        )
    return edits, warnings


@dataclass(frozen=True)
class Chapters:
    lines: list[str]
    """``0:00 Title`` lines, ready to paste into a YouTube description."""
    problems: list[str]
    """The YouTube rules these chapters break (empty when YouTube will accept them)."""


def chapters(note: Note, number: int = 1) -> Chapters:
    """YouTube chapters for video ``number`` (1-based) of the note.

    When the first timestamped heading is not at 0:00, a first chapter ``0:00 <note title>`` is
    added, since YouTube requires one at 0:00.
    """
    entries = _chapter_entries(note, number)
    if entries[0][0] != 0:
        entries.insert(0, (0, note.title or "Introduction"))
    return Chapters([_chapter_line(seconds, title) for seconds, title in entries], _chapter_problems(entries))


def _chapter_entries(note: Note, number: int) -> list[tuple[int, str]]:
    """(seconds, label) of each timestamped heading of video ``number``; an error when the note
    has no such video, or no heading timed in it."""
    videos = videos_of(note)
    if not videos:
        raise NoteError("no video in this note: add `video: URL` to the front matter", note.path)
    if not 1 <= number <= len(videos):
        raise NoteError(f"the note has {len(videos)} video(s); --video {number} is not one of them", note.path)
    key = videos[number - 1].key
    entries = [
        (t.heading.time.seconds, t.heading.label)
        for t in timed_headings(note)
        if t.video is not None and t.video.key == key and t.heading.time is not None
    ]
    if not entries:
        raise NoteError(f"no timestamped headings for video {number} ({videos[number - 1].url})", note.path)
    return entries


def _chapter_problems(entries: list[tuple[int, str]]) -> list[str]:
    """The YouTube rules the chapters break: at least 3, times going up, each 10 s or longer."""
    problems = []
    if len(entries) < MIN_CHAPTERS:
        problems.append(f"YouTube needs at least {MIN_CHAPTERS} chapters; there are {len(entries)}")
    for (before, title_before), (after, title_after) in pairwise(entries):
        if after <= before:
            problems.append(
                f"chapters must go up in time: {format_seconds(after)} {title_after!r} comes after "
                f"{format_seconds(before)} {title_before!r}"
            )
        elif after - before < MIN_CHAPTER_SECONDS:
            problems.append(
                f"chapters must be at least {MIN_CHAPTER_SECONDS} s long: {format_seconds(before)} "
                f"{title_before!r} lasts {after - before} s"
            )
    return problems


def _chapter_line(seconds: int, title: str) -> str:
    """``M:SS Title``, the title on one line and cut to YouTube's length."""
    title = " ".join(title.split()) or "Untitled"
    if len(title) > MAX_CHAPTER_TITLE:
        title = title[: MAX_CHAPTER_TITLE - 1].rstrip() + "…"
    return f"{format_seconds(seconds)} {title}"
