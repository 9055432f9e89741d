"""Cheat sheets: marked snippets pulled out of the notes into ``cheatsheets/NAME.md``.

Two markings, both invisible on GitHub:
- a fence whose info string carries ``cheat=NAME`` (or ``cheat=git,docker``) after the
  language, optionally ``title="..."``;
- a range of prose and code between ``<!-- cheat: NAME "Title" -->`` and ``<!-- /cheat -->``.
The caption is the title, else the nearest heading above (without its time). A sheet holds its
snippets grouped by lesson, in lesson order, each with a source line: a link to the note's
heading (absolute on GitHub when the repository's URL is known, since a gist cannot follow
relative links) and the video moment when the heading is timestamped. The notes are the source
of truth: a sheet is regenerated whole, inside its ``notes:cheats`` region; what you write
around the region (an intro) is kept.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from notes_tool import document, timestamps
from notes_tool.course import Course, fallback_title
from notes_tool.document import Note
from notes_tool.edit import apply, normalise, region_edit
from notes_tool.errors import NoteError, NotesError
from notes_tool.mdtext import escape, fence, href
from notes_tool.workspace import LessonFile, Workspace

if TYPE_CHECKING:
    from notes_tool.facts import Facts

SHEETS_DIR = "cheatsheets"
REGION = "cheats"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_OPEN = re.compile(r'^cheat:\s*(?P<names>[^\s"]+)(?:\s+"(?P<title>[^"]*)")?\s*$')
_CLOSE = "/cheat"


@dataclass(frozen=True)
class Snippet:
    sheet: str
    caption: str
    body: str
    """Markdown to put in the sheet (a fence, or the marked range as written)."""
    path: Path
    line: int
    """1-based line of the marker."""
    anchor: str
    """GitHub anchor of the heading the snippet sits under ("" above every heading)."""
    heading: str
    moment: str
    """The video link at the heading's time, when the heading is timestamped."""
    time: str
    body_line: int
    """1-based line of the note where ``body``'s first line comes from."""


@dataclass
class Extracted:
    snippets: list[Snippet] = field(default_factory=list)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)


def _names(value: str, path: Path, line: int, out: Extracted) -> list[str]:
    names = []
    for name in (n.strip() for n in value.split(",")):
        if _NAME.match(name):
            names.append(name)
        else:
            out.errors.append(
                NoteError(
                    f"bad cheat sheet name {name!r}: use letters, digits, - and _ (no /, .. or leading dot)",
                    path,
                    line,
                )
            )
    return names


