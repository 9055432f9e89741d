"""The git edge: every GitPython call of the tool lives here (imported lazily)."""

from __future__ import annotations

from pathlib import Path

from notes_tool.errors import GitError


def init_unless_inside(folder: Path) -> bool:
    """``git init`` ``folder`` unless it already is inside a repository; True when it ran."""
    try:
        import git
    except ImportError as exc:  # GitPython cannot find the git executable
        raise GitError(f"git is not available ({exc})") from None
    try:
        repo = git.Repo(folder, search_parent_directories=True)
        repo.close()
        return False
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        pass
    repo = git.Repo.init(folder)
    repo.close()
    return True
