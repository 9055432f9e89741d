"""``notes mv`` in a clone: its ``images/`` and ``transcripts/`` may be links to folders elsewhere.

Moving a note renames its screenshots and transcripts with it; through such a link that renamed
the victim's own files outside the workspace.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, run

NOTE = "02_docker-and-postgres.md"


def test_mv_renames_nothing_in_a_folder_linked_outside(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "home"
    (outside / "tr").mkdir(parents=True)
    (outside / "img").mkdir()
    (outside / "tr" / "02_docker-and-postgres.v1.txt").write_text("the victim's own file\n")
    (outside / "tr" / "02_docker-and-postgres.stamped.txt").write_text("the victim's record\n")
    (outside / "img" / "02_01.png").write_bytes(b"\x89PNG the victim's picture")
    for name in ("transcripts", "images"):
        if (example / name).exists():
            (example / name).rmdir()
    (example / "transcripts").symlink_to(outside / "tr")
    (example / "images").symlink_to(outside / "img")
    git("add", "-A", cwd=example)
    git("commit", "-qm", "clone", cwd=example)
    before = sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*"))

    result = run("mv", NOTE, "05_docker-and-postgres.md", cwd=example)

    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == before
    assert (example / "05_docker-and-postgres.md").is_file()  # (the note itself is moved)
    assert "is in a folder linked outside the workspace; not renamed" in result.stderr


def test_mv_still_renames_a_transcript_of_the_workspace(example: Path, tmp_path: Path) -> None:
    spoken = tmp_path / "spoken.txt"
    spoken.write_text("0:00 hello\n0:30 docker run postgres\n")
    assert run("transcript", "add", NOTE, str(spoken), cwd=example).exit_code == 0
    result = run("mv", NOTE, "05_docker-and-postgres.md", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (example / "transcripts").glob("05_docker-and-postgres.v1.*")]


def test_mv_never_overwrites_a_note_that_differs_only_in_case(example: Path) -> None:
    mine, other = example / "06_kube.md", example / "06_Kube.md"
    mine.write_text("# Mine\n\nmy words\n")
    other.write_text("# Other\n\nwords of another note\n")
    if not (mine.exists() and other.read_text() != mine.read_text()):  # pragma: no cover
        return  # (a file system that ignores case holds one of them only)
    result = run("mv", mine.name, other.name, cwd=example)
    assert result.exit_code != 0
    assert "06_Kube.md: already exists; not overwritten, nothing moved" in result.stderr
    assert other.read_text() == "# Other\n\nwords of another note\n"
    assert mine.read_text() == "# Mine\n\nmy words\n"


def test_a_case_only_rename_still_works(example: Path) -> None:
    result = run("mv", NOTE, "02_Docker-and-postgres.md", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert (example / "02_Docker-and-postgres.md").is_file()
