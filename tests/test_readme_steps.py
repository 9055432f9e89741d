"""The README followed to the letter, as a newcomer does: from a clean clone, its set-up commands
in a fresh virtual environment, the command the example course prints (run as printed, in the
same shell), then every line of the tour in order. Slow (pip builds and installs the package):
``pytest -m slow tests/test_readme_steps.py``.

Where the tour assumes something of the user's (VS Code's ``code`` command, a GitHub repository
to push to, a GitHub token for gists, a transcript copied into ~/Downloads, a snippet marked for
a cheat sheet), the test provides it just before the line that needs it, as the user would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import git
from gist_server import GistServer

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOKEN = "ghp_" + "r" * 36
PANEL = """\
0:00
hello and welcome to the second lesson of the course
0:20
today we run a postgres database inside a docker container
0:45
first we pull the postgres image from docker hub
1:10
then we start a container from the image and give it a password
1:40
we connect to the database with pgcli and list the tables
2:10
now an important problem: without a volume the database disappears when the container stops
2:40
every row we inserted is gone after a restart of the container
3:10
so we mount a named volume for the postgres data folder
3:40
with the named volume the data survives a restart of the container
4:10
you can list volumes with docker volume ls and remove them when done
4:40
next we load the taxi trips into postgres with a python script
5:20
pandas reads the csv file in chunks and writes each chunk to the table
6:00
that is all for this lesson see you in the next one
"""


def _blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, re.DOTALL)


def _tour() -> list[str]:
    tour = README.split("## A tour", 1)[1]
    block = re.search(r"```bash\n(.*?)```", tour, re.DOTALL)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def _shell(script: str, cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{script}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def _no_notes_on_path(path: str) -> str:
    """The PATH without any folder holding a `notes` (the test's own virtual environment)."""
    return os.pathsep.join(p for p in path.split(os.pathsep) if p and not (Path(p) / "notes").exists())


@pytest.mark.slow
def test_the_readme_works_as_written_from_a_clean_clone(tmp_path: Path) -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git clone")
    clone = tmp_path / "notes_tool"
    git("clone", "-q", str(ROOT), str(clone), cwd=tmp_path)
    stand_ins = tmp_path / "bin"
    stand_ins.mkdir()
    opened = tmp_path / "opened.txt"
    code = stand_ins / "code"  # VS Code's command: records what it was asked to open
    code.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{opened}"\n')
    code.chmod(0o755)
    env = dict(os.environ, PATH=_no_notes_on_path(os.environ["PATH"]) + os.pathsep + str(stand_ins))
    env.pop("VIRTUAL_ENV", None)
    home = Path(env["HOME"])
    (home / "Downloads").mkdir()
    (home / "Downloads" / "panel.txt").write_text(PANEL)

    # The set-up, in one shell, then the command the example printed, as printed, in that shell.
    setup = _blocks()[0].strip()
    done = _shell(
        f"{{\n{setup}\n}} 2> init.log\ncat init.log >&2\neval \"$(sed -n 's/.*; try: //p' init.log)\"", clone, env, 900
    )
    assert "example course ready in" in done.stderr
    assert "Docker and Postgres" in done.stdout  # the search the example suggested found its lesson
    demo = tmp_path / "demo-course"
    assert git("status", "--porcelain", cwd=demo) == "" and git("log", "--oneline", cwd=demo).strip()

    # The tour, line by line, in a shell whose virtual environment is active (as the README says).
    activated = dict(env, PATH=str(clone / ".venv" / "bin") + os.pathsep + env["PATH"])
    where = tmp_path
    with GistServer(tmp_path / "github", TOKEN) as gists:
        activated.update(GITHUB_API_URL=gists.url, GITHUB_TOKEN=TOKEN)
        (tmp_path / "github").mkdir(exist_ok=True)
        for line in _tour():
            command = line.split("  #", 1)[0].strip()
            if command.startswith("cd "):
                where = where / command[3:]
                continue
            _before(command, where, tmp_path)
            if command.startswith("notes watch"):
                _watch(command, where, activated)
                continue
            done = _shell(command, where, activated)
            _after(command, where, done, opened)


def _before(command: str, where: Path, tmp_path: Path) -> None:
    """What the user has done by the time they type ``command``."""
    if command.startswith("notes commit --push"):  # their repository on GitHub
        remote = tmp_path / "remote.git"
        git("init", "-q", "--bare", str(remote), cwd=tmp_path)
        git("remote", "add", "origin", remote.as_uri(), cwd=where)
    if command.startswith("notes cheats export"):  # a snippet marked for the git sheet
        note = where / "02_docker-and-postgres.md"
        with note.open("a") as out:
            out.write("\n## Keeping the data\n\nA named volume keeps the database.\n\n")
            out.write('```bash cheat=git title="Undo the last commit"\ngit reset --soft HEAD~1\n```\n')


def _after(command: str, where: Path, done: subprocess.CompletedProcess[str], opened: Path) -> None:
    """What the user sees after ``command``."""
    if command.startswith("code "):
        assert opened.read_text().strip().endswith("01_introduction-to-data-engineering.md")
    if command.startswith("notes commit --push"):
        assert git("status", "--porcelain", "--", "*.md", cwd=where) == ""
    if command.startswith("notes stamp"):  # the moment is found; written when sure, else left to --review
        row = re.search(r"^ +\d+ +(\d+:\d\d) +(\S+) +Keeping the data$", done.stdout, re.M)
        assert row is not None, done.stdout
        note = (where / "02_docker-and-postgres.md").read_text()
        stamped = re.search(r"^## \[?\d+:\d\d\S* Keeping the data$", note, re.M)
        assert (row.group(2) == "written") == (stamped is not None), (done.stdout, note)
    if command.startswith("notes search"):
        assert "02 Docker and Postgres" in done.stdout and "said at" in done.stdout


def _watch(command: str, where: Path, env: dict[str, str]) -> None:
    """``notes watch`` runs until Ctrl-C: a save is handled, then Ctrl-C ends it with status 0."""
    watcher = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=where, env=env, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)
        note = where / "02_docker-and-postgres.md"
        note.write_text(note.read_text() + "\n## 6:30 Compose\n\nBoth containers in one file.\n")
        deadline = time.monotonic() + 30
        while "[6:30](" not in note.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "[6:30](" in note.read_text()
    finally:
        watcher.send_signal(signal.SIGINT)
        _, stderr = watcher.communicate(timeout=30)
    assert watcher.returncode == 0, stderr
    assert shutil.which("notes", path=env["PATH"])


def test_the_command_the_example_prints_works_as_printed_without_notes_on_the_path(tmp_path: Path) -> None:
    notes = Path(sys.executable).parent / "notes"
    if not notes.exists():
        pytest.skip("no installed `notes` script beside this Python")
    env = dict(os.environ, PATH=_no_notes_on_path(os.environ["PATH"]))
    env.pop("VIRTUAL_ENV", None)
    printed = _shell(f"{notes} init --example demo-course", tmp_path, env).stderr
    command = printed.split("; try: ", 1)[1].splitlines()[0]
    assert command == f"cd demo-course && {notes} search volumes"
    assert f"`. {notes.parent / 'activate'}` puts it there in this shell" in printed
    assert "02 Docker and Postgres" in _shell(command, tmp_path, env).stdout
    env["PATH"] = f"{notes.parent}{os.pathsep}{env['PATH']}"  # activated: plain `notes`
    printed = _shell("notes init --example again", tmp_path, env).stderr
    assert "; try: cd again && notes search volumes\n" in printed and "not on your PATH" not in printed
