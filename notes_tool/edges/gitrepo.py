"""The git edge: the notes' repository (status, stage, commit, push). GitPython is imported
here only, when first used (:func:`_git`); the gist clones (:mod:`notes_tool.edges.gist`) go
through it too.

Commands go through the git executable (``repo.git.*``) so that hooks, .gitignore, attributes
and the user's configuration all apply. Repo objects are closed after use, so a long-running
watcher does not pile up ``git cat-file`` children.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from notes_tool.errors import GitError

if TYPE_CHECKING:
    # GitPython is imported when first used, not with this module: importing it fails with an
    # ImportError when no git executable is found, and that must be one clear line (_git), not a
    # traceback from whichever command merely imports the git edge.
    from git import Repo

LOCK_WAIT_SECONDS = 3.0


def _git() -> ModuleType:
    try:
        import git
    except ImportError as exc:  # GitPython cannot find the git executable
        raise GitError(f"git is not available ({exc}); install git") from None
    return git


def init_unless_inside(folder: Path) -> bool:
    """``git init`` ``folder`` unless it already is inside a repository; True when it ran."""
    git = _git()
    try:
        with git.Repo(folder, search_parent_directories=True):
            return False
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        pass
    git.Repo.init(folder).close()
    return True


def top_of(folder: Path) -> Path | None:
    """The working tree ``folder`` is in, if it is in one."""
    git = _git()
    try:
        with git.Repo(folder, search_parent_directories=True) as repo:
            return top(repo)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, GitError):
        return None


@contextmanager
def open_repo(folder: Path) -> Iterator[Repo]:
    git = _git()
    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError("not inside a git repository; run `notes init` here (it runs git init) or `git init`") from None
    try:
        yield repo
    finally:
        repo.close()


def message_of(exc: Exception) -> str:
    """The useful line of a failed git command (its last ``fatal:``/``error:`` line)."""
    text = str(getattr(exc, "stderr", "") or exc)
    text = text.replace("stderr: '", "").strip().strip("'").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith(("fatal:", "error:")):
            return line.split(":", 1)[1].strip()
    return lines[-1] if lines else "git failed"


def run(repo: Repo, *args: str, **kwargs: Any) -> str:
    """``git ARGS``; waits briefly for another git's ``index.lock``, then says so."""
    git = _git()
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return str(repo.git.execute(["git", *args], **kwargs))
        except git.GitCommandError as exc:
            if "index.lock" in str(exc.stderr) and time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            if "index.lock" in str(exc.stderr):
                raise GitError(
                    "another git process holds .git/index.lock; wait for it to finish "
                    "(or delete the file if no git is running)"
                ) from None
            raise GitError(message_of(exc)) from None


