"""Cheat sheets: marking, export, and publishing to gists (a real HTTP stand-in, real git)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import git, run, tree_bytes
from gist_server import GistServer

from notes_tool.generate import snippets
from notes_tool.model import document
from notes_tool.structure import config

FIXTURES = Path(__file__).parent / "fixtures" / "cheats"


def test_marking_fences_ranges_and_captions() -> None:
    note, _ = document.load(FIXTURES / "04_marked.md")
    found = snippets.extract(note)
    summary = [(s.sheet, s.caption, s.line, s.time) for s in found.snippets]
    assert summary == [
        ("git", "Undo the last commit", 10, "1:05"),
        ("git", "Undoing things", 14, "1:05"),
        ("shell", "Undoing things", 14, "1:05"),
        ("md", "A fence inside", 20, "1:05"),
        ("git", "Stash, then pop", 26, "1:05"),
    ]
    assert found.snippets[3].body == '````markdown\n```python\nprint("hi")\n```\n````\n'
    assert found.snippets[4].body.startswith("Keep work aside while switching branches:\n\n```bash\n")
    assert [(w.line, w.message.split(";")[0]) for w in found.warnings] == [
        (39, "unknown cheat marker in the fence"),
        (43, "unknown cheat marker <!-- cheat docker -->"),
        (44, "<!-- /cheat --> without an opening <!-- cheat: NAME -->"),
    ]
    assert [(e.line, "bad cheat sheet name '../etc'" in e.message) for e in found.errors] == [(35, True)]


def test_export_golden_sheet_for_the_example(example: Path) -> None:
    sheet = (example / "cheatsheets" / "git.md").read_text()
    assert sheet == (
        "# git cheat sheet\n\n"
        "Snippets from my Data Engineering Zoomcamp notes. Write your own introduction here: notes_tool keeps it.\n\n"
        "<!-- notes:cheats -->\n"
        "## Lesson 1: Introduction to Data Engineering\n\n"
        "### Clone a repository with its history\n\n"
        "```bash\ngit clone https://github.com/DataTalksClub/data-engineering-zoomcamp.git\n```\n\n"
        "Source: [Introduction to Data Engineering › Setting up the tools]"
        "(../01_introduction-to-data-engineering.md#705-setting-up-the-tools)"
        " · [▶ 7:05](https://www.youtube.com/watch?v=EYNwNlOrpr0&list=PL3MmuxUbc_hJed7dXYoJw8DoCuVHhGEQb&index=3&t=425s)\n\n"
        "### Start tracking your own notes\n\n"
        "Create the repository once, then commit after each video:\n\n"
        '```bash\ngit init\ngit add .\ngit commit -m "Notes for 1.1"\n```\n\n'
        "Source: [Introduction to Data Engineering › Setting up the tools]"
        "(../01_introduction-to-data-engineering.md#705-setting-up-the-tools)"
        " · [▶ 7:05](https://www.youtube.com/watch?v=EYNwNlOrpr0&list=PL3MmuxUbc_hJed7dXYoJw8DoCuVHhGEQb&index=3&t=425s)\n"
        "<!-- /notes:cheats -->\n"
    )
    readme = (example / "README.md").read_text()
    assert "- [git](cheatsheets/git.md)\n" in readme


def test_export_keeps_the_intro_is_deterministic_and_drops_removed_snippets(example: Path) -> None:
    sheet = example / "cheatsheets" / "docker.md"
    sheet.write_text(
        sheet.read_text().replace("Write your own introduction here: notes_tool keeps it.", "My docker tips.")
    )
    assert run("cheats", "export", cwd=example).exit_code == 0
    first = tree_bytes(example)
    assert run("cheats", "export", cwd=example).exit_code == 0
    assert tree_bytes(example) == first
    note = example / "02_docker-and-postgres.md"
    note.write_text(note.read_text().replace("```bash cheat=docker\ndocker volume ls", "```bash\ndocker volume ls"))
    assert run("cheats", "export", cwd=example).exit_code == 0
    text = sheet.read_text()
    assert "My docker tips." in text and "docker volume ls" not in text and "docker compose up -d" in text


def test_a_sheet_with_no_snippets_left_is_deleted_unless_you_wrote_in_it(example: Path) -> None:
    python_note = example / "01b_virtual-environments-on-an-intel-mac.md"
    python_note.write_text(python_note.read_text().replace(" cheat=python", ""))
    docker_note = example / "02_docker-and-postgres.md"
    docker_note.write_text(docker_note.read_text().replace(" cheat=docker", ""))
    sheet = example / "cheatsheets" / "docker.md"
    sheet.write_text(sheet.read_text().replace("Write your own introduction here: notes_tool keeps it.", "Mine."))
    result = run("cheats", "export", cwd=example)
    assert result.exit_code == 0
    assert not (example / "cheatsheets" / "python.md").exists()
    assert "Mine." in sheet.read_text() and "docker run" not in sheet.read_text()
    assert "- [python](cheatsheets/python.md)" not in (example / "README.md").read_text()


def test_export_check_and_bad_names(example: Path) -> None:
    assert run("cheats", "export", "--check", cwd=example).exit_code == 0
    note = example / "03_workflow-orchestration.md"
    note.write_text(
        note.read_text() + '\n```bash cheat=.hidden\nls\n```\n\n```bash cheat=prefect title="Run"\nprefect run\n```\n'
    )
    before = tree_bytes(example)
    result = run("cheats", "export", "--check", cwd=example)
    assert result.exit_code == 1
    assert "cheatsheets/prefect.md: stale (create)" in result.stdout
    assert "03_workflow-orchestration.md:" in result.stderr and "bad cheat sheet name '.hidden'" in result.stderr
    assert tree_bytes(example) == before


def test_absolute_links_when_the_repository_is_on_github(example: Path) -> None:
    git("remote", "add", "origin", "git@github.com:learner/de-notes.git", cwd=example)
    shutil.rmtree(example / "cheatsheets")
    assert run("cheats", "export", cwd=example).exit_code == 0
    text = (example / "cheatsheets" / "docker.md").read_text()
    assert "(https://github.com/learner/de-notes/blob/main/02_docker-and-postgres.md#610-volumes)" in text


# Publishing


TOKEN = "ghp_" + "t" * 36


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GistServer]:
    root = tmp_path / "github"
    root.mkdir()
    with GistServer(root, TOKEN) as running:
        monkeypatch.setenv("GITHUB_API_URL", running.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        yield running


def gists(example: Path) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = config.load(example / "notes.toml").gists
    return found


def test_first_publish_creates_a_secret_gist_and_records_it(example: Path, server: GistServer) -> None:
    config_before = (example / "notes.toml").read_text()
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 0, result.stderr
    (request,) = server.requests
    assert request["body"]["public"] is False
    assert request["body"]["files"]["docker.md"]["content"] == (example / "cheatsheets" / "docker.md").read_text()
    record = gists(example)["docker"]
    assert record["url"].startswith("https://gist.github.com/")
    assert git("rev-parse", "main", cwd=Path(record["push_url"][len("file://") :])).strip() == record["commit"]
    assert (example / "notes.toml").read_text().startswith(config_before)  # comments and keys kept
    assert TOKEN not in (example / "notes.toml").read_text() + result.stdout + result.stderr
    assert f"- [docker](cheatsheets/docker.md) ([gist]({record['url']}))" in (example / "README.md").read_text()


def push_a_file_from_another_clone(push_url: str, tmp_path: Path) -> Path:
    """Someone else adds ``extra.txt`` to the gist (its clone returned)."""
    other = tmp_path / "other-clone"
    git("clone", "-q", push_url, str(other), cwd=tmp_path)
    (other / "extra.txt").write_text("mine\n")
    git("add", "-A", cwd=other)
    git("commit", "-qm", "extra file", cwd=other)
    git("push", "-q", cwd=other)
    return other


def test_later_publishes_go_over_git_and_leave_other_files_alone(
    example: Path, server: GistServer, tmp_path: Path
) -> None:
    assert run("cheats", "publish", "git", cwd=example).exit_code == 0
    push_url = gists(example)["git"]["push_url"]
    other = push_a_file_from_another_clone(push_url, tmp_path)
    # The gist moved: refuse, show what changed, push nothing.
    note = example / "01_introduction-to-data-engineering.md"
    note.write_text(note.read_text().replace('title="Clone a repository with its history"', 'title="Clone the course"'))
    assert run("cheats", "export", cwd=example).exit_code == 0
    head = git("rev-parse", "main", cwd=Path(push_url[7:])).strip()
    refused = run("cheats", "publish", "git", cwd=example)
    assert refused.exit_code == 1
    assert "changed since the last publish" in refused.stderr
    assert "extra.txt" in refused.stdout
    assert git("rev-parse", "main", cwd=Path(push_url[7:])).strip() == head
    # --force adds a commit on top: both sides kept.
    forced = run("cheats", "publish", "git", "--force", cwd=example)
    assert forced.exit_code == 0, forced.stderr
    git("pull", "-q", cwd=other)
    assert (other / "extra.txt").read_text() == "mine\n"
    assert "### Clone the course" in (other / "git.md").read_text()
    assert gists(example)["git"]["commit"] == git("rev-parse", "HEAD", cwd=other).strip()
    # Nothing new: nothing pushed.
    again = run("cheats", "publish", "git", cwd=example)
    assert again.exit_code == 0 and "git: unchanged" in again.stderr


def test_dry_run_prints_the_diff_and_touches_nothing(example: Path, server: GistServer) -> None:
    before = tree_bytes(example)
    result = run("cheats", "publish", "docker", "--dry-run", cwd=example)
    assert result.exit_code == 0
    assert "+++ docker.md" in result.stdout and "+docker volume ls" in result.stdout
    assert server.requests == []
    assert tree_bytes(example) == before


def test_attach_an_existing_gist_with_to(example: Path, server: GistServer, tmp_path: Path) -> None:
    created = server.create({"files": {"notes.txt": {"content": "kept\n"}}})
    result = run("cheats", "publish", "python", "--to", created["git_push_url"], cwd=example)
    assert result.exit_code == 0, result.stderr
    clone = tmp_path / "check"
    git("clone", "-q", created["git_push_url"], str(clone), cwd=tmp_path)
    assert (clone / "notes.txt").read_text() == "kept\n"
    assert (clone / "python.md").read_text() == (example / "cheatsheets" / "python.md").read_text()


def test_a_secret_in_a_snippet_refuses_publishing(example: Path, server: GistServer) -> None:
    note = example / "03_workflow-orchestration.md"
    note.write_text(
        note.read_text()
        + '\n```bash cheat=docker title="Login"\nexport GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n```\n'
    )
    run("cheats", "export", cwd=example)
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    lines = note.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "ghp_abc" in text)
    assert (
        f"03_workflow-orchestration.md:{line}: cheat sheet 'docker' would publish what looks like a GitHub token"
        in result.stderr
    )
    assert server.requests == []
    assert run("cheats", "publish", "docker", "--allow-secrets", cwd=example).exit_code == 0


def test_auth_and_network_failures_are_one_clear_line(
    example: Path, server: GistServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    assert (
        result.stderr.strip()
        == "GitHub refused to create the gist (HTTP 401): the token lacks the gist scope or is not valid"
    )
    monkeypatch.delenv("GITHUB_TOKEN")
    result = run("cheats", "publish", "docker", cwd=example)
    assert "no token: set GITHUB_TOKEN or GH_TOKEN" in result.stderr
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1 and result.stderr.startswith("cannot reach http://127.0.0.1:9")
    assert "Traceback" not in result.stderr
    assert not config.load(example / "notes.toml").gists


def test_unknown_sheet_name_is_refused(example: Path, server: GistServer) -> None:
    result = run("cheats", "publish", "nope", cwd=example)
    assert result.exit_code == 1 and "no cheat sheet 'nope'" in result.stderr


def test_recording_a_gist_keeps_comments_and_a_second_sheet_joins_the_table(example: Path, server: GistServer) -> None:
    config = example / "notes.toml"
    config.write_text(
        config.read_text() + '\n# my own note about gists\n[gists.old]\nurl = "https://gist.github.com/x"\n'
    )
    assert run("cheats", "publish", "docker", cwd=example).exit_code == 0
    assert run("cheats", "publish", "git", cwd=example).exit_code == 0
    text = config.read_text()
    assert "# my own note about gists" in text and "# The course title" in text
    assert set(gists(example)) == {"old", "docker", "git"}


def test_a_notes_toml_that_would_not_read_back_is_never_written(
    example: Path, server: GistServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tomlkit

    config = example / "notes.toml"
    before = config.read_bytes()
    monkeypatch.setattr(tomlkit, "dumps", lambda doc: "course = [unclosed\n")
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1
    assert "notes.toml" in result.stderr and "cannot record the gist" in result.stderr
    assert config.read_bytes() == before


PGP = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF...\n-----END PGP PRIVATE KEY BLOCK-----"
AWS_GLUED = "key=xAKIAABCDEFGHIJKLMNOPmore"
GH_GLUED = "Authorization:tokenghp_abcdefghijklmnopqrstuvwxyz0123456789"


@pytest.mark.parametrize(
    ("where", "added", "what"),
    [
        ("body", f"```text cheat=docker\n{PGP}\n```\n", "a private key"),
        ("body", f"```text cheat=docker\n{AWS_GLUED}\n```\n", "an AWS access key"),
        ("body", f"```text cheat=docker\n{GH_GLUED}\n```\n", "a GitHub token"),
        ("title", f'```text cheat=docker title="{GH_GLUED}"\nls\n```\n', "a GitHub token"),
        ("heading", f"## Use {AWS_GLUED}\n\n```text cheat=docker\nls\n```\n", "an AWS access key"),
        ("intro", "", "a GitHub token"),
    ],
)
def test_the_secret_scan_reads_everything_published(
    example: Path, server: GistServer, where: str, added: str, what: str
) -> None:
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n" + added)
    assert run("cheats", "export", cwd=example).exit_code == 0
    sheet = example / "cheatsheets" / "docker.md"
    if where == "intro":
        sheet.write_text(sheet.read_text().replace("# docker cheat sheet\n", f"# docker cheat sheet\n\n{GH_GLUED}\n"))
    result = run("cheats", "publish", "docker", cwd=example)
    assert result.exit_code == 1, result.stderr
    assert f"would publish what looks like {what}" in result.stderr
    expected = "cheatsheets/docker.md:3:" if where == "intro" else "03_workflow-orchestration.md:"
    assert result.stderr.startswith(expected)
    assert server.requests == []


def test_a_sheet_is_not_deleted_when_it_changed_after_the_plan(example: Path) -> None:
    from notes_tool.features import sheets
    from notes_tool.structure.workspace import open_workspace

    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n```bash cheat=solo\nls\n```\n")
    assert run("cheats", "export", cwd=example).exit_code == 0
    note.write_text(note.read_text().replace("cheat=solo", ""))
    export = sheets.plan_export(open_workspace(example))
    assert [c.action for c in export.changes if c.name == "solo"] == ["delete"]
    sheet = example / "cheatsheets" / "solo.md"
    sheet.write_text(sheet.read_text() + "\nMy own words, typed just now.\n")
    sheets.write_export(export)
    assert "My own words" in sheet.read_text()
    assert any("changed on disk" in str(e) for e in export.errors)


def test_publish_says_which_links_a_gist_cannot_follow(example: Path, server: GistServer) -> None:
    for dry_run in (["--dry-run"], []):
        result = run("cheats", "publish", "docker", *dry_run, cwd=example)
        assert result.exit_code == 0, result.stderr
        assert "links lead to your notes by relative paths, which a gist cannot follow; set repo_url" in result.stderr
    config = example / "notes.toml"
    config.write_text('repo_url = "https://github.com/me/notes"\n' + config.read_text())  # (above [gists])
    assert run("cheats", "export", cwd=example).exit_code == 0
    again = run("cheats", "publish", "docker", cwd=example)
    assert again.exit_code == 0 and "cannot follow" not in again.stderr


def test_snippets_take_their_headings_moment_and_warn_of_ranges_opened_twice_or_never_closed() -> None:
    """A snippet under an untimed heading takes the moment of its nearest timed ancestor (not of a
    timed sibling above it); ranges and fences come in the note's order; a range opened inside
    another, one never closed, and a title that is not one line of text are said at their line."""
    video = "https://www.youtube.com/watch?v=abcdefghijk"
    text = (
        f"---\nvideo: {video}\n---\n# Docker\n\n## 1:00 Images\n\n### 1:30 Build\n\n### Tag\n\n"
        "<!-- cheat: docker -->\nTag it.\n<!-- /cheat -->\n\n```bash cheat=docker\ndocker build .\n```\n\n"
        '## Volumes\n\n<!-- cheat: docker "Mounts" -->\n<!-- cheat: git -->\nMount it.\n<!-- /cheat -->\n\n'
        '<!-- cheat: docker "bad\atitle" -->\nx\n<!-- /cheat -->\n\n<!-- cheat: git -->\nnever closed\n'
    )
    found = snippets.extract(document.parse(Path("n.md"), text))
    assert [(s.sheet, s.caption, s.body, s.line, s.body_line, s.moment, s.time) for s in found.snippets] == [
        ("docker", "Tag", "Tag it.\n", 12, 13, f"{video}&t=60s", "1:00"),
        ("docker", "Tag", "```bash\ndocker build .\n```\n", 16, 16, f"{video}&t=60s", "1:00"),
        ("git", "Volumes", "Mount it.\n", 23, 24, "", ""),
    ]
    assert [(w.line, w.message) for w in found.warnings] == [
        (23, "cheat range opened inside another; close it with <!-- /cheat -->"),
        (31, "cheat range never closed: add <!-- /cheat -->"),
    ]
    assert [(e.line, e.message.split(";")[1]) for e in found.errors] == [(27, " it must be one line of text")]


def test_a_dry_run_over_a_gist_shows_the_update_and_an_unchanged_sheet_takes_the_gists_head(
    example: Path, server: GistServer, tmp_path: Path
) -> None:
    assert run("cheats", "publish", "docker", cwd=example).exit_code == 0
    push_url = gists(example)["docker"]["push_url"]
    gist_repo = Path(push_url[len("file://") :])
    sheet = example / "cheatsheets" / "docker.md"
    sheet.write_text(sheet.read_text() + "\nOne more line.\n")
    head = git("rev-parse", "main", cwd=gist_repo).strip()
    config_before = (example / "notes.toml").read_bytes()
    dry = run("cheats", "publish", "docker", "--dry-run", cwd=example)
    assert dry.exit_code == 0, dry.stderr
    assert "--- gist/docker.md" in dry.stdout and "+One more line." in dry.stdout
    assert git("rev-parse", "main", cwd=gist_repo).strip() == head
    assert (example / "notes.toml").read_bytes() == config_before
    assert run("cheats", "publish", "docker", cwd=example).exit_code == 0
    # Someone adds a file to the gist; the sheet is as the gist has it: nothing pushed, and with
    # --force the gist's new head is recorded, so the next publish goes on from it.
    other = push_a_file_from_another_clone(push_url, tmp_path)
    forced = run("cheats", "publish", "docker", "--force", cwd=example)
    assert forced.exit_code == 0 and "docker: unchanged" in forced.stderr
    assert gists(example)["docker"]["commit"] == git("rev-parse", "HEAD", cwd=other).strip()
    assert run("cheats", "publish", "docker", cwd=example).exit_code == 0
