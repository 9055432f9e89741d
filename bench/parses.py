"""How many times one edited note is parsed: by one refresh (what a watcher's round runs) and
across `notes index`, `notes search`, `notes check`, `notes commit --dry-run` after one edit.

Run: python3 bench/parses.py [--notes 100] [--dir /tmp/notes-parses]

Counts the calls of ``document.parse`` on the edited note through a wrapper installed here (the
commands run in this process, so every parse is seen; fewer than 64 notes to parse run in this
process too). Targets (issue 26): a refresh parses the edited note at most once, twice when it
rewrote it; the four commands together at most 3 times.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import workspace_parser
from corpus import build

from notes_tool.model import document

counts: Counter[Path] = Counter()
_parse = document.parse


def counted(path: Path, text: str, bom: bool = False) -> document.Note:
    counts[Path(os.path.realpath(path))] += 1
    return _parse(path, text, bom)


def run(args: list[str], root: Path) -> None:
    from notes_tool.cli import cli

    here = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            cli.main(args, prog_name="notes", standalone_mode=False)
    except SystemExit:
        pass
    finally:
        os.chdir(here)


def edit(path: Path, n: int, retitle: bool) -> None:
    """An edit a user makes: a new timestamped section (the refresh then rewrites the note: TOC,
    time link), or a sentence added to the last section (nothing of the note's to rewrite)."""
    text = path.read_text(encoding="utf-8")
    added = f"\n## 59:0{n} Edited section {n}\n\nNew words.\n" if retitle else f"\nOne more sentence {n}.\n"
    path.write_text(text + added, encoding="utf-8")


def measured(label: str, work: Callable[[], Any], note: Path) -> int:
    counts.clear()
    work()
    found = counts[Path(os.path.realpath(note))]
    print(f"{label:<58} {found}")
    return found


def main() -> None:
    parser = workspace_parser(notes=100, folder="/tmp/notes-parses")
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    document.parse = counted  # type: ignore[assignment]
    run(["index"], root)
    run(["search", "docker"], root)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    note = sorted(root.glob("[0-9]*.md"))[len(list(root.glob("[0-9]*.md"))) // 2]
    print(f"{args.notes} notes; the edited note: {note.name}")
    from notes_tool.structure.workspace import open_workspace

    for retitle in (False, True):
        kind = "rewritten" if retitle else "not rewritten"
        edit(note, 1, retitle)
        measured(f"one refresh after an edit ({kind})", lambda: _refresh(open_workspace(root)), note)
        edit(note, 2, retitle)
        total = 0
        for command in (["index"], ["search", "docker"], ["check"], ["commit", "--dry-run"]):
            total += measured(f"  notes {' '.join(command)} ({kind})", lambda c=command: run(c, root), note)  # type: ignore[misc]
        print(f"{'index, search, check, commit --dry-run: total (' + kind + ')':<58} {total}")


def _refresh(ws: Any) -> None:
    """One round of the pipeline a save starts (what the watcher runs)."""
    try:
        from notes_tool.features.refresh import refresh
    except ImportError:  # before the one refresh: the watcher's own pipeline
        from notes_tool.watch.watcher import Round, Watcher

        Watcher(ws, lambda _: None)._pipeline(Round())
        return
    refresh(ws)


if __name__ == "__main__":
    main()
