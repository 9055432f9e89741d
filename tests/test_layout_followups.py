"""What the other layouts (#25) still tripped on: transcripts of two lesson folders' README.md
notes, the watcher's screenshots, cheat sheets of notes outside the lessons, an added lesson in
an owner's numbered headings, a README linking its own repository by URL, a folder the README
lists as an extra against its number.

Each test starts from a fixture course in tests/fixtures/layouts/ (copied to a temp folder) or
a small course written here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, run
from test_layouts import _course as copied
from test_layouts import _write
from test_watch import Running, append, wait_until

from notes_tool.structure import config

VIDEO_ONE = "https://www.youtube.com/watch?v=Aaaaaaaaaa1"
VIDEO_TWO = "https://www.youtube.com/watch?v=Bbbbbbbbbb2"


def _course(name: str, tmp_path: Path) -> Path:
    """The fixture course ``name``, copied, in a git repository, with ``notes init`` run."""
    root = copied(name, tmp_path)
    assert run("init", cwd=root).exit_code == 0
    return root


def _with_video(note: Path, url: str) -> None:
    """The note's first H2 gets a typed time, and the note a video in its front matter."""
    text = note.read_text(encoding="utf-8")
    head = f"---\nvideo: {url}\n"
    text = head + text[4:] if text.startswith("---\n") else f"{head}---\n\n{text}"
    note.write_text(text.replace("\n## ", "\n## 0:05 ", 1), encoding="utf-8")


def _panel(tmp_path: Path, name: str, words: str, *more: str) -> Path:
    source = tmp_path / name
    said = "".join(f"{10 + 30 * n // 60}:{30 * n % 60:02d} {line}\n" for n, line in enumerate(more))
    source.write_text(f"0:00 hello\n0:06 {words}\n{said}", encoding="utf-8")
    return source


def test_two_lesson_folders_keep_their_own_transcripts(tmp_path: Path) -> None:
    root = _course("modules", tmp_path)
    one, two = "1_Containers-and-IaC/README.md", "2_Orchestration-with-Kestra/README.md"
    _with_video(root / one, VIDEO_ONE)
    _with_video(root / two, VIDEO_TWO)
    said_one = _panel(
        tmp_path,
        "one.txt",
        "a hypervisor is not a container runtime",
        "now running postgres in docker we mount a named volume",
        "so the tables survive when the container is removed docker run with pgdata",
        "next on a fresh ec2 box docker asks for sudo so add yourself to the docker group",
        "and log in again then terraform plan shows what would change and terraform apply makes it so",
    )
    said_two = _panel(tmp_path, "two.txt", "namespaces keep the flows of teams apart")
    assert run("transcript", "add", one, str(said_one), cwd=root).exit_code == 0
    assert run("transcript", "add", two, str(said_two), cwd=root).exit_code == 0
    first = root / "transcripts" / "1_Containers-and-IaC" / "README.v1.txt"
    second = root / "transcripts" / "2_Orchestration-with-Kestra" / "README.v1.txt"
    assert "hypervisor" in first.read_text() and "namespaces" in second.read_text()

    found = run("search", "hypervisor", "container", "runtime", cwd=root).stdout
    assert "in your notes:" in found and "(1_Containers-and-IaC/README.md:" in found
    found = run("search", "namespaces", "teams", cwd=root).stdout
    assert "(2_Orchestration-with-Kestra/README.md:" in found
    # what was said belongs to the folder's lesson: --lesson finds it there and only there
    assert "said at 0:06" in run("search", "hypervisor", "--lesson", "1", cwd=root).stdout
    assert "said at" not in run("search", "hypervisor", "--lesson", "2", cwd=root).stdout

    stamped = run("stamp", one, cwd=root)
    assert stamped.exit_code == 0, stamped.stderr
    assert (root / "transcripts" / "1_Containers-and-IaC" / "README.stamped.txt").is_file()
    assert not (root / "transcripts" / "README.stamped.txt").exists()

    assert run("transcript", "show", two, "--write", cwd=root).exit_code == 0
    page = (root / "transcripts" / "2_Orchestration-with-Kestra" / "README.v1.md").read_text()
    assert "](../../2_Orchestration-with-Kestra/README.md)" in page

    # notes mv takes the folder note's transcripts and stamp's record with it
    moved = run("mv", one, "1_Containers-and-IaC/containers.md", cwd=root)
    assert moved.exit_code == 0, moved.stderr
    assert (root / "transcripts" / "1_Containers-and-IaC" / "containers.v1.txt").is_file()
    assert (root / "transcripts" / "1_Containers-and-IaC" / "containers.stamped.txt").is_file()
    assert not first.exists()
    checked = run("check", cwd=root)
    assert "which is not there" not in checked.stdout + checked.stderr

    # a note gone without its transcript: check names the note by its path
    (root / two).rename(root / "2_Orchestration-with-Kestra" / "kestra.md")
    checked = run("check", cwd=root)
    assert (
        "transcripts/2_Orchestration-with-Kestra/README.v1.txt: warning: the transcript of "
        "2_Orchestration-with-Kestra/README.md, which is not there" in checked.stdout + checked.stderr
    )


