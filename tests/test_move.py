"""`notes mv`: a note renamed or renumbered in a real git repository, and everything following."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, run, tree_bytes
from test_links import course, note  # noqa: F401  (the fixture course of test_links)

from notes_tool.errors import ConcurrentEdit
from notes_tool.features import move
from notes_tool.structure.workspace import open_workspace

THREE = """\
# Three

See [pgAdmin](02_volumes.md#pgadmin) and ![the shot](images/02_01.png).
"""


@pytest.fixture
def repo(course: Path) -> Path:  # noqa: F811
    """The course with a screenshot and a transcript of lesson 2, committed."""
    images = course / "notes" / "images"
    images.mkdir()
    (images / "02_01.png").write_bytes(b"\x89PNG one")
    (images / "02_02.png").write_bytes(b"\x89PNG two")
    folder = course / "notes" / "transcripts"
    folder.mkdir()
    (folder / "02_volumes.v1.txt").write_text(
        "# Transcript of 02_volumes.md, video 1: https://youtu.be/abcdefghijk\n0:00 hello\n"
    )
    (folder / "02_volumes.v1.md").write_text("# Transcript\n\n## [Named volumes](../02_volumes.md#named-volumes)\n")
    (course / "notes" / "03_three.md").write_text(THREE)
    two = note(course, "02_volumes.md")
    two.write_text(two.read_text() + "\n![a shot](images/02_02.png)\n")
    assert run("index", cwd=course).exit_code == 0
    git("init", "-q", cwd=course)
    git("add", "-A", cwd=course)
    git("commit", "-qm", "notes", cwd=course)
    return course


def test_mv_renumbers_a_lesson_and_everything_follows(repo: Path) -> None:
    before = tree_bytes(repo)
    result = run("mv", "notes/02_volumes.md", "notes/04_volumes.md", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "renamed notes/02_volumes.md -> notes/04_volumes.md" in result.stderr
    moved = note(repo, "04_volumes.md")
    assert not note(repo, "02_volumes.md").exists()
    status = git("status", "--porcelain", cwd=repo)
    assert "R  notes/02_volumes.md -> notes/04_volumes.md" in status or "RM notes/02_volumes.md" in status
    # its screenshots, named for the new lesson code, and its transcripts, named for the note
    assert (repo / "notes/images/04_01.png").read_bytes() == b"\x89PNG one"
    assert not (repo / "notes/images/02_01.png").exists()
    txt = (repo / "notes/transcripts/04_volumes.v1.txt").read_text()
    assert txt.startswith("# Transcript of 04_volumes.md, video 1:")
    page = (repo / "notes/transcripts/04_volumes.v1.md").read_text()
    assert "(../04_volumes.md#named-volumes)" in page
    # every link follows; the rest of each file is as it was
    three = note(repo, "03_three.md").read_text()
    assert three == THREE.replace("02_volumes.md", "04_volumes.md").replace("images/02_01", "images/04_01")
    assert "![a shot](images/04_02.png)" in moved.read_text()
    readme = (repo / "README.md").read_text()
    assert "Start with [volumes](notes/04_volumes.md#named-volumes)." in readme
    assert "- [Lesson 4: Volumes and data](notes/04_volumes.md)" in readme
    assert "(../notes/04_volumes.md#pgadmin)" in (repo / "cheatsheets/docker.md").read_text()
    one_before = before["notes/01_setup.md"].decode()
    assert note(repo, "01_setup.md").read_text() == one_before.replace("02_volumes.md", "04_volumes.md")
    check = run("check", cwd=repo)
    assert check.exit_code == 0, check.stdout
    assert "no heading" not in check.stdout and "missing" not in check.stdout


def test_mv_into_another_folder_redoes_the_notes_own_relative_links(repo: Path) -> None:
    (repo / "extras").mkdir()
    result = run("mv", "notes/03_three.md", "extras/", cwd=repo)
    assert result.exit_code == 0, result.stderr
    moved = (repo / "extras" / "03_three.md").read_text()
    assert "See [pgAdmin](../notes/02_volumes.md#pgadmin) and ![the shot](../notes/images/02_01.png)." in moved
    check = run("check", cwd=repo)
    assert "missing" not in check.stdout and "no heading" not in check.stdout


def test_mv_dry_run_shows_the_diff_and_changes_nothing(repo: Path) -> None:
    before = tree_bytes(repo)
    result = run("mv", "notes/02_volumes.md", "notes/04_volumes.md", "--dry-run", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert tree_bytes(repo) == before
    out = result.stdout
    assert "rename from notes/images/02_01.png\nrename to notes/images/04_01.png\n" in out
    assert "rename from notes/02_volumes.md\nrename to notes/04_volumes.md\n" in out
    assert "--- a/notes/03_three.md\n+++ b/notes/03_three.md\n" in out
    assert "+See [pgAdmin](04_volumes.md#pgadmin) and ![the shot](images/04_01.png).\n" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("notes/02_volumes.md", "notes/01_setup.md", "notes/01_setup.md: already exists; not overwritten"),
        ("notes/02_volumes.md", "../elsewhere.md", "elsewhere.md: is outside the workspace; nothing moved"),
        ("notes/02_volumes.md", "notes/02_volumes.txt", "is not a Markdown file name (.md); nothing moved"),
        ("notes/09_none.md", "notes/10_none.md", "notes/09_none.md: no such note"),
        ("notes/02_volumes.md", ".notes-cache/x.md", "is inside the tool's cache or .git; nothing moved"),
        (
            "README.md",
            "notes/README.md",
            "README.md: is the course index (index_file in notes.toml) or the settings; not moved",
        ),
    ],
)
def test_mv_refuses_with_one_line_and_changes_nothing(repo: Path, old: str, new: str, message: str) -> None:
    before = tree_bytes(repo)
    result = run("mv", old, new, cwd=repo)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert tree_bytes(repo) == before


def test_a_screenshot_name_already_taken_refuses_the_move(repo: Path) -> None:
    (repo / "notes/images/04_01.png").write_bytes(b"other")
    before = tree_bytes(repo)
    result = run("mv", "notes/02_volumes.md", "notes/04_volumes.md", cwd=repo)
    assert result.exit_code == 1
    assert "notes/images/04_01.png already exists; nothing moved" in result.stderr
    assert tree_bytes(repo) == before


def test_a_note_changed_while_the_move_was_planned_stops_it(repo: Path) -> None:
    ws = open_workspace(repo)
    planned = move.plan_move(ws, note(repo, "02_volumes.md"), note(repo, "04_volumes.md"))
    three = note(repo, "03_three.md")
    three.write_text(three.read_text() + "Typed while mv planned.\n")
    before = tree_bytes(repo)
    with pytest.raises(ConcurrentEdit, match="changed while the move was planned; nothing moved"):
        move.run_move(ws, planned)
    assert tree_bytes(repo) == before
    # ...and the same move, planned again, goes through with the user's line kept
    move.run_move(ws, move.plan_move(ws, note(repo, "02_volumes.md"), note(repo, "04_volumes.md")))
    assert three.read_text().endswith("Typed while mv planned.\n")
    assert "04_volumes.md#pgadmin" in three.read_text()


def test_mv_through_a_folder_link_leading_outside_is_refused(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        (repo / "out").symlink_to(elsewhere, target_is_directory=True)
    except OSError:
        pytest.skip("no symlinks here")
    before = tree_bytes(repo)
    result = run("mv", "notes/02_volumes.md", "out/02_volumes.md", cwd=repo)
    assert result.exit_code == 1
    assert "is outside the workspace; nothing moved" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert tree_bytes(repo) == before


def test_links_in_files_that_are_no_notes_are_left_alone_by_index_and_mv(course: Path) -> None:  # noqa: F811
    """Markdown in a virtual environment (named ``.venv`` or not), ``node_modules``, a hidden
    folder or a folder ``.gitignore`` ignores is no note: a heading renamed, then the note moved,
    rewrites the links of the notes and leaves those files' bytes as they were."""
    (course / ".gitignore").write_text("site/\n")
    (course / "env").mkdir()
    (course / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    strays = {}
    names = [".venv/lib/x/README.md", "env/lib/x/README.md", "node_modules/x/README.md", ".drafts/a.md", "site/a.md"]
    for rel in names:
        path = course / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        target = "../" * rel.count("/") + "notes/02_volumes.md"
        path.write_bytes(f"See [pgAdmin]({target}#pgadmin) and [v]({target}).\r\n".encode())
        strays[rel] = path.read_bytes()
    three = note(course, "03_three.md")
    three.write_text("# Three\n\nSee [pgAdmin](02_volumes.md#pgadmin).\n")
    two = note(course, "02_volumes.md")
    two.write_text(two.read_text().replace("## pgAdmin", "## pgAdmin in a browser"))
    assert run("index", cwd=course).exit_code == 0
    assert "See [pgAdmin](02_volumes.md#pgadmin-in-a-browser)." in three.read_text()
    assert {rel: (course / rel).read_bytes() for rel in strays} == strays
    result = run("mv", "notes/02_volumes.md", "notes/04_volumes.md", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert "See [pgAdmin](04_volumes.md#pgadmin-in-a-browser)." in three.read_text()
    assert "(../notes/04_volumes.md#pgadmin-in-a-browser)" in (course / "cheatsheets" / "docker.md").read_text()
    assert {rel: (course / rel).read_bytes() for rel in strays} == strays


def test_screenshots_in_a_folder_linked_outside_stay_and_a_link_written_encoded_follows(
    repo: Path, tmp_path: Path
) -> None:
    shots = tmp_path / "shots"
    (repo / "notes" / "images").rename(shots)
    try:
        (repo / "notes" / "images").symlink_to(shots, target_is_directory=True)
    except OSError:
        pytest.skip("no symlinks here")
    (repo / "notes" / "05_my notes.md").write_text("# Mine\n")
    (repo / "notes" / "06_six.md").write_text("# Six\n\nSee [mine](05_my%20notes.md).\n")
    result = run("mv", "notes/02_volumes.md", "notes/04_volumes.md", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "02_01.png: is in a folder linked outside the workspace; not renamed" in result.stderr
    assert sorted(p.name for p in shots.iterdir()) == ["02_01.png", "02_02.png"]
    assert run("mv", "notes/05_my notes.md", "notes/05_mine.md", cwd=repo).exit_code == 0
    assert "See [mine](05_mine.md)." in (repo / "notes" / "06_six.md").read_text()
