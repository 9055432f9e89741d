"""`notes search` (SQLite FTS5) and `notes check` (links, anchors, workspace problems)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS, copy_tree, run

from notes_tool.features import search
from notes_tool.stores import search_index
from notes_tool.structure.workspace import open_workspace


def test_a_heading_match_beats_a_passing_mention(example: Path) -> None:
    (example / "04_kubernetes.md").write_text(
        "# Kubernetes\n\n## Pods\n\nA pod runs containers.\n\n## Networking\n\nPods talk to each other; "
        "unlike Docker Compose networks, no extra setup.\n"
    )
    hits = search.search(open_workspace(example), "compose")
    assert hits[0].breadcrumb == "02 Docker and Postgres › Docker Compose"
    assert hits[0].time == "1:02:03"
    assert hits[0].link == "https://www.youtube.com/watch?v=2JM-ziJt0WI&t=3723s"
    assert any(h.path == "04_kubernetes.md" for h in hits[1:])


def test_stemming_phrases_prefixes_and_filters(example: Path) -> None:
    ws = open_workspace(example)
    assert search.search(ws, "volumes")[0].breadcrumb.endswith("› Volumes")
    assert search.search(ws, "schedules")[0].breadcrumb == "03 Workflow orchestration › Scheduling"
    assert search.search(ws, '"named volume"')[0].anchor == "610-volumes"
    assert search.search(ws, "orchestr*")
    assert {h.lesson for h in search.search(ws, "docker", lesson=2)} == {2}
    code_hits = search.search(ws, "venv", code_only=True)
    assert [h.path for h in code_hits] == ["01b_virtual-environments-on-an-intel-mac.md"]


def test_human_output_shows_the_moment_and_where(example: Path) -> None:
    result = run("search", "volume", cwd=example)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "02 Docker and Postgres › Running Postgres in a container › Volumes (6:10)"
    assert "volume" in lines[1] and "**" not in lines[1]  # piped: plain text
    assert lines[2] == "  02_docker-and-postgres.md:44"
    assert lines[3] == "  https://www.youtube.com/watch?v=2JM-ziJt0WI&t=370s"


def test_json_shape(example: Path) -> None:
    result = run("search", "docker", "--json", "--limit", "2", cwd=example)
    hits = json.loads(result.stdout)
    assert len(hits) == 2
    assert set(hits[0]) == {
        "breadcrumb",
        "time",
        "path",
        "line",
        "anchor",
        "link",
        "excerpt",
        "lesson",
        "video",
        "kind",
    }
    assert isinstance(hits[0]["line"], int) and hits[0]["path"].endswith(".md")


def test_edits_are_picked_up_incrementally(example: Path) -> None:
    ws = open_workspace(example)
    assert not search.search(ws, "kubectl")
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n## 20:00 Deploying\n\nkubectl apply the flow.\n")
    hits = search.search(ws, "kubectl")
    assert hits and hits[0].time == "20:00"
    note.unlink()
    assert not search.search(ws, "kubectl")


@pytest.mark.parametrize("damage", [b"not a database at all", b""])
def test_a_corrupt_or_deleted_index_is_rebuilt(example: Path, damage: bytes) -> None:
    """A deleted index is simply built again; a corrupt one too, with one line saying so."""
    assert run("search", "docker", cwd=example).exit_code == 0
    db = example / ".notes-cache" / search_index.DB_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if damage:
        db.write_bytes(damage * 100)
    else:
        db.unlink()
    result = run("search", "docker", cwd=example)
    assert result.exit_code == 0
    assert result.stderr == ("warning: notes.sqlite in the cache folder could not be read; rebuilt\n" if damage else "")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM notes WHERE searched").fetchone()[0] == 4


@pytest.mark.parametrize("query", ['"unclosed', "AND AND", "docker NOT"])
def test_bad_query_syntax_is_one_clear_line(example: Path, query: str) -> None:
    result = run("search", query, cwd=example)
    assert result.exit_code == 1
    assert result.stderr.startswith("search: cannot read the query")
    assert len(result.stderr.strip().splitlines()) == 1


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_check_link_cases(tmp_path: Path) -> None:
    root = tmp_path / "notes"
    write(root / "img" / "pic 1.png", "")
    write(
        root / "sub" / "other.md",
        '# Other\n\n## Setup\n\n## Setup\n\n<a name="custom"></a>\n\n<div id="block">\n</div>\n\n'
        '```html\n<a name="in-code"></a>\n```\n',
    )
    write(
        root / "main.md",
        "# Main\n\n## Local section\n\n"
        "[ok](sub/other.md#setup-1) [ok](./sub/../sub/other.md#custom) [ok](#local-section) "
        "[ok](img/pic%201.png)\n"
        "![ok](<img/pic 1.png>) [external](https://example.com/missing.md) [mail](mailto:x@y.z)\n"
        "[bad anchor](sub/other.md#setup-2)\n"
        "[missing](sub/nope.md)\n"
        "![missing image](img/nope.png)\n"
        "[bad local](#local-sectoin)\n"
        "[case](SUB/other.md)\n\n"
        "`[in code](nope.md)`\n\n```\n[in fence](nope.md)\n```\n\n"
        "[ok](sub/other.md#block) [ok](sub/other.md#custom)\n"
        "[only in code](sub/other.md#in-code)\n\n"
        "[web](https://example.com/a.md) [web](<HTTP://example.com/b c.md>), then [gone](gone.md)\n",
    )
    result = run("check", ".", cwd=root)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "main.md:7: no heading in other.md has the anchor #setup-2 (did you mean #setup-1?)",
        "main.md:8: link to a missing file: sub/nope.md",
        "main.md:9: image to a missing file: img/nope.png",
        "main.md:10: no heading in this note has the anchor #local-sectoin (did you mean #local-section?)",
        "main.md:11: link 'SUB/other.md' differs in case: the file is 'sub' (breaks on GitHub)",
        "main.md:20: no heading in other.md has the anchor #in-code",
        "main.md:22: link to a missing file: gone.md",
    ]


def test_check_outside_the_folder_and_relative_parents(tmp_path: Path) -> None:
    write(tmp_path / "project" / "README.md", "# Project\n")
    notes = tmp_path / "project" / "notes"
    write(notes / "a.md", "[up](../README.md) [up anchor](../README.md#project) [gone](../GONE.md)\n")
    result = run("check", str(notes), cwd=tmp_path)
    assert result.stdout == "project/notes/a.md:1: link to a missing file: ../GONE.md\n"


def test_check_reports_a_note_it_cannot_read_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n[b](b.md)\n")
    try:
        (tmp_path / "b.md").symlink_to(tmp_path / "moved-away.md")  # a link left dangling
    except OSError:
        pytest.skip("no symlinks here")
    result = run("check", str(tmp_path), cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "b.md: no such file"  # its own name, worded as everywhere
    assert "Traceback" not in result.stdout + result.stderr


def test_check_in_a_workspace_reports_what_notes_keeps(example: Path) -> None:
    (example / "02_duplicate.md").write_text("# Another lesson two\n")
    (example / "05_timed.md").write_text("# Five\n\n## 1:00 No video here\n")
    (example / "06_toc.md").write_text("# Six\n\n## Contents\n\n- [Part](#part)\n\n## Part\n")
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text().replace("## [4:20]", "## [4:21]"))
    result = run("check", cwd=example)
    out = result.stdout
    assert result.exit_code == 1
    assert "02_duplicate.md: lesson 2 has two notes: 02_docker-and-postgres.md and 02_duplicate.md" in out
    assert "03_workflow-orchestration.md: generated parts are stale (timestamps 1, toc, nav)" in out
    assert "05_timed.md:3: warning: timestamped heading but no video" in out
    assert "06_toc.md: warning: hand-made TOC at line 3: `notes index --adopt` can manage it" in out


@pytest.mark.parametrize("args", [(), (".",)])
def test_check_of_a_never_indexed_clone_finds_the_same(example: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    """CI checks a fresh clone: no cache. The report is the same, and the same again."""
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text().replace("## [4:20]", "## [4:21]"))
    clone = copy_tree(example, tmp_path / "clone")
    shutil.rmtree(clone / ".notes-cache")
    expected = run("check", cwd=example).stdout  # index's cache is warm here
    result = run("check", *args, cwd=clone)
    assert result.stdout == expected
    assert "03_workflow-orchestration.md: generated parts are stale (timestamps 1, toc)" in result.stdout
    again = run("check", *args, cwd=clone)
    assert again.stdout == expected


def test_check_is_clean_on_a_fresh_example(example: Path) -> None:
    result = run("check", cwd=example)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""


@pytest.mark.usefixtures("corpus")
def test_check_on_the_corpus_reports_only_real_broken_links(tmp_path: Path) -> None:
    root = copy_tree(CORPUS, tmp_path / "ml")
    result = run("check", ".", cwd=root)
    assert result.stdout.splitlines() == [
        "10_kubernetes/homework.md:187: link to a missing file: 10-explore-more.md",
        "notes/05b_virtenvs.md:191: link to a missing file: 05a_deployment.md.md (did you mean '05a_deployment.md'?)",
    ]


def test_check_suggests_the_file_a_near_miss_meant(tmp_path: Path) -> None:
    """A name differing by case breaks on GitHub even where the disk does not care: same report on every OS."""
    write(tmp_path / "docker-compose.yaml", "")
    write(tmp_path / "Setup.md", "# Setup\n")
    write(tmp_path / "b.md", "# B\n\n## Setup (full version)\n")
    write(tmp_path / "a.md", "[c](docker-compose.yml) [s](setup.md) [far](zzz.md)\n\n[grew](b.md#setup)\n")
    assert run("check", ".", cwd=tmp_path).stdout.splitlines() == [
        "a.md:1: link to a missing file: docker-compose.yml (did you mean 'docker-compose.yaml'?)",
        "a.md:1: link 'setup.md' differs in case: the file is 'Setup.md' (breaks on GitHub)",
        "a.md:1: link to a missing file: zzz.md",
        "a.md:3: no heading in b.md has the anchor #setup (did you mean #setup-full-version?)",
    ]


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("accessed through ***services***.", "accessed through services."),
        ("**bold** and _it_", "bold and it"),
        ("call `__init__` or `f(**kwargs)`", "call __init__ or f(**kwargs)"),
        ("a*b*c and snake_case_name", "abc and snake_case_name"),  # as GitHub renders it
        ("see [the docs](https://x.org/a_b_c) and <b>this</b>", "see the docs and this"),
        ("two\n  lines", "two lines"),
    ],
)
def test_excerpts_read_as_text(workspace: Path, source: str, shown: str) -> None:
    """What search shows is the text as a reader sees it rendered, not its Markdown."""
    (workspace / "01_x.md").write_text(f"# X\n\n## Part\n\nzebra {source}\n")
    result = run("search", "zebra", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert f"  zebra {shown}\n" in result.stdout


def test_an_excerpt_of_code_reads_as_one_line_of_it(workspace: Path) -> None:
    """A hit inside a code block shows the code's lines joined by spaces, not as escapes."""
    (workspace / "01_x.md").write_text(
        "# X\n\n## Part\n\n```python\nfrom flask import Flask\napp = Flask('zebra')\n```\n"
    )
    result = run("search", "zebra", cwd=workspace)
    assert result.exit_code == 0, result.stderr
    assert "  from flask import Flask app = Flask('zebra')" in result.stdout.replace("**", "")
    assert "\\n" not in result.stdout


def test_check_outside_a_workspace_says_so_instead_of_scanning_everything_below(tmp_path: Path) -> None:
    write(tmp_path / "deep" / "down" / "a.md", "[gone](missing.md)\n")
    result = run("check", cwd=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "not inside a notes workspace (no notes.toml here or above); create one with `notes init`, "
        "or pass --workspace DIR; or name what to check: `notes check .` for this folder\n"
    )
    assert "deep/down/a.md:1: link to a missing file: missing.md" in run("check", ".", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    ("query", "advice"),
    [('"unclosed', "close every double quote"), ("AND AND", "put phrases in double quotes")],
)
def test_a_bad_query_is_told_what_it_lacks(example: Path, query: str, advice: str) -> None:
    """Telling someone who typed a double quote to put phrases in double quotes helps no one."""
    result = run("search", query, cwd=example)
    assert advice in result.stderr


def test_one_problem_is_one_error_not_one_errors(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "[gone](missing.md)\n")
    assert run("check", ".", cwd=tmp_path).stderr == "1 error, 0 warnings\n"
