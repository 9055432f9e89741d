"""``notes check``: links that rot, and (in a workspace) everything ``notes`` keeps that is stale.

For any folder of Markdown: relative links and images to missing files (exact case, as GitHub
sees it), and ``#anchors`` that no heading of the target note has (the TOC's slug rules).
External URLs are never fetched. In a workspace also: stale generated regions, timestamped
headings with no video, duplicate lesson numbers, and hand-made TOCs ``--adopt`` could manage.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from notes_tool.errors import NotesError
from notes_tool.features import index, index_changes, sheets, transcripts
from notes_tool.features.index_changes import Outcome
from notes_tool.fsio.confine import is_inside, real_path
from notes_tool.model import document
from notes_tool.parallel import Progress, map_jobs
from notes_tool.stores import facts
from notes_tool.stores.facts import Facts
from notes_tool.structure.paths import markdown_files
from notes_tool.structure.workspace import Workspace

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


def scan(path: Path) -> Scanned:
    """What a check needs of one file, from one parse."""
    try:
        note, snapshot, stat = document.load_stat(path)
    except NotesError as exc:
        return Scanned(path, None, exc)
    return Scanned(path, facts.of(note, facts.seen(snapshot.digest, stat)))


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
        """None when ``target`` exists with exactly this name (case included: GitHub compares
        names exactly, whatever this disk does); else what is wrong, with the closest name there."""
        if not is_inside(target, base):
            return None if os.path.lexists(target) else "missing"
        folder = base
        for part in Path(os.path.relpath(target, base)).parts:
            if part in ("..", "."):
                folder = real_path(folder / part)
                continue
            names = self.listing(folder)
            if names is None:
                return "missing"
            if part not in names:
                same = next((n for n in sorted(names) if n.lower() == part.lower()), None)
                if same is not None:
                    return f"differs in case: the file is {same!r} (breaks on GitHub)"
                close = difflib.get_close_matches(part, sorted(names), n=1, cutoff=0.75)
                return f"missing (did you mean {close[0]!r}?)" if close else "missing"
            folder = folder / part
        return None


SHORTLIST = 5
"""Anchors of a note weighed closely for a hint: the closest this many by a fast first look."""


@lru_cache(maxsize=256)
def _in_order(anchors: frozenset[str]) -> tuple[str, ...]:
    """A note's anchors, sorted once for every link into it that misses."""
    return tuple(sorted(anchors))


def _closest_anchor(wanted: str, anchors: frozenset[str]) -> str | None:
    """The anchor ``wanted`` most likely meant: a close spelling, else the one it begins
    (``#setup`` for ``#setup-full-version``, a heading that grew since the link was written).

    A note with thousands of headings (5,000 ``## Same`` make ``same-1``...``same-4999``) is
    not compared in full for each broken link: rapidfuzz's ratio (never below difflib's)
    shortlists the closest, and difflib picks among them as it always did."""
    ordered = _in_order(anchors)
    candidates: Sequence[str] = ordered
    if len(ordered) > SHORTLIST:
        from rapidfuzz import fuzz, process

        found = process.extract(wanted, ordered, scorer=fuzz.ratio, limit=SHORTLIST, score_cutoff=60)
        candidates = sorted(choice for choice, _, _ in found)
    close = difflib.get_close_matches(wanted, candidates, n=1)
    if close:
        return close[0]
    at = bisect.bisect_left(ordered, f"{wanted}-")
    return ordered[at] if at < len(ordered) and ordered[at].startswith(f"{wanted}-") else None


def check_links(scanned: list[Scanned], top: Path) -> list[Problem]:
    """Problems with the relative links of ``scanned`` files; ``top`` is where ``/x`` points."""
    targets = _Targets(scanned, top)
    problems: list[Problem] = []
    for item in scanned:
        if item.facts is None:
            if item.error is not None:
                problems.append(Problem(item.error.path or item.path, item.error.line, item.error.message))
            continue
        folder = os.fspath(item.path.parent)
        for href, line, image in item.facts.links:
            problem = targets.problem(item.facts, folder, href, line, image)
            if problem is not None:
                problems.append(problem)
    return problems


class _Targets:
    """What the links of a check lead to: files looked up once each (notes link to the same
    files again and again, and each look costs system calls), and the anchors of notes."""

    def __init__(self, scanned: list[Scanned], top: Path):
        self.top = top
        self.top_folder = os.fspath(top)
        self.by_path = {real_path(s.path): s for s in scanned}
        self.names = _Names()
        self.looked: dict[str, tuple[str | None, Path]] = {}
        """Link target (joined, ``..`` folded as in a URL) -> (what is wrong with it, its real path)."""

    def problem(self, here: Facts, folder: str, href: str, line: int, image: bool) -> Problem | None:
        """What is wrong with the link ``href`` on ``line`` of the note ``here`` (in ``folder``),
        if anything."""
        if not href or _SCHEME.match(href) or href.startswith("//"):
            return None  # external: never fetched
        target_part, _, anchor = href.partition("#")
        target: Facts | Problem | None = here
        if target_part:
            target = self._file(here.path, folder, target_part, line, image, bool(anchor))
        if isinstance(target, Problem) or target is None or not anchor:
            return target if isinstance(target, Problem) else None
        wanted = unquote(anchor)
        if wanted in target.anchors or wanted in target.ids or wanted.lower() == "top":
            return None
        hint = _closest_anchor(wanted, target.anchors)
        where = "this note" if target is here else target.path.name
        suggestion = f" (did you mean #{hint}?)" if hint else ""
        return Problem(here.path, line, f"no heading in {where} has the anchor #{wanted}{suggestion}")

    def _file(
        self, source: Path, folder: str, target_part: str, line: int, image: bool, anchored: bool
    ) -> Facts | Problem | None:
        """The facts of the note a link leads to (for its anchor), the problem with the file it
        names, or None when there is nothing more to check."""
        decoded = unquote(target_part.split("?", 1)[0])
        base = self.top_folder if decoded.startswith("/") else folder
        key = os.path.normpath(os.path.join(base, decoded.lstrip("/")))
        if key not in self.looked:
            self.looked[key] = (self.names.check(Path(key), self.top), real_path(Path(key)))
        state, resolved = self.looked[key]
        what = "image" if image else "link"
        if state is not None and state.startswith("missing"):
            return Problem(source, line, f"{what} to a missing file: {target_part}{state.removeprefix('missing')}")
        if state is not None:
            return Problem(source, line, f"{what} {target_part!r} {state}")
        if not anchored or resolved.suffix.lower() not in (".md", ".markdown") or resolved.is_dir():
            return None
        if not is_inside(resolved, self.top):
            return None  # (a file outside is never read: its headings would show in the hint)
        if resolved not in self.by_path:
            self.by_path[resolved] = scan(resolved)
        return self.by_path[resolved].facts