def check_ready(repo: Repo) -> None:
    """Refuse to commit in states where a commit would surprise: one clear line each."""
    git_dir = Path(repo.git_dir)
    for name, what in (
        ("MERGE_HEAD", "a merge"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase or git am"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
    ):
        if (git_dir / name).exists():
            raise GitError(f"{what} is in progress; finish or abort it first (see `git status`)")
    if repo.head.is_detached:
        raise GitError("HEAD is detached; check out a branch first (`git switch -c my-notes`)")
    for role in ("AUTHOR", "COMMITTER"):  # git needs both; either may come from the environment
        name = os.environ.get(f"GIT_{role}_NAME") or _config(repo, "user.name")
        email = os.environ.get(f"GIT_{role}_EMAIL") or _config(repo, "user.email")
        if not name.strip() or not email.strip():
            raise GitError(
                'git does not know who you are; run: git config --global user.name "Your Name" '
                "&& git config --global user.email you@example.com"
            )
    lock = git_dir / "index.lock"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while lock.exists():
        if time.monotonic() > deadline:
            raise GitError(
                "another git process holds .git/index.lock; wait for it to finish "
                "(or delete the file if no git is running)"
            )
        time.sleep(0.1)


def _config(repo: Repo, key: str) -> str:
    """A git setting as git sees it (every config file, GIT_CONFIG_GLOBAL included); "" if unset."""
    try:
        return str(repo.git.config("--get", key))
    except _git().GitCommandError:
        return ""


@dataclass(frozen=True)
class Changed:
    """A path git reports as changed, relative to the repository's top folder."""

    path: str
    status: str
    """``A`` added, ``M`` modified, ``D`` deleted, ``R`` renamed, ``?`` untracked."""


def top(repo: Repo) -> Path:
    """The repository's working tree (the tool never works in a bare repository)."""
    if repo.working_tree_dir is None:
        raise GitError("a bare repository has no working tree")
    return Path(repo.working_tree_dir)


def worktree_changes(repo: Repo, under: Path) -> list[Changed]:
    """Untracked (not ignored), modified and deleted files below ``under``."""
    rel = os.path.relpath(under, top(repo))
    out = run(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", rel)
    changes = []
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            i += 1  # the rename's source path follows
        status = "?" if code == "??" else ("D" if "D" in code else ("A" if "A" in code else "M"))
        changes.append(Changed(path, status))
    return changes


def is_tracked(repo: Repo, path: Path) -> bool:
    """Whether git tracks the file at ``path`` (in the index)."""
    return bool(run(repo, "ls-files", "-z", "--", os.path.relpath(path, top(repo))))


def move(repo: Repo, old: Path, new: Path) -> None:
    """``git mv`` a tracked file (never onto an existing one)."""
    root = top(repo)
    run(repo, "mv", "--", os.path.relpath(old, root), os.path.relpath(new, root))


def stage(repo: Repo, paths: list[str]) -> None:
    if paths:
        run(repo, "add", "-A", "--", *paths)


def staged(repo: Repo) -> list[Changed]:
    """What the next commit would record, against HEAD (against nothing on an unborn branch)."""
    base = [] if has_head(repo) else [_EMPTY_TREE]
    out = run(repo, "diff", "--cached", "--name-status", "-z", "--no-renames", *base)
    parts = [p for p in out.split("\0") if p]
    return [Changed(parts[i + 1], parts[i][0]) for i in range(0, len(parts) - 1, 2)]


def staged_texts(repo: Repo, paths: list[str]) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of each of ``paths`` as staged in the index (paths that are not
    there, or not UTF-8 text, are left out)."""
    entries = repo.index.entries
    for path in paths:
        entry = entries.get((path, 0))
        if entry is None:
            continue
        try:
            yield path, repo.odb.stream(entry.binsha).read().decode("utf-8")
        except UnicodeDecodeError:
            continue


def index_tree(repo: Repo) -> str:
    """The index as a tree, to put it back with :func:`restore_index`."""
    return run(repo, "write-tree")


def restore_index(repo: Repo, tree: str) -> None:
    """Put the index back as it was when :func:`index_tree` gave ``tree`` (the files untouched)."""
    run(repo, "read-tree", tree)


_EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
"""git's id of the empty tree: what an unborn branch's first commit is compared with."""


def has_head(repo: Repo) -> bool:
    """False on an unborn branch (no commit yet)."""
    return bool(repo.head.is_valid())


def head_text(repo: Repo, path: str) -> str | None:
    """``path`` as committed at HEAD (None when it is new or not text)."""
    if not has_head(repo):
        return None
    try:
        blob = repo.head.commit.tree / path
        data = blob.data_stream.read()
    except KeyError:
        return None
    try:
        return str(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def commit(repo: Repo, message: str) -> str:
    run(repo, "commit", "-q", "-m", message)
    return str(repo.head.commit.hexsha)


@dataclass(frozen=True)
class Pushed:
    remote: str
    branch: str
    rebased: bool


def ahead(repo: Repo) -> bool:
    """Whether the current branch has commits its upstream lacks (all of them, with no
    upstream yet: commits made before a remote existed, or by hand)."""
    if not has_head(repo):
        return False
    try:
        return int(run(repo, "rev-list", "--count", "@{upstream}..HEAD").strip() or 0) > 0
    except GitError:
        return any(r.name == "origin" for r in repo.remotes)  # no upstream: the branch was never pushed


def push(repo: Repo) -> Pushed:
    """Push the current branch to its upstream (else ``origin``), fast-forward only.

    When the remote has moved on: fetch, rebase onto it if that applies cleanly, push again.
    When it does not apply: abort the rebase (nothing changed, the local commit kept) and say so.
    Never forces.
    """
    branch = repo.active_branch
    tracking = branch.tracking_branch()
    if tracking is not None:
        remote, remote_branch = tracking.remote_name, tracking.remote_head
    elif "origin" in [r.name for r in repo.remotes]:
        remote, remote_branch = "origin", branch.name
    else:
        raise GitError("no remote to push to; add one with `git remote add origin URL`")
    refspec = f"HEAD:refs/heads/{remote_branch}"
    upstream = ["--set-upstream"] if tracking is None else []
    try:
        run(repo, "push", "--porcelain", *upstream, remote, refspec)
        return Pushed(remote, remote_branch, False)
    except GitError as exc:
        if not _rejected(str(exc)):
            raise GitError(f"push to {remote} failed: {exc.message}") from None
    run(repo, "fetch", "--quiet", remote)
    if run(repo, "status", "--porcelain", "--untracked-files=no").strip():
        raise GitError(
            f"{remote}/{remote_branch} has commits you do not have, and you have uncommitted changes; "
            "your commit is kept here: commit or stash the rest, then `git pull --rebase` and push"
        )
    try:
        run(repo, "rebase", "--quiet", f"{remote}/{remote_branch}")
    except GitError:
        with suppress(GitError):
            run(repo, "rebase", "--abort")
        raise GitError(
            f"{remote}/{remote_branch} has commits that conflict with yours; your commit is kept "
            "here and nothing was changed: run `git pull --rebase`, resolve, then push"
        ) from None
    run(repo, "push", "--porcelain", *upstream, remote, refspec)
    return Pushed(remote, remote_branch, True)


def _rejected(message: str) -> bool:
    lowered = message.lower()
    return any(w in lowered for w in ("rejected", "non-fast-forward", "fetch first", "failed to push"))


def github_web_url(remote: str) -> str | None:
    """``https://github.com/OWNER/REPO`` for a remote URL of a GitHub repository (https or ssh)."""
    match = re.match(
        r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)([^/]+)/(.+?)(?:\.git)?/?$", remote
    )
    return f"https://github.com/{match.group(1)}/{match.group(2)}" if match else None


def web_location(folder: Path) -> tuple[str, str] | None:
    """Where ``folder`` is on GitHub: its repository's web URL (from ``origin``) and the folder's
    path in the repository (``""`` at its top); None outside a repository or without a GitHub
    ``origin``. A plain repository's ``.git/config`` is read directly (a search asks this, and
    GitPython costs a search more than the search); a worktree or submodule asks git."""
    plain = _plain_repository(folder)
    if plain is not None:
        top_folder, settings = plain
        url = github_web_url(_origin_in(settings))
        inside = folder.resolve().relative_to(top_folder).as_posix()
        return (url, "" if inside == "." else inside) if url else None
    try:
        with open_repo(folder) as repo:
            url = github_web_url(next((r.url for r in repo.remotes if r.name == "origin"), ""))
            inside = folder.resolve().relative_to(top(repo).resolve()).as_posix()
    except (GitError, ValueError):
        return None
    return (url, "" if inside == "." else inside) if url else None


def _plain_repository(folder: Path) -> tuple[Path, Path] | None:
    """The top folder and config file of the plain repository (a ``.git`` folder) ``folder`` is
    in; None when it is in none, or in a worktree or submodule (``.git`` a file)."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        marker = candidate / ".git"
        if marker.is_dir():
            return candidate, marker / "config"
        if marker.exists():
            return None
    return None


def _origin_in(settings: Path) -> str:
    """``remote.origin.url`` in a git config file; "" when it has none or cannot be read."""
    import configparser

    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read(settings, encoding="utf-8")
        return parser.get('remote "origin"', "url", fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
