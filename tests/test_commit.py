"""`notes commit` with real repositories: message rules, staging rules, errors, pushing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, run


def committed(repo: Path) -> list[str]:
    return git("log", "--format=%s", cwd=repo).splitlines()


def files_of_last_commit(repo: Path) -> list[str]:
    return sorted(git("show", "--name-only", "--format=", "HEAD", cwd=repo).split())


@pytest.fixture
def course(example: Path) -> Path:
    """The example course with a first commit."""
    result = run("commit", "-m", "Start the course notes", cwd=example)
    assert result.exit_code == 0, result.stderr
    return example


def test_message_for_one_lesson_names_new_and_changed_sections(course: Path) -> None:
    note = course / "03_workflow-orchestration.md"
    text = note.read_text().replace("right after the new taxi files", "right after the new files")
    note.write_text(text + "\n## 12:10 Retries\n\nThree times, then alert.\n")
    result = run("commit", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert committed(course)[0] == "Notes for 3: Scheduling and Retries"
    body = git("log", "-1", "--format=%b", cwd=course)
    assert "- 03_workflow-orchestration.md (modified)" in body
    assert "[12:10](https://www.youtube.com/watch?v=W3Zm6rjOq70&t=730s) Retries" in note.read_text()


def test_message_for_several_lessons_and_an_extra(course: Path) -> None:
    for name, heading in (
        ("01b_virtual-environments-on-an-intel-mac.md", "Pyenv"),
        ("02_docker-and-postgres.md", "2:00:00 Networks"),
    ):
        path = course / name
        path.write_text(path.read_text() + f"\n## {heading}\n\nNew words.\n")
    run("commit", cwd=course)
    assert committed(course)[0] == "Notes for 1b, 2: Pyenv and Networks"


def test_video_index_when_a_note_has_several_videos(course: Path) -> None:
    note = course / "02_docker-and-postgres.md"
    note.write_text(
        note.read_text()
        + "\n## Second video\n\n_([Video source](https://youtu.be/ZZZZZZZZZZZ))_\n"
        + "\n## 1:30 pgAdmin\n\nA web UI.\n"
    )
    run("commit", cwd=course)
    assert committed(course)[0] == "Notes for 2.2: Second video and pgAdmin"


def test_only_generated_changes_are_update_indexes(course: Path) -> None:
    (course / "notes.toml").write_text(
        (course / "notes.toml").read_text().replace("toc_levels = [1, 3]", "toc_levels = [1, 2]")
    )
    run("commit", "-m", "Shallower TOCs", "--no-build", cwd=course)
    result = run("commit", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert committed(course)[0] == "Update indexes"
    # Only the notes with level-3 headings lost TOC entries.
    assert files_of_last_commit(course) == [
        "01_introduction-to-data-engineering.md",
        "02_docker-and-postgres.md",
    ]


def test_subject_stays_within_72_characters(course: Path) -> None:
    note = course / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "".join(f"\n## A rather long section title number {i}\n\nx\n" for i in range(8)))
    run("commit", cwd=course)
    subject = committed(course)[0]
    assert subject.startswith("Notes for 3: A rather long section title number 0")
    assert subject.endswith("more") and len(subject) <= 72


def test_dry_run_prints_and_changes_nothing(course: Path) -> None:
    note = course / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n## 15:00 Backfills\n")
    before = note.read_text()
    head = git("rev-parse", "HEAD", cwd=course)
    result = run("commit", "--dry-run", cwd=course)
    assert result.exit_code == 0
    assert result.stdout.startswith("Notes for 3: Backfills\n\n- 03_workflow-orchestration.md (modified)")
    assert git("rev-parse", "HEAD", cwd=course) == head
    assert note.read_text() == before
    assert git("diff", "--cached", "--name-only", cwd=course) == ""


def test_stages_notes_never_cache_junk_or_ignored_files(course: Path) -> None:
    (course / "images").mkdir(exist_ok=True)
    (course / "images" / "02_01.png").write_bytes(b"\x89PNG fake")
    for junk in ("02_docker-and-postgres.md~", ".02_docker-and-postgres.md.swp", ".#03_x.md", "scratch.tmp"):
        (course / junk).write_text("junk")
    (course / ".gitignore").write_text((course / ".gitignore").read_text() + "private.md\n")
    (course / "private.md").write_text("# mine only\n")
    (course / "homework.py").write_text("print(1)\n")
    note = course / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\n![pgAdmin](images/02_01.png)\n")
    result = run("commit", cwd=course)
    assert result.exit_code == 0, result.stderr
    assert files_of_last_commit(course) == [".gitignore", "02_docker-and-postgres.md", "images/02_01.png"]
    assert "not staged (not part of the notes): homework.py" in result.stderr
    assert ".notes-cache" not in git("ls-files", cwd=course)


def test_a_repo_full_of_code_is_summed_up_not_listed(course: Path) -> None:
    (course / "notebooks").mkdir()
    for i in range(12):
        (course / "notebooks" / f"week{i:02d}.ipynb").write_text("{}")
    note = course / "02_docker-and-postgres.md"
    note.write_text(note.read_text() + "\nOne more line.\n")
    result = run("commit", "--dry-run", cwd=course)
    lines = [line for line in result.stderr.splitlines() if "not staged" in line]
    assert lines[:4] == [f"warning: not staged (not part of the notes): notebooks/week{i:02d}.ipynb" for i in range(4)]
    assert lines[4:] == ["warning: not staged (not part of the notes): 8 more files (`git status` lists them)"]


def test_nothing_to_commit_says_so_and_exits_0(course: Path) -> None:
    result = run("commit", cwd=course)
    assert result.exit_code == 0
    assert "nothing to commit" in result.stderr


def test_a_file_over_the_limit_is_refused(course: Path) -> None:
    (course / "notes.toml").write_text((course / "notes.toml").read_text() + "max_file_mb = 1\n")
    (course / "images").mkdir(exist_ok=True)
    (course / "images" / "huge.png").write_bytes(b"0" * (2 * 1024 * 1024))
    result = run("commit", cwd=course)
    assert result.exit_code == 1
    assert "images/huge.png is 2 MB, over the 1 MB limit" in result.stderr
    assert git("diff", "--cached", "--name-only", cwd=course) == ""


def test_not_a_repository_names_notes_init(tmp_path: Path) -> None:
    (tmp_path / "notes.toml").write_text("")
    result = run("commit", cwd=tmp_path)
    assert result.exit_code == 1 and "notes init" in result.stderr


@pytest.mark.parametrize("author_only", [False, True])
def test_no_identity_is_refused_never_invented(
    course: Path, monkeypatch: pytest.MonkeyPatch, author_only: bool
) -> None:
    empty = course.parent / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("HOME", str(course.parent))
    if author_only:  # the author set, the committer not: git would refuse with its own message
        monkeypatch.setenv("GIT_AUTHOR_NAME", "Learner")
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", "learner@example.com")
    (course / "03_workflow-orchestration.md").write_text("# changed\n")
    result = run("commit", cwd=course)
    assert result.exit_code == 1
    assert 'git config --global user.name "Your Name"' in result.stderr and len(result.stderr.splitlines()) == 1
    assert len(committed(course)) == 1
    assert git("diff", "--cached", "--name-only", cwd=course) == ""  # nothing left staged


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda g: (g / "MERGE_HEAD").write_text("0" * 40), "a merge is in progress"),
        (lambda g: (g / "rebase-merge").mkdir(), "a rebase is in progress"),
    ],
)
def test_merge_or_rebase_in_progress_is_refused(course: Path, setup, words: str) -> None:  # type: ignore[no-untyped-def]
    setup(course / ".git")
    result = run("commit", cwd=course)
    assert result.exit_code == 1 and words in result.stderr


def test_detached_head_is_refused(course: Path) -> None:
    git("checkout", "-q", "--detach", cwd=course)
    result = run("commit", cwd=course)
    assert result.exit_code == 1 and "HEAD is detached" in result.stderr


def test_index_lock_is_waited_for_then_reported(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notes_tool.edges import gitrepo

    monkeypatch.setattr(gitrepo, "LOCK_WAIT_SECONDS", 0.3)
    lock = course / ".git" / "index.lock"
    lock.write_text("")
    result = run("commit", cwd=course)
    assert result.exit_code == 1 and "index.lock" in result.stderr
    lock.unlink()


def test_index_lock_released_meanwhile_lets_the_commit_through(course: Path) -> None:
    import threading

    lock = course / ".git" / "index.lock"
    lock.write_text("")
    timer = threading.Timer(0.5, lock.unlink)
    timer.start()
    (course / "03_workflow-orchestration.md").write_text(
        (course / "03_workflow-orchestration.md").read_text() + "\nmore\n"
    )
    result = run("commit", cwd=course)
    timer.join()
    assert result.exit_code == 0, result.stderr
    assert len(committed(course)) == 2


def test_push_without_a_remote_is_a_clear_error(course: Path) -> None:
    (course / "03_workflow-orchestration.md").write_text("# changed\n")
    result = run("commit", "--push", cwd=course)
    assert result.exit_code == 1
    assert "no remote to push to" in result.stderr
    assert committed(course)[0] != "Start the course notes"  # the commit itself is kept


# Two machines sharing one bare remote over file://


@pytest.fixture
def machines(tmp_path: Path, course: Path) -> tuple[Path, Path, Path]:
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    git("remote", "add", "origin", remote.as_uri(), cwd=course)
    result = run("commit", "--push", cwd=course)
    assert "nothing to commit" in result.stderr
    git("push", "-q", "-u", "origin", "main", cwd=course)
    laptop = tmp_path / "laptop"
    git("clone", "-q", remote.as_uri(), str(laptop), cwd=tmp_path)
    return remote, course, laptop


def test_push_sets_and_uses_the_upstream(machines: tuple[Path, Path, Path]) -> None:
    remote, desktop, _ = machines
    (desktop / "03_workflow-orchestration.md").write_text(
        (desktop / "03_workflow-orchestration.md").read_text() + "\nx\n"
    )
    result = run("commit", "--push", cwd=desktop)
    assert result.exit_code == 0, result.stderr
    assert "pushed to origin/main" in result.stderr
    assert git("rev-parse", "main", cwd=remote) == git("rev-parse", "HEAD", cwd=desktop)


def test_diverged_histories_rebase_cleanly_then_push(machines: tuple[Path, Path, Path]) -> None:
    remote, desktop, laptop = machines
    other = laptop / "01_introduction-to-data-engineering.md"
    other.write_text(other.read_text() + "\nFrom the laptop.\n")
    git("commit", "-qam", "Laptop notes", cwd=laptop)
    git("push", "-q", cwd=laptop)
    mine = desktop / "03_workflow-orchestration.md"
    mine.write_text(mine.read_text() + "\n## 20:00 Desktop section\n")
    result = run("commit", "--push", cwd=desktop)
    assert result.exit_code == 0, result.stderr
    assert "after rebasing onto it" in result.stderr
    log = git("log", "--format=%s", "main", cwd=remote).splitlines()
    assert log[:2] == ["Notes for 3: Desktop section", "Laptop notes"]
    assert "From the laptop." in (desktop / other.name).read_text()


def test_conflicting_histories_stop_with_the_commit_kept(machines: tuple[Path, Path, Path]) -> None:
    remote, desktop, laptop = machines
    name = "03_workflow-orchestration.md"
    theirs = laptop / name
    theirs.write_text(theirs.read_text().replace("It runs the steps", "The laptop says it runs the steps"))
    git("commit", "-qam", "Laptop edit", cwd=laptop)
    git("push", "-q", cwd=laptop)
    mine = desktop / name
    mine.write_text(mine.read_text().replace("It runs the steps", "The desktop says it runs the steps"))
    remote_head = git("rev-parse", "main", cwd=remote)
    result = run("commit", "--push", cwd=desktop)
    assert result.exit_code == 1
    assert "conflict with yours; your commit is kept" in result.stderr
    assert git("rev-parse", "main", cwd=remote) == remote_head
    assert committed(desktop)[0].startswith("Notes for 3")
    assert "The desktop says" in mine.read_text()
    assert not (desktop / ".git" / "rebase-merge").exists()
    assert git("status", "--porcelain", "--untracked-files=no", cwd=desktop) == ""


def test_commit_never_forces(machines: tuple[Path, Path, Path]) -> None:
    remote, desktop, laptop = machines
    git("commit", "-q", "--allow-empty", "-m", "Laptop only", cwd=laptop)
    git("push", "-q", cwd=laptop)
    (desktop / "03_workflow-orchestration.md").write_text("# rewritten entirely\n")
    run("commit", "--push", cwd=desktop)
    assert "Laptop only" in git("log", "--format=%s", "main", cwd=remote)


def test_adopting_regions_is_update_indexes(workspace: Path) -> None:
    (workspace / "01_intro.md").write_text("# Intro\n\n## Part one\n\nText.\n")
    run("commit", "-m", "My notes", "--no-build", cwd=workspace)
    assert run("index", "--adopt", cwd=workspace).exit_code == 0
    result = run("commit", "--no-build", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert committed(workspace)[0] == "Update indexes"


def test_the_first_commit_of_a_new_course_says_it_started_and_takes_vs_codes_files(workspace: Path) -> None:
    assert (workspace / ".vscode" / "tasks.json").is_file()  # init wrote them: they travel with a clone
    result = run("commit", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "not staged" not in result.stderr
    assert committed(workspace) == ["Start the notes of Test Course"]
    assert {".vscode/settings.json", ".vscode/tasks.json", ".vscode/notes.code-snippets"} <= set(
        files_of_last_commit(workspace)
    )


def test_init_example_commits_the_course_or_says_why_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("init", "--example", str(tmp_path / "one")).exit_code == 0
    assert committed(tmp_path / "one") == ["Start the notes of Data Engineering Zoomcamp"]
    assert git("status", "--porcelain", cwd=tmp_path / "one") == ""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("HOME", str(tmp_path))
    result = run("init", "--example", str(tmp_path / "two"))
    assert result.exit_code == 0
    assert "the example is not committed: git does not know who you are" in result.stderr
    assert (tmp_path / "two" / "README.md").is_file() and git("log", "--oneline", "--all", cwd=tmp_path / "two") == ""