def test_a_note_at_the_top_keeps_its_transcript_name(workspace: Path, tmp_path: Path) -> None:
    (workspace / "03_kafka.md").write_text(f"---\nvideo: {VIDEO_ONE}\n---\n\n# Kafka\n\n## 0:05 Topics\n\nLogs.\n")
    assert (
        run(
            "transcript", "add", "03_kafka.md", str(_panel(tmp_path, "k.txt", "a topic is a log")), cwd=workspace
        ).exit_code
        == 0
    )
    assert (workspace / "transcripts" / "03_kafka.v1.txt").is_file()


def test_a_screenshot_goes_to_the_note_saved_last_of_any_kind(tmp_path: Path) -> None:
    root = _course("numbered-modules", tmp_path)
    shots = tmp_path / "Shots"
    running = Running(root, screenshots=shots)
    try:
        for note, image in [("module4a.md", "4a_01.png"), ("wandb.md", "wandb_01.png"), ("module4a.md", "4a_02.png")]:
            append(root / note, "\n## Looking at the chart\n")
            running.settle(len(running.watcher.rounds) + 1)
            (shots / f"shot-{image}").write_bytes(b"\x89PNG" + b"0" * 64)
            target = root / "images" / image
            wait_until(lambda: target.exists() and running.watcher.idle())  # noqa: B023 (waited for here)
            assert (root / note).read_text().endswith(f"\n![Screenshot](images/{image})\n")
    finally:
        running.stop()


def test_a_screenshot_of_a_folder_lessons_note_carries_the_lessons_code(tmp_path: Path) -> None:
    root = _course("modules", tmp_path)
    shots = tmp_path / "Shots"
    running = Running(root, screenshots=shots)
    try:
        note = root / "3_Warehouse" / "README.md"
        append(note, "\n## Partitioning\n")
        running.settle(len(running.watcher.rounds) + 1)
        (shots / "a.png").write_bytes(b"\x89PNG" + b"1" * 64)
        wait_until(lambda: (root / "images" / "3_01.png").exists() and running.watcher.idle())
        assert note.read_text().endswith("\n![Screenshot](../images/3_01.png)\n")
    finally:
        running.stop()


def test_a_note_outside_the_lessons_gives_its_snippets_to_the_sheets(tmp_path: Path) -> None:
    root = _course("numbered-modules", tmp_path)
    with (root / "wandb.md").open("a", encoding="utf-8") as handle:
        handle.write("\n## Logging a metric\n\n```python cheat=ml\nwandb.log({'auc': auc})\n```\n")
    with (root / "module3.md").open("a", encoding="utf-8") as handle:
        handle.write("\n## Mutual information\n\n```python cheat=ml\nmutual_info_score(a, b)\n```\n")
    exported = run("cheats", "export", cwd=root)
    assert exported.exit_code == 0, exported.stderr
    sheet = (root / "cheatsheets" / "ml.md").read_text()
    assert sheet.index("mutual_info_score") < sheet.index("wandb.log")  # the lessons first
    title = next(line[2:] for line in (root / "wandb.md").read_text().splitlines() if line.startswith("# "))
    assert f"\n## {title}\n" in sheet  # headed by its own title, no lesson number
    assert f"Source: [{title} › Logging a metric](../wandb.md#logging-a-metric)" in sheet
    assert run("cheats", "export", cwd=root).exit_code == 0
    assert (root / "cheatsheets" / "ml.md").read_text() == sheet


