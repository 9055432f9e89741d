"""``notes commit``: stage what belongs to the workspace, write a message that says what was
learned, commit, and (``--push``) push fast-forward only.

Message rules, from the staged change:
- lesson notes with new or changed sections: ``Notes for 11: Pods, Services and ingress``
  (``11.3`` when the changed sections sit under the third video of a note with several;
  ``Notes for 3, 4: ...`` for several lessons);
- only generated parts changed (regions, timestamp links, cheat sheets): ``Update indexes``;
- anything else: ``Update <files>``.
The subject stays within 72 characters; the body lists the files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tool.edges import gitrepo
from notes_tool.errors import GitError, NotesError
from notes_tool.features import refresh
from notes_tool.features.editor import VSCODE_FILES, WORKFLOW_PATH
from notes_tool.features.init import STARTED_FILE
from notes_tool.fsio.confine import real_path
from notes_tool.generate import learned
from notes_tool.generate.learned import Learned
from notes_tool.model import document, transcript
from notes_tool.model.secrets import find_secret
from notes_tool.printable import one_line
from notes_tool.stores import facts
from notes_tool.stores.cache import read_json
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.course import fallback_title
from notes_tool.structure.paths import IMAGE_SUFFIXES, MARKDOWN_SUFFIXES, never_staged
from notes_tool.structure.workspace import EXTRA_LETTER, SHEETS_DIR, Workspace, parse_lesson_name

if TYPE_CHECKING:
    from git import Repo  # (GitPython is imported lazily: notes_tool.edges.gitrepo)

SUBJECT_MAX = 72
OWN_FOLDERS = {"images", SHEETS_DIR, "templates", transcript.FOLDER}
OWN_FILES = {"notes.toml", ".gitignore", ".pre-commit-config.yaml", WORKFLOW_PATH} | {
    f".vscode/{name}" for name in VSCODE_FILES
}
"""Files of the workspace that ``notes init`` writes (VS Code's travel with a clone: the task
that runs ``notes watch`` when the folder opens)."""
GENERATED_FOLDERS = {SHEETS_DIR}
_WORDS = {"A": "added", "M": "modified", "D": "deleted", "?": "added", "T": "modified"}


def belongs(ws: Workspace, rel: Path) -> bool:
    """Whether a path (relative to the workspace) is part of the notes."""
    parts = rel.parts
    if never_staged(rel, ws.config.cache_dir):
        return False
    if rel.as_posix() in OWN_FILES or rel.as_posix() == ws.config.index_file:
        return True
    if rel.suffix.lower() in MARKDOWN_SUFFIXES | IMAGE_SUFFIXES:
        return True
    return any(part in OWN_FOLDERS for part in parts[:-1])


@dataclass
class Plan:
    files: list[gitrepo.Changed]
    """Paths relative to the repository's top folder."""
    subject: str = ""
    body: str = ""
    skipped: list[str] = field(default_factory=list)
    """Changed files left unstaged because they are not notes (say so, never stage them)."""

    @property
    def message(self) -> str:
        return f"{self.subject}\n\n{self.body}" if self.body else self.subject


@dataclass
class Result:
    plan: Plan
    sha: str | None = None
    pushed: gitrepo.Pushed | None = None
    build_problems: list[NotesError] = field(default_factory=list)


@dataclass
class LessonChange:
    code: str
    number: int
    titles: list[str]
    videos: list[int]


Now = tuple[Learned, "str | None"]
"""What a note says now (:mod:`notes_tool.generate.learned`), and its title."""


def _lesson_change(path: Path, place: tuple[int, str], old_text: str | None, now: Now) -> LessonChange | None:
    """What changed in one lesson note (``place``: its number and code) since ``old_text`` (the
    committed version), or None when only generated parts did."""
    said, title = now
    if old_text is None:  # a new note: what it is about is its title (its sections came from the template)
        return LessonChange(place[1], place[0], [title or fallback_title(path)], [])
    changed = said.changed_since(document.parse(path, old_text))
    if changed is None:
        return None
    titles = [label.split(":", 1)[1] for label, _ in changed]
    return LessonChange(place[1], place[0], titles, sorted({video for _, video in changed if video}))


def _join(titles: list[str]) -> str:
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def subject_for(lessons: list[LessonChange]) -> str:
    codes = []
    for lesson in sorted(lessons, key=lambda c: (c.number, c.code)):
        codes.extend([f"{lesson.code}.{v}" for v in lesson.videos] or [lesson.code])
    head = f"Notes for {', '.join(codes)}"
    titles = [t for lesson in lessons for t in lesson.titles if t]
    seen: list[str] = []
    for title in titles:
        if title not in seen:
            seen.append(title)
    for count in range(len(seen), 0, -1):
        shown = seen[:count]
        rest = len(seen) - count
        text = _join(shown) if not rest else ", ".join(shown) + f" and {rest} more"
        candidate = f"{head}: {text}"
        if len(candidate) <= SUBJECT_MAX:
            return candidate
    if seen:
        room = SUBJECT_MAX - len(head) - 3
        if room > 10:
            return f"{head}: {seen[0][: room - 1].rstrip()}…"
    return head[:SUBJECT_MAX]


