"""A stored transcript as a Markdown page that reads well on GitHub: paragraphs of about
``PARAGRAPH`` seconds, each opening with its moment as a link into the video, and the note's own
timed sections (typed or stamped) as headings where they start, each linking back to the note."""

from __future__ import annotations

from notes_tool.model import mdtext
from notes_tool.model.timecode import format_seconds
from notes_tool.model.transcript import Phrase
from notes_tool.model.video import Video

PARAGRAPH = 45
"""Seconds of speech per paragraph (a section's start also starts one)."""


def page(
    title: str, note_href: str, number: int, video: Video, phrases: list[Phrase], sections: list[tuple[int, str, str]]
) -> str:
    """``sections``: ``(seconds, heading label, anchor)`` of the note's timed headings in this video."""
    lines = [
        f"# Transcript: {mdtext.escape(title)}",
        "",
        f"Video {number}: <{video.url}> · notes: [{mdtext.escape(title)}]({note_href})",
    ]
    pending = sorted(sections)
    paragraph: list[str] = []
    opened = 0

    def moment(seconds: int) -> str:
        return mdtext.link(format_seconds(seconds), video.at(seconds))

    def flush() -> None:
        if paragraph:
            lines.extend(["", " ".join(paragraph)])
            paragraph.clear()

    def heading(seconds: int, label: str, anchor: str) -> None:
        flush()
        lines.extend(["", f"## {moment(seconds)} {mdtext.escape(label)}", "", f"[in the notes]({note_href}#{anchor})"])

    for phrase in phrases:
        while pending and pending[0][0] <= phrase.start:
            heading(*pending.pop(0))
        if not paragraph or phrase.start - opened >= PARAGRAPH:
            flush()
            opened = phrase.start
            paragraph.append(moment(phrase.start))
        paragraph.append(mdtext.escape(phrase.text))
    flush()
    for section in pending:  # sections timed after the last phrase
        heading(*section)
    return "\n".join(lines) + "\n"
