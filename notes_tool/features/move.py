"""``notes mv OLD NEW``: a note renamed or renumbered, and everything that names it following.

The plan (:func:`plan_move`) reads every Markdown file of the workspace that could link to the
note, its transcripts or its screenshots, and works out each link's new destination (relative
paths from any folder; a note moving to another folder gets its own relative links redone). The
run (:func:`run_move`) checks nothing changed since, renames the files (``git mv`` when tracked),
writes the links through the guarded writes, then brings the nav, the course index and the cheat
sheets up to date. ``--dry-run`` shows the plan as a diff.
"""

from __future__ import annotations

import difflib
import os
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from notes_tool.edges import gitrepo
from notes_tool.errors import ConcurrentEdit, GitError, NoteError, NotesError, display_path
from notes_tool.features import index_changes, transcripts
from notes_tool.features.links import Pending, load_pending, workspace_markdown, write_edits
from notes_tool.features.refresh import refresh
from notes_tool.fsio.confine import is_inside, real_path
from notes_tool.fsio.read import file_digest
from notes_tool.generate import linking
from notes_tool.model import mdtext, stamped
from notes_tool.model.document import replace_destination
from notes_tool.model.edit import apply
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.paths import MARKDOWN_SUFFIXES
from notes_tool.structure.workspace import Workspace, parse_lesson_name


