"""The note model: the one place that parses Markdown.

A note is parsed once with markdown-it-py (commonmark preset, so HTML comments are blocks; front
matter through mdit-py-plugins). Block structure is parsed for the whole file; inline content only
where a feature needs it (heading text now, links on first use). Line numbers are zero-based and
spans half-open, as markdown-it's ``token.map``; ``lines`` keeps each line's own ending so edits
can splice bytes back exactly (see :mod:`notes_tool.model.edit`).

This module is the entry point (:func:`parse`, :func:`load`, :class:`Note`) and the one walk over
a note's block tokens; the pieces of that parse live beside it, used by it alone: the
markdown-it parsers and inline text (:mod:`.inline`), headings and their slugs and times
(:mod:`.headings`), comments and generated regions (:mod:`.regions`), links (:mod:`.links`),
front matter (:mod:`.front_matter`) and ``[[wikilinks]]`` (:mod:`.wikilinks`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from notes_tool.fsio.read import Snapshot, decode, read_snapshot, unreadable
from notes_tool.model import wikilinks
from notes_tool.model.front_matter import load_front_matter
from notes_tool.model.headings import Heading, HeadingTokens, check_one_line, read_headings
from notes_tool.model.inline import MD, WIKI_MD, inline, plain
from notes_tool.model.links import HTML_ID, Link, links_in
from notes_tool.model.regions import Comment, Region, comment_of, find_regions, region_at
from notes_tool.model.wikilinks import WikiLink

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_INFO_ATTR = re.compile(r"""([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)""")


@dataclass(frozen=True)
class Fence:
    """A fenced code block."""

    info: str
    """The raw info string after the backticks."""
    lang: str
    """Its first word (``bash``)."""
    attrs: dict[str, str]
    """``key=value`` pairs after the language (``cheat=git``, ``title="..."``)."""
    content: str
    """The code, newline-normalised."""
    line: int
    end: int
    """Lines of the opening fence and after the closing one."""
    region: str | None
    closed: bool
    """Whether a closing fence ends it (an unclosed fence runs to the end of the file)."""


@dataclass(frozen=True)
class Block:
    """A top-level block (not inside a list or quote): ``paragraph``, ``bullet_list``..."""

    kind: str
    """markdown-it's token name without ``_open``: ``paragraph``, ``bullet_list``,
    ``ordered_list``, ``blockquote``, ``heading``, ``fence``, ``code_block``, ``html_block``..."""
    line: int
    end: int


@dataclass
class Note:
    """A parsed Markdown note. Build one with :func:`parse` or :func:`load`."""

    path: Path
    text: str
    """The decoded text, BOM removed."""
    bom: bool
    lines: list[str]
    """The text split into lines, each with its own ending (the last may have none)."""
    front_matter: dict[str, Any]
    front_matter_span: tuple[int, int] | None
    headings: list[Heading]
    fences: list[Fence]
    comments: list[Comment]
    regions: list[Region]
    """In document order; only names in :data:`REPEATABLE` may appear more than once."""
    blocks: list[Block]
    """Top-level blocks in document order."""
    _inlines: list[tuple[Token, bool]] = field(repr=False)
    """Every inline token (paragraph, heading, table cell... text), and whether it is a heading's."""
    _html: list[Token] = field(repr=False)
    """The HTML blocks."""
    _env: dict[str, Any] = field(repr=False)

    @property
    def newline(self) -> str:
        """The note's line ending, from its first line (``\\n`` for a one-line file)."""
        return first_ending(self.lines)

    @property
    def title_heading(self) -> Heading | None:
        """The note's title: its one top-level H1 outside generated regions. A note with several
        is a note of chapters: they all belong in its TOC, and it has no title heading (its
        title then comes from its front matter or its file name)."""
        top = [h for h in self.headings if h.level == 1 and not h.nested and h.region is None]
        return top[0] if len(top) == 1 else None

    @property
    def title(self) -> str | None:
        value = self.front_matter.get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
        heading = self.title_heading
        return heading.text.replace("\n", " ").strip() if heading else None  # (a setext title may span lines)

    def relinked(self, link: Link, href: str) -> str | None:
        """The line holding ``link`` with its destination replaced by ``href``; None when the
        destination is not written there verbatim (``[x](<a b.png>)``, a reference link...)."""
        line = self.lines[link.line]
        written = f"]({link.href})"
        at = line.find(written)
        if at < 0 or line.find(written, at + 1) >= 0:
            return None  # not there as written, or twice on the line: not ours to guess
        return line[:at] + f"]({href})" + line[at + len(written) :]

    def front_matter_line(self, key: str) -> int | None:
        """The 1-based line where the front matter sets ``key`` (top level), if it does."""
        if self.front_matter_span is None:
            return None
        start, end = self.front_matter_span
        for number in range(start + 1, end - 1):
            if self.lines[number].startswith((f"{key}:", f'"{key}":', f"'{key}':")):
                return number + 1
        return start + 1

    def region(self, name: str) -> Region | None:
        """The region called ``name``, if the note has one."""
        return next((r for r in self.regions if r.name == name), None)

    def region_of(self, line: int) -> str | None:
        """The name of the region whose markers or body hold ``line``."""
        return region_at(self.regions, line)

    def body(self, region: Region) -> str:
        return "".join(self.lines[region.start + 1 : region.end])

    @cached_property
    def links(self) -> list[Link]:
        """Every link and image in inline content (not in code), in document order, parsed on first use."""
        env = {"references": self.references} if self.references else {}
        found: list[Link] = []
        for token, in_heading in self._inlines:
            if token.map is None or ("[" not in token.content and "<" not in token.content):
                continue  # (no link of any kind: most prose; skips its inline parse)
            found.extend(links_in(token.map[0], token.content, env, in_heading, self.region_of(token.map[0])))
        return found

    @cached_property
    def wikilinks(self) -> list[WikiLink]:
        """Every ``[[wikilink]]`` of the prose outside generated regions, in document order."""
        env = {"references": self.references} if self.references else {}
        found: list[WikiLink] = []
        for token, in_heading in self._inlines:
            if in_heading or token.map is None or "[[" not in token.content:
                continue
            if self.region_of(token.map[0]) is None:
                found.extend(wikilinks.find(self.lines, token, env, WIKI_MD))
        return found

    @property
    def references(self) -> dict[str, Any]:
        """The note's reference definitions (``[ref]: url``), as markdown-it keeps them."""
        refs: dict[str, Any] = self._env.get("references", {})
        return refs

    @cached_property
    def html_anchors(self) -> frozenset[str]:
        """``id`` and ``name`` values in the note's HTML blocks and inline HTML (anchors GitHub keeps)."""
        found: set[str] = set()
        for token in self._html:
            found.update(HTML_ID.findall(token.content))
        for token, _ in self._inlines:
            if "<" in token.content:
                lowered = token.content.lower()
                if "id" in lowered or "name" in lowered:
                    for child in inline(token.content, self._env):
                        if child.type == "html_inline":
                            found.update(HTML_ID.findall(child.content))
        return frozenset(found)

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """``(line, plain text)`` of each paragraph-like block outside headings: the text as
        rendered (emphasis marks, link destinations and HTML gone), what a reader would quote."""
        env = {"references": self.references} if self.references else {}
        return [
            (token.map[0], plain(inline(token.content, env)))
            for token, in_heading in self._inlines
            if token.map and not in_heading
        ]


def replace_destination(line: str, old: str, new: str) -> str | None:
    """``line`` with the link destination ``old`` (written ``](old)`` or ``](old "title")``)
    made ``new`` everywhere on it; None when it is not written there verbatim."""
    found = False
    for closing in (")", " "):
        written = f"]({old}{closing}"
        if written in line:
            line = line.replace(written, f"]({new}{closing}")
            found = True
    return line if found else None


def first_ending(lines: list[str]) -> str:
    """The line ending of the first line that has one (``\\n`` when none has)."""
    for line in lines:
        stripped = line.rstrip("\r\n")
        if stripped != line:
            return line[len(stripped) :]
    return "\n"


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split where markdown-it splits (``\\r\\n``, ``\\r``, ``\\n``)."""
    if "\r" in text:
        return _LINE.findall(text)
    # Only "\n" (most notes): str.split, much faster than the pattern. Not splitlines(),
    # which also splits at form feeds, U+2028 and other breaks Markdown does not know.
    lines = text.split("\n")
    last = lines.pop()
    lines = [line + "\n" for line in lines]
    if last:
        lines.append(last)
    return lines


def parse(path: Path, text: str, bom: bool = False) -> Note:
    """Parse ``text`` (already decoded) as the note at ``path``; raise :class:`NoteError` if bad."""
    env: dict[str, Any] = {}
    lines = split_lines(text)
    scan = _scan(path, MD.parse(text, env), lines)
    regions = find_regions(path, scan.comments)
    return Note(
        path=path,
        text=text,
        bom=bom,
        lines=lines,
        front_matter=scan.front_matter,
        front_matter_span=scan.front_matter_span,
        headings=read_headings(path, scan.headings, env, lines, scan.comments, regions),
        fences=[_fence(path, token, lines, regions) for token in scan.fences],
        comments=scan.comments,
        regions=regions,
        blocks=scan.blocks,
        _inlines=scan.inlines,
        _html=scan.html,
        _env=env,
    )


@dataclass
class _Scan:
    """What :func:`parse` collects in its one walk over a note's block tokens."""

    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_span: tuple[int, int] | None = None
    comments: list[Comment] = field(default_factory=list)
    headings: list[HeadingTokens] = field(default_factory=list)
    fences: list[Token] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    inlines: list[tuple[Token, bool]] = field(default_factory=list)
    html: list[Token] = field(default_factory=list)


_NESTING = {"blockquote_open": 1, "list_item_open": 1, "blockquote_close": -1, "list_item_close": -1}
"""How each token changes the depth of lists and quotes."""


def _scan(path: Path, blocks: list[Token], lines: list[str]) -> _Scan:
    scan = _Scan()
    nesting = 0
    for index, token in enumerate(blocks):
        if token.type == "inline":
            scan.inlines.append((token, blocks[index - 1].type == "heading_open"))
            continue
        if token.level == 0 and token.nesting >= 0 and token.map is not None:
            scan.blocks.append(Block(token.type.removesuffix("_open"), token.map[0], token.map[1]))
        _collect(scan, path, blocks, index, nesting, lines)
        nesting += _NESTING.get(token.type, 0)
    return scan


def _collect(scan: _Scan, path: Path, blocks: list[Token], index: int, nesting: int, lines: list[str]) -> None:
    """Keep ``blocks[index]`` where :func:`parse` reads it if it is front matter, a heading, a
    fence or HTML."""
    token = blocks[index]
    if token.type == "front_matter" and token.map:
        scan.front_matter_span = (token.map[0], token.map[1])
        scan.front_matter = load_front_matter(path, token.content, token.map[0], lines)
    elif token.type == "heading_open":
        scan.headings.append(HeadingTokens.at(blocks, index, nesting))
    elif token.type == "fence" and token.map:
        scan.fences.append(token)
    elif token.type == "html_block" and token.map:
        scan.html.append(token)
        comment = comment_of(token, nesting > 0)
        if comment is not None:
            scan.comments.append(comment)


def _fence(path: Path, token: Token, lines: list[str], regions: list[Region]) -> Fence:
    assert token.map is not None
    info = token.info.strip()
    check_one_line(path, "a code fence's info string", info, token.map[0])
    lang, _, rest = info.partition(" ")
    attrs = {key: _unquote(value) for key, value in _INFO_ATTR.findall(rest)}
    end = token.map[1]
    closing = lines[end - 1].strip() if end - token.map[0] >= 2 and end <= len(lines) else ""
    closed = closing.startswith(token.markup) and closing.strip(token.markup[0]) == ""
    return Fence(info, lang, attrs, token.content, token.map[0], end, region_at(regions, token.map[0]), closed)


def load(path: Path) -> tuple[Note, Snapshot]:
    """Read and parse the note at ``path``; the snapshot guards a later write."""
    snapshot = read_snapshot(path)
    text, bom = decode(snapshot.data, path)
    return parse(path, text, bom), snapshot


def load_stat(path: Path) -> tuple[Note, Snapshot, os.stat_result]:
    """:func:`load`, with the file's stat taken first (what the caches trust a result by: a save
    while we read makes it older, never newer), and a file that cannot be read as a
    :class:`NoteError` (``no such file``...), like one that cannot be parsed."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise unreadable(path, exc) from None
    note, snapshot = load(path)  # (read_snapshot reports a failed read as a NoteError itself)
    return note, snapshot, stat


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\") if value[0] == '"' else inner
    return value
