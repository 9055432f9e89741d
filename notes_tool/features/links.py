"""Links that follow: ``[[wikilinks]]`` written out as Markdown links, and links to a heading
whose anchor changed rewritten to the new anchor, everywhere in the workspace.

:func:`follow` is the index run's step (``notes index``, ``notes watch``, ``notes check``'s
planning): it compares each note's outline with the one the outline cache remembers from the
last run, and plans line edits (:class:`FileEdits`) that the index run writes with its own,
through the guarded writes. :func:`follow_anchors` does the same for anchors a command knows it
changed (``notes stamp``) and writes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from notes_tool.errors import ConcurrentEdit, NoteError, NotesError
from notes_tool.fsio import Snapshot, encode, is_inside, real_path, write_atomic
from notes_tool.generate import backlinks, linking
from notes_tool.generate.linking import Page, Resolver
from notes_tool.model import document, mdtext
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, apply, normalise
from notes_tool.stores.cache import OutlineCache, OutlineEntry
from notes_tool.structure.paths import markdown_files
from notes_tool.structure.workspace import LessonFile, Workspace

REBUILT = frozenset({"toc", "nav", "top"})
"""Regions the index run rebuilds from the headings: their links follow without us."""
Moves = dict[Path, dict[str, str]]
"""Note (real path) -> old anchor -> new anchor."""


class LinkProblem(NoteError):
    """A wikilink left as typed (ambiguous, or naming nothing): ``notes watch`` tells it too."""


@dataclass
class FileEdits:
    """Lines of one file to rewrite, and the bytes they were computed from (by hash)."""

    path: Path
    sha: str
    edits: list[Edit]
    parts: list[str]


@dataclass
class Followed:
    """What the index run's links step plans."""

    files: list[FileEdits] = field(default_factory=list)
    warnings: list[NotesError] = field(default_factory=list)
    held: dict[Path, set[Path]] = field(default_factory=dict)
    """Renamed note -> files whose links must be rewritten before its new outline is remembered
    (until then the next run sees the rename again, and retries)."""
    remembered: dict[Path, dict[str, Any]] = field(default_factory=dict)
    """What the outline cache should keep of each note these edits change, once written
    (:func:`remember` of the note as they leave it)."""


def remember(note: Note) -> dict[str, Any]:
    """What the outline cache keeps of a note for this module: its outline, how many wikilinks
    wait in it, the links it writes to other files (for backlinks) and its backlinks region."""
    region = note.region(backlinks.REGION)
    return {
        "outline": linking.outline_to_json(linking.outline_of(note)),
        "wikilinks": len(note.wikilinks),
        "out": [
            [link.href, link.line]
            for link in note.links
            if link.region is None and not link.image and not link.href.startswith("#") and "://" not in link.href
        ],
        "backlinks": normalise(note.body(region)) if region is not None else None,
    }


def _renamed(last: OutlineEntry | None, entry: OutlineEntry) -> dict[str, str]:
    """The headings renamed since the last run (their outlines compared before decoding: most
    are equal)."""
    if last is None or last is entry or not isinstance(last.links, dict) or not isinstance(entry.links, dict):
        return {}
    if last.links.get("outline") == entry.links.get("outline"):
        return {}
    before, after = _outline(last), _outline(entry)
    return linking.renamed(before, after) if before is not None and after is not None else {}


def _page(lesson_file: LessonFile, entry: OutlineEntry) -> Page | None:
    outline = _outline(entry)
    return Page(lesson_file.path, lesson_file.code, entry.title or "", outline) if outline is not None else None


def _outline(entry: OutlineEntry | None) -> linking.Outline | None:
    if entry is None or not isinstance(entry.links, dict):
        return None
    return linking.outline_from_json(entry.links.get("outline"))