def _places(ws: Workspace) -> Callable[[Path], tuple[int, str] | None]:
    """A lesson note's number and code (``5``, ``05b``), None for any other file: by its name in
    a course named our way, else by its place in the course's outline."""
    if ws.named_our_way():

        def by_name(path: Path) -> tuple[int, str] | None:
            parsed = parse_lesson_name(path.name) if path.parent == ws.notes_dir else None
            return (parsed[0], f"{parsed[0]}{parsed[1]}") if parsed is not None else None

        return by_name
    placed = {real_path(f.path): (f.number, f.code.rstrip(EXTRA_LETTER)) for f in ws.lesson_files()}
    return lambda path: placed.get(real_path(path))


def describe(ws: Workspace, repo: Repo, files: list[gitrepo.Changed], read_new: Any) -> tuple[str, str]:
    """Subject and body for a change of ``files`` (``read_new(path)`` gives the new text)."""
    found = _Found(ws, repo, _Now(ws, [gitrepo.top(repo) / c.path for c in files if c.status != "D"], read_new))
    for changed in files:
        found.add(changed)
    body = "\n".join(f"- {one_line(c.path)} ({_WORDS.get(c.status, 'changed')})" for c in files)
    return _subject(ws, repo, files, found), body


@dataclass
class _Found:
    """What a change of files is about: the lessons whose notes say something new, the other
    files changed, and whether only generated parts changed."""

    ws: Workspace
    repo: Repo
    now: _Now
    lessons: list[LessonChange] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    only_generated: bool = True
    top: Path = field(init=False)
    places: Callable[[Path], tuple[int, str] | None] = field(init=False)

    def __post_init__(self) -> None:
        self.top = gitrepo.top(self.repo)
        self.places = _places(self.ws)

    def add(self, changed: gitrepo.Changed) -> None:
        absolute = self.top / changed.path
        place = self.places(absolute)
        if changed.status == "D" or place is None:
            self._add_other(changed, absolute)
            return
        said: Now | None = None
        try:
            said = self.now.get(absolute)
            change = said and _lesson_change(absolute, place, gitrepo.head_text(self.repo, changed.path), said)
        except NotesError:
            said = None
        if said is None:  # a note that does not parse (or cannot be read, not UTF-8) still counts as changed
            change = LessonChange(place[1], place[0], [], [])
        if change is not None:
            self.only_generated = False
            self.lessons.append(change)

    def _add_other(self, changed: gitrepo.Changed, absolute: Path) -> None:
        """A file that is no lesson note (or a deleted one): named, unless only its generated
        parts changed (the course index, a note's regions, a cheat sheet)."""
        try:
            rel = absolute.relative_to(self.ws.root)
        except ValueError:
            rel = Path(changed.path)
        generated = bool(rel.parts[:1]) and rel.parts[0] in GENERATED_FOLDERS
        if rel.suffix.lower() in MARKDOWN_SUFFIXES and changed.status != "D":  # the index, any note
            generated = _same_user_text(absolute, gitrepo.head_text(self.repo, changed.path), self.now)
        if not generated:
            self.only_generated = False
            self.other.append(one_line(rel.as_posix()))


def _subject(ws: Workspace, repo: Repo, files: list[gitrepo.Changed], found: _Found) -> str:
    adopting = any(c.path.endswith(CONFIG_NAME) and c.status in ("A", "?") for c in files)
    if adopting and not gitrepo.has_head(repo) and read_json(ws, STARTED_FILE).get("started") is True:
        return f"Start the notes of {ws.config.course}"[:SUBJECT_MAX]  # the first commit of a new course
    if adopting:  # the commit that adds notes.toml: the tool took the notes over
        return "Adopt notes_tool"
    if found.lessons:
        return subject_for(found.lessons)
    if found.only_generated:
        return "Update indexes"
    subject = "Update " + ", ".join(found.other)
    if len(subject) > SUBJECT_MAX:
        subject = f"Update {found.other[0]} and {len(found.other) - 1} more files"[:SUBJECT_MAX]
    return subject


class _Now:
    """What each changed note says now: from the note store when it holds the facts of the
    file's bytes (a refresh or a check parsed them), else parsed from ``read_new(path)``."""

    def __init__(self, ws: Workspace, paths: list[Path], read_new: Callable[[Path], str | None]):
        self.stored = facts.load(ws, [p for p in paths if p.suffix.lower() in MARKDOWN_SUFFIXES])
        self.read_new = read_new

    def get(self, path: Path) -> Now | None:
        """None when the file cannot be read; :class:`NotesError` when it does not parse."""
        found = self.stored.get(path)
        if found is not None:
            return found.learned, found.title
        text = self.read_new(path)
        if text is None:
            return None
        note = document.parse(path, text)
        return learned.of(note), note.title


