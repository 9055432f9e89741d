"""``notes check``: links that rot, and (in a workspace) everything ``notes`` keeps that is stale.

For any folder of Markdown: relative links and images to missing files (exact case, as GitHub
sees it), and ``#anchors`` that no heading of the target note has (the TOC's slug rules).
External URLs are never fetched. In a workspace also: stale generated regions, timestamped
headings with no video, duplicate lesson numbers, and hand-made TOCs ``--adopt`` could manage.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from notes_tool.errors import NotesError
from notes_tool.fsio import is_inside
from notes_tool.workspace import SKIPPED_FOLDERS, Workspace

if TYPE_CHECKING:
    from notes_tool.facts import Facts
    from notes_tool.index import Local, Settings

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    message: str
    error: bool = True

    def sort_key(self) -> tuple[str, int]:
        return (self.path.as_posix(), self.line or 0)


@dataclass(frozen=True)
class Scanned:
    """What a check knows of one Markdown file (picklable, from a worker process)."""

    path: Path
    facts: Facts | None
    """None when the file could not be read or parsed (``error`` says why)."""
    error: NotesError | None = None
    local: Local | None = None
    """``notes index``'s phase A from the same parse, when asked for (for the stale-regions check)."""


def scan(path: Path, settings: Settings | None = None) -> Scanned:
    """What a check needs of one file, from one parse; with ``settings``, also index's phase A."""
    from notes_tool import document, facts, index

    try:
        note, snapshot, stat = document.load_stat(path)
    except NotesError as exc:
        return Scanned(path, None, exc, index.failed(path, exc) if settings else None)
    local = index.analyse_note(note, snapshot, stat, settings, keep=False) if settings is not None else None
    return Scanned(path, facts.of(note, stat).with_links(), None, local)