def follow(
    ws: Workspace, files: list[LessonFile], cache: OutlineCache, fresh: dict[Path, tuple[str, OutlineEntry]]
) -> Followed:
    """Wikilinks to write out and links to follow to renamed headings, given each note's entry
    now (``fresh``, else the cache's) and the cache's from the last run."""
    entries: dict[LessonFile, OutlineEntry] = {}
    moves: Moves = {}
    waiting: list[Path] = []
    regions = False
    for lesson_file in files:
        key = ws.relative(lesson_file.path)
        planned = fresh.get(lesson_file.path)
        entry = planned[1] if planned is not None else cache.get(key)
        if entry is None or not isinstance(entry.links, dict):
            continue
        entries[lesson_file] = entry
        mapping = _renamed(cache.get(key), entry)
        if mapping:
            moves[real_path(lesson_file.path)] = mapping
        if entry.links.get("wikilinks"):
            waiting.append(lesson_file.path)
        regions = regions or entry.links.get("backlinks") is not None
    wanted = bool(waiting) or ws.config.backlinks or regions
    pages = [page for f, e in entries.items() if wanted and (page := _page(f, e)) is not None]
    result = Followed()
    pending: dict[Path, Pending] = {}
    if waiting:
        _write_out(Resolver(pages), [p for p in waiting if is_inside(p, ws.root)], pending, result)
    if moves:
        touched = set(_relink(ws, moves, pending, result.warnings))
        result.held = {note: touched for note in moves}
    for item in pending.values():
        if item.lines:
            done = item.done()
            result.files.append(done)
            result.remembered[item.note.path] = remember(
                document.parse(item.note.path, apply(item.note, done.edits), item.note.bom)
            )
    now: dict[Path, OutlineEntry | None] = {f.path: e for f, e in entries.items()}
    for path, links in result.remembered.items():  # (the links just written out count)
        entry = now.get(path)
        if entry is not None:
            now[path] = replace(entry, links=links)
    result.files += _backlink_edits(ws.config.backlinks, pages, now, result.remembered)
    return result


def incoming(pages: list[Page], entries: dict[Path, OutlineEntry | None]) -> dict[Path, backlinks.Incoming]:
    """Who links to each note, from what the outline cache keeps of every note."""
    outgoing = {
        path: [(str(href), int(line)) for href, line in entry.links.get("out", [])]
        for path, entry in entries.items()
        if entry is not None and isinstance(entry.links, dict)
    }
    return backlinks.incoming(pages, outgoing)


def _backlink_edits(
    enabled: bool,
    pages: list[Page],
    entries: dict[Path, OutlineEntry | None],
    remembered: dict[Path, dict[str, Any]],
) -> list[FileEdits]:
    """Each note's backlinks region brought up to date: added at its end when there are
    backlinks and none yet; removed when the setting is off."""
    found = incoming(pages, entries) if enabled else {}
    edits = []
    for page in pages:
        entry = entries[page.path]
        current = entry.links.get("backlinks") if entry is not None and isinstance(entry.links, dict) else None
        wanted = backlinks.body(page, found.get(page.path, {})) if enabled else None
        if entry is None or current == wanted or (current is None and not wanted):
            continue
        try:
            note, snapshot = document.load(page.path)
        except NotesError:
            continue
        if snapshot.digest != entry.sha:
            continue  # (saved since it was read: the next run)
        region = note.region(backlinks.REGION)
        if region is None:
            at = len(note.lines)
            text = f"\n<!-- notes:{backlinks.REGION} -->\n{wanted}<!-- /notes:{backlinks.REGION} -->\n"
            edit = Edit(at, at, text)
        elif wanted is None:  # (with the blank line that set it apart, when it ends the note)
            last = region.end + 1 == len(note.lines) and region.start > 0 and not note.lines[region.start - 1].strip()
            edit = Edit(region.start - 1 if last else region.start, region.end + 1, "")
        else:
            edit = Edit(region.start + 1, region.end, wanted)
        edits.append(FileEdits(page.path, snapshot.digest, [edit], ["backlinks"]))
        assert isinstance(entry.links, dict)
        remembered[page.path] = {**entry.links, "backlinks": wanted}
    return edits


@dataclass
class Pending:
    """One file's parse and the lines to rewrite in it."""

    note: Note
    snapshot: Snapshot
    lines: dict[int, str] = field(default_factory=dict)
    written_out: int = 0
    relinked: int = 0

    def line(self, number: int) -> str:
        return self.lines.get(number, self.note.lines[number].rstrip("\r\n"))

    def done(self) -> FileEdits:
        parts = [f"wikilinks {self.written_out}"] if self.written_out else []
        parts += [f"links {self.relinked}"] if self.relinked else []
        edits = [Edit(n, n + 1, text + "\n") for n, text in sorted(self.lines.items())]
        return FileEdits(self.note.path, self.snapshot.digest, edits, parts)


def workspace_markdown(ws: Workspace) -> list[Path]:
    """The workspace's Markdown files that links may be rewritten in: a file that is a link
    leading outside the workspace is never written through."""
    return [path for path in markdown_files([ws.root], {ws.cache_dir}) if is_inside(path, ws.root)]


def load_pending(path: Path, pending: dict[Path, Pending], warnings: list[NotesError]) -> Pending | None:
    if path not in pending:
        try:
            note, snapshot = document.load(path)
        except NotesError as exc:
            warnings.append(exc)
            return None
        pending[path] = Pending(note, snapshot)
    return pending[path]


