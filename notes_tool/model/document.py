"""The note model: the one place that parses Markdown.

A note is parsed once with markdown-it-py (commonmark preset, so HTML comments are blocks; front
matter through mdit-py-plugins). Block structure is parsed for the whole file; inline content only
where a feature needs it (heading text now, links on first use). Line numbers are zero-based and
spans half-open, as markdown-it's ``token.map``; ``lines`` keeps each line's own ending so edits
can splice bytes back exactly (see :mod:`notes_tool.model.edit`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from notes_tool.errors import NoteError
from notes_tool.fsio import Snapshot, decode, read_snapshot, unreadable
from notes_tool.model import wikilinks
from notes_tool.model.front_matter import load_front_matter
from notes_tool.model.mdtext import escape
from notes_tool.model.slugger import Slugger
from notes_tool.model.timecode import (
    HeadingTime,
    parse_heading_time,
    parse_linked_time,
    parse_trailing_time,
)
from notes_tool.model.wikilinks import WikiLink
from notes_tool.printable import control_problem

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_MARKER = re.compile(r"^\s*(/?)notes:([A-Za-z0-9_-]+)\s*$")
_OMIT = re.compile(r"^\s*omit (?:from|in) toc\s*$", re.IGNORECASE)
_INFO_ATTR = re.compile(r"""([A-Za-z_][\w-]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']+)""")


REPEATABLE = frozenset({"top", "nav"})
"""Region names that may appear many times in a note (a "back to the top" link per section; the
navigation above the note and below it)."""


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md.disable("inline")  # block structure only; inline content is parsed on demand
    # We never render HTML, so keep every link (markdown-it drops file: and data: ones as unsafe),
    # as written: no percent-encoding (a third of a link-heavy note's inline parse), so hrefs
    # compare with file names and slugs directly; code that resolves them unquotes, as GitHub does.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


_HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


_MD = _markdown()

_WIKI_MD = _markdown()
_WIKI_MD.inline.ruler.before("link", "wikilink", wikilinks.rule)
"""The inline parser with ``[[wikilinks]]``: used only to find them (every other reading of a
note sees ``[[x]]`` as the literal text GitHub shows)."""


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


@dataclass(frozen=True)
class Comment:
    """An HTML comment that is a block on its own line (``<!-- ... -->``)."""

    text: str
    """What is between ``<!--`` and ``-->``, stripped."""
    line: int
    nested: bool

    @property
    def omits_from_toc(self) -> bool:
        """``<!-- omit from toc -->``: the heading on the next line is left out of the TOC."""
        return _OMIT.match(self.text) is not None


@dataclass(frozen=True)
class Region:
    """A generated region: ``<!-- notes:NAME -->`` ... ``<!-- /notes:NAME -->``."""

    name: str
    start: int
    """Line of the opening marker."""
    end: int
    """Line of the closing marker; the body is ``start + 1 .. end``."""


@dataclass(frozen=True)
class Link:
    """A link or image in the prose, with the line it is on."""

    href: str
    text: str
    line: int
    image: bool
    region: str | None
    """The generated region it sits in, if any."""
    heading: bool = False
    """Written in a heading."""


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
        return _region_at(self.regions, line)

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
            found.extend(_links_in(token.map[0], token.content, env, in_heading, self.region_of(token.map[0])))
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
                found.extend(wikilinks.find(self.lines, token, env, _WIKI_MD))
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
            found.update(_HTML_ID.findall(token.content))
        for token, _ in self._inlines:
            if "<" in token.content:
                lowered = token.content.lower()
                if "id" in lowered or "name" in lowered:
                    for child in _inline(token.content, self._env):
                        if child.type == "html_inline":
                            found.update(_HTML_ID.findall(child.content))
        return frozenset(found)

    @cached_property
    def prose(self) -> list[tuple[int, str]]:
        """``(line, plain text)`` of each paragraph-like block outside headings: the text as
        rendered (emphasis marks, link destinations and HTML gone), what a reader would quote."""
        env = {"references": self.references} if self.references else {}
        return [
            (token.map[0], _plain(_inline(token.content, env)))
            for token, in_heading in self._inlines
            if token.map and not in_heading
        ]


def _links_in(first: int, content: str, env: dict[str, Any], in_heading: bool, region: str | None) -> list[Link]:
    """The links and images of one block's inline source, which starts on line ``first``."""
    line = first
    found: list[Link] = []
    stack: list[tuple[str, int, list[str]]] = []
    for child in _inline(content, env):
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            stack.append((str(child.attrs.get("href", "")), line, []))
        elif child.type == "link_close" and stack:
            href, at, parts = stack.pop()
            found.append(Link(href, "".join(parts), at, False, region, in_heading))
        elif child.type == "image":
            found.append(Link(str(child.attrs.get("src", "")), child.content, line, True, region, in_heading))
        elif stack and child.type in ("text", "text_special", "code_inline"):
            stack[-1][2].append(child.content)
    return found


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


def _heading_text(children: list[Token]) -> str:
    """A heading's plain text as GitHub slugs it: code and links' text kept, images dropped."""
    return _plain([c for c in children if c.type != "image"])


def _inline(content: str, env: dict[str, Any]) -> list[Token]:
    children: list[Token] = []
    _MD.inline.parse(content, _MD, env, children)
    return children


def _plain(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _toc_markdown(children: list[Token]) -> str:
    """Inline Markdown without links, images or HTML: safe as a TOC link's text."""
    parts = []
    for child in children:
        if child.type in ("text", "text_special"):
            parts.append(escape(child.content))
        elif child.type == "code_inline":
            ticks = "`" * (max((len(r) for r in re.findall("`+", child.content)), default=0) + 1)
            pad = " " if child.content.startswith("`") or child.content.endswith("`") else ""
            parts.append(f"{ticks}{pad}{child.content}{pad}{ticks}")
        elif child.type in ("em_open", "em_close", "strong_open", "strong_close"):
            parts.append(child.markup)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


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
    blocks = _MD.parse(text, env)
    lines = split_lines(text)

    front_matter: dict[str, Any] = {}
    fm_span: tuple[int, int] | None = None
    comments: list[Comment] = []
    heading_tokens: list[tuple[Token, Token, int, Token | None]] = []
    fence_tokens: list[Token] = []
    nesting = 0
    top_blocks: list[Block] = []
    inlines: list[tuple[Token, bool]] = []
    html: list[Token] = []
    for index, token in enumerate(blocks):
        if token.type == "inline":
            inlines.append((token, blocks[index - 1].type == "heading_open"))
            continue
        if token.level == 0 and token.nesting >= 0 and token.map is not None:
            top_blocks.append(Block(token.type.removesuffix("_open"), token.map[0], token.map[1]))
        if token.type == "front_matter" and token.map:
            fm_span = (token.map[0], token.map[1])
            front_matter = load_front_matter(path, token.content, token.map[0], lines)
        elif token.type == "heading_open":
            heading_tokens.append((token, blocks[index + 1], nesting, _inline_below(blocks, index + 3)))
        elif token.type == "fence" and token.map:
            fence_tokens.append(token)
        elif token.type == "html_block" and token.map:
            html.append(token)
            match = _COMMENT.fullmatch(token.content.strip())
            if match and token.map[1] - token.map[0] == 1:
                comments.append(Comment(match.group(1).strip(), token.map[0], nesting > 0))
        if token.type in ("blockquote_open", "list_item_open"):
            nesting += 1
        elif token.type in ("blockquote_close", "list_item_close"):
            nesting -= 1

    regions = _regions(path, comments)

    omit_lines = {c.line + 1 for c in comments if c.omits_from_toc}
    slugger = Slugger()
    headings = []
    for open_token, inline_token, depth, below in heading_tokens:
        assert open_token.map is not None
        children = _inline(inline_token.content, env)
        omit = open_token.map[0] in omit_lines or any(
            c.type == "html_inline" and _is_omit_comment(c.content) for c in children
        )
        plain = _heading_text(children)
        time = parse_heading_time(inline_token.content)
        markdown = _toc_markdown(children)
        label = plain
        if time is not None:
            # "12:34 Topic": the time as plain text (a TOC entry cannot hold a nested link).
            title_children = _inline(time.title, env)
            markdown = f"{time.shown} {_toc_markdown(title_children)}".strip()
            label = _plain(title_children)
        elif (time := parse_trailing_time(inline_token.content)) is not None:
            label = _plain(_inline(time.title, env))  # (its TOC entry stays as written)
        elif below is not None:
            time = parse_linked_time(below.content.split("\n", 1)[0])
        _check_one_line(path, "a heading", inline_token.content.replace("\n", " "), open_token.map[0])
        headings.append(
            Heading(
                level=int(open_token.tag[1]),
                raw=inline_token.content,
                text=plain,
                markdown=markdown,
                line=open_token.map[0],
                end=open_token.map[1],
                slug=slugger.slug(plain),
                nested=depth > 0,
                region=_region_at(regions, open_token.map[0]),
                omit=omit,
                time=time,
                label=label.replace("\n", " ").strip(),
                column=_column(lines[open_token.map[0]], inline_token.content),
            )
        )

    fences = []
    for token in fence_tokens:
        assert token.map is not None
        info = token.info.strip()
        _check_one_line(path, "a code fence's info string", info, token.map[0])
        lang, _, rest = info.partition(" ")
        attrs = {key: _unquote(value) for key, value in _INFO_ATTR.findall(rest)}
        end = token.map[1]
        closing = lines[end - 1].strip() if end - token.map[0] >= 2 and end <= len(lines) else ""
        closed = closing.startswith(token.markup) and closing.strip(token.markup[0]) == ""
        fences.append(
            Fence(
                info,
                lang,
                attrs,
                token.content,
                token.map[0],
                end,
                _region_at(regions, token.map[0]),
                closed,
            )
        )

    return Note(
        path=path,
        text=text,
        bom=bom,
        lines=lines,
        front_matter=front_matter,
        front_matter_span=fm_span,
        headings=headings,
        fences=fences,
        comments=comments,
        regions=regions,
        blocks=top_blocks,
        _inlines=inlines,
        _html=html,
        _env=env,
    )


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


def _is_omit_comment(html: str) -> bool:
    match = _COMMENT.fullmatch(html.strip())
    return match is not None and _OMIT.match(match.group(1)) is not None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\") if value[0] == '"' else inner
    return value


def _check_one_line(path: Path, what: str, text: str, line: int) -> None:
    """Refuse ``what`` (on zero-based ``line``) when it holds a control character: the tool
    writes headings into TOCs, nav, indexes and cheat sheets, and prints them."""
    problem = control_problem(text, tab=True)
    if problem is not None:
        raise NoteError(f"{what} {problem}; it must be one line of text", path, line + 1)


def _region_at(regions: list[Region], line: int) -> str | None:
    for region in regions:
        if region.start <= line <= region.end:
            return region.name
    return None


def _regions(path: Path, comments: list[Comment]) -> list[Region]:
    regions: list[Region] = []
    seen: set[str] = set()
    open_name: str | None = None
    open_line = 0
    for comment in comments:
        match = _MARKER.match(comment.text)
        if match is None:
            continue
        closing, name = match.group(1) == "/", match.group(2)
        if comment.nested:
            raise NoteError(f"region marker notes:{name} must not sit inside a list or quote", path, comment.line + 1)
        if not closing:
            if open_name is not None:
                raise NoteError(
                    f"region notes:{name} opens inside notes:{open_name} (opened on line "
                    f"{open_line + 1}); regions cannot nest",
                    path,
                    comment.line + 1,
                )
            if name in seen and name not in REPEATABLE:
                raise NoteError(f"region notes:{name} appears twice", path, comment.line + 1)
            open_name, open_line = name, comment.line
        else:
            if open_name is None:
                raise NoteError(f"closing /notes:{name} without an opening marker", path, comment.line + 1)
            if name != open_name:
                raise NoteError(
                    f"closing /notes:{name} does not match notes:{open_name} opened on line {open_line + 1}",
                    path,
                    comment.line + 1,
                )
            regions.append(Region(name, open_line, comment.line))
            seen.add(name)
            open_name = None
    if open_name is not None:
        raise NoteError(
            f"region notes:{open_name} is never closed (add <!-- /notes:{open_name} -->)",
            path,
            open_line + 1,
        )
    return regions
