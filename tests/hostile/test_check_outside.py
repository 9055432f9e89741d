"""``notes check`` and a link out of the workspace with an anchor: the file there was read to
check the anchor, and the hint (``did you mean #launch-codes-1234?``) printed its headings."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def test_check_does_not_read_a_file_outside_for_an_anchor(example: Path, tmp_path: Path) -> None:
    (tmp_path / "private.md").write_text("# Secret plans\n\n## Launch codes 1234\n")
    (example / "05_five.md").write_text("# Five\n\n[a](../private.md#launch-codes-123)\n\n[b](#nope)\n")
    run("index", cwd=example)
    result = run("check", cwd=example)
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert "launch-codes-1234" not in out and "Secret" not in out
    assert "05_five.md:5: no heading in this note has the anchor #nope" in out  # (inside: still checked)