@dataclass
class Move:
    """What ``notes mv`` will do."""

    old: Path
    new: Path
    renames: list[tuple[Path, Path]]
    """Files to rename, the note last: its transcripts and screenshots first."""
    pending: dict[Path, Pending] = field(default_factory=dict)
    """Files whose links change, by their path now."""
    digests: dict[Path, str | None] = field(default_factory=dict)
    """What each renamed file held when planned (a file changed since stops the move)."""
    errors: list[NotesError] = field(default_factory=list)
    """Files that could not be read (their links are not followed)."""

    def after(self, path: Path) -> Path:
        """Where ``path`` will be once the files are renamed."""
        return dict(self.renames).get(path, path)

    def diff(self) -> str:
        """The whole move as a unified diff (renames as git shows them)."""
        out: list[str] = []
        edited = {path: item for path, item in self.pending.items() if item.lines}
        for source, target in self.renames:
            out += [f"rename from {display_path(source)}\n", f"rename to {display_path(target)}\n"]
        for path, item in sorted(edited.items()):
            before = item.note.text.splitlines(keepends=True)
            after = apply(item.note, item.done().edits).splitlines(keepends=True)
            a, b = display_path(path), display_path(self.after(path))
            out += difflib.unified_diff(before, after, f"a/{a}", f"b/{b}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def plan_move(ws: Workspace, old: Path, new: Path) -> Move:
    """The move of the note ``old`` to ``new`` (a folder: keeps its name); one clear error for a
    move that cannot be done, nothing read beyond what tells it."""
    old, new = Path(os.path.abspath(old)), Path(os.path.abspath(new))
    if new.is_dir():
        new = new / old.name
    _refuse(ws, old, new)
    move = _renames(ws, old, new)
    _follow_links(ws, move)
    for source, target in move.renames:
        if source.name.endswith(".txt"):
            _retitle(move, source, target, old, new)
    return move


def _renames(ws: Workspace, old: Path, new: Path) -> Move:
    """The note's screenshots and transcripts renamed with it (those in a folder linked outside
    the workspace named, not renamed); an error when one's new name is taken."""
    found = [*_screenshots(ws, old, new), *_transcripts(ws, old, new)]
    # (a clone's images/ or transcripts/ may be a link to a folder elsewhere: nothing there is renamed)
    outside: list[NotesError] = [NoteError(_LINKED_OUT, s) for s, _ in found if not is_inside(s.parent, ws.root)]
    renames = [(source, target) for source, target in found if is_inside(source.parent, ws.root)] + [(old, new)]
    for source, target in renames[:-1]:
        if target.exists():
            raise NoteError(f"{display_path(target)} already exists; nothing moved", source)
    return Move(old, new, renames, digests={source: file_digest(source) for source, _ in renames}, errors=outside)


def _follow_links(ws: Workspace, move: Move) -> None:
    """Each Markdown file that names a renamed file (and the note itself) gets its links redone."""
    moved = {real_path(source): target for source, target in move.renames}
    names = {source.name for source, _ in move.renames}
    for path in workspace_markdown(ws):
        text = _text(path)
        if text is None or (path != move.old and not any(name in text or quote(name) in text for name in names)):
            continue  # (most files: no parse)
        item = load_pending(path, move.pending, move.errors)
        if item is not None:
            _retarget(item, moved, move.after(path))


def _text(path: Path) -> str | None:
    """The file's text, to look for names in (None when it cannot be read)."""
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


_LINKED_OUT = "is in a folder linked outside the workspace; not renamed"


def _refuse(ws: Workspace, old: Path, new: Path) -> None:
    """One line for a move that cannot be done."""
    if not old.is_file():
        raise NoteError("no such note", old)
    if not is_inside(old, ws.root):
        raise NoteError("is outside the workspace; not moved", old)
    if real_path(old) in {real_path(ws.index_path), real_path(ws.root / CONFIG_NAME)}:
        raise NoteError("is the course index (index_file in notes.toml) or the settings; not moved", old)
    if not is_inside(new, ws.root):
        raise NoteError("is outside the workspace; nothing moved", new)
    if ws.cache_dir in new.parents or ".git" in new.parts:
        raise NoteError("is inside the tool's cache or .git; nothing moved", new)
    if new.suffix.lower() not in MARKDOWN_SUFFIXES:
        raise NoteError("is not a Markdown file name (.md); nothing moved", new)
    if new == old:
        raise NoteError("is already called that; nothing moved", old)
    if new.exists() and not _same_file(old, new):
        raise NoteError("already exists; not overwritten, nothing moved", new)


def _same_file(old: Path, new: Path) -> bool:
    """``new`` is ``old`` under another case, on a file system that ignores case (macOS,
    Windows): a case-only rename. Where case matters, ``05_Docker.md`` beside ``05_docker.md``
    is another note, never overwritten."""
    try:
        return new.parent == old.parent and new.name.lower() == old.name.lower() and os.path.samefile(old, new)
    except OSError:
        return False


def _code(path: Path) -> str | None:
    return path.name.split("_", 1)[0] if parse_lesson_name(path.name) else None


def _screenshots(ws: Workspace, old: Path, new: Path) -> list[tuple[Path, Path]]:
    """The note's screenshots (``images/<lesson>_<nn>.png``), named for its new lesson code."""
    before, after = _code(old), _code(new)
    folder = ws.images_dir
    if before is None or after is None or before.lower() == after.lower() or not folder.is_dir():
        return []
    pattern = re.compile(rf"^{re.escape(before)}(_\d+\.[A-Za-z]+)$", re.IGNORECASE)
    return [
        (folder / name, folder / f"{after}{match.group(1)}")
        for name in sorted(os.listdir(folder))
        if (match := pattern.match(name)) is not None
    ]


def _transcripts(ws: Workspace, old: Path, new: Path) -> list[tuple[Path, Path]]:
    """The note's stored transcripts and their pages (``transcripts/NOTE.vN.txt`` and ``.md``,
    ``NOTE`` its path in the notes folder), and the record of the times stamp wrote into it
    (``NOTE.stamped.txt``)."""
    first = transcripts.stored_path(ws, old, 1)
    folder = first.parent
    if not folder.is_dir():
        return []
    before = first.name[: -len(".v1.txt")]
    after = transcripts.stored_path(ws, new, 1)
    pattern = re.compile(rf"^{re.escape(before)}(\.v\d+\.(?:txt|md)|{re.escape(stamped.SUFFIX)})$")
    return [
        (folder / name, after.with_name(after.name[: -len(".v1.txt")] + match.group(1)))
        for name in sorted(os.listdir(folder))
        if (match := pattern.match(name)) is not None
    ]


def _retarget(item: Pending, moved: dict[Path, Path], here: Path) -> None:
    """Each relative link of the file that leads to a renamed file, or any relative link when
    the file itself moves to another folder, rewritten for where both will be."""
    note = item.note
    folder_moves = here.parent != note.path.parent
    for link in note.links:
        found = linking.destination(note.path, link.href)
        if found is None or not found[2]:
            continue
        target, path_part = found[0], found[2]
        if target not in moved and not (folder_moves and target.exists()):
            continue
        written, hash_, anchor = link.href.partition("#")
        href = mdtext.href(moved.get(target, target), here.parent) + written[len(path_part) :]
        href += f"#{anchor}" if hash_ else ""
        if href == link.href:
            continue
        line = replace_destination(item.line(link.line), link.href, href)
        if line is not None:
            item.lines[link.line] = line
            item.relinked += 1


def _retitle(move: Move, source: Path, target: Path, old: Path, new: Path) -> None:
    """A stored transcript's first line names its note: it names the new one."""
    item = load_pending(source, move.pending, move.errors)
    if item is not None and item.note.lines and f"Transcript of {old.name}," in item.note.lines[0]:
        first = item.note.lines[0].rstrip("\r\n")
        item.lines[0] = first.replace(f"Transcript of {old.name},", f"Transcript of {new.name},", 1)


@dataclass
class Moved:
    renamed: list[tuple[Path, Path]]
    written: list[Path]
    errors: list[NotesError]
    outcome: index_changes.Outcome | None = None


def run_move(ws: Workspace, move: Move) -> Moved:
    """Rename the files and rewrite the links; then the nav, the course index and the sheets."""
    for source, digest in move.digests.items():
        if file_digest(source) != digest:
            raise ConcurrentEdit("changed while the move was planned; nothing moved", source)
    for path, item in move.pending.items():
        if item.lines and file_digest(path) != item.snapshot.digest:
            raise ConcurrentEdit("changed while the move was planned; nothing moved", path)
    move.new.parent.mkdir(parents=True, exist_ok=True)
    _rename_all(ws, move.renames)
    written, errors = [], list(move.errors)
    for path, item in move.pending.items():
        if not item.lines:
            continue
        change = item.done()
        change.path = move.after(path)
        try:
            if write_edits(change, ws.root):
                written.append(change.path)
        except NotesError as exc:
            errors.append(NoteError(f"{exc.message}; its links to {move.old.name} were not changed", change.path))
    done = refresh(ws)
    written += [c.path for c in done.changed] + [c.path for c in done.sheets]
    return Moved(move.renames, list(dict.fromkeys(written)), errors + done.outcome.errors, done.outcome)


def _rename_all(ws: Workspace, renames: list[tuple[Path, Path]]) -> None:
    """Each file renamed: with ``git mv`` when git tracks it, else on the file system."""
    with ExitStack() as stack:
        try:
            repo = stack.enter_context(gitrepo.open_repo(ws.root))
        except GitError:
            repo = None
        for source, target in renames:
            target.parent.mkdir(parents=True, exist_ok=True)
            if repo is not None and gitrepo.is_tracked(repo, source):
                gitrepo.move(repo, source, target)
            else:
                os.rename(source, target)
