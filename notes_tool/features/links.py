"""Links that follow: ``[[wikilinks]]`` written out as Markdown links, and links to a heading
whose anchor changed rewritten to the new anchor, everywhere in the workspace.

:func:`follow` is the index run's step (``notes index``, ``notes watch``, ``notes check``'s
planning): it compares each note's outline with the one the note store remembers from the
last run, and plans line edits (:class:`FileEdits`) that the index run writes with its own,
through the guarded writes. :func:`follow_anchors` does the same for anchors a command knows it
changed (``notes stamp``) and writes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from notes_tool.errors import ConcurrentEdit, NoteError, NotesError
from notes_tool.fsio.confine import is_inside, real_path
from notes_tool.fsio.read import Snapshot, encode
from notes_tool.fsio.write import write_atomic
from notes_tool.generate import backlinks, linking
from notes_tool.generate.linking import Page, Resolver
from notes_tool.model import document, mdtext
from notes_tool.model.document import Note
from notes_tool.model.edit import Edit, apply, normalise
from notes_tool.model.transcript import FOLDER as TRANSCRIPTS
from notes_tool.model.wikilinks import WikiLink
from notes_tool.stores import facts
from notes_tool.stores.regions import OutlineCache, OutlineEntry
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
    """What the note store should keep of each note these edits change, once written
    (:func:`remember` of the note as they leave it)."""


def remember(note: Note) -> dict[str, Any]:
    """What the note store keeps of a note for this module: its outline, how many wikilinks
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
        "title": note.title or "",
    }


def summary(data: dict[str, Any]) -> dict[str, Any]:
    """What a note's ``regions`` record keeps of :func:`remember`'s data (every record's is read
    each run: the outline itself is kept apart, read only when links are followed)."""
    return {"wikilinks": data.get("wikilinks", 0), "backlinks": data.get("backlinks")}


class Outlines:
    """Each note's :func:`remember` data: from this run's parses (``parsed``, which it adds
    to), else as the note store last kept it, else parsed now."""

    def __init__(self, ws: Workspace, parsed: dict[Path, dict[str, Any]], stored: bool):
        self.ws = ws
        self.parsed = parsed
        self._stored: dict[Path, dict[str, Any]] | None = None if stored else {}

    def get(self, path: Path) -> dict[str, Any] | None:
        if path in self.parsed:
            return self.parsed[path]
        if self._stored is None:
            self._stored = facts.load_outlines(self.ws)
        data = self._stored.get(path)
        if data is None:
            if not is_inside(path, self.ws.root):
                return None  # (a note linked outside the workspace is never read)
            try:
                data = self.parsed[path] = remember(document.load(path)[0])
            except NotesError:
                return None
        return data


def _renamed(last: dict[str, Any] | None, now: dict[str, Any]) -> dict[str, str]:
    """The headings renamed since the last run (the outlines compared before decoding: most
    are equal)."""
    if last is None or last.get("outline") == now.get("outline"):
        return {}
    before, after = linking.outline_from_json(last.get("outline")), linking.outline_from_json(now.get("outline"))
    return linking.renamed(before, after) if before is not None and after is not None else {}


def _page(lesson_file: LessonFile, data: dict[str, Any] | None) -> Page | None:
    outline = linking.outline_from_json(data.get("outline")) if data is not None else None
    if data is None or outline is None:
        return None
    return Page(lesson_file.path, lesson_file.code, str(data.get("title") or ""), outline)


def follow(
    ws: Workspace,
    files: list[LessonFile],
    cache: OutlineCache,
    fresh: dict[Path, tuple[str, OutlineEntry]],
    parsed: dict[Path, dict[str, Any]],
) -> Followed:
    """Wikilinks to write out, links to follow to renamed headings and backlinks regions, given
    each note's entry now (``fresh``, else the cache's) and the data of the notes this run
    parsed (``parsed``: compared with what the note store kept from the last run)."""
    stored = cache.ws is not None
    state = _State.of(ws, files, cache, fresh, parsed, stored)
    outlines = Outlines(ws, parsed, stored)
    wanted = bool(state.waiting) or ws.config.backlinks or state.regions
    pages = _pages(state.entries, outlines) if wanted else []
    result = Followed()
    pending: dict[Path, Pending] = {}
    if state.waiting:
        _write_out(Resolver(pages), [p for p in state.waiting if is_inside(p, ws.root)], pending, result)
    if state.moves:  # (a renamed note's outline is remembered once every link to it is rewritten)
        touched = set(_relink(ws, state.moves, pending, result.warnings))
        result.held = {note: touched for note in state.moves}
    _done(pending, result)
    if wanted:
        data = {p.path: result.remembered.get(p.path) or outlines.get(p.path) or {} for p in pages}
        current = {f.path: e for f, e in state.entries.items()}
        result.files += _backlink_edits(ws.config.backlinks, pages, current, data, result.remembered)
    return result


def _pages(entries: dict[LessonFile, OutlineEntry], outlines: Outlines) -> list[Page]:
    """The lesson notes whose outline is known, as pages links can lead to."""
    return [page for f in entries if (page := _page(f, outlines.get(f.path))) is not None]