def _same_user_text(path: Path, old_text: str | None, now: _Now) -> bool:
    if old_text is None:
        return False
    try:
        said = now.get(path)
        return said is not None and said[0].changed_since(document.parse(path, old_text)) is None
    except NotesError:
        return False


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return None


def select(ws: Workspace, repo: Repo) -> tuple[list[str], list[str]]:
    """Changed paths to stage (relative to the repository's top) and the ones left out."""
    top = gitrepo.top(repo)
    stage, skipped = [], []
    limit = ws.config.max_file_mb * 1024 * 1024
    for changed in gitrepo.worktree_changes(repo, ws.root):
        absolute = top / changed.path
        try:
            rel = absolute.relative_to(ws.root)
        except ValueError:
            continue
        if not belongs(ws, rel):
            if not never_staged(rel, ws.config.cache_dir):
                skipped.append(rel.as_posix())  # reported: a file of yours that is not notes
            continue
        if changed.status != "D":
            try:
                size = absolute.stat().st_size
            except OSError:
                size = 0
            if size > limit:
                raise GitError(
                    f"{rel.as_posix()} is {size / 1024 / 1024:.0f} MB, over the {ws.config.max_file_mb} MB "
                    "limit (GitHub refuses files over 100 MB); move it out of the notes or raise max_file_mb"
                )
        stage.append(changed.path)
    return stage, skipped


def check_secrets(repo: Repo, files: list[gitrepo.Changed]) -> None:
    """Refuse a commit holding what looks like a secret (a private key, a GitHub token, an AWS
    key) in any staged text file, with its line: the scan ``notes cheats publish`` runs."""
    top = gitrepo.top(repo)
    for path, text in gitrepo.staged_texts(repo, [c.path for c in files if c.status != "D"]):
        found = find_secret(text)
        if found is not None:
            offset, what, _ = found
            raise GitError(
                f"holds what looks like {what}; nothing committed (remove it, or commit anyway with --allow-secret)",
                top / path,
                offset + 1,
            )


def run_commit(
    ws: Workspace,
    message: str | None = None,
    push: bool = False,
    dry_run: bool = False,
    build: bool = True,
    allow_secrets: bool = False,
) -> Result:
    with gitrepo.open_repo(ws.root) as repo:
        gitrepo.check_ready(repo)
        problems: list[NotesError] = []
        if build and not dry_run:
            problems = _build(ws)
        paths, skipped = select(ws, repo)
        files = _would_stage(ws, repo, paths, build) if dry_run else _stage(repo, paths, allow_secrets)
        plan = Plan(files, skipped=skipped)
        if not files:  # nothing new, but commits may be waiting to be pushed
            waiting = push and not dry_run and gitrepo.ahead(repo)
            return Result(plan, pushed=gitrepo.push(repo) if waiting else None, build_problems=problems)
        subject, body = describe(ws, repo, files, _read_text)
        if message:
            subject, body = message.strip(), body
        plan.subject, plan.body = subject, body
        if dry_run:
            return Result(plan, build_problems=problems)
        sha = gitrepo.commit(repo, plan.message)
        pushed = gitrepo.push(repo) if push else None
        return Result(plan, sha, pushed, problems)


def _would_stage(ws: Workspace, repo: Repo, paths: list[str], build: bool) -> list[gitrepo.Changed]:
    """What a commit would stage (a dry run: nothing is staged), with what its build would write."""
    files = [c for c in gitrepo.worktree_changes(repo, ws.root) if c.path in set(paths)]
    files = [gitrepo.Changed(c.path, "A" if c.status == "?" else c.status) for c in files]
    return _with_build_changes(ws, repo, files) if build else files


def _stage(repo: Repo, paths: list[str], allow_secrets: bool) -> list[gitrepo.Changed]:
    """Stage ``paths``: what is staged then; a secret found there unstages ours and raises."""
    before = gitrepo.index_tree(repo)
    gitrepo.stage(repo, paths)
    files = gitrepo.staged(repo)
    if not allow_secrets:
        try:
            check_secrets(repo, files)
        except GitError:
            gitrepo.restore_index(repo, before)  # nothing staged by us, nothing committed
            raise
    return files


def _with_build_changes(ws: Workspace, repo: Repo, files: list[gitrepo.Changed]) -> list[gitrepo.Changed]:
    """``files`` and the files the build step would write (a dry run writes nothing): the same
    list the commit would have."""
    top = gitrepo.top(repo)
    listed = {c.path for c in files}
    extra = []
    for path, status in refresh.preview(ws):
        rel = Path(os.path.relpath(path, top)).as_posix()
        if rel not in listed:
            listed.add(rel)
            extra.append(gitrepo.Changed(rel, status))
    return sorted([*files, *extra], key=lambda c: c.path)


def _build(ws: Workspace) -> list[NotesError]:
    """One refresh first (regions, cheat sheets, search), so nothing committed is stale."""
    return refresh.refresh(ws).errors
