"""Fitting where the user works: VS Code's workspace files, and a GitHub Actions workflow.

``.vscode/`` gets a task that runs ``notes watch`` when the folder opens, settings (pasted
images into ``images/`` named after the note, the cache folder hidden, Markdown All in One's
own TOC-on-save off: two tools rewriting one TOC fight) and a snippet for a timestamped
heading. The user's files are merged into, never overwritten: only what is missing is added,
every other byte (comments too) stays (:mod:`notes_tool.features.jsonc`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.errors import NotesError
from notes_tool.features import jsonc
from notes_tool.fsio.confine import confined
from notes_tool.fsio.read import read_snapshot
from notes_tool.fsio.write import create_new, write_atomic

VSCODE_FILES = ("settings.json", "tasks.json", "notes.code-snippets")
"""What ``notes init`` writes in ``.vscode/`` (committed with the notes)."""
WORKFLOW_PATH = ".github/workflows/notes.yml"

WATCH_TASK = {
    "label": "notes watch",
    "type": "shell",
    "command": "notes watch",
    "isBackground": True,
    "problemMatcher": [],
    "runOptions": {"runOn": "folderOpen"},
    "presentation": {"reveal": "silent", "panel": "dedicated"},
}
"""VS Code asks once before it runs a task when a folder opens ("Allow automatic tasks")."""

SETTINGS = {
    # Pasted or dropped images go to images/, named after the note (VS Code's own variables).
    "markdown.copyFiles.destination": {"**/*.md": "images/${documentBaseName}-${fileName}"},
    # Markdown All in One rewrites its own TOC on save: notes_tool owns the TOC here.
    "markdown.extension.toc.updateOnSave": False,
}

SNIPPETS = {
    "Timestamped heading": {
        "scope": "markdown",
        "prefix": ["ts", "##"],
        "body": ["## ${1:0:00} ${2:Topic}", "", "$0"],
        "description": "A heading that starts at this moment of the video (notes links it)",
    }
}

WORKFLOW = """\
# Written by `notes init --github-actions`: checks the notes on every push and pull request.
# It installs notes_tool {source}; to install another, set `install` in notes.toml.
# Problems show on the diff (notes prints GitHub's annotations when GITHUB_ACTIONS is true).
name: notes
on: [push, pull_request]
jobs:
  notes:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: {folder}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install '{spec}'
      - run: notes index --check
      - run: notes check
"""


@dataclass
class Added:
    """What set-up added, file by file (relative names), for the user to read."""

    files: dict[str, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: added {', '.join(what)}" for name, what in self.files.items() if what]


def set_up_vscode(root: Path, cache_dir: str) -> Added:
    """``.vscode/`` at ``root``: what is missing from the task, the settings and the snippet."""
    folder = root / ".vscode"
    added = Added()
    cache = cache_dir.strip("/")

    def settings(text: str, where: str) -> tuple[str, list[str]]:
        text, keys = jsonc.add_members(text, where, SETTINGS)
        for key in ("files.exclude", "search.exclude"):
            text, hidden = jsonc.add_members(text, where, {cache: True}, inside=key)
            keys += [f"{key} {name}" for name in hidden]
        return text, keys

    _merge(confined(folder / "settings.json", root), settings, added, root)
    _merge(confined(folder / "tasks.json", root), lambda text, where: _tasks(text, where), added, root)
    snippets = confined(folder / "notes.code-snippets", root)
    _merge(snippets, lambda text, where: jsonc.add_members(text, where, SNIPPETS), added, root)
    return added


def _tasks(text: str, where: str) -> tuple[str, list[str]]:
    text, version = jsonc.add_members(text, where, {"version": "2.0.0"})
    text, labels = jsonc.add_items(text, where, "tasks", [WATCH_TASK], same="label")
    return text, version + [f"task {label!r}" for label in labels]


def _merge(path: Path, change: Callable[[str, str], tuple[str, list[str]]], added: Added, root: Path) -> None:
    name = f".vscode/{path.name}"
    if path.exists():
        snapshot = read_snapshot(path)
        try:
            before = snapshot.data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise NotesError("not UTF-8 text; left as it is", path) from None
        after, what = change(before, str(path))
        if what:
            bom = "\ufeff" if snapshot.data.startswith(b"\xef\xbb\xbf") else ""
            write_atomic(path, (bom + after).encode("utf-8"), snapshot, within=root)
    else:
        after, what = change("", str(path))
        create_new(path, after.encode("utf-8"), within=root)
    added.files[name] = what


def set_up_github_actions(root: Path, repository_top: Path | None, spec: str, source: str) -> Path | None:
    """``.github/workflows/notes.yml`` at the repository's top, unless one is there already,
    installing ``spec`` (a requirement :func:`~notes_tool.structure.config.install_spec_ok`
    passed: no quote or shell character can end the quoting) from ``source`` (said in a comment)."""
    top = repository_top or root
    path = confined(top / WORKFLOW_PATH, top)
    if path.exists():
        return None
    folder = root.resolve().relative_to(top.resolve()).as_posix() if root.resolve() != top.resolve() else "."
    text = WORKFLOW.replace("{folder}", folder).replace("{spec}", spec).replace("{source}", _one_line(source))
    create_new(path, text.encode("utf-8"), within=top)
    return path


def _one_line(text: str) -> str:
    return " ".join(text.split())