def _write_out(resolver: Resolver, paths: list[Path], pending: dict[Path, Pending], result: Followed) -> None:
    """Each wikilink of these notes that names one heading or note, as a Markdown link."""
    for path in paths:
        item = load_pending(path, pending, result.warnings)
        if item is None:
            continue
        problems: list[NotesError] = []
        # Right to left on each line, so earlier columns stay valid.
        for link in sorted(item.note.wikilinks, key=lambda w: (w.line, -w.column)):
            found = resolver.resolve(link, path)
            if found.target is None:
                problems.append(LinkProblem(_unresolved(link, found), path, link.line + 1))
                continue
            target = found.target
            anchor = target.head.slug if target.head else ""
            here = target.page.path == path and anchor
            href = f"#{anchor}" if here else mdtext.href(target.page.path, path.parent, anchor)
            line = item.line(link.line)
            written = mdtext.link(link.label or target.text, href)
            item.lines[link.line] = line[: link.column] + written + line[link.column + len(link.raw) :]
            item.written_out += 1
        result.warnings += problems[::-1]


def _unresolved(link: document.WikiLink, found: linking.Resolved) -> str:
    names = ", ".join(t.name() for t in found.candidates)
    if found.problem == "is ambiguous":
        return f"{link.raw} is ambiguous: {names} (name the note: [[NN#heading]]); left as typed"
    closest = f" (closest: {names})" if names else ""
    return f"{link.raw} {found.problem}{closest}; left as typed"


def _relink(ws: Workspace, moves: Moves, pending: dict[Path, Pending], warnings: list[NotesError]) -> list[Path]:
    """Every link in the workspace's Markdown to an anchor that moved, rewritten to the new one."""
    wanted = {anchor for mapping in moves.values() for anchor in mapping}
    needles = {f"#{a}" for a in wanted} | {f"#{quote(a)}" for a in wanted}
    touched = []
    for path in workspace_markdown(ws):
        try:
            text = path.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if not any(needle in text for needle in needles):
            continue  # (most files: no parse)
        item = load_pending(path, pending, warnings)
        if item is not None and _relink_note(item, moves):
            touched.append(path)
    return touched


def _relink_note(item: Pending, moves: Moves) -> bool:
    note = item.note
    changed = False
    for link in note.links:
        if link.region in REBUILT:
            continue  # (rebuilt from the headings by the index run)
        found = linking.destination(note.path, link.href)
        new = moves.get(found[0], {}).get(found[1]) if found is not None and "#" in link.href else None
        if new is None:
            continue
        target_part = link.href.partition("#")[0]
        line = document.replace_destination(item.line(link.line), link.href, f"{target_part}#{new}")
        if line is not None:
            item.lines[link.line] = line
            item.relinked += 1
            changed = True
    return changed


def follow_anchors(ws: Workspace, moves: Moves) -> tuple[list[Path], list[NotesError]]:
    """Rewrite, now, every link to these notes' old anchors (``notes stamp`` calls it after it
    writes a note's times): the files written, and the problems (a file saved meanwhile is
    left as it is, and named)."""
    pending: dict[Path, Pending] = {}
    problems: list[NotesError] = []
    moves = {real_path(path): mapping for path, mapping in moves.items() if mapping}
    if not moves:
        return [], []
    _relink(ws, moves, pending, problems)
    written = []
    for item in pending.values():
        if not item.lines:
            continue
        try:
            if write_edits(item.done()):
                written.append(item.note.path)
        except NotesError as exc:
            problems.append(exc)
    return written, problems


def write_edits(change: FileEdits) -> bool:
    """Apply ``change`` to its file, unless the file changed since the edits were computed
    (:class:`ConcurrentEdit`); True when something was written."""
    note, snapshot = document.load(change.path)
    if snapshot.digest != change.sha:
        raise ConcurrentEdit("changed on disk while we worked; its links were left as you saved them", change.path)
    return write_atomic(change.path, encode(apply(note, change.edits), note.bom), snapshot)


def backlinks_of(
    ws: Workspace, files: list[LessonFile], cache: OutlineCache, fresh: dict[Path, tuple[str, OutlineEntry]], note: Path
) -> tuple[Page, backlinks.Incoming]:
    """``notes links NOTE``: the note, and who links to each of its sections (from an index
    run's plan: ``fresh``, else the cache)."""
    pages, entries = [], {}
    for lesson_file in files:
        entry = fresh[lesson_file.path][1] if lesson_file.path in fresh else cache.get(ws.relative(lesson_file.path))
        page = _page(lesson_file, entry) if entry is not None else None
        if page is not None:
            pages.append(page)
            entries[lesson_file.path] = entry
    page = next((p for p in pages if real_path(p.path) == real_path(note)), None)
    if page is None:
        raise NoteError("is not a lesson note of this workspace (or does not parse)", note)
    return page, incoming(pages, entries).get(page.path, {})
