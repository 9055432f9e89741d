"""Which Markdown files of a workspace are notes: every one, whatever its name or folder, except
in ``.git``, virtual environments, ``node_modules``, the tool's own folders and what
``.gitignore`` ignores.

``.gitignore`` files (the workspace's, those in its folders, and ``.git/info/exclude``) are read
with pathspec, the maintained implementation of git's wildmatch rules: no git process per walk
(``notes search`` lists the notes before every search), and it works in a folder that is not a
repository yet.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from notes_tool.structure.lessons import is_file
from notes_tool.structure.paths import MARKDOWN_SUFFIXES, SKIPPED_FOLDERS

if TYPE_CHECKING:
    import pathspec

GENERATED_FOLDERS = frozenset({"cheatsheets", "transcripts", "templates"})
"""Folders of the workspace root the tool writes or reads itself: not notes."""
_INDEX_NAMES = ("readme.md", "index.md", "readme.markdown")
"""The names of a folder's own note (a lesson folder's note, or a course index)."""


@dataclass(frozen=True)
class _Rules:
    """One ``.gitignore``: the folder it sits in (workspace-relative, "" at the top) and its rules."""

    base: str
    spec: pathspec.GitIgnoreSpec


def _read_rules(path: Path, base: str, skipped: frozenset[str] = frozenset()) -> _Rules | None:
    """The rules of one ``.gitignore``; ``skipped``: lines that say only what the walk skips
    anyway (the cache folder ``notes init`` ignores), so a workspace with no other rules needs
    no matcher (``notes search`` lists the notes before every search)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#") and line.strip() not in skipped and _tame(line)
    ]
    if not lines:
        return None
    import pathspec  # (only when there are rules to read)

    return _Rules(base, pathspec.GitIgnoreSpec.from_lines(lines))


_STARS = re.compile(r"\*+")
MAX_WILDCARDS = 3
"""Wildcards (runs of ``*``) one ``.gitignore`` line may hold, at most 2 of them ``**``: the
rules become regular expressions, and ``*a*a*a*a*b`` in a clone's ``.gitignore`` took 10 s to
test one long file name (each wildcard more multiplies it by the name's length). A line past
it is not read (git's own ignore files never need one; the note stays listed)."""


def _tame(line: str) -> bool:
    runs = _STARS.findall(line)
    return len(runs) <= MAX_WILDCARDS and sum(len(run) > 1 for run in runs) <= 2


def _ignored(rules: list[_Rules], rel: str, folder: bool) -> bool:
    """Whether git would ignore the workspace-relative ``rel``: the deepest rule that speaks wins."""
    verdict = False
    for rule in rules:
        if rule.base and not rel.startswith(rule.base + "/"):
            continue
        inner = rel[len(rule.base) + 1 :] if rule.base else rel
        result = rule.spec.check_file(inner + "/" if folder else inner)
        if result.include is not None:
            verdict = result.include
    return verdict


def is_virtualenv(folder: str) -> bool:
    """A virtual environment, whatever its name (``pyvenv.cfg`` marks every one)."""
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg"))


def note_entries(root: Path, cache_dir: str = "", skip: frozenset[str] = frozenset()) -> list[os.DirEntry[str]]:
    """The directory entries of every note of the workspace at ``root`` (workspace-relative
    ``skip``: files that are not notes), in path order. Entries, not paths: ``notes search``
    lists the notes before every search, and an entry's stat is had without another lookup."""
    base = os.fspath(root)
    real_root = os.path.realpath(base)
    rules = [r for r in [_read_rules(root / ".git" / "info" / "exclude", "")] if r is not None]
    cache = cache_dir.strip("/")
    own = {cache} | GENERATED_FOLDERS
    found: list[os.DirEntry[str]] = []

    def walk(folder: str, rel_folder: str, rules: list[_Rules]) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            return
        if any(e.name == ".gitignore" for e in entries):
            same = frozenset({cache, f"/{cache}", f"{cache}/", f"/{cache}/"}) if not rel_folder else frozenset()
            read = _read_rules(Path(folder, ".gitignore"), rel_folder, same)
            rules = [*rules, read] if read is not None else rules
        prefix = rel_folder + "/" if rel_folder else ""
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)  # (as git does: no link loops)
            except OSError:
                continue
            if is_dir:
                if (
                    name in SKIPPED_FOLDERS
                    or name.startswith(".")
                    or (not rel_folder and name in own)
                    or is_virtualenv(entry.path)
                    or (rules and _ignored(rules, prefix + name, True))
                ):
                    continue
                walk(entry.path, prefix + name, rules)
            elif (
                os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES
                and prefix + name not in skip
                and (not rules or not _ignored(rules, prefix + name, False))
                and is_file(entry)
                and not _leads_out(entry, real_root)
            ):
                found.append(entry)

    walk(base, "", rules)
    return found


def _leads_out(entry: os.DirEntry[str], real_root: str) -> bool:
    """A link (a note committed as ``04_shell.md -> ~/.bashrc``) to a file outside the workspace:
    not a note of it, so nothing of that file is read into the index, nav, search or a sheet."""
    if not entry.is_symlink():
        return False
    target = os.path.realpath(entry.path)
    return os.path.commonpath([target, real_root]) != real_root


def folder_note(folder: Path, wanted_names: tuple[str, ...] = _INDEX_NAMES) -> Path | None:
    """A folder's own note: its ``README.md`` (any case, as it is written: ``readme.md`` too),
    else its ``index.md`` (``wanted_names``: the lower-case names to look for, in order)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    for wanted in wanted_names:
        for name in names:
            if name.lower() == wanted and (folder / name).is_file():
                return folder / name
    return None