def markdown_files(roots: list[Path], skip: set[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and Path(folder, d) not in skip)
            found.extend(Path(folder, f) for f in sorted(files) if f.lower().endswith((".md", ".markdown")))
    return found


class _Names:
    """Exact-case file names per folder: GitHub is case-sensitive even where your disk is not."""

    def __init__(self) -> None:
        self._cache: dict[Path, set[str] | None] = {}

    def listing(self, folder: Path) -> set[str] | None:
        if folder not in self._cache:
            try:
                self._cache[folder] = set(os.listdir(folder))
            except OSError:
                self._cache[folder] = None
        return self._cache[folder]

    def check(self, target: Path, base: Path) -> str | None:
        """None when ``target`` exists with exactly this case; else what is wrong."""
        if not os.path.lexists(target):
            return "missing"
        relative = Path(os.path.relpath(target, base)) if is_inside(target, base) else None
        if relative is None:
            return None
        folder = base
        for part in relative.parts:
            if part in ("..", "."):
                folder = (folder / part).resolve()
                continue
            names = self.listing(folder)
            if names is not None and part not in names:
                match = next((n for n in names if n.lower() == part.lower()), None)
                if match is not None:
                    return f"case: the file is {match!r}"
            folder = folder / part
        return None


def check_links(scanned: list[Scanned], top: Path) -> list[Problem]:
    """Problems with the relative links of ``scanned`` files; ``top`` is where ``/x`` points."""
    by_path = {s.path.resolve(): s for s in scanned}
    names = _Names()
    problems: list[Problem] = []
    targets: dict[str, tuple[str | None, Path]] = {}
    """Link target (joined, ``..`` folded as in a URL) -> (what is wrong with it, its real path):
    notes link to the same files again and again, and each look costs system calls."""
    extra: dict[Path, Scanned] = {}
    for item in scanned:
        if item.facts is None:
            if item.error is not None:
                problems.append(Problem(item.error.path or item.path, item.error.line, item.error.message))
            continue
        folder = os.fspath(item.path.parent)
        here = item.facts
        for href, line, image in here.links:
            if not href or _SCHEME.match(href) or href.startswith("//"):
                continue  # external: never fetched
            target_part, _, anchor = href.partition("#")
            what = "image" if image else "link"
            target: Facts | None = here
            if target_part:
                decoded = unquote(target_part.split("?", 1)[0])
                rooted = decoded.startswith("/")
                key = os.path.normpath(os.path.join(os.fspath(top) if rooted else folder, decoded.lstrip("/")))
                known = targets.get(key)
                if known is None:
                    path = Path(key)
                    known = targets[key] = (names.check(path, top), path.resolve())
                state, resolved = known
                if state == "missing":
                    problems.append(Problem(item.path, line, f"{what} to a missing file: {target_part}"))
                    continue
                if state is not None:
                    problems.append(
                        Problem(item.path, line, f"{what} {target_part!r} differs in {state} (breaks on GitHub)")
                    )
                    continue
                if not anchor or resolved.suffix.lower() not in (".md", ".markdown") or resolved.is_dir():
                    continue
                if resolved not in by_path and resolved not in extra:
                    extra[resolved] = scan(resolved)
                target = (by_path.get(resolved) or extra[resolved]).facts
            if not anchor or target is None:
                continue
            wanted = unquote(anchor)
            if wanted in target.anchors or wanted in target.ids or wanted.lower() == "top":
                continue
            hint = difflib.get_close_matches(wanted, sorted(target.anchors), n=1)
            where = "this note" if target is here else target.path.name
            suggestion = f" (did you mean #{hint[0]}?)" if hint else ""
            problems.append(Problem(item.path, line, f"no heading in {where} has the anchor #{wanted}{suggestion}"))
    return problems


def scan_all(paths: list[Path], settings: Settings | None = None, phase_a: set[Path] | None = None) -> list[Scanned]:
    """Scan every file on every core; the ones in ``phase_a`` also get index's phase A."""
    from notes_tool.parallel import map_jobs

    wanted = phase_a or set()
    return map_jobs(scan, [(p, settings if p in wanted else None) for p in paths])


def git_top(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / ".git").exists():
            return folder
    return None


def run_check(roots: list[Path], ws: Workspace | None) -> list[Problem]:
    """Every problem under ``roots`` (files or folders), one each, sorted by file and line."""
    from notes_tool import facts, index

    skip = {ws.cache_dir} if ws is not None else set()
    files = markdown_files(roots, skip)
    real = {f: f.resolve() for f in files}  # once: each costs system calls, and there may be thousands
    recalled: dict[Path, Facts] = {}
    stale: set[Path] = set()
    settings = None
    if ws is not None:
        # Notes parsed since their last save (by `notes index`, the watcher, an earlier check)
        # are not parsed again: their facts are stored. The others are; those the outline cache
        # does not know as they are also get index's phase A from the same parse, so checking a
        # never-indexed workspace (a fresh clone in CI) parses each note once.
        recalled = facts.recall(ws, files)
        stale = {p.resolve() for p in index.unknown_notes(ws)}
        settings = index.Settings.of(ws.config)
    parse = [f for f in files if f not in recalled or real[f] in stale]
    scanned = scan_all(parse, settings, {f for f in parse if real[f] in stale})
    parsed = {s.path: s for s in scanned}
    every = [parsed.get(f) or Scanned(f, recalled[f]) for f in files]
    top = git_top(roots[0]) or (ws.root if ws is not None else roots[0])
    problems = check_links(every, top)
    if ws is not None:
        # Stored before the export below reads them: the notes just parsed, and the facts kept
        # by `notes index`, which come with their links unparsed (check_links parsed them).
        unparsed = [found for path, found in recalled.items() if path not in parsed and found.parsed is None]
        new = [s.facts for s in scanned if s.facts is not None]
        facts.remember(ws, [(found.path, facts.row(found.with_links())) for found in [*new, *unparsed]])
        facts.forget_missing(ws)
    for item in every:
        for what in item.facts.adoptable if item.facts is not None else ():
            problems.append(Problem(item.path, None, f"{what}: `notes index --adopt` can manage it", error=False))
    if ws is not None:
        # Keyed by the real path: the workspace names its notes so, whatever PATHs were given.
        analysed = {real[s.path]: s.local for s in scanned if s.local is not None}
        problems.extend(_workspace_problems(ws, analysed))
    wanted = set(real.values())
    unique: dict[tuple[str, int, str], Problem] = {}
    for problem in problems:
        inside = problem.path.resolve() in wanted or any(is_inside(problem.path, r) for r in roots if r.is_dir())
        if inside:
            unique.setdefault((problem.path.resolve().as_posix(), problem.line or 0, problem.message), problem)
    return sorted(unique.values(), key=Problem.sort_key)


def _workspace_problems(ws: Workspace, analysed: dict[Path, Local]) -> list[Problem]:
    from notes_tool import index

    problems = []
    for lesson in ws.lessons():
        for duplicate in lesson.duplicates:
            main = lesson.main.path.name if lesson.main else "?"
            problems.append(
                Problem(
                    duplicate.path,
                    None,
                    f"lesson {lesson.number} has two notes: {main} and {duplicate.path.name}",
                )
            )
    from notes_tool import cheats

    export = cheats.plan_export(ws)
    for sheet in export.changes:
        problems.append(Problem(sheet.path, None, f"cheat sheet is stale ({sheet.action}); run `notes cheats export`"))
    for problem in export.errors:
        problems.append(Problem(problem.path or ws.root, problem.line, problem.message))
    for problem in export.warnings:
        problems.append(Problem(problem.path or ws.root, problem.line, problem.message, error=False))
    outcome = index.plan(ws, analysed=analysed)
    index.record(outcome)  # what is up to date, so the next check or index need not parse it again
    for change in outcome.changes:
        parts = ", ".join(change.parts)
        problems.append(Problem(change.path, None, f"generated parts are stale ({parts}); run `notes index`"))
    for warning in outcome.warnings:
        problems.append(Problem(warning.path or ws.root, warning.line, warning.message, error=False))
    return problems
