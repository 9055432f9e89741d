"""What a note says, without what the tool generates: the words ``notes commit`` compares with
the committed version to say what was learned.

Left out: generated regions (with their markers), the link a timestamp heading is given, blank
lines and trailing spaces (moving them about is not a change of notes). :class:`Learned` is the
digest of it, per section, small enough to keep in the note store: a commit compares the
committed version's parse with it instead of parsing the note again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from notes_tool.generate import timestamps
from notes_tool.model.document import Note


def user_text(note: Note) -> str:
    """The note without what the tool generates (regions with their markers, heading time links)."""
    return _user_text(note, _kept(note))


def sections(note: Note) -> dict[str, tuple[int, str]]:
    """Section label (``level:label``) -> the line of its heading and its text without generated
    regions (what the user wrote); the title heading is not a section."""
    return _sections(note, _kept(note))


def _kept(note: Note) -> list[str | None]:
    """Each line as the user wrote it, without trailing spaces; None for a blank line or a line
    of a generated region."""
    kept: list[str | None] = [line.rstrip() or None for line in note.lines]
    for region in note.regions:
        kept[region.start : region.end + 1] = [None] * len(kept[region.start : region.end + 1])
    return kept


def _user_text(note: Note, kept: list[str | None]) -> str:
    lines = list(kept)
    for heading in note.headings:
        if heading.time is not None and lines[heading.line] is not None:
            lines[heading.line] = f"{heading.level} {heading.time.shown} {heading.label}".rstrip()
    return "\n".join(line for line in lines if line is not None)


def _sections(note: Note, kept: list[str | None]) -> dict[str, tuple[int, str]]:
    heads = [h for h in note.headings if not h.nested and h.region is None]
    title = note.title_heading
    out: dict[str, tuple[int, str]] = {}
    for at, heading in enumerate(heads):
        if heading is title:
            continue
        end = heads[at + 1].line if at + 1 < len(heads) else len(note.lines)
        body = "\n".join(line for line in kept[heading.end : end] if line is not None)
        label = f"{heading.level}:{heading.label}"
        line, before = out.get(label, (heading.line, ""))
        out[label] = (line, before + body)
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Learned:
    """A note's user text and sections, as digests (picklable, kept in the note store)."""

    text: str
    """Digest of :func:`user_text`."""
    sections: tuple[tuple[str, str, int | None], ...]
    """Each section's label, the digest of its text, and which of the note's videos it is under
    (1-based; None when the note has fewer than two: then the number says nothing)."""

    def changed_since(self, old: Note) -> list[tuple[str, int | None]] | None:
        """The sections (label, video) whose text differs in ``old`` (the committed version), in
        note order; None when the user text is the same."""
        if _digest(user_text(old)) == self.text:
            return None
        before = {label: _digest(body) for label, (_, body) in sections(old).items()}
        return [(label, video) for label, digest, video in self.sections if before.get(label) != digest]

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "sections": [list(s) for s in self.sections]}

    @classmethod
    def from_json(cls, data: Any) -> Learned:
        """What :meth:`to_json` gave (ValueError, KeyError or TypeError when it is not that)."""
        found = tuple((str(label), str(digest), _number(video)) for label, digest, video in data["sections"])
        return cls(str(data["text"]), found)


def _number(value: Any) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise TypeError("not a video number")
    return value


def of(note: Note) -> Learned:
    """The digests of ``note``'s user text and sections."""
    kept = _kept(note)
    found = _sections(note, kept)
    several = len(timestamps.videos_of(note)) >= 2  # "11.3" only means something when there are several
    videos = timestamps.video_numbers_at(note, [line for line, _ in found.values()]) if several else []
    return Learned(
        _digest(_user_text(note, kept)),
        tuple(
            (label, _digest(body), videos[at] if several else None)
            for at, (label, (_, body)) in enumerate(found.items())
        ),
    )