def extract(note: Note) -> Extracted:
    """The snippets a note marks, with warnings for marker forms we do not understand."""
    out = Extracted()
    moments: dict[int, timestamps.Timed] | None = None  # found on the first snippet: most notes have none
    tops = [h for h in note.headings if h.region is None and not h.nested]
    starts = [h.line for h in tops]

    def context(line: int) -> tuple[str, str, str, str]:
        nonlocal moments
        at = bisect_left(starts, line) - 1  # the heading above the line
        if at < 0:
            return "", "", "", ""
        if moments is None:
            moments = {t.heading.line: t for t in timestamps.timed_headings(note)}
        heading = tops[at]
        # The moment of the nearest timestamped heading among this heading and its ancestors.
        moment, time, level = "", "", heading.level + 1
        while at >= 0 and not moment and level > 1:
            ancestor = tops[at]
            timed = moments.get(ancestor.line)
            if ancestor.level < level and timed and timed.video and ancestor.time:
                moment, time = timed.video.at(ancestor.time.seconds), ancestor.time.shown
            level = min(level, ancestor.level)
            at -= 1
        return heading.slug, heading.label, moment, time

    for block in note.fences:
        if block.region is not None:
            continue
        if "cheat" not in block.attrs:
            if re.search(r"\bcheat\b", block.info):
                out.warnings.append(
                    NoteError("unknown cheat marker in the fence; write cheat=NAME", note.path, block.line + 1)
                )
            continue
        anchor, label, moment, time = context(block.line)
        caption = block.attrs.get("title") or label or "Snippet"
        body = fence(block.content, block.lang)
        for name in _names(block.attrs["cheat"], note.path, block.line + 1, out):
            out.snippets.append(
                Snippet(name, caption, body, note.path, block.line + 1, anchor, label, moment, time, block.line + 1)
            )

    opened: tuple[list[str], str, int] | None = None
    for comment in note.comments:
        text = comment.text
        if not text.lower().startswith(("cheat", "/cheat")):
            continue
        if text == _CLOSE:
            if opened is None:
                out.warnings.append(
                    NoteError("<!-- /cheat --> without an opening <!-- cheat: NAME -->", note.path, comment.line + 1)
                )
                continue
            names, title, start = opened
            body = normalise("".join(note.lines[start + 1 : comment.line])).strip("\n") + "\n"
            anchor, label, moment, time = context(start)
            for name in names:
                caption = title or label or "Snippet"
                out.snippets.append(
                    Snippet(name, caption, body, note.path, start + 1, anchor, label, moment, time, start + 2)
                )
            opened = None
            continue
        match = _OPEN.match(text)
        if match is None:
            out.warnings.append(
                NoteError(
                    f'unknown cheat marker <!-- {text} -->; write <!-- cheat: NAME "Title" -->',
                    note.path,
                    comment.line + 1,
                )
            )
            continue
        if opened is not None:
            out.warnings.append(
                NoteError(
                    "cheat range opened inside another; close it with <!-- /cheat -->",
                    note.path,
                    comment.line + 1,
                )
            )
        names = _names(match.group("names"), note.path, comment.line + 1, out)
        opened = (names, match.group("title") or "", comment.line)
    if opened is not None:
        out.warnings.append(NoteError("cheat range never closed: add <!-- /cheat -->", note.path, opened[2] + 1))
    out.snippets.sort(key=lambda s: s.line)
    return out


@dataclass
class Sheets:
    by_name: dict[str, list[tuple[LessonFile, Snippet]]] = field(default_factory=dict)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    titles: dict[LessonFile, str] = field(default_factory=dict)


def extracted_to_json(found: Extracted) -> dict[str, Any]:
    """How :mod:`notes_tool.facts` stores a note's snippets."""
    return {
        # vars(), not asdict(): the fields are plain values, and asdict's deep copy is 10x slower.
        "snippets": [{**vars(sn), "path": sn.path.as_posix()} for sn in found.snippets],
        "warnings": [[w.message, w.line] for w in found.warnings],
        "errors": [[e.message, e.line] for e in found.errors],
    }


def extracted_from_json(path: Path, data: dict[str, Any]) -> Extracted:
    return Extracted(
        snippets=[Snippet(**{**sn, "path": path}) for sn in data["snippets"]],
        warnings=[NoteError(m, path, line) for m, line in data["warnings"]],
        errors=[NoteError(m, path, line) for m, line in data["errors"]],
    )


def _facts_of(path: Path) -> tuple[Facts | None, Extracted]:
    """A note's facts, or what stops it being read (runs in a worker process for many notes)."""
    from notes_tool import facts

    try:
        note, _, stat = document.load_stat(path)
    except NotesError as exc:
        if not path.exists():
            return None, Extracted()  # deleted since the folder was listed
        return None, Extracted(errors=[exc])
    return facts.of(note, stat), Extracted()


def collect(ws: Workspace) -> Sheets:
    """Every sheet's snippets, lessons in course order, snippets in document order.

    Notes unchanged since a command last parsed them (same size and mtime) are not parsed again:
    their snippets come from the note facts (:mod:`notes_tool.facts`).
    """
    from notes_tool import facts
    from notes_tool.parallel import map_jobs

    files = ws.lesson_files()
    recalled = facts.recall_snippets(ws, [f.path for f in files])
    stale = [f for f in files if f.path not in recalled]
    parsed = map_jobs(_facts_of, [(f.path,) for f in stale])
    facts.remember(ws, [(found.path, facts.row(found)) for found, _ in parsed if found is not None])
    results = {f: recalled[f.path] for f in files if f.path in recalled}
    for lesson_file, (found, failure) in zip(stale, parsed, strict=True):
        results[lesson_file] = (found.title, found.snippets) if found is not None else (None, failure)

    sheets = Sheets()
    for lesson_file in files:
        if lesson_file not in results:
            continue
        title, extracted = results[lesson_file]
        sheets.titles[lesson_file] = title or fallback_title(lesson_file.path)
        sheets.warnings.extend(extracted.warnings)
        sheets.errors.extend(extracted.errors)
        for snippet in extracted.snippets:
            sheets.by_name.setdefault(snippet.sheet, []).append((lesson_file, snippet))
    return sheets


