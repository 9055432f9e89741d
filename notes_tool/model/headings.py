"""A note's headings: their text as GitHub renders and slugs it, their TOC Markdown, their
video times, and where they sit.

Part of the one parse of :mod:`notes_tool.model.document`: it walks the block tokens once and
hands each heading's tokens here (:class:`HeadingTokens`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from notes_tool.errors import NoteError
from notes_tool.model.inline import heading_text, inline, plain, toc_markdown
from notes_tool.model.regions import Comment, Region, is_omit_comment, region_at
from notes_tool.model.slugger import Slugger
from notes_tool.model.timecode import (
    HeadingTime,
    parse_heading_time,
    parse_linked_time,
    parse_trailing_time,
)
from notes_tool.printable import control_problem


@dataclass(frozen=True)
class Heading:
    """One ATX or setext heading, wherever it sits (lists and blockquotes too)."""

    level: int
    """1 to 6."""
    raw: str
    """The inline Markdown source of the heading text (closing ``#``s removed)."""
    text: str
    """The rendered plain text: what GitHub slugs (code kept, links' text kept, images dropped)."""
    markdown: str
    """The text as link-free Markdown, for a TOC entry (code and emphasis kept)."""
    line: int
    """Zero-based line of the heading (first line of a setext heading)."""
    end: int
    """Line after the heading."""
    slug: str
    """GitHub's anchor, duplicates numbered in document order."""
    nested: bool
    """Inside a list item or blockquote."""
    region: str | None
    """Name of the generated region the heading sits in, if any."""
    omit: bool
    """Marked ``<!-- omit from toc -->`` on its line or the line above."""
    time: HeadingTime | None
    """The section's typed video time, if any: the one the heading starts with (ours), else one
    ending it (``Topic (12:34)``), else a linked time opening the line under it (``> [12:34](URL)
    Title``); see :attr:`HeadingTime.form`."""
    label: str
    """Plain text without the heading's time (``Topic`` for ``12:34 Topic`` or ``Topic (12:34)``)."""
    column: int | None
    """Where ``raw`` starts on the heading's line, when it can be found there verbatim."""


@dataclass(frozen=True)
class HeadingTokens:
    """What the block walk found of one heading."""

    open: Token
    """Its ``heading_open`` token."""
    inline: Token
    """Its inline content."""
    depth: int
    """How many list items and quotes it sits in."""
    below: Token | None
    """The inline content of the paragraph under it (directly or opening a quote), if any."""

    @classmethod
    def at(cls, blocks: list[Token], index: int, depth: int) -> HeadingTokens:
        """The heading whose ``heading_open`` is ``blocks[index]``."""
        return cls(blocks[index], blocks[index + 1], depth, _inline_below(blocks, index + 3))


def read_headings(
    path: Path,
    found: list[HeadingTokens],
    env: dict[str, Any],
    lines: list[str],
    comments: list[Comment],
    regions: list[Region],
) -> list[Heading]:
    """The headings, in document order, slugged as GitHub does; a :class:`NoteError` for one
    that is not one line of text."""
    omit_lines = {c.line + 1 for c in comments if c.omits_from_toc}
    slugger = Slugger()
    headings = []
    for tokens in found:
        assert tokens.open.map is not None
        line, raw = tokens.open.map[0], tokens.inline.content
        children = inline(raw, env)
        text = heading_text(children)
        time, markdown, label = _timed(raw, tokens.below, children, text, env)
        check_one_line(path, "a heading", raw.replace("\n", " "), line)
        headings.append(
            Heading(
                level=int(tokens.open.tag[1]),
                raw=raw,
                text=text,
                markdown=markdown,
                line=line,
                end=tokens.open.map[1],
                slug=slugger.slug(text),
                nested=tokens.depth > 0,
                region=region_at(regions, line),
                omit=line in omit_lines or _omitted_inline(children),
                time=time,
                label=label.replace("\n", " ").strip(),
                column=_column(lines[line], raw),
            )
        )
    return headings


def _timed(
    raw: str, below: Token | None, children: list[Token], text: str, env: dict[str, Any]
) -> tuple[HeadingTime | None, str, str]:
    """The heading's time, its TOC entry's Markdown and its label (its text without the time)."""
    time = parse_heading_time(raw)
    if time is not None:
        # "12:34 Topic": the time as plain text (a TOC entry cannot hold a nested link).
        title_children = inline(time.title, env)
        return time, f"{time.shown} {toc_markdown(title_children)}".strip(), plain(title_children)
    markdown = toc_markdown(children)
    if (time := parse_trailing_time(raw)) is not None:
        return time, markdown, plain(inline(time.title, env))  # (its TOC entry stays as written)
    if below is not None:
        return parse_linked_time(below.content.split("\n", 1)[0]), markdown, text
    return None, markdown, text


def _omitted_inline(children: list[Token]) -> bool:
    """Whether a heading ends with ``<!-- omit from toc -->``."""
    return any(c.type == "html_inline" and is_omit_comment(c.content) for c in children)


def _inline_below(blocks: list[Token], index: int) -> Token | None:
    """The inline content of the block that follows a heading (``blocks[index]`` is the token
    after its close), when that block is a paragraph or a quote opening with one."""
    if index < len(blocks) and blocks[index].type == "blockquote_open":
        index += 1
    if index + 1 < len(blocks) and blocks[index].type == "paragraph_open":
        return blocks[index + 1]
    return None


def _column(line: str, raw: str) -> int | None:
    """Where a heading's inline source starts on its line (after ``#``s, quote or list marks)."""
    hashes = line.find("#")
    start = hashes + len(line[hashes:]) - len(line[hashes:].lstrip("#")) if hashes >= 0 else 0
    found = line.find(raw, start) if raw else -1
    if found < 0 and hashes >= 0:
        found = line.find(raw)  # a setext heading whose text holds a "#"
    return found if found >= 0 else None


def check_one_line(path: Path, what: str, text: str, line: int) -> None:
    """Refuse ``what`` (on zero-based ``line``) when it holds a control character: the tool
    writes headings (and code fences' captions) into TOCs, nav, indexes and cheat sheets, and
    prints them."""
    problem = control_problem(text, tab=True)
    if problem is not None:
        raise NoteError(f"{what} {problem}; it must be one line of text", path, line + 1)
