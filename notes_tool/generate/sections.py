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
    heads = [h for h in note.headings if h.region is None]
    spans: list[tuple[Heading | None, int]] = [(None, 0)]
    spans += [(head, head.line) for head in heads]
    title = note.title_heading
    videos = timestamps.VideosAt(note)
    # One sweep: each paragraph and fence goes to the section its first line is in.
    starts = [start for _, start in spans]
    texts: list[list[str]] = [[] for _ in spans]
    codes: list[list[str]] = [[] for _ in spans]
    for line, text in note.prose:
        if note.region_of(line) is None:
            texts[bisect_right(starts, line) - 1].append(text.replace("\n", " "))
    for fence in note.fences:
        if fence.region is None:
            codes[bisect_right(starts, fence.line) - 1].append(fence.content)
    out = []
    stack: list[tuple[int, str]] = []
    for index, (heading, start) in enumerate(spans):
        crumbs: list[str] = []
        if heading is not None:
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            if heading is not title:
                stack.append((heading.level, heading.label))
            crumbs = [label for _, label in stack]
        text = " ".join(texts[index])
        code = "\n".join(codes[index])
        if heading is None and not text.strip() and not code.strip():
            continue
        label = heading.label if heading is not None else ""
        seconds = heading.time.seconds if heading is not None and heading.time else None
        video = videos.moment(start, seconds)
        if not video and heading is not None and heading.time and heading.time.url:
            own = parse_video(heading.time.url)  # a time linked by hand names its video
            video = own.at(heading.time.seconds) if own is not None else ""
        out.append(
            Section(
                path=rel,
                lesson=lesson,
                line=start + 1,
                breadcrumb=" › ".join([lesson_label, *crumbs]),
                anchor=heading.slug if heading is not None else "",
                time=heading.time.shown if heading is not None and heading.time else "",
                video=video,
                heading=label,
                prose=text,
                code=code,
                terms=compound_forms(f"{label} {text} {code}"),
                context=" › ".join(crumbs[:-1]) if heading is not None and heading is not title else "",
            )
        )
    return out