def sheet_path(ws: Workspace, name: str) -> Path:
    return ws.root / SHEETS_DIR / f"{name}.md"


def existing_sheets(ws: Workspace) -> list[str]:
    folder = ws.root / SHEETS_DIR
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.md") if _NAME.match(p.stem))


def blob_base(ws: Workspace) -> str | None:
    """``https://github.com/OWNER/REPO/blob/BRANCH/`` for absolute links, when known."""
    from notes_tool import gitrepo

    url, branch = ws.config.repo_url.rstrip("/"), ws.config.branch
    try:
        with gitrepo.open_repo(ws.root) as repo:
            if not url:
                url = github_web_url(next((r.url for r in repo.remotes if r.name == "origin"), "")) or ""
            if not branch and not repo.head.is_detached:
                branch = repo.active_branch.name
            top = Path(repo.working_tree_dir)
    except NotesError:
        top = ws.root
    if not url:
        return None
    prefix = ws.root.resolve().relative_to(top.resolve()).as_posix() if ws.root.resolve() != top.resolve() else ""
    return f"{url}/blob/{quote(branch or 'main')}/" + (quote(prefix) + "/" if prefix else "")


def github_web_url(remote: str) -> str | None:
    match = re.match(
        r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+)/(.+?)(?:\.git)?/?$", remote
    )
    return f"https://github.com/{match.group(1)}/{match.group(2)}" if match else None


def render_sheet(
    ws: Workspace,
    entries: list[tuple[LessonFile, Snippet]],
    course: Course,
    base: str | None,
) -> str:
    """The body of a sheet's ``notes:cheats`` region; ``course`` gives the notes' titles."""
    folder = ws.root / SHEETS_DIR
    parts: list[str] = []
    current: LessonFile | None = None
    for lesson_file, snippet in sorted(entries, key=lambda e: (e[0].sort_key, e[1].line)):
        if lesson_file != current:
            current = lesson_file
            parts.append(f"## {escape(course.entry(lesson_file).label)}\n")
            rel = ws.relative(lesson_file.path)
            page = base + quote(rel) if base else href(lesson_file.path, folder)
            title = escape(course.titles.get(lesson_file, rel))
        parts.append(f"### {escape(snippet.caption)}\n")
        parts.append(snippet.body)
        target = page + (f"#{snippet.anchor}" if snippet.anchor else "")
        source = f"Source: [{title}" + (f" › {escape(snippet.heading)}" if snippet.heading else "") + f"]({target})"
        if snippet.moment:
            source += f" · [▶ {snippet.time}]({snippet.moment})"
        parts.append(source + "\n")
    return "\n".join(parts)


def default_sheet(name: str, course: str) -> str:
    return (
        f"# {name} cheat sheet\n\n"
        f"Snippets from my {course} notes. Write your own introduction here: notes_tool keeps it.\n\n"
        f"<!-- notes:{REGION} -->\n<!-- /notes:{REGION} -->\n"
    )


@dataclass
class SheetChange:
    name: str
    path: Path
    action: str
    """``create``, ``update``, ``delete``, or ``empty`` (no snippets, but your words are kept)."""
    content: bytes | None
    snapshot_sha: str | None

    @property
    def lists_change(self) -> bool:
        """Whether the course index, which lists the sheets, must follow (a sheet came or went)."""
        return self.action in ("create", "delete")


@dataclass
class Export:
    changes: list[SheetChange] = field(default_factory=list)
    warnings: list[NotesError] = field(default_factory=list)
    errors: list[NotesError] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    fresh: dict[str, str] = field(default_factory=dict)
    """Sheet name -> digest of its region body, for sheets up to date once the changes are written."""
    workspace: Workspace | None = None
    state: dict[str, Any] = field(default_factory=dict)
    """The sheets' state as last recorded (size, mtime, body digest), read when planning."""


