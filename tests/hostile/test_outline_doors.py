"""The doors of a clone's course outline: ``notes.toml``'s ``lessons`` and the notes they name.

A ``lessons`` pattern is matched against the workspace's own folders and notes, never handed to a
glob that fans out over a deep tree or follows a link out; an extra it names is a note of the
workspace, never a file outside that a folder link in the clone leads to.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run

SECRET = "---\ntitle: SECRET-TITLE-OF-THE-VICTIM\n---\n# Top secret heading\n\n## Part\n"


def _course(root: Path, lessons: str) -> Path:
    root.mkdir()
    for number in (1, 2):
        (root / f"Lesson{number}.md").write_text(f"# Lesson {number}\n\nText.\n")
    (root / "notes.toml").write_text(f'course = "C"\nlessons = {lessons}\n')
    return root


def test_a_lessons_pattern_of_many_double_stars_does_not_fan_out(tmp_path: Path) -> None:
    ws = _course(tmp_path / "ws", '["Lesson1.md", "' + "**/" * 12 + 'nomatch/", "Lesson2.md"]')
    deep = ws.joinpath("deep", *["d"] * 25)
    deep.mkdir(parents=True)
    (deep / "x.md").write_text("# Deep\n")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "notes_tool", "index"], cwd=ws, capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("notes index still ran after 20 s on a 25-deep tree") from None
    assert "Traceback" not in done.stderr
    assert "matches no note" in done.stderr
    assert "[Lesson 2](Lesson2.md)" in (ws / "README.md").read_text()


def test_a_pattern_does_not_list_folders_through_a_link_out(tmp_path: Path) -> None:
    elsewhere = tmp_path / "home"
    (elsewhere / "private-project").mkdir(parents=True)
    ws = _course(tmp_path / "ws", '["Lesson1.md", "out/*/", "Lesson2.md"]')
    (ws / "out").symlink_to(elsewhere)
    result = run("index", cwd=ws)
    assert "private-project" not in result.stderr + result.stdout


def test_an_extra_behind_a_folder_link_out_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET)
    ws = _course(tmp_path / "ws", '[["Lesson1.md", "out/secret.md"], "Lesson2.md"]')
    (ws / "out").symlink_to(outside)
    result = run("index", cwd=ws)
    assert "Traceback" not in result.stderr
    readme = (ws / "README.md").read_text()
    assert "SECRET" not in readme and "Top secret" not in readme
    assert "[Lesson 2](Lesson2.md)" in readme
    assert "notes.toml: lessons: 'out/secret.md' (an extra of 'Lesson1.md') is not a note" in result.stderr
    assert (outside / "secret.md").read_text() == SECRET


def test_an_extra_of_the_workspace_is_still_kept(tmp_path: Path) -> None:
    ws = _course(tmp_path / "ws", '[["Lesson1.md", "more/wandb.md"], "Lesson2.md"]')
    (ws / "more").mkdir()
    (ws / "more" / "wandb.md").write_text("# Weights and biases\n")
    result = run("index", cwd=ws)
    assert result.exit_code == 0, result.stderr
    assert "  - [Extra: Weights and biases](more/wandb.md)" in (ws / "README.md").read_text()


def test_a_lessons_list_is_bounded(tmp_path: Path) -> None:
    many = ", ".join(f'"Nope{n}*/*.md"' for n in range(1001))
    ws = _course(tmp_path / "ws", f"[{many}]")
    result = run("index", cwd=ws)
    assert result.exit_code != 0
    assert "notes.toml:2: 'lessons' may name at most 1,000 notes, not 1,001" in result.stderr
    assert not (ws / "README.md").exists()
    assert "Traceback" not in result.stderr