def _done(pending: dict[Path, Pending], result: Followed) -> None:
    """The files with lines to rewrite, and what each will hold once written (remembered)."""
    for item in pending.values():
        if item.lines:
            done = item.done()
            result.files.append(done)
            result.remembered[item.note.path] = remember(
                document.parse(item.note.path, apply(item.note, done.edits), item.note.bom)
            )


@dataclass
class _State:
    """What the records say of the notes' links: each lesson note's entry, the headings renamed
    since the last run, the notes with wikilinks waiting, whether any has a backlinks region."""

    entries: dict[LessonFile, OutlineEntry] = field(default_factory=dict)
    moves: Moves = field(default_factory=dict)
    waiting: list[Path] = field(default_factory=list)
    regions: bool = False

    @classmethod
    def of(
        cls,
        ws: Workspace,
        files: list[LessonFile],
        cache: OutlineCache,
        fresh: dict[Path, tuple[str, OutlineEntry]],
        parsed: dict[Path, dict[str, Any]],
        stored: bool,
    ) -> _State:
        previous = facts.load_outlines(ws, list(parsed)) if stored and parsed else {}
        state = cls()
        for lesson_file in files:
            planned = fresh.get(lesson_file.path)
            entry = planned[1] if planned is not None else cache.get(ws.relative(lesson_file.path))
            if entry is None or not isinstance(entry.links, dict):
                continue
            state.entries[lesson_file] = entry
            if lesson_file.path in parsed:
                mapping = _renamed(previous.get(lesson_file.path), parsed[lesson_file.path])
                if mapping:
                    state.moves[real_path(lesson_file.path)] = mapping
            if entry.links.get("wikilinks"):
                state.waiting.append(lesson_file.path)
            state.regions = state.regions or entry.links.get("backlinks") is not None
        return state


def incoming(pages: list[Page], data: dict[Path, dict[str, Any]]) -> dict[Path, backlinks.Incoming]:
    """Who links to each note, from each note's :func:`remember` data."""
    outgoing = {path: [(str(href), int(line)) for href, line in value.get("out", [])] for path, value in data.items()}
    return backlinks.incoming(pages, outgoing)


def _backlink_edits(
    enabled: bool,
    pages: list[Page],
    entries: dict[Path, OutlineEntry],
    data: dict[Path, dict[str, Any]],
    remembered: dict[Path, dict[str, Any]],
) -> list[FileEdits]:
    """Each note's backlinks region brought up to date: added at its end when there are
    backlinks and none yet; removed when the setting is off."""
    found = incoming(pages, data) if enabled else {}
    edits = []
    for page in pages:
        entry = entries[page.path]
        current = entry.links.get("backlinks") if isinstance(entry.links, dict) else None
        wanted = backlinks.body(page, found.get(page.path, {})) if enabled else None
        if current == wanted or (current is None and not wanted):
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
        remembered[page.path] = {**data[page.path], "backlinks": wanted}
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
    """The workspace's Markdown files that links may be rewritten in: its notes (what
    :meth:`Workspace.notes` lists: nothing in a virtual environment, ``node_modules``, a hidden
    folder or what ``.gitignore`` ignores), the course index, the cheat sheets and the
    transcript pages. A file that is a link leading outside the workspace is never written
    through."""
    sheets = [ws.sheet_path(name) for name in ws.existing_sheets()]
    pages = markdown_files([ws.notes_dir / TRANSCRIPTS], set())
    tools = [path for path in [ws.index_path, *sheets, *pages] if path.is_file() and is_inside(path, ws.root)]
    return list(dict.fromkeys([*ws.notes(), *tools]))


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


def _unresolved(link: WikiLink, found: linking.Resolved) -> str:
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
            if write_edits(item.done(), ws.root):
                written.append(item.note.path)
        except NotesError as exc:
            problems.append(exc)
    return written, problems


def write_edits(change: FileEdits, root: Path) -> bool:
    """Apply ``change`` to its file (inside ``root``, links followed), unless the file changed
    since the edits were computed (:class:`ConcurrentEdit`); True when something was written."""
    note, snapshot = document.load(change.path)
    if snapshot.digest != change.sha:
        raise ConcurrentEdit("changed on disk while we worked; its links were left as you saved them", change.path)
    return write_atomic(change.path, encode(apply(note, change.edits), note.bom), snapshot, within=root)


def backlinks_of(
    ws: Workspace, files: list[LessonFile], plan: dict[Path, dict[str, Any]], note: Path
) -> tuple[Page, backlinks.Incoming]:
    """``notes links NOTE``: the note, and who links to each of its sections (``plan``: the
    data of the notes an index run's plan parsed; the others' as stored)."""
    outlines = Outlines(ws, plan, stored=True)
    found: dict[Path, dict[str, Any]] = {}
    pages = []
    for lesson_file in files:
        data = outlines.get(lesson_file.path)
        page = _page(lesson_file, data)
        if page is not None and data is not None:
            pages.append(page)
            found[page.path] = data
    page = next((p for p in pages if real_path(p.path) == real_path(note)), None)
    if page is None:
        raise NoteError("is not a lesson note of this workspace (or does not parse)", note)
    return page, incoming(pages, found).get(page.path, {})
