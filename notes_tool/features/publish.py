"""``notes cheats publish``: each cheat sheet to its own gist, never losing either side."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from notes_tool.edges import gist, gitrepo
from notes_tool.errors import NoteError, PublishError
from notes_tool.features import sheets
from notes_tool.fsio.confine import confined
from notes_tool.model import document
from notes_tool.model.secrets import find_secret
from notes_tool.stores import cache
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.config_writer import save_gist
from notes_tool.structure.workspace import Workspace


@dataclass
class Published:
    name: str
    action: str
    """``created``, ``updated``, ``unchanged``, ``would create``, ``would update``."""
    url: str = ""
    diff: str = ""
    dead_links: int = 0
    """Links of the sheet to the notes by relative path: a gist cannot follow them."""


def description(ws: Workspace, name: str) -> str:
    """The gist's description, published with the sheet."""
    return f"{ws.config.course}: {name} cheat sheet"


def check_secrets(ws: Workspace, names: list[str]) -> None:
    """Refuse to publish anything that looks like a secret: the whole sheet as it will be
    published (its intro, captions, source lines and snippets) and the gist's description.
    The error names the note's line the secret came from when it came from a note."""
    collected = sheets.collect(ws)
    for name in names:
        path = confined(ws.sheet_path(name), ws.root)
        for text, where, first in ((path.read_text(encoding="utf-8"), path, 1), (description(ws, name), None, 0)):
            found = find_secret(text)
            if found is None:
                continue
            offset, what, matched = found
            source = where or ws.root / CONFIG_NAME, (first + offset) if where else None
            for _lesson, snippet in collected.by_name.get(name, []):
                if matched in snippet.body:
                    source = snippet.path, snippet.body_line + snippet.body[: snippet.body.index(matched)].count("\n")
                    break
                if matched in snippet.caption or matched in snippet.heading:
                    source = snippet.path, snippet.line
                    break
            raise NoteError(
                f"cheat sheet {name!r} would publish what looks like {what}; not published "
                "(remove it, or publish anyway with --allow-secrets)",
                *source,
            )


def publish(
    ws: Workspace,
    names: list[str],
    to: str | None = None,
    public: bool = False,
    dry_run: bool = False,
    force: bool = False,
    allow_secrets: bool = False,
) -> list[Published]:
    available = ws.existing_sheets()
    names = names or available
    for name in names:
        if name not in available:
            raise PublishError(
                f"no cheat sheet {name!r} (run `notes cheats export`; sheets: {', '.join(available) or 'none'})"
            )
    if to and len(names) != 1:
        raise PublishError("--to attaches one gist to one sheet: name the sheet")
    if not allow_secrets:
        check_secrets(ws, names)
    results = [_publish_one(ws, name, to, public, dry_run, force) for name in names]
    for result in results:
        result.dead_links = len(relative_links(ws.sheet_path(result.name)))
    return results


def relative_links(sheet: Path) -> list[str]:
    """The links of a sheet that lead somewhere by a relative path (dead in a gist, which has
    no folders: the sheet links the notes so when the repository's web URL is not known)."""
    note, _ = document.load(sheet)
    return [link.href for link in note.links if "://" not in link.href and not link.href.startswith(("#", "mailto:"))]


def _publish_one(ws: Workspace, name: str, to: str | None, public: bool, dry_run: bool, force: bool) -> Published:
    content = confined(ws.sheet_path(name), ws.root).read_text(encoding="utf-8")
    record = _attached(ws, name, to)
    if record is None:
        return _create(ws, name, content, public, dry_run)
    push_url = str(record.get("push_url") or f"https://gist.github.com/{record.get('id')}.git")
    if not to:  # (what --to names the user typed; what notes.toml says came with the clone)
        gist.check_push_url(push_url, ws.root / CONFIG_NAME)
    job = _Update(ws, name, content, record, push_url, dry_run, force)
    return _update(job, _clone_folder(ws, name, record))


def _attached(ws: Workspace, name: str, to: str | None) -> dict[str, object] | None:
    """The gist the sheet goes to: the one ``--to`` names, else the one notes.toml records
    for it (None: a new gist)."""
    if to:
        gist_id, push_url = gist.parse_ref(to)
        return {"id": gist_id, "url": f"https://gist.github.com/{gist_id}", "push_url": push_url, "commit": ""}
    record = ws.config.gists.get(name)
    return record if isinstance(record, dict) else None


