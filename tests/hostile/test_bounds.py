"""#24 item 10: the smaller doors (settings into .git, transcript times and sizes, a fetch that
never answers, leftovers of a killed run, linked images, many duplicate headings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, tree_bytes


@pytest.mark.parametrize(
    "setting",
    ['cache_dir = ".git/refs/heads"', 'cache_dir = ".git"', 'cache_dir = ".GIT/x"', 'notes_dir = ".git/hooks"'],
)
def test_a_setting_into_git_s_own_folder_is_refused(workspace: Path, setting: str) -> None:
    config = workspace / "notes.toml"
    key = setting.split(" =")[0]
    config.write_text(
        "\n".join([*(x for x in config.read_text().splitlines() if not x.startswith(f"{key} =")), setting]) + "\n"
    )
    refs = sorted(p.name for p in (workspace / ".git" / "refs" / "heads").iterdir())
    before = tree_bytes(workspace)
    for args in (["index"], ["check"], ["search", "x"]):
        result = run(*args, cwd=workspace)
        assert result.exit_code != 0, args
        assert result.stderr.startswith("notes.toml:") and "must not be in git's own folder (.git)" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in (workspace / ".git" / "refs" / "heads").iterdir()) == refs
    assert tree_bytes(workspace) == before
