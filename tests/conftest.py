"""Shared fixtures: an isolated git identity and HOME, workspaces in tmp_path, a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notes_tool.cli import cli

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "course"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ml-zoomcamp"


@pytest.fixture
def corpus() -> Path:
    """The real course notes in ../shared/corpus: skipped on a developer's machine without them,
    a failure under CI (which always has them: a missing corpus must not pass silently)."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{CORPUS} is missing: CI must run with ../shared beside the clone")
        pytest.skip("shared corpus not present")
    return CORPUS


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own HOME and git config, with an identity, and no workspace env."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Test Learner\n\temail = learner@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("NOTES_WORKSPACE", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_thread_leaks() -> Iterator[None]:
    """Fail a test that leaves a thread running (the watcher's observer, a server...)."""
    before = set(threading.enumerate())
    yield
    deadline = 50
    leaked: list[threading.Thread] = []
    for _ in range(deadline):
        leaked = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not leaked:
            return
        threading.Event().wait(0.1)
    pytest.fail(f"test leaked threads: {[t.name for t in leaked]}")


def run(*args: str, cwd: Path | None = None, input: str | None = None) -> Result:
    """Run ``notes ARGS`` in-process, in ``cwd``; stdout and stderr kept apart."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the built-in example course, initialised (git) and indexed."""
    target = tmp_path / "course"
    result = run("init", "--example", str(target))
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty, initialised workspace."""
    target = tmp_path / "ws"
    result = run("init", str(target), "--course", "Test Course")
    assert result.exit_code == 0, result.stderr
    return target


def git(*args: str, cwd: Path) -> str:
    """Plain git, for checking what the tool did to a repository."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (outside .git and the cache), path -> bytes."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith((".git/", ".notes-cache/")):
            out[rel] = path.read_bytes()
    return out


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    return target
