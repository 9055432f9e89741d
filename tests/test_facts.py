"""Note facts: what one parse of a note tells check and export, kept while the note is unchanged.

Whatever was stored, a command must say what it would say after parsing every note afresh."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes_tool.model import document


def test_a_check_after_a_cold_index_says_what_a_cold_check_says(example: Path) -> None:
    intro = sorted(example.glob("01_*.md"))[0].name
    (example / "04_links.md").write_text(f"# Four\n\n[gone](missing.md) and [bad anchor]({intro}#nowhere)\n")
    assert run("index", cwd=example).exit_code == 0  # a new lesson: the others' nav is rewritten
    shutil.rmtree(example / ".notes-cache")
    assert "everything up to date" in run("index", cwd=example).stderr  # cold, nothing to write
    result = run("check", cwd=example)
    assert "04_links.md:3: link to a missing file: missing.md" in result.stdout
    assert f"04_links.md:3: no heading in {intro} has the anchor #nowhere" in result.stdout
    assert result.exit_code == 1


def test_an_edit_after_index_is_seen_by_check(example: Path) -> None:
    assert run("index", cwd=example).exit_code == 0
    assert run("check", cwd=example).stdout == ""
    note = sorted(example.glob("01_*.md"))[0]
    note.write_text(note.read_text() + "\nSee [the missing part](nowhere.md).\n")
    result = run("check", cwd=example)
    assert f"{note.name}:" in result.stdout and "link to a missing file: nowhere.md" in result.stdout


def test_same_size_and_a_new_mtime_is_read_again(example: Path) -> None:
    note = sorted(example.glob("01_*.md"))[0]
    text = note.read_text()
    note.write_text(text + "\n[x](a.md)\n")
    assert "link to a missing file: a.md" in run("check", cwd=example).stdout
    note.write_text(text + "\n[x](b.md)\n")  # same size: only the mtime tells
    stat = note.stat()
    os.utime(note, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert "link to a missing file: b.md" in run("check", cwd=example).stdout


def test_cheats_export_after_check_has_the_new_snippet(example: Path) -> None:
    note = sorted(example.glob("01_*.md"))[0]
    note.write_text(note.read_text() + "\n```bash cheat=shell\nls -la\n```\n")
    assert run("index", cwd=example).exit_code == 0  # its back-to-top link: rewritten, so not stored
    stale = run("check", cwd=example)
    assert "cheatsheets/shell.md: cheat sheet is stale (create)" in stale.stdout
    assert run("cheats", "export", cwd=example).exit_code == 0
    assert "ls -la" in (example / "cheatsheets" / "shell.md").read_text()


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100])
def test_a_corrupt_or_empty_store_is_rebuilt(example: Path, damage: bytes) -> None:
    (example / "04_links.md").write_text("# Four\n\n[gone](missing.md)\n")
    first = run("check", cwd=example).stdout
    store = example / ".notes-cache" / "notes.sqlite"
    assert store.exists()
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(damage)
    assert run("check", cwd=example).stdout == first
    assert run("check", cwd=example).stdout == first


def test_a_check_right_after_the_first_index_reports_on_the_new_lines(example: Path) -> None:
    """The first index of a course rewrites every note (times linked, TOCs, nav): a check after
    it reports the same problems, on the lines they moved to."""
    intro = sorted(example.glob("01_*.md"))[0].name
    (example / "04_links.md").write_text(
        "---\nvideo: https://youtu.be/abcdefghijk\n---\n\n# Four\n\n<!-- notes:toc -->\n<!-- /notes:toc -->\n\n"
        f"## 1:05 First\n\n[gone](missing.md) and [bad anchor]({intro}#nowhere)\n\n"
        "```bash cheat=shell\nls -la\n```\n\n## 2:10 Second\n\n![picture](images/none.png)\n"
    )
    shutil.rmtree(example / ".notes-cache", ignore_errors=True)
    cold = run("check", cwd=example)  # parses every note: what a check says without any facts
    shutil.rmtree(example / ".notes-cache")
    indexed = run("index", cwd=example)
    assert "04_links.md: timestamps 2, toc" in indexed.stderr
    after = run("check", cwd=example)
    # The same problems, on the lines they moved to; no stale regions any more.
    lines = (example / "04_links.md").read_text().splitlines()
    gone = next(n for n, line in enumerate(lines, 1) if "missing.md" in line)
    picture = next(n for n, line in enumerate(lines, 1) if "none.png" in line)
    assert f"04_links.md:{gone}: link to a missing file: missing.md" in after.stdout
    assert f"04_links.md:{gone}: no heading in {intro} has the anchor #nowhere" in after.stdout
    assert f"04_links.md:{picture}: image to a missing file: images/none.png" in after.stdout
    assert "04_links.md: generated parts are stale" in cold.stdout
    assert "generated parts are stale" not in after.stdout
    unstale = [line for line in cold.stdout.splitlines() if "generated parts are stale" not in line]
    assert len(after.stdout.splitlines()) == len(unstale)
    assert run("cheats", "export", cwd=example).exit_code == 0
    sheet = (example / "cheatsheets" / "shell.md").read_text()
    assert "ls -la" in sheet and "04_links.md#105-first" in sheet and "t=65" in sheet


PARTS = [
    "## 12:34 Timed\n",
    "## [1:02:03] - Bracketed\n",
    "### 0:05 With [a link](02_other.md#part)\n",
    "## Plain [link](02_other.md)\n",
    "Text with [a link](02_other.md#part) and ![img](images/x.png).\n",
    "\n",
    "\n",
    "```bash cheat=git\ngit status\n```\n",
    "<!-- cheat: docker -->\ndocker ps\n<!-- /cheat -->\n",
    "[ref]: 02_other.md\n",
    "Use [ref] here.\n",
    '<a id="custom"></a>\n',
    "Setext\n------\n",
    "- item [x](a.md)\n",
    "> ## 5:00 Quoted\n",
    "## Contents\n\n- [Timed](#1234-timed)\n- [Second](#second)\n",
    "<!-- notes:top -->\n[↑ Back to the top](#title)\n<!-- /notes:top -->\n",
]
"""Body parts of a generated note; the TOC and nav regions, at most one each, come first."""
FRONT = ["", "---\nvideo: https://youtu.be/abcdefghijk\n---\n", "---\nback_to_top: false\n---\n"]
NAV = ["", "<!-- notes:nav -->\n<!-- /notes:nav -->\n", "<!-- notes:nav -->\nold nav\n<!-- /notes:nav -->\n\n"]
TOC = ["", "<!-- notes:toc -->\n<!-- /notes:toc -->\n", "<!-- notes:toc -->\n## In the region\n<!-- /notes:toc -->\n"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=st.tuples(
        st.sampled_from(FRONT), st.sampled_from(NAV), st.sampled_from(["", "# Title\n"]), st.sampled_from(TOC)
    ),
    parts=st.lists(st.sampled_from(PARTS), max_size=12),
    crlf=st.booleans(),
    final_newline=st.booleans(),
)
def test_facts_kept_through_an_index_equal_a_fresh_parse(
    tmp_path_factory: pytest.TempPathFactory, head: tuple[str, ...], parts: list[str], crlf: bool, final_newline: bool
) -> None:
    """Whatever index rewrote in a note, the facts stored for it are those of parsing the file."""
    from notes_tool.features import index, index_changes
    from notes_tool.generate.snippets import extracted_to_json
    from notes_tool.stores import facts
    from notes_tool.structure.workspace import open_workspace

    root = tmp_path_factory.mktemp("ws")
    (root / "notes.toml").write_text('course = "C"\nback_to_top = true\n')
    (root / "02_other.md").write_text("# Other\n\n## Part\n")
    text = "".join(head) + "".join(parts)
    text = text if final_newline else text.rstrip("\n")
    note = root / "01_note.md"
    note.write_bytes((text.replace("\n", "\r\n") if crlf else text).encode())
    ws = open_workspace(root)
    index_changes.write(index.plan(ws))
    kept = facts.load(ws, [note]).get(note)
    if kept is None:
        return  # not kept: the next command parses the note, nothing to compare
    fresh_note, snapshot, stat = document.load_stat(note)
    fresh = facts.of(fresh_note, facts.seen(snapshot.digest, stat))
    assert kept.title == fresh.title
    assert extracted_to_json(kept.snippets) == extracted_to_json(fresh.snippets)
    assert (kept.anchors, kept.ids, kept.adoptable) == (fresh.anchors, fresh.ids, fresh.adoptable)
    assert kept.links == fresh.links
    assert kept.learned == fresh.learned


def test_links_parsed_by_a_check_are_kept_for_the_next(example: Path) -> None:
    (example / "04_links.md").write_text("# Four\n\n[gone](missing.md)\n")
    shutil.rmtree(example / ".notes-cache", ignore_errors=True)
    assert run("index", cwd=example).exit_code == 0
    first = run("check", cwd=example)
    assert "04_links.md:3: link to a missing file: missing.md" in first.stdout
    assert run("check", cwd=example).stdout == first.stdout