def test_an_added_lesson_follows_the_owners_numbered_headings(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Stats course\n\n## 01 - [Part 1](part1.md)\n\nSampling.\n\n"
            "## 02 - [Part 2](part2.md)\n\nTests.\n\n## Credits\n\nMe.\n",
            "part1.md": "# Sampling\n\nDraw at random.\n",
            "part2.md": "# Hypothesis tests\n\nA p-value.\n",
            "part3.md": "# Regression\n\nLeast squares.\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    readme = (root / "README.md").read_text()
    assert "\n## 03 - [Part 3](part3.md)\n" in readme
    assert "## 01 - [Part 1](part1.md)\n\nSampling.\n" in readme  # the owner's lines as they were
    assert "[Part 3 »](part3.md)" in (root / "part2.md").read_text()
    before = {p: p.read_bytes() for p in root.glob("*.md")}
    assert run("index", cwd=root).exit_code == 0
    assert {p: p.read_bytes() for p in root.glob("*.md")} == before


def test_an_added_lesson_after_titled_headings_keeps_its_title(tmp_path: Path) -> None:
    root = _write(
        tmp_path / "c",
        {
            "README.md": "# Course\n\n## 1) [Getting data](/lesson1.md)\n\n## 2) [Cleaning it](/lesson2.md)\n",
            "lesson1.md": "# Getting data\n\nDownloads.\n",
            "lesson2.md": "# Cleaning data\n\nNulls.\n",
            "lesson3.md": "# Plotting\n\nCharts.\n",
        },
    )
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    assert "\n## 3) [Lesson 3: Plotting](/lesson3.md)\n" in (root / "README.md").read_text()


OWN = "https://github.com/Learner/DE-notes"


def _linked_by_url(root: Path, base: str) -> Path:
    return _write(
        root,
        {
            "README.md": "# My data engineering notes\n\nWhat I wrote down, week by week.\n\n"
            f"- [Before we start]({base}/blob/main/setup/README.md)\n"
            f"- [Week 1: Docker]({base}/tree/main/week1)\n"
            f"- [Week 2: Orchestration]({base}/tree/main/week2/)\n"
            "- [The course itself](https://github.com/SomeOrg/course/tree/main/week1)\n\n"
            "## Thanks\n\nTo the people who teach it.\n",
            "setup/README.md": "# Setting up\n\nPython and Docker.\n",
            "week1/README.md": "# Docker\n\nImages and containers.\n",
            "week2/README.md": "# Orchestration\n\nFlows and tasks.\n",
        },
    )


def test_a_readme_linking_its_own_repository_by_url_is_the_lesson_list(tmp_path: Path) -> None:
    root = _linked_by_url(tmp_path / "c", OWN.lower())  # (GitHub's names ignore case)
    git("remote", "add", "origin", f"{OWN}.git", cwd=root)
    said = run("init", cwd=root)
    assert said.exit_code == 0, said.stderr
    assert "found 3 lessons: one folder each" in said.stderr
    assert "in the order of the list in README.md" in said.stderr
    assert config.load(root / "notes.toml").lessons == ["setup/", "week1/", "week2/"]
    assert run("index", "--adopt", cwd=root).exit_code == 0
    readme = (root / "README.md").read_text()
    assert readme.count("week1") == 2 and readme.count("README.md") == 1  # nothing added twice
    assert readme.index("<!-- notes:index -->") < readme.index("[Before we start]") < readme.index("<!-- /notes:index")
    assert "[« Week 1: Docker](../week1/README.md)" in (root / "week2" / "README.md").read_text()
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    assert run("index", cwd=root).exit_code == 0
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == before


def test_links_to_another_repository_are_not_the_lesson_list(tmp_path: Path) -> None:
    root = _linked_by_url(tmp_path / "c", "https://github.com/Someone/else")
    git("remote", "add", "origin", f"{OWN}.git", cwd=root)
    assert run("init", cwd=root).exit_code == 0
    assert config.load(root / "notes.toml").lessons == ["week*/"]


def test_repo_url_in_notes_toml_names_the_repository_without_a_remote(tmp_path: Path) -> None:
    root = _linked_by_url(tmp_path / "c", OWN)
    (root / "notes.toml").write_text(f'repo_url = "{OWN}"\n')
    assert run("init", cwd=root).exit_code == 0
    adopted = run("index", "--adopt", cwd=root)
    assert adopted.exit_code == 0, adopted.stderr
    assert "[Week 1: Docker »](../week1/README.md)" in (root / "setup" / "README.md").read_text()


DE_STYLE = {
    "README.md": "# Pipelines course, my notes\n\n* [Module 1: Containers](01-containers/)\n"
    "* [Module 2: Orchestration](02-orchestration/)\n* [Module 3: Warehouse](03-warehouse/)\n"
    "* **Extras:**\n    * [Workshop: loading with dlt](02-dlt-workshop/)\n    * [Stream notes](streams.md)\n",
    "01-containers/README.md": "# Containers\n\nImages.\n",
    "02-orchestration/README.md": "# Orchestration\n\nFlows.\n",
    "02-dlt-workshop/README.md": "# Loading with dlt\n\nPipelines in Python.\n",
    "03-warehouse/README.md": "# Warehouse\n\nPartitions.\n",
    "streams.md": "# Streams\n\nTopics.\n",
}


def test_a_numbered_folder_listed_as_an_extra_stays_one_and_is_said_once(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", DE_STYLE)
    said = run("init", cwd=root).stderr
    assert "found 3 lessons" in said
    notice = (
        "README.md:7: lists 02-dlt-workshop/ as an extra, though its name numbers it lesson 2: "
        "it is an extra of 02-orchestration/, as the list says"
    )
    assert notice in said and "claim" not in said
    assert config.load(root / "notes.toml").lessons == [
        "01-containers/",
        ["02-orchestration/", "02-dlt-workshop/README.md"],
        ["03-warehouse/", "streams.md"],  # (no number: an extra of the lesson listed before)
    ]
    adopted = run("index", "--adopt", cwd=root)
    assert adopted.exit_code == 0 and "claim" not in adopted.stderr + adopted.stdout
    readme = (root / "README.md").read_text()
    assert readme.count("02-dlt-workshop") == 1  # the owner's line is the index's: nothing added
    assert (
        "Extra to [Module 2: Orchestration](../02-orchestration/README.md)"
        in (root / "02-dlt-workshop" / "README.md").read_text()
    )
    again = run("index", cwd=root)
    assert (again.stdout + again.stderr).strip() == "everything up to date"


def test_check_says_what_the_list_decided_and_index_does_not_repeat_it(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", DE_STYLE)
    (root / "notes.toml").write_text('course = "Pipelines"\n')  # no `lessons`: the README decides on every run
    assert run("init", cwd=root).exit_code == 0
    assert run("index", "--adopt", cwd=root).exit_code == 0
    for _ in range(2):
        ran = run("index", cwd=root)
        assert "02-dlt-workshop" not in ran.stdout + ran.stderr
    checked = run("check", cwd=root)
    assert (
        "README.md:8: warning: lists 02-dlt-workshop/ as an extra" in checked.stdout + checked.stderr
    )  # (below the region line)


def test_where_a_workspace_is_on_github_in_a_repository_a_subfolder_and_a_worktree(tmp_path: Path) -> None:
    from notes_tool.edges.gitrepo import web_location

    repo = tmp_path / "repo"
    (repo / "notes").mkdir(parents=True)
    (repo / "notes" / "a.md").write_text("# A\n")
    git("init", "-q", cwd=repo)
    assert web_location(repo) is None  # no origin
    git("remote", "add", "origin", "git@github.com:Learner/DE-notes.git", cwd=repo)
    assert web_location(repo) == (OWN, "")
    assert web_location(repo / "notes") == (OWN, "notes")
    git("add", "-A", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "a", cwd=repo)
    git("worktree", "add", "-q", str(tmp_path / "other"), cwd=repo)
    assert web_location(tmp_path / "other" / "notes") == (OWN, "notes")  # (a worktree: git is asked)