def plan_export(ws: Workspace) -> Export:
    from notes_tool.cache import read_json
    from notes_tool.fsio import decode, encode, read_snapshot

    sheets = collect(ws)
    result = Export(warnings=sheets.warnings, errors=sheets.errors, names=sorted(sheets.by_name), workspace=ws)
    state = result.state = read_json(ws.cache_dir, STATE_FILE)
    base = blob_base(ws)
    course = Course(ws.lessons(), sheets.titles)  # once for all the sheets: it lists every note
    for name in sorted(set(sheets.by_name) | set(existing_sheets(ws))):
        path = sheet_path(ws, name)
        entries = sheets.by_name.get(name, [])
        if not path.exists():
            if entries:
                text = default_sheet(name, ws.config.course)
                note = document.parse(path, text)
                region = note.region(REGION)
                assert region is not None
                body = render_sheet(ws, entries, course, base)
                edit = region_edit(note, region, body)
                new = apply(note, [edit] if edit else [])
                result.changes.append(SheetChange(name, path, "create", new.encode("utf-8"), None))
                result.fresh[name] = hashlib.sha256(body.encode("utf-8")).hexdigest()
            continue
        body = render_sheet(ws, entries, course, base) if entries else ""
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        last = state.get(name)
        try:
            stat = path.stat()
            if entries and last and [stat.st_size, stat.st_mtime_ns, digest] == last:
                result.fresh[name] = digest
                continue  # the sheet is as we last wrote it, and its snippets did not change
        except OSError:
            pass
        try:
            snapshot = read_snapshot(path)
            text, bom = decode(snapshot.data, path)
            note = document.parse(path, text, bom)
        except NotesError as exc:
            result.errors.append(exc)
            continue
        region = note.region(REGION)
        if region is None:
            result.warnings.append(NoteError(f"no <!-- notes:{REGION} --> region; sheet left alone", path))
            continue
        if not entries:
            untouched = normalise(text).replace(normalise(note.body(region)), "") == default_sheet(
                name, ws.config.course
            )
            if untouched:
                result.changes.append(SheetChange(name, path, "delete", None, snapshot.digest))
                continue
        edit = region_edit(note, region, body)
        result.fresh[name] = digest
        if edit is not None:
            new_bytes = encode(apply(note, [edit]), bom)
            action = "update" if entries else "empty"
            result.changes.append(SheetChange(name, path, action, new_bytes, snapshot.digest))
    return result


def write_export(export: Export) -> list[SheetChange]:
    from notes_tool.fsio import create_new, read_snapshot, write_atomic

    done = []
    failed: set[str] = set()
    for change in export.changes:
        try:
            if change.action == "create":
                assert change.content is not None
                create_new(change.path, change.content)
            elif change.action == "delete":
                current = read_snapshot(change.path)
                if current.digest != change.snapshot_sha:
                    raise NoteError("changed on disk while we worked; left as you saved it", change.path)
                change.path.unlink()
            else:
                assert change.content is not None
                snapshot = read_snapshot(change.path)
                if snapshot.digest != change.snapshot_sha:
                    raise NoteError("changed on disk while we worked; left as you saved it", change.path)
                write_atomic(change.path, change.content, snapshot)
            done.append(change)
        except NotesError as exc:
            export.errors.append(exc)
            failed.add(change.name)
    _save_state(export, failed)
    return done


STATE_FILE = "sheets.json"


def _save_state(export: Export, failed: set[str]) -> None:
    """Remember each up-to-date sheet's size, mtime and body digest (skips re-parsing it)."""
    from notes_tool.cache import write_json

    ws = export.workspace
    if ws is None:
        return
    state = {}
    for name, digest in export.fresh.items():
        if name in failed:
            continue
        try:
            stat = sheet_path(ws, name).stat()
        except OSError:
            continue
        state[name] = [stat.st_size, stat.st_mtime_ns, digest]
    if state != export.state:
        write_json(ws.cache_dir, STATE_FILE, state)