def git_top(start: Path) -> Path | None:
    for folder in (real_path(start), *real_path(start).parents):
        if (folder / ".git").exists():
            return folder
    return None


def run_check(roots: list[Path], ws: Workspace | None, progress: Progress | None = None) -> list[Problem]:
    """Every problem under ``roots`` (files or folders), one each, sorted by file and line;
    ``progress(done, total)`` as notes are read."""
    files = markdown_files(roots, {ws.cache_dir} if ws is not None else set())
    # In a workspace, index's own plan first: it parses the notes the note store does not know
    # (on every core) and stores their facts, so the link check reads them instead of parsing.
    outcome = _plan_index(ws, progress) if ws is not None else None
    every = _scanned(ws, files, progress)
    top = git_top(roots[0]) or (ws.root if ws is not None else roots[0])
    problems = check_links(every, top)
    if ws is not None:
        problems += _adoptable(ws, every)
    if ws is not None and outcome is not None:
        problems += _workspace_problems(ws, outcome)
    return _unique(problems, roots, files)


def _plan_index(ws: Workspace, progress: Progress | None) -> Outcome:
    outcome = index.plan(ws, progress=progress)
    index_changes.save(outcome)
    return outcome


def _scanned(ws: Workspace | None, files: list[Path], progress: Progress | None) -> list[Scanned]:
    """What the check knows of each file: its stored facts (in a workspace), else one parse (on
    every core for many), whose facts are then stored (before the export that reads them)."""
    recalled: dict[Path, Facts] = facts.load(ws, files) if ws is not None else {}
    scanned = map_jobs(scan, [(f,) for f in files if f not in recalled], progress)
    if ws is not None:
        facts.save(ws, [(s.facts.path, facts.row(s.facts)) for s in scanned if s.facts is not None])
        facts.prune(ws)
    parsed = {s.path: s for s in scanned}
    return [parsed.get(f) or Scanned(f, recalled[f]) for f in files]


def _adoptable(ws: Workspace, every: list[Scanned]) -> list[Problem]:
    """A hint that adopt can manage a TOC, only where `notes index --adopt` would: the notes of a
    workspace (the course index included), not a file it leaves out (.gitignore, a venv...)."""
    adopted = {real_path(p) for p in [*ws.notes(), ws.index_path]}
    return [
        Problem(item.path, None, f"{what}: `notes index --adopt` can manage it", error=False)
        for item in every
        if item.facts is not None and real_path(item.path) in adopted
        for what in item.facts.adoptable
    ]


def _unique(problems: list[Problem], roots: list[Path], files: list[Path]) -> list[Problem]:
    """The problems of files under ``roots``, one each, sorted by file and line."""
    real = {real_path(f) for f in files}
    unique: dict[tuple[str, int, str], Problem] = {}
    for problem in problems:
        inside = real_path(problem.path) in real or any(is_inside(problem.path, r) for r in roots if r.is_dir())
        if inside:
            unique.setdefault((real_path(problem.path).as_posix(), problem.line or 0, problem.message), problem)
    return sorted(unique.values(), key=Problem.sort_key)


def _workspace_problems(ws: Workspace, outcome: Outcome) -> list[Problem]:
    problems = []
    for lesson in ws.lessons():
        for duplicate in lesson.duplicates:
            main = ws.relative(lesson.main.path) if lesson.main else "?"
            problems.append(
                Problem(
                    duplicate.path,
                    None,
                    f"lesson {lesson.number} has two notes: {main} and {ws.relative(duplicate.path)}",
                )
            )
    export = sheets.plan_export(ws)
    for sheet in export.changes:
        problems.append(Problem(sheet.path, None, f"cheat sheet is stale ({sheet.action}); run `notes cheats export`"))
    for problem in export.errors:
        problems.append(Problem(problem.path or ws.root, problem.line, problem.message))
    for problem in export.warnings:
        problems.append(Problem(problem.path or ws.root, problem.line, problem.message, error=False))
    for error in outcome.errors:
        problems.append(Problem(error.path or ws.root, error.line, error.message))
    for change in outcome.changes:
        parts = ", ".join(change.parts)
        problems.append(Problem(change.path, None, f"generated parts are stale ({parts}); run `notes index`"))
    for warning in [*outcome.notices, *outcome.warnings, *transcripts.orphans(ws)]:
        problems.append(Problem(warning.path or ws.root, warning.line, warning.message, error=False))
    return problems
