"""`notes init`, `notes new`, `notes index` (nav and course index) as a user runs them."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, copy_tree, git, run, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool.features.newnote import filename_slug
from notes_tool.model import document


def test_init_creates_a_workspace_with_git(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "de"), "--course", "Data Engineering Zoomcamp")
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "de"
    assert 'course = "Data Engineering Zoomcamp"' in (root / "notes.toml").read_text()
    readme = (root / "README.md").read_text()
    assert "<!-- notes:index -->" in readme and "<!-- /notes:index -->" in readme
    assert (root / "images").is_dir()
    assert ".notes-cache" in (root / ".gitignore").read_text()
    assert (root / ".git").is_dir()
    assert git("rev-parse", "--is-inside-work-tree", cwd=root).strip() == "true"


def test_init_finds_the_notes_of_a_course_repository_in_their_subfolder(tmp_path: Path) -> None:
    """A course repo keeps its notes in notes/ beside code folders: init points notes_dir there."""
    repo = tmp_path / "repo"
    for name in ("01_setup.md", "02_pandas.md", "02b_numpy-tricks.md"):
        (repo / "notes").mkdir(parents=True, exist_ok=True)
        (repo / "notes" / name).write_text(
            f"# {name.split('_', 1)[1][:-3].replace('-', ' ').title()}\n\nAbout dataframes.\n"
        )
    (repo / "notes" / "README.md").write_text("# My notes\n")
    (repo / "article").mkdir()
    (repo / "article" / "1_draft.md").write_text("# Draft\n")  # fewer lesson notes: not the notes folder
    (repo / "02_pandas").mkdir()
    (repo / "02_pandas" / "homework.md").write_text("# Homework\n")
    result = run("init", str(repo))
    assert result.exit_code == 0, result.stderr
    assert "found 3 lesson notes in notes/" in result.stderr
    config = (repo / "notes.toml").read_text()
    assert 'notes_dir = "notes"' in config and 'index_file = "notes/README.md"' in config
    assert run("index", "--adopt", cwd=repo).exit_code == 0
    assert (
        "- [Lesson 2: Pandas](02_pandas.md)\n  - [Extra: Numpy Tricks](02b_numpy-tricks.md)"
        in (repo / "notes" / "README.md").read_text()
    )
    assert "notes/02_pandas.md" in run("search", "dataframes", cwd=repo).stdout


def test_a_new_lesson_folder_is_never_one_already_there(tmp_path: Path) -> None:
    """In a course of lesson folders, the new lesson's folder must be new: an empty one of that
    name is refused, and left as it is."""
    root = tmp_path / "course"
    for folder in ("1_intro", "2_docker"):
        (root / folder).mkdir(parents=True)
        (root / folder / "README.md").write_text(f"# {folder}\n")
    assert run("init", str(root)).exit_code == 0
    (root / "3_three").mkdir()
    result = run("new", "Three", cwd=root)
    assert result.exit_code == 1 and "3_three: already exists; not overwritten" in result.stderr
    assert list((root / "3_three").iterdir()) == []


def test_new_takes_the_next_free_extra_letter_and_no_negative_lesson(workspace: Path) -> None:
    from notes_tool.errors import NoteError
    from notes_tool.features.newnote import plan_name
    from notes_tool.structure.workspace import open_workspace

    assert run("new", "Intro", cwd=workspace).exit_code == 0
    names = [Path(run("new", title, "--after", "1", cwd=workspace).stdout.strip()).name for title in ("Venv", "Conda")]
    assert names == ["01b_venv.md", "01c_conda.md"]
    with pytest.raises(NoteError, match="a lesson number cannot be negative"):
        plan_name(open_workspace(workspace), "Minus", lesson=-1)


def test_a_lesson_with_only_an_extra_is_its_extra_in_the_nav(workspace: Path) -> None:
    (workspace / "01_a.md").write_text("# A\n")
    (workspace / "02b_extra.md").write_text("# Extra B\n")
    (workspace / "03_c.md").write_text("# C\n")
    assert run("index", "--adopt", cwd=workspace).exit_code == 0
    assert "[Course index](README.md) · [Extra B »](02b_extra.md)" in (workspace / "01_a.md").read_text()
    assert "[« Extra B](02b_extra.md) · [Course index](README.md)" in (workspace / "03_c.md").read_text()


def test_init_run_again_keeps_its_settings_and_a_file_named_images(tmp_path: Path) -> None:
    """A second `notes init` looks for no notes folder (notes.toml says where) and leaves a file
    where the images folder would go alone, saying so."""
    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    for name in ("01_setup.md", "02_pandas.md"):
        (repo / "notes" / name).write_text("# Lesson\n")
    assert run("init", str(repo)).exit_code == 0
    (repo / "notes" / "images").rmdir()
    (repo / "notes" / "images").write_bytes(b"not a folder\n")
    again = run("init", str(repo))
    assert again.exit_code == 0, again.stderr
    assert "lesson notes in" not in again.stderr
    assert "notes/images is not a folder (a file, or a link to nowhere); left alone" in again.stderr
    assert (repo / "notes" / "images").read_bytes() == b"not a folder\n"


@pytest.mark.parametrize(
    ("folders", "notes_dir"),
    [
        ({"a": 2, "b": 2}, "."),  # as many lessons in each: no clear notes folder
        ({".old": 3, "notes": 2}, "notes"),  # a hidden folder is never the notes folder
        ({"node_modules": 3, "notes": 2}, "notes"),
    ],
)
def test_init_takes_the_one_clear_notes_folder(tmp_path: Path, folders: dict[str, int], notes_dir: str) -> None:
    repo = tmp_path / "repo"
    for folder, count in folders.items():
        (repo / folder).mkdir(parents=True)
        for number in range(1, count + 1):
            (repo / folder / f"0{number}_lesson.md").write_text("# Lesson\n")
    assert run("init", str(repo)).exit_code == 0
    assert f'notes_dir = "{notes_dir}"' in (repo / "notes.toml").read_text()


def test_init_in_a_notes_folder_keeps_it_as_the_notes_dir(tmp_path: Path) -> None:
    (tmp_path / "01_setup.md").write_text("# Setup\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "02_more.md").write_text("# More\n")
    assert run("init", str(tmp_path)).exit_code == 0
    assert 'notes_dir = "."' in (tmp_path / "notes.toml").read_text()


def test_init_twice_and_adoption_change_no_byte(tmp_path: Path) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    (root / "README.md").write_bytes(b"# My own readme\r\nno final newline")
    (root / ".gitignore").write_bytes(b"*.pyc\n")
    (root / "01_intro.md").write_bytes(b"# Intro\n")
    git("init", cwd=tmp_path)  # already inside a repository: no nested repo
    before = tree_bytes(root)
    first = run("init", str(root))
    assert first.exit_code == 0, first.stderr
    assert "no course index" in first.stderr
    assert not (root / ".git").exists()
    after_first = tree_bytes(root)
    assert {k: v for k, v in after_first.items() if k in before} == before
    second = run("init", str(root))
    assert second.exit_code == 0
    assert tree_bytes(root) == after_first
    assert second.stderr.splitlines()[0].endswith("/mine is already set up (notes.toml is there); nothing added")
    assert run("init", cwd=root).stderr.startswith(
        "this folder is already set up (notes.toml is there); nothing added\n"
    )


def test_new_numbers_lessons_and_extras_and_prints_only_the_path(workspace: Path) -> None:
    url = "https://www.youtube.com/watch?v=EYNwNlOrpr0&list=PL3MmuxUbc_hJed7dXYoJw8DoCuVHhGEQb&index=3"
    first = run("new", "Introduction to Data Engineering", "--url", url, cwd=workspace)
    assert first.exit_code == 0, first.stderr
    path = Path(first.stdout.strip())
    assert first.stdout == f"{path}\n"
    assert path.name == "01_introduction-to-data-engineering.md"
    second = run("new", "Docker and Postgres", "--url", "https://youtu.be/2JM-ziJt0WI", cwd=workspace)
    assert Path(second.stdout.strip()).name == "02_docker-and-postgres.md"
    extra = run("new", "Virtual environments on an Intel Mac", "--after", "1", cwd=workspace)
    assert Path(extra.stdout.strip()).name == "01b_virtual-environments-on-an-intel-mac.md"

    note, _ = document.load(path)
    assert note.front_matter["title"] == "Introduction to Data Engineering"
    assert note.front_matter["video"] == url
    assert note.front_matter["lesson"] == "01"
    assert note.front_matter["course"] == "Test Course"
    assert note.title_heading is not None and note.title_heading.text == "Introduction to Data Engineering"
    assert url in note.text
    nav = note.body(note.region("nav"))  # type: ignore[arg-type]
    assert "[Lesson 2: Docker and Postgres »](02_docker-and-postgres.md)" in nav
    assert "Extras: [Virtual environments on an Intel Mac](01b_virtual-environments-on-an-intel-mac.md)" in nav
    readme = (workspace / "README.md").read_text()
    assert (
        "- [Lesson 1: Introduction to Data Engineering](01_introduction-to-data-engineering.md)\n"
        "  - [Extra: Virtual environments on an Intel Mac](01b_virtual-environments-on-an-intel-mac.md)\n"
        "- [Lesson 2: Docker and Postgres](02_docker-and-postgres.md)\n"
    ) in readme


def test_new_from_a_subfolder_and_with_workspace_option(workspace: Path, tmp_path: Path) -> None:
    sub = workspace / "images"
    assert run("new", "From below", cwd=sub).exit_code == 0
    assert (workspace / "01_from-below.md").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("--workspace", str(workspace), "new", "Second", cwd=elsewhere)
    assert result.exit_code == 0, result.stderr
    assert (workspace / "02_second.md").exists()
    os.environ["NOTES_WORKSPACE"] = str(workspace)
    try:
        assert run("new", "Third", cwd=elsewhere).exit_code == 0
    finally:
        del os.environ["NOTES_WORKSPACE"]
    assert (workspace / "03_third.md").exists()


def test_outside_a_workspace_the_error_names_notes_init(tmp_path: Path) -> None:
    result = run("index", cwd=tmp_path)
    assert result.exit_code == 1
    assert "notes init" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["new", "   "], "title is empty"),
        (["new", "!!! ???"], "no letters or digits"),
        (["new", "Again", "--lesson", "1"], "lesson 1 is taken by 01_first.md"),
        (["new", "Extra", "--after", "7"], "no lesson 7"),
        (["new", "x", "--lesson", "2", "--after", "1"], "either --lesson or --after"),
        (["new", "x", "--template", "nope"], "no template named 'nope'"),
    ],
)
def test_new_refuses_bad_requests_and_writes_nothing(workspace: Path, args: list[str], words: str) -> None:
    assert run("new", "First", cwd=workspace).exit_code == 0
    before = tree_bytes(workspace)
    result = run(*args, cwd=workspace)
    assert result.exit_code != 0
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_bytes(workspace) == before


def test_new_refuses_an_existing_file_even_in_other_case(workspace: Path) -> None:
    (workspace / "01_Intro.md").write_text("# mine\n")
    result = run("new", "Intro", "--lesson", "1", cwd=workspace)
    assert result.exit_code == 1  # lesson 1 is taken
    (workspace / "05_Intro.md").unlink(missing_ok=True)
    (workspace / "01_Intro.md").rename(workspace / "07b_Intro.md")
    (workspace / "07_Intro.md").write_text("# mine\n")
    result = run("new", "intro", "--lesson", "8", cwd=workspace)
    assert result.exit_code == 0
    assert (workspace / "07_Intro.md").read_text() == "# mine\n"


def test_new_uses_a_workspace_template_first(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "short.md.j2").write_text("# {{ title }} ({{ code }})\n")
    result = run("new", "Mine", "--template", "short", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert Path(result.stdout.strip()).read_text() == "# Mine (01)\n"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Docker and Postgres", "docker-and-postgres"),
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("Café Résumé", "cafe-resume"),
        ("日本語のノート", "日本語のノート"),
        ("C:\\Windows\\con", "c-windows-con"),
        ("a" * 200, "a" * 60),
    ],
)
def test_file_names_are_safe(title: str, slug: str) -> None:
    assert filename_slug(title) == slug


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_any_title_gives_a_safe_file_name_or_none(title: str) -> None:
    name = filename_slug(title)
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith((".", "-")) and len(name) <= 60
    assert "\x00" not in name and ":" not in name


def test_index_is_idempotent_and_keeps_user_bytes(example: Path) -> None:
    first = tree_bytes(example)
    result = run("index", cwd=example)
    assert result.exit_code == 0, result.stderr
    assert "everything up to date" in result.stderr
    assert tree_bytes(example) == first
    mtimes = {p: p.stat().st_mtime_ns for p in example.glob("*.md")}
    run("index", cwd=example)
    assert {p: p.stat().st_mtime_ns for p in example.glob("*.md")} == mtimes


def test_index_check_reports_stale_files_and_writes_nothing(example: Path) -> None:
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text().replace("Workflow orchestration", "Orchestration with Prefect"))
    before = tree_bytes(example)
    result = run("index", "--check", cwd=example)
    assert result.exit_code == 1
    assert "README.md: stale index" in result.stdout
    assert "02_docker-and-postgres.md: stale nav" in result.stdout
    assert tree_bytes(example) == before
    assert run("index", cwd=example).exit_code == 0
    assert run("index", "--check", cwd=example).exit_code == 0
    assert "[Lesson 3: Orchestration with Prefect](03_workflow-orchestration.md)" in (example / "README.md").read_text()


def test_index_skips_a_broken_note_and_does_the_rest(example: Path) -> None:
    broken = example / "04_broken.md"
    broken.write_bytes(b"<!-- notes:toc -->\n# caf\xe9\n")
    (example / "05_unbalanced.md").write_text("# Five\n\n<!-- notes:toc -->\n")
    (example / "06_fine.md").write_text("# Six\n\n<!-- notes:nav -->\n<!-- /notes:nav -->\n")
    result = run("index", cwd=example)
    assert result.exit_code == 1
    assert "04_broken.md:2: not UTF-8 text" in result.stderr
    assert "05_unbalanced.md:3: region notes:toc is never closed" in result.stderr
    assert "Traceback" not in result.stderr
    assert broken.read_bytes() == b"<!-- notes:toc -->\n# caf\xe9\n"
    assert "[Lesson 6: Six](06_fine.md)" in (example / "README.md").read_text()
    assert "[« Lesson 5: Unbalanced](05_unbalanced.md)" in (example / "06_fine.md").read_text()


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ("colour = 1\n", "notes.toml:1: unknown key 'colour'"),
        ('course = "x"\nnumber_width = "2"\n', "notes.toml:2: 'number_width' must be a whole number"),
        ("toc_levels = [3, 1]\n", "notes.toml:1: 'toc_levels' must be [min, max]"),
        ("course = \n", "notes.toml:1:"),
        ("back_to_top = 1\n", "'back_to_top' must be true or false"),
        ("quiet_ms = true\n", "notes.toml:1: 'quiet_ms' must be a whole number, not True"),
        ("number_width = 5\n", "notes.toml:1: 'number_width' must be 1 to 4"),
        ("max_file_mb = 0\n", "notes.toml:1: 'max_file_mb' must be positive"),
    ],
)
def test_bad_config_is_one_clear_line(workspace: Path, toml: str, words: str) -> None:
    (workspace / "notes.toml").write_text(toml)
    result = run("index", cwd=workspace)
    assert result.exit_code == 1
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_read_only_folder_is_a_clear_error(workspace: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    workspace.chmod(0o555)
    try:
        result = run("new", "Nope", cwd=workspace)
    finally:
        workspace.chmod(0o755)
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_a_read_only_note_is_reported_not_crashed(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text().replace(") Why Docker", ") Why containers"))
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = run("index", cwd=example)
    assert result.exit_code == 1
    assert "02_docker-and-postgres.md: cannot write: Permission denied" in result.stderr


def test_example_note_reads_well(example: Path) -> None:
    text = (example / "02_docker-and-postgres.md").read_text()
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "Docker and Postgres"
    assert "[Course index](README.md)" in text


@pytest.mark.usefixtures("corpus")
def test_corpus_adopted_and_indexed_keeps_every_note_byte(tmp_path: Path) -> None:
    root = copy_tree(CORPUS, tmp_path / "ml")
    before = tree_bytes(root)
    (root / "notes.toml").write_text('course = "ML Zoomcamp"\nnotes_dir = "notes"\nindex_file = "notes/README.md"\n')
    result = run("index", cwd=root)
    assert "no course index region" in result.stderr
    after = tree_bytes(root)
    del after["notes.toml"]
    assert after == before


def test_open_starts_the_editor_from_visual(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    record = tmp_path / "opened.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys, pathlib\npathlib.Path({str(record)!r}).write_text(sys.argv[1])\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    result = run("new", "Opened in my editor", "--open", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert record.read_text() == result.stdout.strip()  # the editor ran, on the new note, before we returned


def test_init_writes_any_course_title_so_it_reads_back(tmp_path: Path) -> None:
    from notes_tool.structure import config

    title = 'Data "Eng" \\ Zoomcamp: ünïcode # not a comment'
    assert run("init", str(tmp_path / "ws"), "--course", title).exit_code == 0
    assert config.load(tmp_path / "ws" / "notes.toml").course == title
    assert "# The course title" in (tmp_path / "ws" / "notes.toml").read_text()


def test_two_index_runs_at_once_both_succeed_without_conflicts(example: Path) -> None:
    """The second run waits for the first (a lock in the cache folder) instead of racing it."""
    import sys

    for n in range(150):
        regions = "<!-- notes:toc -->\n<!-- /notes:toc -->\n\n<!-- notes:nav -->\n<!-- /notes:nav -->\n"
        (example / f"{10 + n:03d}_extra-{n}.md").write_text(f"# Extra {n}\n\n{regions}\n## Part {n}\n")
    command = [sys.executable, "-m", "notes_tool", "index"]
    runs = [subprocess.Popen(command, cwd=example, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    assert not any("changed on disk" in out for out in outputs)
    assert run("index", "--check", cwd=example).exit_code == 0


def test_temp_files_a_killed_run_left_are_removed(example: Path) -> None:
    import os
    import time

    leftover = example / ".03_workflow-orchestration.md.k3j4h5.notes-tmp"
    leftover.write_text("half a note")
    old = time.time() - 3600
    os.utime(leftover, (old, old))
    fresh = example / ".02_docker-and-postgres.md.x1y2z3.notes-tmp"  # another run's write in progress
    fresh.write_text("being written")
    assert run("index", cwd=example).exit_code == 0
    assert not leftover.exists() and fresh.exists()
