"""Path policy: which files are notes, images, editor litter, or never the user's to commit.

One home for these rules: ``notes commit`` (what to stage), ``notes watch`` (which events
matter), ``notes check`` and ``notes init`` (which folders to walk) all ask here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from notes_tool.fsio.write import TEMP_SUFFIX

SKIPPED_FOLDERS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})
"""Folders that never hold notes: ``notes check`` does not walk them, ``notes init`` does not look there."""
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
"""Images a note can show, screenshots and pasted images included."""
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PASTED = re.compile(r"^image(?:-\d+)?\.(?:png|jpe?g|gif|webp)$", re.IGNORECASE)
"""What VS Code names an image pasted into a note (``image.png``, ``image-1.png``)."""


def is_editor_junk(name: str) -> bool:
    """Editor temp, swap and backup files, our own temp files, and OS litter: never notes."""
    lowered = name.lower()
    return (
        name.endswith("~")
        or name.startswith(".#")
        or (name.startswith("#") and name.endswith("#"))
        or lowered.endswith((".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", TEMP_SUFFIX, ".crswap"))
        or lowered in {".ds_store", "thumbs.db", "desktop.ini"}
    )


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def never_staged(rel: Path, cache_dir: str) -> bool:
    """A path (relative to the workspace) that is never the user's to commit: the tool's cache
    folder, ``.git``, editor temp and swap files, anything outside the workspace."""
    parts = rel.parts
    return (
        not parts
        or parts[0] in ("..", cache_dir.strip("/"))
        or ".git" in parts
        or any(is_editor_junk(part) for part in parts)
    )


def markdown_files(roots: list[Path], skip: set[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and Path(folder, d) not in skip)
            found.extend(Path(folder, f) for f in sorted(files) if Path(f).suffix.lower() in MARKDOWN_SUFFIXES)
    return found


_IN_REPOSITORY = re.compile(r"^/(?:blob|tree)/[^/]+(?P<path>/.*)?$")


def own_repo_path(href: str, location: tuple[str, str] | None) -> str | None:
    """The workspace-rooted path (``/week1/README.md``) an absolute link to a file or folder of
    the workspace's own repository leads to (``https://github.com/OWNER/REPO/blob/main/week1/README.md``,
    ``.../tree/main/week1``); None for any other link. ``location``: the repository's web URL and
    the workspace's folder in it (``""`` at its top), as :func:`notes_tool.edges.gitrepo.web_location`
    gives them."""
    if location is None or not location[0]:
        return None
    base, inside = location[0].rstrip("/"), location[1].strip("/")
    if not href.lower().startswith(base.lower() + "/"):  # (GitHub's owners and names ignore case)
        return None
    match = _IN_REPOSITORY.match(urlsplit(href[len(base) :]).path)
    if match is None:
        return None
    path = (match.group("path") or "/").rstrip("/") or "/"
    if inside:
        if path != f"/{inside}" and not path.startswith(f"/{inside}/"):
            return None
        path = path[len(inside) + 1 :] or "/"
    return path