def _diff(before: str, after: str, old_name: str, new_name: str) -> str:
    return "".join(
        difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name)
    )


def _create(ws: Workspace, name: str, content: str, public: bool, dry_run: bool) -> Published:
    """A new gist for the sheet, recorded in notes.toml."""
    if dry_run:
        return Published(name, "would create", diff=_diff("", content, "/dev/null", f"{name}.md"))
    answer = gist.create(name, content, public, description(ws, name))
    history = answer.get("history") or [{}]
    fields = {
        "id": str(answer["id"]),
        "url": str(answer.get("html_url", "")),
        "push_url": str(answer["git_push_url"]),
        "commit": str(history[0].get("version", "")),
    }
    save_gist(ws.root / CONFIG_NAME, name, fields)
    return Published(name, "created", fields["url"])


def _clone_folder(ws: Workspace, name: str, record: dict[str, object]) -> Path:
    """Where the gist's clone is kept, in the cache folder."""
    gist_id = str(record.get("id", ""))
    try:
        gists = cache.entry(cache.folder(ws), "gists", owned="folder")
        return cache.entry(gists, gist_id if gist_id.isalnum() else name, owned="folder")
    except OSError as exc:
        raise PublishError(f"the gist's clone cannot be kept in the cache folder: {exc.strerror}") from None


@dataclass(frozen=True)
class _Update:
    """A sheet to publish over its gist."""

    ws: Workspace
    name: str
    content: str
    record: dict[str, object]
    push_url: str
    dry_run: bool
    force: bool


def _update(job: _Update, folder: Path) -> Published:
    """The gist's clone brought up to date, then the sheet committed and pushed over it, unless
    the gist changed since the last publish (without --force) or the sheet is as it is there."""
    name, url = job.name, str(job.record.get("url", ""))
    with gist.git_env(job.push_url) as env:
        synced = gist.sync(folder, job.push_url, env)
        try:
            _refuse_moved(job, synced)
            target = confined(gitrepo.top(synced.repo) / f"{name}.md", folder)
            before = target.read_text(encoding="utf-8") if target.exists() else ""
            if before == job.content:
                if not job.dry_run:
                    _record(job.ws, name, job.record, job.push_url, synced.head)
                return Published(name, "unchanged", url)
            diff = _diff(before, job.content, f"gist/{name}.md", f"{name}.md")
            if job.dry_run:
                return Published(name, "would update", url, diff)
            target.write_text(job.content, encoding="utf-8", newline="")
            sha = gist.commit_and_push(synced, name, f"Update the {name} cheat sheet from my notes", env)
        finally:
            synced.repo.close()  # no git cat-file children left behind on any path
    _record(job.ws, name, job.record, job.push_url, sha)
    return Published(name, "updated", url, diff)


def _refuse_moved(job: _Update, synced: gist.Synced) -> None:
    """Stop (without --force) when the gist changed since the commit notes.toml records."""
    recorded = str(job.record.get("commit") or "")
    if recorded and synced.head != recorded and not job.force:
        changed = gist.changes_between(synced.repo, recorded, synced.head)
        raise GistMoved(job.name, recorded, synced.head, changed)


def _record(ws: Workspace, name: str, record: dict[str, object], push_url: str, commit: str) -> None:
    fields = {
        "id": str(record.get("id", "")),
        "url": str(record.get("url", "")),
        "push_url": push_url,
        "commit": commit,
    }
    if ws.config.gists.get(name) != fields:
        save_gist(ws.root / CONFIG_NAME, name, fields)


class GistMoved(PublishError):
    """The gist changed since our last publish: nothing pushed without --force."""

    def __init__(self, name: str, recorded: str, head: str, changes: str):
        super().__init__(
            f"the gist of {name!r} changed since the last publish ({recorded[:7]} -> {head[:7]}); "
            "nothing was pushed: merge what changed into your notes, or publish over it with --force "
            "(the gist's history keeps its version)"
        )
        self.changes = changes
