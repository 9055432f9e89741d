"""``notes watch``: the notes stay consistent while you write.

The watchdog callback only records which paths changed. One loop waits until events stop for a
quiet window (``quiet_ms``), then runs one round: timestamps, TOC and nav of the notes (and the
course index), cheat sheets, the search index. Our own writes never start a round: we remember
the hash of what we wrote and drop events whose file still holds it; and the pipeline is a fixed
point anyway. A file the user saved after we read it is never overwritten (every write compares
right before its rename); the next save event retries. Screenshots that land in the screenshots
folder, and VS Code's pasted ``image.png``, are moved into ``images/`` and linked from the note
saved last.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import (
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

from notes_tool.errors import NotesError, display_path
from notes_tool.features import commit, index_changes, links
from notes_tool.features.refresh import refresh
from notes_tool.fsio.confine import is_inside, real_path
from notes_tool.fsio.late_writes import LateWrites
from notes_tool.fsio.read import file_digest
from notes_tool.stores.lock import workspace_lock
from notes_tool.structure.paths import MARKDOWN_SUFFIXES, PASTED, is_editor_junk, is_image, never_staged
from notes_tool.structure.workspace import SHEETS_DIR, Workspace, reopened
from notes_tool.watch import images

Report = Callable[[str], None]
LATE_WRITE_POLL = 0.05
"""Seconds between looks at the files a round replaced (see :class:`notes_tool.fsio.late_writes.LateWrites`)."""


@dataclass
class Round:
    """What one round did, for the status line and for tests."""

    saved: list[Path] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class Watcher:
    def __init__(
        self,
        ws: Workspace,
        report: Report,
        quiet_ms: int | None = None,
        commit_after: float | None = None,
        push: bool = False,
        screenshots: Path | None = None,
        problem: Report | None = None,
    ):
        self.ws = ws
        self.report = report
        """Called with each status line (what an update did)."""
        self.problem = problem or report
        """Called with each problem (a note that does not parse, a failed commit...)."""
        self.quiet = (quiet_ms if quiet_ms is not None else ws.config.quiet_ms) / 1000
        self.commit_after = commit_after
        self.push = push
        configured = ws.config.screenshots_dir
        self.screenshots = screenshots or (ws.root / configured if configured else None)
        if self.screenshots is not None and not self.screenshots.is_absolute():
            self.screenshots = ws.root / self.screenshots
        self.seen: dict[Path, str] = {}
        """Hash of each file as the watcher last handled it (what it wrote, and saves it has
        processed): an event for a file still holding those bytes brings nothing new (our own
        write coming back, or an editor's second event for one save)."""
        self._told: set[str] = set()
        """The problems the last round reported: a problem still there is not repeated each round."""
        self.last_note: Path | None = None
        self.late_writes = LateWrites()
        """The files this watcher's writes replaced, watched for an editor's write into them."""
        self.rounds: list[Round] = []
        self._pending: dict[Path, float] = {}
        self._last_event = 0.0
        self._dirty_since: float | None = None
        self._cond = threading.Condition()
        self._stopping = False
        self._last_round_done = False
        self._busy = False

    # -- events ---------------------------------------------------------------------------------

    def notice(self, path: Path) -> None:
        """Called from watchdog's thread: remember the path, wake the loop."""
        if not self._relevant(path):
            return
        with self._cond:
            self._pending[path] = time.monotonic()
            self._last_event = time.monotonic()
            self._cond.notify_all()

    def _relevant(self, path: Path) -> bool:
        if is_editor_junk(path.name):
            return False
        if self.screenshots is not None and path.parent == self.screenshots:
            return is_image(path)
        try:
            rel = path.relative_to(self.ws.root)
        except ValueError:
            return False
        if never_staged(rel, self.ws.config.cache_dir):  # cache, .git, editor junk: never the user's notes
            return False
        if path.name == "notes.toml" and path.parent == self.ws.root:
            return True
        if path.suffix.lower() == ".md" and rel.parts[0] != SHEETS_DIR:
            return True
        return path.parent == self.ws.notes_dir and PASTED.match(path.name) is not None

    # -- the loop -------------------------------------------------------------------------------

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def idle(self) -> bool:
        """Nothing pending and no round running (for tests)."""
        with self._cond:
            return not self._pending and not self._busy

    def run(self, on_ready: Callable[[], None] | None = None) -> None:
        """Watch until :meth:`stop`; ``on_ready`` is called once events are being received."""
        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                    return
                for raw in (event.src_path, getattr(event, "dest_path", "")):
                    if raw:
                        watcher.notice(Path(os.fsdecode(raw)))

        observer = Observer()
        observer.name = "notes-watch-observer"
        # Writes, creations, moves and deletions only: files being opened and read (by us, by
        # the editor, by git) would wake the observer thread for nothing, and it competes with
        # a round for the interpreter.
        wanted = [FileCreatedEvent, FileModifiedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent]
        observer.schedule(Handler(), str(self.ws.root), recursive=True, event_filter=wanted)
        if self.screenshots is not None:
            self.screenshots.mkdir(parents=True, exist_ok=True)
            if not is_inside(self.screenshots, self.ws.root):
                observer.schedule(Handler(), str(self.screenshots), recursive=False, event_filter=wanted)
        observer.start()
        with workspace_lock(self.ws):
            self._startup()
        if on_ready is not None:
            on_ready()
        try:
            while True:
                batch = self._next_batch()
                if batch is None:
                    return
                if batch:
                    try:
                        with workspace_lock(self.ws):
                            self._round(batch)
                    except NotesError as exc:  # another command held the workspace too long
                        self.problem(str(exc))
                        self._requeue(batch)
                self._maybe_commit()
        finally:
            # watchdog's inotify emitter may log "queue_events() called when the thread is
            # inactive" when it is stopped between two reads: harmless, and not the user's concern.
            previous = logging.root.manager.disable
            logging.disable(logging.CRITICAL)
            try:
                observer.stop()
                observer.join(timeout=10)
            finally:
                logging.disable(previous)
            self.late_writes.reclaim()
            self.late_writes.close()

    def _startup(self) -> None:
        """One round before the first save: catches up on edits made while not watching, and
        warms the caches and the search index so the first save is as fast as the rest."""
        result = Round()
        try:
            self._pipeline(result)
        except NotesError as exc:
            result.problems.append(str(exc))
        if result.changed or result.problems:
            self.rounds.append(result)
            self._tell(result)

    def _next_batch(self) -> list[Path] | None:
        """Wait for events, then for a quiet window; None once stopping."""
        with self._cond:
            while not self._pending and not self._stopping:
                self._reclaim_late_writes()
                if self._pending:
                    break
                timeout = self._commit_due()
                if timeout is not None and timeout <= 0:
                    return []
                if self.late_writes.pending:  # look again shortly: an editor may still write into what we replaced
                    timeout = LATE_WRITE_POLL if timeout is None else min(timeout, LATE_WRITE_POLL)
                self._cond.wait(timeout)
            if self._stopping:
                return self._last_batch()
            while not self._stopping:
                left = self._last_event + self.quiet - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            if self._stopping:
                return self._last_batch()
            batch = sorted(self._pending, key=self._pending.__getitem__)
            self._pending.clear()
            self._busy = True
            return batch

    def _last_batch(self) -> list[Path] | None:
        """Stopping (the lock held): a save made just before Ctrl-C is not dropped. Its events
        may still be on their way from the observer, so wait one quiet window for them, then
        hand what is pending to one last round; None once that is done."""
        if self._last_round_done:
            return None
        self._last_round_done = True
        deadline = time.monotonic() + self.quiet
        while (left := deadline - time.monotonic()) > 0:
            self._cond.wait(left)
        if not self._pending:
            return None
        batch = sorted(self._pending, key=self._pending.__getitem__)
        self._pending.clear()
        self._busy = True
        return batch

    def _requeue(self, batch: list[Path]) -> None:
        with self._cond:
            for path in batch:
                self._pending.setdefault(path, time.monotonic())
            self._busy = False

    def _reclaim_late_writes(self) -> None:
        """Saves that went into a file our write had just replaced are put back (the user's
        bytes win) and handled as saves: the next round recomputes the regions."""
        for path in self.late_writes.reclaim():
            now = time.monotonic()
            self._pending[path] = now
            self._last_event = now
            self.problem(f"{display_path(path, self.ws.root)}: saved in place while we wrote it; your version was kept")

    def _commit_due(self) -> float | None:
        if self.commit_after is None or self._dirty_since is None:
            return None
        return self._last_event + self.commit_after - time.monotonic()

    # -- one round --------------------------------------------------------------------------------

    def _round(self, batch: list[Path]) -> None:
        """One round: the batch handled, what it did told; a round never kills the watcher."""
        result = Round()
        try:
            self._handle(batch, result)
        except NotesError as exc:
            result.problems.append(str(exc))
        except Exception as exc:  # a watcher must not die on one bad round
            result.problems.append(f"round failed: {type(exc).__name__}: {exc}")
        finally:
            with self._cond:
                self._busy = False
            if result.saved or result.changed or result.problems:
                self.rounds.append(result)
                self._tell(result)

    def _handle(self, batch: list[Path], result: Round) -> None:
        notes, shots, pasted = self._sort(batch)
        self._remember(notes)
        if any(p.name == "notes.toml" for p in notes):
            self.ws = reopened(self.ws)
        saved = self._last_saved(notes)
        result.saved = [p for p in notes if p.name != "notes.toml"]
        self._place_images(saved, shots, pasted, result)
        if notes or pasted:
            self._pipeline(result)
        if result.saved or result.changed:
            self._dirty_since = self._dirty_since or time.monotonic()

    def _last_saved(self, notes: list[Path]) -> list[Path]:
        """The notes among ``notes`` (:meth:`_saved_notes`); the last one is where the next
        screenshot goes."""
        saved = self._saved_notes(notes)
        if saved:
            self.last_note = saved[-1]
        return saved

    def _sort(self, batch: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
        """The batch as saved notes (with something new in them), screenshots, pasted images."""
        notes, shots, pasted = [], [], []
        for path in batch:
            if self.screenshots is not None and path.parent == self.screenshots:
                shots.append(path)
            elif PASTED.match(path.name):
                pasted.append(path)
            elif not (path.exists() and file_digest(path) == self.seen.get(path)):
                notes.append(path)  # (else nothing new in this file since we last handled it)
        return notes, shots, pasted

    def _place_images(self, saved: list[Path], shots: list[Path], pasted: list[Path], result: Round) -> None:
        """Pasted images moved into ``images/`` and linked from the note saved last; screenshots too."""
        if pasted or any(PASTED.match(name) for name in _listing(self.ws.notes_dir)):
            for note in saved + ([self.last_note] if pasted and self.last_note else []):
                self._adopt_pasted(note, result)  # parses the note: only when a pasted image waits
        for shot in shots:
            self._take_screenshot(shot, result)

    def _tell(self, result: Round) -> None:
        names = ", ".join(display_path(p, self.ws.root) for p in result.saved) or "on start"
        if result.changed:
            self.report(f"{names}: {', '.join(result.changed)}")
        elif result.saved:
            self.report(f"{names}: up to date")
        saved = [f"{p.name}:" for p in result.saved]
        for problem in dict.fromkeys(result.problems):  # several steps may report one broken note
            # (a save repeats its note's problems; the round that finishes a save as the watcher
            # stops says only new ones: the save's events may still be arriving after its round)
            if problem not in self._told or (any(name in problem for name in saved) and not self._stopping):
                self.problem(problem)
        self._told = set(result.problems)

    def _pipeline(self, result: Round) -> None:
        """One refresh (:func:`~notes_tool.features.refresh.refresh`), the search index included,
        its writes watched for late saves; what it wrote remembered as ours, what it did and met told."""
        done = refresh(self.ws, search=True, late_writes=self.late_writes)
        self._wrote(done.changed)
        self._remember(c.path for c in done.sheets)
        saved = set(result.saved)
        for change in done.written:
            where = "" if change.path in saved else f" ({display_path(change.path, self.ws.root)})"
            result.changed.extend(f"{part}{where}" for part in change.parts)
        if done.sheets:
            result.changed.append("cheats " + ", ".join(f"{c.name}.md" for c in done.sheets))
        result.problems.extend(str(e) for e in done.outcome.errors)
        result.problems.extend(str(w) for w in done.outcome.warnings if isinstance(w, links.LinkProblem))
        result.problems.extend(str(e) for e in done.export.errors)

    def _wrote(self, changes: list[index_changes.Change]) -> None:
        """Remember what the index run wrote as it wrote it: a save that landed since (a note
        whose links we rewrote, typed into right after) is not taken for our own write."""
        for change in changes:
            if change.written is not None:
                self.seen[change.path] = change.written

    def _remember(self, paths: Iterable[Path]) -> None:
        for path in paths:
            digest = file_digest(path)
            if digest:
                self.seen[path] = digest
            else:
                self.seen.pop(path, None)

    def _maybe_commit(self) -> None:
        due = self._commit_due()
        if due is None or due > 0:
            return

        self._dirty_since = None
        try:
            done = commit.run_commit(self.ws, push=self.push, build=False)
        except NotesError as exc:
            self.problem(f"commit failed: {exc}")
            return
        if done.sha:
            pushed = f", pushed to {done.pushed.remote}/{done.pushed.branch}" if done.pushed else ""
            self.report(f"committed {done.sha[:7]} {done.plan.subject}{pushed}")

    # -- images -----------------------------------------------------------------------------------

    def _saved_notes(self, paths: list[Path]) -> list[Path]:
        """Which of the saved ``paths`` are notes (any, lesson or not: a screenshot goes to the
        one saved last); the workspace is listed only when a Markdown file was saved."""
        markdown = [p for p in paths if p.suffix.lower() in MARKDOWN_SUFFIXES and p.exists()]
        if not markdown:
            return []
        every = {real_path(p) for p in self.ws.notes()}
        return [p for p in markdown if real_path(p) in every]

    def _take_screenshot(self, shot: Path, result: Round) -> None:
        if not images.stable(shot):
            return
        note = self.last_note
        if note is None or not note.exists():
            result.problems.append(f"{shot.name}: no note saved yet to put it in; left where it is")
            return
        self._placed(note, images.add_screenshot(self.ws, note, shot, self.late_writes), result)
        result.saved.append(note)

    def _adopt_pasted(self, note: Path, result: Round) -> None:
        try:
            placed = images.adopt_pasted(self.ws, note, self.late_writes)
        except NotesError as exc:
            if note.exists():
                result.problems.append(str(exc))
            return
        self._placed(note, placed, result)

    def _placed(self, note: Path, placed: images.Placed, result: Round) -> None:
        if placed.digest is not None:
            self.seen[note] = placed.digest
        result.changed.extend(placed.changed)
        result.problems.extend(str(problem) for problem in placed.left)


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
