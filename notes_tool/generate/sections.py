"""A note as the searchable sections ``notes search`` indexes, each with its video moment.

A section is a heading and what follows it up to the next heading (the text before the first
heading is one too). Each carries the lesson, the heading path, GitHub's anchor, its text as
rendered, its code, the words its compounds are also written as (``K-fold``: ``kfold``;
``groupBy``: ``group by``), and its video moment: the heading's own time, else the video
link in force there (written under the heading, ``_([Video source](URL))_``, or above it),
else the note's video.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from notes_tool.generate import timestamps
from notes_tool.model.document import Note
from notes_tool.model.headings import Heading
from notes_tool.model.video import parse_video


@dataclass(frozen=True)
class Section:
    """One searchable section of a note."""

    path: str
    """Relative to the workspace, with forward slashes."""
    lesson: int | None
    line: int
    """1-based line of the section's heading (1 for a note's preamble)."""
    breadcrumb: str
    """``05 Deployment › Docker › Volumes``."""
    anchor: str
    time: str
    """The heading's time as written (``6:10``), if it has one."""
    video: str
    """The section's video moment: a link to the heading's time, else to the video it is about."""
    heading: str
    prose: str
    code: str
    terms: str
    """Other forms of the compound words in it (see :func:`compound_forms`)."""
    context: str = ""
    """The headings above its own in the note (the note's title left out): what it is part of."""


_JOINED = re.compile(r"[^\W_]+(?:[-_./][^\W_]+)+")
"""``K-fold``, ``docker-compose``, ``load_img``, ``tf.lite``: parts joined by ``-``, ``_``, ``.`` or ``/``."""
_CAMEL = re.compile(r"\b[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+\b")
"""``groupBy``, ``pgAdmin``, ``CountVectorizer``: words run together, each capitalised."""
_CAMEL_PART = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def compound_forms(text: str) -> str:
    """The other ways people write the compound words in ``text``: a hyphenated or underscored
    word joined (``kfold`` for ``K-fold``), a camel-cased one split (``group by`` for
    ``groupBy``). Searching these too, ``kfold``, ``K-fold`` and ``k fold`` all find ``K-fold``."""
    forms: list[str] = []
    for match in _JOINED.finditer(text):
        forms.append(re.sub(r"[-_./]", "", match.group()).lower())
    for match in _CAMEL.finditer(text):
        parts = _CAMEL_PART.findall(match.group())
        if len(parts) > 1:
            forms.append(" ".join(parts).lower())
    return " ".join(dict.fromkeys(forms))


def sections_of(note: Note, rel: str, lesson: int | None, lesson_label: str) -> list[Section]:
    """Split one parsed note into sections."""
    spans = _spans(note)
    texts, codes = _contents(note, [start for _, start in spans])
    videos = timestamps.VideosAt(note)
    crumbs = _Crumbs(note.title_heading)
    place = _Place(rel, lesson, lesson_label)
    out = []
    for (heading, _), text, code in zip(spans, texts, codes, strict=True):
        if heading is None:
            if text.strip() or code.strip():
                out.append(_preamble(place, text, code, videos.moment(0, None)))
            continue
        path = crumbs.enter(heading)
        context = "" if crumbs.is_title(heading) else " › ".join(path[:-1])
        out.append(_section(place, heading, path, context, text, code, _video(videos, heading)))
    return out


def _spans(note: Note) -> list[tuple[Heading | None, int]]:
    """Where each section starts: the preamble at line 0, then each heading of the user's own."""
    spans: list[tuple[Heading | None, int]] = [(None, 0)]
    spans += [(head, head.line) for head in note.headings if head.region is None]
    return spans


def _contents(note: Note, starts: list[int]) -> tuple[list[str], list[str]]:
    """Each section's prose (one line) and code, outside generated regions: a paragraph or
    fence belongs to the section its first line is in."""
    texts: list[list[str]] = [[] for _ in starts]
    codes: list[list[str]] = [[] for _ in starts]
    for line, text in note.prose:
        if note.region_of(line) is None:
            texts[bisect_right(starts, line) - 1].append(text.replace("\n", " "))
    for fence in note.fences:
        if fence.region is None:
            codes[bisect_right(starts, fence.line) - 1].append(fence.content)
    return [" ".join(t) for t in texts], ["\n".join(c) for c in codes]


class _Crumbs:
    """The headings a section sits under, walking a note's headings in order (its title left out)."""

    def __init__(self, title: Heading | None):
        self._title = title
        self._stack: list[tuple[int, str]] = []

    def is_title(self, heading: Heading) -> bool:
        return heading is self._title

    def enter(self, heading: Heading) -> list[str]:
        """The labels from the outermost heading down to ``heading`` (which ends the list)."""
        while self._stack and self._stack[-1][0] >= heading.level:
            self._stack.pop()
        if heading is not self._title:
            self._stack.append((heading.level, heading.label))
        return [label for _, label in self._stack]


@dataclass(frozen=True)
class _Place:
    """The note the sections are of, and its lesson."""

    rel: str
    lesson: int | None
    lesson_label: str


def _video(videos: timestamps.VideosAt, heading: Heading) -> str:
    """The heading's video moment; a time linked by hand names its own video."""
    time = heading.time
    video = videos.moment(heading.line, time.seconds if time else None)
    if not video and time and time.url:
        own = parse_video(time.url)
        video = own.at(time.seconds) if own is not None else ""
    return video


def _section(
    place: _Place, heading: Heading, crumbs: list[str], context: str, text: str, code: str, video: str
) -> Section:
    """The section under ``heading``, with the labels of the headings down to it."""
    return Section(
        path=place.rel,
        lesson=place.lesson,
        line=heading.line + 1,
        breadcrumb=" › ".join([place.lesson_label, *crumbs]),
        anchor=heading.slug,
        time=heading.time.shown if heading.time else "",
        video=video,
        heading=heading.label,
        prose=text,
        code=code,
        terms=compound_forms(f"{heading.label} {text} {code}"),
        context=context,
    )


def _preamble(place: _Place, text: str, code: str, video: str) -> Section:
    """The section of the text before the note's first heading."""
    return Section(
        path=place.rel,
        lesson=place.lesson,
        line=1,
        breadcrumb=place.lesson_label,
        anchor="",
        time="",
        video=video,
        heading="",
        prose=text,
        code=code,
        terms=compound_forms(f" {text} {code}"),
    )
